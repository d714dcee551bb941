import re

from django.contrib.messages import get_messages

from answers import clock
from editorial.models import ApiToken, WebhookAttempt, WebhookDelivery
from editorial.models.api import DraftReceipt, token_digest
from tests.support.api import ApiClient


def test_an_admin_creates_a_token_and_sees_it_once(client, superuser, drafter, specialty, draft_payload):
    client.force_login(superuser)

    response = client.post("/admin/editorial/apitoken/add/", {"user": drafter.pk, "name": "medrafter"}, follow=True)

    shown = " ".join(str(m) for m in get_messages(response.wsgi_request)) or response.content.decode()
    raw = re.search(r"Token: (vt_[\w-]+)", shown).group(1)
    token = ApiToken.objects.get()
    assert token.digest == token_digest(raw) and token.user == drafter
    assert token.webhook_secret in shown
    detail = client.get(f"/admin/editorial/apitoken/{token.pk}/change/").content.decode()
    assert raw not in detail and token.webhook_secret not in detail
    client.logout()
    assert ApiClient(client, raw).post("/api/v1/drafts/", draft_payload()).status_code == 201


def test_only_drafting_systems_can_be_given_a_token(client, superuser, reader):
    client.force_login(superuser)

    response = client.post("/admin/editorial/apitoken/add/", {"user": reader.pk, "name": "stray"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_in_the_admin_locks_the_token_out(client, superuser, token, specialty, draft_payload):
    client.force_login(superuser)

    client.post("/admin/editorial/apitoken/", {"action": "revoke", "_selected_action": [token[0].pk]}, follow=True)

    assert ApiToken.objects.get().revoked_at is not None
    client.logout()
    assert ApiClient(client, token[1]).post("/api/v1/drafts/", draft_payload()).status_code == 401


def test_deliveries_and_every_attempt_are_visible_in_the_admin(client, superuser, api, draft_payload):
    api.post("/api/v1/drafts/", draft_payload(callback_url="https://drafter.example/hooks"))
    delivery = WebhookDelivery.objects.create(
        receipt=DraftReceipt.objects.get(),
        event_uuid="6f1c7c55-6a0e-4a8e-9a55-3d8f2f1f9b10",
        event="approved",
        url="https://drafter.example/hooks",
        payload={"event": "approved"},
    )
    WebhookAttempt.objects.create(delivery=delivery, number=1, response_status=503, response_body="try later")
    WebhookAttempt.objects.create(delivery=delivery, number=2, error="ConnectionRefusedError: refused")
    client.force_login(superuser)

    listing = client.get("/admin/editorial/webhookdelivery/").content.decode()
    detail = client.get(f"/admin/editorial/webhookdelivery/{delivery.pk}/change/").content.decode()

    assert "https://drafter.example/hooks" in listing
    assert "503" in detail and "try later" in detail and "ConnectionRefusedError" in detail


def test_retry_now_puts_a_given_up_delivery_back_in_the_queue(
    client, superuser, api, draft_payload, django_capture_on_commit_callbacks
):
    api.post("/api/v1/drafts/", draft_payload(callback_url="https://drafter.example/hooks"))
    delivery = WebhookDelivery.objects.create(
        receipt=DraftReceipt.objects.get(),
        event_uuid="6f1c7c55-6a0e-4a8e-9a55-3d8f2f1f9b11",
        event="rejected",
        url="https://drafter.example/hooks",
        payload={"event": "rejected"},
        status="failed",
    )
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post("/admin/editorial/webhookdelivery/", {"action": "retry_now", "_selected_action": [delivery.pk]})

    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.next_attempt_at <= clock.now()
    assert len(queued) == 1
