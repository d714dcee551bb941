"""A board member reviews and approves an answer in a real browser (Debian's chromium via Playwright).

Signs in, opens the queue from the desk counts, starts the review, verifies
each citation on its evidence card, approves with the attestation and the
password, and leaves screenshots of the workspace, the evidence pane and the
whole review page in `test-output/`.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers.models import Status
from editorial.models import AuditEvent
from tests.answers.test_browser import AXE_TAGS, _axe_source
from tests.editorial.admin.desk import reloaded
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _serious_violations(page, axe: str | None, *, within: str) -> list[str]:
    """axe-core's serious and critical findings inside `within` (the stock admin around it is not ours)."""
    if axe is None:
        return []
    page.evaluate(axe)
    result = page.evaluate(
        "([selector, tags]) => axe.run(selector, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [within, AXE_TAGS],
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
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

    expect(page.locator("#evidence-progress")).to_have_text("0 of 2 checked")
    # A marker in the draft opens its card (a plain anchor; review.js moves the focus there too).
    page.click("#revision sup#cite-2-1 a.cite")
    assert page.evaluate("location.hash") == "#citation-2"
    expect(page.locator("#citation-2")).to_be_focused()
    # A quoted sentence leads back to its marker in the draft.
    expect(page.locator("#citation-2 blockquote")).to_have_text("Intravenous iron when oral fails [2].")
    page.click("#citation-2 a.to-draft")
    assert page.evaluate("location.hash") == "#cite-2-1"
    expect(page.locator("#cite-2-1")).to_be_in_viewport()
    # The two panes sit side by side.
    draft, evidence = page.locator("#revision").bounding_box(), page.locator("#evidence").bounding_box()
    assert evidence["x"] >= draft["x"] + draft["width"] and abs(evidence["y"] - draft["y"]) < 50

    for number in (1, 2):
        card = page.locator(f"#citation-{number}")
        card.locator("input[name=verdict][value=verified]").check()
        card.locator("textarea[name=note]").fill(f"Checked against the abstract of reference {number}.")
        card.locator("input[type=submit][value='Record verdict']").click()  # saved without a reload (htmx)
        expect(page.locator(f"#citation-{number} .badge.verified")).to_have_text("Verified")
    expect(page.locator(".evidence-card .badge.verified")).to_have_count(2)
    expect(page.locator("#evidence-progress")).to_have_text("2 of 2 checked")
    expect(page.locator(".blockers")).to_have_count(0)
    # The page's own stylesheet applies (a file, so a strict Content-Security-Policy allows it).
    expect(page.locator(".badge.verified").first).to_have_css("background-color", "rgb(215, 245, 221)")
    assert failures == []

    OUTPUT.mkdir(exist_ok=True)
    page.goto(page.url.split("#")[0] + "#workspace")
    page.screenshot(path=str(OUTPUT / "review-workspace.png"))
    page.locator("#evidence").screenshot(path=str(OUTPUT / "review-evidence-pane.png"))
    page.screenshot(path=str(OUTPUT / "review-page.png"), full_page=True)
    assert _serious_violations(page, _axe_source(), within="#workspace") == []

    page.click("button[name=_fsm_transition_to][value=approve]")  # the approve dialog (the page without script)
    expect(page.locator("label[for=id_approve_attest]")).to_have_text(settings.APPROVAL_ATTESTATION)
    page.check("#id_approve_attest")
    page.fill("#id_approve_password", password_of(board_member))
    page.click("#decision-approve button[type=submit].default")
    # Nothing else waits for maya: she lands on the queue.
    expect(page.locator(".messagelist")).to_contain_text("Approve: done, on")
    expect(page.locator(".messagelist")).to_contain_text("Nothing else is waiting for you.")
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


def test_the_evidence_pane_works_without_javascript(live_server, browser, answer_in, board_member):
    """Markers are plain anchors and verdicts plain POSTs: a browser with JavaScript off reviews the same."""
    from playwright.sync_api import expect

    answer = answer_in(Status.UNDER_REVIEW)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", board_member.get_username())
    page.fill("#id_password", password_of(board_member))
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:answers_answer_change", args=[answer.pk]))

    page.click("#revision sup#cite-1-1 a.cite")
    assert page.evaluate("location.hash") == "#citation-1"
    expect(page.locator("#citation-1")).to_be_in_viewport()
    page.click("#citation-1 a.to-draft")
    assert page.evaluate("location.hash") == "#cite-1-1"

    card = page.locator("#citation-1")
    card.locator("input[type=submit][value='Record verdict']").click()  # no verdict chosen: the browser refuses
    expect(page.locator("#evidence-progress")).to_have_text("0 of 2 checked")
    card.locator("input[name=verdict][value=unsupported]").check()
    card.locator("textarea[name=note]").fill("Reports another dose.")
    card.locator("input[type=submit][value='Record verdict']").click()
    expect(page.locator(".messagelist")).to_contain_text("Citation verdict recorded.")
    expect(page.locator("#evidence-progress")).to_have_text("1 of 2 checked")
    expect(page.locator("#citation-1 .badge.unsupported")).to_have_text("Does not support the claim")
    context.close()
