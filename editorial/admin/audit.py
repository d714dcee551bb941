from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from answers.admin import ReadOnlyAdmin
from editorial.audit import describe
from editorial.models import AuditEvent
from editorial.review.double import blind_answer_ids


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: read it here, never edit it.

    Each event reads as a sentence (`editorial.audit.describe`), its answer as
    the question; the stored row (action code, states, data, hashes) follows on
    the event's page. The review page links here filtered to one answer
    (`?answer__id__exact=`).
    """

    list_display = ["when", "sentence", "who", "question", "state"]
    list_select_related = describe.TRAIL_RELATED
    list_filter = ["action"]
    search_fields = ["actor_label", "reason"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = ["sentence", "who", "question", "state", "uuid"]
    fieldsets = [
        (None, {"fields": ["sentence", "created_at", "who", "question", "state", "reason"]}),
        (
            "As stored (hashed into the chain)",
            {
                "fields": [
                    "action",
                    "actor",
                    "actor_label",
                    "answer",
                    "revision",
                    "revision_hash",
                    "from_state",
                    "to_state",
                    "data",
                    "uuid",
                    "prev_hash",
                    "hash",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["editorial/review.css"]}  # the trail's columns, shared with the review page

    def get_queryset(self, request):
        # A board member blind to a high-risk revision's first review (its second review is not
        # complete) does not read that answer's trail here either (editorial/review/double.py).
        queryset = super().get_queryset(request).select_related(*describe.TRAIL_RELATED)
        blind = blind_answer_ids(request.user)
        return queryset.exclude(answer_id__in=blind) if blind else queryset

    @admin.display(description="When", ordering="created_at")
    def when(self, event: AuditEvent) -> str:
        return f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}"

    @admin.display(description="Who", ordering="actor_label")
    def who(self, event: AuditEvent) -> str:
        return event.actor_label or "system"

    @admin.display(description="What happened")
    def sentence(self, event: AuditEvent) -> str:
        return describe.describe(event)

    @admin.display(description="Question")
    def question(self, event: AuditEvent) -> str:
        text = describe.question_text(event)
        if not text:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:answers_answer_change", args=[event.answer_id]), text)

    @admin.display(description="State")
    def state(self, event: AuditEvent) -> str:
        return describe.state_change(event) or "—"
