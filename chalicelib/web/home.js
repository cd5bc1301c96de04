/* A home for every role (issue 16): after login each role lands on its own dashboard.
   Customers and building managers land on their account overview (#/account), which this
   module opens with a summary tile (balance, next due date, latest invoice; a building
   manager's premises at a glance). Staff land on #/home: an account manager's queue, an
   operator's open outages and fault tickets, an administrator's pending registrations and
   unexplained bank credits (suspense). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, auth } from "./app.js";
import { h, fmt } from "./components.js";
/** @typedef {import("./api-types.js").Overview} Overview */
/** @typedef {import("./api-types.js").Balance} Balance */
/** @typedef {import("./api-types.js").InvoiceList} InvoiceList */
  addMessages({
    "dash.title": ["Pulpit", "Dashboard"],
    "dash.hello": ["Dzień dobry, {name}", "Hello, {name}"],
    "dash.balance": ["Saldo", "Balance"],
    "dash.owed": ["Do zapłaty", "To pay"],
    "dash.overpaid": ["Nadpłata", "Overpayment"],
    "dash.settled": ["Rozliczone — nic do zapłaty", "Settled — nothing to pay"],
    "dash.arrears": ["w tym zaległość {amount}", "of which overdue {amount}"],
    "dash.next_due": ["Najbliższy termin płatności", "Next due date"],
    "dash.next_due_none": ["Brak otwartych należności", "Nothing due"],
    "dash.latest_invoice": ["Ostatnia faktura", "Latest invoice"],
    "dash.no_invoice": ["Brak faktur", "No invoices yet"],
    "dash.pay": ["Zapłać online", "Pay online"],
    "dash.all_invoices": ["Wszystkie faktury", "All invoices"],
    "dash.invoice_line": ["{number} z {date} · {amount}", "{number} of {date} · {amount}"],
    "dash.premises": ["Wszystkie obiekty", "All premises"],
    "dash.premises_lead": ["Obiekty wszystkich zarządzanych klientów: saldo klienta i wyłączenia w obiekcie.", "Premises of every customer you manage: the customer's balance and outages at the premises."],
    "dash.customer": ["Klient", "Customer"],
    "dash.label": ["Obiekt", "Premises"],
    "dash.address": ["Adres", "Address"],
    "dash.outages": ["Wyłączenia", "Outages"],
    "dash.no_outages": ["brak", "none"],
    "dash.queue": ["Kolejka spraw", "Work queue"],
    "dash.queue_count": ["Sprawy czekające: {n}", "Items waiting: {n}"],
    "dash.open_queue": ["Otwórz pulpit opiekuna", "Open the workspace"],
    "dash.alert_requests": ["Prośby o SMS Alert: {n}", "SMS Alert requests: {n}"],
    "dash.open_alerts": ["Rozpatrz prośby", "Review the requests"],
    "dash.open_outages": ["Otwarte wyłączenia: {n}", "Open outages: {n}"],
    "dash.outage_console": ["Konsola wyłączeń", "Outage console"],
    "dash.open_tickets": ["Otwarte zgłoszenia awarii: {n}", "Open fault reports: {n}"],
    "dash.fault_queue": ["Kolejka zgłoszeń", "Fault queue"],
    "dash.pending_regs": ["Rejestracje do sprawdzenia: {n}", "Registrations to review: {n}"],
    "dash.open_regs": ["Sprawdź rejestracje", "Review registrations"],
    "dash.suspense": ["Wpłaty niewyjaśnione: {n} na {amount}", "Unexplained credits: {n} worth {amount}"],
    "dash.open_suspense": ["Wyjaśnij wpłaty", "Resolve the credits"],
    "dash.unavailable": ["Nie udało się wczytać: {what}", "Could not load: {what}"],
    "dash.more": ["i {n} więcej", "and {n} more"],
  });

  const enc = encodeURIComponent;
  /* One tile; a failing source never breaks the dashboard (it says what is missing). */
  /** @param {string} title @param {string} cls @param {(body: HTMLElement) => Promise<void>} fill */
  async function tile(title, cls, fill) {
    const body = h("div", { class: "tile-body" });
    const card = h("section", { class: "card tile " + cls, "aria-label": title }, h("h2", {}, title), body);
    try { await fill(body); } catch (e) { body.append(h("p", { class: "muted" }, t("dash.unavailable", { what: title }))); }
    return card;
  }
  /** @param {string} value @param {string} label @param {string} [kind] */
  function stat(value, label, kind) { return h("p", { class: "stat" + (kind ? " " + kind : "") }, h("span", { class: "stat-value" }, value), h("span", { class: "stat-label" }, label)); }
  /** @param {any[]} items @param {(item: any) => string | Node} render @param {number} [limit] */
  function shortList(items, render, limit) {
    const shown = items.slice(0, limit || 5);
    return h("ul", { class: "tile-list" }, shown.map((x) => h("li", {}, render(x))),
      items.length > shown.length ? h("li", { class: "muted" }, t("dash.more", { n: items.length - shown.length })) : null);
  }

  /* --- customers: balance, next due date, latest invoice ----------------------------- */
  /** @param {HTMLElement} el @param {string} customerNo */
  async function customerSummary(el, customerNo) {
    const balance = tile(t("dash.balance"), "tile-balance", async (/** @type {any} */ body) => {
      /** @type {Balance} */
      const b = (await api("GET", `/customers/${enc(customerNo)}/balance`)).data;
      if (b.balance_grosze > 0) body.append(stat(fmt.money(b.balance_grosze), t("dash.owed"), b.arrears_grosze > 0 ? "err" : "warn"));
      else if (b.balance_grosze < 0) body.append(stat(fmt.money(-b.balance_grosze), t("dash.overpaid"), "ok"));
      else body.append(stat(fmt.money(0), t("dash.settled"), "ok"));
      if (b.arrears_grosze > 0) body.append(h("p", { class: "warn" }, t("dash.arrears", { amount: fmt.money(b.arrears_grosze) })));
      if (b.balance_grosze > 0) body.append(h("p", {}, h("a", { class: "button", href: "#/payments" }, t("dash.pay"))));
    });
    const due = tile(t("dash.next_due"), "tile-due", async (/** @type {any} */ body) => {
      /** @type {Balance} */
      const b = (await api("GET", `/customers/${enc(customerNo)}/balance`)).data;
      if (b.next_due_date) body.append(stat(fmt.date(b.next_due_date), fmt.money(b.next_due_grosze)));
      else body.append(h("p", {}, t("dash.next_due_none")));
    });
    const latest = tile(t("dash.latest_invoice"), "tile-invoice", async (/** @type {any} */ body) => {
      /** @type {InvoiceList} */
      const data = (await api("GET", `/customers/${enc(customerNo)}/invoices`)).data;
      const invoices = (data.invoices || []).slice().sort((a, b) => (a.issue_date < b.issue_date ? 1 : a.issue_date > b.issue_date ? -1 : 0));
      const inv = invoices[0];
      if (!inv) { body.append(h("p", {}, t("dash.no_invoice"))); return; }
      body.append(h("p", {}, h("a", { href: "#/invoices/" + enc(inv.invoice_id) }, t("dash.invoice_line", { number: inv.number, date: fmt.date(inv.issue_date), amount: fmt.money(inv.gross) }))),
        h("p", {}, h("a", { href: "#/invoices" }, t("dash.all_invoices"))));
    });
    el.append(h("div", { class: "cards dashboard" }, ...(await Promise.all([balance, due, latest]))));
  }

  /* --- building managers: every premises of every managed customer ------------------- */
  /** @param {HTMLElement} el @param {import("./api-types.js").Me} who */
  async function premisesAtAGlance(el, who) {
    /** @type {Array<{ no: string, name: string, p: import("./api-types.js").OverviewPremises, balance: Balance | null, here: import("./api-types.js").CustomerOutage[] }>} */
    const rows = [];
    await Promise.all(who.customers.map(async (no) => {
      const [overview, balance, outages] = await Promise.all([
        api("GET", `/customers/${enc(no)}/overview`).then((r) => /** @type {Overview} */ (r.data)),
        api("GET", `/customers/${enc(no)}/balance`).then((r) => /** @type {Balance | null} */ (r.data)).catch(() => null),
        api("GET", `/customers/${enc(no)}/outages`).then((r) => /** @type {import("./api-types.js").CustomerOutages} */ (r.data).outages).catch(() => []),
      ]);
      for (const p of overview.premises) {
        const here = outages.filter((o) => o.premises_ids.includes(p.premises_id));
        rows.push({ no, name: overview.customer.name, p, balance, here });
      }
    }));
    rows.sort((a, b) => (a.no + a.p.premises_id).localeCompare(b.no + b.p.premises_id));
    /** @param {import("./api-types.js").OverviewPremises["address"]} x */
    const a = (x) => `${x.street} ${x.building}${x.apartment ? "/" + x.apartment : ""}, ${x.city}`;
    el.append(h("section", { class: "premises-glance", "aria-labelledby": "glance-h" },
      h("h2", { id: "glance-h" }, t("dash.premises")), h("p", { class: "muted" }, t("dash.premises_lead")),
      UI.table([{ label: t("dash.label"), key: true }, t("dash.address"), t("dash.customer"), { label: t("dash.balance"), num: true }, t("dash.outages")], rows.map((r) => [
        r.p.label, a(r.p.address), r.no + " · " + r.name,
        r.balance ? fmt.money(r.balance.balance_grosze) : "—",
        r.here.length ? h("span", {}, r.here.map((o) => UI.badge(t("outages.kind." + o.kind) + " · " + fmt.datetime(o.starts_at), o.kind === "failure" ? "err" : "warn"))) : t("dash.no_outages"),
      ]))));
  }

  EBOK.overviewExtras.unshift(async function (el, overview, customerNo) {
    const who = await auth.me();
    await customerSummary(el, customerNo);
    if (who && who.role === "building_manager") await premisesAtAGlance(el, who);
  });

  /* --- staff dashboards --------------------------------------------------------------- */
  /** @param {HTMLElement} el */
  async function accountManager(el) {
    el.append(h("div", { class: "cards dashboard" },
      await tile(t("dash.queue"), "tile-queue", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/workspace/queue");
        body.append(stat(String(data.items.length), t("dash.queue_count", { n: data.items.length })),
          shortList(data.items, (/** @type {any} */ i) => `${i.customer_no} · ${i.title}${i.due_date ? " · " + fmt.date(i.due_date) : ""}`),
          h("p", {}, h("a", { class: "button", href: "#/workspace" }, t("dash.open_queue"))));
      }),
      await tile(t("alerts.manager_title"), "tile-alerts", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/manager/alerts");
        body.append(stat(String(data.alerts.length), t("dash.alert_requests", { n: data.alerts.length })),
          h("p", {}, h("a", { href: "#/manager/alerts" }, t("dash.open_alerts"))));
      })));
  }
  /** @param {HTMLElement} el */
  async function operator(el) {
    el.append(h("div", { class: "cards dashboard" },
      await tile(t("outages.open"), "tile-outages", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/outages");
        const open = data.features.filter((/** @type {any} */ f) => f.properties.status === "open");
        body.append(stat(String(open.length), t("dash.open_outages", { n: open.length })),
          shortList(open, (/** @type {any} */ f) => `${t("outages.kind." + f.properties.kind)} · ${f.properties.city} · ${f.properties.streets.map((/** @type {any} */ s) => s.name).join(", ")} · ${fmt.datetime(f.properties.starts_at)}`),
          h("p", {}, h("a", { class: "button", href: "#/operator/outages" }, t("dash.outage_console"))));
      }),
      await tile(t("faults.queue"), "tile-faults", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/faults");
        const open = data.tickets.filter((/** @type {any} */ k) => k.status !== "resolved");
        body.append(stat(String(open.length), t("dash.open_tickets", { n: open.length })),
          shortList(open, (/** @type {any} */ k) => `${k.ticket_no} · ${k.city || ""} · ${t("faults.status." + k.status)}`),
          h("p", {}, h("a", { class: "button", href: "#/operator/faults" }, t("dash.fault_queue"))));
      })));
  }
  /** @param {HTMLElement} el */
  async function admin(el) {
    el.append(h("div", { class: "cards dashboard" },
      await tile(t("dash.open_regs"), "tile-registrations", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/admin/registrations?status=pending");
        body.append(stat(String(data.registrations.length), t("dash.pending_regs", { n: data.registrations.length })),
          shortList(data.registrations, (/** @type {any} */ r) => h("a", { href: "#/admin/registrations/" + enc(r.registration_id) }, `${r.name} · ${r.submitted_at ? fmt.date(r.submitted_at) : ""}`)),
          h("p", {}, h("a", { class: "button", href: "#/admin/registrations" }, t("dash.open_regs"))));
      }),
      await tile(t("dash.open_suspense"), "tile-suspense", async (/** @type {any} */ body) => {
        const { data } = await api("GET", "/admin/suspense");
        const open = data.entries.filter((/** @type {any} */ e) => e.status === "suspense");
        const total = open.reduce((/** @type {any} */ s, /** @type {any} */ e) => s + e.amount_grosze, 0);
        body.append(stat(String(open.length), t("dash.suspense", { n: open.length, amount: fmt.money(total) })),
          h("p", {}, h("a", { class: "button", href: "#/admin/suspense" }, t("dash.open_suspense"))));
      })));
  }

  page({ id: "dashboard", path: "#/home", nav: ["Pulpit", "Dashboard"], auth: true, order: 1, async render(el) {
    const who = await auth.me();
    if (!who) return;
    if (who.role === "customer" || who.role === "building_manager") { EBOK.go("#/account"); return; }
    el.append(h("h1", {}, t("dash.title") + " · " + t("role." + who.role)), h("p", { class: "lead" }, t("dash.hello", { name: who.username })));
    if (who.role === "account_manager") await accountManager(el);
    else if (who.role === "operator") await operator(el);
    else if (who.role === "admin") await admin(el);
  } });
