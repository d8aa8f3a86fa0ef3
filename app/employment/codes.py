"""Code lists for employers, employment and tracer surveys (value stored -> label shown).

International classifications are kept as their official codes: ISIC Rev. 4 sections,
ISCO-08 major groups, ISO 4217 currencies. The tracer core follows the ETF/ILO guide.
"""

from __future__ import annotations

# ISIC Rev. 4 sections.
ISIC_SECTIONS = {
    "A": "A — Agriculture, forestry and fishing",
    "B": "B — Mining and quarrying",
    "C": "C — Manufacturing",
    "D": "D — Electricity, gas, steam and air conditioning supply",
    "E": "E — Water supply; sewerage, waste management",
    "F": "F — Construction",
    "G": "G — Wholesale and retail trade; repair of motor vehicles",
    "H": "H — Transportation and storage",
    "I": "I — Accommodation and food service activities",
    "J": "J — Information and communication",
    "K": "K — Financial and insurance activities",
    "L": "L — Real estate activities",
    "M": "M — Professional, scientific and technical activities",
    "N": "N — Administrative and support service activities",
    "O": "O — Public administration and defence",
    "P": "P — Education",
    "Q": "Q — Human health and social work activities",
    "R": "R — Arts, entertainment and recreation",
    "S": "S — Other service activities",
    "T": "T — Activities of households as employers",
    "U": "U — Extraterritorial organisations and bodies",
}

# ISCO-08 major groups.
ISCO_GROUPS = {
    "1": "1 — Managers",
    "2": "2 — Professionals",
    "3": "3 — Technicians and associate professionals",
    "4": "4 — Clerical support workers",
    "5": "5 — Service and sales workers",
    "6": "6 — Skilled agricultural, forestry and fishery workers",
    "7": "7 — Craft and related trades workers",
    "8": "8 — Plant and machine operators and assemblers",
    "9": "9 — Elementary occupations",
    "0": "0 — Armed forces occupations",
}

EMPLOYER_SIZES = {
    "micro": "Micro (1–9)",
    "small": "Small (10–49)",
    "medium": "Medium (50–249)",
    "large": "Large (250 or more)",
}

EMPLOYER_TYPES = {
    "government": "Government / public service",
    "state_enterprise": "State-owned enterprise",
    "private": "Private company",
    "own_business": "Own business",
    "ngo": "Non-profit / NGO",
    "international": "International organisation",
    "other": "Other",
}

EMPLOYMENT_STATUSES = {
    "wage_employed": "Wage employed",
    "self_employed": "Self-employed / own business",
    "further_study": "In further study",
    "unemployed_seeking": "Unemployed and seeking work",
    "not_in_labour_force": "Not in the labour force",
    "military_service": "Not available: military or national service",
    "ordination": "Not available: ordination",
    "family_care": "Not available: family care",
}
EMPLOYED = ("wage_employed", "self_employed")
NOT_AVAILABLE = ("military_service", "ordination", "family_care")
WITH_JOB = EMPLOYED  # statuses that have an employer, job title, income

HOURS = {"full_time": "Full-time", "part_time": "Part-time"}
CONTRACTS = {"permanent": "Permanent", "temporary": "Temporary / fixed term",
             "freelance": "Freelance / casual"}

HOW_FOUND = {
    "advertisement": "Job advertisement (online, print)",
    "institution": "Career office or lecturers of the institution",
    "internship": "Stayed on after an internship / apprenticeship",
    "job_fair": "Job fair",
    "network": "Family, friends, alumni network",
    "applied_directly": "Applied directly to the employer",
    "employer_contacted": "The employer contacted me",
    "public_service": "Public employment service",
    "own_business": "Started my own business",
    "other": "Other",
}

EDUCATION_LEVELS = {
    "higher": "A higher level than mine",
    "same": "The same level as mine",
    "lower": "A lower level than mine",
    "none": "No particular level",
}

WORKPLACE_LEVELS = {
    "local": "Local",
    "national": "National",
    "multinational": "Multinational / international",
}

SOURCES = {
    "tracer": "Tracer survey",
    "self": "Reported by the alumnus",
    "officer": "Recorded by an officer",
    "import": "Import",
}

RELEVANCE = {
    5: "5 — Very closely related",
    4: "4 — Closely related",
    3: "3 — Somewhat related",
    2: "2 — Slightly related",
    1: "1 — Not related",
}

# Currencies: app.core.currencies (ISO 4217). The usual one of each country of the region:
COUNTRY_CURRENCY = {"TH": "THB", "MY": "MYR", "ID": "IDR", "PH": "PHP", "VN": "VND",
                    "SG": "SGD", "KH": "KHR", "LA": "LAK", "MM": "MMK", "BN": "BND"}

# The seven competencies of the tracer core, rated at graduation and as required now (1-5).
COMPETENCIES = {
    "ethics": "Ethics / integrity",
    "expertise": "Expertise in my field",
    "foreign_language": "Foreign language",
    "it": "Use of information technology",
    "communication": "Communication",
    "teamwork": "Teamwork",
    "self_development": "Self-development",
}
COMPETENCY_SCALE = {5: "5 — Very high", 4: "4 — High", 3: "3 — Medium", 2: "2 — Low",
                    1: "1 — Very low"}

# Employer satisfaction: four levels.
SATISFACTION_LEVELS = {"very_good": "Very good", "good": "Good", "fair": "Fair",
                       "poor": "Poor"}

REFERENCE_MONTHS = {6: "6 months after graduation", 12: "12 months after graduation",
                    24: "24 months after graduation"}

SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}

# Kinds of institution-defined extra questions.
QUESTION_KINDS = {
    "text": "Short text",
    "long_text": "Long text",
    "number": "Number",
    "yes_no": "Yes / no",
    "choice": "One of a list",
    "scale": "Scale 1–5",
}
