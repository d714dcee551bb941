"""The demo's high-risk answers seen in Debian's chromium (Playwright), as after `make run`:
the admin review page of the one awaiting its second review, and the reader page's signature
block of the one approved twice after an adjudicated disagreement. Screenshots go to test-output/."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from answers.models import Status
from editorial.demo import high_risk
from editorial.management.commands.load_demo import USERS

OUTPUT = Path(settings.BASE_DIR) / "test-output"
PASSWORDS = {username: password for username, password, *_ in USERS}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo():
    call_command("load_demo", "--answers", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return dict(high_risk.answers())


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_screenshot_of_a_demo_answer_awaiting_its_second_review(demo, browser, live_server):
    answer = demo["awaiting-second-review"]
    assert answer.status == Status.AWAITING_SECOND_REVIEW
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server, "dr.okafor")  # the board member who may take the second review
    response = page.goto(live_server.url + reverse("admin:answers_answer_change", args=[answer.pk]))
    assert response.status == 200
    body = page.inner_text("body")
    assert answer.question.text in body
    assert "Awaiting second review" in body
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "second-review-awaiting.png"), full_page=True)


def test_screenshot_of_the_reader_pages_signature_block(demo, browser, live_server):
    answer = demo["adjudicated"]
    assert answer.status == Status.APPROVED
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    response = page.goto(live_server.url + answer.get_absolute_url())
    assert response.status == 200
    block = page.locator(".signatures")
    block.wait_for(state="visible")
    text = block.inner_text()
    assert text.count("Electronically signed by") == 3
    assert "Dr. Maya Chen" in text and "Dr. Daniel Okafor" in text and "Adjudicated" in text
    OUTPUT.mkdir(exist_ok=True)
    block.screenshot(path=str(OUTPUT / "reader-signatures.png"))
