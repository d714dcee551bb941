"""XSS payloads drafted through the real API into every text field that reaches a
page, reviewed and approved through the services, stay inert on every page, block,
feed and message they reach.

Per payload: the draft is submitted (`POST /api/v1/drafts/`), sent back with the
payload as the reason, submitted again, its citation verified with the payload as
note, waived by an editor with the payload as reason, commented on with the payload
(on the whole answer, and on a section and a sentence of each revision, which "Request
changes" sends with its reason; the open ones are listed in the review page's decision
area, one is resolved and reopened), and approved. Then the reader page (and its JSON-LD), the list and search, the
sitemap, the admin pages reviewers and editors read (the audit trail's sentences quote
the reason and the note as text), the API's draft detail, the
e-mails the history produced, the report pages and CSV exports, and the reports'
refusals of a bad `export` or filter value (the payload as the value) are checked.

This walk costs seconds per payload, so it takes one payload per escaping context
a drafted string meets on those surfaces (`SURFACE_PAYLOADS`). The whole corpus
still runs where each payload is cheap: through the sanitizer
(`tests/answers/test_sanitizer.py`), and through readers' follow-up questions and
staff-written text (`test_xss_follow_ups.py`, `test_xss_staff_text.py`).
"""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from answers import clock
from answers.models import Answer, Revision
from answers.sentences import section_sentences
from editorial.models import AuditEvent, OutboxMessage
from editorial.notify import deliveries
from editorial.review import checks, services
from tests.factories import APPROVAL
from tests.xss_corpus import PAYLOADS, executable_markup, json_ld, visible_text

DRAFTS = "/api/v1/drafts/"

# Escaping context -> the corpus payload that stands for it. Each field of `_draft` puts the
# payload into several contexts at once (the question into h1 text, <title>, JSON-LD and an
# e-mail subject; citation fields into text, JSON-LD and, compacted, href attributes), so
# the choice is of what the payload attacks, not of where it lands.
SURFACE_PAYLOADS = {
    "tag: a script element": "<script>alert(1)</script>",
    "tag: an event handler smuggled past the parser": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "attribute: a quote closing the src of a Markdown image": '![x](x" onerror="alert(1))',
    "URL: a javascript: scheme spelt in entities": (
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>'
    ),
    "URL: a control character inside the scheme": "[click](java\tscript:alert(1))",
    "script/JSON: a comment opener and </script> for the JSON-LD block": "<!--<script>alert(1)</script>-->",
    "CSS: a javascript: URL in a style attribute": '<div style="background:url(javascript:alert(1))">x</div>',
    "CSS: a style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "Markdown link: a javascript: target": "[click](javascript:alert(1))",
    "Markdown link: a title that fakes a citation marker": '[x](http://ok.example "[1] onmouseover=alert(1)")',
}
REPORT_PAGES = ["backlog", "throughput", "turnaround", "reviewers", "quality", "agreement"]


def _draft(payload: str, n: int, external_id: str) -> dict:
    compact = "".join(payload.split())  # URLs and DOIs cannot hold whitespace
    return {
        "external_id": external_id,
        "question": f"Question {n}: {payload}",
        "specialty": "hematology-oncology",
        "audience": "professional",
        "sections": [
            {"heading": payload[:200], "body": f"Before {payload} after [1]."},
            {"heading": "Details", "body": f"{payload}\n\n- item [1]\n- {payload}\n\n### {payload}"},
        ],
        "citations": [
            {
                "number": 1,
                "title": payload,
                "authors": payload,
                "journal": payload[:300],
                "year": 2021,
                "url": f"https://example.org/ref?{compact}"[:500],
                "doi": f"10.1000/{compact}"[:200],
            },
            # A second citation: waivers never cover every citation of a revision.
            {"number": 2, "title": "A plain second source", "year": 2020},
        ],
        "model": {"name": payload[:120], "version": "1.0"},
    }


def _inert(response, where: str) -> str:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    html = response.content.decode()
    assert executable_markup(html) == [], where
    return html


