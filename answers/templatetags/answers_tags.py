from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_url(value: str) -> str:
    """Only http(s) links from drafted citations reach a reader; anything else is dropped."""
    value = (value or "").strip()
    return value if urlsplit(value).scheme.lower() in {"http", "https"} else ""
