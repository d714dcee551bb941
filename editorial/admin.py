from django.contrib import admin

from answers.models import Answer
from editorial.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: read it here, never edit it."""

    list_display = ["created_at", "action", "actor_label", "answer_id", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["actor_label", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "audience", "status", "reviewer", "next_review_due"]
    list_filter = ["status", "audience"]
    list_select_related = ["question", "reviewer"]
    readonly_fields = [f.name for f in Answer._meta.fields]
