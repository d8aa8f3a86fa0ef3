"""Framework files: every shipped file loads; a broken file names the key; each framework's
tables on the hand-built cohort; the command's JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.reports.frameworks import FrameworkError, frameworks, load_framework_file
from app.reports.indicators import make_selection
from app.reports.tables import fill_tables

GOOD = """
name = "{name}"
title = "Test"
country = "ID"
source = "here"
reference_months = 12
rows = "ts"
years = 3
annex_order = ["T"]

[indicators]
M1 = ["gross"]

[[tables]]
id = "T"
title = "Table"
columns = [{{ label = "Graduates", indicator = "M1.gross", show = "denominator" }}]
"""


def write(tmp_path, text, name="broken"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text.format(name=name) if "{name}" in text else text, encoding="utf-8")
    return path


def test_every_shipped_framework_loads():
    assert sorted(frameworks()) == ["apacc", "ban-pt", "mqa", "singapore", "tesda",
                                    "thailand"]


def test_a_good_file_loads(tmp_path):
    framework = load_framework_file(write(tmp_path, GOOD))
    assert framework.tables[0].columns[0].code == "M1"


def test_a_framework_file_is_read_again_only_once_it_changes(tmp_path):
    """The pages list the frameworks on every view: an unchanged file is not parsed again, a
    changed one is, and one that turns bad is refused as when it was first read."""
    path = write(tmp_path, GOOD, name="local")
    first = frameworks(tmp_path)["local"]
    assert frameworks(tmp_path)["local"] is first
    path.write_text(GOOD.format(name="local").replace('title = "Test"', 'title = "Local"'),
                    encoding="utf-8")
    assert frameworks(tmp_path)["local"].title == "Local"
    path.write_text(GOOD.format(name="local").replace("years = 3", 'years = "3"'),
                    encoding="utf-8")
    with pytest.raises(FrameworkError, match="'years' must be a int"):
        frameworks(tmp_path)
    path.unlink()
    assert frameworks(tmp_path) == {}


@pytest.mark.parametrize("change,message", [
    (lambda t: t.replace('title = "Test"\n', ""), "broken.toml: the key 'title' is missing"),
    (lambda t: t.replace("reference_months = 12", 'reference_months = "12"'),
     "'reference_months' must be a int"),
    (lambda t: t.replace("reference_months = 12", "reference_months = 9"),
     "'reference_months' must be 6, 12 or 24"),
    (lambda t: t.replace('M1 = ["gross"]', 'M1 = ["grosss"]'),
     "indicators.M1: M1 has no variant 'grosss'"),
    (lambda t: t.replace('indicator = "M1.gross"', 'indicator = "M99.x"'),
     "tables[0].columns[0].indicator: unknown indicator 'M99'"),
    (lambda t: t.replace('show = "denominator"', 'show = "total"'),
     "tables[0].columns[0]: 'show' must be one of"),
    (lambda t: t.replace('annex_order = ["T"]', 'annex_order = ["T", "U"]'),
     "annex_order names 'U', which no table has"),
    (lambda t: t.replace('rows = "ts"', 'rows = "ts"\ncolour = "red"'),
     "unknown key 'colour'"),
    (lambda t: t.replace("[indicators]", "[params]\nmin_wage_factor = true\n[indicators]"),
     "params: 'min_wage_factor' must be a number"),
    (lambda t: t.replace('title = "Table"', 'title = "Table'), "not valid TOML"),
    (lambda t: t.replace('show = "denominator"', 'show = "minimum_response_rate"'),
     "needs the [minimum_response_rate] section"),
])
def test_a_broken_file_names_the_key(tmp_path, change, message):
    with pytest.raises(FrameworkError) as err:
        load_framework_file(write(tmp_path, change(GOOD.format(name="broken"))))
    assert message in str(err.value)
    assert str(err.value).startswith("broken.toml")


def test_the_name_must_be_the_file_name(tmp_path):
    with pytest.raises(FrameworkError, match="'name' must be the file's name"):
        load_framework_file(write(tmp_path, GOOD.format(name="other"), name="mine"))


def table(hand_cohort, name, table_id, last_year=2024):
    framework = frameworks()[name]
    sel = make_selection(hand_cohort.institution, hand_cohort.programme, last_year,
                         framework.reference_months, framework.params)
    for filled in fill_tables(framework, sel, last_year):
        if filled.table.id == table_id:
            return {label: [c.text for c in cells] for label, _, cells in filled.rows}
    raise AssertionError(f"no table {table_id}")


def test_ban_pt_waiting_time_table(hand_cohort):
    rows = table(hand_cohort, "ban-pt", "8.d.1")
    assert list(rows) == ["TS-2", "TS-1", "TS"]
    # TS = 2024: NL 12, NJ 9, WT < 3: 2, 3-6: 0, > 6: 2, PJ 0.75, Prmin 50% - 12/300 x 20%
    assert rows["TS"] == [12, 9, 2, 0, 2, 0.75, pytest.approx(0.492)]
    assert rows["TS-1"][:2] == [1, 1]  # the 2023 graduate
    assert rows["TS-2"][:2] == [0, 0]


def test_ban_pt_other_tables_and_iku2(hand_cohort):
    assert table(hand_cohort, "ban-pt", "8.d.2")["TS"] == [12, 9, 4, 2, 0.5]
    assert table(hand_cohort, "ban-pt", "8.e.1")["TS"] == [12, 9, 2, 1, 1]
    assert table(hand_cohort, "ban-pt", "8.e.2")["TS"][:3] == [3, pytest.approx(1 / 3),
                                                               pytest.approx(2 / 3)]
    # IKU 2 (k = 1.2, over): a1 6.0M is not over 6.0M -> 0.6; a2, a3 (no wage on record)
    # within 12 months, not over -> 0.6 each; a4 14 months -> 0; a5 further study 0.6.
    assert table(hand_cohort, "ban-pt", "iku2")["TS"] == [9, pytest.approx(2.4 / 9)]


def test_the_other_frameworks_tables(hand_cohort):
    # Thailand: B 12, A 9, A/B, A - D = 6, C = 4
    assert table(hand_cohort, "thailand", "Employment")["2024"] == [
        12, 9, 0.75, 6, 4, pytest.approx(4 / 6)]
    # APACC: employment rate 0.8 scores 3 (61-80 %)
    assert table(hand_cohort, "apacc", "A1")["2024"][2:4] == [0.8, 3]
    # TESDA: 4 / 5 over the labour force, 4 / 12 over all graduates, 2 of 4 within 6 months
    assert table(hand_cohort, "tesda", "SETG")["2024"] == [12, 9, 0.8, pytest.approx(4 / 12),
                                                           0.5]
    # Singapore and MQA read the six-month survey: only a9 (employed, no income) answered
    assert table(hand_cohort, "singapore", "GES")["2024"] == [12, 1, 1, 1.0, None]
    assert table(hand_cohort, "mqa", "SKPG")["2024"][:5] == [12, 1, pytest.approx(1 / 12),
                                                             1, 1.0]


def test_report_indicators_json(hand_cohort, runner):
    result = runner.invoke(args=["report", "indicators", "--institution", "HOME",
                                 "--programme", "DIT", "--cohort", "2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in ("institution", "programme", "cohort", "reference_months",
                                 "framework")} == {
        "institution": "HOME", "programme": "DIT", "cohort": 2024, "reference_months": 12,
        "framework": None}
    by_key = {(i["code"], i["variant"], i["currency"]): i for i in data["indicators"]}
    assert by_key[("M1", "gross", None)] == {
        "code": "M1", "variant": "gross", "value": 0.75, "numerator": 9, "denominator": 12,
        "unit": "ratio", "currency": None}
    assert by_key[("M8", "median_all", "USD")]["value"] == 500
    assert by_key[("M8", "median_all", "IDR")]["unit"] == "money"
    assert {i["code"] for i in data["indicators"]} >= {f"M{n}" for n in range(1, 12)} | {
        "E1", "E2", "E3", "E4", "E5", "X1", "X2", "X3", "X4"}


def test_report_indicators_csv_with_a_framework(hand_cohort, runner):
    result = runner.invoke(args=["report", "indicators", "--institution", "home",
                                 "--programme", "DIT", "--cohort", "2024", "--framework",
                                 "ban-pt", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["code", "variant", "value", "numerator", "denominator", "unit",
                             "currency"]
    share = next(r for r in rows if r["variant"] == "share_above_min_wage")
    assert (share["numerator"], share["denominator"]) == ("1", "3")  # k = 1.2 from the file


def test_report_indicators_refuses_unknown_names(hand_cohort, runner):
    result = runner.invoke(args=["report", "indicators", "--institution", "HOME",
                                 "--programme", "NOPE", "--cohort", "2024"])
    assert result.exit_code != 0 and "No programme NOPE at HOME" in result.output
    result = runner.invoke(args=["report", "indicators", "--institution", "HOME",
                                 "--programme", "DIT", "--cohort", "2024", "--framework", "x"])
    assert result.exit_code != 0 and "No framework 'x'" in result.output
