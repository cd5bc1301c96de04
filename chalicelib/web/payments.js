/* Payments: balance card on the overview, the payments page (open invoices, pay now through
   the payment operator, the individual account number with a copy button, history). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, flash } from "./app.js";
import { h, fmt } from "./components.js";
/** @typedef {import("./api-types.js").Overview} Overview */
/** @typedef {import("./api-types.js").Balance} Balance */
/** @typedef {import("./api-types.js").Ledger} Ledger */
/** @typedef {import("./api-types.js").LedgerEntry} LedgerEntry */
/** @typedef {import("./api-types.js").Payment} Payment */
  addMessages({
    "pay.nav": ["Płatności", "Payments"],
    "pay.title": ["Płatności i saldo", "Payments and balance"],
    "pay.balance": ["Saldo", "Balance"],
    "pay.to_pay": ["Do zapłaty", "To pay"],
    "pay.overpayment": ["Nadpłata", "Overpayment"],
    "pay.arrears": ["Zaległość", "Arrears"],
    "pay.next_due": ["Najbliższy termin płatności", "Next due date"],
    "pay.none_due": ["brak", "none"],
    "pay.settled": ["Wszystko opłacone — dziękujemy!", "Everything is paid — thank you!"],
    "pay.account": ["Twój indywidualny numer rachunku", "Your individual bank account number"],
    "pay.account_hint": ["Wpłaty na ten rachunek księgujemy automatycznie na Twoim koncie.", "Transfers to this account are booked on your account automatically."],
    "pay.copy": ["Kopiuj", "Copy"],
    "pay.copied": ["Skopiowano numer rachunku.", "Account number copied."],
    "pay.open": ["Faktury do zapłaty", "Invoices to pay"],
    "pay.no_open": ["Nie masz faktur do zapłaty.", "You have no invoices to pay."],
    "pay.invoice": ["Faktura", "Invoice"],
    "pay.due_date": ["Termin", "Due date"],
    "pay.gross": ["Kwota", "Amount"],
    "pay.outstanding": ["Pozostało", "Outstanding"],
    "pay.status": ["Status", "Status"],
    "status.unpaid": ["nieopłacona", "unpaid"],
    "status.partially_paid": ["częściowo opłacona", "partially paid"],
    "status.paid": ["opłacona", "paid"],
    "status.overdue": ["po terminie", "overdue"],
    "pay.pay_selected": ["Zapłać teraz", "Pay now"],
    "pay.selected_sum": ["Wybrano: {amount}", "Selected: {amount}"],
    "pay.other_amount": ["Albo wpłać dowolną kwotę (zł)", "Or pay any amount (PLN)"],
    "pay.pay_amount": ["Wpłać kwotę", "Pay amount"],
    "pay.bad_amount": ["Podaj kwotę, np. 120,50.", "Enter an amount, e.g. 120.50."],
    "pay.choose": ["Zaznacz faktury do zapłaty.", "Select the invoices to pay."],
    "pay.redirect": ["Przekierowanie do operatora płatności…", "Redirecting to the payment operator…"],
    "pay.history": ["Historia rozliczeń", "Account history"],
    "pay.no_history": ["Brak operacji.", "No operations yet."],
    "pay.date": ["Data", "Date"],
    "pay.operation": ["Operacja", "Operation"],
    "pay.amount": ["Kwota", "Amount"],
    "pay.after": ["Saldo po operacji", "Balance after"],
    "pay.more": ["Pokaż więcej", "Show more"],
    "kind.invoice": ["Faktura", "Invoice"],
    "kind.payment": ["Płatność online", "Online payment"],
    "kind.transfer": ["Przelew", "Bank transfer"],
    "kind.correction": ["Korekta", "Correction"],
    "kind.refund": ["Zwrot nadpłaty", "Overpayment refund"],
    "pay.result.paid": ["Płatność została zaksięgowana. Dziękujemy!", "Your payment has been booked. Thank you!"],
    "pay.result.failed": ["Płatność nie została zrealizowana. Możesz spróbować ponownie.", "The payment did not go through. You can try again."],
    "pay.result.pending": ["Czekamy na potwierdzenie płatności od operatora…", "Waiting for the operator to confirm the payment…"],
    "pay.go": ["Przejdź do płatności", "Go to payments"],
  });

  /** @type {Record<string, string>} */
  const STATUS_BADGE = { unpaid: "", partially_paid: "warn", paid: "ok", overdue: "err" };

  /** @param {string} text */
  function grosze(text) {
    const clean = String(text || "").replace(/\s/g, "").replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
    const [zl, gr] = clean.split(".");
    return parseInt(zl, 10) * 100 + parseInt((gr || "0").padEnd(2, "0"), 10);
  }

  /** @param {string} text */
  function copyButton(text) {
    return h("button", { type: "button", class: "secondary", id: "copy-account", onclick: async () => {
      try { await navigator.clipboard.writeText(text); }
      catch (e) {
        const tmp = h("textarea", {}, text); document.body.append(tmp); tmp.select();
        try { document.execCommand("copy"); } finally { tmp.remove(); }
      }
      flash(t("pay.copied"), "ok");
    } }, t("pay.copy"));
  }

  /** @param {Balance["virtual_account"]} va */
  function accountCard(va) {
    if (!va) return null;
    return h("div", { class: "card virtual-account" }, h("h2", {}, t("pay.account")),
      h("p", {}, h("strong", { id: "virtual-account", class: "virtual-account", "data-iban": va.iban }, va.formatted), " ", copyButton(va.nrb)),
      h("p", { class: "muted" }, t("pay.account_hint")));
  }

  /** @param {Balance | NonNullable<Overview["balance"]>} b @param {boolean} withLink */
  function balanceCard(b, withLink) {
    const owes = b.balance_grosze > 0;
    return h("div", { class: "card balance" }, h("h2", {}, t("pay.balance")),
      h("p", {}, h("strong", {}, (owes ? t("pay.to_pay") : t("pay.balance")) + ": "),
        h("span", { id: "balance-amount", "data-grosze": b.balance_grosze }, fmt.money(Math.max(b.balance_grosze, 0)))),
      b.overpayment_grosze > 0 ? h("p", {}, h("strong", {}, t("pay.overpayment") + ": "), h("span", { id: "overpayment-amount" }, fmt.money(b.overpayment_grosze))) : null,
      b.arrears_grosze > 0 ? h("p", { class: "warn" }, h("strong", {}, t("pay.arrears") + ": "), h("span", { id: "arrears-amount" }, fmt.money(b.arrears_grosze))) : null,
      h("p", {}, h("strong", {}, t("pay.next_due") + ": "), b.next_due_date ? fmt.date(b.next_due_date) + " (" + fmt.money(b.next_due_grosze) + ")" : t("pay.none_due")),
      !owes && b.overpayment_grosze === 0 ? h("p", { class: "muted" }, t("pay.settled")) : null,
      withLink && owes ? h("p", {}, h("a", { class: "button", href: "#/payments" }, t("pay.go"))) : null);
  }

  /* The overview (account.js) calls every function in EBOK.overviewExtras. */
  EBOK.overviewExtras.push(function (el, data) {
    if (!data.balance) return;
    el.append(h("div", { class: "cards" }, balanceCard(data.balance, true), accountCard(data.balance.virtual_account)));
  });

  /** @param {string} customerNo @param {any} body @param {HTMLFormElement} form */
  async function startPayment(customerNo, body, form) {
    try {
      const { data } = await api("POST", `/customers/${encodeURIComponent(customerNo)}/payments`, body);
      flash(t("pay.redirect"), "info");
      location.assign(data.redirect_url);
    } catch (e) { UI.showErrors(form, e); }
  }

  /** @param {HTMLElement} el @param {string} customerNo @param {string} paymentId */
  async function showResult(el, customerNo, paymentId) {
    const box = h("div", { class: "flash info", role: "status", id: "payment-result" }, t("pay.result.pending"));
    el.prepend(box);
    for (let i = 0; i < 10; i++) {
      let p;
      try { p = /** @type {Payment} */ ((await api("GET", `/customers/${encodeURIComponent(customerNo)}/payments/${encodeURIComponent(paymentId)}`)).data); }
      catch (e) { box.remove(); return; }
      if (p.status !== "pending") {
        box.className = "flash " + (p.status === "paid" ? "ok" : "error");
        box.dataset.status = p.status;
        box.textContent = t("pay.result." + p.status);
        return p.status;
      }
      await new Promise((r) => setTimeout(r, 700));
    }
    return "pending";
  }

  // Ticked invoices (only the chosen premises' are listed).
  /** @param {HTMLFormElement} form */
  function chosenInvoices(form) { return [.../** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[name=invoice]:checked"))]; }

  // One row of the account history; `where` names the premises of its invoices (the API's).
  /** @param {LedgerEntry} e @param {(ids: string[]) => { attrs: Json, cell: Node[] }} where */
  function historyRow(e, where) {
    const premises = where(e.premises_ids || []);
    return { attrs: premises.attrs, cells: [
      fmt.date(e.value_date),
      t("kind." + e.kind) + (e.invoice_no ? " " + e.invoice_no : "") + (e.title && e.kind !== "invoice" ? " — " + e.title : ""),
      ...premises.cell,
      fmt.money(e.amount_grosze),
      e.balance_after_grosze === null || e.balance_after_grosze === undefined ? "—" : fmt.money(e.balance_after_grosze)] };
  }

  /** @param {HTMLElement} el @param {any} params @param {any} query */
  async function render(el, params, query) {
    const customerNo = await EBOK.currentCustomer();
    el.append(h("h1", {}, t("pay.title")));
    if (!customerNo) { el.append(h("p", {}, t("account.none"))); return; }
    const base = `/customers/${encodeURIComponent(customerNo)}`;
    const premises = await EBOK.premisesOf(customerNo);
    // A building manager's chosen premises: the API lists only the entries of its invoices.
    /** @param {string | null} cursor */
    const ledgerUrl = (cursor) => base + "/ledger?limit=20" + EBOK.premisesParam(premises) + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    const [{ data: balance }, { data: ledger }] = await Promise.all([api("GET", base + "/balance"), api("GET", ledgerUrl(null))]);
    /** @type {Balance} */
    const bal = balance;
    /** @type {Ledger} */
    const hist = ledger;
    const chosen = EBOK.chosenPremises(premises);
    const openItems = bal.open_items.filter((i) => !chosen || i.premises_id === chosen);
    // Which premises each row is for: the premises of its invoices, as the API names them.
    /** @param {string[]} ids */
    const where = (ids) => ({ attrs: { "data-premises": ids.join(" ") }, cell: premises.many ? [h("span", { class: "premises" }, premises.label(ids))] : [] });
    const premisesHead = premises.many ? [t("premises.label")] : [];
    const filter = EBOK.premisesFilter(premises);
    el.append(h("div", { class: "cards" }, balanceCard(bal, false), accountCard(bal.virtual_account)));

    if (filter) el.append(filter);
    el.append(h("h2", {}, t("pay.open")));
    const form = h("form", { id: "pay-form", class: "wide-form" });
    const sum = h("p", { id: "selected-sum", class: "muted" });
    const update = () => {
      const total = chosenInvoices(form).reduce((a, c) => a + Number(c.dataset.outstanding), 0);
      sum.textContent = t("pay.selected_sum", { amount: fmt.money(total) });
    };
    if (!openItems.length) form.append(h("p", {}, t("pay.no_open")));
    else {
      form.append(UI.table(
        ["", t("pay.invoice"), t("pay.due_date"), ...premisesHead, { label: t("pay.gross"), num: true }, { label: t("pay.outstanding"), num: true }, t("pay.status")],
        openItems.map((i) => ({ attrs: where(i.premises_id ? [i.premises_id] : []).attrs, cells: [
          h("input", { type: "checkbox", name: "invoice", value: i.invoice_no, checked: true, "data-outstanding": i.outstanding_grosze,
            "aria-label": t("pay.invoice") + " " + i.invoice_no, onchange: update }),
          i.invoice_no, fmt.date(i.due_date), ...where(i.premises_id ? [i.premises_id] : []).cell,
          fmt.money(i.gross_grosze), fmt.money(i.outstanding_grosze),
          h("span", { class: "badge " + (STATUS_BADGE[i.status] || "") }, t("status." + i.status))] })), { id: "open-items" }));
      form.append(sum, h("button", { type: "submit", id: "pay-now" }, t("pay.pay_selected")));
      update();
    }
    form.addEventListener("submit", (/** @type {any} */ ev) => {
      ev.preventDefault();
      const chosen = chosenInvoices(form).map((c) => c.value);
      if (!chosen.length) { UI.showErrors(form, new EBOK.ApiError(400, { detail: t("pay.choose") })); return; }
      startPayment(customerNo, { invoice_nos: chosen }, form);
    });
    el.append(form);

    const amountForm = h("form", { id: "amount-form" },
      UI.field("amount_grosze", t("pay.other_amount"), { inputmode: "decimal", autocomplete: "off", placeholder: "0,00" }),
      h("button", { type: "submit", class: "secondary" }, t("pay.pay_amount")));
    amountForm.addEventListener("submit", (/** @type {any} */ ev) => {
      ev.preventDefault();
      const value = grosze(UI.formData(amountForm).amount_grosze);
      if (value === null || value < 100) {
        UI.showErrors(amountForm, new EBOK.ApiError(400, { detail: t("pay.bad_amount"), errors: [{ field: "amount_grosze", message: t("pay.bad_amount") }] }));
        return;
      }
      startPayment(customerNo, { amount_grosze: value }, amountForm);
    });
    el.append(amountForm);

    el.append(h("h2", {}, t("pay.history")));
    const list = UI.table(
      [t("pay.date"), t("pay.operation"), ...premisesHead, { label: t("pay.amount"), num: true }, { label: t("pay.after"), num: true }],
      hist.entries.map((e) => historyRow(e, where)), { id: "history" });
    if (!hist.entries.length) el.append(h("p", {}, t("pay.no_history")));
    else el.append(list);
    // "Pokaż więcej / Show more": the ledger's next page (the answer's `next` cursor) appended.
    let histCursor = hist.next;
    if (histCursor) {
      const more = h("button", { type: "button", class: "secondary", id: "history-more" }, t("pay.more"));
      more.addEventListener("click", async () => {
        more.disabled = true;
        /** @type {Ledger} */
        const next = (await api("GET", ledgerUrl(histCursor || null))).data;
        UI.appendRows(list, next.entries.map((e) => historyRow(e, where)));
        histCursor = next.next;
        if (histCursor) more.disabled = false; else more.remove();
      });
      el.append(h("p", {}, more));
    }

    update();
    if (query && query.payment) {
      const status = await showResult(el, customerNo, query.payment);
      if (status === "paid" || status === "failed") {
        /** @type {Balance} */
        const fresh = (await api("GET", base + "/balance")).data;
        const amount = /** @type {HTMLElement | null} */ (el.querySelector("#balance-amount"));
        if (amount) { amount.textContent = fmt.money(Math.max(fresh.balance_grosze, 0)); amount.dataset.grosze = String(fresh.balance_grosze); }
      }
    }
  }

  page({ id: "payments", path: "#/payments", nav: ["Płatności", "Payments"], auth: true, roles: ["customer", "building_manager"], order: 20, render });
