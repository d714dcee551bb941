"""An audit event as people read it: one sentence from its action and data.

`describe(event)` gives "Citation 3 (Kantarjian 2016): verified: matches the
abstract", "Started review", "Approved revision 2", "Requested changes: fix
the dose"; `state_change(event)` names the states as people say them
("Submitted → Under review", never `under_review`); `question_text(event)`
names the answer by its question. Every page that shows the trail reads
events through here (the audit admin's list and detail, the review page).

The sentences are plain text: user text (reasons, notes, comments) goes in as
written, and whoever renders a sentence escapes it (Django templates and
`format_html` do).

Events name what their sentence needs in `data` at record time (the
citation's first author and year, the reviewer's name, a comment's first
words); older events fall back to what the row holds ("Citation 3"). The
revision's number and the question come from `event.revision` and
`event.answer.question`: load a list of events with
`select_related(*TRAIL_RELATED)` so describing them costs no query per event.
"""

from datetime import date

from django.utils.formats import date_format

from answers.models import Answer, ReviewState, Revision, RiskTier, Status
from editorial.audit.trail import action_label
from editorial.models import AuditAction, AuditEvent, Verdict

# What describing an event reads beyond its row: select_related(*TRAIL_RELATED) on a list.
TRAIL_RELATED = ("revision", "answer__question")

# Profile fields as people name them in "Changed the reviewer profile of maya: ...".
_PROFILE_FIELDS = {
    "user": "user",
    "display_name": "display name",
    "conflict_of_interest": "conflict of interest",
    "interests": "declared interests",
}


def state_name(code: str) -> str:
    """A state as people say it: "under_review" -> "Under review"; an unknown code reads as itself."""
    for states in (Status, ReviewState):  # the desk status; a revision's own review ("withdrawn")
        if code in states.values:
            return states(code).label
    return code


def state_change(event: AuditEvent) -> str:
    """The states: "Submitted → Under review", or the one state an event left as it was ("" for none)."""
    before, after = state_name(event.from_state), state_name(event.to_state)
    if before and after and before != after:
        return f"{before} → {after}"
    return after or before


def question_text(event: AuditEvent) -> str:
    """The question of the event's answer ("" for an event about no answer, or one since gone)."""
    if event.answer_id is None:
        return ""
    if AuditEvent.answer.is_cached(event):
        answer = event.answer
    else:
        answer = Answer.objects.select_related("question").filter(pk=event.answer_id).first()
    return answer.question.text if answer is not None else ""


def describe(event: AuditEvent) -> str:
    """The sentence people read for `event`: never the raw action code of a known action."""
    try:
        action = AuditAction(event.action)
    except ValueError:
        return action_label(event.action)
    return _SENTENCES[action](event, event.data or {})


def _with(text: str, detail: str) -> str:
    """The words and their detail ("Requested changes: <reason>"), or the bare words when there is no detail."""
    detail = (detail or "").strip()
    return f"{text}: {detail}" if detail else text


def _revision_number(event: AuditEvent, data: dict) -> int | None:
    if isinstance(data.get("revision"), int):
        return data["revision"]
    if event.revision_id is None:
        return None
    if AuditEvent.revision.is_cached(event):
        revision = event.revision
    else:
        revision = Revision.objects.filter(pk=event.revision_id).only("number").first()
    return revision.number if revision is not None else None


def _of_revision(text: str, event: AuditEvent, data: dict) -> str:
    number = _revision_number(event, data)
    return f"{text} revision {number}" if number is not None else text


def _citation(data: dict) -> str:
    """The citation named: "Citation 3 (Kantarjian 2016)"; "Citation 3" in events older than the reference."""
    name = f"Citation {data['citation']}" if data.get("citation") is not None else "A citation"
    return f"{name} ({data['reference']})" if data.get("reference") else name


def _verdict(code: str) -> str:
    try:
        return Verdict(code).label.lower()
    except ValueError:
        return code or "unchecked"


def _tier(code) -> str:
    return RiskTier(code).label.lower() if code in RiskTier.values else str(code or "another tier")


def _submit(event, data):
    sentence = _of_revision("Submitted", event, data)
    if sentence == "Submitted":
        sentence = "Submitted a revision"
    return f"{sentence}, drafted by {data['source']}" if data.get("source") else sentence


def _assign(event, data):
    reviewer = data.get("reviewer_label") or data.get("reviewer") or "a board member"
    previous = data.get("previous_label") or data.get("previous")
    if previous and previous != reviewer:
        return f"Reassigned the review from {previous} to {reviewer}"
    return f"Assigned the review to {reviewer}"


