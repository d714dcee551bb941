"""A board member reviews and approves an answer in a real browser (Debian's chromium via Playwright).

Signs in, opens the queue from the desk counts, starts the review, verifies
each citation, approves with the attestation and the password, and leaves a
screenshot of the review page in `test-output/`.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers.models import Status
from editorial.models import AuditEvent
from tests.editorial.admin.desk import reloaded
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_board_member_reviews_and_approves_an_answer_in_the_browser(live_server, page, submit, board_member):
    from playwright.sync_api import expect

    answer = submit()
    question = answer.question.text
    failures = []  # resources the browser could not load, and what the console complains about
    page.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and failures.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and "status of" not in m.text and failures.append(m.text))

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", board_member.get_username())
    page.fill("#id_password", password_of(board_member))
    page.click("input[type=submit]")

    # The desk counts lead to the queue, the queue to the review page.
    expect(page.locator("#my-desk .desk-waiting .desk-count")).to_have_text("1")
    page.click("#my-desk .desk-waiting a")
    expect(page.locator("#result_list")).to_contain_text(question)
    page.click(f"#result_list a:has-text('{question[:40]}')")
    expect(page.locator("#answer-status")).to_have_text("Submitted")

    page.click("button[name=_fsm_transition_to][value=start_review]")
    expect(page.locator("#answer-status")).to_have_text("Under review")
    expect(page.locator(".answer-preview #section-from-the-guidelines-1")).to_have_text("From the Guidelines")
    expect(page.locator(".blockers")).to_contain_text("Citation 1 has not been checked.")

    for number in (1, 2):
        row = page.locator(f"tr.citation-check:has(select[aria-label='Verdict on citation {number}'])")
        row.locator("select[name=verdict]").select_option("verified")
        row.locator("input[name=note]").fill(f"Checked against the abstract of reference {number}.")
        row.locator("input[type=submit]").click()
        expect(page.locator(".messagelist")).to_contain_text("Citation verdict recorded.")
    expect(page.locator("tr.citation-check .badge.verified")).to_have_count(2)
    expect(page.locator(".blockers")).to_have_count(0)
    # The page's own stylesheet applies (a file, so a strict Content-Security-Policy allows it).
    expect(page.locator(".badge.verified").first).to_have_css("background-color", "rgb(215, 245, 221)")
    assert failures == []

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "review-page.png"), full_page=True)

    page.click("button[name=_fsm_transition_to][value=approve]")
    expect(page.locator("label[for=id_attest]")).to_have_text(settings.APPROVAL_ATTESTATION)
    page.check("#id_attest")
    page.fill("#id_password", password_of(board_member))
    page.click("#transition-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Approve: done.")
    expect(page.locator("#answer-status")).to_have_text("Approved")
    page.screenshot(path=str(OUTPUT / "review-page-approved.png"), full_page=True)

    answer = reloaded(answer)
    assert answer.status == Status.APPROVED and answer.approved_by == board_member
    event = AuditEvent.objects.get(answer_id=answer.pk, action="vetted.answer.approve")
    assert event.data == {"attestation": settings.APPROVAL_ATTESTATION}

    # Readers now see it, approved, with who reviewed it.
    page.goto(live_server.url + answer.get_absolute_url())
    expect(page.locator("h1")).to_have_text(question)
    expect(page.locator(".review-status [aria-current=step]")).to_contain_text("Approved")
    expect(page.locator(".review-meta")).to_contain_text("Dr. Maya Chen, MD, FACP")
