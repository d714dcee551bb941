"""Comments on a passage in a real browser with JavaScript off (Debian's chromium via Playwright):
a sentence chosen from the select, a section comment, Resolve, the decision area's list, and
axe-core on the workspace and the decision area with comments open and resolved."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers.models import Status
from editorial.models import Comment
from tests.answers.test_browser import _axe_source
from tests.editorial.admin.test_browser_review import _serious_violations
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_comments_on_a_passage_work_without_javascript(live_server, browser, answer_in, board_member):
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

    aside = page.locator("#section-comments-1")
    aside.locator("details.comment-on-sentence summary").click()
    aside.locator("select[name=quote]").select_option(index=0)
    aside.locator(".sentence-comment-form textarea[name=body]").fill("Which dose, and for how long?")
    aside.locator("input[type=submit][value='Comment on this sentence']").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment added.")
    assert page.evaluate("location.hash") == "#section-comments-1"
    expect(aside.locator(".comment-quote")).to_have_text("Oral iron first [1].")

    second = page.locator("#section-comments-2")
    second.locator("details.comment-on-section summary").click()
    second.locator(".section-comment-form textarea[name=body]").fill("Add the phosphate threshold.")
    second.locator("input[type=submit][value='Comment on this section']").click()
    expect(page.locator("#open-comments li")).to_have_count(2)

    page.locator("#section-comments-2 input[type=submit][value=Resolve]").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment resolved.")
    expect(page.locator("#open-comments li")).to_have_count(1)
    expect(page.locator("#section-comments-2 .badge.comment-resolved")).to_have_text("Resolved")
    assert [c.is_open for c in Comment.objects.order_by("id")] == [True, False]

    context.close()

    # axe-core needs script: the same page, comments open and resolved, in a browser with JavaScript on.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", board_member.get_username())
    page.fill("#id_password", password_of(board_member))
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:answers_answer_change", args=[answer.pk]))
    page.locator("#section-comments-1 details.comment-on-sentence summary").click()  # a form open, as when writing
    OUTPUT.mkdir(exist_ok=True)
    page.locator("#workspace").screenshot(path=str(OUTPUT / "review-comments.png"))
    axe = _axe_source()
    assert _serious_violations(page, axe, within="#workspace") == []
    assert _serious_violations(page, axe, within="#decision") == []
    context.close()
