"""Accreditation frameworks as data: one TOML file each in this folder, read with tomllib and
checked on load (a mistake names the file and the key). A new framework is a new file.

The format (every key is checked; see ban-pt.toml for a full example):

    name = "ban-pt"                 # what --framework and the page call it (the file's stem)
    title = "Indonesia: BAN-PT ..." # shown on the page
    country = "ID"                  # ISO 3166-1 alpha-2, or "" for a regional framework
    source = "..."                  # where the definitions come from
    reference_months = 12           # the reference point: 6, 12 or 24
    rows = "ts"                     # table rows: "ts" (TS-2, TS-1, TS) or "cohort_year"
    years = 3                       # how many cohort years a table shows
    annex_order = ["8.d.1", ...]    # the tables in the order the annexes number them
    exclusions = ["further_study"]  # statuses the framework leaves out (shown in words)

    [params]                        # optional; see app.reports.indicators.Params
    min_wage_factor = 1.2
    full_time_permanent = false

    [indicators]                    # which indicators and variants the framework reads
    M1 = ["gross"]
    M5 = ["band_lt3", "band_3_6", "band_gt6"]

    [minimum_response_rate]         # optional: PJ against a minimum that falls with size
    large_cohort = 300              # NL at or above this: `large`
    large = 0.30
    small_start = 0.50              # below: small_start - NL / large_cohort x small_slope
    small_slope = 0.20

    [[score_bands]]                 # optional: a percentage band gives a score (APACC)
    up_to = 0.20
    score = 0

    [iku2]                          # optional: Indonesia's IKU 2 weights
    min_wage_factor = 1.2
    weights = [{within_months = 6, above_min_wage = true, weight = 1.0}, ...,
               {status = "further_study", weight = 0.6}]

    [[tables]]                      # one per annex table
    id = "8.d.1"
    title = "Waiting time for the first job"
    columns = [{label = "Graduates", indicator = "M1.gross", show = "denominator"}, ...]

A column's `indicator` is "CODE.variant" (a currency may follow for M8: "M8.median_all");
`show` is "value", "numerator" or "denominator"; two more kinds of column need no indicator:
`show = "minimum_response_rate"` (the minimum for that year's graduates) and `show = "iku2"`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext

from app.employment import codes
from app.reports.indicators import REGISTRY, Params

FOLDER = Path(__file__).parent
SHOW = ("value", "numerator", "denominator", "minimum_response_rate", "iku2", "band")
ROWS = ("ts", "cohort_year")


class FrameworkError(ValueError):
    """A framework file that does not follow the format; the message names file and key."""


@dataclass(frozen=True)
class Column:
    label: str
    show: str
    indicator: str | None = None  # "M5.band_lt3"

    @property
    def code(self) -> str | None:
        return self.indicator.split(".")[0] if self.indicator else None

    @property
    def variant(self) -> str | None:
        return self.indicator.split(".", 1)[1] if self.indicator else None


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    note: str = ""


@dataclass(frozen=True)
class Framework:
    name: str
    title: str
    country: str
    source: str
    reference_months: int
    rows: str
    years: int
    annex_order: tuple[str, ...]
    exclusions: tuple[str, ...]
    params: Params
    indicators: dict[str, tuple[str, ...]]
    tables: tuple[Table, ...]
    minimum_response_rate: dict[str, float] | None = None
    score_bands: tuple[tuple[float, int], ...] = ()
    iku2: dict[str, Any] | None = field(default=None)

    def minimum_response(self, graduates: int) -> float | None:
        """The least response rate the framework accepts for a cohort of this size."""
        rule = self.minimum_response_rate
        if rule is None:
            return None
        if graduates >= rule["large_cohort"]:
            return rule["large"]
        return rule["small_start"] - graduates / rule["large_cohort"] * rule["small_slope"]

    def score(self, share: float | None) -> int | None:
        """The score band of a share (0-1), where the framework scores by bands."""
        if share is None or not self.score_bands:
            return None
        for up_to, score in self.score_bands:
            if share <= up_to + 1e-9:
                return score
        return self.score_bands[-1][1]

    def row_label(self, year: int, last_year: int) -> str:
        if self.rows == "ts":
            back = last_year - year
            return "TS" if back == 0 else f"TS-{back}"
        return str(year)

    def ordered_tables(self) -> list[Table]:
        order = {t: i for i, t in enumerate(self.annex_order)}
        return sorted(self.tables, key=lambda t: order.get(t.id, len(order)))


def _need(data: dict, key: str, kind: type | tuple, where: str, *, optional=False) -> Any:
    if key not in data:
        if optional:
            return None
        raise FrameworkError(f"{where}: the key '{key}' is missing.")
    value = data[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise FrameworkError(f"{where}: '{key}' must be a number, not true/false.")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise FrameworkError(f"{where}: '{key}' must be a {names}, not {value!r}.")
    return value


def _indicator_ref(ref: str, where: str) -> None:
    code, _, variant = ref.partition(".")
    if code not in REGISTRY:
        raise FrameworkError(f"{where}: unknown indicator '{code}' (known: "
                             f"{', '.join(sorted(REGISTRY))}).")
    if variant not in REGISTRY[code].variants:
        raise FrameworkError(f"{where}: {code} has no variant '{variant}' (choose one of: "
                             f"{', '.join(REGISTRY[code].variants)}).")


def parse_framework(data: dict[str, Any], origin: str) -> Framework:
    """Check a framework's data key by key; raise FrameworkError naming the first mistake."""
    known = {"name", "title", "country", "source", "reference_months", "rows", "years",
             "annex_order", "exclusions", "params", "indicators", "tables",
             "minimum_response_rate", "score_bands", "iku2"}
    for key in data:
        if key not in known:
            raise FrameworkError(f"{origin}: unknown key '{key}' (known: "
                                 f"{', '.join(sorted(known))}).")
    name = _need(data, "name", str, origin)
    title = _need(data, "title", str, origin)
    months = _need(data, "reference_months", int, origin)
    if months not in codes.REFERENCE_MONTHS:
        raise FrameworkError(f"{origin}: 'reference_months' must be 6, 12 or 24, not {months}.")
    rows = _need(data, "rows", str, origin)
    if rows not in ROWS:
        raise FrameworkError(f"{origin}: 'rows' must be one of {', '.join(ROWS)}, not {rows!r}.")
    years = _need(data, "years", int, origin)
    if not 1 <= years <= 10:
        raise FrameworkError(f"{origin}: 'years' must be from 1 to 10.")
    exclusions = tuple(_need(data, "exclusions", list, origin, optional=True) or ())
    for status in exclusions:
        if status not in codes.EMPLOYMENT_STATUSES:
            raise FrameworkError(f"{origin}: exclusions: unknown status '{status}'.")
    raw_params = _need(data, "params", dict, origin, optional=True) or {}
    allowed = {"min_wage_factor": (int, float), "full_time_permanent": bool}
    for key in raw_params:
        if key not in allowed:
            raise FrameworkError(f"{origin}: params.{key} is not a setting (known: "
                                 f"{', '.join(allowed)}).")
        _need(raw_params, key, allowed[key], f"{origin}: params")
    params = Params(**raw_params)
    indicators: dict[str, tuple[str, ...]] = {}
    for code, variants in _need(data, "indicators", dict, origin).items():
        if not isinstance(variants, list) or not variants:
            raise FrameworkError(f"{origin}: indicators.{code} must be a list of variants.")
        for variant in variants:
            _indicator_ref(f"{code}.{variant}", f"{origin}: indicators.{code}")
        indicators[code] = tuple(variants)
    mrr = _need(data, "minimum_response_rate", dict, origin, optional=True)
    if mrr is not None:
        for key in ("large_cohort", "large", "small_start", "small_slope"):
            _need(mrr, key, (int, float), f"{origin}: minimum_response_rate")
    bands = []
    for i, band in enumerate(_need(data, "score_bands", list, origin, optional=True) or []):
        where = f"{origin}: score_bands[{i}]"
        if not isinstance(band, dict):
            raise FrameworkError(f"{where} must be a table with up_to and score.")
        bands.append((float(_need(band, "up_to", (int, float), where)),
                      _need(band, "score", int, where)))
    iku2 = _need(data, "iku2", dict, origin, optional=True)
    if iku2 is not None:
        _need(iku2, "min_wage_factor", (int, float), f"{origin}: iku2")
        for i, w in enumerate(_need(iku2, "weights", list, f"{origin}: iku2")):
            where = f"{origin}: iku2.weights[{i}]"
            if not isinstance(w, dict):
                raise FrameworkError(f"{where} must be a table.")
            _need(w, "weight", (int, float), where)
            if "status" in w:
                _need(w, "status", str, where)
            else:
                _need(w, "within_months", int, where)
                _need(w, "above_min_wage", bool, where)
    tables = []
    for i, t in enumerate(_need(data, "tables", list, origin)):
        where = f"{origin}: tables[{i}]"
        if not isinstance(t, dict):
            raise FrameworkError(f"{where} must be a table.")
        columns = []
        for j, c in enumerate(_need(t, "columns", list, where)):
            cw = f"{where}.columns[{j}]"
            if not isinstance(c, dict):
                raise FrameworkError(f"{cw} must be a table with label and show.")
            show = _need(c, "show", str, cw)
            if show not in SHOW:
                raise FrameworkError(f"{cw}: 'show' must be one of {', '.join(SHOW)}, "
                                     f"not {show!r}.")
            ref = _need(c, "indicator", str, cw, optional=show in ("minimum_response_rate",
                                                                     "iku2"))
            if ref is not None:
                _indicator_ref(ref, f"{cw}.indicator")
            if show == "minimum_response_rate" and mrr is None:
                raise FrameworkError(f"{cw}: a minimum_response_rate column needs the "
                                     "[minimum_response_rate] section.")
            if show == "iku2" and iku2 is None:
                raise FrameworkError(f"{cw}: an iku2 column needs the [iku2] section.")
            if show == "band" and not bands:
                raise FrameworkError(f"{cw}: a band column needs [[score_bands]].")
            columns.append(Column(_need(c, "label", str, cw), show, ref))
        tables.append(Table(_need(t, "id", str, where), _need(t, "title", str, where),
                            tuple(columns), t.get("note", "")))
    annex = tuple(_need(data, "annex_order", list, origin))
    ids = {t.id for t in tables}
    for a in annex:
        if a not in ids:
            raise FrameworkError(f"{origin}: annex_order names '{a}', which no table has.")
    return Framework(name, title, _need(data, "country", str, origin),
                     _need(data, "source", str, origin), months, rows, years, annex,
                     exclusions, params, indicators, tuple(tables), mrr, tuple(bands), iku2)


