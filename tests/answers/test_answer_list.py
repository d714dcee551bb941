"""The list of approved answers: newest first, search, specialty filter, pagination."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from answers import search
from answers.models import AnswerSearch, Question, Status
from editorial.review import services
from tests.factories import APPROVAL, verify_citations


def _questions(response) -> list[str]:
    return [answer.question.text for answer in response.context["page"].object_list]


def test_home_and_answers_list_show_approved_answers_newest_first(client, approved):
    older = approved("2025-01-10", question="What is the first-line treatment for gout?")
    newer = approved("2025-05-20", question="How is atrial fibrillation anticoagulated?")
    for url in ("/", reverse("answers:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert _questions(response) == [newer.question.text, older.question.text]
    html = response.content.decode()
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "May 20, 2025" in html


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.REJECTED, Status.RETRACTED])
def test_list_leaves_out_answers_without_approved_content(client, settings, answer_in, approved, status):
    settings.SHOW_PENDING_ANSWERS = True
    shown = approved(question="What is the first-line treatment for gout?")
    answer_in(status)
    assert _questions(client.get("/answers/")) == [shown.question.text]


def test_search_finds_answers_by_question_and_by_approved_text(client, approved):
    gout = approved(question="What is the first-line treatment for gout?")
    fib = approved(
        question="How is atrial fibrillation anticoagulated?",
        sections=[{"heading": "From the Guidelines", "body": "Apixaban is preferred over warfarin [1]."}],
    )
    assert _questions(client.get("/answers/", {"q": "gout"})) == [gout.question.text]
    assert _questions(client.get("/answers/", {"q": "apixaban"})) == [fib.question.text]
    assert _questions(client.get("/answers/", {"q": "zebra"})) == []
    assert "No reviewed answer matches" in client.get("/answers/", {"q": "zebra"}).content.decode()


def test_search_ignores_text_that_is_still_in_review(client, approved, revise):
    answer = approved(question="What is the first-line treatment for gout?")
    answer = revise(answer, body="Colchicine at low dose [1].", approve=False)
    assert _questions(client.get("/answers/", {"q": "colchicine"})) == []


def test_hostile_search_input_is_handled(client, approved):
    approved()
    for query in ['"unbalanced', "a & | ! ( )", "<script>alert(1)</script>", "x" * 5000, "' OR 1=1 --"]:
        response = client.get("/answers/", {"q": query})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


def test_specialty_filter_keeps_one_specialty(client, approved, other_specialty):
    blood = approved(question="What is the first-line treatment for anaemia?")
    heart = approved(question="How is angina treated?")
    Question.objects.filter(pk=heart.question_id).update(specialty=other_specialty)  # the factory's specialty is fixed
    assert _questions(client.get("/answers/", {"specialty": "cardiology"})) == [heart.question.text]
    assert _questions(client.get("/answers/", {"specialty": "hematology-oncology"})) == [blood.question.text]
    html = client.get("/answers/").content.decode()
    assert '<option value="cardiology">Cardiology</option>' in html


def test_list_is_paginated(client, approved):
    for n in range(23):
        approved(question=f"Question number {n} about anaemia?")
    first = client.get("/answers/")
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/answers/", {"page": 2})
    assert len(second.context["page"].object_list) == 3
    assert client.get("/answers/", {"page": "999"}).status_code == 200
    assert client.get("/answers/", {"page": "abc"}).status_code == 200


def test_list_runs_a_fixed_number_of_queries(client, approved, django_assert_num_queries):
    for n in range(5):
        approved(question=f"Question number {n} about anaemia?")
    with django_assert_num_queries(3):  # count, page, specialties
        client.get("/answers/")


@pytest.fixture
def eager_tasks():
    """A committed approval's e-mail is sent in this process, not queued on the shared Redis."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_committed_while_the_list_is_read_pushes_no_answer_off_it(
    client, approved, answer_in, board_member, eager_tasks
):
    """The page counts, then reads its rows: an approval committing in between (here,
    from another connection right after the count) must not change what the page lists."""
    published = approved(question="What is the first-line treatment for gout?")
    pending = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, pending)

    def approve():
        try:
            services.answer_approve(acting_user=board_member, answer=pending, attestation=APPROVAL)
        finally:
            connections.close_all()

    def approve_after_the_count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT COUNT(*)") and not done.is_set():
            done.set()
            approving = threading.Thread(target=approve)
            approving.start()
            approving.join()
        return result

    done = threading.Event()
    with connection.execute_wrapper(approve_after_the_count):
        during = client.get("/answers/")

    assert done.is_set()
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    # One moment of the database: the count and the rows agree (before the approval).
    assert "1 answer\n" in during.content.decode()
    assert _questions(during) == [published.question.text]
    assert _questions(client.get("/answers/")) == [pending.question.text, published.question.text]


