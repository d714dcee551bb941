"""Readers' follow-up questions are untrusted too: each payload of the corpus, asked
through the reader form, is inert on the pages that echo it and reaches the drafting
systems as JSON text, verbatim."""

import pytest
from django.urls import reverse

from answers.models import FollowUpQuestion, Status
from tests.xss_corpus import PAYLOADS, executable_markup, visible_text

PENDING = "/api/v1/questions/pending/"


@pytest.fixture
def answer(answer_in):
    return answer_in(Status.APPROVED)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_follow_up_payload_is_stored_as_text_and_never_echoed_as_markup(client, api, answer, editor, payload):
    text = f"Asking: {payload}"
    url = reverse("answers:follow_up", args=[answer.question.slug])

    response = client.post(url, {"text": text}, follow=True)

    assert response.status_code == 200
    assert executable_markup(response.content.decode()) == []
    question = FollowUpQuestion.objects.get()
    assert question.text == text.strip()
    pending = api.get(PENDING)
    assert pending["Content-Type"] == "application/json; charset=utf-8"
    assert [item["text"] for item in pending.json()["items"]] == [question.text]
    claimed = api.post(f"/api/v1/questions/{question.pk}/claim/")
    assert claimed.status_code == 200
    # The claim's audit event quotes the question: as text in the audit trail.
    client.force_login(editor)
    trail = client.get(reverse("admin:editorial_auditevent_changelist")).content.decode()
    assert executable_markup(trail) == []
    assert "Claimed a reader's follow-up question for drafting: Asking:" in visible_text(trail)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_refused_follow_up_is_shown_back_escaped(client, answer, payload):
    """The form with its error re-renders what the reader typed: as textarea text, never markup."""
    text = (payload + " ") * (2001 // (len(payload) + 1) + 1)
    url = reverse("answers:follow_up", args=[answer.question.slug])

    response = client.post(url, {"text": text})

    assert response.status_code == 400
    html = response.content.decode()
    assert executable_markup(html) == []
    assert " ".join(text.split())[:500] in visible_text(html)
    assert not FollowUpQuestion.objects.exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_search_for_a_payload_echoes_it_as_text(client, answer, payload):
    response = client.get(reverse("answers:list"), {"q": payload})

    assert response.status_code == 200
    assert executable_markup(response.content.decode()) == []


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "java\tscript:alert(1)"]
)
def test_personalize_never_redirects_off_site(client, target):
    response = client.post(reverse("answers:personalize"), {"audience": "patient", "next": target})

    assert response.status_code == 303
    assert response["Location"] == reverse("answers:list")
