"""The outage map in Chromium (Leaflet, vendored; no tiles in the local stack), and an SMS Alert request that
the customer's account manager switches on, followed by a real alert through the queues."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain import clock
from tests.e2e.conftest import Stack, new_context, open_as


def test_outage_map_draws_areas_streets_and_list(page, stack: Stack) -> None:
    outside: list[str] = []
    page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(stack.base_url) else None
    )
    page.goto(stack.base_url + "/#/outages")
    page.wait_for_selector(".outage-map path.area")
    # Wrocław is chosen by default: the planned Legnicka/Grabiszyńska outage and the failure.
    assert page.locator("#f-city").input_value() == "Wrocław"
    items = page.locator(".outage-item")
    assert items.count() == 2
    text = page.locator(".outage-list").inner_text()
    assert "ul. Legnicka 10, 12, 14" in text and "ul. Kasprowicza" in text
    assert "Planowany czas: 8 godz." in text
    assert page.locator(".outage-map path.street").count() == 3
    assert page.locator(".outage-map .map-street-label", has_text="ul. Grabiszyńska").count() == 1

    page.screenshot(path=str(stack.state_dir / "outage-map-wroclaw.png"), full_page=True)
    # Clicking an area highlights its entry in the list.
    page.locator(".outage-map path.street.failure").dispatch_event("click")
    assert "active" in (page.locator(".outage-item.failure").get_attribute("class") or "")

    # Tomorrow the planned outage, and the failure too when its expected end (six hours
    # after it started) falls after midnight: the page shows what the API says for that day.
    tomorrow = (clock.to_warsaw(clock.now()) + timedelta(days=1)).date().isoformat()
    status, expected = stack.get("/outages?city=Wroc%C5%82aw&date=" + tomorrow)
    assert status == 200, expected
    kinds = sorted(f["properties"]["kind"] for f in expected["features"])
    assert "planned" in kinds
    page.fill("#f-date", tomorrow)
    page.click(".outage-filters button[type=submit]")
    page.wait_for_function(f"document.querySelectorAll('.outage-item').length === {len(kinds)}")
    assert "Legnicka" in page.locator(".outage-item.planned").inner_text()
    page.select_option("#f-city", "Łódź")
    page.fill("#f-date", "")
    page.click(".outage-filters button[type=submit]")
    page.wait_for_function(
        "document.querySelector('.outage-list') && document.querySelector('.outage-list').innerText.includes('Zgierska')"
    )
    assert outside == [], f"the map fetched from outside the portal: {outside[:3]}"
    page.screenshot(path=str(stack.state_dir / "outage-map.png"), full_page=True)


def test_customer_overview_lists_outages_at_own_premises(page, stack: Stack) -> None:
    open_as(page, stack, "10000001")
    page.wait_for_selector(".outages-mine")
    card = page.locator(".outages-mine").inner_text()
    assert "Wyłączenia w Twoich obiektach" in card and "Mieszkanie" in card


def test_sms_alert_request_then_manager_switches_it_on(browser, stack: Stack) -> None:
    phone = "+48713500677"
    ctx = new_context(browser, stack)
    customer = ctx.new_page()
    customer.set_default_timeout(15_000)
    open_as(customer, stack, "20000001", "#/alerts")
    customer.wait_for_selector("#alert-form")
    customer.select_option("#f-premises_id", "P-200001-2")
    customer.select_option("#f-channel", "sms")
    customer.fill("#f-phone", phone)
    customer.click("#alert-form button[type=submit]")
    customer.wait_for_selector(".flash.ok")
    row = customer.locator("tr", has_text="ul. Grabiszyńska 202")
    assert "czeka na włączenie" in row.inner_text()

    mctx = new_context(browser, stack)
    manager = mctx.new_page()
    manager.set_default_timeout(15_000)
    open_as(manager, stack, "30000001", "#/manager/alerts")
    request_row = manager.locator("tr", has_text="ul. Grabiszyńska 202")
    request_row.wait_for()
    assert phone in request_row.inner_text()
    request_row.locator("button.approve").click()
    manager.wait_for_selector(".flash.ok")
    assert manager.locator("tr", has_text="ul. Grabiszyńska 202").count() == 0
    mctx.close()

    customer.reload()
    customer.wait_for_selector("#alert-form")
    assert "włączony" in customer.locator("tr", has_text="ul. Grabiszyńska 202").inner_text()
    ctx.close()

    # A failure at building 202 now reaches that phone through the notifier and sms queues.
    operator = {"Authorization": "Bearer " + stack.tokens("40000001")["access_token"]}
    now = clock.to_warsaw(clock.now())
    status, body = stack.post(
        "/outages",
        {
            "kind": "failure",
            "product": "heat",
            "city": "Wrocław",
            "streets": [{"name": "ul. Grabiszyńska", "buildings": ["202"]}],
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "expected_end_at": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "description": "Awaria testowa",
        },
        operator,
    )
    assert status == 201, body
    result = stack.cli("drain", "all")
    assert result.returncode == 0, result.stdout + result.stderr
    texts = [s["message"] for s in stack.outbox()["sms"] if s["phone"] == phone]
    # (The demo planned outage's notice may still have been queued: it reaches the new
    # subscriber too, since the alert was on when it was fanned out.)
    failures = [
        t for t in texts if t.startswith("Awaria - brak ciepla Wroclaw, ul. Grabiszynska 202.")
    ]
    assert len(failures) == 1, texts
    assert len(failures[0]) <= 160 and "Pogotowie 993" in failures[0]
