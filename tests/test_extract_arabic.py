"""Arabic reports through the same pipeline (issue 19). Every sentence here was written for these tests; the
places are real, the events invented."""

from __future__ import annotations

import datetime as dt
import json

from geo.extract import Document, extract, incidents_to_frame
from geo.extract._arabic import find_dates, find_triggers, is_arabic
from geo.extract._arabic_places import find_actors, find_fatalities
from geo.extract._text import normalise

PUB = dt.date(2024, 6, 14)  # a Friday


def _doc(text: str, published: dt.date = PUB) -> Document:
    return Document("ar", text, published)


def test_language_is_decided_per_text():
    assert is_arabic("قصفت قوات النظام بلدة سراقب.")
    assert not is_arabic("Regime forces shelled Saraqib (سراقب).")


def test_an_air_strike_in_arabic_gives_the_same_record_as_in_english():
    text = "شنت طائرات حربية روسية أمس غارات جوية على مدينة جسر الشغور في ريف إدلب الغربي، ما أدى إلى مقتل ثلاثة مدنيين."
    (inc,) = extract(_doc(text))
    assert (inc.event_type, inc.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert inc.event_date == PUB - dt.timedelta(days=1)
    assert inc.location.admin1_iso == "SY-ID" and inc.geo_precision == 1
    assert inc.location_text == "جسر الشغور"          # the Arabic original is kept beside the Latin name
    assert inc.location.name.isascii() or inc.location.name[0].isalpha()
    assert inc.actor1 == "Military Forces of Russia (2000-)"
    assert inc.fatalities == 3
    row = incidents_to_frame([inc], _doc(text)).iloc[0]
    assert row["location"] == inc.location.name and json.loads(row["extra"])["location_text"] == "جسر الشغور"


def test_countryside_with_a_direction_is_a_region():
    (inc,) = extract(_doc("قصفت قوات النظام بالمدفعية الثقيلة قرى ريف درعا الشرقي صباح اليوم."))
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    assert inc.location.kind == "region" and inc.location.admin1_iso == "SY-DR" and inc.geo_precision == 3
    assert inc.event_date == PUB
    assert inc.actor1 == "Military Forces of Syria (2000-)"


def test_clashes_protests_and_arrests_map_to_acled_types():
    cases = {
        "اندلعت اشتباكات عنيفة يوم الأربعاء بين قسد وتنظيم داعش في بلدة الشحيل.": ("Battles", "Armed clash"),
        "خرج المئات في مظاهرة احتجاجية اليوم في مدينة السويداء.": ("Protests", "Peaceful protest"),
        "اعتقلت قوات النظام خمسة شبان أمس في مدينة الصنمين.": ("Strategic developments", "Arrests"),
        "انفجرت عبوة ناسفة صباح اليوم بسيارة في مدينة بانياس.": ("Explosions/Remote violence",
                                                             "Remote explosive/landmine/IED"),
    }
    for text, expected in cases.items():
        incidents = extract(_doc(text))
        assert incidents, text
        assert (incidents[0].event_type, incidents[0].sub_event_type) == expected, text


def test_denials_threats_and_plans_are_not_incidents():
    for text in ("نفت وزارة الدفاع أن تكون طائراتها قد شنت غارات على مدينة إدلب أمس.",
                 "هدد الجيش التركي بشن غارات على مدينة منبج.",
                 "تعتزم الفصائل تنظيم مظاهرة في مدينة إدلب يوم الجمعة المقبل."):
        assert not find_triggers(normalise(text)) or not extract(_doc(text)), text


def test_one_sides_claim_of_capture_is_provenance():
    text = "قصفت قوات النظام مدينة أريحا اليوم. وزعمت الفصائل سيطرتها على قرية كفرنبل."
    incidents = extract(_doc(text))
    assert not any(i.event_type == "Battles" for i in incidents)
    assert any(n["why"] == "unconfirmed claim" for n in incidents[0].flags.get("not_mapped", []))


def test_arabic_dates_relative_weekday_months_and_digits():
    got = {d.text: (d.start, d.end) for d in find_dates(normalise(
        "أمس ويوم الثلاثاء و١٢ حزيران/يونيو وخلال اليومين الماضيين و3 آذار 2024 و3 تشرين الأول 2022"), PUB)}
    assert got["أمس"] == (PUB - dt.timedelta(days=1), None)
    assert got["ويوم الثلاثاء"] == (dt.date(2024, 6, 11), None)
    assert got["12 حزيران/يونيو"] == (dt.date(2024, 6, 12), None)
    assert got["اليومين الماضيين"] == (dt.date(2024, 6, 12), dt.date(2024, 6, 13))
    assert got["3 آذار 2024"] == (dt.date(2024, 3, 3), None)
    assert got["3 تشرين الأول 2022"] == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))  # history: a year-long span


