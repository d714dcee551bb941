"""Readers' follow-up questions: stored for the drafting queue, validated, rate-limited, CSRF-protected."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from answers.models import FollowUpQuestion, FollowUpStatus
from answers.views import AUDIENCE_COOKIE

QUESTION = "Is intravenous iron safe during pregnancy?"


def _url(answer) -> str:
    return reverse("answers:follow_up", args=[answer.question.slug])


def test_a_valid_question_is_queued_and_the_reader_is_told(client, approved):
    answer = approved()
    response = client.post(_url(answer), {"text": f"  {QUESTION}  "}, follow=True)
    stored = FollowUpQuestion.objects.get()
    assert (stored.text, stored.answer, stored.status) == (QUESTION, answer, FollowUpStatus.PENDING)
    assert stored.audience == "professional"
    assert re.fullmatch(r"[0-9a-f]{64}", stored.client_key)
    assert "127.0.0.1" not in stored.client_key
    assert response.redirect_chain == [(f"{answer.get_absolute_url()}#follow-up", 303)]
    assert "your question is queued for drafting" in response.content.decode()


def test_the_question_keeps_the_readers_audience(client, approved):
    answer = approved()
    client.cookies[AUDIENCE_COOKIE] = "student"
    client.post(_url(answer), {"text": QUESTION})
    assert FollowUpQuestion.objects.get().audience == "student"


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "Write your question first."),
        ("   ", "Write your question first."),
        ("Why?", "Please write at least 10 characters."),
        ("x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        ("Null byte \x00 in a question", "Null characters are not allowed."),
    ],
)
def test_an_invalid_question_is_refused_with_the_reason_and_nothing_is_stored(client, approved, text, error):
    answer = approved()
    response = client.post(_url(answer), {"text": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert 'aria-invalid="true"' in html
    assert FollowUpQuestion.objects.count() == 0


def test_too_many_questions_from_one_client_are_refused(client, settings, approved):
    settings.FOLLOW_UP_RATE_LIMIT = 3
    answer = approved()
    for n in range(3):
        assert client.post(_url(answer), {"text": f"{QUESTION} ({n})"}).status_code == 303
    response = client.post(_url(answer), {"text": f"{QUESTION} (again)"})
    assert response.status_code == 429
    assert "You have sent several questions in a short time" in response.content.decode()
    assert FollowUpQuestion.objects.count() == 3
    other_client = Client(REMOTE_ADDR="10.0.0.9")
    assert other_client.post(_url(answer), {"text": QUESTION}).status_code == 303


def test_the_form_needs_a_csrf_token(approved):
    answer = approved()
    response = Client(enforce_csrf_checks=True).post(_url(answer), {"text": QUESTION})
    assert response.status_code == 403
    assert FollowUpQuestion.objects.count() == 0


def test_the_form_works_with_the_token_from_the_page(approved):
    answer = approved()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(answer.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(_url(answer), {"text": QUESTION, "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert FollowUpQuestion.objects.count() == 1


def test_no_question_can_be_asked_on_an_unpublished_answer(client, answer_in):
    answer = answer_in("submitted")
    assert client.post(_url(answer), {"text": QUESTION}).status_code == 404
    assert FollowUpQuestion.objects.count() == 0


def test_the_thank_you_is_shown_once_and_only_to_the_asker(client, approved):
    answer = approved()
    Client().get(answer.get_absolute_url())  # another reader warms the cache
    response = client.post(_url(answer), {"text": QUESTION}, follow=True)
    assert "your question is queued for drafting" in response.content.decode()
    assert "your question is queued" not in client.get(answer.get_absolute_url()).content.decode()
    assert "your question is queued" not in Client().get(answer.get_absolute_url()).content.decode()


@pytest.mark.redis
def test_the_rate_limit_is_shared_by_every_web_process_through_redis(client, settings, approved):
    from django.core.cache import caches

    from answers.follow_ups import client_key

    settings.FOLLOW_UP_RATE_LIMIT = 2
    answer = approved()
    assert caches["rate_limits"].__class__.__name__ == "RedisCache"
    client.post(_url(answer), {"text": QUESTION})
    # Another process has its own connection to the same Redis: it sees the same counter.
    other_process_cache = caches.create_connection("rate_limits")
    request = client.get(answer.get_absolute_url()).wsgi_request
    assert other_process_cache.get(f"answers:follow-up:{client_key(request)}") == 1
    other_process_cache.incr(f"answers:follow-up:{client_key(request)}")
    assert client.post(_url(answer), {"text": f"{QUESTION} (2)"}).status_code == 429


def test_with_the_counters_unreachable_a_question_is_refused_politely(client, settings, approved):
    answer = approved()
    nobody_listens = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    settings.CACHES = {
        **settings.CACHES,
        "rate_limits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": nobody_listens,
        },
    }
    response = client.post(_url(answer), {"text": QUESTION})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "We cannot take questions at the moment, so we did not store this one." in html
    assert QUESTION in html  # the reader keeps what they wrote
    assert FollowUpQuestion.objects.count() == 0


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings, approved):
    settings.FOLLOW_UP_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    answer = approved()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first.post(_url(answer), {"text": QUESTION}).status_code == 303
    assert first.post(_url(answer), {"text": QUESTION}).status_code == 429
    assert second.post(_url(answer), {"text": QUESTION}).status_code == 303
    # A client cannot dodge the limit by sending its own X-Forwarded-For entries.
    spoofing = Client(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert spoofing.post(_url(answer), {"text": QUESTION}).status_code == 429
