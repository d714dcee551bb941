"""Write docs/state-machine.md from the code: the answer's desk status and each
revision's review (their django-fsm transitions, conditions and targets), who
may take each decision (`editorial.review.decisions` and the rights' docstrings),
and the rule of the derived publication.

    python manage.py state_machine_docs > docs/state-machine.md    (make docs)

A test fails when the committed file differs from what this prints.
"""

import inspect

from django.core.management.base import BaseCommand
from django_fsm import State

from answers.models import Answer, Publication, ReviewState, RevisionReview, Status
from editorial.review.decisions import DECISIONS


def _targets(transition) -> list[str]:
    target = transition.target
    if isinstance(target, State):  # RETURN_VALUE / GET_STATE: the states the method may return
        return [str(state) for state in target.allowed_states]
    return [str(target)]


def _transitions(model, field: str):
    """(name, {sources, targets, edges, conditions, doc}) per transition, in the order the class
    declares them; `edges` pairs each source with its own targets (a method may stack decorators)."""
    merged: dict[str, dict] = {}
    for transition in model._meta.get_field(field).get_all_transitions(model):
        entry = merged.setdefault(
            transition.name,
            {
                "sources": [],
                "targets": [],
                "edges": [],
                "conditions": transition.conditions,
                "line": transition.method.__code__.co_firstlineno,
            },
        )
        entry["sources"].append(str(transition.source))
        for target in _targets(transition):
            entry["edges"].append((str(transition.source), target))
            if target not in entry["targets"]:
                entry["targets"].append(target)
        entry["doc"] = inspect.getdoc(transition.method) or ""
    return sorted(merged.items(), key=lambda item: item[1]["line"])


def _labels(choices) -> dict[str, str]:
    return {value: label.lower() for value, label in choices}


def _mermaid(model, field: str, initial: str, finals: tuple[str, ...] = ()) -> list[str]:
    out = ["```mermaid", "stateDiagram-v2", f"    [*] --> {initial}"]
    for name, t in _transitions(model, field):
        for source, target in t["edges"]:
            out.append(f"    {source} --> {target}: {name}")
    out += [f"    {state} --> [*]" for state in finals]
    out.append("```")
    return out


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _conditions(conditions) -> str:
    """The conditions by name (their docstrings are refusals: "it has no approved content.")."""
    return "; ".join(f"`{c.__name__}`" for c in conditions)