def test_background_years_are_not_mapped():
    text = "وكانت قوات النظام قد قصفت مدينة درعا في عام 2018. وقصفت قوات النظام اليوم بلدة الصنمين."
    incidents = extract(_doc(text))
    assert incidents and all(i.event_date == PUB for i in incidents)
    assert all("درعا" != i.location_text for i in incidents)


def test_actor_names_and_epithets_normalise_to_the_actor_table():
    names = {m.entry.name for m in find_actors("قوات الأسد وهيئة تحرير الشام وقسد وتنظيم الدولة والجيش الوطني")}
    assert names == {"Military Forces of Syria (2000-)", "HTS: Hayat Tahrir al Sham", "QSD: Syrian Democratic Forces",
                     "Islamic State (Syria)", "JWS: Syrian National Army"}


def test_fatalities_in_words_and_digits():
    assert find_fatalities("ما أدى إلى مقتل ثلاثة مدنيين") == 3
    assert find_fatalities("مقتل 15 شخصا") == 15
    assert find_fatalities(normalise("مقتل ١٢ عنصرا")) == 12


def test_vowel_marks_do_not_hide_words_and_spans_stay_true():
    text = "قُتِلَ عنصرٌ من قسد اليوم في بلدة الشحيل."
    (inc,) = extract(_doc(text))
    assert inc.event_type == "Battles"
    start, end = inc.span
    assert text[start:end] == inc.excerpt


def test_a_mixed_document_reads_each_sentence_in_its_language():
    text = ("Regime forces shelled Saraqib on Thursday.\n\n"
            "واندلعت اشتباكات اليوم بين قسد وتنظيم داعش في بلدة الشحيل.")
    types = sorted(i.event_type for i in extract(_doc(text)))
    assert types == ["Battles", "Explosions/Remote violence"]


def test_a_windows_1256_report_file_is_read_as_arabic(tmp_path):
    from geo.extract import read_document

    path = tmp_path / "report.txt"
    path.write_bytes("اندلعت اشتباكات اليوم بين قسد وتنظيم داعش في بلدة الشحيل.".encode("cp1256"))
    doc = read_document(path, published="2024-06-14")
    assert "اشتباكات" in doc.text
    assert extract(doc)[0].event_type == "Battles"


def test_the_governorate_named_beside_the_village_of_the_same_event_is_not_a_second_marker():
    text = ("قُتل عنصر من قسد اليوم في دير الزور بعد أن فتح مسلحون النار على سيارته العسكرية.\n\n"
            "وقال المرصد إن مسلحين فتحوا النار اليوم على سيارة عسكرية لقسد في بلدة الشحيل.")
    battles = [i for i in extract(_doc(text)) if i.event_type == "Battles"]
    assert len(battles) == 1 and battles[0].location.name != "Deir ez-Zor"


