"""What the preview page tells an officer before the import: what changes in known records,
the problems grouped, and the rejected rows in plain words."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.imports.models import ImportBatch


def _preview(client, institution_id, text, name="registrar.csv"):
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(institution_id),
        "file": (io.BytesIO(text.encode("utf-8")), name)}, content_type="multipart/form-data")
    batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    mapping = {f"map-{i}": field for i, field in enumerate(batch.mapping.values())}
    assert client.post(f"/imports/{batch.id}/mapping", data=mapping).status_code == 302
    return batch, client.get(f"/imports/{batch.id}").data.decode()


def _cells(page, table_id):
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]]


def test_the_preview_shows_what_changes_in_known_records(world, as_role, make_alumnus,
                                                         import_folder):
    make_alumnus(world.home, student_number="K1", given_name="Siti", city=None,
                 email="siti@example.org", programme_id=world.programme.id, cohort_year=2021)
    make_alumnus(world.home, student_number="K2", given_name="Ravi", city="Ipoh")
    client = as_role("officer")
    batch, page = _preview(client, world.home.id,
                           "Student number,Given name,City,Email,Cohort\n"
                           "K1,Siti,Ipoh,SITI.NEW@example.org,2022\n"
                           "K2,Ravi,Ipoh,,\n"
                           "K3,Dara,Kampot,,\n")
    assert 'id="count-update">1<' in page and 'id="count-unchanged">1<' in page
    assert _cells(page, "changes") == [
        ["2", "K1", "E-mail", "siti@example.org", "siti.new@example.org"],
        ["2", "K1", "City", "—", "Ipoh"],
        ["2", "K1", "Cohort key field", "2021", "2022"],  # the register held a cohort
    ]
    # After the import (the cohort change accepted) the page keeps the list, as what was
    # changed.
    client.post(f"/imports/{batch.id}/commit", data={"accept_key_changes": "y"})
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "Changes made to known records" in page and len(_cells(page, "changes")) == 3


def test_a_new_records_only_file_shows_no_changes_table(world, as_role, import_folder):
    _, page = _preview(as_role("officer"), world.home.id,
                       "Student number,Given name\nN1,Ann\n")
    assert 'id="changes"' not in page


def test_programme_and_consent_changes_are_listed_in_words(world, as_role, make_alumnus,
                                                           make_programme, import_folder):
    make_programme(world.home, code="DME")
    make_alumnus(world.home, student_number="K5", given_name="Ana",
                 programme_id=world.programme.id)
    _, page = _preview(as_role("officer"), world.home.id,
                       "Student number,Programme,Consent contact\nK5,dme,yes\n")
    assert _cells(page, "changes") == [["2", "K5", "Programme code key field", "DIT", "DME"],
                                       ["2", "K5", "Consent: contact", "—", "yes"]]


def test_a_problem_on_many_rows_is_summed_up_once(world, as_role, import_folder):
    rows = "".join(f"S{i},Ann,ZZZ\n" for i in range(30)) + "S99,Bob,NOPE\nS98,,DIT\n"
    batch, page = _preview(as_role("officer"), world.home.id,
                           "Student number,Given name,Programme\n" + rows)
    assert _cells(page, "problem-summary") == [
        ["30", "Programme code", "Unknown programme code “ZZZ” for this institution.",
         "2, 3, 4, 5, 6, …"],
        ["1", "Programme code", "Unknown programme code “NOPE” for this institution.", "32"],
        ["1", "Given name", "Fill in the given name.", "33"],
    ]
    assert "Download the 32 rejected rows" in page
    # The row-by-row list is folded away under the summary.
    assert re.search(r'<details[^>]*><summary[^>]*>Errors and warnings, row by row</summary>',
                     page)


def test_one_rejected_row_is_one_row(world, as_role, import_folder):
    _, page = _preview(as_role("officer"), world.home.id,
                       "Student number,Given name,Email\nS1,Ann,bad@\nS2,Bob,\n")
    assert "Download the rejected row (CSV with an error column)" in page
    assert 'id="problem-summary"' not in page  # nothing repeats: the list below says it all
    assert "<details" not in page and "Errors and warnings, row by row</h2>" in page


def test_the_mapping_page_names_the_encoding_in_words(world, as_role, import_folder):
    client = as_role("officer")
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO("รหัสนักศึกษา,ชื่อ\n65001,สมชาย\n".encode("cp874")), "th.csv")},
        content_type="multipart/form-data")
    batch = db.session.scalar(select(ImportBatch))
    page = client.get(f"/imports/{batch.id}/mapping").data.decode()
    assert "1 row, read as Thai (TIS-620 / Windows-874)." in page


def test_the_mapping_page_shows_a_value_of_each_column(world, as_role, import_folder):
    client = as_role("officer")
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(b"ID,Nama,,Tarikh\nS1,,Ipoh,01/02/2000\nS2,Siti Aminah,,\n"),
                 "list.csv")}, content_type="multipart/form-data")
    batch = db.session.scalar(select(ImportBatch))
    page = client.get(f"/imports/{batch.id}/mapping").data.decode()
    examples = re.findall(r'<div class="small text-body-secondary[^"]*">(.*?)</div>', page)
    assert examples == ["for example: S1", "for example: Siti Aminah", "for example: Ipoh",
                        "for example: 01/02/2000"]
