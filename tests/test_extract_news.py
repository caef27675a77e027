"""News-article behaviour of the extractor (issue 15): datelines, speakers, background, claims, one event one
incident, honest fallback. Every sentence here was written for these tests; places are real, events invented."""

from __future__ import annotations

import datetime as dt
import json

from geo.extract import Document, extract, incidents_to_frame
from geo.extract._consolidate import consolidate
from geo.extract._dates import find_dates
from geo.extract._framing import background_clauses, dateline_spans
from geo.extract._model import Incident
from geo.geocode.location import Location

PUB = dt.date(2022, 6, 10)  # a Friday


def _doc(text: str, published: dt.date = PUB) -> Document:
    return Document("news", text, published)


def _loc(name: str, lat: float, lon: float, iso: str | None, kind: str = "place", precision: int = 1,
         region_id: str | None = None) -> Location:
    return Location(name, name, lat, lon, "SY", None, iso, kind, precision, 1.0, region_id)


SARAQIB = _loc("Saraqib", 35.86, 36.80, "SY-ID")
IDLIB_AREA = _loc("Idlib", 35.8, 36.6, "SY-ID", "region", 3, "SY-ID")
NORTH = _loc("Northern Syria (Aleppo, Idlib, Raqqa, Al-Hasakah)", 36.3, 38.2, None, "region", 3, "area:northern-syria")


def _inc(event_type: str, sub: str, loc: Location, precision: int, span: tuple[int, int], **kw) -> Incident:
    return Incident(event_type, sub, kw.pop("kind", "x"), kw.pop("day", dt.date(2022, 6, 6)), location=loc,
                    geo_precision=precision, span=span, excerpt=kw.pop("excerpt", f"passage {span[0]}"), **kw)


# --------------------------------------------------------------------------------------- not events

def test_a_dateline_is_where_the_story_was_filed_not_an_event_place():
    text = ("HOMS, Syria (Wire) - Government jets struck the town of Saraqib in Idlib province on Tuesday, "
            "residents said.")
    assert [text[s:e] for s, e in dateline_spans(text)] == ["HOMS, Syria"]
    incidents = extract(_doc(text))
    assert incidents and all(i.location.admin1_iso == "SY-ID" for i in incidents)


def test_datelines_in_capitals_and_with_agency_are_found_but_sentences_are_not():
    for text, place in (("BEIRUT (Wire) - Clashes", "BEIRUT"), ("AMMAN - Troops", "AMMAN"),
                        ("Ankara, May 3 (Wire) - Shelling", "Ankara"), ("MOSCOW, June 2. /Wire/. The", "MOSCOW")):
        assert [text[s:e] for s, e in dateline_spans(text)] == [place], text
    assert dateline_spans("Syrian forces shelled Hama - killing two.") == []


def test_where_a_speaker_talks_from_is_not_the_event_place():
    text = ("Regime artillery shelled Ariha on Thursday, an activist told reporters by phone from Beirut. "
            "\"Ariha is burning,\" a doctor said in Amman.")
    incidents = extract(_doc(text))
    assert incidents
    assert all(i.location.country == "SY" for i in incidents)


def test_background_clause_is_provenance_not_a_new_incident():
    text = ("Regime forces shelled Ariha on Thursday, killing two civilians. In 2012, the army attacked Hama, "
            "killing dozens of protesters.")
    incidents = extract(_doc(text))
    assert incidents and all(i.event_date.year == 2022 for i in incidents)
    assert not any(i.location and "Hama" in i.location.name for i in incidents)
    kept = incidents[0].flags["not_mapped"]
    assert any(item["why"] == "background" and "2012" in item["text"] for item in kept)


def test_background_covers_its_clause_only():
    text = "In the town, where the protests began in 2011, hundreds demonstrated on Friday."
    start = text.index("in 2011")
    (a, b), = background_clauses(text, [(start, start + len("in 2011"))])
    assert "protests began" in text[a:b] and "demonstrated" not in text[a:b]


def test_since_a_past_month_is_ongoing_now_not_that_month():
    incidents = extract(_doc("Turkish artillery has shelled villages around Tal Tamr in Hasakah since October 2019.",
                             dt.date(2022, 3, 5)))
    assert incidents
    assert incidents[0].event_date >= dt.date(2022, 3, 4)


def test_recent_months_and_years_ago_are_background_dates():
    spans = find_dates("drone attacks rose in recent months; the town fell 11 years ago", PUB)
    assert all(d.end is not None and d.end < PUB - dt.timedelta(days=30) for d in spans)