@pytest.fixture
def published(api, client, board_member, editor):
    """The payload's answer, taken through the whole review; returns (answer, revision)."""

    def _published(payload: str) -> tuple[Answer, Revision]:
        n = PAYLOADS.index(payload)
        first = api.post(DRAFTS, _draft(payload, n, f"xss-{n}-1"))
        assert first.status_code == 201, first.json()
        answer_id = first.json()["answer_id"]
        services.answer_start_review(acting_user=board_member, answer=answer_id)
        _comment_on_passages(answer_id, payload, board_member, editor)
        services.answer_request_changes(acting_user=board_member, answer=answer_id, reason=payload)

        again = api.post(DRAFTS, _draft(payload, n, f"xss-{n}-2"))
        assert again.status_code == 201, again.json()
        services.answer_start_review(acting_user=board_member, answer=answer_id)
        revision = Revision.objects.get(pk=again.json()["id"])
        for citation in revision.citations.all():
            checks.citation_verdict_record(
                acting_user=board_member, citation=citation, verdict="verified", note=payload
            )
            if citation.number == 1:
                checks.citation_verdict_waive(acting_user=editor, citation=citation, reason=payload)
        checks.comment_add(acting_user=board_member, answer=answer_id, body=payload)
        _comment_on_passages(answer_id, payload, board_member, editor)
        # Before the decision: the open comments beside their sections and in the decision area.
        client.force_login(board_member)
        html = _inert(client.get(reverse("admin:answers_answer_change", args=[answer_id])), "review page (pending)")
        area = html[html.index('id="decision"') : html.index('id="workspace"')]
        assert " ".join(payload.split()) in visible_text(area), "decision area"
        client.logout()
        services.answer_approve(acting_user=board_member, answer=answer_id, attestation=APPROVAL)
        return Answer.objects.select_related("question").get(pk=answer_id), revision

    return _published


def _comment_on_passages(answer_id: int, payload: str, board_member, editor) -> None:
    """The payload as comments on the pending revision: on section 1, on its first sentence (as
    readers read it: the payload rendered), one of them resolved and reopened, one left resolved."""
    pending = Answer.objects.get(pk=answer_id).pending_revision
    first = pending.sections.get(position=1)
    (quote, *_) = section_sentences(first)
    on_sentence = checks.comment_add(acting_user=editor, answer=answer_id, body=payload, section=1, quote=quote)
    checks.comment_resolve(acting_user=board_member, comment=on_sentence)
    checks.comment_reopen(acting_user=editor, comment=on_sentence)
    checks.comment_add(acting_user=board_member, answer=answer_id, body=payload, section=2)
    done = checks.comment_add(acting_user=board_member, answer=answer_id, body=f"done {payload}", section=1)
    checks.comment_resolve(acting_user=editor, comment=done)


