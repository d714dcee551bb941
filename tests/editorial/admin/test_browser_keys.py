"""One complete review of a 6-citation draft by keyboard, in Debian's chromium (Playwright), counted.

From "Waiting for me" to the next answer waiting: at most 3 page loads and at most 14 key
presses or clicks (typing the note and the password is not counted). The same review with
JavaScript off completes through plain POSTs. axe-core finds no serious or critical violation
in the workspace. Screenshots of the workspace, the evidence pane and the approve dialog go to
test-output/.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from answers.models import Status
from editorial.models import AuditEvent, CitationVerdict
from editorial.review import services
from tests import factories
from tests.answers.test_browser import _axe_source
from tests.editorial.admin.desk import reloaded
from tests.editorial.admin.test_browser_review import _serious_violations
from tests.factories import password_of

OUTPUT = Path(settings.BASE_DIR) / "test-output"
MAX_PAGE_LOADS = 3
MAX_ACTIONS = 14

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def six_citations(drafter, specialty, question: str):
    draft = factories.draft(specialty, question=question)
    draft.citations = [
        {"number": n, "title": f"Trial {n} of oral iron", "year": 2015 + n, "pmid": str(2000 + n)} for n in range(1, 7)
    ]
    # no dose, no special population: a standard-risk draft, one approval (a high-risk one needs two)
    draft.sections[0]["body"] = "Oral iron first [1]. Ferrous sulfate daily [2, 3]. Alternate days help [4-5]."
    draft.sections[1]["body"] = "- Intravenous iron when oral iron fails [6]."
    return services.draft_submit(acting_user=drafter, draft=draft).answer


class Counted:
    """The page, with every page load and every key press or click counted."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.actions = 0
        page.on("load", lambda _page: setattr(self, "loads", self.loads + 1))

    def press(self, key: str) -> None:
        self.actions += 1
        self.page.keyboard.press(key)

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)

    def type(self, text: str) -> None:
        """Text typed into the focused field: not counted (the note, the password)."""
        self.page.keyboard.type(text)


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password_of(user))
    page.click("input[type=submit]")


@pytest.fixture
def two_waiting(drafter, specialty):
    first = six_citations(drafter, specialty, "How much oral iron for iron deficiency anaemia?")
    following = factories.submitted(by=drafter, specialty=specialty, question="When is intravenous iron needed?")
    return first, following


