from django.contrib import admin

from answers.admin import ReadOnlyAdmin
from editorial.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: read it here, never edit it.

    The review page links here filtered to one answer (`?answer__id__exact=`).
    """

    list_display = ["created_at", "action_label", "actor_label", "answer_id", "from_state", "to_state", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_label", "reason"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description="Action", ordering="action")
    def action_label(self, event: AuditEvent) -> str:
        return event.label
