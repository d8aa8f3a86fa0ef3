"""Contribution services: the rules of a contribution (`rules`); recording it under a gap-free
receipt number, acknowledging and voiding it (`receipts`); lists, totals, combined money and
linkages (`figures`). Pages, the API and imports call these, so the same rules hold everywhere.
"""

from app.contributions.services.figures import (
    CombinedFigure,
    ContributionFilters,
    LinkageSummary,
    Totals,
    combine_money,
    contribution_activity,
    contribution_totals,
    contribution_years,
    contributions_of,
    contributions_query,
    engaged_alumni,
    linkage_summary,
    parse_rates,
)
from app.contributions.services.receipts import (
    acknowledge_contribution,
    acknowledgement_address,
    record_contribution,
    take_receipt_number,
    void_contribution,
)
from app.contributions.services.rules import CENT, ContributionData, clean_contribution

__all__ = [
    "CENT",
    "CombinedFigure",
    "ContributionData",
    "ContributionFilters",
    "LinkageSummary",
    "Totals",
    "acknowledge_contribution",
    "acknowledgement_address",
    "clean_contribution",
    "combine_money",
    "contribution_totals",
    "contribution_years",
    "contributions_of",
    "contributions_query",
    "contribution_activity",
    "engaged_alumni",
    "linkage_summary",
    "parse_rates",
    "record_contribution",
    "take_receipt_number",
    "void_contribution",
]
