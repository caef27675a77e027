"""Text -> incidents: event types, actors, dates, places, counts, non-events and provenance.

Fixtures under tests/fixtures/reports/ are invented reports written for these tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import InputError
from geo.extract import Document, extract, extract_records, incidents_to_frame, read_document
from geo.extract._actors import find_actors, find_people
from geo.extract._counts import find_count, find_fatalities
from geo.extract._dates import find_dates
from geo.geocode.location import Location
from geo.schema import COLUMNS, validate_record

REPORTS = Path(__file__).parent / "fixtures" / "reports"
SYRIA = "Military Forces of Syria (2000-)"
RUSSIA = "Military Forces of Russia (2000-)"


def _doc(text: str, published: dt.date = dt.date(2021, 5, 20), doc_id: str = "t") -> Document:
    return Document(doc_id, text, published)


class FakeGeocoder:
    """Knows a handful of names; records every query with its context."""

    PLACES = {
        "al-bukamal": (34.45, 40.92, "Deir ez-Zor", "SY-DY"),
        "nawa": (32.89, 36.04, "Daraa", "SY-DR"),
        "amman": (31.95, 35.93, None, None),
        "saraqib": (35.86, 36.80, "Idlib", "SY-ID"),
        "deir-ez-zor": (35.33, 40.14, "Deir ez-Zor", "SY-DY"),
    }

    def __init__(self) -> None:
        self.queries: list[tuple[str, str | None]] = []

    def geocode(self, query: str, context: str | None = None) -> Location | None:
        self.queries.append((query, context))
        hit = self.PLACES.get(query.lower())
        if hit is None:
            return None
        lat, lon, admin1, iso = hit
        return Location(query, query, lat, lon, "SY" if iso else "JO", admin1, iso, "place", 1, 1.0)


# ------------------------------------------------------------------------------------------- the report

@pytest.fixture(scope="module")
def izra() -> tuple[Document, list]:
    doc = read_document(REPORTS / "izra_officers_meeting.txt", published="2021-05-20")
    return doc, extract(doc)


def test_report_main_event_is_the_meeting_between_russian_and_syrian_officers(izra):
    doc, incidents = izra
    main = incidents[0]
    assert main.kind == "meeting"
    assert (main.event_type, main.sub_event_type) == ("Strategic developments", "Other")
    assert {main.actor1, main.actor2} == {RUSSIA, SYRIA}
    assert main.location is not None and main.location.admin1_iso == "SY-DR"
    assert main.location.name.startswith("Izra")
    assert main.geo_precision == 1


def test_named_officers_are_details_not_actors(izra):
    _, incidents = izra
    people = {p.name: p for p in incidents[0].people}
    assert people["Samir Haddad"].actor == SYRIA + " 4th Armored Division"
    assert "Fourth Division" in people["Samir Haddad"].role
    assert people["Fadi Nasser"].actor == SYRIA + " Air Force Intelligence Directorate"
    # the unit and the town a named officer serves in are not the meeting's actors or place
    assert incidents[0].assoc_actor_1 is None
    assert incidents[0].location.admin1_iso != "SY-QU"


def test_regime_air_raids_are_a_region_level_span_with_a_lower_bound_count(izra):
    _, incidents = izra
    air = [i for i in incidents if i.kind == "air strike"]
    assert len(air) == 1
    strike = air[0]
    assert strike.sub_event_type == "Air/drone strike"
    assert strike.actor1 == SYRIA
    assert strike.count == 15
    assert strike.location.region_id == "SY-DR" and strike.geo_precision == 3
    assert (strike.event_date, strike.date_end, strike.time_precision) == (
        dt.date(2021, 5, 17), dt.date(2021, 5, 19), 2)


def test_rocket_fire_in_the_south_is_shelling_in_southern_syria(izra):
    _, incidents = izra
    shelling = [i for i in incidents if i.kind == "shelling"]
    assert len(shelling) == 1
    assert shelling[0].sub_event_type == "Shelling/artillery/missile attack"
    assert shelling[0].location.region_id == "area:southern-syria"
    assert shelling[0].geo_precision == 3


def test_calls_fears_and_old_agreements_are_not_mapped(izra):
    _, incidents = izra
    assert len(incidents) == 3
    for inc in incidents:
        assert inc.location.country == "SY"
        assert inc.kind != "agreement"
        assert "called for" not in inc.excerpt and "feared" not in inc.excerpt


def test_every_excerpt_is_the_text_at_its_span(izra):
    doc, incidents = izra
    for inc in incidents:
        start, end = inc.span
        assert doc.text[start:end] == inc.excerpt
        assert 0.0 < inc.confidence <= 1.0


# ------------------------------------------------------------------------------------------- event types

@pytest.mark.parametrize("text, sub_type, kind, actor1", [
    ("On 12 March 2021, Russian warplanes carried out several airstrikes on the outskirts of Kafr Nabl in "
     "southern Idleb countryside.", "Air/drone strike", "air strike", RUSSIA),
    ("On 14 February 2021, a Turkish drone struck a QSD vehicle near Ain Issa in Ar-Raqqa, killing 2 QSD fighters.",
     "Air/drone strike", "drone strike", "Military Forces of Turkey (2016-)"),
    ("On 3 June 2021, regime helicopters dropped barrel bombs on Kansafra in Idleb.", "Air/drone strike",
     "air strike", SYRIA),
    ("On 18 January 2021, Turkish forces shelled the village of Tal Rifaat in northern Aleppo countryside.",
     "Shelling/artillery/missile attack", "shelling", "Military Forces of Turkey (2016-)"),
    ("On 10 January 2021, a car bomb exploded in the centre of Afrin, killing 4 civilians.",
     "Remote explosive/landmine/IED", "explosion", "Unidentified Armed Group (Syria)"),
    ("On 5 May 2021, HTS fighters clashed with Hurras al Din members near Darkush in Idleb.", "Armed clash",
     "clash", "HTS: Hayat Tahrir al Sham"),
    ("On 16 September 2021, ISIS cells attacked a regime checkpoint near Al-Mayadin, killing 3 soldiers.",
     "Armed clash", "clash", "Islamic State (Syria)"),
    ("On 4 March 2021, unidentified gunmen shot dead a shepherd near Jasim in Dar'a.", "Attack", "attack",
     "Unidentified Armed Group (Syria)"),
    ("On 11 October 2021, IS militants kidnapped a shepherd near Al Sukhnah in Homs.",
     "Abduction/forced disappearance", "abduction", "Islamic State (Syria)"),
    ("On 9 September 2021, regime forces arrested 5 young men at a checkpoint in Nawa in Dar'a.", "Arrests",
     "arrest", SYRIA),
    ("On 7 June 2021, the SDF arrested 12 people in Thiban in Deir-ez-Zor.", "Abduction/forced disappearance",
     "abduction", "QSD: Syrian Democratic Forces"),
    ("On 15 March 2021, hundreds of people demonstrated in Idlib city against HTS.", "Peaceful protest", "protest",
     "Protesters (Syria)"),
    ("On 6 August 2021, government forces regained control of the village of Sheikh Maskin.",
     "Government regains territory", "territory change", SYRIA),
    ("On 9 October 2021, US forces established a new base near Al-Shaddadi in al-Hasakeh.",
     "Headquarters or base established", "base", "Global Coalition Against Daesh"),
    ("On 21 June 2021, Hezbollah fighters brought reinforcements to Al-Qusayr in Homs countryside.",
     "Change to group/activity", "reinforcement", "Hezbollah"),
    ("On 30 June 2021, Russian and Turkish forces conducted a joint patrol near Ariha in Idleb.",
     "Change to group/activity", "patrol", RUSSIA),
    ("On 8 April 2021, Turkey-backed factions looted houses in the village of Jindires in Afrin countryside.",
     "Looting/property destruction", "looting", "Opposition Rebels (Syria)"),
    ("Looting: On 2 May 2021, members of the Hamza Division imposed royalties on farmers in Afrin.",
     "Looting/property destruction", "looting", "Hamza Division - Aleppo"),
    ("On 5 May 2021, a vehicle belonging to a Russian patrol was damaged by an IED explosion near Ariha in Idleb.",
     "Remote explosive/landmine/IED", "explosion", "Unidentified Armed Group (Syria)"),
    ("On 5 May 2021, regime security forces dispersed a demonstration in Tafas in Dar'a with live ammunition, "
     "killing a protester.", "Excessive force against protesters", "protest", "Protesters (Syria)"),
    ("On 8 May 2021, Turkish forces built a new military post near Mastumeh in Idleb.",
     "Headquarters or base established", "base", "Military Forces of Turkey (2016-)"),
    ("On 4 May 2021, clashes erupted between the QSD and the regime's National Defense Forces in Qamishli.",
     "Armed clash", "clash", "QSD: Syrian Democratic Forces"),
    ("On 3 May 2021, residents of Manbij protested against the QSD conscription campaign.", "Peaceful protest",
     "protest", "Protesters (Syria)"),
    ("On 3 May 2021, an IED planted near Al-Busayrah in Deir-ez-Zor was dismantled by QSD engineers.",
     "Disrupted weapons use", "weapons seized", "QSD: Syrian Democratic Forces"),
    ("On 3 May 2021, QSD handed over several positions near Manbij in Aleppo to regime forces.",
     "Non-violent transfer of territory", "territory change", "QSD: Syrian Democratic Forces"),
])
def test_event_type_kind_and_acting_actor(text, sub_type, kind, actor1):
    incidents = extract(_doc(text, dt.date(2021, 12, 31)))
    assert incidents, text
    main = incidents[0]
    assert (main.sub_event_type, main.kind, main.actor1) == (sub_type, kind, actor1)
    assert main.location is not None and main.location.country == "SY"


def test_victim_decides_between_attack_and_clash():
    civil = extract(_doc("On 3 May 2021, gunmen shot and killed a man in Tafas in Dar'a."))[0]
    armed = extract(_doc("On 3 May 2021, gunmen shot and killed a QSD fighter in Tafas in Dar'a."))[0]
    assert (civil.event_type, civil.actor2) == ("Violence against civilians", "Civilians (Syria)")
    assert (armed.event_type, armed.actor2) == ("Battles", "QSD: Syrian Democratic Forces")


def test_umbrella_operation_is_the_acting_actor_and_partners_are_associated():
    text = "On 8 May 2021, Turkish troops together with factions operating under OPS shelled Tal Tamer in al-Hasakeh."
    inc = extract(_doc(text))[0]
    assert inc.actor1 == "Operation Peace Spring"
    assert "Military Forces of Turkey (2016-)" in inc.assoc_actor_1


def test_clash_between_families_is_a_communal_militia_named_after_the_town():
    inc = extract(_doc("On 4 May 2021, a feud between rival families in Tafas in Dar'a turned into armed clashes."))[0]
    assert inc.actor1 == inc.actor2 == "Tafas Communal Militia (Syria)"


def test_one_incident_per_listed_place():
    incidents = extract(_doc("On 2 May 2021, regime forces shelled Zardana, Mastumah and Binnish in Idleb."))
    assert [i.kind for i in incidents] == ["shelling"] * 3
    assert len({i.location.name for i in incidents}) == 3
    assert all(i.location.admin1_iso == "SY-ID" and i.actor1 == SYRIA for i in incidents)
    assert len({i.excerpt for i in incidents}) == 1


def test_a_later_sentence_gives_the_places_of_a_vaguely_located_event():
    text = ("Government warplanes pounded villages in the northwest on Sunday, killing at least nine civilians. "
            "The strikes hit the towns of Maarat al-Numan and Kafranbel in Idlib province.")
    incidents = extract(_doc(text))
    assert [i.kind for i in incidents] == ["air strike", "air strike"]
    assert all(i.geo_precision == 1 and i.location.admin1_iso == "SY-ID" for i in incidents)
    assert incidents[0].actor1 == SYRIA and incidents[0].fatalities == 9
    assert incidents[1].fatalities is None          # the toll is not repeated for every place
    assert incidents[0].event_date == dt.date(2021, 5, 16)


def test_unit_names_are_not_swallowed_by_generic_force_words():
    names = [m.entry.name for m in find_actors("the regime's Military Intelligence and the Syrian air force "
                                               "intelligence raided homes")]
    assert names == [SYRIA, SYRIA + " Military Intelligence", SYRIA + " Air Force Intelligence Directorate"]


# ------------------------------------------------------------------------------------------- non-events

@pytest.mark.parametrize("text", [
    "The United States has called for an urgent meeting in Amman to discuss the escalation.",
    "ISIS has threatened to attack checkpoints in Thiban in Deir-ez-Zor.",
    "The Turkish army denied shelling Tal Abyad in Ar-Raqqa.",
    "Russia plans to establish a new base near Qamishli in al-Hasakeh.",
    "Activists warned of possible airstrikes on Saraqib in Idleb.",
    "No arrests or clashes were reported in Saraqib in Idleb.",
])
def test_called_for_threatened_denied_or_planned_is_not_an_incident(text):
    assert extract(_doc(text)) == []


# ------------------------------------------------------------------------------------------- places

def test_location_is_where_it_happened_with_the_governorate_as_context():
    fake = FakeGeocoder()
    text = "On 11 June 2021, Coalition warplanes carried out airstrikes near al-Bukamal in Deir-ez-Zor."
    inc = extract(_doc(text), geocoder=fake)[0]
    assert inc.location.name == "al-Bukamal"
    assert inc.geo_precision == 2  # "near" a town
    assert ("al-Bukamal", "Deir ez-Zor") in fake.queries


def test_where_a_source_is_based_is_not_the_location():
    fake = FakeGeocoder()
    text = "Activists based in Amman said that regime forces shelled Nawa in Dar'a on Monday."
    inc = extract(_doc(text), geocoder=fake)[0]
    assert inc.location.name == "Nawa"
    assert inc.actor1 == SYRIA


def test_circumstances_of_a_clash_are_context_but_a_meetings_cause_is_an_event():
    clash = extract(_doc("On 2 May 2021, clashes took place between regime forces and rebels near Tafas in Dar'a "
                         "amid regime shelling on the area."))
    assert [i.kind for i in clash] == ["clash"]
    talks = extract(_doc("Russian and Syrian officers met in Izra on Monday. The meeting came after regime warplanes "
                         "carried out more than 12 air raids on the Daraa countryside over the last two days."))
    assert [i.kind for i in talks] == ["meeting", "air strike"]
    assert talks[1].count == 12 and talks[1].location.region_id == "SY-DR"


def test_a_pronoun_sentence_completes_the_event_instead_of_adding_one():
    text = ("On 2 May 2021, a regime soldier was found dead near Nawa in Dar'a. "
            "Members of Jaysh al Islam are believed to have killed him in the town of Jasim.")
    incidents = extract(_doc(text))
    assert len(incidents) == 1
    assert {incidents[0].actor1, incidents[0].actor2} == {SYRIA, "Jaysh al Islam"}


def test_a_heading_above_the_first_sentence_does_not_change_who_acted():
    text = "Shelling on Jabal al-Zawiya\n\nRegime forces shelled Kansafra in Idlib on Saturday."
    inc = extract(_doc(text))[0]
    assert (inc.kind, inc.actor1, inc.event_date) == ("shelling", SYRIA, dt.date(2021, 5, 15))


def test_control_adjectives_are_not_part_of_place_names():
    for text in ("On 3 May 2021, regime forces shelled villages in HTS-held Idlib.",
                 "On 3 May 2021, Russian jets struck targets in opposition-controlled Jisr al-Shughur during Ramadan."):
        inc = extract(_doc(text))[0]
        assert inc.location is not None and inc.location.admin1_iso == "SY-ID" and inc.geo_precision == 1, text


def test_unknown_village_falls_back_to_its_governorate_with_region_precision():
    fake = FakeGeocoder()
    inc = extract(_doc("On 2 May 2021, regime forces shelled Khirbet Zzzq in Deir-ez-Zor."), geocoder=fake)[0]
    assert ("Khirbet Zzzq", "Deir ez-Zor") in fake.queries
    assert inc.location.name == "Deir-ez-Zor" and inc.geo_precision == 3


def test_near_counts_only_when_it_governs_the_place_name():
    inside = extract(_doc("On 8 May 2021, a motorcycle bomb exploded near a bakery in Ras al Ain city, killing 4 civilians."))
    beside = extract(_doc("On 8 May 2021, a motorcycle bomb exploded near Ras al Ain, killing 4 civilians."))
    assert inside[0].geo_precision == 1 and beside[0].geo_precision == 2
    assert inside[0].fatalities == 4


def test_without_any_geocoder_incidents_keep_no_coordinates():
    inc = extract(_doc("On 2 May 2021, regime forces shelled Saraqib in Idleb."), geocoder=False)[0]
    assert inc.location is None and inc.kind == "shelling"


# ------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("phrase, start, end, precision", [
    ("On 9 May 2020", dt.date(2020, 5, 9), None, 1),
    ("on 3/4/2021", dt.date(2021, 4, 3), None, 1),
    ("yesterday", dt.date(2021, 5, 19), None, 1),
    ("on Tuesday", dt.date(2021, 5, 18), None, 1),          # 2021-05-20 is a Thursday
    ("over the last two days", dt.date(2021, 5, 18), dt.date(2021, 5, 19), 2),
    ("last week", dt.date(2021, 5, 10), dt.date(2021, 5, 16), 2),
    ("last month", dt.date(2021, 4, 1), dt.date(2021, 4, 30), 3),
    ("on May 2", dt.date(2021, 5, 2), None, 1),
    ("on 25 December", dt.date(2020, 12, 25), None, 1),      # no year and later than publication: last year
    ("between 1 and 3 May 2021", dt.date(2021, 5, 1), dt.date(2021, 5, 3), 2),
])
def test_dates_resolve_against_the_publication_date(phrase, start, end, precision):
    found = find_dates(f"Something happened {phrase} in the town.", dt.date(2021, 5, 20))
    assert found, phrase
    assert (found[0].start, found[0].end, found[0].precision) == (start, end, precision)


# ------------------------------------------------------------------------------------------- counts

def test_counts_and_fatalities():
    assert find_count("with more than 20 air raids over the last two days") == 20
    assert find_count("carried out two airstrikes on the outskirts") == 2
    assert find_count("On 14 February 2021, a Turkish drone struck") is None
    assert find_fatalities("killing 11 regime soldiers and loyalists") == 11
    assert find_fatalities("2 children were killed when a landmine exploded") == 2
    assert find_fatalities("Neither fatalities nor injuries were reported.") == 0
    assert find_fatalities("Unknown fatalities coded as 10.") == 10
    assert find_fatalities("gunmen shot and killed a civilian") == 1
    assert find_fatalities("shelled the town, killing a woman and her child") == 2


# ------------------------------------------------------------------------------------------- actors

@pytest.mark.parametrize("phrase, name", [
    ("regime forces", SYRIA), ("the Syrian army", SYRIA), ("Assad forces", SYRIA),
    ("the Fourth Division", SYRIA + " 4th Armored Division"), ("Russian officers", RUSSIA),
    ("Russian warplanes", RUSSIA), ("Russian military police", RUSSIA + " Military Police"),
    ("the IRGC", "Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps"),
    ("Iranian militias", "Militia (Pro-Iran)"), ("HTS", "HTS: Hayat Tahrir al Sham"),
    ("the SDF", "QSD: Syrian Democratic Forces"), ("ISIS", "Islamic State (Syria)"),
    ("the Syrian National Army", "JWS: Syrian National Army"), ("the US-led coalition", "Global Coalition Against Daesh"),
    ("Israeli jets", "Military Forces of Israel (2009-)"), ("the Jordanian army", "Military Forces of Jordan (1999-)"),
    ("unidentified gunmen", "Unidentified Armed Group (Syria)"),
])
def test_actor_aliases_normalise_to_acled_names(phrase, name):
    found = find_actors(f"Reports say {phrase} were involved.")
    assert [m.entry.name for m in found] == [name]


def test_the_word_is_is_not_the_islamic_state():
    found = find_actors("The situation is calm and IS fighters withdrew.")
    assert [m.entry.name for m in found] == ["Islamic State (Syria)"] and found[0].text.startswith("IS")
    assert len(find_actors("The situation is calm.")) == 0


def test_people_keep_rank_name_and_unit():
    people = find_people("officers such as Col. Hani Saleh, commander of the Fourth Division, attended")
    assert people[0].name == "Hani Saleh" and people[0].title == "Col."
    assert people[0].actor == SYRIA + " 4th Armored Division"


# ------------------------------------------------------------------------------------------- documents

def test_html_keeps_the_article_and_drops_navigation_and_boilerplate():
    doc = read_document(REPORTS / "dael_clashes.html")
    assert doc.published == dt.date(2021, 3, 18)
    assert doc.title == "Gunmen and regime soldiers clash in Dael"
    assert "Unidentified gunmen clashed" in doc.text
    for noise in ("Air strikes pound Aleppo", "Copyright", "tracker", "Israeli jets", "Protests in Homs"):
        assert noise not in doc.text
    incidents = extract(doc)
    assert [i.kind for i in incidents] == ["clash", "arrest"]
    assert incidents[0].event_date == dt.date(2021, 3, 16)   # "on Tuesday" before Thursday 18 March
    assert incidents[0].fatalities == 2
    assert incidents[1].event_date == dt.date(2021, 3, 17)   # "yesterday"
    assert incidents[1].actor1 == SYRIA + " Military Intelligence"


def test_markdown_front_matter_gives_date_title_and_url_and_offsets_stay_true():
    doc = read_document(REPORTS / "raqqa_notes.md")
    assert (doc.published, doc.title, doc.url) == (dt.date(2021, 6, 12), "Weekly notes, Raqqa and Deir-ez-Zor",
                                                    "https://example.org/notes/raqqa")
    incidents = extract(doc)
    assert [i.kind for i in incidents] == ["explosion", "air strike"]   # threats and denials skipped
    raw = (REPORTS / "raqqa_notes.md").read_text(encoding="utf-8")
    for inc in incidents:
        assert raw[inc.span[0]:inc.span[1]] == inc.excerpt
    assert incidents[1].count == 2 and incidents[1].location.admin1_iso == "SY-DY"


def test_missing_publication_date_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("Regime forces shelled Saraqib in Idleb.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_document(path)
    assert "undated.txt" in str(err.value) and "published" in str(err.value)
    assert read_document(path, published="2021-02-01").published == dt.date(2021, 2, 1)


def test_date_line_in_plain_text_is_the_publication_date(tmp_path):
    path = tmp_path / "dated.txt"
    path.write_text("Published: 7 April 2021\n\nRegime forces shelled Saraqib in Idleb yesterday.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.published == dt.date(2021, 4, 7)
    assert extract(doc)[0].event_date == dt.date(2021, 4, 6)


def test_unsupported_file_type_is_rejected(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="report.pdf"):
        read_document(path)


# ------------------------------------------------------------------------------------------- records

def test_frame_has_the_schema_columns_stable_ids_and_valid_records(izra):
    doc, incidents = izra
    frame = incidents_to_frame(incidents, doc)
    assert tuple(frame.columns) == COLUMNS
    assert list(frame["event_id"]) == [f"doc:{doc.id}:{n}" for n in range(1, len(incidents) + 1)]
    assert set(frame["doc_id"]) == {doc.id}
    assert frame.loc[0, "notes"] == incidents[0].excerpt and frame.loc[0, "span"] == incidents[0].span_text
    extra = json.loads(frame.loc[0, "extra"])
    assert {p["name"] for p in extra["people"]} == {"Samir Haddad", "Fadi Nasser"}
    for record in frame.to_dict("records"):
        clean = {k: (None if v is None or (isinstance(v, float) and v != v) or v is __import__("pandas").NA else v)
                 for k, v in record.items()}
        for key in ("time_precision", "geo_precision", "fatalities", "count"):
            clean[key] = int(clean[key]) if clean[key] is not None else None
        assert validate_record(clean, today=dt.date(2030, 1, 1)) == []


def test_extract_records_from_text_is_repeatable():
    text = "On 2 May 2021, regime forces shelled Saraqib in Idleb. No casualties were reported."
    first = extract_records(text, published="2021-05-02")
    second = extract_records(text, published=dt.date(2021, 5, 2))
    assert list(first["event_id"]) == list(second["event_id"])
    assert first.loc[0, "kind"] == "shelling" and first.loc[0, "fatalities"] == 0
    with pytest.raises(InputError):
        extract_records("Regime forces shelled Saraqib.")


def test_extract_records_reads_html_and_its_date_when_given_markup():
    markup = (REPORTS / "dael_clashes.html").read_text(encoding="utf-8")
    frame = extract_records(markup, doc_id="dael")
    assert list(frame["kind"]) == ["clash", "arrest"]
    assert list(frame["event_id"]) == ["doc:dael:1", "doc:dael:2"]
    assert frame.loc[0, "source"] == "Gunmen and regime soldiers clash in Dael"
    assert not frame["notes"].str.contains("<").any()


_WORDS = ("On 9 May 2020, regime forces shelled Tafas in Dar'a . killing 3 civilians yesterday the meeting "
          "called for Amman clashes between QSD and IS near al-Bukamal IED exploded protesters Russian warplanes "
          "20 air raids over the last two days , Gen. Ali Hasan commander of the Fourth Division Looting: in "
          "the south Daraa countryside 3/4/2020 on Tuesday No fatalities were reported \n").split(" ")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
def test_any_text_gives_well_formed_incidents(words, published):
    text = " ".join(words)
    from geo import taxonomy

    for inc in extract(Document("h", text, published), geocoder=FakeGeocoder()):
        assert text[inc.span[0]:inc.span[1]] == inc.excerpt
        assert inc.event_date <= published + dt.timedelta(days=1)
        assert inc.date_end is None or inc.event_date <= inc.date_end <= published + dt.timedelta(days=1)
        assert taxonomy.lookup_sub_type(inc.sub_event_type).event_type == inc.event_type
        assert inc.time_precision in (1, 2, 3)



def test_a_clinic_or_hospital_in_a_town_is_where_a_raid_happened():
    (inc,) = extract(_doc("On 18 May 2021, intelligence agents raided a clinic in the town of Kafr Batna, "
                          "detaining two doctors."))
    assert inc.location.admin1_iso == "SY-RD" and inc.location_text == "Kafr Batna" and inc.geo_precision == 1


def test_the_town_of_the_hospital_a_victim_was_taken_to_is_not_the_event_place():
    text = ("On 18 May 2021, shelling hit Tafas, wounding a woman who died on the way to a hospital in "
            "Damascus.")
    places = [i.location_text for i in extract(_doc(text))]
    assert places == ["Tafas"]


def test_an_event_sentence_without_a_place_takes_the_place_of_the_sentence_before():
    told = "On 18 May 2021, intelligence agents searched the houses of the town of Kafr Batna. Twelve men were arrested."
    (inc,) = extract(_doc(told))
    assert (inc.sub_event_type, inc.location_text, inc.geo_precision) == ("Arrests", "Kafr Batna", 1)
    # not across a paragraph, and not after "Elsewhere"
    for other in (told.replace(". Twelve", ".\n\nTwelve"), told.replace("Twelve", "Elsewhere, twelve")):
        (inc,) = extract(_doc(other))
        assert inc.location_text != "Kafr Batna"


def test_governorate_spellings_outside_the_table_still_name_the_governorate():
    from geo.admin1 import resolve_admin1

    for spelling, iso in (("Deir e-Zor", "SY-DY"), ("Deir al-Zor", "SY-DY"), ("Hassakah", "SY-HA"),
                          ("Tartoos", "SY-TA"), ("Quneitrah", "SY-QU")):
        assert resolve_admin1(spelling).iso == iso, spelling
    # short consonant runs are ordinary words too: never a governorate by their consonants alone
    assert resolve_admin1("Home") is None and resolve_admin1("Door") is None and resolve_admin1("Hum") is None
    (inc,) = extract(_doc("On 18 May 2021, shelling hit villages in the eastern countryside of Deir e-Zor."))
    assert inc.location.admin1_iso == "SY-DY" and inc.geo_precision == 3


def test_a_governorate_spelled_otherwise_in_a_list_of_towns_is_its_capital():
    # "Dera" (Daraa) among towns of other governorates: never a look-alike village of the document's governorate
    text = "On 18 May 2021, protests took place in Binnish, as well as Suwayda and Dera."
    places = sorted((i.location.admin1_iso, i.geo_precision) for i in extract(_doc(text)))
    assert places == [("SY-DR", 1), ("SY-ID", 1), ("SY-SU", 1)], places
    from geo.geocode import get_geocoder

    assert get_geocoder().geocode("Daraa", context="Idlib").admin1_iso == "SY-DR"