def _review_due(event, data):
    try:
        due = date.fromisoformat(data.get("next_review_due") or "")
    except (TypeError, ValueError):
        return "Marked due for re-review"
    return f"Marked due for re-review (the review was due on {date_format(due, 'j F Y')})"


def _profile_change(event, data):
    whose = f"the reviewer profile of {data['user']}" if data.get("user") else "a reviewer profile"
    if data.get("created"):
        return f"Created {whose}"
    if data.get("deleted"):
        return f"Deleted {whose}"
    fields = ", ".join(_PROFILE_FIELDS.get(name, name.replace("_", " ")) for name in data.get("changes") or {})
    return _with(f"Changed {whose}", fields)


def _numbers(numbers) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def _revision_edit(event, data):
    """ "Edited revision 1 as revision 2: sections edited: Dosing; citations changed: [3]; verdicts
    carried over: [1], [2]"."""
    parent, number = data.get("parent"), _revision_number(event, data)
    if number is None:
        sentence = "Edited the draft"
    elif parent is None:
        sentence = f"Edited the draft as revision {number}"
    else:
        sentence = f"Edited revision {parent} as revision {number}"
    sections, citations = data.get("sections") or {}, data.get("citations") or {}
    details = [
        f"sections {what}: {', '.join(sections[what])}" for what in ("edited", "added", "removed") if sections.get(what)
    ]
    if sections.get("reordered"):
        details.append("sections reordered")
    details += [
        f"citations {what}: {_numbers(citations[what])}"
        for what in ("changed", "added", "removed")
        if citations.get(what)
    ]
    if data.get("carried_over"):
        details.append(f"verdicts carried over: {_numbers(data['carried_over'])}")
    if data.get("handed_back"):
        details.append("the review goes to another board member")
    return _with(sentence, "; ".join(details))


def _comment(words: str):
    """A comment's events: "Commented on “Dosing”: <its start>", with the quoted sentence when it had one."""

    def sentence(event, data):
        where = ""
        if data.get("quote"):
            where = f" on \u201c{data['quote']}\u201d"
            if data.get("section"):
                where += f" in {data['section']}"
        elif data.get("section"):
            where = f" on the section {data['section']}"
        return _with(words + where, data.get("excerpt", ""))

    return sentence


_SENTENCES = {
    AuditAction.SUBMIT: _submit,
    AuditAction.ASSIGN: _assign,
    AuditAction.START_REVIEW: lambda event, data: "Started review",
    AuditAction.APPROVE: lambda event, data: _of_revision("Approved", event, data),
    AuditAction.REAFFIRM: lambda event, data: _of_revision("Re-reviewed and re-approved", event, data),
    AuditAction.REQUEST_CHANGES: lambda event, data: _with("Requested changes", event.reason),
    AuditAction.REJECT: lambda event, data: _with("Rejected", event.reason),
    AuditAction.RETRACT: lambda event, data: _with("Retracted", event.reason),
    AuditAction.REVIEW_DUE: _review_due,
    AuditAction.CITATION_VERDICT: lambda event, data: _with(
        f"{_citation(data)}: {_verdict(data.get('verdict', ''))}"
        + (" (second review)" if data.get("second_review") else ""),
        event.reason,
    ),
    AuditAction.CITATION_WAIVE: lambda event, data: _with(f"{_citation(data)}: check waived", event.reason),
    AuditAction.COMMENT: _comment("Commented"),
    AuditAction.COMMENT_RESOLVE: _comment("Resolved a comment"),
    AuditAction.COMMENT_REOPEN: _comment("Reopened a comment"),
    AuditAction.FOLLOWUP_CLAIM: lambda event, data: _with(
        "Claimed a reader's follow-up question for drafting", data.get("question", "")
    ),
    AuditAction.SIGNATURE_FAILED: lambda event, data: "Failed to sign: wrong password",
    AuditAction.PROFILE_CHANGE: _profile_change,
    AuditAction.RISK_CHANGE: lambda event, data: _with(
        _of_revision("Set the risk tier of", event, data) + f" to {_tier(data.get('to'))}", event.reason
    ),
    AuditAction.REVISION_WITHDRAW: lambda event, data: _of_revision("Withdrew", event, data) + " with the retraction",
    AuditAction.REVISION_EDIT: _revision_edit,
    AuditAction.FIRST_APPROVE: lambda event, data: (
        _of_revision("Approved", event, data) + " (first of two approvals: high risk, waiting for a second review)"
    ),
    AuditAction.CITATION_ADJUDICATE: lambda event, data: _with(
        f"{_citation(data)}: adjudicated {_verdict(data.get('verdict', ''))}"
        + (
            f" ({_verdict(data['first'])} in the first review, {_verdict(data['second'])} in the second)"
            if data.get("first") and data.get("second")
            else ""
        ),
        event.reason,
    ),
}
