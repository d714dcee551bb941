"""Admin for the drafting API: issue and revoke tokens, read drafts received and webhook attempts."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count

from answers import clock
from answers.admin import ReadOnlyAdmin
from editorial.access.roles import DRAFTING
from editorial.enqueue import enqueue_on_commit
from editorial.models import ApiToken, DraftReceipt, WebhookAttempt, WebhookDelivery
from editorial.models.api import DeliveryStatus


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # only on the add form: a token never changes hands
            self.fields["user"].queryset = get_user_model().objects.filter(groups__name=DRAFTING, is_active=True)
            self.fields["user"].help_text = f"Only members of the {DRAFTING} group can use the API."


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else ["user", "name", "prefix", "created_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["user", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, raw = ApiToken.issue(user=obj.user, name=obj.name)
        obj.pk = token.pk
        messages.warning(
            request,
            f"Copy these now, they are not shown again. Token: {raw}  Webhook signing secret: {token.webhook_secret}",
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: receipts keep pointing at the token that sent them

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, f"Revoked {count} token(s).")


@admin.register(DraftReceipt)
class DraftReceiptAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "revision", "token", "callback_url", "received_at"]
    list_select_related = ["revision", "token"]
    search_fields = ["external_id"]
    date_hierarchy = "received_at"


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["number", "started_at", "duration_ms", "response_status", "error", "response_body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "receipt", "url", "status", "attempt_count", "next_attempt_at"]
    list_filter = ["status", "event"]
    list_select_related = ["receipt"]
    search_fields = ["receipt__external_id", "url"]
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]
    readonly_fields = [
        "receipt", "event_uuid", "event", "url", "payload", "status", "created_at", "next_attempt_at", "delivered_at",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempt_total=Count("attempts"))

    @admin.display(description="attempts", ordering="attempt_total")
    def attempt_count(self, obj):
        return obj.attempt_total

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry now (also deliveries that gave up)")
    def retry_now(self, request, queryset):
        from editorial.webhooks.delivery import webhook_deliver

        ids = list(queryset.exclude(status=DeliveryStatus.DELIVERED).values_list("pk", flat=True))
        WebhookDelivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, next_attempt_at=clock.now())
        for delivery_id in ids:  # due now: with the broker down, the minute's retry sweep sends them
            enqueue_on_commit(webhook_deliver, delivery_id)
        self.message_user(request, f"Queued {len(ids)} delivery(ies).")