def test_night_across_midnight_is_a_two_day_span():
    (span,) = find_dates("on the night of 27-28 May", PUB)
    assert (span.start, span.end) == (dt.date(2022, 5, 27), dt.date(2022, 5, 28))


def test_one_sides_claim_of_capture_is_not_mapped_but_kept():
    text = ("Regime forces shelled Ariha on Monday. The rebels claimed to have captured the village of Kafr Nabl on "
            "Monday.")
    incidents = extract(_doc(text))
    assert not any(i.event_type == "Battles" for i in incidents)
    assert any(item["why"] == "unconfirmed claim" for item in incidents[0].flags.get("not_mapped", []))


def test_in_protest_against_is_a_motive_and_taking_to_the_streets_is_a_protest():
    motive = extract(_doc("Tribal fighters attacked SDF positions in Dhiban on Monday in protest against the arrest "
                          "of their commander."))
    assert motive and not any(i.event_type == "Protests" for i in motive)
    street = extract(_doc("Hundreds of people took Friday to the streets of Idlib city against HTS."))
    assert street and street[0].event_type == "Protests"


# --------------------------------------------------------------------------------- one event, one incident

def test_killing_told_apart_from_the_strike_is_the_strike_with_civilian_targeting():
    text = ("Russian jets struck Saraqib on Monday, residents said.\n\n"
            "Four civilians were killed in Saraqib on Monday, the local council said.")
    incidents = extract(_doc(text))
    assert [i.event_type for i in incidents] == ["Explosions/Remote violence"]
    assert incidents[0].flags["civilian_targeting"] == "Civilian targeting"
    assert incidents[0].fatalities == 4
    assert len(incidents[0].flags["excerpts"]) == 2


def test_same_type_place_and_date_merge_keeping_figures_and_excerpts():
    text = ("Clashes erupted between HTS and regime forces in Saraqib on Monday. "
            "On Monday evening, fighting in Saraqib killed five fighters.")
    battles = [i for i in extract(_doc(text)) if i.event_type == "Battles"]
    assert len(battles) == 1
    assert battles[0].fatalities == 5
    assert {e["text"][:8] for e in battles[0].flags["excerpts"]} == {"Clashes ", "On Monda"}


def test_region_incident_beside_a_point_of_its_type_in_the_same_passage_is_dropped():
    point = _inc("Explosions/Remote violence", "Air/drone strike", SARAQIB, 1, (0, 40), count=2)
    region = _inc("Explosions/Remote violence", "Air/drone strike", NORTH, 3, (41, 90), count=20)
    other = _inc("Explosions/Remote violence", "Shelling/artillery/missile attack", NORTH, 3, (91, 120))
    out = consolidate([point, region, other], "x" * 120)
    assert out == [point, other]
    assert point.count == 20 and len(point.flags["excerpts"]) == 2


def test_region_incident_in_another_passage_or_another_region_stays():
    text = "a" * 40 + "\n\n" + "b" * 40 + "\n\n" + "c" * 40 + "\n\n" + "d" * 40
    point = _inc("Explosions/Remote violence", "Air/drone strike", SARAQIB, 1, (0, 40))
    far = _inc("Explosions/Remote violence", "Air/drone strike", NORTH, 3, (126, 166))
    elsewhere = _inc("Explosions/Remote violence", "Air/drone strike",
                     _loc("Daraa", 32.9, 36.2, "SY-DR", "region", 3, "SY-DR"), 3, (42, 82))
    assert consolidate([point, far, elsewhere], text) == [point, far, elsewhere]


def test_different_days_do_not_merge():
    a = _inc("Battles", "Armed clash", SARAQIB, 1, (0, 10), day=dt.date(2022, 6, 1))
    b = _inc("Battles", "Armed clash", SARAQIB, 1, (11, 20), day=dt.date(2022, 6, 5))
    assert consolidate([a, b], "x" * 20) == [a, b]


# ------------------------------------------------------------------------------------------- fallback

def test_unknown_village_is_its_governorate_area_for_review_never_the_capital():
    text = "Regime forces shelled the village of Zzyqwa Tahta in Daraa province on Monday."
    inc = extract(_doc(text))[0]
    assert inc.location.kind == "region" and inc.location.region_id == "SY-DR"
    assert inc.geo_precision == 3 and inc.flags["needs_review"] is True
    extra = json.loads(incidents_to_frame([inc], _doc(text))["extra"][0])
    assert extra["needs_review"] is True
    assert inc.to_json()["needs_review"] is True


