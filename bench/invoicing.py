"""Invoicing figures under in-process moto: invoices per second for one worker end to end
(fan-out, SQS, worker: readings, pricing, transaction, PDF to S3, e-mail), CPU per invoice
for pricing + PDF beside its floor (a one-page PDF with the same fonts and no content,
measured in the same run), and AWS API calls per invoice."""

from __future__ import annotations

import os
import statistics
import time
from decimal import Decimal
from typing import Any

CONTRACTS = 40  # half the customers with e-invoice consent
CPU_RUNS = 15


def _env() -> None:
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_REGION": "eu-central-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "STAGE": "local",
        }
    )
    os.environ.setdefault("TABLE_NAME", "ebok-local")


def _demo_contracts(n: int, first: int = 0) -> list[tuple[str, str]]:
    """``n`` customers (numbers from 300000 + ``first``), each a heat (W-1) or G11 contract
    with a meter read on 30.09 and 31.10.2026; every other customer has e-invoice consent."""
    from chalicelib.services import customers as svc
    from tests.integration.invoicing_helpers import put_reading

    if first == 0:
        svc.create_account_manager(
            "MB", "Anna Nowak", "+48713000001", "anna.nowak@cieplo.example.pl"
        )
    out = []
    for i in range(first, first + n):
        no = f"{300000 + i}"
        addr = {
            "street": "ul. Legnicka",
            "building": str(i + 1),
            "postal_code": "53-674",
            "city": "Wrocław",
        }
        svc.create_customer(
            svc.NewCustomer(
                customer_no=no,
                kind="individual",
                name=f"Klient {i}",
                pesel="44051401359",
                address=addr,
                email=f"klient{i}@example.pl",
                manager_id="MB",
                einvoice_consent=i % 2 == 0,
            )
        )
        premises = svc.add_premises(no, "Mieszkanie", addr, f"P-{no}")
        if i % 2:
            contract = svc.add_contract(
                no, f"C-{no}", premises.premises_id, "electricity", "G11", "2024-01-01"
            )
            svc.add_meter(no, f"EM-{no}", contract, "2024-01-01")
            put_reading(f"EM-{no}", no, contract.contract_no, "2026-09-30", total="5000")
            put_reading(f"EM-{no}", no, contract.contract_no, "2026-10-31", total=str(5150 + i))
        else:
            contract = svc.add_contract(
                no,
                f"C-{no}",
                premises.premises_id,
                "heat",
                "W-1",
                "2024-01-01",
                None,
                Decimal("0.015"),
            )
            svc.add_meter(no, f"HM-{no}", contract, "2024-01-01")
            put_reading(
                f"HM-{no}",
                no,
                contract.contract_no,
                "2026-09-30",
                heat_gj="100.000",
                water_m3="10.000",
            )
            put_reading(
                f"HM-{no}",
                no,
                contract.contract_no,
                "2026-10-31",
                heat_gj=f"{103 + i / 10:.3f}",
                water_m3="10.850",
            )
        out.append((no, contract.contract_no))
    return out


def end_to_end() -> list[tuple[str, float, str]]:
    from devstack.metering import count_calls
    from tests.integration.invoicing_helpers import invoicing_job, load_tariffs, sent_emails
    from tests.support import aws_env

    gen = aws_env()
    next(gen)
    try:
        load_tariffs()
        _demo_contracts(CONTRACTS)
        import app  # noqa: F401  (handlers registered, fpdf imported by the first invoice)

        with count_calls() as log:
            t0 = time.perf_counter()
            result = invoicing_job("2026-10")
            wall = time.perf_counter() - t0
        assert result == {"done": CONTRACTS, "failed": 0}, result
        assert len(sent_emails()) == CONTRACTS // 2
        # What the Lambda event source does (receive/delete) is not the worker's call.
        calls = [
            c
            for c in log.names
            if c not in ("sqs:ReceiveMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueUrl")
        ]
        by_service: dict[str, int] = {}
        for c in calls:
            by_service[c] = by_service.get(c, 0) + 1
        detail = ", ".join(f"{k} {v / CONTRACTS:.2f}" for k, v in sorted(by_service.items()))
        return [
            (
                "invoicing_invoices_per_second_one_worker",
                round(CONTRACTS / wall, 1),
                f"invoices/s ({CONTRACTS} contracts, in-process moto, half e-mailed)",
            ),
            (
                "invoicing_aws_calls_per_invoice",
                round(len(calls) / CONTRACTS, 2),
                f"calls (target <= 5; {detail})",
            ),
        ]
    finally:
        gen.close()


