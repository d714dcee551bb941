"""The reviewer's desk as a test reads it: its URLs, the messages it flashes, an answer as stored now."""

from django.contrib.messages import get_messages
from django.urls import reverse

from answers.models import Answer
from editorial.models import AuditEvent


def review_url(answer: Answer) -> str:
    return reverse("admin:answers_answer_change", args=[answer.pk])


def transition_url(answer: Answer, name: str) -> str:
    return reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": name})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def event_count(answer: Answer) -> int:
    return AuditEvent.objects.filter(answer_id=answer.pk).count()


def reloaded(answer: Answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)
