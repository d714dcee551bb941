"""The reviewer's desk: the editorial admin.

`answers.py` holds the answer list and review page, `decisions.py` the
decision buttons and their views, `forms.py` the forms they open, `audit.py`
the read-only audit trail, `profiles.py` the public reviewer profiles
(audited), `risk.py` the high-alert drug list, `api_tokens.py` the drafting
systems' tokens and webhook deliveries. Importing this package (Django's admin autodiscovery)
registers them with the project's admin site (`config.admin`).

Entry point: may import every editorial capability, never the other way round.
"""

from editorial.admin.answers import AnswerAdmin
from editorial.admin.api_tokens import ApiTokenAdmin
from editorial.admin.audit import AuditEventAdmin
from editorial.admin.profiles import ReviewerProfileAdmin
from editorial.admin.risk import HighAlertDrugAdmin

__all__ = ["AnswerAdmin", "ApiTokenAdmin", "AuditEventAdmin", "HighAlertDrugAdmin", "ReviewerProfileAdmin"]