@pytest.mark.postgres
def test_postgres_search_ranks_question_matches_above_body_matches(client, approved):
    in_body = approved(
        "2025-06-01",
        question="How is atrial fibrillation anticoagulated?",
        sections=[{"heading": "Note", "body": "Patients with gout also need care [1]."}],
    )
    in_question = approved("2025-01-01", question="What is the first-line treatment for gout?")
    assert _questions(client.get("/answers/", {"q": "gout"})) == [in_question.question.text, in_body.question.text]
    # websearch syntax: stemming and negation
    assert _questions(client.get("/answers/", {"q": "treatments -fibrillation"})) == [in_question.question.text]


@pytest.mark.postgres
def test_postgres_search_matches_words_split_between_question_and_text(client, approved):
    both = approved(
        question="How is atrial fibrillation anticoagulated?",
        sections=[{"heading": "From the Guidelines", "body": "Apixaban is preferred over warfarin [1]."}],
    )
    gout = approved(question="What is the first-line treatment for gout?")
    assert _questions(client.get("/answers/", {"q": "fibrillation apixaban"})) == [both.question.text]
    assert sorted(_questions(client.get("/answers/", {"q": "gout or apixaban"}))) == sorted(
        [both.question.text, gout.question.text]
    )
    assert _questions(client.get("/answers/", {"q": "-apixaban"})) == ["What is the first-line treatment for gout?"]
    assert _questions(client.get("/answers/", {"q": "gout apixaban"})) == []


def _document(answer) -> str | None:
    """The stored search document of an answer, as PostgreSQL prints it (None when there is none)."""
    row = AnswerSearch.objects.filter(answer=answer).values_list("document", flat=True).first()
    return None if row is None else str(row)


@pytest.mark.postgres
def test_postgres_search_document_follows_the_live_revision(client, approved, revise, board_member):
    answer = approved(
        question="What is the first-line treatment for gout?",
        sections=[{"heading": "From the Guidelines", "body": "Allopurinol lowers urate [1]."}],
    )
    assert "'allopurinol':" in _document(answer) and "'gout':" in _document(answer)

    # A revision still in review changes nothing readers can find.
    answer = revise(answer, body="Febuxostat is an alternative [1].", approve=False)
    assert "'febuxostat'" not in _document(answer)
    assert _questions(client.get("/answers/", {"q": "febuxostat"})) == []

    # Once approved, the new text is found and the old text no longer is.
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    verify_citations(board_member, answer)
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    assert "'febuxostat':" in _document(answer) and "'allopurinol'" not in _document(answer)
    assert _questions(client.get("/answers/", {"q": "febuxostat"})) == [answer.question.text]
    assert _questions(client.get("/answers/", {"q": "allopurinol"})) == []


@pytest.mark.postgres
def test_postgres_retraction_removes_the_search_document(answer_in):
    answer = answer_in(Status.RETRACTED, question="What is the first-line treatment for gout?")
    assert _document(answer) is None
    assert not AnswerSearch.objects.exists()


@pytest.mark.postgres
def test_postgres_question_text_change_reaches_the_search_document(client, approved):
    answer = approved(question="What is the first-line treatment for gout?")
    Question.objects.filter(pk=answer.question_id).update(text="What is the first-line treatment for pseudogout?")
    assert "'pseudogout':" in _document(answer)
    assert _questions(client.get("/answers/", {"q": "pseudogout"})) == [
        "What is the first-line treatment for pseudogout?"
    ]


@pytest.mark.postgres
def test_postgres_rebuild_restores_missing_and_drops_stray_documents(approved, answer_in):
    kept = approved(question="What is the first-line treatment for gout?")
    expected = _document(kept)
    retracted = answer_in(Status.RETRACTED, question="How is atrial fibrillation anticoagulated?")
    with connection.cursor() as cursor:  # what a bulk load leaves: one missing, one stray
        cursor.execute("DELETE FROM answers_answersearch")
        cursor.execute(
            "INSERT INTO answers_answersearch (answer_id, document) VALUES (%s, to_tsvector('stale'))", [retracted.pk]
        )
    out = StringIO()
    call_command("rebuild_search", stdout=out)
    assert _document(kept) == expected
    assert _document(retracted) is None
    assert "1 answer" in out.getvalue()


def test_search_documents_are_kept_on_postgresql_only(approved):
    """SQLite has no triggers: there the reader search scans the text instead."""
    approved(question="What is the first-line treatment for gout?")
    on_postgres = connection.vendor == "postgresql"
    assert AnswerSearch.objects.exists() == on_postgres
    assert search.rebuild() == (1 if on_postgres else 0)
