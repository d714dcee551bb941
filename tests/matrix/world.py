"""One small world with an object behind every URL pattern, for the permission matrix."""

import json
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from answers.models import Answer, FollowUpQuestion, ReviewerProfile, SourceKind, Status
from editorial.access import roles
from editorial.models import ApiToken, AuditEvent, DraftReceipt, HighAlertDrug, ReportExport, WebhookDelivery
from editorial.models.exports import ExportStatus
from editorial.review import checks, edits, services
from tests import factories
from tests.factories import APPROVAL

ROLES = ("anonymous", "reader", "drafting_system", "author", "board_member", "editor", "superuser")

DRAFT = {
    "external_id": "matrix-0001",
    "question": "What is the first-line treatment for hypothyroidism?",
    "specialty": "hematology-oncology",
    "sections": [{"heading": "From the Guidelines", "body": "Levothyroxine [1]."}],
    "citations": [{"number": 1, "title": "Guideline on hypothyroidism", "year": 2020}],
    "model": {"name": "medrafter", "version": "1.0"},
    "callback_url": "https://drafter.example/hook",
}


@dataclass
class World:
    users: dict
    tokens: dict
    ids: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # role -> session key, for the admin and reader pages


def build(client, specialty) -> World:
    user = factories.user
    users = {
        "reader": user("rita", staff=False),
        "drafting_system": user("drafter", roles.DRAFTING, staff=False),
        # The author drafts by hand (as an editor may) and sits on the board.
        "author": user("arthur", roles.BOARD, roles.EDITORS),
        "board_member": user("maya", roles.BOARD),
        "second_reviewer": user("daniel", roles.BOARD),
        "editor": user("edith", roles.EDITORS),
        "superuser": user("root", superuser=True),
    }
    for key in ("author", "board_member", "second_reviewer"):
        factories.reviewer_profile(
            users[key], display_name=key.title(), slug=key.replace("_", "-"), specialties=[specialty]
        )
    # Every signed-in role carries a token, so the API's answer depends on the role, not on a missing token.
    tokens = {role: ApiToken.issue(user=users[role], name=f"{role} token")[1] for role in ROLES[1:]}

    # The drafting system's draft, through the API: under review, held by the board member.
    response = client.post(
        "/api/v1/drafts/",
        json.dumps(DRAFT),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['drafting_system']}",
    )
    assert response.status_code == 201, response.content
    drafted = Answer.objects.get(pk=response.json()["answer_id"])
    drafted = services.answer_start_review(acting_user=users["board_member"], answer=drafted)
    drafted.refresh_from_db()

    # The author's hand-written revision, waiting in review by the board member.
    authored = factories.submitted(
        by=users["author"],
        specialty=specialty,
        question="How is anaemia in pregnancy treated?",
        source_kind=SourceKind.HUMAN,
    )
    authored = services.answer_start_review(acting_user=users["board_member"], answer=authored)
    authored.refresh_from_db()
    comment = checks.comment_add(acting_user=users["editor"], answer=authored, body="Please check the dose.")
    resolved = checks.comment_add(
        acting_user=users["board_member"], answer=authored, body="Which trial?", section=1, quote=""
    )
    checks.comment_resolve(acting_user=users["editor"], comment=resolved)

    # An approved, public answer, with its decision sent as a webhook.
    published = Answer.objects.get(pk=response.json()["answer_id"])
    factories.verify_citations(users["board_member"], drafted)
    published = services.answer_approve(acting_user=users["board_member"], answer=published, attestation=APPROVAL)
    published.refresh_from_db()
    assert published.status == Status.APPROVED

    # An editor's edit of a drafting system's draft, waiting in review (the edit's diff page).
    edited = factories.submitted(
        by=users["drafting_system"], specialty=specialty, question="Is iron safe in pregnancy?"
    )
    edited = edits.revision_edit(
        acting_user=users["editor"],
        answer=edited,
        content={
            "sections": [{"heading": "Key Findings", "body": "Yes, from the second trimester [1]."}],
            "citations": [{"number": 1, "title": "Iron in pregnancy", "year": 2022}],
        },
    )

    follow_up = FollowUpQuestion.objects.create(text="Is it safe in pregnancy?", answer=published)
    export = ReportExport.objects.create(requested_by=users["editor"], status=ExportStatus.DONE)
    export.file.save("matrix-export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    ip = "10.0.0.1"
    attempt = AccessAttempt.objects.create(username="x", ip_address=ip, user_agent="t", failures_since_start=1)
    log = AccessLog.objects.create(username="x", ip_address=ip, user_agent="t")
    failure = AccessFailureLog.objects.create(username="x", ip_address=ip, user_agent="t", locked_out=False)

    world = World(users=users, tokens=tokens)
    world.ids = {
        "group": Group.objects.get(name=roles.BOARD).pk,
        "user": users["reader"].pk,
        "specialty": specialty.pk,
        "question": published.question_id,
        "reviewerprofile": ReviewerProfile.objects.get(user=users["board_member"]).pk,
        "highalertdrug": HighAlertDrug.objects.order_by("pk").first().pk,  # seeded by a migration
        "revision": published.live_revision_id,
        "answer": authored.pk,
        "answer_ct": ContentType.objects.get_for_model(Answer).pk,
        "citation": authored.pending_revision.citations.first().pk,
        "auditevent": AuditEvent.objects.order_by("id").first().pk,
        "accessattempt": attempt.pk,
        "accesslog": log.pk,
        "accessfailurelog": failure.pk,
        "apitoken": ApiToken.objects.get(user=users["drafting_system"]).pk,
        "draftreceipt": DraftReceipt.objects.get().pk,
        "webhookdelivery": WebhookDelivery.objects.get().pk,
        "draft": response.json()["id"],
        "slug": published.question.slug,
        "follow_up": follow_up.pk,
        "export": export.pk,
        "second_reviewer": users["second_reviewer"].pk,
        "edited_answer": edited.pk,
        "edit_revision": edited.pending_revision_id,
        "comment": comment.pk,
        "resolved_comment": resolved.pk,
    }
    return world
