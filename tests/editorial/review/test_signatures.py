"""Every approval is an electronic signature (21 CFR 11.50, 11.70): printed name and
credentials as they were at signing, the time in UTC, the meaning, the content hash of
the revision signed; written once; shown to readers; checked by verify_signatures."""

import json
import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from answers import clock
from answers.models import ImmutableError, ReviewerProfile, Section, Signature, SignatureMeaning, Status
from editorial.review import services
from tests import factories

pytestmark = pytest.mark.django_db

SIGNED_AT = datetime(2026, 3, 20, 9, 14, tzinfo=UTC)


@pytest.fixture
def approved(answer_in):
    with clock.travel(SIGNED_AT):
        return answer_in(Status.APPROVED)


def test_approving_signs_the_revision_as_the_signer_was_at_signing(approved, board_member):
    (signature,) = Signature.objects.all()
    assert signature.revision_id == approved.live_revision_id
    assert signature.signer == board_member
    assert (signature.printed_name, signature.credentials, signature.specialties) == (
        "Dr. Maya Chen",
        "MD, FACP",
        "Hematology/Oncology",
    )
    assert signature.meaning == SignatureMeaning.APPROVED
    assert signature.content_hash == approved.live_revision.content_hash
    assert signature.statement == (
        "Electronically signed by Dr. Maya Chen, MD, FACP (Hematology/Oncology) on 20 March 2026, "
        "09:14 UTC: Approved for publication"
    )
    # a later profile edit does not rewrite what was signed
    ReviewerProfile.objects.filter(user=board_member).update(display_name="Dr. M. Chen-Smith", credentials="MD")
    signature.refresh_from_db()
    assert signature.printed_name == "Dr. Maya Chen" and signature.credentials == "MD, FACP"


def test_re_approval_signs_again_with_its_own_meaning(approved, board_member):
    with clock.travel(SIGNED_AT + settings.REVIEW_INTERVAL + timedelta(days=1)):
        services.answer_reaffirm(acting_user=board_member, answer=approved, attestation=factories.APPROVAL)
    meanings = list(Signature.objects.order_by("id").values_list("meaning", "revision_id"))
    assert meanings == [
        (SignatureMeaning.APPROVED, approved.live_revision_id),
        (SignatureMeaning.REAPPROVED, approved.live_revision_id),
    ]


def test_decisions_that_publish_nothing_sign_nothing(answer_in):
    answer_in(Status.REJECTED)
    answer_in(Status.CHANGES_REQUESTED, question="Is iron safe in pregnancy?")
    assert not Signature.objects.exists()


def test_a_signature_cannot_be_changed_deleted_or_moved(approved, answer_in):
    signature = Signature.objects.get()
    other = answer_in(Status.APPROVED, question="Is iron safe in pregnancy?")
    signature.printed_name = "Someone else"
    with pytest.raises(ImmutableError):
        signature.save()
    with pytest.raises(ImmutableError):
        Signature.objects.filter(pk=signature.pk).delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            Signature._base_manager.filter(pk=signature.pk).update(revision_id=other.live_revision_id)
    assert Signature.objects.get(pk=signature.pk).revision_id == approved.live_revision_id


def test_readers_see_the_signatures_and_the_json_ld_names_each_signer(approved, client):
    page = client.get(approved.get_absolute_url()).content.decode()
    assert (
        "Electronically signed by Dr. Maya Chen, MD, FACP (Hematology/Oncology) on 20 March 2026, "
        "09:14 UTC: Approved for publication"
    ) in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["reviewedBy"] == [
        {
            "@type": "Person",
            "name": "Dr. Maya Chen",
            "url": "http://testserver/medical-advisory-board/#maya-chen",
            "honorificSuffix": "MD, FACP",
        }
    ]


def test_a_pending_revision_shows_no_signature(answer_in, client, settings):
    settings.SHOW_PENDING_ANSWERS = True
    answer = answer_in(Status.UNDER_REVIEW)
    page = client.get(answer.get_absolute_url()).content.decode()
    assert "Electronically signed" not in page


def test_verify_signatures_names_a_signature_whose_revision_changed(approved):
    out = StringIO()
    call_command("verify_signatures", stdout=out)
    assert "1 signatures checked" in out.getvalue()
    signature = Signature.objects.get()
    section = Section.objects.filter(revision_id=signature.revision_id).first()
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("answers.Section:section_written_once"):
            Section._base_manager.filter(pk=section.pk).update(body="Twice the dose [1].")
    else:
        Section._base_manager.filter(pk=section.pk).update(body="Twice the dose [1].")
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 signatures"):
        call_command("verify_signatures", stdout=StringIO(), stderr=err)
    assert f"Signature {signature.pk} on revision {signature.revision_id}" in err.getvalue()
    assert "Dr. Maya Chen" in err.getvalue()
