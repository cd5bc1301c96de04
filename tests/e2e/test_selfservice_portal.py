"""The self-service portal in Chromium: a customer files a capacity change with its
attachment, the account manager asks for information, the customer answers, the manager
approves, and the customer finds the annex in Documents; readable at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta

from chalicelib.domain import clock
from tests.e2e.conftest import Stack, new_context, open_as

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _errors(stack: Stack) -> str:
    """The stack's unhandled errors (for a failure message)."""
    lines = stack.log.read_text(errors="replace").splitlines()
    return "\n".join(x[-1500:] for x in lines if "unhandled error" in x and "health" not in x)


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page is {width}px wide at 390px"


def test_capacity_change_from_the_form_to_the_annex(browser, stack: Stack) -> None:
    effective = (clock.to_warsaw(clock.now()).date() + timedelta(days=20)).isoformat()
    cctx = new_context(browser, stack, viewport={"width": 390, "height": 844})
    customer = cctx.new_page()
    customer.set_default_timeout(20_000)
    open_as(customer, stack, "10000001", "#/applications/new?type=capacity_change")
    customer.wait_for_selector("#application-form #f-capacity_mw")
    _no_sideways_scroll(customer)
    customer.fill("#f-capacity_mw", "0.020")
    customer.fill("#f-effective_from", effective)
    customer.set_input_files(
        "#file-capacity_calculation",
        {"name": "moc.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    customer.click("#application-form button[type=submit]")
    try:
        customer.wait_for_selector("[data-status=submitted]")
    except Exception:
        raise AssertionError(customer.inner_text("main") + "\n" + _errors(stack)) from None
    app_id = re.search(r"#/applications/([^/?]+)", customer.url).group(1)  # type: ignore[union-attr]
    assert "moc.pdf" in customer.inner_text("main")

    mctx = new_context(browser, stack)
    manager = mctx.new_page()
    manager.set_default_timeout(20_000)
    open_as(manager, stack, "30000001", "#/workspace")
    manager.wait_for_selector("main h2, main .flash.error")
    assert app_id in manager.inner_html("main"), _errors(stack)
    manager.click(f"a.queue-item[href='#/workspace/applications/{app_id}']")
    manager.wait_for_selector("#decision-form")
    manager.fill("#decision-form textarea", "Proszę dołączyć obliczenie z uwzględnieniem CWU.")
    manager.click("#decide-ask")
    manager.wait_for_selector("h2 + p [data-status=needs_info], p [data-status=needs_info]")

    customer.reload()  # the page shows this application already: read it again
    customer.wait_for_selector("#answer-form")
    assert "CWU" in customer.inner_text("main")
    customer.fill("#answer-form textarea", "Dołączam obliczenie z CWU.")
    customer.click("#answer-form button[type=submit]")
    customer.wait_for_selector("p [data-status=in_review]")

    manager.reload()
    manager.wait_for_selector("#decide-approve")
    manager.click("#decide-approve")
    manager.wait_for_selector("p [data-status=done]")
    mctx.close()

    customer.goto(stack.base_url + "/#/documents")
    annex = customer.locator(f"a[data-document='annex-{app_id}']")
    annex.wait_for()
    assert "Aneks" in annex.inner_text()
    assert "bezpłatne" in customer.inner_text("main")  # the e-BOK is free of charge
    _no_sideways_scroll(customer)

    # the regulations in force are asked for after login, once accepted the prompt is gone
    prompt = customer.locator("#regs-prompt")
    prompt.wait_for()
    prompt.locator("button").click()
    prompt.wait_for(state="detached")
    cctx.close()
