"""Built-in Chalice authorizer verifying Cognito access tokens.

Chalice's Cognito authorizer is not enforced by ``chalice local``; a built-in one is, and
behaves the same in tests, locally and behind API Gateway (which caches its answer).
"""

from __future__ import annotations

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from chalicelib.observability import logger

blueprint = Blueprint(__name__)


# No API Gateway caching: a logout or a disabled login must take effect on the next request.
@blueprint.authorizer(ttl_seconds=0)
def authorizer(auth_request: AuthRequest) -> AuthResponse:
    from chalicelib.services import identity

    principal = identity.principal_from_token(auth_request.token or "")
    if principal is None:
        logger.info("token refused")
        return AuthResponse(routes=[], principal_id="anonymous")
    return AuthResponse(
        routes=["*"], principal_id=principal.username, context=principal.to_context()
    )
