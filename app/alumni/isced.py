"""ISCED-F 2013, the UNESCO fields of education and training a programme is classified in.

A code has 2 digits (broad field, "07"), 3 (narrow field, "071") or 4 (detailed field,
"0714"). Besides the named fields below, a narrow or detailed code ending in 8 is the
inter-disciplinary field of its broad or narrow field ("0788"), one ending in 9 is "not
elsewhere classified" ("0719"), and 99, 999 and 9999 mean the field is unknown.
"""

from __future__ import annotations

from flask_babel import gettext

from app.core.i18n import N_

BROAD = {
    "00": "Generic programmes and qualifications",
    "01": "Education",
    "02": "Arts and humanities",
    "03": "Social sciences, journalism and information",
    "04": "Business, administration and law",
    "05": "Natural sciences, mathematics and statistics",
    "06": "Information and communication technologies",
    "07": "Engineering, manufacturing and construction",
    "08": "Agriculture, forestry, fisheries and veterinary",
    "09": "Health and welfare",
    "10": "Services",
}
NARROW = {
    "001": "Basic programmes and qualifications",
    "002": "Literacy and numeracy",
    "003": "Personal skills and development",
    "011": "Education",
    "021": "Arts",
    "022": "Humanities (except languages)",
    "023": "Languages",
    "031": "Social and behavioural sciences",
    "032": "Journalism and information",
    "041": "Business and administration",
    "042": "Law",
    "051": "Biological and related sciences",
    "052": "Environment",
    "053": "Physical sciences",
    "054": "Mathematics and statistics",
    "061": "Information and communication technologies",
    "071": "Engineering and engineering trades",
    "072": "Manufacturing and processing",
    "073": "Architecture and construction",
    "081": "Agriculture",
    "082": "Forestry",
    "083": "Fisheries",
    "084": "Veterinary",
    "091": "Health",
    "092": "Welfare",
    "101": "Personal services",
    "102": "Hygiene and occupational health services",
    "103": "Security services",
    "104": "Transport services",
}
DETAILED = {
    "0011": "Basic programmes and qualifications",
    "0021": "Literacy and numeracy",
    "0031": "Personal skills and development",
    "0111": "Education science",
    "0112": "Training for pre-school teachers",
    "0113": "Teacher training without subject specialisation",
    "0114": "Teacher training with subject specialisation",
    "0211": "Audio-visual techniques and media production",
    "0212": "Fashion, interior and industrial design",
    "0213": "Fine arts",
    "0214": "Handicrafts",
    "0215": "Music and performing arts",
    "0221": "Religion and theology",
    "0222": "History and archaeology",
    "0223": "Philosophy and ethics",
    "0231": "Language acquisition",
    "0232": "Literature and linguistics",
    "0311": "Economics",
    "0312": "Political sciences and civics",
    "0313": "Psychology",
    "0314": "Sociology and cultural studies",
    "0321": "Journalism and reporting",
    "0322": "Library, information and archival studies",
    "0411": "Accounting and taxation",
    "0412": "Finance, banking and insurance",
    "0413": "Management and administration",
    "0414": "Marketing and advertising",
    "0415": "Secretarial and office work",
    "0416": "Wholesale and retail sales",
    "0417": "Work skills",
    "0421": "Law",
    "0511": "Biology",
    "0512": "Biochemistry",
    "0521": "Environmental sciences",
    "0522": "Natural environments and wildlife",
    "0531": "Chemistry",
    "0532": "Earth sciences",
    "0533": "Physics",
    "0541": "Mathematics",
    "0542": "Statistics",
    "0611": "Computer use",
    "0612": "Database and network design and administration",
    "0613": "Software and applications development and analysis",
    "0711": "Chemical engineering and processes",
    "0712": "Environmental protection technology",
    "0713": "Electricity and energy",
    "0714": "Electronics and automation",
    "0715": "Mechanics and metal trades",
    "0716": "Motor vehicles, ships and aircraft",
    "0721": "Food processing",
    "0722": "Materials (glass, paper, plastic and wood)",
    "0723": "Textiles (clothes, footwear and leather)",
    "0724": "Mining and extraction",
    "0731": "Architecture and town planning",
    "0732": "Building and civil engineering",
    "0811": "Crop and livestock production",
    "0812": "Horticulture",
    "0821": "Forestry",
    "0831": "Fisheries",
    "0841": "Veterinary",
    "0911": "Dental studies",
    "0912": "Medicine",
    "0913": "Nursing and midwifery",
    "0914": "Medical diagnostic and treatment technology",
    "0915": "Therapy and rehabilitation",
    "0916": "Pharmacy",
    "0917": "Traditional and complementary medicine and therapy",
    "0921": "Care of the elderly and of disabled adults",
    "0922": "Child care and youth services",
    "0923": "Social work and counselling",
    "1011": "Domestic services",
    "1012": "Hair and beauty services",
    "1013": "Hotel, restaurants and catering",
    "1014": "Sports",
    "1015": "Travel, tourism and leisure",
    "1021": "Community sanitation",
    "1022": "Occupational health and safety",
    "1031": "Military and defence",
    "1032": "Protection of persons and property",
    "1041": "Transport services",
}
UNKNOWN = ("99", "999", "9999")
FORMAT_HINT = N_("An ISCED-F field code has 2 to 4 digits: 2 for the broad field, 3 narrow, "
                 "4 detailed, such as 0714 (electronics and automation).")


def _is_field(code: str) -> bool:
    """A field of ISCED-F 2013: named, inter-disciplinary (…8) or not elsewhere classified
    (…9) within a field one level up, or unknown."""
    if code in UNKNOWN or code in BROAD or code in NARROW or code in DETAILED:
        return True
    return len(code) in (3, 4) and code[-1] in "89" and _is_field(code[:-1]) \
        and code[:-1] not in UNKNOWN


def isced_problem(code: str) -> str | None:
    """What is wrong with an ISCED-F 2013 field code, or None when it is one."""
    if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 4):
        return gettext(FORMAT_HINT)
    if not _is_field(code):
        return gettext("%(code)s is not an ISCED-F 2013 field: use a listed field code, such "
                       "as 0714 (electronics and automation), or 9999 if the field is not "
                       "known.", code=code)
    return None


def isced_label(code: str | None) -> str:
    """The code with its field's name, e.g. '0714 Electronics and automation'."""
    if not code:
        return ""
    name = DETAILED.get(code) or NARROW.get(code) or BROAD.get(code)
    if name is None and code in UNKNOWN:
        name = "Field unknown"
    return f"{code} {name}" if name else code