def test_a_complete_review_by_keyboard_takes_3_page_loads_and_14_actions(
    live_server, browser, board_member, two_waiting
):
    from playwright.sync_api import expect

    answer, following = two_waiting
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    failures = []  # resources the browser could not load, and what the console complains about (CSP included)
    page.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and failures.append(f"{r.status} {r.url}"))
    page.on(
        "console", lambda m: m.type in ("error", "warning") and "status of" not in m.text and failures.append(m.text)
    )
    sign_in(page, live_server, board_member)
    page.goto(live_server.url + reverse("admin:answers_answer_changelist") + "?desk=waiting")
    expect(page.locator("#result_list")).to_contain_text(answer.question.text)

    user = Counted(page)  # from "Waiting for me" on, everything counts
    user.click(f"#result_list a:has-text('{answer.question.text[:40]}')")  # load 1
    expect(page.locator("#answer-status")).to_have_text("Submitted")
    user.click("#decision button[value=start_review]")  # load 2
    expect(page.locator("#answer-status")).to_have_text("Under review")
    expect(page.locator("#evidence-progress")).to_have_text("0 of 6 checked")

    # The keys act on the current card: the first unchecked one (outlined) until the reviewer moves.
    expect(page.locator("#citation-1")).to_have_class(re.compile(r"\bcurrent\b"))
    # Five verdicts: each saves without a reload and moves on (the focus too) to the next unchecked card.
    for n in range(1, 6):
        expect(page.locator(f"#citation-{n}")).to_have_class(re.compile(r"\bcurrent\b"))
        user.press("1")
        expect(page.locator("#evidence-progress")).to_have_text(f"{n} of 6 checked")
        expect(page.locator(f"#citation-{n} .badge.verified")).to_have_text("Verified")
        expect(page.locator(f"#citation-{n + 1}")).to_be_focused()
    # The sixth with a note: n, the note (typed), Esc back to the card, 1.
    expect(page.locator("#citation-6")).to_be_focused()
    user.press("n")
    expect(page.locator("#citation-6 textarea[name=note]")).to_be_focused()
    user.type("Matches the abstract: 100 mg elemental iron.")
    user.press("Escape")
    user.press("1")
    expect(page.locator("#evidence-progress")).to_have_text("6 of 6 checked")
    expect(page.locator("#decision-status")).to_contain_text("6 of 6 checked: 6 verified")
    expect(page.locator("#decision .blockers")).to_have_count(0)
    expect(page.locator("#decision button[value=approve]")).to_be_focused()

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "keys-workspace.png"))
    page.locator("#evidence").screenshot(path=str(OUTPUT / "keys-evidence-pane.png"))
    # The decision bar stayed in view while the workspace scrolled.
    assert page.locator("#decision").bounding_box()["y"] >= -1
    expect(page.locator("#decision")).to_be_in_viewport()

    user.press("a")  # the approve dialog: what is signed, the attestation, the password
    dialog = page.locator("#decision-approve")
    expect(dialog).to_be_visible()
    pending = reloaded(answer).pending_revision
    expect(dialog.locator(".content-hash")).to_have_text(pending.content_hash)
    expect(dialog).to_contain_text(f"Approve: revision {pending.number}")
    expect(dialog.locator("#decision-approve-verdicts")).to_have_text("6 verified")
    expect(dialog).to_contain_text("none live yet: a first publication")
    expect(dialog.locator("#id_approve_attest")).to_be_focused()
    page.screenshot(path=str(OUTPUT / "keys-approve-dialog.png"))
    user.press("Space")  # ticks the attestation
    user.press("Tab")
    expect(dialog.locator("#id_approve_password")).to_be_focused()
    user.type(password_of(board_member))
    with page.expect_navigation():
        user.press("Enter")  # load 3: the next answer waiting
    expect(page).to_have_url(live_server.url + reverse("admin:answers_answer_change", args=[following.pk]))
    expect(page.locator(".messagelist")).to_contain_text(
        f"Approve: done, on “{answer.question.text}”. Next waiting for you: “{following.question.text}”."
    )

    # 2 clicks (the answer, Start review), 5 verdict keys, n Esc 1, then a Space Tab Enter.
    assert (user.loads, user.actions) == (3, 14), (user.loads, user.actions)
    assert user.loads <= MAX_PAGE_LOADS and user.actions <= MAX_ACTIONS
    answer = reloaded(answer)
    assert answer.status == Status.APPROVED and answer.approved_by == board_member
    verdicts = CitationVerdict.objects.filter(revision=answer.live_revision).order_by("citation__number")
    assert [v.verdict for v in verdicts] == ["verified"] * 6
    assert verdicts.last().note == "Matches the abstract: 100 mg elemental iron."
    assert AuditEvent.objects.filter(answer_id=answer.pk, action="vetted.answer.approve").count() == 1
    assert failures == []
    context.close()


