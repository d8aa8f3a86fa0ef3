"""An event's title and description in several languages: entered on the event form, shown
to each alumnus in their language, else in the institution's default language, else as
entered (app/core/own_words.py)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.engagement.models import Event
from app.extensions import db

TITLE_TH = "งานคืนสู่เหย้าศิษย์เก่า"
ABOUT_TH = "พบเพื่อนร่วมรุ่นและอาจารย์"
TITLE_ID = "Reuni alumni"


def _event_form(**extra) -> dict[str, str]:
    data = {"title": "Alumni homecoming", "kind": "reunion",
            "event_date": (date.today() + timedelta(days=10)).isoformat(),
            "start_time": "17:00", "end_time": "20:00", "mode": "on_site", "programme_id": "",
            "description": "Meet your classmates and teachers.", "registration_open": "y"}
    data.update(extra)
    return data


def _event_from_the_form(officer) -> Event:
    saved = officer.post("/events/new", data=_event_form(title_th=TITLE_TH,
                                                         description_th=ABOUT_TH))
    assert saved.status_code == 302
    return db.session.scalar(select(Event))


def test_event_form_saves_and_shows_the_translations(world, as_role):
    officer = as_role("officer")
    event = _event_from_the_form(officer)
    assert event.title == "Alumni homecoming"
    assert event.title_translations == {"th": TITLE_TH}
    assert event.description_translations == {"th": ABOUT_TH}

    page = officer.get(f"/events/{event.id}").get_data(as_text=True)
    shown = page[page.index('id="event-th"'):]
    assert shown.startswith('id="event-th">' + TITLE_TH) and ABOUT_TH in shown

    form = officer.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'id="title-languages" open' in form
    assert f'name="title_th" type="text" value="{TITLE_TH}"' in form
    assert ABOUT_TH in form[form.index('name="description_th"'):]

    changed = officer.post(f"/events/{event.id}/edit", data=_event_form(
        title_th=TITLE_TH, title_id=TITLE_ID, description_th=""))
    assert changed.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.title_translations == {"th": TITLE_TH, "id": TITLE_ID}
    assert event.description_translations is None  # emptied: gone


def test_too_long_event_title_translation_is_refused_next_to_its_field(world, as_role):
    officer = as_role("officer")
    page = officer.post("/events/new", data=_event_form(title_ms="x" * 201))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    block = text[text.index('id="title-languages"'):text.index('id="kind"')]
    assert 'id="title-languages" open' in block
    assert "is-invalid" in block[block.index('name="title_ms"') - 200:]
    assert "Field cannot be longer than 200 characters." in block
    assert db.session.scalar(select(func.count(Event.id))) == 0

    event = _event_from_the_form(officer)
    refused = officer.post(f"/events/{event.id}/edit", data=_event_form(
        title="Homecoming 2026", title_th="ก" * 201))
    assert refused.status_code == 200
    assert "Field cannot be longer than 200 characters." in refused.get_data(as_text=True)
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.title, event.title_translations) == ("Alumni homecoming", {"th": TITLE_TH})


def test_thai_alumnus_sees_the_thai_title(world, as_role):
    event = _event_from_the_form(as_role("officer"))
    world.users["alumnus"].language = "th"
    db.session.commit()
    alumnus = as_role("alumnus")
    coming = alumnus.get("/me/events").get_data(as_text=True)
    assert TITLE_TH in coming and ABOUT_TH in coming
    assert "Alumni homecoming" not in coming and "Meet your classmates" not in coming

    registered = alumnus.post(f"/me/events/{event.id}/register", follow_redirects=True)
    text = registered.get_data(as_text=True)
    assert text.count(TITLE_TH) >= 2  # the message and "my events"
    assert "Alumni homecoming" not in text
    profile = alumnus.get("/me").get_data(as_text=True)  # the timeline entry
    assert TITLE_TH in profile and "Alumni homecoming" not in profile

    english = as_role("officer").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Alumni homecoming" in english  # staff in English: the text as entered


def test_event_title_falls_back_to_the_default_then_as_entered(world, as_role, make_event):
    world.home.default_language = "id"
    world.users["alumnus"].language = "vi"
    event = make_event(world.home, title="Alumni homecoming",
                       title_translations={"th": TITLE_TH, "id": TITLE_ID})
    alumnus = as_role("alumnus")
    page = alumnus.get("/me/events").get_data(as_text=True)
    assert TITLE_ID in page and TITLE_TH not in page and "Alumni homecoming" not in page

    event.title_translations = {"th": TITLE_TH}
    db.session.commit()
    page = alumnus.get("/me/events").get_data(as_text=True)
    assert "Alumni homecoming" in page and TITLE_TH not in page
