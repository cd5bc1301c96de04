"""The browser walk over every screen of every role (issue 16): a crawler that starts from a
role's home (and a few addresses reached by forms rather than links), follows the links in
the navigation, the page and the footer, opens one address of each page pattern, and checks
each screen on the way. Used by tests/e2e/test_portal_walk.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Stack, new_context

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Pages that are steps of a flow rather than screens (they need the previous step's state),
# and the development outbox (exists only on the local stack).
NOT_SCREENS = {"#/login/new-password", "#/login/mfa", "#/dev/outbox"}

# Every JSON answer the page receives, so that Polish *data* (a street, a customer's name, an
# operator's note) is not mistaken for Polish left in the English interface.
RECORD_API = """(() => {
  window.__apiText = "";
  const orig = window.fetch;
  window.fetch = async (...args) => {
    const resp = await orig(...args);
    try { resp.clone().text().then((t) => { window.__apiText += "\\n" + t; }); } catch (e) {}
    return resp;
  };
})();"""

# The portal's page patterns and who may open them, from its shared module (an ES module:
# the page imports it again, the same instance; nothing of the portal is on window).
ROUTES = "async () => (await import('/static/app.js')).routes()"

# Visible text outside parts marked as Polish (lang="pl") that is Polish-only: a word with
# Polish letters that no API answer contains, a Polish sentence of the catalogue (not also an
# English one, not data), or the złoty sign where English writes PLN.
POLISH_LEAKS = """async () => {
  const brand = /Ciepło i Energia Wrocław/g;
  const api = (window.__apiText || "").toLowerCase();
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("script, style, [hidden], dialog:not([open])")) continue;
    const marked = el.closest("[lang]");
    if (marked && !marked.lang.toLowerCase().startsWith("en")) continue;
    if (!el.checkVisibility || !el.checkVisibility()) continue;
    texts.push(n.textContent);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], input[type=submit][value]")) {
    const marked = el.closest("[lang]");
    if (marked && !marked.lang.toLowerCase().startsWith("en")) continue;
    for (const a of ["aria-label", "title", "placeholder"]) if (el.getAttribute(a)) texts.push(el.getAttribute(a));
  }
  const text = texts.join("\\n").replace(brand, "");
  const leaks = new Set();
  for (const w of text.match(/[\\p{L}-]*[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ][\\p{L}-]*/gu) || []) {
    if (!api.includes(w.toLowerCase())) leaks.add(w);
  }
  if (/(^|[^\\p{L}])zł([^\\p{L}]|$)/u.test(text)) leaks.add("zł");
  const cat = (await import("/static/app.js")).catalogue();
  const english = Object.values(cat).map((p) => p[1]).join("\\n");
  const word = (f) => new RegExp("(^|[^\\\\p{L}])" + f.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&") + "([^\\\\p{L}]|$)", "u");
  for (const [pl, en] of Object.values(cat)) {
    if (pl === en) continue;
    const frag = pl.split(/\\{\\w+\\}/).map((f) => f.trim()).sort((a, b) => b.length - a.length)[0] || "";
    if (frag.length < 5 || !/\\p{L}{3}/u.test(frag)) continue;
    const re = word(frag);
    if (re.test(text) && !re.test(english) && !api.includes(frag.toLowerCase())) leaks.add(frag);
  }
  return [...leaks];
}"""

OVERFLOW = """() => {
  const out = [];
  const w = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth + ' > ' + w);
  document.querySelectorAll('#main table').forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (!r.width) return;
    const wrap = t.closest('.table-wrap');
    const visible = wrap ? Math.min(r.right, wrap.getBoundingClientRect().right) : r.right;
    if (t.classList.contains('cards-on-phone') && r.right > w + 1) out.push('table ' + i + ' right ' + r.right);
    if (visible > w + 1) out.push('table ' + i + ' visible to ' + visible);
  });
  return out;
}"""

AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
)

LINKS = """() => [...document.querySelectorAll("#nav a[href^='#/'], #main a[href^='#/'], footer a[href^='#/']")]
  .map((a) => a.getAttribute('href'))"""


@dataclass
class Walk:
    """What a walk saw: the page patterns it opened and what was wrong on which address."""

    visited: dict[str, str] = field(default_factory=dict)  # pattern -> address opened
    problems: dict[str, list[str]] = field(default_factory=dict)

    def note(self, path: str, what: list[str]) -> None:
        if what:
            self.problems.setdefault(path, []).extend(what)


def record_problems(page: Any) -> list[str]:
    """The page's console errors, uncaught exceptions, failed requests and 4xx/5xx answers,
    appended as they happen to the list returned."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append("console: " + m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append("failed: " + r.url))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    return problems


