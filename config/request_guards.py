"""Requests refused, or made readable, before any view runs.

`NulByteGuardMiddleware` answers 400 to a NUL character in the path or the
query string. No page has a use for one, and PostgreSQL refuses NUL in text,
so a search, a filter or an admin lookup holding one would otherwise end in a
database error (a 500) instead of a client error. Form fields refuse NUL on
their own (Django's CharField), and the drafting API's validation does too.
Under the API's prefix the refusal has the API's JSON error shape.

`ChunkedBodyMiddleware` wraps the WSGI application (config/wsgi.py). Django
reads a request body only as far as CONTENT_LENGTH says, so a body sent with
`Transfer-Encoding: chunked` and no Content-Length was read as empty (the
drafting API answered "body: This field is required"). When the server has
decoded the chunks and marks the input as terminated (`wsgi.input_terminated`,
which gunicorn sets), the body is read here, up to the size limit, and handed
on with its length: over the limit it is a 413 (the API's limit under /api/,
else DATA_UPLOAD_MAX_MEMORY_SIZE), without reading further. A server that does
not mark its input (runserver) gets a 411: without a length its input cannot
be read safely.
"""

import io
import json

from django.conf import settings
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


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIX)


def _body_limit(path: str) -> int:
    if _is_api(path):
        return settings.API_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.API_MAX_BODY_BYTES


def _read_at_most(stream, limit: int) -> bytes:
    """Up to `limit` bytes of a terminated stream (fewer at its end)."""
    parts, size = [], 0
    while size < limit:
        part = stream.read(min(64 * 1024, limit - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


class ChunkedBodyMiddleware:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH"):
            return self.application(environ, start_response)
        path = environ.get("PATH_INFO", "")
        if not environ.get("wsgi.input_terminated"):
            return _refuse(start_response, path, "411 Length Required", "Send the body with a Content-Length.")
        limit = _body_limit(path)
        body = _read_at_most(environ["wsgi.input"], limit + 1)
        if len(body) > limit:
            return _refuse(start_response, path, "413 Content Too Large", f"The body is larger than {limit} bytes.")
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        return self.application(environ, start_response)


def _refuse(start_response, path: str, status: str, detail: str):
    if _is_api(path):
        body, content_type = json.dumps({"detail": detail, "errors": []}).encode(), "application/json; charset=utf-8"
    else:
        body, content_type = detail.encode(), "text/plain; charset=utf-8"
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]
