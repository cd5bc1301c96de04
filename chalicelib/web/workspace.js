/* The account manager's workspace: one queue of applications and messages by due date, the
   manager's customers (search by number, name, NIP or address), a customer view, and the
   decisions on an application. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt, field } from "./components.js";
import { applicationView } from "./applications.js";
  addMessages({
    "ws.title": ["Pulpit opiekuna", "Account manager's workspace"],
    "ws.queue": ["Do załatwienia (wg terminu)", "To do (by due date)"],
    "ws.queue_none": ["Nic nie czeka.", "Nothing is waiting."],
    "ws.customers": ["Moi klienci", "My customers"],
    "ws.search": ["Szukaj: numer, nazwa, NIP, adres", "Search: number, name, NIP, address"],
    "ws.find": ["Szukaj", "Search"],
    "ws.kind.app": ["wniosek", "application"],
    "ws.kind.thread": ["wiadomość", "message"],
    "ws.due": ["Termin", "Due"],
    "ws.customer": ["Klient {no}", "Customer {no}"],
    "ws.contracts": ["Umowy", "Contracts"],
    "ws.balance": ["Saldo", "Balance"],
    "ws.invoices": ["Faktury", "Invoices"],
    "ws.applications": ["Wnioski", "Applications"],
    "ws.faults": ["Zgłoszenia awarii", "Fault reports"],
    "ws.threads": ["Wiadomości", "Messages"],
    "ws.new_thread": ["Napisz do klienta", "Write to the customer"],
    "ws.none": ["Brak.", "None."],
    "ws.review": ["Rozpatruję", "Start review"],
    "ws.ask": ["Poproś o uzupełnienie", "Ask for information"],
    "ws.approve": ["Zatwierdź", "Approve"],
    "ws.reject": ["Odrzuć", "Reject"],
    "ws.note": ["Wiadomość do klienta (wymagana przy prośbie o uzupełnienie i odrzuceniu)", "Note to the customer (needed to ask or reject)"],
    "ws.decided": ["Zapisano decyzję.", "Decision saved."],
  });
  const enc = encodeURIComponent;
  const lang = () => EBOK.lang;
  /** @param {any[]} headers @param {any[]} rows */
  const table = (headers, rows) => UI.table(headers, rows);

  /** @param {Json} q */
  function queueLink(q) {
    return q.kind === "app" ? "#/workspace/applications/" + enc(q.ref) : "#/messages/" + enc(q.ref) + "?customer=" + enc(q.customer_no);
  }

  page({ id: "workspace", path: "#/workspace", nav: ["Pulpit opiekuna", "Workspace"], roles: ["account_manager"], order: 12, async render(el, params, query) {
    el.append(h("h1", {}, t("ws.title")));
    // one after the other: the first request of a cold local server imports the area's
    // service lazily, and two threads doing that at once see a half-made module
    const { data: queue } = await api("GET", "/workspace/queue");
    const { data: mine } = await api("GET", "/workspace/customers" + (query.q ? "?q=" + enc(query.q) : ""));
    el.append(h("h2", {}, t("ws.queue")), queue.items.length ? table([t("ws.due"), "", t("ws.customer", { no: "" }), ""],
      queue.items.map((/** @type {any} */ q) => [fmt.date(q.due_date), t("ws.kind." + q.kind), q.customer_no, h("a", { href: queueLink(q), class: "queue-item" }, q.title)])) : h("p", {}, t("ws.queue_none")));
    const search = h("form", { role: "search", onsubmit: (e) => { e.preventDefault(); EBOK.go("#/workspace?q=" + enc(search.querySelector("input").value.trim())); } },
      field("q", t("ws.search"), { value: query.q || "", type: "search" }), h("button", { type: "submit", class: "button" }, t("ws.find")));
    el.append(h("h2", {}, t("ws.customers")), search, table(["", "", "NIP", ""], mine.customers.map((/** @type {any} */ c) =>
      [h("a", { href: "#/workspace/customers/" + enc(c.customer_no) }, c.customer_no), c.name, c.nip || "—", c.address])));
  } });

  page({ id: "ws-customer", path: "#/workspace/customers/:no", nav: null, roles: ["account_manager"], async render(el, params) {
    const { data: v } = await api("GET", "/workspace/customers/" + enc(params.no));
    el.append(h("h1", {}, t("ws.customer", { no: v.customer.customer_no }), " — ", v.customer.name), h("p", {}, v.customer.address, " · ", v.customer.email, v.customer.phone ? " · " + v.customer.phone : ""));
    el.append(h("h2", {}, t("ws.balance")), h("p", {}, fmt.money(v.balance.balance_grosze)));
    el.append(h("h2", {}, t("ws.contracts")), table(["", "", "", ""], v.contracts.map((/** @type {any} */ c) => [c.contract_no, t("product." + c.product), c.tariff_group, c.end_date ? fmt.date(c.end_date) : "—"])));
    el.append(h("h2", {}, t("ws.applications")), v.applications.length ? table(["", "", ""], v.applications.map((/** @type {any} */ a) =>
      [h("a", { href: "#/workspace/applications/" + enc(a.application_id) }, lang() === "en" ? a.name_en : a.name_pl), t("apps.status." + a.status), fmt.date(a.due_date)])) : h("p", {}, t("ws.none")));
    el.append(h("h2", {}, t("ws.invoices")), v.invoices.length ? table(["", "", ""], v.invoices.map((/** @type {any} */ i) => [i.number || i.invoice_id, fmt.date(i.issue_date), fmt.money(i.gross_grosze !== undefined ? i.gross_grosze : i.gross)])) : h("p", {}, t("ws.none")));
    el.append(h("h2", {}, t("ws.faults")), v.faults.length ? table(["", ""], v.faults.map((/** @type {any} */ f) => [f.ticket_no, f.status])) : h("p", {}, t("ws.none")));
    el.append(h("h2", {}, t("ws.threads")), v.threads.length ? h("ul", {}, v.threads.map((/** @type {any} */ x) => h("li", {},
      h("a", { href: "#/messages/" + enc(x.thread_id) + "?customer=" + enc(v.customer.customer_no) }, x.subject), x.unread ? " · " + x.unread : ""))) : h("p", {}, t("ws.none")));
    const form = h("form", { id: "ws-thread", onsubmit: async (e) => {
      e.preventDefault();
      const d = UI.formData(form);
      try { const { data } = await api("POST", `/customers/${enc(params.no)}/threads`, { subject: d.subject || "", text: d.text || "" });
        EBOK.go("#/messages/" + enc(data.thread_id) + "?customer=" + enc(params.no)); }
      catch (err) { UI.showErrors(form, err); }
    } }, h("h3", {}, t("ws.new_thread")), field("subject", t("inbox.subject")), field("text", t("inbox.text"), { tag: "textarea" }), h("button", { type: "submit", class: "button" }, t("inbox.send")));
    el.append(form);
  } });

  page({ id: "ws-application", path: "#/workspace/applications/:id", nav: null, roles: ["account_manager"], async render(el, params) {
    const { data: a } = await api("GET", "/applications/" + enc(params.id));
    applicationView(el, a);
    if (!["submitted", "in_review", "needs_info", "approved"].includes(a.status)) return;
    const note = field("note", t("ws.note"), { tag: "textarea", maxlength: 4000 });
    const form = h("form", { id: "decision-form", novalidate: true, onsubmit: (e) => e.preventDefault() }, note);
    /** @param {string} action */
    const act = (/** @type {string} */ action) => async () => {
      try {
        await api("POST", `/applications/${enc(params.id)}/decision`, { action, note: form.querySelector("textarea").value.trim() });
        await EBOK.render(); EBOK.flash(t("ws.decided"), "ok");
      } catch (err) { UI.showErrors(form, err); }
    };
    const buttons = [["review", a.status === "submitted"], ["ask", ["submitted", "in_review"].includes(a.status)],
      ["approve", ["submitted", "in_review", "approved"].includes(a.status)], ["reject", a.status !== "approved"]];
    form.append(h("p", { class: "actions" }, buttons.filter(([, ok]) => ok).map(([name]) => /** @type {string} */ (name)).map((name) =>
      h("button", { type: "button", class: "button", id: "decide-" + name, onclick: act(name) }, t("ws." + name)))));
    el.append(form);
  } });
