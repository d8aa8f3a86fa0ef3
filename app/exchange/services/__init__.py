"""Exchange services: batches, partners and agreements; participations; credits; linking.

Pages, the CLI and the import call these, so the same rules hold everywhere.
"""

from app.exchange.services.batches import (  # noqa: F401
    MAX_DOCUMENT_BYTES,
    AgreementData,
    BatchData,
    PartnerData,
    add_partner_institution,
    attach_agreement_document,
    create_agreement,
    create_batch,
    partner_institutions,
    update_agreement,
    update_batch,
)
from app.exchange.services.credits import (  # noqa: F401
    CreditRuleData,
    credits_for_hours,
    rule_for,
    set_credit_rule,
)
from app.exchange.services.participations import (  # noqa: F401
    ParticipationData,
    ParticipationFilters,
    allowed_moves,
    change_status,
    create_participation,
    exchange_alumni,
    link_exchange_alumni,
    participations_of,
    record_recognition,
    search_participations,
    update_participation,
)
