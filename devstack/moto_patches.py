"""Where moto 5.2 behaves unlike AWS in ways the product's guarantees rest on, the embedded
AWS is brought back to AWS's behaviour (see DESIGN.md, "Known pitfalls").

- ``enforce_cognito_app_clients``: AWS refuses an auth flow the app client does not list in
  ``ExplicitAuthFlows`` and, for a client with a secret, any call without the right
  ``SECRET_HASH``; moto's ``USER_PASSWORD_AUTH`` checks neither, so a direct call would get
  tokens for a user the application has locked.
- ``serialise_dynamodb``: DynamoDB applies each request atomically; moto's
  ``TransactWriteItems`` deep-copies the whole table and restores that copy when a
  transaction fails, so under concurrent requests other threads' commits are silently
  lost. One lock around every moto DynamoDB request restores the real guarantee.

Both are idempotent and process-wide: the local stack (moto's threaded server runs in the
``make run`` process) and the in-process test backend call them once.
"""

from __future__ import annotations

import threading
from typing import Any

_DONE: set[str] = set()
_LOCK = threading.RLock()

# Flow name -> the ExplicitAuthFlows entry AWS requires for it.
_FLOW_SETTING = {
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
}


def _check_client(pool: Any, client: Any, flow: str, params: dict[str, str]) -> None:
    from moto.cognitoidp.exceptions import InvalidParameterException, NotAuthorizedError
    from moto.cognitoidp.utils import check_secret_hash

    allowed = client.extended_config.get("ExplicitAuthFlows") or []
    if allowed and _FLOW_SETTING.get(flow) not in allowed:
        raise InvalidParameterException(f"{flow} flow not enabled for this client")
    username = params.get("USERNAME", "")
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        # moto answers an unknown refresh token with a KeyError (a 500); AWS refuses it.
        known = pool.refresh_tokens.get(params.get("REFRESH_TOKEN", ""))
        if not known:
            raise NotAuthorizedError("Invalid Refresh Token")
        username = known[1]
    secret_hash = params.get("SECRET_HASH")
    if client.generate_secret and not check_secret_hash(
        client.secret, client.id, username, secret_hash
    ):
        raise NotAuthorizedError(f"Client {client.id} is configured with secret")


def enforce_cognito_app_clients() -> None:
    if "cognito" in _DONE:
        return
    from moto.cognitoidp.models import CognitoIdpBackend

    original_user = CognitoIdpBackend.initiate_auth
    original_admin = CognitoIdpBackend.admin_initiate_auth

    def initiate_auth(
        self: Any, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
    ) -> Any:
        for pool in self.user_pools.values():
            if client_id in pool.clients:
                _check_client(pool, pool.clients[client_id], auth_flow, auth_parameters or {})
        return original_user(self, client_id, auth_flow, auth_parameters)

    def admin_initiate_auth(
        self: Any,
        user_pool_id: str,
        client_id: str,
        auth_flow: str,
        auth_parameters: dict[str, str],
    ) -> Any:
        pool = self.user_pools.get(user_pool_id)
        if pool is not None and client_id in pool.clients:
            _check_client(pool, pool.clients[client_id], auth_flow, auth_parameters or {})
        return original_admin(self, user_pool_id, client_id, auth_flow, auth_parameters)

    CognitoIdpBackend.initiate_auth = initiate_auth  # type: ignore[method-assign]
    CognitoIdpBackend.admin_initiate_auth = admin_initiate_auth  # type: ignore[method-assign]
    _DONE.add("cognito")


def serialise_dynamodb() -> None:
    if "dynamodb" in _DONE:
        return
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def locked(self: Any) -> Any:
        with _LOCK:
            return original(self)

    DynamoHandler.call_action = locked  # type: ignore[method-assign]
    _DONE.add("dynamodb")


def apply_all() -> None:
    enforce_cognito_app_clients()
    serialise_dynamodb()
