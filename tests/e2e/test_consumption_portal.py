"""The "Zużycie" page in Chromium on desktop and phone widths: the monthly chart and its
table, the season report, a stored report's download after the report job ran; and the
overview's weather tile."""

from __future__ import annotations

import urllib.request

from tests.e2e.conftest import Stack, new_context, open_as


def _run_reports(stack: Stack) -> None:
    job = stack.cli("job", "reports_run", "--season", "2025/2026")
    assert job.returncode == 0, job.stdout + job.stderr
    drained = stack.cli("drain", "reports")  # the report job's own queue (fan-out and reports)
    assert drained.returncode == 0, drained.stdout + drained.stderr


def test_consumption_chart_season_report_and_download(page, stack: Stack) -> None:
    _run_reports(stack)
    open_as(page, stack, "10000001", "#/consumption")  # Jan Kowalski: heat, Wrocław
    page.wait_for_selector("#consumption-chart .bar")
    assert page.locator("#consumption-chart .bar").count() >= 10
    assert page.locator("#consumption-chart polyline.last-year").count() == 1
    assert page.locator("#consumption-chart").get_attribute("role") == "img"
    assert page.locator("#consumption-table tbody tr").count() == 12
    report = page.locator("#season-report")
    assert "Raport sezonu grzewczego 2025/2026" in report.inner_text()
    page.wait_for_selector("#report-list .report-button[data-file=pdf]")
    page.locator("#report-list .report-button[data-file=pdf]").first.click()
    link = page.locator(".report-link").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href and "X-Amz-Expires=300" in href
    with urllib.request.urlopen(href, timeout=15) as resp:  # noqa: S310 - the local moto S3
        assert resp.read(5) == b"%PDF-"
    page.screenshot(path=str(stack.state_dir / "consumption.png"), full_page=True)


def test_consumption_on_a_phone(browser, stack: Stack) -> None:
    context = new_context(browser, stack, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        open_as(page, stack, "10000001", "#/consumption")
        page.wait_for_selector("#consumption-chart .bar")
        page.wait_for_selector("#season-report")
        assert page.locator("#consumption-chart").bounding_box()["width"] <= 390
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal page scroll of {overflow}px"
        page.screenshot(path=str(stack.state_dir / "consumption-390.png"), full_page=True)
        maria = context.new_page()  # a new tab: the portal caches who is logged in
        maria.set_default_timeout(15_000)
        open_as(maria, stack, "10000002", "#/consumption")  # electricity G11, Łódź
        maria.wait_for_selector("#consumption-chart .bar")
        maria.wait_for_selector("#season-report")
        assert "Raport roczny" in maria.locator("#season-report").inner_text()
        assert maria.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()


def test_overview_weather_tile(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/account")
    page.wait_for_selector("#weather-temp")
    assert "°C" in page.locator("#weather-temp").inner_text()
    assert page.locator("#weather-air").inner_text().strip() != ""