def test_a_known_town_needs_no_review():
    inc = extract(_doc("Regime forces shelled the town of Saraqib in Idlib province on Monday."))[0]
    assert inc.geo_precision == 1 and "needs_review" not in inc.flags


def test_a_current_date_keeps_its_clause_current_despite_an_old_detail():
    text = "On 8 May 2021, residents of Saraqib held a vigil against HTS over a man it detained 3 years ago."
    incidents = extract(_doc(text, dt.date(2021, 5, 9)))
    assert incidents and incidents[0].event_type == "Protests"
    assert incidents[0].event_date == dt.date(2021, 5, 8)


def test_part_of_a_governorate_stays_that_part_when_the_village_is_unknown():
    inc = extract(_doc("Regime forces shelled Zzyqwa Tahta in the southern Idlib countryside on Monday."))[0]
    assert inc.location.region_id and inc.location.region_id.startswith("SY-ID:")
    assert inc.flags["needs_review"] is True


def test_what_a_protest_denounces_is_not_a_second_event():
    incidents = extract(_doc("On Friday, dozens of residents staged a demonstration in Saraqib, protesting persistent "
                             "Russian air strikes on their farms."))
    assert [i.event_type for i in incidents] == ["Protests"]


def test_a_capital_standing_for_its_government_is_not_a_place():
    incidents = extract(_doc("On Monday, Ankara announced new air strikes on positions of the SDF near Tal Abyad."))
    assert incidents and all(i.location is None or i.location.country == "SY" for i in incidents)


def test_a_drone_that_killed_is_an_air_strike_but_an_air_force_unit_is_not_a_plane():
    drone = extract(_doc("A Turkish drone on Monday killed two SDF fighters near Qamishli."))
    assert drone and drone[0].sub_event_type == "Air/drone strike"
    unit = extract(_doc("On Monday, two members of the regime's Air Force Intelligence were killed when gunmen opened "
                        "fire on them near Nawa."))
    assert unit and unit[0].sub_event_type != "Air/drone strike"


def test_a_side_stating_it_captured_a_village_is_a_claim():
    text = "Regime forces shelled Ariha on Monday. The SNA stated that it had captured the village of Kafr Nabl."
    assert not any(i.event_type == "Battles" for i in extract(_doc(text)))


def test_a_day_earlier_is_the_day_before_publication():
    (span,) = find_dates("the huge outpouring a day earlier", PUB)
    assert span.start == PUB - dt.timedelta(days=1)


def test_a_list_with_bracketed_governorates_gives_one_protest_per_town():
    text = ("On Friday, protests took place in Saraqib, Binnish and Ariha (Idlib), as well as Azaz and Afrin "
            "(Aleppo).")
    places = {i.location.admin1_iso for i in extract(_doc(text)) if i.event_type == "Protests"}
    protests = [i for i in extract(_doc(text)) if i.event_type == "Protests"]
    assert len(protests) == 5 and places == {"SY-ID", "SY-HL"}
    assert all(i.geo_precision == 1 for i in protests)


def test_a_village_of_rif_dimashq_is_found_in_a_report_about_damascus():
    text = ("Rebels attacked checkpoints north of Damascus on Monday. Clashes continued in the village of Maloula "
            "on Wednesday.")
    battles = [i for i in extract(_doc(text, dt.date(2013, 12, 4))) if i.event_type == "Battles"]
    assert any(i.location is not None and i.location.admin1_iso == "SY-RD" and i.geo_precision == 1 for i in battles)


def test_the_capture_of_a_place_is_a_change_of_territory():
    inc = extract(_doc("The capture of the village of Kafr Nabl by rebels on Tuesday was confirmed by residents."))
    assert inc and inc[0].event_type == "Battles" and "territory" in inc[0].sub_event_type


def test_weapons_named_in_a_handover_are_not_fired():
    incidents = extract(_doc("Rebels in Rastan handed over their heavy weapons on Friday. It included artillery and "
                             "mortars, residents said."))
    assert not any(i.sub_event_type == "Shelling/artillery/missile attack" for i in incidents)


def test_the_fall_of_martyrs_is_not_a_change_of_territory():
    incidents = extract(_doc("Gunmen attacked a checkpoint in Jableh on Thursday. The attack resulted in the fall of "
                             "many martyrs among our forces, the ministry said."))
    assert not any("territory" in i.sub_event_type for i in incidents)


