"""Comparison keys for place names written in Latin transliteration or Arabic script.

Two levels stored in the index, used when it is built and when a query is looked up, and a third computed at
look-up time:

* :func:`name_key` — spelling-insensitive but faithful: no diacritics, apostrophes or ʿ ʾ marks, no article
  (al-, el-, as-, ash-, …), common words unified (Tell/Tal/Tall → tal, Deir/Dayr/Dair → dayr, …), no spaces.
* :func:`sound_key` — also folds vowel and digraph variants (ou/u/oo, ee/i, ei/ay/ai/e, q/k, dj/j, doubled
  letters, a final -h after a vowel, -iya/-ia). Vowels are folded to one class but *kept in place*, and w/y
  stay consonants between vowels, so "Hmeimeem" (h·m·m·m) never collapses onto "Hama" (h·m) nor "Kiswah" onto
  "Qusayr". The -ah/-eh ending of every word is dropped ("Jawwasiyah ash Shamaliyah" = "Jawwasia Shamali").
* :func:`letter_key` — between the two: transliteration variants of one sound folded (ei/ay, ou/u, ee/i,
  -iyeh/-iyah, q/k ...) but the vowels' quality kept, to tell sound-alikes apart ("Batireh" is Batirah, not
  Baturu).

Bump :data:`KEY_VERSION` whenever the keys change: the index records it and is rebuilt when it differs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KEY_VERSION = 10

_MARKS = re.compile(r"[\u0027\u0060\u00b4\u2018\u2019\u02bb\u02bc\u02be\u02bf\u02c8\u2032\u02b9\u02ca]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_NON_WORD = re.compile(r"[^0-9a-z\u0600-\u06ff]+")

ARTICLES = frozenset(
    "al el il ul as ash ad ar at az an es esh ed er et ez en ech ec ec ed ath adh".split()
)

# Common words of Syrian place names, in every spelling seen in reports, to one form.
_WORDS: dict[str, str] = {}
for _canon, _variants in {
    "tal": "tal tall tell tel tul til tel",
    "dayr": "dayr deir dair der deyr dier dir",
    "kafr": "kafr kfar kafer kefr kfr kafar kfer kefer kafir",
    "shaykh": "shaykh sheikh shaikh shekh sheik sheykh shiekh sheich cheikh chaikh shykh shaykh",
    "jabal": "jabal jebel jabel jbel djebel jebal jibal gebel",
    "maarat": "maarat maaret maarrat marat maarit maara maarra maaratt maret marret maarret",
    "qalaat": "qalaat qalat kalaat qalaa qalah qal'at",
    "ras": "ras raas",
    "bayt": "bayt beit bait beyt bet beyth",
    "ayn": "ayn ain ein aine ayin en aïn",
    "abu": "abu abou abo",
    "umm": "umm um om oum",
    "khirba": "khirba khirbat khirbet khirbit khurbet kherbet khirbeh khurba",
    "khan": "khan khane",
    "tal_": "",
    "bir": "bir beer bi'r bir",
    "wadi": "wadi wady ouadi oued",
    "qasr": "qasr kasr qsar",
    "hamam": "hammam hamam hamman",
    "marj": "marj marj merj",
    "saghir": "saghir saghira sagheer sghir saghirah saghireh sghireh seghir zghir zghireh small little sughra "
              "soghra sgheer",
    "kabir": "kabir kabira kbir kebir kabeer kabirah kabireh kbireh kebireh big great kubra kobra",
    "sharqi": "sharqi sharqiya sharqiyah sharqiyeh sharqieh sharki sharkiya sharkiyeh charqi charqiyeh eastern east",
    "gharbi": "gharbi gharbiya gharbiyah gharbiyeh gharbieh gharby western west",
    "shamali": "shamali shamaliya shamaliyah shamaliyeh shamalieh chamali northern north",
    "janubi": "janubi janubiya janubiyah janubiyeh janoubi janoubiyeh januby southern south",
    "fawqani": "fawqani fawqaniya fawqaniyah fawqaniyeh fouqani foqani fuqani fauqani",
    "tahtani": "tahtani tahtaniya tahtaniyah tahtaniyeh",
    "mazraa": "mazraa mazraat mazra mazraah mazraet mazret",
}.items():
    for _variant in _variants.split():
        _WORDS[_variant] = _canon
_WORDS.pop("tal_", None)

# Name keys of words that begin many names and never name a place alone.
GENERIC_WORDS = frozenset(set(_WORDS.values()) | {"qaryat", "mazraat", "jisr", "nahr", "sahl", "tall", "harat",
                                                    "hay", "madinat", "sheikh", "khirbat", "arab", "beni", "bani",
                                                    "rasm", "rujm", "jubb"})  # Rasm, Rujm, Jubb: village-site words

# Name keys of the words that begin a name and say what kind of place it is (hill, well, spring, village of,
# monastery, family of ...): a variant spelling keeps that word, only the rest of the name varies.
HEAD_WORDS = frozenset({"tal", "dayr", "kafr", "shaykh", "jabal", "maarat", "qalaat", "ras", "bayt", "ayn", "abu",
                        "umm", "khirba", "khan", "bir", "wadi", "qasr", "hamam", "marj", "mazraa", "rujm", "rasm",
                        "jubb", "albu", "qaryat", "jisr", "nahr", "tulul", "bani", "beni"})

# Feature words that describe the kind of place rather than name it ("Hmeimim air base").
FEATURE_WORDS = frozenset(
    "airbase airport airfield base military camp town village city checkpoint crossing field oilfield "
    "gasfield prison dam bridge station plain neighbourhood neighborhood district hospital port harbour harbor "
    "factory school mosque market square roundabout junction plant refinery "
    "idp idps refugee refugees heliport complex hill hills mountain mount locality pumping mill mills silos farm "
    "مطار قاعدة مخيم حقل سجن معبر سد حاجز مدينة بلدة قرية حي "
    "الجوية الجوي العسكري العسكرية النفطي الغازي الدولي المركزي".split()
)


def _fold_latin(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ı", "i").replace("ø", "o").replace("ß", "ss").replace("ð", "d").replace("þ", "th")
    return text.casefold()


def _fold_arabic(text: str) -> str:
    text = _ARABIC_DIACRITICS.sub("", text)
    for src, dst in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ؤ", "و"),
                     ("ئ", "ي"), ("ء", ""), ("گ", "ك"), ("ک", "ك"), ("ی", "ي")):
        text = text.replace(src, dst)
    return text


def tokens(text: str) -> list[str]:
    """The words of ``text``, folded: lower case, no diacritics or marks, articles split off but kept."""
    if _ARABIC.search(text):
        text = _fold_arabic(text)
        words = [w for w in _NON_WORD.split(unicodedata.normalize("NFKC", text).casefold()) if w]
        out: list[str] = []
        for word in words:
            if word.startswith("وال") and len(word) > 4:
                word = word[3:]
            elif word.startswith("ال") and len(word) > 3:
                word = word[2:]
            out.append(word)
        return out
    text = _MARKS.sub("", _fold_latin(text))
    return [w for w in _NON_WORD.split(text) if w]


_FUSED_ARTICLE = re.compile(r"^(?:[ae]([tdrzsln])\1(?=[a-z]{2})|[ae]l(?=[a-z]{4}))")


def _drop_articles(words: list[str]) -> list[str]:
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i < len(words) - 1)]
    kept = kept or words
    # "Deir Ezzor", "Jazaret Elbuhmeid": an article fused onto a later word.
    return [w if i == 0 else _FUSED_ARTICLE.sub(lambda m: m.group(1) or "", w) for i, w in enumerate(kept)]


@lru_cache(maxsize=65536)
def _key_words(text: str) -> tuple[str, ...]:
    """The words of a name key: folded, articles dropped, common words unified."""
    return tuple(_WORDS.get(w, w) for w in _drop_articles(tokens(text)))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Faithful, spelling-insensitive key: ``"Tall al-Aḥmar"`` and ``"Tell el Ahmar"`` both give ``"talahmar"``."""
    return "".join(_key_words(text))


_SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"dj", "j"), (r"tch", "ch"), (r"ch", "sh"), (r"ph", "f"), (r"gh", "g"), (r"kh", "k"), (r"q", "k"),
        (r"ck", "k"), (r"c", "k"), (r"th", "t"), (r"dh", "d"), (r"zh", "z"), (r"x", "ks"), (r"ou", "u"),
        (r"oo", "u"), (r"ee", "i"),
        (r"i(?=[aeou])", "iy"), (r"iyy(?=[aeiou])", "iy"),         # -ia/-iya/-iyya keep their y: Kafriya is not Kafra
        (r"uw(?=[aeiou])", "u"),                                    # -uwa/-ua
        (r"(?<=[aeiouy])h(?=\b|$)", ""),                            # final h after a vowel (-ah/-eh); a medial h stays
        (r"([a-z])\1+", r"\1"),
        (r"(?<=[aeiou])[wy](?![aeiou])", "a"),                       # diphthongs ay/ey/aw/ow fold to a vowel
        (r"[aeiou]+", "a"), (r"([a-z])\1+", r"\1"),
    )
)


_WORD_FINAL_H = re.compile(r"(?<=[aeiouy])h$")


@lru_cache(maxsize=65536)
def sound_key(text: str) -> str:
    """Looser key folding vowels and digraphs in place: ``"Sanamein"`` and ``"Sanamayn"`` → ``"sanaman"``."""
    key = name_key(text)
    if not key or _ARABIC.search(key):
        return key
    # the -ah / -eh ending of every word, not only of the last ("Jawwasiyah ash Shamaliyah" = "Jawwasia Shamali")
    key = "".join(_WORD_FINAL_H.sub("", w) for w in _key_words(text))
    for pattern, repl in _SOUND_RULES:
        key = pattern.sub(repl, key)
    return key


