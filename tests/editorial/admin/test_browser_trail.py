"""The audit trail at 1280 px in a real browser (Debian's chromium via Playwright): no column
clipped or pushed off the page, in the audit list and on the review page, even with a reason
that is one long word. Screenshots go to `test-output/`."""

from pathlib import Path

import pytest
from django.conf import settings

from answers.models import Status
from editorial.review import checks, services
from tests.editorial.admin.desk import review_url
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every cell of the trail's table inside the page and its scrolling container, and not cut inside itself.
CLIPPED = """(table) => {
  const problems = [];
  const box = table.closest('.results') || table.parentElement;
  if (box.scrollWidth > box.clientWidth + 1) problems.push(`table ${box.scrollWidth}px in ${box.clientWidth}px`);
  for (const cell of table.querySelectorAll('th, td')) {
    const rect = cell.getBoundingClientRect();
    if (rect.right > window.innerWidth + 1) problems.push(`off the page: ${cell.textContent.slice(0, 40)}`);
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`cut: ${cell.textContent.slice(0, 40)}`);
  }
  return problems;
}"""


def test_the_trail_has_no_clipped_column_at_1280_px(live_server, browser, answer_in, board_member, editor):
    long_word = "doi:10.1000/" + "Q7xK2mP9" * 24  # no hyphen or space to break at
    answer = answer_in(Status.UNDER_REVIEW, question="Which antifibrinolytic dose suits adults over seventy?")
    citation = answer.pending_revision.citations.get(number=1)
    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="unsupported", note=long_word)
    services.answer_request_changes(
        acting_user=board_member, answer=answer, reason="The dose table omits renal adjustment; see " + long_word
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", editor.get_username())
    page.fill("#id_password", password_of(editor))
    page.click("input[type=submit]")
    OUTPUT.mkdir(exist_ok=True)

    page.goto(live_server.url + "/admin/editorial/auditevent/")
    listing = page.locator("#result_list")
    assert "Requested changes: The dose table omits renal adjustment" in listing.inner_text()
    assert listing.evaluate(CLIPPED) == []
    page.screenshot(path=str(OUTPUT / "audit-list-1280.png"), full_page=True)

    page.goto(live_server.url + review_url(answer))
    trail = page.locator("#audit-trail table")
    assert "Citation 1 (Guideline on iron deficiency, 2021): does not support the claim" in trail.inner_text()
    assert trail.evaluate(CLIPPED) == []
    page.locator("#audit-trail").screenshot(path=str(OUTPUT / "audit-trail-1280.png"))
    context.close()
