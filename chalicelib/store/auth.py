"""Login protection and portal access: lockout guards, rate counters, reset codes, the
customer's portal login marker, and the writes that create a login atomically.

Counters live in DynamoDB with TTL (``expires_at``) and change only by conditional or
``ADD`` updates, so concurrent requests cannot lose an attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import Login, customer_pk, login_pk, new_login

PORTAL_SK = "PORTAL_LOGIN"


class PortalAccess(Item, discriminator="PortalAccess"):
    """The customer's own portal login (one per customer). PK=CUST#<no>, SK=PORTAL_LOGIN.
    Written with the Login in one transaction, so a replayed registration finds it."""

    customer_no = UnicodeAttribute()
    username = UnicodeAttribute()
    via = UnicodeAttribute()  # online | documents | admin
    created_at = UnicodeAttribute()


class LoginGuard(Item, discriminator="LoginGuard"):
    """Failed logins of one user identifier. PK=LOGIN#<username>, SK=GUARD.
    ``version`` makes every change conditional (optimistic locking)."""

    failures = ListAttribute(of=NumberAttribute, default=list)
    locked_until = NumberAttribute(default=0)
    version = VersionAttribute()


class ResetCode(Item, discriminator="ResetCode"):
    """A forgotten-password code, stored hashed. PK=LOGIN#<username>, SK=RESET; TTL."""

    code_hash = UnicodeAttribute()
    salt = UnicodeAttribute()
    tries = NumberAttribute(default=0)
    created_at = UnicodeAttribute()


class RateCounter(Item, discriminator="RateCounter"):
    """Attempts in one fixed window. PK=RATE#<scope>#<opaque key>, SK=W#<window start>; TTL."""

    attempts = NumberAttribute(default=0)


def epoch_to_datetime(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def set_expiry(item: Item, epoch: int) -> None:
    item.expires_at = epoch_to_datetime(epoch)


class Conflict(Exception):
    """A conditional write lost (someone else wrote first)."""


# --- login guard -----------------------------------------------------------------------


def get_guard(username: str) -> LoginGuard | None:
    try:
        return LoginGuard.get(login_pk(username), "GUARD", consistent_read=True)
    except LoginGuard.DoesNotExist:
        return None


def save_guard(guard: LoginGuard) -> None:
    """Conditional on the version read; raises Conflict when another request wrote first."""
    try:
        guard.save()
    except PutError as exc:
        if _conditional(exc):
            raise Conflict() from None
        raise


def new_guard(username: str) -> LoginGuard:
    return LoginGuard(login_pk(username), "GUARD", failures=[], locked_until=0)


def clear_guard(username: str) -> None:
    """Forget the failures (unconditionally: a success outranks any concurrent failure)."""
    LoginGuard._get_connection().delete_item(login_pk(username), range_key="GUARD")


# --- rate counters ---------------------------------------------------------------------


def count_attempt(scope: str, key: str, window_start: int, limit: int, expires_at: int) -> bool:
    """Add one attempt to the window; False (and nothing added) when the limit is reached."""
    counter = RateCounter(f"RATE#{scope}#{key}", f"W#{window_start}")
    try:
        counter.update(
            actions=[
                RateCounter.attempts.add(1),
                RateCounter.expires_at.set(epoch_to_datetime(expires_at)),
                RateCounter.type.set(RateCounter),  # an update creates the item: keep its type
            ],
            condition=RateCounter.attempts.does_not_exist() | (RateCounter.attempts < limit),
        )
    except UpdateError as exc:
        if _conditional(exc):
            return False
        raise
    return True


# --- reset codes -----------------------------------------------------------------------


def put_reset_code(
    username: str, code_hash: str, salt: str, created_at: str, expires_at: int
) -> None:
    ResetCode(
        login_pk(username),
        "RESET",
        code_hash=code_hash,
        salt=salt,
        tries=0,
        created_at=created_at,
        expires_at=epoch_to_datetime(expires_at),
    ).save()


def get_reset_code(username: str) -> ResetCode | None:
    try:
        return ResetCode.get(login_pk(username), "RESET", consistent_read=True)
    except ResetCode.DoesNotExist:
        return None


def count_reset_try(code: ResetCode, max_tries: int) -> bool:
    """One more guess at the code; False when the tries are used up (or the code is gone)."""
    try:
        code.update(
            actions=[ResetCode.tries.add(1)],
            condition=ResetCode.PK.exists() & (ResetCode.tries < max_tries),
        )
    except UpdateError as exc:
        if _conditional(exc):
            return False
        raise
    return True


def use_reset_code(code: ResetCode) -> bool:
    """Delete the code once (a replayed confirmation finds nothing)."""
    try:
        code.delete(condition=ResetCode.PK.exists())
    except DeleteError as exc:
        if _conditional(exc):
            return False
        raise
    return True


# --- portal access and logins ----------------------------------------------------------


def get_portal_access(customer_no: str) -> PortalAccess | None:
    try:
        return PortalAccess.get(customer_pk(customer_no), PORTAL_SK, consistent_read=True)
    except PortalAccess.DoesNotExist:
        return None


def create_login_with_access(login: Login, access: PortalAccess | None) -> None:
    """Reserve the user identifier and the customer's portal access together.

    Raises Conflict("username") if the identifier is taken, Conflict("customer") if the
    customer already has a portal login."""
    try:
        with transaction() as tx:
            tx.save(login, condition=Item.PK.does_not_exist())
            if access is not None:
                tx.save(access, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or [])]
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise Conflict("customer") from None
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise Conflict("username") from None
        raise


def reserve_login(
    username: str,
    *,
    role: str,
    customer_no: str,
    customer_nos: list[str],
    via: str,
    created_at: str,
) -> None:
    """Write the login and the customer's portal access together (see
    ``create_login_with_access`` for the Conflicts it raises)."""
    login = new_login(username, role, customer_nos, created_at)
    access = PortalAccess(
        customer_pk(customer_no),
        PORTAL_SK,
        customer_no=customer_no,
        username=username,
        via=via,
        created_at=created_at,
    )
    create_login_with_access(login, access)


def delete_login_with_access(username: str, customer_no: str | None) -> None:
    """Compensation when the identity provider refused to create the user."""
    Login(login_pk(username), "LOGIN").delete()
    if customer_no:
        PortalAccess(customer_pk(customer_no), PORTAL_SK).delete()


MAX_REVOKED_SESSIONS = 20


def end_sessions(username: str, valid_after: int, session: str | None = None) -> None:
    """Refuse tokens issued before ``valid_after`` and, if given, every token of ``session``
    (the newest sessions are kept; older ones are already before ``valid_after``)."""
    login = Login.get(login_pk(username), "LOGIN", consistent_read=True)
    actions: list[Action] = [Login.tokens_valid_after.set(valid_after)]
    if session:
        kept: list[Any] = [str(s) for s in (login.revoked_sessions or []) if str(s) != session]
        actions.append(Login.revoked_sessions.set((kept + [session])[-MAX_REVOKED_SESSIONS:]))
    login.update(actions=actions, condition=Login.PK.exists())


def set_login_enabled(username: str, enabled: bool, valid_after: int | None = None) -> Login:
    login = Login.get(login_pk(username), "LOGIN", consistent_read=True)
    actions: list[Action] = [Login.enabled.set(enabled)]
    if valid_after is not None:
        actions.append(Login.tokens_valid_after.set(valid_after))
    login.update(actions=actions, condition=Login.PK.exists())
    return login


def _conditional(exc: Exception) -> bool:
    cause = getattr(exc, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"
