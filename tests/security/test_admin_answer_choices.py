"""Admin pages of models that point at an answer open (they once failed with a 500:
the answer admin's ordering named an annotation the plain Answer manager lacks)."""

from django.urls import reverse

from answers.models import Status
from editorial.models import AuditEvent


def test_an_editor_can_open_a_revision_and_an_audit_event(client, answer_in, editor, superuser):
    answer = answer_in(Status.APPROVED)
    event = AuditEvent.objects.filter(answer=answer).first()
    client.force_login(superuser)

    revision_page = client.get(reverse("admin:answers_revision_change", args=[answer.live_revision_id]))
    event_page = client.get(reverse("admin:editorial_auditevent_change", args=[event.pk]))

    assert revision_page.status_code == 200
    assert event_page.status_code == 200
    assert answer.question.text.encode() in revision_page.content
