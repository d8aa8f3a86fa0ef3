"""The export page names its filters in words and says when a value matches nothing
(issue 11, item 13)."""

from __future__ import annotations

import re


def _text(page) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.data.decode()).split())


def test_the_filters_are_named_in_words(world, as_role, make_alumnus):
    make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2021, country="TH")
    world.programme.name = "Diploma in Information Technology"
    from app.extensions import db

    db.session.commit()
    page = as_role("quality").get(
        f"/imports/export?programme={world.programme.id}&cohort=2021&status=active&country=TH")
    text = _text(page)
    assert "1 alumnus matches these filters:" in text
    assert "Programme: DIT — Diploma in Information Technology" in text
    assert "Cohort: 2021" in text and "Status: Active" in text and "Country: Thailand" in text
    assert f"programme: {world.programme.id}" not in text  # no raw ids


def test_a_filter_that_matches_nothing_is_said_and_never_exports_everything(
        world, as_role, make_alumnus):
    make_alumnus(world.home, cohort_year=2021)
    client = as_role("officer")
    for query, said in [
        ("programme=abc", "The programme filter “abc” matches no programme you can see."),
        (f"programme={world.other_programme.id}", "matches no programme you can see"),
        ("cohort=20x1", "The cohort filter “20x1” is not a year."),
        ("status=gone", "The status filter “gone” is not one of: Active, Unreachable"),
        ("country=Narnia", "The country filter “Narnia” is not a country code."),
    ]:
        text = _text(client.get(f"/imports/export?{query}"))
        assert said in text, query
        assert "0 alumni match" in text and "Download CSV" not in text
        download = client.get(f"/imports/export.csv?{query}")
        assert download.status_code == 302 and "/imports/export?" in download.location


def test_valid_filters_that_match_no_record_say_so(world, as_role):
    text = _text(as_role("officer").get("/imports/export?cohort=1999"))
    assert "0 alumni match these filters:" in text
    assert "No record matches these filters together." in text
