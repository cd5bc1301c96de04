"""Access codes and login protection: user identifiers, one-time PINs, reset codes, the
password policy, the lockout window and rate-limit windows. Pure rules, no I/O.

The seed systems give each customer two access codes after their data is verified: a user
identifier (identyfikator użytkownika, digits only) and a one-time PIN. Cognito stores the PIN
as the temporary password, so the PIN must satisfy the pool's password policy
(infra/template.yaml: 10+ characters, upper and lower case letters and digits).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

USERNAME_DIGITS = 8
PIN_LENGTH = 12
RESET_CODE_DIGITS = 6
RESET_CODE_TTL_S = 30 * 60
RESET_CODE_MAX_TRIES = 5

# Lockout: 5 failed logins within 15 minutes lock the login for 15 minutes.
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW_S = 15 * 60
LOCKOUT_S = 15 * 60

# Rate limits: (attempts, window seconds).
RATE_LIMITS: dict[str, tuple[int, int]] = {
    "register.customer": (5, 3600),  # individual registration, per customer number
    "register.source": (20, 3600),  # individual registration, per source address
    "institution.source": (10, 3600),  # institutional registrations, per source address
    "forgot.login": (3, 3600),  # password reset codes, per user identifier
    "forgot.source": (20, 3600),  # password reset codes, per source address
    "reset.source": (20, 3600),  # reset-code confirmations, per source address
    "login.source": (30, 300),  # logins (and their challenges), per source address
    "login.id": (10, 300),  # logins, per user identifier (before the lockout counts)
}

# Cognito pool password policy (infra/template.yaml UserPool.Policies.PasswordPolicy).
PASSWORD_MIN_LENGTH = 10

# Letters and digits that cannot be confused when read from an e-mail (no 0/O, 1/l/I).
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_DIGITS = "23456789"


def new_username(digits: int = USERNAME_DIGITS) -> str:
    """A random user identifier of ``digits`` digits, never starting with 0."""
    first = secrets.choice("123456789")
    return first + "".join(secrets.choice("0123456789") for _ in range(digits - 1))


def new_pin(length: int = PIN_LENGTH) -> str:
    """A one-time PIN that meets the pool's policy: at least one upper, lower and digit."""
    alphabet = _UPPER + _LOWER + _DIGITS
    chars = [secrets.choice(_UPPER), secrets.choice(_LOWER), secrets.choice(_DIGITS)]
    chars += [secrets.choice(alphabet) for _ in range(length - 3)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def new_reset_code(digits: int = RESET_CODE_DIGITS) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def hash_code(code: str, salt: str) -> str:
    """Codes are stored only as salted hashes (a table dump reveals no usable code)."""
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def code_matches(code: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_code(code, salt), expected_hash)


def password_problems(password: str) -> list[str]:
    """What the pool's password policy would refuse, as message keys (empty when fine)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append("auth.password_short")
    if not re.search(r"[a-z]", password) or not re.search(r"[A-Z]", password):
        problems.append("auth.password_case")
    if not re.search(r"\d", password):
        problems.append("auth.password_digit")
    return problems


def opaque_key(*parts: str) -> str:
    """A key for a counter that must not store the raw value (a source address, a number)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class LockState:
    failures: tuple[int, ...]  # epoch seconds of recent failures (inside the window)
    locked_until: int  # epoch second; 0 when not locked

    def locked(self, now: int) -> bool:
        return self.locked_until > now

    def retry_after(self, now: int) -> int:
        return max(1, self.locked_until - now)


def after_failure(state: LockState, now: int) -> LockState:
    """Record one failed login; the fifth inside the window locks the login."""
    recent = tuple(t for t in state.failures if t > now - LOCKOUT_WINDOW_S) + (now,)
    if len(recent) >= LOCKOUT_FAILURES:
        return LockState(failures=(), locked_until=now + LOCKOUT_S)
    return LockState(
        failures=recent, locked_until=state.locked_until if state.locked_until > now else 0
    )


def window_start(now: int, window_s: int) -> int:
    """Fixed rate-limit windows aligned to multiples of their length."""
    return now - now % window_s


def normalise_reference(value: str) -> str:
    """Contract and invoice numbers compared without case, spaces or dashes' spacing."""
    return re.sub(r"\s+", "", value or "").upper()
