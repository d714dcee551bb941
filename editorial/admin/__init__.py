"""The reviewer's desk: the editorial admin.

`answers.py` holds the answer list and review page, `forms.py` the forms its
buttons open, `audit.py` the read-only audit trail. Importing this package
registers them with the default admin site.
"""

from django.contrib import admin

from editorial.admin.answers import AnswerAdmin
from editorial.admin.audit import AuditEventAdmin

# The index greets each user with their own queue counts (editorial_desk tags).
admin.site.index_template = "admin/editorial/index.html"

__all__ = ["AnswerAdmin", "AuditEventAdmin"]