def cpu_per_invoice() -> list[tuple[str, float, str]]:
    """Pricing + PDF of a heat invoice with a mid-period price change (10 lines), against
    a blank page with the same fonts, interleaved so machine noise hits both alike."""
    import json
    from datetime import date

    from chalicelib.domain.pricing import Usage, price_period
    from chalicelib.domain.tariffs import parse_group
    from chalicelib.render.invoice_pdf import blank_page, render_invoice
    from chalicelib.services.tariffs import DATA_DIR

    versions = parse_group(
        json.loads((DATA_DIR / "heat-w1.json").read_text(encoding="utf-8"))
    ).versions

    def one_invoice() -> bytes:
        priced = price_period(
            versions,
            date(2026, 9, 1),
            date(2026, 9, 30),
            Usage({"heat_gj": Decimal("3.456"), "water_m3": Decimal("0.85")}),
            capacity_mw=Decimal("0.015"),
        )
        doc: dict[str, Any] = {
            "invoice_id": "FC-2026-10-000001",
            "number": "FC/2026/10/000001",
            "kind": "invoice",
            "issue_date": "2026-10-01",
            "place": "Wrocław",
            "period_from": "2026-09-01",
            "period_to": "2026-09-30",
            "due_date": "2026-10-15",
            "seller": {
                "name": "Ciepło i Energia Wrocław S.A.",
                "nip": "8943005127",
                "address": "ul. Obornicka 1, 51-113 Wrocław",
            },
            "buyer": {
                "name": "Jan Kowalski",
                "address": "ul. Legnicka 12/4, 53-674 Wrocław",
                "nip": None,
                "customer_no": "100001",
            },
            "supply_address": "ul. Legnicka 12/4, 53-674 Wrocław",
            "contract_no": "C/2024/0001",
            "tariff_group": "W-1",
            "ordered_capacity_mw": "0.015",
            "lines": [ln.as_dict() for ln in priced.lines],
            "rates": [r.as_dict() for r in priced.rates],
            "net": priced.net,
            "vat": priced.vat,
            "gross": priced.gross,
            "bank_account": "12 1090 1014 9876 0000 0010 0001",
            "meters": [
                {
                    "serial": "HM-100001",
                    "opening": {
                        "read_on": "2026-08-31",
                        "kind": "remote",
                        "values": {"heat_gj": "100", "water_m3": "10"},
                    },
                    "closing": {
                        "read_on": "2026-09-30",
                        "kind": "remote",
                        "values": {"heat_gj": "103.456", "water_m3": "10.85"},
                    },
                    "usage": {"heat_gj": "3.456", "water_m3": "0.85"},
                }
            ],
            "estimated": False,
        }
        return render_invoice(doc)

    one_invoice(), blank_page()  # warm: imports, first use
    inv, floor = [], []
    for _ in range(CPU_RUNS):
        t = time.process_time()
        blank_page()
        floor.append((time.process_time() - t) * 1000)
        t = time.process_time()
        one_invoice()
        inv.append((time.process_time() - t) * 1000)
    f, i = statistics.median(floor), statistics.median(inv)
    return [
        ("invoicing_cpu_ms_floor_blank_pdf_same_fonts", round(f, 1), "ms CPU (median)"),
        ("invoicing_cpu_ms_pricing_and_pdf_per_invoice", round(i, 1), "ms CPU (median)"),
        ("invoicing_cpu_ratio_invoice_to_floor", round(i / f, 2), "x (target <= 2)"),
    ]


def run() -> list[tuple[str, float, str]]:
    import contextlib
    import io

    _env()
    # The handlers' log lines and metrics (EMF) go to stdout: keep the bench output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        figures = cpu_per_invoice() + end_to_end()
    return figures
