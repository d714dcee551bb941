"""An editor corrects a dose through the edit page in a real browser (Debian's chromium via
Playwright), with JavaScript off: plain POSTs only. axe-core checks the edit form; a screenshot
of it lands in `test-output/`."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers.models import Status
from tests.answers.test_browser import _axe_source
from tests.editorial.admin.desk import reloaded
from tests.editorial.admin.test_browser_review import _serious_violations
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_corrects_the_dose_without_javascript(live_server, browser, answer_in, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", editor.get_username())
    page.fill("#id_password", password_of(editor))
    page.click("input[type=submit]")

    page.goto(live_server.url + reverse("admin:answers_answer_change", args=[answer.pk]))
    page.click("#edit-draft-link")
    # A marker pointing at no citation: refused on its field, nothing saved.
    page.fill("#id_sections-0-body", "Oral iron first, 65 mg daily [9].")
    page.click("#edit-draft-form input[type=submit]")
    assert "Citation marker [9] points at no citation." in page.inner_text("#section-0")
    assert reloaded(answer).pending_revision.number == 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "edit-draft.png"), full_page=True)

    page.fill("#id_sections-0-body", "Oral iron first, 65 mg daily [1].")
    page.click("#edit-draft-form input[type=submit]")
    assert "An edit by edith of revision 1" in page.inner_text("#edit-origin")
    assert reloaded(answer).pending_revision.number == 2
    context.close()


def test_the_edit_form_has_no_serious_accessibility_violation(live_server, browser, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", board_member.get_username())
    page.fill("#id_password", password_of(board_member))
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:answers_answer_edit", args=[answer.pk]))

    assert _serious_violations(page, _axe_source(), within="#edit-draft-form") == []
    context.close()
