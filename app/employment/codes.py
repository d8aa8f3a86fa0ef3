"""Code lists for employers, employment and tracer surveys (value stored -> label shown, in
English; the tracer survey's lists are marked with N_ and translated where a page shows them).

International classifications are kept as their official codes: ISIC Rev. 4 sections,
ISCO-08 major groups, ISO 4217 currencies. The tracer core follows the ETF/ILO guide.
"""

from __future__ import annotations

from app.core.i18n import N_  # marked for the catalogues; pages translate them when shown

# ISIC Rev. 4 sections.
ISIC_SECTIONS = {
    "A": N_("A — Agriculture, forestry and fishing"),
    "B": N_("B — Mining and quarrying"),
    "C": N_("C — Manufacturing"),
    "D": N_("D — Electricity, gas, steam and air conditioning supply"),
    "E": N_("E — Water supply; sewerage, waste management"),
    "F": N_("F — Construction"),
    "G": N_("G — Wholesale and retail trade; repair of motor vehicles"),
    "H": N_("H — Transportation and storage"),
    "I": N_("I — Accommodation and food service activities"),
    "J": N_("J — Information and communication"),
    "K": N_("K — Financial and insurance activities"),
    "L": N_("L — Real estate activities"),
    "M": N_("M — Professional, scientific and technical activities"),
    "N": N_("N — Administrative and support service activities"),
    "O": N_("O — Public administration and defence"),
    "P": N_("P — Education"),
    "Q": N_("Q — Human health and social work activities"),
    "R": N_("R — Arts, entertainment and recreation"),
    "S": N_("S — Other service activities"),
    "T": N_("T — Activities of households as employers"),
    "U": N_("U — Extraterritorial organisations and bodies"),
}

# ISCO-08 major groups.
ISCO_GROUPS = {
    "1": N_("1 — Managers"),
    "2": N_("2 — Professionals"),
    "3": N_("3 — Technicians and associate professionals"),
    "4": N_("4 — Clerical support workers"),
    "5": N_("5 — Service and sales workers"),
    "6": N_("6 — Skilled agricultural, forestry and fishery workers"),
    "7": N_("7 — Craft and related trades workers"),
    "8": N_("8 — Plant and machine operators and assemblers"),
    "9": N_("9 — Elementary occupations"),
    "0": N_("0 — Armed forces occupations"),
}

EMPLOYER_SIZES = {
    "micro": N_("Micro (1–9)"),
    "small": N_("Small (10–49)"),
    "medium": N_("Medium (50–249)"),
    "large": N_("Large (250 or more)"),
}

EMPLOYER_TYPES = {
    "government": N_("Government / public service"),
    "state_enterprise": N_("State-owned enterprise"),
    "private": N_("Private company"),
    "own_business": N_("Own business"),
    "ngo": N_("Non-profit / NGO"),
    "international": N_("International organisation"),
    "other": N_("Other"),
}

EMPLOYMENT_STATUSES = {
    "wage_employed": N_("Wage employed"),
    "self_employed": N_("Self-employed / own business"),
    "further_study": N_("In further study"),
    "unemployed_seeking": N_("Unemployed and seeking work"),
    "not_in_labour_force": N_("Not in the labour force"),
    "military_service": N_("Not available: military or national service"),
    "ordination": N_("Not available: ordination"),
    "family_care": N_("Not available: family care"),
}
EMPLOYED = ("wage_employed", "self_employed")
NOT_AVAILABLE = ("military_service", "ordination", "family_care")
WITH_JOB = EMPLOYED  # statuses that have an employer, job title, income

HOURS = {"full_time": N_("Full-time"), "part_time": N_("Part-time")}
CONTRACTS = {"permanent": N_("Permanent"), "temporary": N_("Temporary / fixed term"),
             "freelance": N_("Freelance / casual")}

HOW_FOUND = {
    "advertisement": N_("Job advertisement (online, print)"),
    "institution": N_("Career office or lecturers of the institution"),
    "internship": N_("Stayed on after an internship / apprenticeship"),
    "job_fair": N_("Job fair"),
    "network": N_("Family, friends, alumni network"),
    "applied_directly": N_("Applied directly to the employer"),
    "employer_contacted": N_("The employer contacted me"),
    "public_service": N_("Public employment service"),
    "own_business": N_("Started my own business"),
    "other": N_("Other"),
}

EDUCATION_LEVELS = {
    "higher": N_("A higher level than mine"),
    "same": N_("The same level as mine"),
    "lower": N_("A lower level than mine"),
    "none": N_("No particular level"),
}

WORKPLACE_LEVELS = {
    "local": N_("Local"),
    "national": N_("National"),
    "multinational": N_("Multinational / international"),
}

SOURCES = {
    "tracer": N_("Tracer survey"),
    "self": N_("Reported by the alumnus"),
    "officer": N_("Recorded by an officer"),
    "import": N_("Import"),
}

RELEVANCE = {
    5: N_("5 — Very closely related"),
    4: N_("4 — Closely related"),
    3: N_("3 — Somewhat related"),
    2: N_("2 — Slightly related"),
    1: N_("1 — Not related"),
}

# Currencies: app.core.currencies (ISO 4217). The usual one of each country of the region:
COUNTRY_CURRENCY = {"TH": "THB", "MY": "MYR", "ID": "IDR", "PH": "PHP", "VN": "VND",
                    "SG": "SGD", "KH": "KHR", "LA": "LAK", "MM": "MMK", "BN": "BND"}

# The seven competencies of the tracer core, rated at graduation and as required now (1-5).
COMPETENCIES = {
    "ethics": N_("Ethics / integrity"),
    "expertise": N_("Expertise in my field"),
    "foreign_language": N_("Foreign language"),
    "it": N_("Use of information technology"),
    "communication": N_("Communication"),
    "teamwork": N_("Teamwork"),
    "self_development": N_("Self-development"),
}
COMPETENCY_SCALE = {5: N_("5 — Very high"), 4: N_("4 — High"), 3: N_("3 — Medium"),
                    2: N_("2 — Low"), 1: N_("1 — Very low")}

# Employer satisfaction: four levels.
SATISFACTION_LEVELS = {"very_good": N_("Very good"), "good": N_("Good"), "fair": N_("Fair"),
                       "poor": N_("Poor")}

REFERENCE_MONTHS = {6: "6 months after graduation", 12: "12 months after graduation",
                    24: "24 months after graduation"}

SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}

# Kinds of institution-defined extra questions.
QUESTION_KINDS = {
    "text": N_("Short text"),
    "long_text": N_("Long text"),
    "number": N_("Number"),
    "yes_no": N_("Yes / no"),
    "choice": N_("One of a list"),
    "scale": N_("Scale 1–5"),
}
