"""E-mails about the account balance: arrears reminders, demands for payment and
overpayment notices, in the customer's language and the shared look (``render.mail``).

Each function returns a ``Mail``. The texts state only what happened: a demand names the
day the reminder was sent. Nothing personal beyond the customer's name and number.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chalicelib.config import settings
from chalicelib.domain.ledger import OpenInvoice
from chalicelib.render.mail import TABLE, Mail, compose, day, lang_of, pln


def _rows(invoices: Sequence[OpenInvoice], lang: str) -> list[tuple[str, str, str]]:
    return [(i.invoice_no, day(i.due_date), pln(i.outstanding, lang)) for i in invoices]


def arrears_reminder(
    lang: str,
    name: str,
    customer_no: str,
    invoices: Sequence[OpenInvoice],
    account_formatted: str,
) -> Mail:
    """Przypomnienie o płatności: the due date of these invoices has passed."""
    total = pln(sum(i.outstanding for i in invoices), lang)
    portal = settings().portal_url
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Payment reminder – customer {customer_no}",
            [
                f"Hello {name},",
                "the due date of the following invoices has passed and we have not yet "
                "recorded their payment:",
                TABLE,
                f"Total due: {total}\nYour individual bank account number: {account_formatted}\n"
                f"You can also pay online in e-BOK: {portal}",
                "If you have already paid, please disregard this message.",
            ],
            rows=_rows(invoices, lang),
            header=("Invoice", "Due date", "Amount due"),
            mandatory=True,
        )
    return compose(
        "pl",
        f"Przypomnienie o płatności – klient {customer_no}",
        [
            f"Dzień dobry {name},",
            "minął termin płatności poniższych faktur, a nie odnotowaliśmy jeszcze ich zapłaty:",
            TABLE,
            f"Razem do zapłaty: {total}\nIndywidualny numer rachunku do wpłat: "
            f"{account_formatted}\nMożesz też zapłacić online w e-BOK: {portal}",
            "Jeśli wpłata została już wykonana, prosimy uznać tę wiadomość za nieaktualną.",
        ],
        rows=_rows(invoices, lang),
        header=("Faktura", "Termin płatności", "Do zapłaty"),
        mandatory=True,
    )


def payment_demand(
    lang: str,
    name: str,
    customer_no: str,
    invoices: Sequence[OpenInvoice],
    account_formatted: str,
    reminded_on: date,
    term_days: int,
) -> Mail:
    """Wezwanie do zapłaty: only after a reminder was sent (``reminded_on``) and its term
    passed; the text says exactly that."""
    total = pln(sum(i.outstanding for i in invoices), lang)
    when = day(reminded_on.isoformat())
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Demand for payment – customer {customer_no}",
            [
                f"Hello {name},",
                f"on {when} we sent a reminder about the following invoices. We have not "
                "recorded their payment since. Please pay the amount below within "
                f"{term_days} days:",
                TABLE,
                f"Total due: {total}\nYour individual bank account number: {account_formatted}",
                "If you have already paid, please disregard this message.",
            ],
            rows=_rows(invoices, lang),
            header=("Invoice", "Due date", "Amount due"),
            mandatory=True,
        )
    return compose(
        "pl",
        f"Wezwanie do zapłaty – klient {customer_no}",
        [
            f"Dzień dobry {name},",
            f"{when} wysłaliśmy przypomnienie o płatności poniższych faktur. Od tego czasu nie "
            f"odnotowaliśmy wpłaty. Wzywamy do zapłaty poniższej kwoty w ciągu {term_days} dni:",
            TABLE,
            f"Razem do zapłaty: {total}\nIndywidualny numer rachunku do wpłat: {account_formatted}",
            "Jeśli wpłata została już wykonana, prosimy uznać tę wiadomość za nieaktualną.",
        ],
        rows=_rows(invoices, lang),
        header=("Faktura", "Termin płatności", "Do zapłaty"),
        mandatory=True,
    )


def overpayment_notice(
    lang: str, name: str, customer_no: str, overpayment: int, unsubscribe_url: str | None = None
) -> Mail:
    """Nadpłata: credit on the account, set against the next invoices unless refunded."""
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Overpayment on your account – customer {customer_no}",
            [
                f"Hello {name},",
                f"your customer account {customer_no} holds an overpayment of {pln(overpayment, lang)}.",
                "We will set it against your next invoices. If you prefer a refund to your bank "
                "account, please contact your account manager.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        f"Nadpłata na koncie – klient {customer_no}",
        [
            f"Dzień dobry {name},",
            f"na Twoim koncie klienta {customer_no} jest nadpłata w wysokości {pln(overpayment)}.",
            "Zaliczymy ją na poczet najbliższych faktur. Jeśli wolisz zwrot na rachunek bankowy, "
            "skontaktuj się ze swoim opiekunem klienta.",
        ],
        unsubscribe_url=unsubscribe_url,
    )
