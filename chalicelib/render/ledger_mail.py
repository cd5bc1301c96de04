"""E-mails about the account balance: arrears reminders and overpayment notices.

One message carries Polish first and English second (the customer record holds no language).
Each function returns (subject, text, html). Nothing personal beyond the customer's name
and number; amounts are formatted the Polish way.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from chalicelib.config import settings
from chalicelib.domain.ledger import REMINDER_STAGES, OpenInvoice
from chalicelib.domain.money import format_pln


def _pln(grosze: int) -> str:
    return format_pln(grosze).replace("\u00a0", " ")


def _date_pl(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def _sign() -> str:
    s = settings()
    return (
        f"Zespół e-BOK / The e-BOK team\n{s.seller_name}, {s.seller_address}\n"
        "To jest wiadomość automatyczna. / This is an automatic message."
    )


def _html(
    paragraphs: Sequence[str], rows: Sequence[Sequence[str]] = (), header: Sequence[str] = ()
) -> str:
    e = html.escape
    table = ""
    if rows:
        head = "".join(f"<th align='left'>{e(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        table = f"<table cellpadding='4' border='1' style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"
    parts = []
    for p in paragraphs:
        if p == "{table}":
            parts.append(table)
        else:
            parts.append("<p>" + e(p).replace("\n", "<br>") + "</p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def arrears_reminder(
    name: str,
    customer_no: str,
    stage: int,
    invoices: Sequence[OpenInvoice],
    account_formatted: str,
) -> tuple[str, str, str]:
    """Przypomnienie (first stage) or wezwanie do zapłaty (later stage) for overdue invoices."""
    total = sum(i.outstanding for i in invoices)
    first = stage <= min(REMINDER_STAGES)
    subject = (
        f"Przypomnienie o płatności / Payment reminder – {customer_no}"
        if first
        else f"Wezwanie do zapłaty / Demand for payment – {customer_no}"
    )
    lines = [
        f"  {i.invoice_no}  termin/due {_date_pl(i.due_date)}  do zapłaty/due {_pln(i.outstanding)}"
        for i in invoices
    ]
    portal = settings().portal_url
    pl_intro = (
        "uprzejmie przypominamy, że minął termin płatności poniższych faktur:"
        if first
        else "mimo wcześniejszego przypomnienia nie odnotowaliśmy wpłaty. Wzywamy do zapłaty "
        f"zaległości w ciągu 7 dni (ponad {stage} dni po terminie):"
    )
    pl_rest = (
        f"Razem do zapłaty: {_pln(total)}\n"
        f"Indywidualny numer rachunku do wpłat: {account_formatted}\n"
        f"Możesz też zapłacić online w e-BOK: {portal}\n"
        "Jeśli wpłata została już wykonana, prosimy uznać tę wiadomość za nieaktualną."
    )
    en_intro = (
        "this is a friendly reminder that the following invoices are past their due date:"
        if first
        else "we have not received payment despite our reminder. Please pay the overdue amount "
        f"within 7 days (more than {stage} days past due):"
    )
    en_rest = (
        f"Total due: {_pln(total)}\n"
        f"Your individual bank account number: {account_formatted}\n"
        f"You can also pay online in e-BOK: {portal}\n"
        "If you have already paid, please disregard this message."
    )
    listing = "\n".join(lines)
    text = (
        f"Dzień dobry {name},\n\n{pl_intro}\n{listing}\n\n{pl_rest}\n\n— English —\n\n"
        f"Hello {name},\n\n{en_intro}\n{listing}\n\n{en_rest}\n\n{_sign()}"
    )
    rows = [(i.invoice_no, _date_pl(i.due_date), _pln(i.outstanding)) for i in invoices]
    body = _html(
        [
            f"Dzień dobry {name},",
            pl_intro,
            "{table}",
            pl_rest,
            "— English —",
            f"Hello {name},",
            en_intro,
            en_rest,
            _sign(),
        ],
        rows,
        ("Faktura / Invoice", "Termin / Due", "Do zapłaty / Due"),
    )
    return subject, text, body


def overpayment_notice(name: str, customer_no: str, overpayment: int) -> tuple[str, str, str]:
    """Nadpłata: credit on the account, set against the next invoices unless refunded."""
    subject = f"Nadpłata na koncie / Overpayment on your account – {customer_no}"
    pl = (
        f"Dzień dobry {name},\n\n"
        f"na Twoim koncie klienta {customer_no} jest nadpłata w wysokości {_pln(overpayment)}.\n"
        "Zaliczymy ją na poczet najbliższych faktur. Jeśli wolisz zwrot na rachunek bankowy, "
        "skontaktuj się ze swoim opiekunem klienta."
    )
    en = (
        f"Hello {name},\n\n"
        f"your customer account {customer_no} holds an overpayment of {_pln(overpayment)}.\n"
        "We will set it against your next invoices. If you prefer a refund to your bank "
        "account, please contact your account manager."
    )
    text = f"{pl}\n\n— English —\n\n{en}\n\n{_sign()}"
    return subject, text, _html([pl, "— English —", en, _sign()])