def test_fighters_leaving_under_a_deal_and_control_established_without_fighting_are_transfers():
    left = extract(_doc("On Wednesday, the last rebels in Zabadani left the town on buses under the evacuation deal."))
    assert left and left[0].sub_event_type == "Non-violent transfer of territory"
    control = extract(_doc("The army established full control over the city of Manbij on Tuesday, the ministry said."))
    assert control and control[0].sub_event_type == "Non-violent transfer of territory"
    fought = extract(_doc("After heavy clashes, the army established full control over Saraqib on Tuesday."))
    assert fought and fought[0].event_type == "Battles"


def test_an_earlier_event_recalled_is_not_new():
    text = ("Regime forces shelled Ariha on Monday. Residents feared a repeat of the long siege that killed hundreds "
            "in the town of Saraqib.")
    assert not any(i.location and i.location.name == "Saraqib" for i in extract(_doc(text)))


def test_troop_movements_in_a_news_article_are_context():
    text = ("Regime forces shelled Ariha on Monday. Residents fled north. The army deployed troops to Saraqib on "
            "Monday. Aid groups appealed for help.")
    incidents = extract(_doc(text))
    assert not any(i.sub_event_type == "Change to group/activity" for i in incidents)
    assert any(n["why"] == "movement of forces (context)" for n in incidents[0].flags["not_mapped"])


def test_nights_and_weekday_ranges_are_spans():
    (night,) = find_dates("overnight", PUB)
    assert (night.start, night.end) == (PUB - dt.timedelta(days=1), PUB)
    (week,) = find_dates("from Monday to Wednesday", PUB)
    assert (week.start, week.end) == (dt.date(2022, 6, 6), dt.date(2022, 6, 8))


def test_a_date_told_without_an_event_carries_to_the_next_sentences():
    text = ("The town has seen unrest since the spring. The bombing of a bus near Nawa on June 2 shocked residents.\n\n"
            "On the very same day, gunmen killed a farmer in Jasim.")
    incidents = extract(_doc(text, dt.date(2022, 7, 20)))
    assert incidents and all(i.event_date == dt.date(2022, 6, 2) for i in incidents)
    assert incidents[0].event_type == "Explosions/Remote violence"


def test_an_agency_retelling_a_bombing_as_an_attack_is_the_same_event():
    text = ("A bomb exploded under an army bus near Nawa on Monday, killing five soldiers.\n\n"
            "State media said terrorists targeted a military vehicle near Nawa on Monday.")
    incidents = extract(_doc(text))
    assert [i.event_type for i in incidents] == ["Explosions/Remote violence"]
    assert "civilian_targeting" not in incidents[0].flags


def test_troops_advancing_into_a_village_without_fighting_is_not_a_battle():
    inc = extract(_doc("Israeli soldiers advanced into the village of Jubata al-Khashab on Saturday with five vehicles."))
    assert inc and inc[0].event_type == "Strategic developments"


def test_a_leading_weekday_is_not_an_unknown_place():
    inc = extract(_doc("On Friday, tens of thousands protested in Hama."))[0]
    assert inc.location.kind == "place" and inc.geo_precision == 1 and "needs_review" not in inc.flags


def test_towns_listed_together_keep_their_own_governorates():
    text = "Car bombs rocked Tartous and Jableh on Monday, killing dozens of people."
    isos = {i.location.admin1_iso for i in extract(_doc(text)) if i.event_type == "Explosions/Remote violence"}
    assert isos == {"SY-TA", "SY-LA"}


def test_periodic_clashes_are_a_pattern_not_an_event():
    text = "Regime forces shelled Ariha on Monday. There have been periodic clashes between the two sides in Saraqib."
    assert not any(i.event_type == "Battles" for i in extract(_doc(text)))


def test_an_earlier_event_with_its_own_day_is_kept_but_a_circumstance_is_not():
    dated = extract(_doc("Clashes continued in Saraqib on Wednesday, after regime artillery shelled the town of Ariha "
                         "on Monday."))
    shelling = [i for i in dated if i.event_type == "Explosions/Remote violence"]
    assert len(shelling) == 1 and shelling[0].event_date == dt.date(2022, 6, 6)
    plain = extract(_doc("Clashes continued in Saraqib on Wednesday amid regime shelling."))
    assert [i.event_type for i in plain] == ["Battles"]
