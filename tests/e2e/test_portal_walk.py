"""The portal as a utility's customers and staff meet it (issue 16), on a laptop (1366 px,
in English) and a phone (390 px, in Polish): every screen of every role, failing on a console
error, a failed request, a page that scrolls sideways on the phone, a table wider than the
screen, Polish left in the English version, or a serious or critical axe-core violation
(tests/e2e/walk.py); navigation and dashboards; the map without tiles; an operator announcing an
outage by picking streets, seen on the public map; closing it asks first; forms flag every
invalid field at once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e import walk
from tests.e2e.conftest import Stack, new_context


def _open(browser: Any, stack: Stack, user: str, width: int) -> tuple[Any, Any, list[str]]:
    ctx = new_context(browser, stack, viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    problems = walk.record_problems(page)
    page.goto(stack.base_url + "/")
    if user != "-":
        page.evaluate(
            "t => sessionStorage.setItem('ebok.tokens', JSON.stringify(t))", stack.tokens(user)
        )
    return ctx, page, problems


def _settle(page: Any, path: str) -> None:
    page.goto(page.url.split("#")[0] + path)
    page.wait_for_function(
        "!document.querySelector('#main .loading') && document.querySelector('#main h1')"
    )
    page.wait_for_load_state("networkidle")


def _overflow(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """() => {
      const out = [];
      const w = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth + ' > ' + w);
      document.querySelectorAll('#main table').forEach((t, i) => {
        const r = t.getBoundingClientRect();
        const wrap = t.closest('.table-wrap');
        const visible = wrap ? Math.min(r.right, wrap.getBoundingClientRect().right) : r.right;
        if (t.classList.contains('cards-on-phone') && r.right > w + 1) out.push('table ' + i + ' right ' + r.right);
        if (visible > w + 1) out.push('table ' + i + ' visible to ' + visible);
      });
      return out;
    }"""
        )
    )


# Who walks, as which role, from where (besides the links: addresses reached by a form).
ROLES: dict[str, tuple[str | None, list[str]]] = {
    "-": (None, ["#/", "#/register/individual", "#/register/institution"]),
    "10000001": ("customer", ["#/account"]),
    "20000001": ("building_manager", ["#/account"]),
    "30000001": ("account_manager", ["#/home"]),
    "40000001": ("operator", ["#/home"]),
    "50000001": ("admin", ["#/home", "#/admin/customers/100001", "#/admin/logins/10000001"]),
}


@pytest.mark.parametrize("width,lang", [(1366, "en"), (390, "pl")])
@pytest.mark.parametrize("user", list(ROLES))
def test_every_screen_of_every_role(browser, stack: Stack, user: str, width: int, lang: str):
    """Every screen the role may open, reached by following the portal's own links: no console
    error or failed request, a title per screen, 0 serious or critical axe-core violations;
    on the phone no sideways page or table wider than the screen; in English no Polish-only
    text (tests/e2e/walk.py says how that is told from Polish data)."""
    role, start = ROLES[user]
    extra = walk.prepare(stack, user)
    ctx, page = walk.open_portal(browser, stack, user, width, lang)
    try:
        expected = walk.expected_screens(page, role)
        allowed = expected | walk.public_screens(page)
        seen = walk.walk(
            page, start + extra, allowed, english=lang == "en", phone=width == 390, axe=True
        )
    finally:
        ctx.close()
    assert sorted(expected - set(seen.visited)) == []
    assert seen.problems == {}


def test_navigation_fits_one_row_on_a_laptop_and_a_drawer_on_a_phone(browser, stack) -> None:
    ctx, page, problems = _open(browser, stack, "10000001", 1366)
    _settle(page, "#/account")
    header = page.locator("header.topbar").bounding_box()
    assert header and header["height"] <= 70, header
    assert page.locator("#nav .nav-menu").count() >= 3
    page.locator("#nav .nav-menu[data-group=billing]").click()
    page.locator("#menu-billing a[href='#/invoices']").click()
    page.wait_for_url(re.compile("#/invoices"))
    ctx.close()

    ctx, page, problems = _open(browser, stack, "10000001", 390)
    _settle(page, "#/account")
    assert not page.locator("#nav").is_visible()
    # The emergency numbers are one tap away, at least 44 px high.
    box = page.locator(".emergency-bar a[href='tel:993']").bounding_box()
    assert box and box["height"] >= 44
    page.click("#menu-toggle")
    assert page.locator("#nav").is_visible()
    page.locator("#nav a[href='#/alerts']").click()
    page.wait_for_selector("#alert-form")
    assert not page.locator("#nav").is_visible()
    assert problems == []
    ctx.close()


@pytest.mark.parametrize("user,home,marker", [
    ("10000001", "#/account", ".tile-balance"),
    ("20000001", "#/account", ".premises-glance"),
    ("30000001", "#/home", ".tile-queue"),
    ("40000001", "#/home", ".tile-outages"),
    ("50000001", "#/home", ".tile-registrations"),
])  # fmt: skip
def test_each_role_lands_on_its_own_dashboard(browser, stack, user, home, marker) -> None:
    ctx, page, problems = _open(browser, stack, user, 1366)
    _settle(page, "#/")
    page.click("#home-go")
    page.wait_for_selector(marker)
    assert page.url.endswith(home)
    if user == "10000001":
        text = page.locator(".tile-balance").inner_text() + page.locator(".tile-due").inner_text()
        assert re.search(r"\d[\d\u00a0 ]*,\d\d\u00a0zł", text), text  # 7 353,10 zł
        assert page.locator(".tile-invoice a[href^='#/invoices/']").count() == 1
    if user == "20000001":
        rows = page.locator(".premises-glance tbody tr")
        assert rows.count() >= 3
        assert "Budynek 202" in page.locator(".premises-glance").inner_text()
    if user == "40000001":
        assert "Kasprowicza" in page.locator(".tile-outages").inner_text()
    assert problems == []
    ctx.close()


def test_map_without_tiles_still_shows_areas_and_list(browser, stack: Stack) -> None:
    ctx, page, _ = _open(browser, stack, "-", 1366)
    # A tile server that cannot be reached: the areas, streets and list still render.
    page.route(
        "**/portal/config",
        lambda route: route.fulfill(
            json={"map": {"tiles_url": "http://127.0.0.1:9/{z}/{x}/{y}.png", "attribution": "x"}}
        ),
    )
    page.goto(stack.base_url + "/#/outages")
    page.wait_for_selector(".outage-map path.area")
    # The same outages as the API lists (other tests on this stack may have added some).
    status, listed = stack.get("/outages?city=Wroc%C5%82aw")
    assert status == 200, listed
    page.wait_for_function(
        f"document.querySelectorAll('.outage-item').length === {len(listed['features'])}"
    )
    assert page.locator(".outage-map path.street").count() >= 3  # the demo's three streets
    page.wait_for_function("document.querySelector('#map-note').textContent.length > 0")
    assert "niedostępny" in page.locator("#map-note").inner_text()
    ctx.close()


def test_operator_picks_streets_and_the_outage_is_on_the_public_map(browser, stack) -> None:
    ctx, page, problems = _open(browser, stack, "40000001", 1366)
    _settle(page, "#/operator/outages")
    # Nothing picked and no times: every invalid field is flagged at once, next to the field,
    # and what was typed stays.
    page.fill("#f-description", "Wymiana zaworu — test e2e")
    page.click("#outage-form button[type=submit]")
    for slot in ("#f-starts_at-error", "#f-expected_end_at-error", "#f-streets-error"):
        assert page.locator(slot).inner_text(), slot
    assert page.locator("#f-starts_at").get_attribute("aria-invalid") == "true"
    assert "(3)" in page.locator("#outage-form .form-error").inner_text()
    assert page.locator("#f-description").input_value() == "Wymiana zaworu — test e2e"
    page.fill("#f-starts_at", "2026-12-03T08:00")
    page.fill("#f-expected_end_at", "2026-12-03T12:00")

    page.select_option("#f-kind", "planned")
    page.check("#street-ul-Powsta-c-w-l-skich")
    row = page.locator(".street-row[data-street='ul. Powstańców Śląskich']")
    row.locator("label", has_text=re.compile(r"^\s*8\s*$")).locator("input").check()
    row.locator("label", has_text=re.compile(r"^\s*10\s*$")).locator("input").check()
    page.click("#outage-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    item = page.locator(".outage-item", has_text="ul. Powstańców Śląskich 8, 10")
    assert item.count() == 1

    public, ppage, pproblems = _open(browser, stack, "-", 1366)
    ppage.goto(stack.base_url + "/#/outages?city=Wroc%C5%82aw&date=2026-12-03")
    ppage.wait_for_selector(".outage-map path.area")
    assert ppage.locator(".outage-item", has_text="Powstańców Śląskich 8, 10").count() == 1
    assert ppage.locator(".outage-map .map-street-label", has_text="Powstańców").count() == 1
    assert pproblems == []
    public.close()

    # Closing asks first; cancelling keeps it open.
    item.locator("button.close-outage").click()
    page.locator("dialog.confirm button.secondary").click()
    assert page.locator(".outage-item", has_text="ul. Powstańców Śląskich 8, 10").count() == 1
    item.locator("button.close-outage").click()
    page.locator("dialog.confirm button.danger").click()
    page.locator(".outage-item", has_text="ul. Powstańców Śląskich 8, 10").wait_for(
        state="detached"
    )
    assert "zakończone" in page.locator(".flash.ok").first.inner_text()
    assert problems == [], problems
    ctx.close()


def test_numbers_and_dates_in_both_languages(browser, stack: Stack) -> None:
    ctx, page, _ = _open(browser, stack, "-", 1366)
    _settle(page, "#/tariffs")
    text = page.locator("#main").inner_text()
    assert not re.search(r",\d{3}\d zł", text)  # no 4 decimals where 2 are published
    assert "zł/MW/mc" in text
    page.click("#lang-switch")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_selector(".tariff")
    text = page.locator("#main").inner_text()
    assert "PLN/MW/month" in text and "zł" not in text, text[:400]
    assert re.search(r"PLN \d", text.replace("\u00a0", " "))
    fmt = page.evaluate(
        FMT + "[fmt.money(735310), fmt.date('2026-12-01'),"
        " fmt.datetime('2026-12-01T07:00:00Z'), fmt.price('5.50')] }"
    )
    assert [x.replace("\u00a0", " ") for x in fmt] == [
        "PLN 7,353.10", "01/12/2026", "01/12/2026 08:00", "PLN 5.50",
    ]  # fmt: skip
    page.click("#lang-switch")
    page.wait_for_function("document.documentElement.lang === 'pl'")
    fmt = page.evaluate(
        FMT + "[fmt.money(735310), fmt.date('2026-12-01'),"
        " fmt.datetime('2026-12-01T07:00:00Z'), fmt.price('0.5800')] }"
    )
    # Native ES modules: nothing of the portal is shared through window.
    assert page.evaluate("() => ['EBOK', 'EBOKFormat'].filter((k) => k in window)") == []
    assert [x.replace("\u00a0", " ") for x in fmt] == [
        "7 353,10 zł", "01.12.2026", "01.12.2026 08:00", "0,5800 zł",
    ]  # fmt: skip
    ctx.close()


# The portal's formatting, from its components module (the page's own instance of it).
FMT = "async () => { const { fmt } = await import('/static/components.js'); return "


def test_favicon_answers(stack: Stack) -> None:
    status, body = stack.get("/favicon.ico")
    assert status == 200 and b"<svg" in body


def test_contract_terms_and_outbox_sms_are_the_shared_table(browser, stack: Stack) -> None:
    """On a phone the contract's terms and the outbox's SMS are cards of the shared table
    (components.js table): a term's name is its row header, every SMS cell labelled by its column."""
    ctx, page, problems = _open(browser, stack, "10000001", 390)
    try:
        _settle(page, "#/contracts")
        href = page.locator("#main a[href^='#/contract?']").first.get_attribute("href")
        _settle(page, str(href))
        terms = page.locator("#main .terms table.cards-on-phone")
        assert terms.count() == 1
        rows = terms.locator("tbody tr").count()
        assert rows >= 5 and terms.locator("tbody th[scope=row]").count() == rows
        assert _overflow(page) == []
        sms = {"phone": "+48600100200", "message": "e-BOK: kod 123456", "sent_at": None}
        page.route("**/dev/outbox", lambda r: r.fulfill(json={"emails": [], "sms": [sms]}))
        _settle(page, "#/dev/outbox")
        cells = page.locator("#outbox-sms.cards-on-phone tbody td")
        assert cells.count() == 3
        assert [cells.nth(i).get_attribute("data-label") for i in range(3)] == [
            "Telefon",
            "Treść",
            "Znaki",
        ]
        assert _overflow(page) == []
        assert problems == []
    finally:
        ctx.close()
