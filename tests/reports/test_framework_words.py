"""An accreditation framework's own words (its title, its tables' titles, columns' labels and
notes) are in every language's catalogue, translated and not fuzzy: read from the framework
files themselves, so a new framework, table or column without its translations fails here.
The extractor gives pybabel those words and no identifier."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES
from app.reports.frameworks import FOLDER
from app.reports.frameworks.extract import extract_framework

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(FOLDER.glob("*.toml"))


def _words(path: Path) -> list[str]:
    """What a reader sees of a framework, read here without the extractor."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words = [data["title"]]
    for table in data["tables"]:
        words += [table["title"], *(c["label"] for c in table["columns"])]
        if table.get("note"):
            words.append(table["note"])
    return words


def test_every_framework_file_is_read():
    assert {p.stem for p in FILES} >= {"apacc", "ban-pt", "mqa", "singapore", "tesda",
                                       "thailand"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_extractor_gives_the_words_and_no_identifiers(path):
    extracted = [m for _line, _func, m, _c in
                 extract_framework(io.BytesIO(path.read_bytes()), [], [], {})]
    assert set(extracted) == set(_words(path))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    identifiers = {data["name"], data["country"], data["source"],
                   *(t["id"] for t in data["tables"]),
                   *(c.get("indicator", "") for t in data["tables"] for c in t["columns"])}
    assert not identifiers & set(extracted)


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_framework_word_is_translated(code):
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=code)
    problems = []
    for path in FILES:
        for word in _words(path):
            entry = catalogue.get(word)
            if entry is None:
                problems.append(f"{path.name}: missing {word!r}")
            elif entry.fuzzy:
                problems.append(f"{path.name}: fuzzy {word!r}")
            elif not entry.string:
                problems.append(f"{path.name}: untranslated {word!r}")
    assert not problems, "\n".join(problems)