def open_portal(browser: Any, stack: Stack, user: str, width: int, lang: str) -> tuple[Any, Any]:
    ctx = new_context(browser, stack, viewport={"width": width, "height": 900})
    ctx.add_init_script(RECORD_API)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    page.goto(stack.base_url + "/")
    page.evaluate("l => localStorage.setItem('ebok.lang', l)", lang)
    if user != "-":
        page.evaluate(
            "t => sessionStorage.setItem('ebok.tokens', JSON.stringify(t))", stack.tokens(user)
        )
    return ctx, page


def _as(stack: Stack, user: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + stack.tokens(user)["access_token"]}


def _post(stack: Stack, user: str, path: str, body: dict[str, Any]) -> Any:
    status, answer = stack.post(path, body, _as(stack, user))
    assert status in (200, 201), (path, status, answer)
    return answer


def prepare(stack: Stack, user: str) -> list[str]:
    """What a role's screens need beyond the demo data (replays change nothing): a fault
    ticket, an application and a message thread of the customer, so that their pages are
    reachable; for an administrator the address of a customer's thread (staff open it from a
    link in an e-mail or the audit log, not from a list). Answers extra start addresses."""
    customer = {"10000001": "100001", "20000001": "200001"}.get(user)
    if customer:
        status, overview = stack.get(f"/customers/{customer}/overview", _as(stack, user))
        assert status == 200, overview
        _post(stack, user, f"/customers/{customer}/faults", {
            "product": "heat",
            "premises_id": overview["premises"][0]["premises_id"],
            "description": "Zimne kaloryfery w całym mieszkaniu",
            "contact_phone": "+48600100200",
            "request_id": f"walk-fault-{customer}",
        })  # fmt: skip
    if user == "20000001":
        _post(stack, user, "/customers/200001/contracts/renew", {"contract_no": "C/2022/1202"})
        _post(stack, user, "/customers/200001/threads", {
            "subject": "Odczyty w budynku 202",
            "text": "Proszę o potwierdzenie terminu odczytu.",
            "request_id": "walk-thread-200001",
        })  # fmt: skip
    if user == "50000001":
        status, threads = stack.get("/customers/100001/threads", _as(stack, "10000001"))
        assert status == 200 and threads["threads"], threads
        return [f"#/messages/{threads['threads'][0]['thread_id']}?customer=100001"]
    return []


def public_screens(page: Any) -> set[str]:
    """The pages without a login (a signed-in role sees them too, with its navigation)."""
    return {
        r["path"]
        for r in page.evaluate(ROUTES)
        if not r["auth"] and not r["roles"] and r["path"] not in NOT_SCREENS
    }


def expected_screens(page: Any, role: str | None) -> set[str]:
    """Every page pattern the role may open (a signed-in role: its own and the signed-in
    pages for everyone; the public: the pages without a login)."""
    routes = page.evaluate(ROUTES)
    out = set()
    for r in routes:
        if r["path"] in NOT_SCREENS:
            continue
        if role is None:
            ok = not r["auth"] and not r["roles"]
        elif r["path"] == "#/home" and role in ("customer", "building_manager"):
            ok = False  # their dashboard is #/account (#/home leads there)
        else:
            ok = (r["roles"] and role in r["roles"]) or (r["auth"] and not r["roles"])
        if ok:
            out.add(r["path"])
    return out


def walk(
    page: Any,
    start: list[str],
    allowed: set[str],
    *,
    english: bool,
    phone: bool,
    axe: bool,
    limit: int = 60,
) -> Walk:
    """Open the start addresses, then every linked address of a pattern not yet opened (one
    per pattern, only the ``allowed`` patterns), checking each screen."""
    seen = Walk()
    failures = record_problems(page)
    queue = list(start)
    while queue and len(seen.visited) < limit:
        path = queue.pop(0)
        pattern = (
            page.evaluate("async h => (await import('/static/app.js')).routeOf(h)", path) or path
        )
        if pattern in seen.visited or pattern not in allowed:
            continue
        seen.visited[pattern] = path
        failures.clear()
        page.goto(page.url.split("#")[0] + path)
        page.wait_for_function(
            "h => document.getElementById('main').dataset.rendered === h", arg=path
        )
        page.wait_for_load_state("networkidle")
        title = page.title()
        what = list(failures)
        if "e-BOK" not in title or title.startswith("e-BOK"):
            what.append("title: " + title)
        main = page.locator("#main").inner_text()
        for marker in ("Nie znaleziono", "Page not found", "for another role", "innej roli"):
            if marker in main:
                what.append("shows: " + marker)
        if phone:
            what += page.evaluate(OVERFLOW)
        if english:
            what += ["Polish: " + x for x in page.evaluate(POLISH_LEAKS)]
        if axe:
            page.add_script_tag(path=str(AXE))
            what += page.evaluate(AXE_RUN)
        seen.note(path, what)
        for href in page.evaluate(LINKS):
            if href not in queue:
                queue.append(href)
    return seen
