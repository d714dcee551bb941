"""The audit trail in templates: `{{ event|sentence }}` and `{{ event|state_change }}`
(`editorial.audit.describe`; plain text, escaped by the template like any value)."""

from django import template

from editorial.audit import describe

register = template.Library()


@register.filter
def sentence(event) -> str:
    return describe.describe(event)


@register.filter
def state_change(event) -> str:
    return describe.state_change(event)
