"""The local stack as a person meets it: health, the portal shell, the overview, the outbox."""

from __future__ import annotations

from tests.e2e.conftest import Stack, open_as


def test_stack_serves_health_and_openapi(stack: Stack) -> None:
    status, body = stack.get("/health")
    assert status == 200 and body["status"] == "ok"
    status, doc = stack.get("/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert "/customers/{customer_no}/overview" in doc["paths"]


def test_portal_home_is_polish_with_english_switch(page, stack: Stack) -> None:
    page.goto(stack.base_url + "/")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Elektroniczne Biuro Obsługi Klienta"
    page.click("#lang-switch")
    page.wait_for_function("document.querySelector('h1').textContent.includes('Electronic')")
    assert page.locator("html").get_attribute("lang") == "en"


def test_public_emergency_numbers_need_no_login(page, stack: Stack) -> None:
    page.goto(stack.base_url + "/#/contact")
    page.wait_for_selector(".big-number")
    numbers = page.locator(".big-number").all_inner_texts()
    assert numbers == ["993", "991", "112"]


def test_overview_shows_contracts_and_manager(page, stack: Stack) -> None:
    open_as(page, stack, "20000001")
    page.wait_for_selector(".page-account h2")
    text = page.locator("main").inner_text()
    assert "Spółdzielnia Mieszkaniowa" in text
    assert "Anna Nowak" in text
    assert "C/2022/1200" in text and "C/2022/1204" in text
    page.screenshot(path=str(stack.state_dir / "overview.png"), full_page=True)


def test_other_customer_overview_api_is_404(stack: Stack) -> None:
    tokens = stack.tokens("10000001")
    status, body = stack.get(
        "/customers/200001/overview", {"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert status == 404
    assert body["code"] == "error.not_found"


def test_outbox_page_renders(page, stack: Stack) -> None:
    page.goto(stack.base_url + "/#/dev/outbox")
    page.wait_for_selector(".page-outbox h1")
    assert "Skrzynka nadawcza" in page.locator("h1").inner_text()