def load_framework_file(path: Path) -> Framework:
    """Read and check one framework file."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"{path.name}: not valid TOML: {exc}") from exc
    framework = parse_framework(data, path.name)
    if framework.name != path.stem:
        raise FrameworkError(f"{path.name}: 'name' must be the file's name, "
                             f"{path.stem!r}, not {framework.name!r}.")
    return framework


# Each file as last read, with its size and modification time: read again only once changed
# (the Outcomes and evidence-pack pages list the frameworks on every view).
_read: dict[Path, tuple[tuple[int, int], Framework]] = {}


def frameworks(folder: Path = FOLDER) -> dict[str, Framework]:
    """Every framework file of the folder, by name, checked."""
    found = {}
    for path in sorted(folder.glob("*.toml")):
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
        kept = _read.get(path)
        if kept is None or kept[0] != stamp:
            kept = _read[path] = (stamp, load_framework_file(path))
        found[kept[1].name] = kept[1]
    return found


def framework_word(text: str) -> str:
    """A framework's own word (its title, a table's title, a column's label, a note) in the
    language in force, through the catalogue (extract.py puts the words there); as the file
    writes it where the catalogue has none (a snapshot's title from an older file)."""
    return gettext(text) if text else text


def get_framework(name: str) -> Framework:
    found = frameworks()
    if name not in found:
        raise FrameworkError(f"No framework '{name}'; choose one of: {', '.join(found)}.")
    return found[name]