# Transliteration classes of one Arabic sound, folded while vowel qualities (a / i / u) stay apart: French "dj",
# "ch", "ou"; English "ee", "oo"; "ei"/"ey"/"ai" for the diphthong ay; -iyeh/-iya/-ie; -eh/-ah/-e endings; e for
# a; q written k; doubled letters.
_LETTER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"dj", "j"), (r"tch", "ch"), (r"ch", "sh"), (r"ph", "f"), (r"q", "k"), (r"ck", "k"), (r"c", "k"),
        (r"ou|oo|o", "u"), (r"ee|ea", "i"),
        (r"(?:iyy|iy|i)(?:ah|eh|a|e)$", "iya"), (r"ie$", "iya"),
        (r"ei|ey|ai", "ay"), (r"au", "aw"),
        (r"(?<=[^aeiuy])(?:ah|eh|e)$", "a"),
        (r"e", "a"),
        (r"([a-z])\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def letter_key(key: str) -> str:
    """A name key (:func:`name_key`) with transliteration variants of one sound folded but vowel qualities
    kept: ``"juweinira"`` and ``"juwaynira"`` → ``"juwaynira"``, ``"sokkariyeh"`` → ``"sukariya"``; for
    comparing spellings (``"Mehmediyeh"`` stays unlike ``"Mahmudiyah"``: e is a, but i is not u)."""
    if _ARABIC.search(key):
        return key
    for pattern, repl in _LETTER_RULES:
        key = pattern.sub(repl, key)
    return key


def skeleton(key2: str) -> str:
    """The consonants of a sound key (its folded vowels removed): ``"fatara"`` → ``"ftr"``."""
    return key2.replace("a", "")


def elides(short: str, long: str, most: int = 2) -> bool:
    """True when sound key ``short`` is ``long`` with 1..``most`` of its vowels left out, every consonant in
    order: OCHA/ACLED-style spellings drop short vowels ("Ftireh" ftara / "Fatirah" fatara, "Mhemideh" /
    "Muhaymidah", "Sfuhen" / "Safuhun"), but never move or change a consonant."""
    extra = len(long) - len(short)
    if not 1 <= extra <= most or skeleton(short) != skeleton(long):
        return False
    i = 0
    for char in long:  # ``short`` must be a subsequence of ``long``: only vowels left out, none moved
        if i < len(short) and short[i] == char:
            i += 1
    return i == len(short)


def strip_feature_words(text: str) -> str | None:
    """``text`` without trailing/leading feature words ("Hmeimim air base" → "Hmeimim"), or None if none."""
    words = text.split()
    lowered = [_MARKS.sub("", _fold_latin(w)).strip("-,.") for w in words]
    start, end = 0, len(words)
    while end > start and (lowered[end - 1] in FEATURE_WORDS or lowered[end - 1] in {"air", "the"}):
        end -= 1
    while start < end and lowered[start] in FEATURE_WORDS | {"the", "air"}:
        start += 1
    if (start, end) == (0, len(words)) or start >= end:
        return None
    return " ".join(words[start:end])


def is_word_form(word: str) -> bool:
    """True when ``word`` is one of the spellings that name keys unify ("um" for "umm", "tell" for "tal")."""
    return word in _WORDS


def head_word(text: str) -> str | None:
    """The name key of the first word of a name of two or more words when it is a head word (``HEAD_WORDS``):
    ``"Tell el-Saed"`` → ``"tal"``, ``"Albu Badran"`` → ``"albu"``; None otherwise."""
    words = _drop_articles(tokens(text))
    if len(words) < 2:
        return None
    head = _WORDS.get(words[0], words[0])
    return head if head in HEAD_WORDS else None
