"""An evidence pack built in a chosen language: the fixed text of the HTML, PDF and workbook
(headings, cover, notes, the annexes' columns, the figures' names, numbers and dates, the
framework's own words) in it, the CSV files English, the snapshot recording it; chosen on the
Reports page (the reader's language by default), by the command's --language, and kept when a
background job builds."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from openpyxl import load_workbook

from app.core.jobs import Job, wait_for_idle
from app.extensions import db
from app.packs.models import ReportSnapshot
from app.packs.render import csv_name, sheet_name
from app.packs.services import JOB_KIND, file_path
from app.reports.frameworks import get_framework
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left
from tests.packs.conftest import THAI, build

# Fixed text each language must show in the pack (cover, headings, an annex's column).
FIXED = {
    "th": ("ชุดหลักฐานเพื่อการรับรองมาตรฐาน", "สรุปตัวชี้วัดทุกตัว", "คำนิยาม", "สารบัญ",
           "ผู้สำเร็จการศึกษา (N)", "ระยะเวลารองานแรก"),
    "vi": ("Bộ minh chứng kiểm định", "Tóm tắt mọi chỉ số", "Định nghĩa", "Mục lục",
           "Sinh viên tốt nghiệp (N)", "Thời gian chờ việc làm đầu tiên"),
}
# English fixed pieces (also of messages with placeholders) that must not be left
ENGLISH_PIECES = ("Accreditation evidence pack", "Summary of every indicator", "Definitions",
                  "Contents", "Graduates (N)", "Every figure is counted", "As of ",
                  "built by", "records, one row each", "From: ", "(in the workbook)",
                  "Employed graduates by months", "respondents who rated",
                  "Response and employment rates", "Cohort (graduation year)")


def _body(snapshot, fmt) -> bytes:
    return file_path(snapshot, next(f for f in snapshot.files if f.fmt == fmt)).read_bytes()


@pytest.mark.parametrize("language", ["th", "vi"])
def test_a_pack_s_fixed_text_is_in_its_language(app, pack_cohort, language):
    snapshot = build(pack_cohort, formats=("html", "xlsx", "csv"), language=language)
    assert snapshot.parameters["language"] == language and snapshot.language == language

    html = _body(snapshot, "html").decode("utf-8")
    assert f'<html lang="{language}">' in html
    for words in FIXED[language]:
        assert words in html, words
    assert THAI[0] in html  # names as written
    # no English text of the catalogue left, the framework's tables included
    left = _left(html, _english_words(language))
    assert not left, "; ".join(left)
    text = re.sub(r"<[^>]+>", " ", html)
    for piece in ENGLISH_PIECES:
        assert piece not in text, piece
    # the figures' names said in the language (figure M1's name, as the Outcome page says it)
    with app.test_request_context(), force_locale(language):
        assert gettext("Response rate (gross)") in html

    wb = load_workbook(io.BytesIO(_body(snapshot, "xlsx")))
    with app.test_request_context(), force_locale(language):
        cover, summary, definitions = (gettext("Cover"), gettext("Summary"),
                                       gettext("Definitions"))
        response = gettext("Tracer response")
        header = [gettext("Cohort"), gettext("Graduates (N)"), gettext("Responded (R)")]
    assert wb.sheetnames[0] == cover and wb.sheetnames[1] == summary
    assert wb.sheetnames[-1] == definitions
    sheet = next(n for n in wb.sheetnames if n.startswith("A2 "))
    assert sheet == f"A2 {response}"[:31].strip()
    assert [c.value for c in wb[sheet][1]][:3] == header
    assert wb[cover]["A1"].value == FIXED_EVIDENCE[language]

    # the framework's own words (its title, tables' titles, columns, notes) in the language
    framework = get_framework("ban-pt")
    with app.test_request_context(), force_locale(language):
        said = {w: gettext(w) for w in _framework_words(framework)}
    for english, words in said.items():
        assert str(escape(words)) in html, (english, words)
        if words != english:
            assert str(escape(english)) not in html, english
    first_table = framework.ordered_tables()[0]
    sheet = sheet_name(first_table.id, said[first_table.title])
    assert sheet in wb.sheetnames
    assert [c.value for c in wb[sheet][1]][1:] == [said[c.label] for c in first_table.columns]

    with zipfile.ZipFile(io.BytesIO(_body(snapshot, "csv"))) as zf:
        # the framework's table in English: its file name and its columns
        table_csv = zf.read(csv_name(first_table.id, first_table.title)).decode("utf-8-sig")
        assert table_csv.splitlines()[0] == ",".join(
            ["Year", *(f'"{c.label}"' if "," in c.label else c.label
                       for c in first_table.columns)])
        names = zf.namelist()
        assert "A2-tracer-response.csv" in names  # file names from the English titles
        first = zf.read("A2-tracer-response.csv").decode("utf-8-sig").splitlines()[0]
        assert first.startswith("Cohort,Graduates (N),Responded (R),Response rate (gross)")
        cover_csv = zf.read("00-cover.csv").decode("utf-8-sig")
        assert cover_csv.startswith("Item,Value") and "Institution," in cover_csv
        summary_csv = zf.read("00-summary.csv").decode("utf-8-sig").splitlines()[0]
        assert summary_csv.startswith("Code,Variant,Figure,Currency")


FIXED_EVIDENCE = {"th": "ชุดหลักฐาน", "vi": "Bộ minh chứng"}


def _framework_words(framework) -> list[str]:
    """What the pack shows of a framework in its own words: title, tables, columns, notes."""
    words = [framework.title]
    for table in framework.tables:
        words += [table.title, *(c.label for c in table.columns)]
        if table.note:
            words.append(table.note)
    return words


def test_an_english_pack_stays_as_it_was(pack_cohort):
    snapshot = build(pack_cohort, formats=("html",))
    assert snapshot.parameters["language"] == "en"
    html = _body(snapshot, "html").decode("utf-8")
    assert '<html lang="en">' in html and "Accreditation evidence pack" in html
    assert f"As of {snapshot.as_of:%Y-%m-%d %H:%M} UTC" in html


def test_the_thai_pdf_holds_its_fixed_text_in_thai(pack_cohort, tmp_path):
    snapshot = build(pack_cohort, formats=("pdf",), language="th")
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(_body(snapshot, "pdf"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    # The PDF shows the Thai right (looked at: marks above and below their consonants); its
    # text layer, as pdftotext reads it, may move a tone mark after the next consonant
    # ("ชี้ว" as "ชีว้") or give sara am (ำ) as sara aa (า), HarfBuzz drawing it with that
    # glyph. So the consonants and vowels are compared in order, without the marks above and
    # below (Unicode category Mn) and without the spaces where lines wrap.
    def plain(words: str) -> str:
        return "".join(ch for ch in words.replace("\u0e33", "\u0e32")
                       if not ch.isspace() and unicodedata.category(ch) != "Mn")

    for words in FIXED["th"]:
        assert plain(words) in plain(text), words
    assert "Accreditation evidence pack" not in text
    # the as-of time on every page, in Thai (Buddhist Era year by default)
    pages = text.split("\f")[:-1]
    year = str(snapshot.as_of.year + 543)
    assert all("ณ" in page and year in page for page in pages)


def test_the_reports_page_offers_the_readers_language_and_refuses_an_unknown_one(
        app, world, pack_cohort):
    user = world.users["quality"]
    user.language = "vi"
    db.session.commit()
    snapshot = build(pack_cohort, formats=("html",))  # an English pack, kept
    client = app.test_client()
    sign_in(client, user)
    page = client.get("/reports").get_data(as_text=True)
    vietnamese_title = "Indonesia: BAN-PT, Cơ quan Kiểm định Quốc gia về Giáo dục Đại học " \
                       "(LKPS, IAPS 4.0)"
    # the kept snapshot's framework (stored as the file wrote it) said in Vietnamese
    assert f"<td>{vietnamese_title}</td>" in page
    shown = client.get(f"/reports/snapshots/{snapshot.id}").get_data(as_text=True)
    assert f'<dd class="col-sm-8">{vietnamese_title}</dd>' in shown
    assert snapshot.framework_title == "Indonesia: BAN-PT (LKPS, IAPS 4.0)"
    assert re.search(r'<option selected value="vi">Tiếng Việt</option>', page), page
    assert '<option value="th">ไทย</option>' in page
    # the frameworks by their names in Vietnamese (the BAN-PT's in the framework choice)
    framework = re.search(r'<select[^>]*id="framework".*?</select>', page, re.S).group(0)
    assert f">{vietnamese_title}</option>" in framework
    assert ">Thái Lan: việc làm của sinh viên tốt nghiệp trong vòng một năm</option>" in framework
    assert "Thailand: graduate employment" not in page
    form = {"framework": "ban-pt", "programme_ids": [str(pack_cohort.programme.id)],
            "cohorts": "2022-2024", "reference_months": "", "formats": ["html"],
            "language": "xx"}
    refused = client.post("/reports", data=form)
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    with app.test_request_context(), force_locale("vi"):
        message = gettext("Choose one of the languages: %(names)s.",
                          names="en, th, id, ms, vi, fil")
    # the message under the language field (its invalid-feedback), not at the top
    field = re.search(r'<select[^>]*id="language".*?</div>', html, re.S).group(0)
    assert 'is-invalid' in field and message in field
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0


def test_a_pack_built_in_the_background_keeps_its_language(app, world, pack_cohort):
    client = app.test_client()
    sign_in(client, world.users["quality"])  # an English page; the pack is asked in Thai
    form = {"framework": "ban-pt", "programme_ids": [str(pack_cohort.programme.id)],
            "cohorts": "2022-2024", "reference_months": "", "formats": ["html"],
            "language": "th"}
    response = client.post("/reports", data=form)
    assert response.status_code == 302
    wait_for_idle(120)
    job = db.session.scalars(db.select(Job).where(Job.kind == JOB_KIND)).one()
    db.session.refresh(job)
    assert job.status == "done", job.error
    snapshot = db.session.get(ReportSnapshot, job.result["snapshot_id"])
    assert snapshot.language == "th"
    html = _body(snapshot, "html").decode("utf-8")
    assert '<html lang="th">' in html and "ชุดหลักฐานเพื่อการรับรองมาตรฐาน" in html
    page = client.get(f"/reports/snapshots/{snapshot.id}").get_data(as_text=True)
    assert re.search(r"Language</dt>\s*<dd[^>]*>ไทย</dd>", page), page


def test_the_command_builds_a_pack_in_the_language_asked(pack_cohort, runner, tmp_path):
    out = tmp_path / "pack.html"
    args = ["report", "accreditation", "--institution", "HOME", "--framework", "ban-pt",
            "--cohorts", "2022-2024", "--format", "html", "--out", str(out)]
    result = runner.invoke(args=[*args, "--language", "vi"])
    assert result.exit_code == 0, result.output
    snapshot = db.session.scalars(db.select(ReportSnapshot)).one()
    assert snapshot.parameters["language"] == "vi"
    html = out.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Bộ minh chứng kiểm định" in html
    wrong = runner.invoke(args=[*args, "--language", "xx"])
    assert wrong.exit_code != 0 and "--language" in wrong.output
