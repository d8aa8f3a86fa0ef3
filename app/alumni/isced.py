"""ISCED-F 2013, the UNESCO fields of education and training a programme is classified in.

A code has 2 digits (broad field, "07"), 3 (narrow field, "071") or 4 (detailed field,
"0714"). Besides the named fields below, a narrow or detailed code ending in 8 is the
inter-disciplinary field of its broad or narrow field ("0788"), one ending in 9 is "not
elsewhere classified" ("0719"), and 99, 999 and 9999 mean the field is unknown.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext

from app.core.i18n import N_

BROAD = {
    "00": N_("Generic programmes and qualifications"),
    "01": N_("Education"),
    "02": N_("Arts and humanities"),
    "03": N_("Social sciences, journalism and information"),
    "04": N_("Business, administration and law"),
    "05": N_("Natural sciences, mathematics and statistics"),
    "06": N_("Information and communication technologies"),
    "07": N_("Engineering, manufacturing and construction"),
    "08": N_("Agriculture, forestry, fisheries and veterinary"),
    "09": N_("Health and welfare"),
    "10": N_("Services"),
}
NARROW = {
    "001": N_("Basic programmes and qualifications"),
    "002": N_("Literacy and numeracy"),
    "003": N_("Personal skills and development"),
    "011": N_("Education"),
    "021": N_("Arts"),
    "022": N_("Humanities (except languages)"),
    "023": N_("Languages"),
    "031": N_("Social and behavioural sciences"),
    "032": N_("Journalism and information"),
    "041": N_("Business and administration"),
    "042": N_("Law"),
    "051": N_("Biological and related sciences"),
    "052": N_("Environment"),
    "053": N_("Physical sciences"),
    "054": N_("Mathematics and statistics"),
    "061": N_("Information and communication technologies"),
    "071": N_("Engineering and engineering trades"),
    "072": N_("Manufacturing and processing"),
    "073": N_("Architecture and construction"),
    "081": N_("Agriculture"),
    "082": N_("Forestry"),
    "083": N_("Fisheries"),
    "084": N_("Veterinary"),
    "091": N_("Health"),
    "092": N_("Welfare"),
    "101": N_("Personal services"),
    "102": N_("Hygiene and occupational health services"),
    "103": N_("Security services"),
    "104": N_("Transport services"),
}
DETAILED = {
    "0011": N_("Basic programmes and qualifications"),
    "0021": N_("Literacy and numeracy"),
    "0031": N_("Personal skills and development"),
    "0111": N_("Education science"),
    "0112": N_("Training for pre-school teachers"),
    "0113": N_("Teacher training without subject specialisation"),
    "0114": N_("Teacher training with subject specialisation"),
    "0211": N_("Audio-visual techniques and media production"),
    "0212": N_("Fashion, interior and industrial design"),
    "0213": N_("Fine arts"),
    "0214": N_("Handicrafts"),
    "0215": N_("Music and performing arts"),
    "0221": N_("Religion and theology"),
    "0222": N_("History and archaeology"),
    "0223": N_("Philosophy and ethics"),
    "0231": N_("Language acquisition"),
    "0232": N_("Literature and linguistics"),
    "0311": N_("Economics"),
    "0312": N_("Political sciences and civics"),
    "0313": N_("Psychology"),
    "0314": N_("Sociology and cultural studies"),
    "0321": N_("Journalism and reporting"),
    "0322": N_("Library, information and archival studies"),
    "0411": N_("Accounting and taxation"),
    "0412": N_("Finance, banking and insurance"),
    "0413": N_("Management and administration"),
    "0414": N_("Marketing and advertising"),
    "0415": N_("Secretarial and office work"),
    "0416": N_("Wholesale and retail sales"),
    "0417": N_("Work skills"),
    "0421": N_("Law"),
    "0511": N_("Biology"),
    "0512": N_("Biochemistry"),
    "0521": N_("Environmental sciences"),
    "0522": N_("Natural environments and wildlife"),
    "0531": N_("Chemistry"),
    "0532": N_("Earth sciences"),
    "0533": N_("Physics"),
    "0541": N_("Mathematics"),
    "0542": N_("Statistics"),
    "0611": N_("Computer use"),
    "0612": N_("Database and network design and administration"),
    "0613": N_("Software and applications development and analysis"),
    "0711": N_("Chemical engineering and processes"),
    "0712": N_("Environmental protection technology"),
    "0713": N_("Electricity and energy"),
    "0714": N_("Electronics and automation"),
    "0715": N_("Mechanics and metal trades"),
    "0716": N_("Motor vehicles, ships and aircraft"),
    "0721": N_("Food processing"),
    "0722": N_("Materials (glass, paper, plastic and wood)"),
    "0723": N_("Textiles (clothes, footwear and leather)"),
    "0724": N_("Mining and extraction"),
    "0731": N_("Architecture and town planning"),
    "0732": N_("Building and civil engineering"),
    "0811": N_("Crop and livestock production"),
    "0812": N_("Horticulture"),
    "0821": N_("Forestry"),
    "0831": N_("Fisheries"),
    "0841": N_("Veterinary"),
    "0911": N_("Dental studies"),
    "0912": N_("Medicine"),
    "0913": N_("Nursing and midwifery"),
    "0914": N_("Medical diagnostic and treatment technology"),
    "0915": N_("Therapy and rehabilitation"),
    "0916": N_("Pharmacy"),
    "0917": N_("Traditional and complementary medicine and therapy"),
    "0921": N_("Care of the elderly and of disabled adults"),
    "0922": N_("Child care and youth services"),
    "0923": N_("Social work and counselling"),
    "1011": N_("Domestic services"),
    "1012": N_("Hair and beauty services"),
    "1013": N_("Hotel, restaurants and catering"),
    "1014": N_("Sports"),
    "1015": N_("Travel, tourism and leisure"),
    "1021": N_("Community sanitation"),
    "1022": N_("Occupational health and safety"),
    "1031": N_("Military and defence"),
    "1032": N_("Protection of persons and property"),
    "1041": N_("Transport services"),
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


def isced_label(code: str | None, say: Callable[[str], str] = str) -> str:
    """The code with its field's name, e.g. '0714 Electronics and automation' (`say`
    translates the name: isced_label_in_language)."""
    if not code:
        return ""
    name = DETAILED.get(code) or NARROW.get(code) or BROAD.get(code)
    if name is None and code in UNKNOWN:
        name = N_("Field unknown")
    return f"{code} {say(name)}" if name else code


def isced_label_in_language(code: str | None) -> str:
    """isced_label with the field's name in the page's language (UNESCO's names, translated
    in the catalogues)."""
    return isced_label(code, gettext)