def document() -> str:
    status = _labels(Status.choices)
    review = _labels(ReviewState.choices)
    out = [
        "# The review state machines",
        "",
        "<!-- Written by `python manage.py state_machine_docs` (`make docs`) from answers/models.py,",
        "     editorial/review/decisions.py and editorial/access/rights.py. Do not edit by hand:",
        "     tests/config/test_deploy_files.py fails when this file and the code disagree. -->",
        "",
        "An answer has three states, kept apart so that a decision on a new draft never",
        "takes published content hostage:",
        "",
        "| state | where | values | what it says |",
        "|---|---|---|---|",
        "| **publication** | `Answer.publication` (derived, never stored) | "
        + ", ".join(Publication.values)
        + " | what readers get |",
        "| **review** of each revision | `RevisionReview.state` (django-fsm) | "
        + ", ".join(ReviewState.values)
        + " | the outcome of that revision alone |",
        "| **desk status** | `Answer.status` (django-fsm) | "
        + ", ".join(Status.values)
        + " | where the answer stands on the review desk: queues, filters, reports |",
        "",
        "## Publication",
        "",
        f"- **{Publication.PUBLISHED.value}**: the answer has a live (approved) revision; readers see it,",
        "  whatever re-draft is pending and whatever is decided on that re-draft.",
        f"- **{Publication.RETRACTED.value}**: withdrawn from readers (`retract`); the reader page answers 410.",
        f"- **{Publication.DRAFT.value}**: never approved; readers see nothing.",
        "",
        "The reader page's tracker (Submitted → Under Review → Approved) follows the revision shown:",
        "the live one when there is one.",
        "",
        "## The answer's desk status",
        "",
        *_mermaid(Answer, "status", Status.NEW, finals=(Status.REJECTED,)),
        "",
        "| transition | from | to | condition | who (`editorial/access/rights.py`) | the pending revision's review |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in _transitions(Answer, "status"):
        decision = DECISIONS.get(name)
        who = _first_line(inspect.getdoc(decision.right) or decision.right.__name__) if decision else ""
        step = (decision.revision_step or "") if decision else ""
        if name == "submit":
            step = f"a new review, {ReviewState.SUBMITTED.value}"
        out.append(
            f"| `{name}` | {', '.join(status[s] for s in t['sources'])} | {', '.join(status[s] for s in t['targets'])}"
            f" | {_conditions(t['conditions'])} | {who} | {f'`{step}`' if step and ' ' not in step else step} |"
        )
    out += [
        "",
        *[f"- `{name}`: {_first_line(t['doc'])}" for name, t in _transitions(Answer, "status") if t["doc"]],
        "",
        "Rejected (an answer never published whose draft was refused) is final for that question and",
        "audience. A published answer never enters it: rejecting its re-draft returns it to approved.",
        "",
        "## Each revision's review",
        "",
        *_mermaid(
            RevisionReview,
            "state",
            ReviewState.SUBMITTED,
            finals=(
                ReviewState.APPROVED,
                ReviewState.REJECTED,
                ReviewState.CHANGES_REQUESTED,
                ReviewState.WITHDRAWN,
                ReviewState.SUPERSEDED,
            ),
        ),
        "",
        "| transition | from | to | taken with the answer's |",
        "|---|---|---|---|",
    ]
    with_answer = {d.revision_step: d.name for d in DECISIONS.values() if d.revision_step}
    for name, t in _transitions(RevisionReview, "state"):
        out.append(
            f"| `{name}` | {', '.join(review[s] for s in t['sources'])} | {', '.join(review[s] for s in t['targets'])}"
            f" | `{with_answer.get(name, '')}` |"
        )
    out += [
        "",
        "A revision's review is created, submitted, with the revision. Its outcome stays with it:",
        "a revision approved and later replaced stays approved; one sent back stays changes",
        "requested when the next draft arrives. `withdraw` runs when the answer is retracted",
        "while the revision is pending, and writes its own audit event (`vetted.revision.withdraw`).",
        "`supersede` runs when a board member or editor edits the pending revision",
        "(`editorial/review/edits.py`, audit event `vetted.revision.edit`): the edit is a new",
        "revision (`parent` the one edited) that takes its place in review, its own review",
        "submitted, or under review when the answer stays under review with the same holder.",
        "An edit by the holder (or the assignee) sends the answer back to submitted, unassigned:",
        "whoever wrote a revision never approves it. Verdicts on citations whose reference and",
        "citing sentences are unchanged carry over to the edit (`CitationVerdict.carried_from`).",
        "",
        "A high-risk revision (`RevisionReview.risk_tier`, `editorial/review/risk.py`) is approved twice.",
        'Its holder\'s **Approve** runs `first_approve` (signed "Approved for publication", audit',
        "`vetted.answer.first_approve`): nothing is published; the answer awaits a second review,",
        "unassigned. `start_review` gives that review to another board member (never the first approver,",
        "never an author of the revision or of one it was edited from; at least one of the two holds the",
        'specialty), who records their own verdicts blind and whose `approve` publishes it ("Second',
        'approval"). Disagreements between the two reviews block it until adjudicated',
        "(`editorial/review/double.py`). A standard-tier revision is published by one `approve`.",
        "",
        "Transitions never save and never check who acts: every one runs inside a service in",
        "`editorial/review/services.py`, which locks the answer, checks the right, runs the answer's",
        "transition and its pending revision's, saves (django-fsm's `ConcurrentTransitionMixin`",
        "refuses a lost race) and writes the audit event in one transaction.",
        "",
        "`docs/state-machine.dot` is django-fsm's drawing of the desk status",
        "(`manage.py graph_transitions answers.Answer.status`; render it with",
        "`dot -Tsvg docs/state-machine.dot -o state-machine.svg`).",
        "",
    ]
    return "\n".join(out)


class Command(BaseCommand):
    help = "Print docs/state-machine.md, drawn from the state machines in the code."

    def handle(self, *args, **options):
        self.stdout.write(document(), ending="")