def test_the_keys_move_between_cards_open_the_help_and_never_fire_while_typing(
    live_server, browser, board_member, two_waiting
):
    from playwright.sync_api import expect

    answer, _ = two_waiting
    services.answer_start_review(acting_user=board_member, answer=answer)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, board_member)
    page.goto(live_server.url + reverse("admin:answers_answer_change", args=[answer.pk]))

    page.keyboard.press("j")
    expect(page.locator("#citation-2")).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("#citation-2")).to_be_focused()
    page.keyboard.press("3")  # does not support the claim, on card 2
    expect(page.locator("#citation-2 .badge.unsupported")).to_have_text("Does not support the claim")
    expect(page.locator("#citation-3")).to_be_focused()  # the next unchecked card after it
    page.keyboard.press("2")
    expect(page.locator("#citation-3 .badge.unverifiable")).to_have_text("Could not verify")
    expect(page.locator("#evidence-progress")).to_have_text("2 of 6 checked")

    # Typing in a field never fires a key; Ctrl-held keys neither.
    page.keyboard.press("c")
    expect(page.locator("#comment-form textarea")).to_be_focused()
    page.keyboard.type("j1a? Check the dose.")
    expect(page.locator("#evidence-progress")).to_have_text("2 of 6 checked")
    expect(page.locator("dialog[open]")).to_have_count(0)
    page.locator("#comment-form input[type=submit]").click()  # saved without a reload
    expect(page.locator("#comments .comment")).to_contain_text("j1a? Check the dose.")
    expect(page.locator("#comment-form textarea")).to_have_value("")
    page.locator("#citation-4").focus()
    page.keyboard.press("Control+1")
    expect(page.locator("#evidence-progress")).to_have_text("2 of 6 checked")

    page.keyboard.press("?")
    help_dialog = page.locator("#keys-help")
    expect(help_dialog).to_be_visible()
    for key in ("j", "k", "1", "2", "3", "n", "c", "a", "r", "?"):
        expect(help_dialog.locator("kbd", has_text=key).first).to_be_visible()
    assert _serious_violations(page, _axe_source(), within="#keys-help") == []
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    page.keyboard.press("r")  # request changes: its reason in a dialog
    dialog = page.locator("#decision-request_changes")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#id_request_changes_reason")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.goto(page.url.split("#")[0] + "#workspace")
    assert _serious_violations(page, _axe_source(), within="#content-main") == []
    page.keyboard.press("a")
    expect(page.locator("#decision-approve")).to_be_visible()
    assert _serious_violations(page, _axe_source(), within="#decision-approve") == []
    context.close()


def test_the_same_review_without_javascript_completes_through_plain_posts(
    live_server, browser, board_member, two_waiting
):
    from playwright.sync_api import expect

    answer, following = two_waiting
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, board_member)
    page.goto(live_server.url + reverse("admin:answers_answer_changelist") + "?desk=waiting")
    page.click(f"#result_list a:has-text('{answer.question.text[:40]}')")
    page.click("#decision button[value=start_review]")
    expect(page.locator("#answer-status")).to_have_text("Under review")
    expect(page.locator("#keys-help")).to_be_hidden()
    expect(page.locator(".keys-help-button")).to_be_hidden()  # the keys need script: no help offered
    for n in range(1, 7):
        card = page.locator(f"#citation-{n}")
        card.locator("input[name=verdict][value=verified]").check()
        if n == 6:
            card.locator("textarea[name=note]").fill("Matches the abstract.")
        card.locator("input[type=submit][value='Record verdict']").click()
        expect(page.locator(".messagelist")).to_contain_text("Citation verdict recorded.")
        expect(page.locator("#evidence-progress")).to_have_text(f"{n} of 6 checked")
    page.click("#decision button[value=approve]")  # no dialog without script: the approve page
    expect(page.locator("#transition-form label[for=id_attest]")).to_have_text(settings.APPROVAL_ATTESTATION)
    page.check("#id_attest")
    page.fill("#id_password", password_of(board_member))
    page.click("#transition-form input[type=submit]")
    next_page = live_server.url + reverse("admin:answers_answer_change", args=[following.pk])
    expect(page).to_have_url(re.compile(re.escape(next_page) + "(#.*)?$"))  # a fragment may carry over redirects
    expect(page.locator(".messagelist")).to_contain_text("Approve: done")
    assert reloaded(answer).status == Status.APPROVED
    context.close()
