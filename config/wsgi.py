import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.request_guards import ChunkedBodyMiddleware  # noqa: E402  (reads settings lazily)

# Chunked request bodies are read (within the size limit) before Django sees the request.
application = ChunkedBodyMiddleware(get_wsgi_application())
