"""How refusals become HTTP responses: the one place that maps errors to status codes.

| error                                            | status |
|--------------------------------------------------|--------|
| schema or rule violation (`editorial.errors.Invalid`, ninja `ValidationError`) | 400 |
| missing, unknown or revoked token                | 401    |
| not a drafting system, or `NotAllowed`           | 403    |
| no such draft or question                        | 404    |
| `InvalidState` (names the state), `Conflict`, `Blocked` | 409 |
| body over `API_MAX_BODY_BYTES`                   | 413    |
| body not `application/json`                      | 415    |
"""

import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from editorial.drafting.intake import problems_from_pydantic
from editorial.errors import Blocked, Conflict, Invalid, InvalidState, NotAllowed


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []
    state: str | None = None


ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 415)}


class BodyRefused(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


class JsonOnlyParser(Parser):
    """Refuses bodies that are too large (413), not JSON (415) or not parseable (400).

    ninja wraps whatever a parser raises in a 400 HttpError; `_http_error`
    below reads the cause back to answer with the right status.
    """

    def parse_body(self, request):
        content_type = (request.content_type or "").lower()
        if content_type != "application/json":
            raise BodyRefused(415, f"Send the body as application/json, not {content_type or 'no content type'}.")
        if len(request.body) > settings.API_MAX_BODY_BYTES:
            raise BodyRefused(413, f"The body is larger than {settings.API_MAX_BODY_BYTES} bytes.")
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyRefused(400, f"The body is not valid JSON: {exc}") from None


def refuse_oversized(request) -> None:
    """413 for a body announced larger than API_MAX_BODY_BYTES, before anything reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "The Content-Length header is not a number.") from None
    if length > settings.API_MAX_BODY_BYTES:
        raise HttpError(413, f"The body is larger than {settings.API_MAX_BODY_BYTES} bytes.")


def _respond(api, request, status: int, detail: str, *, problems=(), state=None, headers=None):
    body = {"detail": detail, "errors": [{"field": p.field, "message": p.message} for p in problems]}
    if state is not None:
        body["state"] = state
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def handler(exc_class):
        def register(func):
            api.add_exception_handler(exc_class, lambda request, exc: func(request, exc))
            return func

        return register

    @handler(ValidationError)
    def _validation(request, exc):
        # ninja's loc starts with the source ('body', 'query', 'path') and, for a body, the parameter name.
        problems = []
        for error in exc.errors:
            skip = 2 if error["loc"] and error["loc"][0] == "body" else 1
            problems += problems_from_pydantic([error], skip=skip)
        return _respond(api, request, 400, "The request is invalid.", problems=problems)

    @handler(Invalid)
    def _invalid(request, exc):
        return _respond(api, request, 400, exc.message, problems=exc.problems)

    @handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return _respond(
            api,
            request,
            401,
            "Send a valid token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": "Bearer"},
        )

    @handler(NotAllowed)
    def _not_allowed(request, exc):
        return _respond(api, request, 403, exc.message)

    @handler(InvalidState)
    def _invalid_state(request, exc):
        return _respond(api, request, 409, exc.message, state=exc.state)

    @handler(Conflict)
    def _conflict(request, exc):
        return _respond(api, request, 409, exc.message, state=getattr(exc, "state", None))

    @handler(Blocked)
    def _blocked(request, exc):
        return _respond(api, request, 409, exc.message)

    @handler(Http404)
    def _not_found(request, exc):
        return _respond(api, request, 404, str(exc) or "Not found.")

    @handler(ObjectDoesNotExist)
    def _does_not_exist(request, exc):
        return _respond(api, request, 404, "Not found.")

    @handler(RequestDataTooBig)
    def _too_big(request, exc):
        return _respond(api, request, 413, f"The body is larger than {settings.API_MAX_BODY_BYTES} bytes.")

    @handler(HttpError)
    def _http_error(request, exc):
        cause = exc.__cause__
        if isinstance(cause, BodyRefused):
            return _respond(api, request, cause.status, cause.detail)
        return _respond(api, request, exc.status_code, str(exc))
