"""E-mails of registration and login: access codes, reset codes, registration decisions.

One language per message (the one the person chose), the shared look of ``render.mail``.
Each function returns (subject, text) for the existing callers; ``*_mail`` gives the whole
``Mail`` (HTML part too). The identifier and PIN are the only secrets an e-mail carries.
These are service messages (mandatory): no unsubscribe link.
"""

from __future__ import annotations

from chalicelib.render.mail import Mail, compose, lang_of


def _pair(mail: Mail) -> tuple[str, str]:
    return mail.subject, mail.text


def access_codes_mail(lang: str, username: str, pin: str, name: str, portal_url: str) -> Mail:
    """Identyfikator użytkownika i jednorazowy PIN (the first login asks for a new password)."""
    if lang_of(lang) == "en":
        return compose(
            "en",
            "Your e-BOK access codes",
            [
                f"Hello {name},",
                "your e-BOK account is ready. Log in with these access codes:\n"
                f"  User identifier: {username}\n  One-time PIN: {pin}",
                "At the first login you will be asked to set your own password. The PIN is "
                f"valid for 7 days and only once.\nPortal: {portal_url}",
                "If you did not register, please contact our customer service office.",
            ],
        )
    return compose(
        "pl",
        "Twoje kody dostępu do e-BOK",
        [
            f"Dzień dobry {name},",
            "Twoje konto w e-BOK jest gotowe. Zaloguj się tymi kodami dostępu:\n"
            f"  Identyfikator użytkownika: {username}\n  Jednorazowy PIN: {pin}",
            "Przy pierwszym logowaniu poprosimy o ustawienie własnego hasła. PIN jest ważny "
            f"przez 7 dni i tylko jeden raz.\nPortal: {portal_url}",
            "Jeśli konto zostało założone bez Twojej wiedzy, skontaktuj się z Biurem Obsługi "
            "Klienta.",
        ],
    )


def access_codes(lang: str, username: str, pin: str, name: str, portal_url: str) -> tuple[str, str]:
    return _pair(access_codes_mail(lang, username, pin, name, portal_url))


def reset_code_mail(lang: str, username: str, code: str, minutes: int) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            "e-BOK password reset code",
            [
                f"A password reset was requested for user identifier {username}.",
                f"  Code: {code}",
                f"The code is valid for {minutes} minutes. If you did not ask for it, ignore "
                "this message: your password has not changed.",
            ],
        )
    return compose(
        "pl",
        "Kod do zmiany hasła w e-BOK",
        [
            f"Otrzymaliśmy prośbę o zmianę hasła dla identyfikatora użytkownika {username}.",
            f"  Kod: {code}",
            f"Kod jest ważny przez {minutes} min. Jeśli prośba nie pochodzi od Ciebie, zignoruj "
            "tę wiadomość — hasło nie zostało zmienione.",
        ],
    )


def reset_code(lang: str, username: str, code: str, minutes: int) -> tuple[str, str]:
    return _pair(reset_code_mail(lang, username, code, minutes))


def password_changed_mail(lang: str, username: str) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            "Your e-BOK password was changed",
            [
                f"The password of user identifier {username} was changed and other sessions "
                "were logged out. If you did not change it, contact our customer service "
                "office at once."
            ],
        )
    return compose(
        "pl",
        "Hasło do e-BOK zostało zmienione",
        [
            f"Hasło identyfikatora użytkownika {username} zostało zmienione, a pozostałe sesje "
            "zostały wylogowane. Jeśli zmiana nie pochodzi od Ciebie, niezwłocznie skontaktuj "
            "się z Biurem Obsługi Klienta."
        ],
    )


def password_changed(lang: str, username: str) -> tuple[str, str]:
    return _pair(password_changed_mail(lang, username))


def registration_received_mail(lang: str, name: str, registration_id: str) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            "We received your e-BOK registration",
            [
                "Hello,",
                f"we received the e-BOK registration of {name} (reference {registration_id}). "
                "An administrator will review the documents; you will get the access codes or "
                "our answer by e-mail.",
            ],
        )
    return compose(
        "pl",
        "Otrzymaliśmy zgłoszenie rejestracji w e-BOK",
        [
            "Dzień dobry,",
            f"otrzymaliśmy zgłoszenie rejestracji w e-BOK dla: {name} (numer zgłoszenia "
            f"{registration_id}). Administrator sprawdzi dokumenty, a kody dostępu lub "
            "odpowiedź wyślemy e-mailem.",
        ],
    )


def registration_received(lang: str, name: str, registration_id: str) -> tuple[str, str]:
    return _pair(registration_received_mail(lang, name, registration_id))


def registration_rejected_mail(lang: str, name: str, registration_id: str, reason: str) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            "Your e-BOK registration was not accepted",
            [
                "Hello,",
                f"we could not accept the e-BOK registration of {name} (reference "
                f"{registration_id}).",
                f"Reason: {reason}",
                "You may register again with corrected documents.",
            ],
        )
    return compose(
        "pl",
        "Zgłoszenie rejestracji w e-BOK zostało odrzucone",
        [
            "Dzień dobry,",
            f"nie możemy przyjąć zgłoszenia rejestracji w e-BOK dla: {name} (numer zgłoszenia "
            f"{registration_id}).",
            f"Powód: {reason}",
            "Zgłoszenie można złożyć ponownie z poprawionymi dokumentami.",
        ],
    )


def registration_rejected(
    lang: str, name: str, registration_id: str, reason: str
) -> tuple[str, str]:
    return _pair(registration_rejected_mail(lang, name, registration_id, reason))
