"""Demo register: an institution, programmes, alumni with names from the region. The demo
accounts are made by app/auth/demo.py, which runs right after this."""

from __future__ import annotations

from datetime import date, timedelta

from faker import Faker
from sqlalchemy import insert, select

from app.alumni.demo_names import burmese_name, khmer_name, malay_name, vietnamese_name
from app.alumni.institutions import (
    InstitutionData,
    ProgrammeData,
    create_institution,
    create_programme,
)
from app.alumni.models import Alumnus, Consent, build_search_text
from app.alumni.text import fold
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.extensions import db

# Faker has no Malay, Khmer or Burmese locale, and its Vietnamese one names everyone John or
# Jane: demo_names.py draws those names.
PROGRAMMES = [
    ("DIT", "Diploma in Information Technology", "diploma", "it", "0612", 30),
    ("DMM", "Diploma in Multimedia and Creative Design", "diploma", "multimedia", "0211", 30),
    ("DBE", "Diploma in Business and Entrepreneurship", "diploma", "business", "0413", 30),
    ("DHT", "Diploma in Hospitality and Tourism", "diploma", "hospitality", "1015", 30),
    ("DME", "Diploma in Mechatronics Engineering", "diploma", "mechatronics", "0714", 36),
    ("CAG", "Certificate in Agricultural Technology", "certificate", "agriculture", "0811", 18),
    ("BHS", "Bachelor of Applied Health Science", "bachelor", "health", "0919", 48),
]

def _name(rng, fakers) -> tuple[str, str | None, str, str, str | None]:
    """(given, family, locale tag, country, gender where the name tells) for one person."""
    pick = rng.random()
    if pick < 0.2:
        f = fakers["fil_PH"]
        return f.first_name(), f.last_name(), "ph", "PH", None
    if pick < 0.4:
        f = fakers["id_ID"]
        return f.first_name(), f.last_name(), "id", "ID", None
    if pick < 0.58:
        f = fakers["th_TH"]
        return f.first_name(), f.last_name(), "th", "TH", None
    if pick < 0.76:
        given, family, gender = vietnamese_name(rng)
        return given, family, "vn", "VN", gender
    if pick < 0.9:
        given, family, gender = malay_name(rng)
        return given, family, "my", "MY", gender
    if pick < 0.95:
        return *khmer_name(rng), "kh", "KH", None
    return burmese_name(rng), None, "mm", "MM", None


def _email(given: str, family: str | None, number: str) -> str:
    ascii_part = "".join(ch for ch in fold(f"{given} {family or ''}") if ch.isascii() and
                         (ch.isalnum() or ch == " ")).split()
    local = ".".join(ascii_part[:2]) if ascii_part else "alumni"
    return f"{local}.{number.lower()}@example.org"


ORDER = 10


def seed(ctx: SeedContext) -> None:
    """The demo institution, a partner, programmes and alumni with consent."""
    rng = ctx.rng
    fakers = {}
    for loc in ("fil_PH", "id_ID", "th_TH"):
        fakers[loc] = Faker(loc)
        fakers[loc].seed_instance(rng.randint(0, 10**9))
    ctx.institution = create_institution(
        InstitutionData(code="DEMO", name="Southeast Asia Demo Polytechnic", country="MY",
                        kind="polytechnic", is_home=True), actor=None)
    ctx.partner = create_institution(
        InstitutionData(code="PARTNER", name="Mekong Partner Technical College", country="VN",
                        kind="college"), actor=None)
    for code, name, level, area, isced, months in PROGRAMMES:
        ctx.programmes.append(create_programme(
            ProgrammeData(code=code, name=name, level=level, study_area=area, isced_code=isced,
                          duration_months=months), institution=ctx.institution, actor=None))
    db.session.flush()

    this_day = today()
    rows = []
    for i in range(ctx.alumni_count):
        programme = ctx.programmes[i % len(ctx.programmes)]
        cohort = this_day.year - 1 - (i % 5)
        grad = date(cohort, rng.choice([6, 11]), rng.choice([15, 28, 30]))
        given, family, _tag, country, gender = _name(rng, fakers)
        number = f"{cohort % 100:02d}{programme.code}{i + 1:05d}"
        email = None if rng.random() < 0.08 else _email(given, family, number)
        birth = grad - timedelta(days=365 * rng.randint(19, 24) + rng.randint(0, 364))
        status = "unreachable" if rng.random() < 0.05 else "active"
        award = grad + timedelta(days=rng.randint(20, 90)) if country == "ID" else None
        rows.append({
            "institution_id": ctx.institution.id, "student_number": number,
            "given_name": given, "family_name": family, "preferred_name": None,
            "search_text": build_search_text(given, family, None, number, email),
            "email": email, "phone": None, "country": country, "city": None,
            "gender": gender or rng.choice(["female", "male"]), "birth_date": birth,
            "programme_id": programme.id, "graduation_date": grad, "award_date": award,
            "cohort_year": cohort, "status": status, "directory_visible": False, "version": 1,
            "created_at": utcnow(), "updated_at": utcnow(),
        })
    if rows:
        db.session.execute(insert(Alumnus), rows)  # bulk path: Core executemany
    ctx.alumnus_ids = list(db.session.scalars(
        select(Alumnus.id).where(Alumnus.institution_id == ctx.institution.id)
        .order_by(Alumnus.id)))
    consents = []
    for alumnus_id in ctx.alumnus_ids:
        for purpose in ("contact", "tracer"):
            consents.append({"alumnus_id": alumnus_id, "purpose": purpose,
                             "granted": rng.random() > 0.04, "recorded_at": utcnow(),
                             "method": "import", "notice_version": "2026-01"})
    if consents:
        db.session.execute(insert(Consent), consents)

    ctx.summary.append(f"{len(rows)} alumni in {len(ctx.programmes)} programmes")
