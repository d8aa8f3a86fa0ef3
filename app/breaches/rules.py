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


@dataclass(frozen=True)
class NotificationRule:
    country: str
    law: str
    authority: str
    hours: int | None
    starts: str  # "discovery" or "assessment"
    period: str = ""  # the law's own words for the period, where they are not hours

    @property
    def wording(self) -> str:
        if self.hours is None:
            return "No fixed hours: as soon as practicable"
        after = "of discovery" if self.starts == "discovery" else "of assessing it notifiable"
        if self.period:
            return f"Within {self.period} {after} (counted here as {self.hours} hours)"
        return f"Within {self.hours} hours {after}"

    def counted_from(self, assessed_at: datetime | None) -> str | None:
        """What this breach's clock counts from, when the rule and the record differ: a rule
        that starts at the assessment counts from the discovery until one is recorded."""
        if self.hours is None or self.starts != "assessment":
            return None
        if assessed_at is not None:
            return "Counted from the recorded assessment."
        return ("Counted from the discovery: no assessment time is recorded. The law counts "
                "from the assessment that the breach is notifiable; counting from the "
                "discovery is earlier, never later. Record when the breach was assessed "
                "(Edit) to count from it.")


RULES = {r.country: r for r in (
    NotificationRule("MY", "Personal Data Protection Act 2010 (amended 2024), s. 12B",
                     "Personal Data Protection Commissioner", 72, "discovery"),
    NotificationRule("SG", "Personal Data Protection Act 2012, Part 6A (s. 26D)",
                     "Personal Data Protection Commission", 72, "assessment",
                     "3 calendar days"),
    NotificationRule("PH", "Data Privacy Act 2012, s. 20(f); NPC Circular 16-03",
                     "National Privacy Commission", 72, "discovery"),
    NotificationRule("TH", "Personal Data Protection Act 2019, s. 37(4)",
                     "Office of the Personal Data Protection Committee", 72, "discovery"),
    NotificationRule("ID", "Law 27/2022 on Personal Data Protection, art. 46",
                     "Personal data protection institution (Ministry of Communication "
                     "and Digital Affairs)", 72, "discovery", "3 x 24 hours"),
    NotificationRule("VN", "Decree 13/2023/ND-CP, art. 23",
                     "Ministry of Public Security (A05)", 72, "discovery"),
)}

COUNTRY_NAMES = {"MY": "Malaysia", "SG": "Singapore", "PH": "Philippines", "TH": "Thailand",
                 "ID": "Indonesia", "VN": "Vietnam"}


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
