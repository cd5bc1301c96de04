"""E-mails of registration and login: access codes, reset codes, registration decisions.

Polish first, English when the customer chose it. Each function returns (subject, text).
The identifier and PIN are the only secrets an e-mail carries; nothing else personal.
"""

from __future__ import annotations

from chalicelib.config import settings

_SIGN_PL = "Zespół e-BOK\n{seller}\nTo jest wiadomość automatyczna — prosimy na nią nie odpowiadać."
_SIGN_EN = "The e-BOK team\n{seller}\nThis is an automatic message — please do not reply."


def _sign(lang: str) -> str:
    return (_SIGN_EN if lang == "en" else _SIGN_PL).format(seller=settings().seller_name)


def access_codes(lang: str, username: str, pin: str, name: str, portal_url: str) -> tuple[str, str]:
    """Identyfikator użytkownika i jednorazowy PIN (the first login asks for a new password)."""
    if lang == "en":
        return (
            "Your e-BOK access codes",
            f"Hello {name},\n\n"
            "your e-BOK account is ready. Log in with these access codes:\n\n"
            f"  User identifier: {username}\n"
            f"  One-time PIN:    {pin}\n\n"
            "At the first login you will be asked to set your own password. The PIN is valid "
            "for 7 days and only once.\n"
            f"Portal: {portal_url}\n\n"
            "If you did not register, please contact our customer service office.\n\n"
            + _sign(lang),
        )
    return (
        "Twoje kody dostępu do e-BOK",
        f"Dzień dobry {name},\n\n"
        "Twoje konto w e-BOK jest gotowe. Zaloguj się tymi kodami dostępu:\n\n"
        f"  Identyfikator użytkownika: {username}\n"
        f"  Jednorazowy PIN:           {pin}\n\n"
        "Przy pierwszym logowaniu poprosimy o ustawienie własnego hasła. PIN jest ważny "
        "7 dni i tylko jeden raz.\n"
        f"Portal: {portal_url}\n\n"
        "Jeśli to nie Ty zakładałeś konto, skontaktuj się z Biurem Obsługi Klienta.\n\n"
        + _sign(lang),
    )


def reset_code(lang: str, username: str, code: str, minutes: int) -> tuple[str, str]:
    if lang == "en":
        return (
            "e-BOK password reset code",
            f"A password reset was requested for user identifier {username}.\n\n"
            f"  Code: {code}\n\n"
            f"The code is valid for {minutes} minutes. If you did not ask for it, ignore this "
            "message: your password has not changed.\n\n" + _sign(lang),
        )
    return (
        "Kod do zmiany hasła w e-BOK",
        f"Poproszono o zmianę hasła dla identyfikatora użytkownika {username}.\n\n"
        f"  Kod: {code}\n\n"
        f"Kod jest ważny {minutes} minut. Jeśli to nie Ty, zignoruj tę wiadomość — hasło "
        "nie zostało zmienione.\n\n" + _sign(lang),
    )


def password_changed(lang: str, username: str) -> tuple[str, str]:
    if lang == "en":
        return (
            "Your e-BOK password was changed",
            f"The password of user identifier {username} was changed and other sessions were "
            "logged out. If this was not you, contact our customer service office at once.\n\n"
            + _sign(lang),
        )
    return (
        "Hasło do e-BOK zostało zmienione",
        f"Hasło identyfikatora użytkownika {username} zostało zmienione, a pozostałe sesje "
        "wylogowane. Jeśli to nie Ty, niezwłocznie skontaktuj się z Biurem Obsługi Klienta.\n\n"
        + _sign(lang),
    )


def registration_received(lang: str, name: str, registration_id: str) -> tuple[str, str]:
    if lang == "en":
        return (
            "We received your e-BOK registration",
            f"Hello,\n\nwe received the e-BOK registration of {name} (reference "
            f"{registration_id}). An administrator will review the documents; you will get "
            "the access codes or our answer by e-mail.\n\n" + _sign(lang),
        )
    return (
        "Otrzymaliśmy zgłoszenie rejestracji w e-BOK",
        f"Dzień dobry,\n\notrzymaliśmy zgłoszenie rejestracji w e-BOK dla: {name} (numer "
        f"zgłoszenia {registration_id}). Administrator sprawdzi dokumenty; kody dostępu lub "
        "odpowiedź wyślemy e-mailem.\n\n" + _sign(lang),
    )


def registration_rejected(
    lang: str, name: str, registration_id: str, reason: str
) -> tuple[str, str]:
    if lang == "en":
        return (
            "Your e-BOK registration was not accepted",
            f"Hello,\n\nwe could not accept the e-BOK registration of {name} (reference "
            f"{registration_id}).\n\nReason: {reason}\n\nYou may register again with "
            "corrected documents.\n\n" + _sign(lang),
        )
    return (
        "Zgłoszenie rejestracji w e-BOK zostało odrzucone",
        f"Dzień dobry,\n\nnie możemy przyjąć zgłoszenia rejestracji w e-BOK dla: {name} "
        f"(numer zgłoszenia {registration_id}).\n\nPowód: {reason}\n\nMożesz zarejestrować "
        "się ponownie z poprawionymi dokumentami.\n\n" + _sign(lang),
    )
