"""The employer satisfaction survey in the institution's language: the e-mailed invitation
(subject and body) and the form from its link, with the language menu to switch; no English
text of the catalogue left on the form, its errors or its thanks page in any language."""

from __future__ import annotations

import re

import pytest

from app.core.i18n import LANGUAGES
from app.employment import employer_survey
from app.extensions import db
from tests.employment.test_employer_satisfaction import _employers, _link, _ratings, _send
from tests.employment.test_language_crawl import _english_words, _left


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_employer_survey_in_the_institutions_language(app, world, smtp_server, language):
    world.home.default_language = language
    db.session.commit()
    _employers(world)
    _send(employer_survey.invite_employers(world.programme, 2025,
                                           actor=world.users["officer"]))
    [message] = smtp_server.to("hr@siam.example")
    text = smtp_server.text(message)
    english = _english_words(language)
    assert not _left(text, english), _left(text, english)
    assert not _left(str(message["Subject"]), english)
    assert re.search(rf"/employer-survey/\S+\?lang={language}\b", text)

    path = _link(smtp_server, "hr@siam.example")
    client = app.test_client()
    pages = {"form": client.get(f"{path}?lang={language}"),
             "errors": client.post(path, data={"graduates_employed": "many"})}
    pages["thanks"] = client.post(path, data=_ratings("good", graduates_employed="3"))
    pages["spent link"] = client.get(path)
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
    form = pages["form"].get_data(as_text=True)
    assert 'id="language-menu"' in form  # the switch on the page
    assert "Siam Robotics" in form
