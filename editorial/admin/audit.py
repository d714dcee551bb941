from django.contrib import admin

from editorial.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
