from django import template
from django.urls import reverse

from editorial.review import selectors

register = template.Library()

# The changelist query that shows each count's answers.
_QUEUE_LINKS = {
    "waiting": "desk=waiting",
    "in_review": "desk=in_review",
    "due": "desk=due",
    "second": "desk=second",
    "unassigned": "status__exact=submitted&assigned=nobody",
    "second_unassigned": "status__exact=awaiting_second_review&assigned=nobody",
    "overdue": "overdue=yes",
}


@register.simple_tag
def desk_counts(user) -> list[dict]:
    """The user's queue counts with a link to each queue (one query)."""
    changelist = reverse("admin:answers_answer_changelist")
    return [
        {"label": c.label, "count": c.count, "url": f"{changelist}?{_QUEUE_LINKS[c.queue]}", "queue": c.queue}
        for c in selectors.desk_counts(user)
    ]
