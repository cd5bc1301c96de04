"""Notifications the preference centre sends: the due-date reminder, the high-bill alert,
outage e-mails for watched addresses; one language per message, the shared look, a one-click unsubscribe link."""

from __future__ import annotations

from chalicelib.config import settings
from chalicelib.render.mail import Mail, compose, day, lang_of, pln


def due_reminder(
    lang: str, name: str, invoice_no: str, due_date: str, outstanding: int, unsubscribe_url: str
) -> Mail:
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Invoice {invoice_no} is due on {day(due_date)}",
            [
                f"Hello {name},",
                f"invoice {invoice_no} is due on {day(due_date)}. Amount to pay: "
                f"{pln(outstanding, lang)}.",
                "If you have already paid, please disregard this message.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        f"Termin płatności faktury {invoice_no} mija {day(due_date)}",
        [
            f"Dzień dobry {name},",
            f"termin płatności faktury {invoice_no} mija {day(due_date)}. Kwota do zapłaty: "
            f"{pln(outstanding, lang)}.",
            "Jeśli wpłata została już wykonana, prosimy uznać tę wiadomość za nieaktualną.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def high_bill(
    lang: str,
    name: str,
    invoice_no: str,
    gross: int,
    reason: str,
    threshold: str,
    unsubscribe_url: str,
) -> Mail:
    """``reason`` is "amount" (``threshold`` a sum) or "percent" (``threshold`` a %)."""
    if lang_of(lang) == "en":
        why = (
            f"It is at or above the amount you set ({threshold})."
            if reason == "amount"
            else f"It is {threshold} or more above the same month last year."
        )
        return compose(
            "en",
            f"High bill alert: invoice {invoice_no}",
            [
                f"Hello {name},",
                f"invoice {invoice_no} amounts to {pln(gross, lang)}. {why}",
                "The invoice and your consumption are in e-BOK.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    why = (
        f"Kwota osiągnęła ustawiony przez Ciebie próg ({threshold})."
        if reason == "amount"
        else f"Kwota jest co najmniej o {threshold} wyższa niż w tym samym miesiącu ubiegłego roku."
    )
    return compose(
        "pl",
        f"Alert wysokiego rachunku: faktura {invoice_no}",
        [
            f"Dzień dobry {name},",
            f"faktura {invoice_no} opiewa na {pln(gross, lang)}. {why}",
            "Fakturę i zużycie sprawdzisz w e-BOK.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def outage_watch(
    lang: str,
    name: str,
    address: str,
    subject: str,
    notice: str,
    unsubscribe_url: str | None,
) -> Mail:
    """An outage at an address the customer watches (``subject`` and ``notice``: the
    outage notice in the same language, ``domain.sms``)."""
    if lang_of(lang) == "en":
        return compose(
            "en",
            subject,
            [
                f"Hello {name},",
                notice,
                f"You receive this message because you watch the address {address}. "
                "You can change the watched addresses in e-BOK, under Notifications and "
                "consents.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        subject,
        [
            f"Dzień dobry {name},",
            notice,
            f"Otrzymujesz tę wiadomość, ponieważ obserwujesz adres {address}. Obserwowane "
            "adresy zmienisz w e-BOK, w zakładce Powiadomienia i zgody.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def _balance_line(balance: int, lang: str) -> str:
    en = lang_of(lang) == "en"
    if balance > 0:
        return (
            f"Still to pay: {pln(balance, lang)}."
            if en
            else f"Pozostaje do zapłaty: {pln(balance)}."
        )
    if balance < 0:
        return (
            f"Overpayment on your account: {pln(-balance, lang)}."
            if en
            else f"Nadpłata na koncie: {pln(-balance)}."
        )
    return "Your account is settled." if en else "Konto jest rozliczone."


def payment_booked(
    lang: str,
    name: str,
    customer_no: str,
    amount: int,
    value_date: str,
    invoices: tuple[str, ...],
    balance_after: int,
    unsubscribe_url: str | None,
) -> Mail:
    """Zaksięgowana wpłata: the amount, the invoices it paid, the balance after it."""
    if lang_of(lang) == "en":
        paid = f"It paid: {', '.join(invoices)}." if invoices else ""
        return compose(
            "en",
            f"Payment booked – customer {customer_no}",
            [
                f"Hello {name},",
                f"we have booked {pln(amount, lang)} received on {day(value_date)} to customer "
                f"account {customer_no}. {paid}".strip(),
                _balance_line(balance_after, lang),
                "Your payments and balance are in e-BOK.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    paid = f"Rozliczone faktury: {', '.join(invoices)}." if invoices else ""
    return compose(
        "pl",
        f"Zaksięgowana wpłata – klient {customer_no}",
        [
            f"Dzień dobry {name},",
            f"na koncie klienta {customer_no} zaksięgowaliśmy wpłatę {pln(amount)} z dnia "
            f"{day(value_date)}. {paid}".strip(),
            _balance_line(balance_after, lang),
            "Wpłaty i saldo sprawdzisz w e-BOK.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def payment_sms(lang: str, amount: int, value_date: str) -> str:
    if lang_of(lang) == "en":
        return f"e-BOK: we have booked your payment of {pln(amount, lang)} of {day(value_date)}."
    return f"e-BOK: zaksięgowaliśmy wpłatę {pln(amount)} z dnia {day(value_date)}."


def document_new(lang: str, name: str, title: str, unsubscribe_url: str | None) -> Mail:
    """A document (an annex, a letter) made for the customer is in e-BOK."""
    link = f"{settings().portal_url.rstrip('/')}/#/documents"
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"A new document in e-BOK: {title}",
            [
                f"Hello {name},",
                f"a new document is waiting for you in e-BOK: {title}. Log in to read or "
                f"download it:\n{link}",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        f"Nowy dokument w e-BOK: {title}",
        [
            f"Dzień dobry {name},",
            f"w e-BOK czeka nowy dokument: {title}. Zaloguj się, aby go przeczytać lub "
            f"pobrać:\n{link}",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def invoice_sms(lang: str, invoice_no: str, gross: int, due_date: str) -> str:
    """The "new invoice" SMS (one language, no personal data beyond the invoice)."""
    if lang_of(lang) == "en":
        return (
            f"e-BOK: new invoice {invoice_no}, {pln(gross, lang)}, due {day(due_date)}. "
            "Details in e-BOK."
        )
    return (
        f"e-BOK: nowa faktura {invoice_no} na {pln(gross, lang)}, termin płatności "
        f"{day(due_date)}. Szczegóły w e-BOK."
    )


def mobile_code_sms(lang: str, code: str) -> str:
    """The code confirming a mobile number (never with anything else in it)."""
    if lang_of(lang) == "en":
        return f"e-BOK: your verification code is {code}. Valid for 10 minutes. Do not share it."
    return f"e-BOK: kod weryfikacyjny {code}. Ważny 10 minut. Nie przekazuj go nikomu."
