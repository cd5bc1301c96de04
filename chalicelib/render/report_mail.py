"""The "your report is ready" e-mail (Polish first, English second).

It carries a link into the portal (where the customer logs in and downloads the report
through a short-lived link), never the document itself: an e-mail can be forwarded, a
portal session cannot.
"""

from __future__ import annotations

import html

from chalicelib.config import settings
from chalicelib.render.mail import Mail, compose, lang_of

KINDS = {
    "heat_season": ("raport sezonu grzewczego", "heating-season report"),
    "electricity_year": ("roczny raport zużycia energii elektrycznej", "electricity yearly report"),
}


def report_link(report_id: str) -> str:
    base = settings().portal_url
    return f"{base.rstrip('/')}/#/consumption?report={report_id}"


def report_ready(kind: str, period: str, contract_no: str, report_id: str) -> tuple[str, str, str]:
    """(subject, text, html) of the notice for one stored report."""
    s = settings()
    pl, en = KINDS[kind]
    link = report_link(report_id)
    subject = f"Twój {pl} {period} jest gotowy / Your {en} {period} is ready"
    text = (
        "Dzień dobry,\n\n"
        f"przygotowaliśmy {pl} {period} dla umowy {contract_no}: zużycie miesiąc po miesiącu, "
        "porównanie z poprzednim okresem, koszty i wnioski na przyszłość.\n"
        f"Raport (PDF i CSV) pobierzesz po zalogowaniu w eBOK:\n{link}\n\n"
        "---\n"
        "Hello,\n\n"
        f"your {en} {period} for contract {contract_no} is ready: use month by month, the "
        "comparison with the previous period, costs and conclusions.\n"
        f"Download it (PDF and CSV) after logging in to eBOK:\n{link}\n\n"
        f"Zespół e-BOK / The e-BOK team\n{s.seller_name}, {s.seller_address}\n"
        "To jest wiadomość automatyczna. / This is an automatic message.\n"
    )
    e = html.escape
    paragraphs = []
    for p in text.split("\n\n"):
        if not p.strip():
            continue
        body = e(p).replace("\n", "<br>").replace(e(link), f'<a href="{e(link)}">{e(link)}</a>')
        paragraphs.append(f"<p>{body}</p>")
    return subject, text, f"<html><body>{''.join(paragraphs)}</body></html>"


def report_ready_mail(
    lang: str, kind: str, period: str, contract_no: str, report_id: str, unsubscribe_url: str | None
) -> Mail:
    """The notice in the customer's language, the shared look, one-click unsubscribe."""
    pl, en = KINDS[kind]
    link = report_link(report_id)
    if lang_of(lang) == "en":
        return compose(
            "en",
            f"Your {en} {period} is ready",
            [
                "Hello,",
                f"your {en} {period} for contract {contract_no} is ready: use month by month, "
                "the comparison with the previous period, costs and conclusions.",
                f"Download it (PDF and CSV) after logging in to e-BOK:\n{link}",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    return compose(
        "pl",
        f"Twój {pl} {period} jest gotowy",
        [
            "Dzień dobry,",
            f"przygotowaliśmy {pl} {period} dla umowy {contract_no}: zużycie miesiąc po "
            "miesiącu, porównanie z poprzednim okresem, koszty i wnioski na przyszłość.",
            f"Raport (PDF i CSV) pobierzesz po zalogowaniu w e-BOK:\n{link}",
        ],
        unsubscribe_url=unsubscribe_url,
    )
