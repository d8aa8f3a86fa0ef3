"""An agreement document's name must match its checked type (issue 10, item 17)."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationFailed
from app.exchange import services
from app.exchange.services import AgreementData


@pytest.mark.parametrize(("name", "content_type", "content", "refused"), [
    ("mou.html", "application/pdf", b"%PDF-1.7", True),
    ("mou.pdf.exe", "application/pdf", b"%PDF-1.7", True),
    ("scan.pdf", "image/png", b"\x89PNG\r\n\x1a\n..", True),
    ("mou", "application/pdf", b"%PDF-1.7", True),
    ("MOU 2022.PDF", "application/pdf", b"%PDF-1.7", False),
    ("scan.jpeg", "image/jpeg", b"\xff\xd8\xff\xe0", False),
    ("scan.jpg", "image/jpeg", b"\xff\xd8\xff\xe0", False),
    ("mou.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     b"PK\x03\x04", False),
])
def test_the_extension_must_match_the_checked_type(xw, db, name, content_type, content,
                                                   refused):
    agreement = services.create_agreement(xw.batch, AgreementData(
        first_institution_id=xw.world.home.id, second_institution_id=xw.partner_th.id),
        actor=xw.officer)
    if refused:
        with pytest.raises(ValidationFailed) as exc:
            services.attach_agreement_document(agreement, name, content_type, content,
                                               actor=xw.officer)
        assert "must end in" in exc.value.field_errors["document"][0]
    else:
        doc = services.attach_agreement_document(agreement, name, content_type, content,
                                                 actor=xw.officer)
        assert doc.filename == name
