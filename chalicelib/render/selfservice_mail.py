"""E-mails of the self-service area: contract expiry reminders, application status changes,
"a new message is waiting". Polish first, English second; (subject, text) pairs.

Never the content of a secure message, nor personal data beyond the customer's name and
number: the e-mail says what happened and where to look.
"""

from __future__ import annotations

from urllib.parse import quote

from chalicelib.config import settings
from chalicelib.render.mail import Mail, compose, day, lang_of

STATUS_NAMES = {
    "submitted": ("złożony", "submitted"),
    "in_review": ("w rozpatrzeniu", "in review"),
    "needs_info": ("wymaga uzupełnienia", "needs more information"),
    "approved": ("zaakceptowany", "approved"),
    "rejected": ("odrzucony", "rejected"),
    "done": ("zrealizowany", "done"),
}


def _sign() -> str:
    s = settings()
    return (
        f"Zespół e-BOK / The e-BOK team\n{s.seller_name}, {s.seller_address}\n"
        "To jest wiadomość automatyczna. / This is an automatic message."
    )


def _date_pl(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def contract_expiry(
    name: str, customer_no: str, contract_no: str, end_date: str, days_left: int
) -> tuple[str, str]:
    portal = settings().portal_url.rstrip("/")
    link = f"{portal}/#/contract?contract={quote(contract_no, safe='')}"
    subject = (
        f"Umowa {contract_no} wygasa {_date_pl(end_date)} / "
        f"Contract {contract_no} ends on {end_date}"
    )
    text = (
        f"Dzień dobry, {name},\n\n"
        f"umowa nr {contract_no} (klient {customer_no}) wygasa {_date_pl(end_date)}, "
        f"za {days_left} dni. Aby ją przedłużyć, wybierz „Przedłuż umowę” w e-BOK:\n{link}\n"
        "Wniosek trafi do Twojego opiekuna klienta.\n\n"
        f"Hello {name},\n\n"
        f"contract no. {contract_no} (customer {customer_no}) ends on {end_date}, in "
        f"{days_left} days. To renew it, choose “Renew the contract” in the e-BOK:\n{link}\n"
        "The application goes to your account manager.\n\n" + _sign()
    )
    return subject, text


def application_status(
    name: str, application_id: str, kind: tuple[str, str], status: str, note: str
) -> tuple[str, str]:
    pl, en = STATUS_NAMES.get(status, (status, status))
    portal = settings().portal_url.rstrip("/")
    link = f"{portal}/#/applications/{application_id}"
    subject = f"Wniosek „{kind[0]}”: {pl} / Application “{kind[1]}”: {en}"
    extra_pl = (
        "\nOpiekun prosi o uzupełnienie wniosku — odpowiedz w e-BOK."
        if status == "needs_info"
        else ""
    )
    extra_en = (
        "\nYour account manager asks for more information — answer in the e-BOK."
        if status == "needs_info"
        else ""
    )
    note_part = (
        f"\n\nUwagi / Notes: {note}" if note and status in ("rejected", "needs_info") else ""
    )
    text = (
        f"Dzień dobry, {name},\n\nstan wniosku „{kind[0]}” (nr {application_id}): {pl}.{extra_pl}\n"
        f"Szczegóły: {link}\n\n"
        f"Hello {name},\n\nthe status of your application “{kind[1]}” (no. {application_id}): "
        f"{en}.{extra_en}\nDetails: {link}{note_part}\n\n" + _sign()
    )
    return subject, text


def message_waiting(
    name: str, thread_id: str, for_manager: bool, customer_no: str
) -> tuple[str, str]:
    """Only that a message is waiting: its content stays in the e-BOK."""
    portal = settings().portal_url.rstrip("/")
    link = (
        f"{portal}/#/workspace/customers/{customer_no}"
        if for_manager
        else f"{portal}/#/messages/{thread_id}"
    )
    subject = "Nowa wiadomość w e-BOK / A new message in the e-BOK"
    text = (
        f"Dzień dobry, {name},\n\nw e-BOK czeka na Ciebie nowa wiadomość"
        f"{' od klienta ' + customer_no if for_manager else ' od opiekuna klienta'}. "
        f"Zaloguj się, aby ją przeczytać:\n{link}\n\n"
        f"Hello {name},\n\na new message is waiting for you in the e-BOK"
        f"{' from customer ' + customer_no if for_manager else ' from your account manager'}. "
        f"Log in to read it:\n{link}\n\n" + _sign()
    )
    return subject, text


# --- to the customer: one language (the customer's), the shared look, one-click unsubscribe --


def contract_expiry_mail(
    lang: str,
    name: str,
    customer_no: str,
    contract_no: str,
    end_date: str,
    days_left: int,
    unsubscribe_url: str | None,
) -> Mail:
    portal = settings().portal_url.rstrip("/")
    link = f"{portal}/#/contract?contract={quote(contract_no, safe='')}"
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Contract {contract_no} ends on {day(end_date)}",
            [
                f"Hello {name},",
                f"contract no. {contract_no} (customer {customer_no}) ends on {day(end_date)}, "
                f"in {days_left} days. To renew it, choose “Renew the contract” in e-BOK:\n{link}",
                "The application goes to your account manager.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        f"Umowa {contract_no} wygasa {day(end_date)}",
        [
            f"Dzień dobry {name},",
            f"umowa nr {contract_no} (nr klienta {customer_no}) wygasa {day(end_date)}, "
            f"za {days_left} dni. Aby ją przedłużyć, wybierz „Przedłuż umowę” w e-BOK:\n{link}",
            "Wniosek trafi do opiekuna klienta.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def message_waiting_mail(lang: str, name: str, thread_id: str, unsubscribe_url: str | None) -> Mail:
    """To the customer: only that a message from the account manager is waiting."""
    link = f"{settings().portal_url.rstrip('/')}/#/messages/{thread_id}"
    if lang_of(lang) == "en":
        return compose(
            "en",
            "A new message in e-BOK",
            [
                f"Hello {name},",
                f"a new message from your account manager is waiting in e-BOK. Log in to read "
                f"it:\n{link}",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        "Nowa wiadomość w e-BOK",
        [
            f"Dzień dobry {name},",
            f"w e-BOK czeka nowa wiadomość od opiekuna klienta. Zaloguj się, aby ją "
            f"przeczytać:\n{link}",
        ],
        unsubscribe_url=unsubscribe_url,
    )
