"""Fixtures shared by every test: the named users, answers in any state, the
drafting API's client, a browser, and the run's integration services.

The objects come from `tests/factories.py`; these fixtures only name them.
Integration markers: a test marked `postgres`, `redis` or `browser` skips when
its service is missing, and fails instead under VETTED_REQUIRE_SERVICES=1 (CI).
"""

import uuid

import pytest
from django.conf import settings as django_settings

from editorial.access import roles
from editorial.models import ApiToken
from tests import factories
from tests.support.api import ApiClient
from tests.support.redis_server import PrivateRedis, available, production_settings
from tests.support.services import CHROMIUM, REQUIRE_SERVICES, missing


def pytest_runtest_setup(item):
    why = missing(item)
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


# Statement triggers that refuse TRUNCATE of the rows written once.
NO_TRUNCATE_TRIGGERS = (
    "editorial.AuditEvent:audit_no_truncate",
    "editorial.AuditCheckpoint:checkpoint_no_truncate",
    "answers.Revision:revision_no_truncate",
    "answers.Section:section_no_truncate",
    "answers.Citation:citation_no_truncate",
    "answers.Signature:signature_no_truncate",
)


@pytest.fixture(scope="session", autouse=True)
def _flush_may_truncate_the_written_once_tables():
    """Transactional tests end with Django's flush, one TRUNCATE of every table; PostgreSQL
    refuses it on the audit trail and on revisions, sections and citations (the `*_no_truncate`
    triggers), so the flush ignores those triggers."""
    import pgtrigger
    from django.db.backends.base.operations import BaseDatabaseOperations

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore(*NO_TRUNCATE_TRIGGERS):
            return flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real accounts, not test fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def isolated_cache(settings):
    """The configured cache (Redis when REDIS_URL is set) under a key prefix of this test's own,
    so cached pages and rate-limit counters never leak between tests, and nothing is flushed.
    Autouse for the reader-site and security tests (their conftests)."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {name: {**config, "KEY_PREFIX": prefix} for name, config in django_settings.CACHES.items()}


@pytest.fixture
def private_redis():
    """A redis-server of this test's own (tests/support/redis_server.py), killed at the end."""
    if not available():
        message = "needs redis-server (Debian's redis-server package)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message} (VETTED_REQUIRE_SERVICES=1: integration tests may not skip)")
        pytest.skip(message)
    server = PrivateRedis()
    server.start()
    yield server
    server.kill()


@pytest.fixture
def production_caches(private_redis, settings, monkeypatch):
    """settings.CACHES as config/settings.py builds it for REDIS_URL=<the private Redis>."""
    built = production_settings(private_redis.url, monkeypatch)
    for name in ("DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", "DJANGO_REDIS_LOGGER"):
        if name in built:
            setattr(settings, name, built[name])
    settings.CACHES = built["CACHES"]
    return built["CACHES"]


# -- named users -------------------------------------------------------------


@pytest.fixture
def specialty(db):
    return factories.specialty()


@pytest.fixture
def other_specialty(db):
    return factories.specialty("Cardiology", "cardiology")


@pytest.fixture
def board_member(db, specialty):
    """maya: on the board, holding the specialty."""
    maya = factories.user("maya", roles.BOARD)
    factories.reviewer_profile(
        maya, display_name="Dr. Maya Chen", credentials="MD, FACP", slug="maya-chen", specialties=[specialty]
    )
    return maya


@pytest.fixture
def second_board_member(db, specialty):
    """daniel: on the board, holding the specialty too (a second reviewer for maya's answers)."""
    daniel = factories.user("daniel", roles.BOARD)
    factories.reviewer_profile(
        daniel, display_name="Dr. Daniel Okafor", credentials="MD, PhD", slug="daniel-okafor", specialties=[specialty]
    )
    return daniel


@pytest.fixture
def outside_board_member(db, other_specialty):
    """omar: on the board, holding only Cardiology, not the specialty of the answers `submit` makes."""
    omar = factories.user("omar", roles.BOARD)
    factories.reviewer_profile(
        omar, display_name="Dr. Omar Haddad", credentials="MD", slug="omar-haddad", specialties=[other_specialty]
    )
    return omar


@pytest.fixture
def author(db, specialty):
    """arthur: a board member who also drafts (as an editor may): the author of the revisions they submit."""
    arthur = factories.user("arthur", roles.BOARD, roles.EDITORS)
    factories.reviewer_profile(arthur, display_name="Dr. Arthur Lee", slug="arthur-lee", specialties=[specialty])
    return arthur


@pytest.fixture
def editor(db):
    return factories.user("edith", roles.EDITORS)


@pytest.fixture
def drafter(db):
    return factories.user("drafter", roles.DRAFTING, staff=False)


@pytest.fixture
def reader(db):
    return factories.user("rita", staff=False)


@pytest.fixture
def superuser(db):
    return factories.user("root", superuser=True)


# -- answers -----------------------------------------------------------------


@pytest.fixture
def submit(drafter, specialty):
    """submit(**overrides): submit a draft as the drafting system (or `acting_user=`); returns the answer."""

    def _submit(**overrides):
        return factories.submitted(by=overrides.pop("acting_user", drafter), specialty=specialty, **overrides)

    return _submit


@pytest.fixture
def answer_in(drafter, specialty, board_member, editor):
    """answer_in(status, **overrides): an answer brought to `status` through the services, reviewed by maya."""

    def _answer_in(status: str, **overrides):
        return factories.answer_in(
            status, drafter=drafter, specialty=specialty, reviewer=board_member, editor=editor, **overrides
        )

    return _answer_in


# -- the drafting API ----------------------------------------------------------


@pytest.fixture
def draft_payload():
    """draft_payload(**overrides): a valid draft's JSON, as a drafting system sends it."""
    return factories.draft_json


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


@pytest.fixture
def allow_private_webhooks(settings):
    """Tests whose webhook receiver listens on 127.0.0.1 (tests/editorial/webhooks/receiver.py)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def decide(api, draft_payload, board_member, django_capture_on_commit_callbacks):
    """Submit a draft with `callback_url` through the API, then have the board decide it at DECIDED_AT."""
    from answers import clock
    from answers.models import Answer
    from editorial.review import services

    def _decide(decision: str, *, callback_url: str | None):
        response = api.post("/api/v1/drafts/", draft_payload(callback_url=callback_url))
        assert response.status_code == 201
        answer = Answer.objects.get(pk=response.json()["answer_id"])
        with clock.travel(factories.DECIDED_AT):
            answer = services.answer_start_review(acting_user=board_member, answer=answer)
            with django_capture_on_commit_callbacks(execute=False) as queued:
                if decision == "approved":
                    factories.verify_citations(board_member, answer)
                    answer = services.answer_approve(
                        acting_user=board_member, answer=answer, attestation=factories.APPROVAL
                    )
                elif decision == "changes_requested":
                    answer = services.answer_request_changes(
                        acting_user=board_member, answer=answer, reason="Fix the dose."
                    )
                else:
                    answer = services.answer_reject(acting_user=board_member, answer=answer, reason="Out of scope.")
        return answer, queued

    return _decide
