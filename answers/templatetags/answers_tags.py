from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_url(value: str) -> str:
    """Only http(s) links from drafted citations reach a reader; anything else is dropped."""
    value = (value or "").strip()
    return value if urlsplit(value).scheme.lower() in {"http", "https"} else ""


REVIEW_STEPS = ("Submitted", "Under Review", "Approved")
_STEP_OF_STATUS = {"submitted": 0, "under_review": 1, "changes_requested": 1, "approved": 2}
# A high-risk draft approved once shows its second review as a step of its own.
SECOND_REVIEW_STEPS = ("Submitted", "Under Review", "Awaiting Second Review", "Approved")
_SECOND_REVIEW_STEP = {"awaiting_second_review": 2, "second_review": 2}


# What already ends a sentence: a period ("Zhang W, et al."), a question or exclamation mark, an ellipsis.
_ENDED = (".", "?", "!", "…")


@register.filter
def period(value) -> str:
    """The period that closes the text, or none when it already ends a sentence:
    "Zhang W, et al." takes none (never "et al.."), "Is iron safe?" takes none."""
    return "" if str(value).rstrip().endswith(_ENDED) else "."


@register.simple_tag
def review_steps(answer, pending=False, overdue=False) -> list[dict]:
    """The tracker's steps for the content shown: approved content is at "Approved",
    pending content at the step its answer has reached (a high-risk draft's second review
    is a step of its own). Approved content past its review date (`overdue`, the page's
    own rule) gets a last step, "Re-review due", current and not done: the tracker never
    stays all green while the page says the review is overdue."""
    steps = REVIEW_STEPS
    if pending and answer.status in _SECOND_REVIEW_STEP:
        steps, current = SECOND_REVIEW_STEPS, _SECOND_REVIEW_STEP[answer.status]
    else:
        current = _STEP_OF_STATUS.get(answer.status, 0) if pending else len(REVIEW_STEPS) - 1
    shown = [
        {"label": label, "done": i < current or (i == current and not pending), "current": i == current}
        for i, label in enumerate(steps)
    ]
    if overdue and not pending:
        shown[-1]["current"] = False
        shown.append({"label": "Re-review due", "done": False, "current": True})
    return shown