def test_defusing_attempts_and_foiled_attacks_are_not_weapon_seizures_but_seized_weapons_are():
    tried = "قُتل عنصر من الأمن العام اليوم أثناء محاولة تفكيك عبوة ناسفة في بلدة جديدة عرطوز."
    assert not any(i.sub_event_type == "Disrupted weapons use" for i in extract(_doc(tried)))
    seized = "أحبط الأمن الداخلي اليوم محاولة تهريب أسلحة في مدينة القصير."
    assert any(i.sub_event_type == "Disrupted weapons use" for i in extract(_doc(seized)))


def test_cli_output_keeps_the_arabic_place_beside_the_latin_name():
    inc = extract(_doc("اندلعت اشتباكات اليوم بين قسد وتنظيم داعش في بلدة الشحيل."))[0]
    data = inc.to_json()
    assert data["location_text"] == "الشحيل" and data["location"] == inc.location.name != "الشحيل"


def test_a_word_that_starts_like_a_clitic_is_not_split_and_a_compass_word_ends_a_name():
    text = "وقالت قسد اليوم إن التنظيم هاجم نقطة لقواتها في بلدة البحرة الوسطى شرقي دير الزور، واندلعت مواجهات عنيفة."
    battles = [i for i in extract(_doc(text)) if i.event_type == "Battles"]
    assert len(battles) == 1 and battles[0].location_text.startswith("البحرة")
    assert battles[0].location.admin1_iso == "SY-DY" and battles[0].geo_precision <= 2


def test_who_holds_an_area_is_not_a_capture_and_state_media_is_a_claim_only_when_the_report_distances_itself():
    held = "قتلت غارة للتحالف أمس خمسة مدنيين في مدينة الرقة الخاضعة لسيطرة التنظيم."
    assert [i.event_type for i in extract(_doc(held))] == ["Explosions/Remote violence"]
    distanced = "قالت وكالة سانا إن مجموعة وصفتها بالإرهابية هاجمت حاجزا في مدينة درعا اليوم."
    assert not extract(_doc(distanced))
    plain = "أفادت وكالة سانا بأن مسلحين هاجموا حاجزا للأمن العام قرب مدينة جبلة اليوم."
    assert [i.event_type for i in extract(_doc(plain))] == ["Battles"]


def test_a_square_is_inside_its_town_and_a_ministry_is_not_a_village():
    (protest,) = extract(_doc("تجمع المئات من المتظاهرين اليوم في ساحة الكرامة بمركز محافظة السويداء."))
    assert protest.event_type == "Protests" and protest.location.admin1_iso == "SY-SU"
    assert protest.location.kind == "place" and protest.geo_precision <= 2
    talks = extract(_doc("التقى وفد من وزارة الخارجية اليوم نظيره الروسي في العاصمة الروسية موسكو."))
    assert all(i.location is None or i.location.country != "SY" for i in talks)


def test_towns_listed_with_and_each_get_their_incident():
    places = {i.location_text for i in extract(_doc("خرجت مظاهرات اليوم في مدن إدلب، وبنش، وسرمدا."))}
    assert places == {"إدلب", "بنش", "سرمدا"}


def test_common_words_after_a_weak_cue_are_not_villages():
    # "بجروح" (with wounds), "بأكثر" (with more than) are words, though hamlets are spelled like them
    text = "قصفت قوات النظام أمس بلدة طفس بأكثر من عشرين قذيفة، وأصيب ثلاثة مدنيين بجروح."
    incidents = extract(_doc(text))
    assert [(i.location.admin1_iso, i.location_text) for i in incidents] == [("SY-DR", "طفس")]


def test_a_list_after_a_weak_cue_stays_weak():
    # "بين بوتين، والشيباني": people listed after "between" are not places, not even a hamlet of that spelling
    text = "عقد أمس لقاء بين بوتين، والشيباني، ثم قصفت طائرات روسية مدينة جسر الشغور."
    places = {i.location_text for i in extract(_doc(text))}
    assert "الشيباني" not in places and "جسر الشغور" in places
