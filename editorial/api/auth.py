"""Bearer tokens for drafting systems: 401 for a missing, unknown or revoked token, 403 outside the group."""

from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from editorial.access.roles import DRAFTING, is_drafting_system
from editorial.api import errors
from editorial.models import ApiToken
from editorial.models.api import token_digest


class DraftingSystemToken(HttpBearer):
    def __call__(self, request):
        # Every endpoint passes here first, also those whose body no parser reads (a claim).
        errors.refuse_oversized(request)
        return super().__call__(request)

    def authenticate(self, request, token: str) -> ApiToken | None:
        if not token:
            return None
        found = ApiToken.objects.active().select_related("user").filter(digest=token_digest(token)).first()
        if found is None:
            return None
        if not is_drafting_system(found.user):
            raise AuthorizationError(message=f"This token's user is not in the {DRAFTING} group.")
        return found
