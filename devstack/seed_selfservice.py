"""Demo self-service data: the e-BOK regulations (version 2026-01, from data/documents), the
price lists and the application form as public documents; contract terms (notice period,
PPE for electricity) and the signed contract of every demo contract in the customer's
documents; a submitted meter-check application and a message thread from Jan Kowalski to
his account manager. Uses the real services; idempotent (natural document ids)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from chalicelib.domain import applications as app_rules
from chalicelib.domain import contracts as contract_rules
from chalicelib.domain.principal import Principal
from chalicelib.services import applications, documents, threads
from chalicelib.store import contracts as contract_store
from chalicelib.store import customers as customer_store
from devstack.seed import SeedContext

DATA = Path(__file__).resolve().parent.parent / "data" / "documents"
JAN = Principal("10000001", "customer", ("100001",))


def _ppe(contract_no: str) -> str:
    digits = str(int(hashlib.sha256(contract_no.encode()).hexdigest(), 16))[:12]
    return f"PL0037{digits}"


def _public() -> None:
    pl, _, en = (DATA / "regulamin-2026-01.txt").read_text(encoding="utf-8").partition("---\n")
    documents.publish(
        "regulations",
        "regulamin-2026-01",
        ("Regulamin e-BOK, wersja 2026-01", "e-BOK regulations, version 2026-01"),
        lines=(pl.splitlines(), en.splitlines()),
        version="2026-01",
        published_at="2026-01-01T00:00:00Z",
    )
    for product, name in (
        ("heat", ("ciepła", "heat")),
        ("electricity", ("energii elektrycznej", "electricity")),
    ):
        documents.publish(
            "price_list",
            f"cennik-{product}-2026",
            (f"Cennik {name[0]} 2026", f"Price list for {name[1]} 2026"),
            lines=(
                [
                    "Ceny netto według taryfy zatwierdzonej przez Prezesa URE; szczegóły w zakładce Taryfy."
                ],
                [
                    "Net prices of the tariff approved by the regulator (URE); details on the Tariffs page."
                ],
            ),
            published_at="2026-01-01T00:00:00Z",
        )
    documents.publish(
        "form",
        "formularze-wnioskow",
        ("Wnioski dostępne w e-BOK", "Applications available in the e-BOK"),
        lines=(
            [
                f"• {t.name_pl} (odpowiedź do {t.due_days} dni)"
                for t in app_rules.CATALOGUE.values()
            ],
            [
                f"• {t.name_en} (answer within {t.due_days} days)"
                for t in app_rules.CATALOGUE.values()
            ],
        ),
        published_at="2026-01-01T00:00:00Z",
    )


def _contracts() -> int:
    n = 0
    for contract in customer_store.all_contracts():
        ppe = _ppe(contract.contract_no) if contract.product == "electricity" else None
        contract_store.put_terms(
            contract.customer_no,
            contract.contract_no,
            notice_period_months=contract_rules.DEFAULT_NOTICE_MONTHS[contract.product],
            ppe=ppe,
            signed_document_id=f"contract-{contract.contract_no}",
        )
        rows = [
            ("Umowa / Contract", contract.contract_no),
            ("Produkt / Product", contract.product),
            ("Grupa taryfowa / Tariff group", contract.tariff_group),
            ("Od / From", contract.start_date),
            ("Do / Until", contract.end_date or "bezterminowo / open-ended"),
        ]
        if contract.ordered_capacity_mw is not None:
            rows.append(("Moc zamówiona / Ordered capacity", f"{contract.ordered_capacity_mw} MW"))
        if ppe:
            rows.append(("Kod PPE / Meter point", ppe))
        documents.issue(
            documents.NewDocument(
                customer_no=contract.customer_no,
                document_id=f"contract-{contract.contract_no}",
                kind="contract",
                title=(
                    f"Umowa kompleksowa nr {contract.contract_no}",
                    f"Contract no. {contract.contract_no}",
                ),
                lines_pl=[
                    "Umowa sprzedaży i dystrybucji (kompleksowa), podpisana przez obie strony."
                ],
                lines_en=["Sale and distribution contract, signed by both parties."],
                rows=rows,
                contract_no=contract.contract_no,
            )
        )
        _annexes, history = contract_store.contract_log(contract.contract_no)
        if not any(h.kind == "signed" for h in history):
            contract_store.put_change(
                contract_store.new_change(
                    contract.contract_no,
                    "signed",
                    f"{contract.start_date}T08:00:00Z",
                    "signed",
                    ("Umowa zawarta", "Contract signed"),
                    "system",
                )
            )
        n += 1
    return n


def _renewed_end(contract_no: str, ctx: SeedContext) -> date:
    """A year after the contract's current end (what "Przedłuż umowę" files by default), so
    the renewal keeps the contract ending on a month's last day."""
    contract = next(c for c in customer_store.all_contracts() if c.contract_no == contract_no)
    end = date.fromisoformat(contract.end_date) if contract.end_date else ctx.today
    return contract_rules.add_months(end, 12)


def seed(ctx: SeedContext) -> None:
    _public()
    n = _contracts()
    if not applications.list_for(JAN, "100001")["applications"]:
        applications.file_renewal(JAN, "100001", "C/2024/0001", _renewed_end("C/2024/0001", ctx))
    if not threads.list_threads(JAN, "100001")["threads"]:
        threads.start(
            JAN,
            "100001",
            {
                "subject": "Moc zamówiona na zimę",
                "text": "Dzień dobry, czy moc zamówiona wystarczy po ociepleniu budynku?",
            },
        )
    ctx.notes.append(
        f"self-service: regulations 2026-01, {n} contracts with documents, 1 application, 1 thread"
    )
