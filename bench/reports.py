"""Consumption figures under in-process moto: DynamoDB requests per consumption API call for
36 months of one contract (target: 1); CPU milliseconds to build a heating-season report's
data and CSV; CPU milliseconds to render a season report's PDF + CSV beside the invoice PDF
floor of the same run (a one-page PDF with the same fonts and no content; target <= 2x);
S3 PUTs per stored report (the report job's worker; target 2)."""

from __future__ import annotations

import os
import time
from typing import Any

RUNS = 10
PDF_RUNS = 15


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
    os.environ.setdefault("EBOK_NOW", "2026-11-18T10:30:00+01:00")
    from chalicelib.domain import clock

    clock.reset()  # an earlier bench of this process (coldstart) read the clock at the real time
    os.environ.setdefault("TABLE_NAME", "ebok-local")


def _figures() -> list[tuple[str, float, str]]:
    from chalicelib.domain.principal import Principal
    from chalicelib.render import consumption_csv
    from chalicelib.services import consumption, report_job, reports
    from devstack.metering import count_calls
    from tests.integration.consumption_helpers import heat_history
    from tests.integration.invoicing_helpers import load_tariffs
    from tests.support import aws_env, world_factory

    gen = aws_env()
    next(gen)
    try:
        load_tariffs()
        world = world_factory()
        heat_history(world, first="2023-09", last="2026-10")
        consumption.project(world.individual)
        jan = Principal(username="u", role="customer", customer_nos=(world.individual,))
        query = {"contract": world.contracts["individual_heat"]}
        with count_calls() as log:
            body = consumption.series(jan, world.individual, query)
        requests = len([c for c in log.calls if c[0] == "dynamodb"])
        assert len(body["contracts"][0]["rows"]) >= 35
        t0 = time.process_time()
        for _ in range(RUNS):
            report = reports.season_report(
                jan, world.individual, {**query, "season": "2025/2026"}, "pl"
            )
            series = consumption.series(jan, world.individual, query)
            consumption_csv.consumption_csv(series["contracts"])
        cpu_ms = (time.process_time() - t0) * 1000 / RUNS
        assert report["data"]["season"]["heat_gj"]
        pdf_ms, floor_ms = _pdf_figures(report)
        with count_calls() as log:
            outcome = report_job.render_one(
                world.individual, world.contracts["individual_heat"], "heat_season", "2025/2026"
            )
        assert outcome == "sent", outcome
        puts = log.of("s3").count("PutObject")
    finally:
        next(gen, None)
    return [
        ("consumption_dynamodb_requests_per_call_36_months", float(requests), "requests"),
        ("season_report_data_and_csv_cpu", round(cpu_ms, 2), "ms"),
        ("season_report_pdf_and_csv_cpu_ms", round(pdf_ms, 1), "ms CPU (median)"),
        ("season_report_floor_blank_pdf_same_fonts", round(floor_ms, 1), "ms CPU (median)"),
        ("season_report_cpu_ratio_to_floor", round(pdf_ms / floor_ms, 2), "x (target <= 2)"),
        ("season_report_s3_puts_per_report", float(puts), "PUTs (target 2)"),
    ]


def _pdf_figures(report: dict[str, Any]) -> tuple[float, float]:
    """Median CPU of one report's PDF + CSV, and of the invoice renderer's blank page."""
    import statistics
    from datetime import date

    from chalicelib.render import report_pdf
    from chalicelib.render.invoice_pdf import blank_page

    customer = {"name": "Jan Kowalski"}
    report_pdf.render_report(report, customer, date(2026, 5, 1)), blank_page()  # warm
    pdf, floor = [], []
    for _ in range(PDF_RUNS):
        t = time.process_time()
        report_pdf.render_report(report, customer, date(2026, 5, 1))
        report_pdf.report_csv(report)
        pdf.append((time.process_time() - t) * 1000)
        t = time.process_time()
        blank_page()
        floor.append((time.process_time() - t) * 1000)
    return statistics.median(pdf), statistics.median(floor)


def run() -> list[tuple[str, float, str]]:
    import contextlib
    import io

    _env()
    with contextlib.redirect_stdout(io.StringIO()):
        figures: Any = _figures()
    return list(figures)
