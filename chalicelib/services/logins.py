"""Issuing a portal login: user identifier + one-time PIN, Cognito user, access-codes e-mail.

Shared by the online registration of individuals and the activation of institutional
registrations. The identifier is reserved with a conditional write (unique), the customer's
portal access in the same transaction (one own login per customer, so a replay creates
nothing); the Cognito user follows, and if that or the e-mail fails, everything written is
taken back so a retry starts clean.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.adapters import cognito, ses
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import credentials as rules
from chalicelib.domain.principal import GROUP_OF_ROLE
from chalicelib.errors import Conflict
from chalicelib.observability import logger
from chalicelib.render import auth_mail
from chalicelib.store import auth as store

_USERNAME_TRIES = 5


@dataclass(frozen=True)
class Issued:
    username: str
    role: str


def issue_login(
    *,
    customer_no: str,
    role: str,
    email: str,
    name: str,
    lang: str,
    via: str,
    customer_nos: list[str] | None = None,
) -> Issued:
    """Create the login of a customer and e-mail its access codes (identifier + PIN)."""
    now = clock.now_iso()
    username = ""
    for _ in range(_USERNAME_TRIES):
        username = rules.new_username()
        try:
            store.reserve_login(
                username,
                role=role,
                customer_no=customer_no,
                customer_nos=customer_nos or [customer_no],
                via=via,
                created_at=now,
            )
            break
        except store.Conflict as exc:
            if str(exc) == "customer":
                raise Conflict("registration.exists") from None
            continue  # identifier taken: draw another
    else:  # pragma: no cover - 10^8 identifiers
        raise RuntimeError("no free user identifier")

    pin = rules.new_pin()
    created = False
    try:
        cognito.create_user(username, email, pin, GROUP_OF_ROLE[role])
        created = True
        subject, text = auth_mail.access_codes(lang, username, pin, name, settings().portal_url)
        ses.send_email([email], subject, text)
    except Exception:
        logger.exception("issuing a login failed; rolling back", extra={"username": username})
        if created:
            try:
                cognito.delete_user(username)
            except cognito.IdpError:
                logger.error("could not delete the identity after a failure")
        store.delete_login_with_access(username, customer_no)
        raise
    logger.info("login issued", extra={"username": username, "role": role, "via": via})
    return Issued(username=username, role=role)
