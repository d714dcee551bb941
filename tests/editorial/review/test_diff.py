"""The bounded comparison engine (`editorial.review.diff`): words and sequences, within a budget."""

import re
import signal
import sys
from contextlib import contextmanager
from html import escape, unescape
from types import SimpleNamespace

import pytest

from answers.models import Status
from editorial.admin import answers as answer_admin
from editorial.review import services
from editorial.review.changes import revision_diff
from editorial.review.diff import Budget, align, word_diff, word_sides
from tests import factories
from tests.editorial.admin.desk import review_url


def section(heading, body):
    return {"heading": heading, "body": body}


class _Related(list):
    def all(self):
        return self


def revision(sections, citations):
    return SimpleNamespace(sections=_Related(SimpleNamespace(**s) for s in sections), citations=_Related(citations))


def test_word_diff_marks_deleted_and_inserted_words():
    assert str(word_diff("Give 10 mg daily.", "Give 20 mg daily.")) == "Give <del>10</del><ins>20</ins> mg daily."


def test_word_diff_escapes_drafted_markup():
    html = str(word_diff("safe", "<script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


# -- bounded work (issue 13 #2: difflib took 111 s on the repetitive pair below) ----------------

ADVERSARIAL_OLD = " ".join(["a", "b"] * 1000) + " [1]"
ADVERSARIAL_NEW = " ".join(["b", "a", "c"] * 1000) + " [1]"
_TAG_RE = re.compile(r"<(del|ins)>(.*?)</\1>", re.DOTALL)


def sides(html) -> tuple[str, str]:
    """The old and the new text a diff's HTML stands for (drop one side's marks, keep the other's)."""
    old = _TAG_RE.sub(lambda m: m.group(2) if m.group(1) == "del" else "", str(html))
    new = _TAG_RE.sub(lambda m: m.group(2) if m.group(1) == "ins" else "", str(html))
    return unescape(old), unescape(new)


class TooMuchWork(Exception):
    pass


def python_lines(function, limit: int) -> int:
    """How many lines of Python `function` executes; raises TooMuchWork past `limit`.

    A measure of work, not of time: the same on any machine, under any load.
    """
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count > limit:
                raise TooMuchWork(f"more than {limit:,} lines of Python")
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        function()
    finally:
        sys.settrace(previous)
    return count


@contextmanager
def at_most(seconds: float):
    """Fail after `seconds` rather than wait (the finding's diff took 111 s)."""

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeoutError:
        raise AssertionError(f"took over {seconds} s") from None  # no traceback through the interrupted code
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_repetitive_pair_of_the_finding_is_compared_in_bounded_work():
    # 4,001 and 6,001 tokens; difflib ran billions of Python lines on it.
    lines = python_lines(lambda: word_diff(ADVERSARIAL_OLD, ADVERSARIAL_NEW), limit=1_000_000)
    assert lines < 200_000


def test_the_repetitive_pair_is_still_compared_word_by_word():
    budget = Budget()
    with at_most(5):  # milliseconds (bench/diff.py)
        old, new, coarse = word_sides(ADVERSARIAL_OLD, ADVERSARIAL_NEW, budget=budget)
    assert not coarse
    assert sides(old)[0] == ADVERSARIAL_OLD and sides(new)[1] == ADVERSARIAL_NEW
    assert "<ins>" not in old and "<del>" not in new
    assert len(re.findall(r"<ins>\s*c\s*</ins>", str(new))) == 1000  # every inserted "c" marked
    assert budget.cells_spent <= 4_001 * 6_001


def test_over_the_budget_paragraphs_are_compared_one_by_one():
    old = "\n\n".join(f"Paragraph {i} gives 10 mg daily." for i in range(3))
    new = "\n\n".join(f"Paragraph {i} gives 20 mg daily." for i in range(3))
    # From the first change to the last, 27 tokens a side: 729 cells, over 100. 5 lines a side: 25.
    budget = Budget(per_comparison=100)
    html = word_diff(old, new, budget=budget)
    assert budget.cells_spent == 25 + 3  # the line diff, then "10" against "20" in each paragraph
    assert str(html) == "\n\n".join(f"Paragraph {i} gives <del>10</del><ins>20</ins> mg daily." for i in range(3))


def test_beyond_the_budget_a_changed_passage_is_shown_whole():
    old = "Intro <b>stays</b>.\nGive 10 mg & rest.\nKeep.\nEnd 1."
    new = "Intro <b>stays</b>.\nTake 20 mg & rest.\nKeep.\nEnd 2."
    # Whole: 14 x 14 tokens, over. Lines after the equal first one: 3 x 3 = 9 cells;
    # then "Give 10" / "Take 20" (3 x 3): over; "1." / "2.": 1.
    budget = Budget(cells=9 + 1)
    html = word_diff(old, new, budget=budget)
    assert budget.cells_spent == 10
    assert str(html) == (
        "Intro &lt;b&gt;stays&lt;/b&gt;.\n"
        "<del>Give 10 mg &amp; rest.\n</del><ins>Take 20 mg &amp; rest.\n</ins>"
        "Keep.\nEnd <del>1.</del><ins>2.</ins>"
    )
    left, right, coarse = word_sides(old, new, budget=Budget(cells=0))
    assert coarse and str(left) == "<del>" + escape(old) + "</del>" and str(right) == "<ins>" + escape(new) + "</ins>"


def test_sequences_align_within_the_budget():
    runs = align(["A.", "B.", "C."], ["A.", "X.", "C.", "D."], budget=Budget())
    assert runs == [(True, 0, 1, 0, 1), (False, 1, 2, 1, 2), (True, 2, 3, 2, 3), (False, 3, 3, 3, 4)]
    assert align(["A.", "B."], ["C.", "D."], budget=Budget(cells=3)) is None


def test_the_largest_drafts_stay_within_one_page_budget():
    # The API's limits: 50 sections of 50,000 characters; repetitive, so nothing fits word by word.
    old = [section(f"S{i}", (" ".join(["a", "b"] * 12_500))[:50_000]) for i in range(50)]
    new = [section(f"S{i}", (" ".join(["b", "a", "c"] * 8_400))[:50_000]) for i in range(50)]
    budget = Budget()
    with at_most(10):  # well under a second (bench/diff.py)
        diff = revision_diff(revision(old, []), revision(new, []), budget=budget)
    assert budget.cells_spent <= budget.cells and budget.chars_spent <= budget.chars
    assert budget.render_spent <= budget.render and budget.pairs_spent <= budget.pairs
    assert len(diff.sections) == 50 and all(s.change == "changed" for s in diff.sections)
    # Each a single sentence too long to compare word by word; the first few rendered as readers read
    # them, then the rendering budget is spent and the rest are compared as drafted.
    assert all(s.coarse for s in diff.sections)
    assert diff.sections[0].rendered and not diff.sections[-1].rendered
    row = diff.sections[-1].rows[0]
    assert sides(row.old)[0] == old[-1]["body"] and sides(row.new)[1] == new[-1]["body"]


# -- ordinary edits ----------------------------------------------------------------------------


def test_inserted_and_deleted_words_in_an_ordinary_edit():
    assert str(word_diff("Give 10 mg daily.", "Give 10 mg twice daily.")) == "Give 10 mg <ins>twice </ins>daily."
    assert str(word_diff("Give 10 mg twice daily.", "Give 10 mg daily.")) == "Give 10 mg <del>twice </del>daily."
    old = "Oral iron first [1].\n\nIV iron if intolerant [2]."
    new = "Oral iron first, every other day [1].\n\nIV iron if intolerant or refractory [2]."
    html = str(word_diff(old, new))
    assert html == (
        "Oral iron <del>first</del><ins>first, every other day</ins> [1].\n\n"
        "IV iron if intolerant <ins>or refractory </ins>[2]."
    )


def test_escaping_holds_in_unchanged_deleted_and_inserted_text():
    html = str(word_diff('<img src=x onerror="a()"> & keep', '<script>x</script> & keep "q"'))
    assert "<img" not in html and "<script" not in html
    assert sides(html) == ('<img src=x onerror="a()"> & keep', '<script>x</script> & keep "q"')
    assert html == (
        "<del>&lt;img src=x onerror=&quot;a()&quot;&gt;</del><ins>&lt;script&gt;x&lt;/script&gt;</ins>"
        " &amp; keep<ins> &quot;q&quot;</ins>"
    )


# -- the review page ---------------------------------------------------------------------------


def _revised(answer_in, drafter, specialty, old: str, new: str):
    answer = answer_in(Status.APPROVED, sections=[{"heading": "Dosing", "body": old}])
    services.draft_submit(
        acting_user=drafter, draft=factories.draft(specialty, sections=[{"heading": "Dosing", "body": new}])
    )
    return answer


@pytest.mark.django_db
def test_the_changes_tab_of_the_finding_shows_its_word_diff(
    client, answer_in, board_member, drafter, specialty, monkeypatch
):
    answer = _revised(answer_in, drafter, specialty, ADVERSARIAL_OLD, ADVERSARIAL_NEW)

    def bounded(live, pending, **options):
        with at_most(5):  # generous: the diff takes milliseconds (bench/diff.py); the page's first load is slower
            return revision_diff(live, pending, **options)

    monkeypatch.setattr(answer_admin, "revision_diff", bounded)
    client.force_login(board_member)
    response = client.get(review_url(answer) + "?tab=changes")
    assert response.status_code == 200
    dosing = next(d for d in response.context["diff"].sections if d.heading == "Dosing")
    assert dosing.change == "changed" and not dosing.coarse and dosing.rendered
    (row,) = dosing.rows  # one sentence each side, its words marked
    assert row.change == "changed"
    assert sides(row.old)[0] == ADVERSARIAL_OLD and sides(row.new)[1] == ADVERSARIAL_NEW
    assert "Too long or too different" not in response.content.decode()


@pytest.mark.django_db
def test_the_changes_tab_says_when_passages_are_shown_whole(
    client, answer_in, board_member, drafter, specialty, monkeypatch
):
    answer = _revised(answer_in, drafter, specialty, "Give <b>10</b> mg [1].", "Give <i>20</i> mg [1].")
    monkeypatch.setattr(
        answer_admin,
        "revision_diff",
        lambda live, pending, **options: revision_diff(live, pending, budget=Budget(cells=0), **options),
    )
    client.force_login(board_member)
    response = client.get(review_url(answer) + "?tab=changes")
    dosing = next(d for d in response.context["diff"].sections if d.heading == "Dosing")
    assert dosing.coarse
    html = response.content.decode()
    assert "Too long or too different to compare word by word" in html
    # No cell to align the sentences with: every live sentence removed, then every new one added.
    assert [row.change for row in dosing.rows] == ["removed", "added"]
    assert '<td class="diff-old">Give &lt;b&gt;10&lt;/b&gt; mg [1].</td>' in html
    assert '<td class="diff-new">Give &lt;i&gt;20&lt;/i&gt; mg [1].</td>' in html
