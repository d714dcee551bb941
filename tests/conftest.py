"""Named users and small factories shared by every test.

Integration markers: a test marked `postgres`, `redis` or `browser` skips when
its service is missing, and fails instead under VETTED_REQUIRE_SERVICES=1 (CI).
"""

import copy
import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection

from answers.models import Answer, ReviewerProfile, Specialty, Status
from editorial.access import roles
from editorial.models import ApiToken
from editorial.review import checks, services
from tests.support.api import VALID_DRAFT, ApiClient

REQUIRE_SERVICES = os.environ.get("VETTED_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def _missing(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Debian's chromium at {CHROMIUM}"
    return None


def pytest_runtest_setup(item):
    why = _missing(item)
    if why is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{why} (VETTED_REQUIRE_SERVICES=1: integration tests may not skip)")
    pytest.skip(why)


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium, headless, driven by Playwright (for tests marked `browser`)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    # Set for the test only: a leaked variable fails `check --deploy` in later subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    # The test's ORM calls ran while Playwright was driving (their own connection in this
    # context): close it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()


@pytest.fixture(scope="session", autouse=True)
def _flush_may_truncate_the_audit_trail():
    """Transactional tests end with Django's flush, one TRUNCATE of every table; PostgreSQL
    refuses it on the audit trail (trigger `audit_no_truncate`), so the flush ignores that trigger."""
    import pgtrigger
    from django.db.backends.base.operations import BaseDatabaseOperations

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore("editorial.AuditEvent:audit_no_truncate"):
            return flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real accounts, not test fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- named users -------------------------------------------------------------


def _user(username: str, *, group: str | None = None, staff: bool = True, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username,
        password=f"{username}-password",
        email=f"{username}@example.org",
        is_staff=staff,
        is_superuser=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def specialty(db):
    return Specialty.objects.create(name="Hematology/Oncology", slug="hematology-oncology")


@pytest.fixture
def other_specialty(db):
    return Specialty.objects.create(name="Cardiology", slug="cardiology")


@pytest.fixture
def board_member(db, specialty):
    user = _user("maya", group=roles.BOARD)
    profile = ReviewerProfile.objects.create(
        user=user, display_name="Dr. Maya Chen", credentials="MD, FACP", slug="maya-chen"
    )
    profile.specialties.add(specialty)
    return user


@pytest.fixture
def second_board_member(db):
    user = _user("daniel", group=roles.BOARD)
    ReviewerProfile.objects.create(
        user=user, display_name="Dr. Daniel Okafor", credentials="MD, PhD", slug="daniel-okafor"
    )
    return user


@pytest.fixture
def editor(db):
    return _user("edith", group=roles.EDITORS)


@pytest.fixture
def drafter(db):
    return _user("drafter", group=roles.DRAFTING, staff=False)


@pytest.fixture
def reader(db):
    return _user("rita", staff=False)


@pytest.fixture
def superuser(db):
    return _user("root", superuser=True)


# -- factories ---------------------------------------------------------------

APPROVAL = settings.APPROVAL_ATTESTATION


def make_draft(specialty, *, question="What is the first-line treatment for iron deficiency anaemia?", **overrides):
    fields = {
        "question": question,
        "specialty": specialty,
        "sections": [
            {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
            {"heading": "Key Findings", "body": "- Intravenous iron when oral fails [2]."},
        ],
        "citations": [
            {
                "number": 1,
                "title": "Guideline on iron deficiency",
                "journal": "Blood",
                "year": 2021,
                "pmid": "12345678",
            },
            {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
        ],
        "model_name": "medrafter",
        "model_version": "1.0",
    }
    fields.update(overrides)
    return services.Draft(**fields)


def verify_citations(reviewer, answer: Answer) -> None:
    answer.refresh_from_db()
    for citation in answer.pending_revision.citations.all():
        checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict="verified")


@pytest.fixture
def submit(drafter, specialty):
    """Submit a draft as the drafting system; returns the answer."""

    def _submit(**overrides) -> Answer:
        revision = services.draft_submit(
            acting_user=overrides.pop("acting_user", drafter), draft=make_draft(specialty, **overrides)
        )
        return Answer.objects.get(pk=revision.answer_id)

    return _submit


@pytest.fixture
def answer_in(submit, board_member, editor):
    """An answer brought to `status` through the services, reviewed by board_member."""

    def _answer_in(status: str, **overrides) -> Answer:
        answer = submit(**overrides)
        if status == Status.SUBMITTED:
            return answer
        services.answer_start_review(acting_user=board_member, answer=answer)
        if status == Status.UNDER_REVIEW:
            return answer
        if status == Status.CHANGES_REQUESTED:
            services.answer_request_changes(acting_user=board_member, answer=answer, reason="Fix the dose.")
        elif status == Status.REJECTED:
            services.answer_reject(acting_user=board_member, answer=answer, reason="Out of scope.")
        else:
            verify_citations(board_member, answer)
            services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
            if status == Status.RETRACTED:
                services.answer_retract(acting_user=editor, answer=answer, reason="Guideline changed.")
        answer.refresh_from_db()
        assert answer.status == status
        return answer

    return _answer_in


# -- the drafting API ----------------------------------------------------------


@pytest.fixture
def draft_payload():
    """draft_payload(**overrides): a valid draft's JSON, as a drafting system sends it."""

    def _payload(**overrides) -> dict:
        payload = copy.deepcopy(VALID_DRAFT)
        payload.update(overrides)
        return payload

    return _payload


@pytest.fixture
def token(drafter):
    """(ApiToken, raw value) for the drafting system."""
    return ApiToken.issue(user=drafter, name="medrafter host")


@pytest.fixture
def api(client, token, specialty):
    return ApiClient(client, token[1])


@pytest.fixture
def anonymous_api(client, specialty):
    return ApiClient(client, None)
