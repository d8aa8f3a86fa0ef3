"""The Babel extractor of the framework files (babel.cfg `[extractors]`): the words a
framework shows its readers, so `scripts/translations.sh update` puts them into the
catalogues and the pages and packs can say them in the reader's language (README
"Languages"). Identifiers stay out: the name, table ids, indicator codes, country codes; so
does `source`, which no page shows."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any, BinaryIO


def framework_words(data: dict[str, Any]) -> list[str]:
    """A framework file's human-readable words in file order: its title, then each table's
    title, its columns' labels and its note."""
    words = [data.get("title", "")]
    for table in data.get("tables", []):
        words.append(table.get("title", ""))
        words += [column.get("label", "") for column in table.get("columns", [])]
        words.append(table.get("note", ""))
    return [w for w in words if isinstance(w, str) and w.strip()]


def extract_framework(fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
                      ) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction method for a framework TOML file: (line, None, message, [])."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    lines = text.splitlines()
    for word in framework_words(tomllib.loads(text)):
        quoted = f'"{word}"'
        lineno = next((i for i, line in enumerate(lines, 1) if quoted in line), 1)
        yield lineno, None, word, []
