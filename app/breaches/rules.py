"""Each jurisdiction's rule for notifying the data-protection authority of a breach.

`hours` is the fixed time the law gives from `starts` ("discovery": the organisation became
aware of the breach; "assessment": it determined the breach must be notified), or None where
the law fixes no hours (the clock then says "as soon as practicable" and is never overdue
by itself). Sources, as in force when this table was written (check them again when a law
changes; the table is the only place to edit):

- MY: Personal Data Protection Act 2010 as amended by the PDP (Amendment) Act 2024, s. 12B
  (notify the Commissioner "as soon as practicable"); the Commissioner's Guideline on Data
  Breach Notification (2025) fixes that as within 72 hours of becoming aware.
- SG: Personal Data Protection Act 2012, Part 6A (notification of data breaches): notify the
  PDPC as soon as practicable, no later than 3 calendar days after determining that the breach
  is notifiable; that assessment is to be done expeditiously. Counted here as 72 hours, from
  the recorded assessment; with no assessment time recorded, from the discovery (earlier,
  never later: the page says so).
- PH: Data Privacy Act 2012 (RA 10173) s. 20(f), and the National Privacy Commission's
  circular on personal data breach management (NPC Circular 16-03; check whether a later
  circular has replaced it): notify the Commission within 72 hours upon knowledge of it.
- TH: Personal Data Protection Act B.E. 2562 (2019), s. 37(4): notify the Office of the PDPC
  without delay and, where feasible, within 72 hours after becoming aware.
- ID: Law 27 of 2022 on Personal Data Protection, art. 46(1): written notice to the data
  subjects and the supervising institution within 3 x 24 hours.
- VN: Decree 13/2023/ND-CP on personal data protection, art. 23(1): notify the Ministry of
  Public Security (A05) within 72 hours of the violation. The Law on Personal Data Protection
  (2025, in force from 1 January 2026) now stands above the decree: check its breach rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext

from app.core.i18n import N_, country_name_in_language, current_language


@dataclass(frozen=True)
class NotificationRule:
    country: str
    law: str  # N_(): the page says it in its language (gettext), the code keeps the English
    authority: str
    hours: int | None
    starts: str  # "discovery" or "assessment"
    period: str = ""  # the law's own words for the period, where they are not hours

    @property
    def wording(self) -> str:
        """The rule in a sentence, in the page's language."""
        if self.hours is None:
            return gettext("No fixed hours: as soon as practicable")
        if self.starts == "discovery":
            if self.period:
                return gettext("Within %(period)s of discovery (counted here as %(hours)s hours)",
                               period=gettext(self.period), hours=self.hours)
            return gettext("Within %(hours)s hours of discovery", hours=self.hours)
        if self.period:
            return gettext("Within %(period)s of assessing it notifiable (counted here as "
                           "%(hours)s hours)", period=gettext(self.period), hours=self.hours)
        return gettext("Within %(hours)s hours of assessing it notifiable", hours=self.hours)

    def counted_from(self, assessed_at: datetime | None) -> str | None:
        """What this breach's clock counts from, when the rule and the record differ: a rule
        that starts at the assessment counts from the discovery until one is recorded."""
        if self.hours is None or self.starts != "assessment":
            return None
        if assessed_at is not None:
            return gettext("Counted from the recorded assessment.")
        return gettext("Counted from the discovery: no assessment time is recorded. The law "
                       "counts from the assessment that the breach is notifiable; counting from "
                       "the discovery is earlier, never later. Record when the breach was "
                       "assessed (Edit) to count from it.")


RULES = {r.country: r for r in (
    NotificationRule("MY", N_("Personal Data Protection Act 2010 (amended 2024), s. 12B"),
                     N_("Personal Data Protection Commissioner"), 72, "discovery"),
    NotificationRule("SG", N_("Personal Data Protection Act 2012, Part 6A (s. 26D)"),
                     N_("Personal Data Protection Commission"), 72, "assessment",
                     N_("3 calendar days")),
    NotificationRule("PH", N_("Data Privacy Act 2012, s. 20(f); NPC Circular 16-03"),
                     N_("National Privacy Commission"), 72, "discovery"),
    NotificationRule("TH", N_("Personal Data Protection Act 2019, s. 37(4)"),
                     N_("Office of the Personal Data Protection Committee"), 72, "discovery"),
    NotificationRule("ID", N_("Law 27/2022 on Personal Data Protection, art. 46"),
                     N_("Personal data protection institution (Ministry of Communication "
                        "and Digital Affairs)"), 72, "discovery", N_("3 x 24 hours")),
    NotificationRule("VN", N_("Decree 13/2023/ND-CP, art. 23"),
                     N_("Ministry of Public Security (A05)"), 72, "discovery"),
)}

COUNTRY_NAMES = {"MY": "Malaysia", "SG": "Singapore", "PH": "Philippines", "TH": "Thailand",
                 "ID": "Indonesia", "VN": "Vietnam"}


def country_names() -> dict[str, str]:
    """The six countries' names in the page's language (Babel's; English: the table's)."""
    if current_language() == "en":
        return dict(COUNTRY_NAMES)
    return {code: country_name_in_language(code) for code in COUNTRY_NAMES}


def due_at(country: str, discovered_at: datetime, assessed_at: datetime | None
           ) -> datetime | None:
    """When the authority must have been told, or None where the law fixes no hours. A clock
    that starts at the assessment starts at discovery until an assessment is recorded (the
    earlier, safer reading)."""
    rule = RULES[country]
    if rule.hours is None:
        return None
    start = assessed_at if rule.starts == "assessment" and assessed_at else discovered_at
    return start + timedelta(hours=rule.hours)
