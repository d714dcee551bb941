"""Requests refused before any view runs.

`NulByteGuardMiddleware` answers 400 to a NUL character in the path or the
query string. No page has a use for one, and PostgreSQL refuses NUL in text,
so a search, a filter or an admin lookup holding one would otherwise end in a
database error (a 500) instead of a client error. Form fields refuse NUL on
their own (Django's CharField), and the drafting API's validation does too.
Under the API's prefix the refusal has the API's JSON error shape.
"""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
API_PREFIX = "/api/"
MESSAGE = "NUL characters are not allowed."


def _nul_in(request) -> str | None:
    """Where the request holds a NUL character: "path", a query parameter's name, or None."""
    if NUL in request.path_info:
        return "path"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return key.replace(NUL, "\\x00")
    return None


class NulByteGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _nul_in(request)
        if where is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            body = {"detail": "The request is invalid.", "errors": [{"field": where, "message": MESSAGE}]}
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(
            f"Bad request: the address holds a NUL character. {MESSAGE}", content_type="text/plain; charset=utf-8"
        )
