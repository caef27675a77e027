"""Text plumbing: offset-preserving normalisation and sentence splitting with character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One character in, one character out, so spans found in the normalised text are spans of the original.
_ONE_TO_ONE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-",
    "\u2011": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    # Arabic punctuation and Arabic-Indic / Persian digits
    "\u060c": ",", "\u061b": ";", "\u061f": "?", "\u066b": ".", "\u066c": ",",
    **{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)},
    "\u00ab": '"', "\u00bb": '"',
})

_ABBREVIATIONS = {
    "gen", "col", "lt", "maj", "brig", "capt", "sgt", "dr", "mr", "mrs", "ms", "st", "no", "vs", "eg",
    "ie", "us", "un", "km", "approx", "jr", "sr", "mt", "cpl", "pvt", "adm", "gov", "sen", "rep", "prof",
    "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "etc", "al", "lieut", "cmdr", "u.s", "u.n",
}
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u0600-\u06FF])")
_HEADING_END = re.compile(r"[.!\]\"')]\s*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: its text and where it starts in the document."""

    start: int
    end: int
    text: str
    heading: bool = False


def normalise(text: str) -> str:
    """Same-length normalisation (quotes, dashes, odd spaces) so offsets stay valid."""
    return text.translate(_ONE_TO_ONE)


def _is_abbreviation(block: str, dot: int) -> bool:
    word = re.search(r"(?:^|[\s(])([A-Za-z.]+)$", block[:dot])
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.endswith("?"):
        return True
    return not _HEADING_END.search(stripped) and len(stripped.split()) < 30


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (already normalised) with spans; lines without end punctuation are headings."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        heading = _is_heading(line)
        start = 0
        for match in _BOUNDARY.finditer(line):
            dot = match.start()
            if line[dot] == "." and _is_abbreviation(line, dot):
                continue
            _append(sentences, line, line_start, start, match.end(), heading)
            start = match.end()
        _append(sentences, line, line_start, start, len(line), heading)
    return sentences


def _append(out: list[Sentence], line: str, base: int, start: int, end: int, heading: bool) -> None:
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        out.append(Sentence(base + start + lead, base + start + lead + len(piece), piece, heading))
