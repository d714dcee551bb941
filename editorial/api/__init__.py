"""The drafting API (`/api/v1/`), built on django-ninja: OpenAPI 3.1 from the code itself.

Entry point: `auth` (bearer tokens), `endpoints` (thin wrappers over the
capabilities' services), `schemas` (what goes out), `selectors` (what the
endpoints read), `errors` (one JSON shape for every refusal). May import every
capability; nothing imports it but `config.urls`.
"""

from ninja import NinjaAPI

from editorial.api import errors
from editorial.api.auth import DraftingSystemToken
from editorial.api.endpoints import router

api = NinjaAPI(
    title="Vetted drafting API",
    version="1",
    description=(
        "Drafting systems submit drafts and learn the Medical Advisory Board's decisions. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued in the admin)."
    ),
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    auth=DraftingSystemToken(),
    parser=errors.JsonOnlyParser(),
)
errors.install(api)
api.add_router("", router)
