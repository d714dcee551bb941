"""Issue 15, conflicts of interest: a board member's current declared interest that the
revision mentions refuses start, assignment and approval, naming the declaration; the
desk's filters (`reviewable_by_q`, `may_review_q`) agree with the per-object rule;
declarations are never back-dated over a review already done; every edit is audited.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from answers import clock
from answers.mentions import mentions, pattern_for
from answers.models import Answer, DeclaredInterest, Question, Status
from editorial.access import rights
from editorial.audit.describe import describe
from editorial.errors import Invalid, NotAllowed
from editorial.models import AuditAction, AuditEvent
from editorial.review import profiles, selectors, services
from tests import factories
from tests.editorial.admin.desk import messages_of
from tests.factories import APPROVAL, at, verify_citations

pytestmark = pytest.mark.django_db

TODAY = "2026-03-10"
PFIZER_SECTIONS = [
    {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
    {"heading": "Key Findings", "body": "- In Pfizer's trial, intravenous iron helped when oral iron failed [2]."},
]


def fresh(user):
    """The user as a request loads it: nothing cached on the object (groups, specialties, interests)."""
    return get_user_model().objects.get(pk=user.pk)


def declare(user, name="Pfizer", *, start=date(2025, 1, 1), end=None, kind="company", statement="Consulting fees."):
    return DeclaredInterest.objects.create(
        profile=user.reviewer_profile, kind=kind, name=name, start=start, end=end, statement=statement
    )


@pytest.fixture(autouse=True)
def _today():
    with clock.travel(at(TODAY)):
        yield


@pytest.fixture
def pfizer_answer(submit):
    """A submitted answer whose second section mentions Pfizer."""
    return submit(question="Does intravenous iron help in iron deficiency?", sections=PFIZER_SECTIONS)


# -- the rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Pfizer", "In Pfizer's trial", True),
        ("Pfizer", "(PFIZER, 2019)", True),
        ("Pfizer", "pfizer", True),
        ("Pfizer", "Pfizerville", False),
        ("Pfizer", "SuperPfizer", False),
        ("Pfizer", "Pfizer_2", False),
        ("insulin glargine", "Insulin\n  glargine daily", True),
        ("insulin glargine", "insulin-glargine", False),
        ("Sanofi-Aventis", "by Sanofi-Aventis.", True),
        ("A.B+C (x)", "the a.b+c (X) study", True),
        ("A.B+C (x)", "aXb+c (x)", False),
    ],
)
def test_a_name_is_mentioned_on_word_boundaries_case_insensitively_in_python_and_in_sql(
    board_member, specialty, name, text, expected
):
    assert mentions(pattern_for(name), text) is expected
    declaration = declare(board_member, name)
    # The database reads the stored pattern the same way (PostgreSQL's ~*, SQLite's REGEXP).
    question = Question.objects.create(text=text, slug=f"q-{declaration.pk}", specialty=specialty)
    assert Question.objects.filter(pk=question.pk, text__iregex=declaration.pattern).exists() is expected


def test_a_current_declaration_refuses_start_naming_it(pfizer_answer, board_member):
    declare(board_member, statement="Paid consultant on advisory boards since 2025.")
    with pytest.raises(NotAllowed) as refused:
        services.answer_start_review(acting_user=fresh(board_member), answer=pfizer_answer)
    assert str(refused.value) == (
        "You declared an interest in Pfizer (from 2025-01-01): Paid consultant on advisory boards since 2025. "
        "This revision mentions Pfizer: another board member must review it."
    )
    assert Answer.objects.get(pk=pfizer_answer.pk).status == Status.SUBMITTED


@pytest.mark.parametrize(
    "where",
    ["question", "heading", "citation title"],
)
def test_the_question_headings_and_citation_titles_count_too(submit, board_member, where):
    draft = factories.draft(None)
    overrides = {}
    if where == "question":
        overrides["question"] = "Is Pfizer's iron better?"
    elif where == "heading":
        overrides["sections"] = [{"heading": "What PFIZER found", "body": "Oral iron first [1] [2]."}]
    else:
        overrides["citations"] = [{**draft.citations[0], "title": "Iron trial (Pfizer)"}, draft.citations[1]]
    answer = submit(**overrides)
    declare(board_member)
    assert "Pfizer" in (rights.refusal(rights.may_start_review, user=fresh(board_member), answer=answer) or "")


def test_past_and_future_declarations_do_not_refuse(pfizer_answer, board_member):
    declare(board_member, start=date(2020, 1, 1), end=date(2026, 3, 9))  # ended yesterday
    declare(board_member, start=date(2026, 3, 11))  # starts tomorrow
    declare(board_member, "Novartis")  # current, not mentioned
    answer = services.answer_start_review(acting_user=fresh(board_member), answer=pfizer_answer)
    assert answer.status == Status.UNDER_REVIEW


def test_a_declaration_ending_today_is_still_current(pfizer_answer, board_member):
    declare(board_member, start=date(2024, 1, 1), end=date(2026, 3, 10))
    assert rights.refusal(rights.may_start_review, user=fresh(board_member), answer=pfizer_answer)


def test_assigning_a_conflicted_member_is_refused_naming_the_declaration(pfizer_answer, board_member, editor):
    declare(board_member, kind="drug", name="Pfizer", statement="Holds shares.")
    with pytest.raises(NotAllowed) as refused:
        services.answer_assign(acting_user=editor, answer=pfizer_answer, reviewer=fresh(board_member))
    assert "maya declared an interest in Pfizer (from 2025-01-01): Holds shares." in str(refused.value)
    assert Answer.objects.get(pk=pfizer_answer.pk).reviewer is None
    # The assign list does not offer her; daniel, who declared nothing, is offered.
    offered = {u.username for u in selectors.eligible_reviewers(Answer.objects.filter(pk=pfizer_answer.pk))}
    assert "maya" not in offered


def test_a_declaration_made_during_the_review_refuses_the_approval(pfizer_answer, board_member):
    answer = services.answer_start_review(acting_user=board_member, answer=pfizer_answer)
    verify_citations(board_member, answer)
    declare(board_member, start=date(2026, 3, 10))
    with pytest.raises(NotAllowed, match=r"You declared an interest in Pfizer \(from 2026-03-10\)"):
        services.answer_approve(acting_user=fresh(board_member), answer=answer, attestation=APPROVAL)
    assert Answer.objects.get(pk=answer.pk).status == Status.UNDER_REVIEW


def test_the_review_page_refuses_a_forged_start_with_the_declaration(client, pfizer_answer, board_member):
    declare(board_member)
    client.force_login(board_member)
    url = reverse("admin:answers_answer_change", args=[pfizer_answer.pk])
    response = client.post(url, {"_fsm_transition_to": "start_review", "expected_status": "submitted"})
    assert any("You declared an interest in Pfizer (from 2025-01-01)" in m for m in messages_of(response))
    assert Answer.objects.get(pk=pfizer_answer.pk).status == Status.SUBMITTED


# -- the three forms agree -------------------------------------------------------------


@pytest.fixture
def world(submit, drafter, board_member, second_board_member, outside_board_member, author, editor, other_specialty):
    declare(board_member)  # current, Pfizer
    declare(second_board_member, start=date(2020, 1, 1), end=date(2025, 12, 31))  # past, Pfizer
    declare(author, "iron", kind="drug")  # current, in every default draft
    answers = [
        submit(question="Pfizer in the question?"),
        submit(question="Pfizer in a section?", sections=PFIZER_SECTIONS),
        submit(question="Nothing declared here?", sections=[{"heading": "Guideline", "body": "Rest [1] [2]."}]),
        factories.submitted(by=drafter, specialty=other_specialty, question="Cardiology and Pfizer?"),
        Answer.objects.get(pk=services.answer_start_review(acting_user=second_board_member, answer=submit()).pk),
    ]
    users = [board_member, second_board_member, outside_board_member, author, editor]
    return users, [Answer.objects.select_related("question", "pending_revision").get(pk=a.pk) for a in answers]


@pytest.mark.parametrize("rule", [True, False], ids=["specialty rule on", "specialty rule off"])
def test_the_filters_and_the_per_object_rule_agree_with_declarations(world, settings, rule):
    settings.REVIEW_REQUIRES_SPECIALTY = rule
    users, answers = world
    for user in users:
        per_object = {a.pk for a in answers if rights.may_review(fresh(user), a)}
        filtered = set(Answer.objects.filter(rights.reviewable_by_q(fresh(user))).values_list("pk", flat=True))
        assert filtered == per_object, user.username
    for answer in answers:
        per_object = {u.pk for u in users if rights.may_review(fresh(u), answer)}
        assert {u.pk for u in selectors.eligible_reviewers_of(answer)} == per_object, answer.question.text
    everyone = {u.pk for u in users if all(rights.may_review(fresh(u), a) for a in answers[:3])}
    assert {u.pk for u in selectors.eligible_reviewers(Answer.objects.filter(pk__in=[a.pk for a in answers[:3]]))} == (
        everyone
    )
    # The rule does bite: maya (current Pfizer) is refused the Pfizer answers, daniel (past) is not.
    maya, daniel = users[0], users[1]
    assert not rights.may_review(fresh(maya), answers[0]) and not rights.may_review(fresh(maya), answers[1])
    assert rights.may_review(fresh(maya), answers[2])
    assert rights.may_review(fresh(daniel), answers[0])


def test_the_queue_and_desk_counts_leave_out_conflicted_answers(world):
    users, answers = world
    maya = fresh(users[0])
    waiting = set(Answer.objects.filter(selectors.waiting_for_q(maya)).values_list("pk", flat=True))
    assert answers[0].pk not in waiting and answers[1].pk not in waiting and answers[2].pk in waiting
    counts = {c.queue: c.count for c in selectors.desk_counts(maya)}
    assert counts["waiting"] == len(waiting)


# -- back-dating -----------------------------------------------------------------------


@pytest.fixture
def reviewed_pfizer(submit, board_member):
    """maya approved an answer mentioning Pfizer on 2026-02-01."""
    with clock.travel(at("2026-02-01")):
        answer = submit(question="Does intravenous iron help in iron deficiency?", sections=PFIZER_SECTIONS)
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
        verify_citations(board_member, answer)
        return services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)


def declaration(name="Pfizer", start=date(2026, 1, 1), end=None, pk=None, statement="Consulting fees."):
    return profiles.Declaration(kind="company", name=name, start=start, end=end, statement=statement, pk=pk)


def test_back_dating_over_a_review_is_refused_naming_the_review(reviewed_pfizer, board_member, editor):
    profile = board_member.reviewer_profile
    with pytest.raises(Invalid) as refused:
        profiles.reviewer_profile_save(acting_user=editor, profile=profile, declarations=[declaration()])
    message = str(refused.value)
    assert "would cover a review already done: Dr. Maya Chen reviewed “Does intravenous iron help" in message
    assert "(revision 1, approved on 2026-02-01)" in message
    assert "declare it from 2026-02-02 or later" in message
    assert not DeclaredInterest.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGE).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 2, 2), None),  # from after the review
        (date(2025, 1, 1), date(2026, 1, 31)),  # ended before it
        (date(2026, 3, 10), None),  # from today
    ],
)
def test_periods_that_cover_no_review_are_accepted(reviewed_pfizer, board_member, editor, start, end):
    profile = board_member.reviewer_profile
    profiles.reviewer_profile_save(
        acting_user=editor, profile=profile, declarations=[declaration(start=start, end=end)]
    )
    assert DeclaredInterest.objects.get().start == start


def test_a_back_dated_name_not_in_the_review_is_accepted(reviewed_pfizer, board_member, editor):
    profiles.reviewer_profile_save(
        acting_user=editor, profile=board_member.reviewer_profile, declarations=[declaration("Novartis")]
    )
    assert DeclaredInterest.objects.get().name == "Novartis"


def test_reopening_a_closed_declaration_over_a_review_is_refused(reviewed_pfizer, board_member, editor):
    closed = declare(board_member, start=date(2025, 1, 1), end=date(2026, 1, 31))
    with pytest.raises(Invalid, match="would cover a review already done"):
        profiles.reviewer_profile_save(
            acting_user=editor,
            profile=board_member.reviewer_profile,
            declarations=[declaration(start=closed.start, end=None, pk=closed.pk)],
        )
    # Rewording its statement alone changes no period: accepted.
    profiles.reviewer_profile_save(
        acting_user=editor,
        profile=board_member.reviewer_profile,
        declarations=[declaration(start=closed.start, end=closed.end, pk=closed.pk, statement="Advisory board.")],
    )
    assert DeclaredInterest.objects.get().statement == "Advisory board."


# -- the admin: an inline, audited --------------------------------------------------------


def profile_post(profile, rows, initial=0):
    data = {
        "user": profile.user_id,
        "display_name": profile.display_name,
        "credentials": profile.credentials,
        "bio": profile.bio,
        "conflict_of_interest": profile.conflict_of_interest,
        "slug": profile.slug,
        "specialties": [s.pk for s in profile.specialties.all()],
        "interests-TOTAL_FORMS": str(len(rows)),
        "interests-INITIAL_FORMS": str(initial),
        "interests-MIN_NUM_FORMS": "0",
        "interests-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"interests-{i}-{key}"] = value
        data[f"interests-{i}-profile"] = str(profile.pk)
    return data


def change_url(profile):
    return reverse("admin:answers_reviewerprofile_change", args=[profile.pk])


def test_an_editor_declares_an_interest_in_the_admin_and_it_is_audited(client, editor, board_member):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    row = {"kind": "drug", "name": "Insulin  glargine", "start": "2026-03-01", "end": "", "statement": "Speaker fees."}
    response = client.post(change_url(profile), profile_post(profile, [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    declared = DeclaredInterest.objects.get()
    assert (declared.name, declared.kind, declared.end) == ("Insulin glargine", "drug", None)
    event = AuditEvent.objects.get(action=AuditAction.PROFILE_CHANGE)
    assert event.actor == editor
    assert event.data["changes"] == {"interests": [[], ["Drug Insulin glargine, from 2026-03-01: Speaker fees."]]}
    assert describe(event) == "Changed the reviewer profile of maya: declared interests"
    # Closing it is a change too, listed in the profile's history.
    close = {**row, "id": str(declared.pk), "end": "2026-03-05"}
    assert client.post(change_url(profile), profile_post(profile, [close], initial=1)).status_code == 302
    last = AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGE).latest("id")
    assert last.data["changes"]["interests"][1] == [
        "Drug Insulin glargine, from 2026-03-01 to 2026-03-05: Speaker fees."
    ]
    assert "from 2026-03-01 to 2026-03-05" in client.get(change_url(profile)).content.decode()
    # Deleting it is audited as well.
    gone = {**close, "DELETE": "on"}
    assert client.post(change_url(profile), profile_post(profile, [gone], initial=1)).status_code == 302
    assert not DeclaredInterest.objects.exists()
    assert (
        AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGE).latest("id").data["changes"]["interests"][1] == []
    )


def test_the_admin_refuses_a_back_dated_row_on_its_field(client, reviewed_pfizer, editor, board_member):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    row = {"kind": "company", "name": "pfizer", "start": "2025-06-01", "end": "", "statement": "Shares."}
    response = client.post(change_url(profile), profile_post(profile, [row]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    errors = formset.forms[0].errors["start"][0]
    assert "would cover a review already done" in errors and "“Does intravenous iron help" in errors
    assert not DeclaredInterest.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGE).exists()


def test_the_admin_refuses_a_to_date_before_the_from_date(client, editor, board_member):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    row = {"kind": "company", "name": "Pfizer", "start": "2026-03-01", "end": "2026-02-01", "statement": "x"}
    response = client.post(change_url(profile), profile_post(profile, [row]))
    assert response.status_code == 200
    assert "The to-date comes before the from-date." in response.content.decode()
    assert not DeclaredInterest.objects.exists()


def test_the_review_page_tells_the_member_why_and_offers_no_start(client, pfizer_answer, board_member):
    declare(board_member)
    client.force_login(board_member)
    response = client.get(reverse("admin:answers_answer_change", args=[pfizer_answer.pk]))
    page = response.content.decode()
    assert 'id="conflict-heading"' in page
    assert "You declared an interest in Pfizer (from 2025-01-01): Consulting fees." in page
    assert 'value="start_review"' not in page


def test_the_admin_refuses_a_huge_statement_on_its_row(client, editor, board_member):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    row = {"kind": "company", "name": "Pfizer", "start": "2026-03-01", "end": "", "statement": "x" * 100_000}
    response = client.post(change_url(profile), profile_post(profile, [row]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.forms[0].errors["statement"]
    assert not DeclaredInterest.objects.exists()
