"""Messages of logging in, passwords, one-time codes and the login guard."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.bad_credentials": (
        "Nieprawidłowy identyfikator użytkownika lub hasło.",
        "Wrong user identifier or password.",
    ),
    "auth.session_expired": (
        "Sesja logowania wygasła. Zaloguj się ponownie.",
        "The login session has expired. Please log in again.",
    ),
    "auth.mfa_invalid": ("Nieprawidłowy kod jednorazowy.", "Wrong one-time code."),
    "auth.refresh_invalid": (
        "Sesja wygasła. Zaloguj się ponownie.",
        "Your session has expired. Please log in again.",
    ),
    "auth.password_short": (
        "Hasło musi mieć co najmniej 10 znaków.",
        "The password must have at least 10 characters.",
    ),
    "auth.password_case": (
        "Hasło musi zawierać małe i wielkie litery.",
        "The password must contain lower and upper case letters.",
    ),
    "auth.password_digit": (
        "Hasło musi zawierać cyfrę.",
        "The password must contain a digit.",
    ),
    "auth.password_rejected": (
        "Hasło nie spełnia wymagań bezpieczeństwa.",
        "The password does not meet the security requirements.",
    ),
    "auth.password_same": (
        "Nowe hasło musi być inne niż obecne.",
        "The new password must differ from the current one.",
    ),
    "auth.wrong_password": (
        "Obecne hasło jest nieprawidłowe.",
        "The current password is wrong.",
    ),
    "auth.code_invalid": (
        "Kod jest nieprawidłowy lub wygasł. Poproś o nowy kod.",
        "The code is wrong or has expired. Ask for a new code.",
    ),
    "auth.mfa_not_enabled": (
        "Weryfikacja dwuetapowa nie jest włączona.",
        "Two-step verification is not enabled.",
    ),
    "auth.locked": (
        "Po 5 nieudanych próbach logowanie zostało zablokowane na 15 minut. "
        "Spróbuj ponownie za {minutes} min.",
        "After 5 failed attempts the login is locked for 15 minutes. Try again in {minutes} min.",
    ),
    "auth.rate_limited": (
        "Zbyt wiele prób. Spróbuj ponownie za {minutes} min.",
        "Too many attempts. Try again in {minutes} min.",
    ),
}