def _check_reader_pages(client, answer: Answer) -> None:
    html = _inert(client.get(answer.get_absolute_url()), "answer page")
    # The payload reached the page, as text: the reader reads what was drafted.
    assert answer.question.text in visible_text(html)
    ((raw, data),) = json_ld(html)
    assert "</script" not in raw.lower() and "<" not in raw
    assert data["name"] == answer.question.text
    assert {c["name"] for c in data["citation"]} == {c.title for c in answer.live_revision.citations.all()}

    _inert(client.get(reverse("answers:list")), "list page")
    _inert(client.get(reverse("answers:list"), {"q": answer.question.text}), "search page")
    response = client.get(reverse("answers:sitemap"))
    assert response.status_code == 200
    locations = [
        e.text for e in ET.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert f"http://testserver{answer.get_absolute_url()}" in locations
    assert all(loc.startswith("http://testserver/") for loc in locations)


def _check_admin_pages(client, answer: Answer, revision: Revision, board_member, editor, payload: str) -> None:
    # The trail's sentences quote what people typed (reasons, notes, comments): as text.
    sentences = [" ".join(f"{words}{payload}".split()) for words in ("Requested changes: ", ": verified: ")]
    client.force_login(board_member)
    html = _inert(client.get(reverse("admin:answers_answer_change", args=[answer.pk])), "review page (reviewer)")
    assert answer.question.text in visible_text(html)
    assert all(sentence in visible_text(html) for sentence in sentences), "review page trail"
    _inert(client.get(reverse("admin:answers_answer_changelist")), "review queue (reviewer)")
    client.force_login(editor)
    _inert(client.get(reverse("admin:answers_answer_change", args=[answer.pk])), "review page (editor)")
    _inert(client.get(reverse("admin:answers_revision_change", args=[revision.pk])), "revision page")
    _inert(client.get(reverse("admin:answers_question_changelist")), "question list")
    html = _inert(client.get(reverse("admin:editorial_auditevent_changelist")), "audit trail")
    assert all(sentence in visible_text(html) for sentence in sentences), "audit trail"
    assert " ".join(answer.question.text.split()) in visible_text(html)  # the question names the answer
    for event in AuditEvent.objects.filter(answer=answer).exclude(reason=""):
        _inert(client.get(reverse("admin:editorial_auditevent_change", args=[event.pk])), f"audit event {event.action}")
    _inert(
        client.get(
            reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": "retract"})
        ),
        "retract form",
    )
    client.logout()


def _check_api(api, revision: Revision, payload: str) -> None:
    response = api.get(f"{DRAFTS}{revision.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.json()
    # JSON carries the text as it was written; it is never served as HTML.
    assert payload.strip() in {d["reason"] for d in body["decisions"]} | {c["note"] for c in body["citations"]}


def _check_api_comments(api, answer: Answer, payload: str) -> None:
    """The first revision's "Request changes" carried its open comments, payload as written."""
    first = answer.revisions.get(number=1)
    (decision,) = api.get(f"{DRAFTS}{first.pk}/").json()["decisions"]
    heading, quote = first.sections.get(position=1).heading, section_sentences(first.sections.get(position=1))[0]
    assert decision["comments"] == [
        {"section": heading, "quote": quote, "comment": payload.strip()},
        {"section": first.sections.get(position=2).heading, "quote": None, "comment": payload.strip()},
    ]


def _check_emails(answer: Answer, editor) -> None:
    messages = list(OutboxMessage.objects.filter(answer_id=answer.pk).select_related("event__revision", "answer"))
    assert {m.kind for m in messages} >= {"submitted", "decision"}
    letters = [deliveries.render(m, deliveries.Letter(editor)) for m in messages]
    letters.append(
        deliveries.render(OutboxMessage(kind="digest"), deliveries.Letter(editor, deliveries.digest_context()))
    )
    for letter in letters:
        # Plain text only: no mail client parses the body as HTML, so drafted text is shown, never run.
        assert letter.content_subtype == "plain"
        assert not getattr(letter, "alternatives", None) and not letter.attachments
        assert "\n" not in letter.subject and "\r" not in letter.subject
        mime = letter.message()
        assert mime.get_content_type() == "text/plain"
    assert any(answer.question.text[:60] in letter.body for letter in letters)


def _check_reports(client, editor, payload: str) -> None:
    client.force_login(editor)
    today = clock.today().isoformat()
    period = {"date_from": today, "date_to": today}
    for page in REPORT_PAGES:
        _inert(client.get(reverse("editorial_reports:page", args=[page]), period), f"report {page}")
    for table in ("reasons", "quality"):
        response = client.get(reverse("editorial_reports:page", args=["quality"]), {**period, "export": table})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
        if table == "reasons":
            assert any(payload.strip() in cell for row in rows for cell in row)
    # The filter's own refusals quote what was asked for: as plain text, or escaped in the page.
    backlog = reverse("editorial_reports:page", args=["backlog"])
    for query in ({"export": payload}, {"export": "backlog", "model": payload}):
        response = client.get(backlog, query)
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/plain; charset=utf-8", query
        assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(backlog, {"model": payload})
    assert response.status_code == 400
    assert executable_markup(response.content.decode()) == [], "backlog page with a bad filter"
    client.logout()


@pytest.mark.parametrize("payload", list(SURFACE_PAYLOADS.values()), ids=list(SURFACE_PAYLOADS))
def test_a_drafted_payload_is_inert_everywhere_it_is_shown(
    client, api, published, board_member, editor, mailoutbox, payload
):
    answer, revision = published(payload)

    _check_reader_pages(client, answer)
    _check_admin_pages(client, answer, revision, board_member, editor, payload)
    _check_api(api, revision, payload)
    _check_api_comments(api, answer, payload)
    _check_emails(answer, editor)
    _check_reports(client, editor, payload)
