/* Invoices: list (number, dates, amounts, status), detail, PDF download through a short-lived
   link, and the e-invoice consent switch (zgoda na e-fakturę). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, flash } from "./app.js";
import { h, fmt } from "./components.js";
/** @typedef {import("./api-types.js").InvoiceList} InvoiceList */
/** @typedef {import("./api-types.js").InvoiceSummary} InvoiceSummary */
/** @typedef {import("./api-types.js").Invoice} Invoice */
/** @typedef {import("./api-types.js").InvoiceLine} InvoiceLine */
/* The invoice's schema declares its meters only as objects (chalicelib/schemas/invoices.py), so
   this shape is the page's reading of them, not checked against the API. */
/** @typedef {{ serial: string, usage: Record<string, string>,
 *    opening: { read_on: string, values: Record<string, string> },
 *    closing: { read_on: string, kind: string, values: Record<string, string> } }} InvoiceMeter */
  const PAGE = 20; // invoices per page of the list ("Pokaż więcej" asks for the next)
  addMessages({
    "inv.nav": ["Faktury", "Invoices"],
    "inv.title": ["Faktury", "Invoices"],
    "inv.none": ["Nie masz jeszcze faktur.", "You have no invoices yet."],
    "inv.more": ["Pokaż więcej", "Show more"],
    "inv.number": ["Numer", "Number"],
    "inv.period": ["Okres", "Period"],
    "inv.issue_date": ["Data wystawienia", "Issue date"],
    "inv.due_date": ["Termin płatności", "Due date"],
    "inv.net": ["Netto", "Net"],
    "inv.vat": ["VAT", "VAT"],
    "inv.gross": ["Brutto", "Gross"],
    "inv.status": ["Status", "Status"],
    "inv.delivery": ["Doręczenie", "Delivery"],
    "inv.pdf": ["Pobierz PDF", "Download PDF"],
    "inv.pdf_ready": ["Link do pliku PDF (ważny {minutes} min)", "Link to the PDF (valid for {minutes} min)"],
    "inv.details": ["Szczegóły", "Details"],
    "inv.back": ["← Wszystkie faktury", "← All invoices"],
    "inv.estimated": ["szacunkowa", "estimated"],
    "inv.correction": ["korekta", "correction"],
    "inv.corrected_by": ["Skorygowana fakturą {numbers}", "Corrected by invoice {numbers}"],
    "inv.corrects": ["Faktura korygująca do faktury {id}", "Correcting invoice for {id}"],
    "inv.status.unpaid": ["nieopłacona", "unpaid"],
    "inv.status.partially_paid": ["częściowo opłacona", "partially paid"],
    "inv.status.paid": ["opłacona", "paid"],
    "inv.status.overdue": ["po terminie", "overdue"],
    "inv.channel.email": ["e-mail", "e-mail"],
    "inv.channel.paper": ["poczta", "post"],
    "inv.dlv.sent": ["wysłana", "sent"],
    "inv.dlv.sending": ["w wysyłce", "sending"],
    "inv.dlv.pending": ["ponowna wysyłka", "retrying"],
    "inv.dlv.paper_pending": ["do druku", "to be printed"],
    "inv.dlv.printed": ["wydrukowana", "printed"],
    "inv.dlv.not_sent": ["nie wysłano e-mailem (dostępna w e-BOK)", "not e-mailed (available in e-BOK)"],
    "inv.heading": ["Faktura VAT {number}", "VAT invoice {number}"],
    "inv.heading_correction": ["Faktura korygująca {number}", "Correcting invoice {number}"],
    "inv.reg.heat_gj": ["GJ", "GJ"],
    "inv.reg.water_m3": ["m³", "m³"],
    "inv.reg.total": ["kWh", "kWh"],
    "inv.reg.day": ["kWh (dzień)", "kWh (day)"],
    "inv.reg.night": ["kWh (noc)", "kWh (night)"],
    "inv.seller": ["Sprzedawca", "Seller"],
    "inv.buyer": ["Nabywca", "Buyer"],
    "inv.supply": ["Punkt poboru", "Supply point"],
    "inv.tariff": ["Grupa taryfowa", "Tariff group"],
    "inv.lines": ["Pozycje", "Lines"],
    "inv.item": ["Nazwa", "Item"],
    "inv.quantity": ["Ilość", "Quantity"],
    "inv.unit": ["J.m.", "Unit"],
    "inv.unit_price": ["Cena netto", "Net price"],
    "inv.net_value": ["Wartość netto", "Net value"],
    "inv.rate": ["Stawka", "Rate"],
    "inv.rates": ["Podsumowanie VAT", "VAT summary"],
    "inv.total": ["Razem", "Total"],
    "inv.to_pay": ["Do zapłaty", "Amount due"],
    "inv.in_words": ["Słownie", "In words"],
    "inv.account": ["Numer rachunku do wpłat", "Bank account for payment"],
    "inv.readings": ["Odczyty", "Readings"],
    "inv.meter": ["Licznik", "Meter"],
    "inv.opening": ["Odczyt poprzedni", "Previous reading"],
    "inv.closing": ["Odczyt bieżący", "Current reading"],
    "inv.usage": ["Zużycie", "Consumption"],
    "inv.read_actual": ["rzeczywisty", "actual"],
    "inv.read_estimate": ["szacunkowy", "estimated"],
    "inv.estimated_note": ["Zużycie ustalono szacunkowo — rozliczymy je po najbliższym odczycie. Możesz podać odczyt w zakładce Odczyty.",
      "Consumption was estimated — it will be settled after the next reading. You can submit a reading under Meter readings."],
    "consent.title": ["E-faktura", "E-invoice"],
    "consent.on": ["Otrzymujesz faktury e-mailem na adres {email}.", "You receive invoices by e-mail at {email}."],
    "consent.off": ["Otrzymujesz faktury papierowe pocztą.", "You receive paper invoices by post."],
    "consent.since": ["Zmieniono: {at}", "Changed: {at}"],
    "consent.label": ["Chcę otrzymywać faktury elektronicznie (e-mailem)", "I want to receive invoices electronically (by e-mail)"],
    "consent.saved_on": ["Zapisano zgodę na e-fakturę.", "E-invoice consent saved."],
    "consent.saved_off": ["Wycofano zgodę na e-fakturę: kolejne faktury wyślemy pocztą.", "E-invoice consent withdrawn: the next invoices will come by post."],
  });

  /** @type {Record<string, string>} */
  const STATUS_BADGE = { unpaid: "", partially_paid: "warn", paid: "ok", overdue: "err" };
  /** @type {Record<string, string>} */
  const REGISTER = { heat_gj: "inv.reg.heat_gj", water_m3: "inv.reg.water_m3", total: "inv.reg.total", day: "inv.reg.day", night: "inv.reg.night" };

  const table = UI.table;
  /** @param {string} value */
  function num(value) { return fmt.number(value, 6); }
  /** @param {string} value */
  function price(value) { return fmt.price(value); }  /* the precision it was published with */
  /** @param {InvoiceLine} ln */
  function lineName(ln) { return EBOK.lang === "en" ? ln.name_en || ln.name_pl : ln.name_pl; }

  /** @param {string} customerNo @param {string} invoiceId @param {HTMLElement} slot */
  async function pdfLink(customerNo, invoiceId, slot) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/invoices/${encodeURIComponent(invoiceId)}/pdf`);
    slot.innerHTML = "";
    const a = h("a", { href: data.url, class: "pdf-link", target: "_blank", rel: "noopener", download: data.filename || "" },
      t("inv.pdf_ready", { minutes: Math.round(data.expires_in / 60) }));
    slot.append(a);
    return a;
  }
  /** @param {string} customerNo @param {string} invoiceId */
  function pdfButton(customerNo, invoiceId) {
    const slot = h("span", { class: "pdf-slot" });
    const btn = h("button", { type: "button", class: "secondary pdf-button", "data-invoice": invoiceId, onclick: async () => {
      btn.disabled = true;
      try { const a = await pdfLink(customerNo, invoiceId, slot); a.focus(); }
      catch (/** @type {any} */ e) { flash(e.message, "error"); }
      finally { btn.disabled = false; }
    } }, t("inv.pdf"));
    return h("span", {}, btn, " ", slot);
  }

  /** @param {string} customerNo */
  async function consentCard(customerNo) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/einvoice-consent`);
    const state = h("p", { id: "consent-state" }, data.einvoice_consent ? t("consent.on", { email: data.email || "" }) : t("consent.off"));
    const since = h("p", { class: "muted" }, data.einvoice_consent_at ? t("consent.since", { at: fmt.datetime(data.einvoice_consent_at) }) : "");
    const box = h("input", { type: "checkbox", id: "einvoice-consent", checked: data.einvoice_consent, onchange: async (e) => {
      box.disabled = true;
      try {
        const res = (await api("PUT", `/customers/${encodeURIComponent(customerNo)}/einvoice-consent`, { einvoice_consent: e.target.checked })).data;
        state.textContent = res.einvoice_consent ? t("consent.on", { email: res.email || "" }) : t("consent.off");
        since.textContent = res.einvoice_consent_at ? t("consent.since", { at: fmt.datetime(res.einvoice_consent_at) }) : "";
        flash(t(res.einvoice_consent ? "consent.saved_on" : "consent.saved_off"), "ok");
      } catch (/** @type {any} */ err) { e.target.checked = !e.target.checked; flash(err.message, "error"); }
      finally { box.disabled = false; }
    } });
    return h("div", { class: "card consent" }, h("h2", {}, t("consent.title")), state,
      h("p", {}, h("label", { for: "einvoice-consent" }, box, " ", t("consent.label"))), since);
  }

  page({ id: "invoices", path: "#/invoices", nav: ["Faktury", "Invoices"], auth: true, roles: ["customer", "building_manager"], order: 20, async render(el) {
    el.append(h("h1", {}, t("inv.title")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) { el.append(h("p", {}, t("inv.none"))); return; }
    el.append(await consentCard(customerNo));
    const premises = await EBOK.premisesOf(customerNo);
    // A building manager's chosen premises: the API lists only its invoices.
    /** @param {string | null} cursor */
    const listUrl = (cursor) => `/customers/${encodeURIComponent(customerNo)}/invoices?limit=${PAGE}` + EBOK.premisesParam(premises) + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "");
    /** @type {InvoiceList} */
    const data = (await api("GET", listUrl(null))).data;
    const filter = EBOK.premisesFilter(premises);
    if (filter) el.append(filter);
    if (!data.invoices.length) { el.append(h("p", {}, t("inv.none"))); return; }
    const rowsOf = (/** @type {InvoiceSummary[]} */ invoices) => invoices.map((i) => ({ attrs: { "data-premises": i.premises_id || "" }, cells: [
        h("span", {}, h("a", { href: `#/invoices/${encodeURIComponent(i.invoice_id)}`, class: "invoice-number" }, i.number),
          i.kind === "correction" ? h("span", { class: "badge" }, " " + t("inv.correction")) : null,
          i.estimated ? h("span", { class: "badge warn" }, t("inv.estimated")) : null),
        ...(premises.many ? [h("span", { class: "premises" }, premises.label([i.premises_id]))] : []),
        fmt.date(i.period_from) + " – " + fmt.date(i.period_to),
        fmt.date(i.issue_date),
        fmt.date(i.due_date),
        fmt.money(i.gross),
        h("span", { class: "badge " + (STATUS_BADGE[i.status] || "") }, t("inv.status." + i.status)),
        t("inv.channel." + i.delivery.channel) + (i.delivery.status ? " · " + t("inv.dlv." + i.delivery.status) : ""),
        pdfButton(customerNo, i.invoice_id),
      ] }));
    const list = table(
      [{ label: t("inv.number"), key: true }, ...(premises.many ? [t("premises.label")] : []), t("inv.period"), t("inv.issue_date"),
        t("inv.due_date"), { label: t("inv.gross"), num: true }, t("inv.status"), t("inv.delivery"), ""],
      rowsOf(data.invoices), { id: "invoice-list" });
    el.append(list);
    showMore(el, list, data.next || null, async (cursor) => {
      /** @type {InvoiceList} */
      const next = (await api("GET", listUrl(cursor))).data;
      return { rows: rowsOf(next.invoices), next: next.next || null };
    });
  } });

  // "Pokaż więcej / Show more": the next page (its cursor) appended to the same table.
  /** @param {HTMLElement} el @param {import("./components.js").TableWrap} list @param {string | null} first
   * @param {(cursor: string | null) => Promise<{ rows: import("./components.js").Row[], next: string | null }>} load */
  function showMore(el, list, first, load) {
    if (!first) return;
    /** @type {string | null} */
    let cursor = first;
    const btn = h("button", { type: "button", class: "secondary", id: "invoice-more" }, t("inv.more"));
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      const page = await load(cursor);
      UI.appendRows(list, page.rows);
      cursor = page.next;
      if (cursor) btn.disabled = false; else btn.remove();
    });
    el.append(h("p", {}, btn));
  }

  page({ id: "invoice", path: "#/invoices/:id", nav: null, auth: true, roles: ["customer", "building_manager"], async render(el, params) {
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    el.append(h("p", {}, h("a", { href: "#/invoices" }, t("inv.back"))));
    /** @type {Invoice} */
    const d = (await api("GET", `/customers/${encodeURIComponent(customerNo)}/invoices/${encodeURIComponent(params.id)}`)).data;
    el.append(h("h1", {}, t(d.kind === "correction" ? "inv.heading_correction" : "inv.heading", { number: d.number })));
    if (d.corrects) el.append(h("p", {}, t("inv.corrects", { id: d.corrects }), d.correction_reason ? " — " + d.correction_reason : ""));
    if (d.corrected_by && d.corrected_by.length) el.append(h("p", { class: "warn" }, t("inv.corrected_by", { numbers: d.corrected_by.join(", ") })));
    el.append(h("div", { class: "cards" },
      h("div", { class: "card" }, h("h2", {}, t("inv.seller")), h("p", {}, d.seller.name), h("p", {}, d.seller.address), h("p", {}, "NIP: " + d.seller.nip)),
      h("div", { class: "card" }, h("h2", {}, t("inv.buyer")), h("p", {}, d.buyer.name), h("p", {}, d.buyer.address), d.buyer.nip ? h("p", {}, "NIP: " + d.buyer.nip) : null),
      h("div", { class: "card" },
        h("p", {}, h("strong", {}, t("inv.issue_date") + ": "), fmt.date(d.issue_date)),
        h("p", {}, h("strong", {}, t("inv.period") + ": "), fmt.date(d.period_from) + " – " + fmt.date(d.period_to)),
        h("p", {}, h("strong", {}, t("inv.due_date") + ": "), fmt.date(d.due_date)),
        h("p", {}, h("strong", {}, t("inv.status") + ": "), h("span", { class: "badge " + (STATUS_BADGE[d.status] || "") }, t("inv.status." + d.status))),
        h("p", {}, h("strong", {}, t("inv.supply") + ": "), d.supply_address),
        h("p", {}, h("strong", {}, t("inv.tariff") + ": "), d.tariff_group))));
    if (d.meters && d.meters.length) {
      const rows = [];
      for (const m of /** @type {InvoiceMeter[]} */ (d.meters)) for (const reg of Object.keys(m.usage)) rows.push([
        m.serial, REGISTER[reg] ? t(REGISTER[reg]) : reg,
        fmt.date(m.opening.read_on) + ": " + num(m.opening.values[reg]),
        fmt.date(m.closing.read_on) + ": " + num(m.closing.values[reg]) + " (" + t(m.closing.kind === "estimate" ? "inv.read_estimate" : "inv.read_actual") + ")",
        num(m.usage[reg])]);
      el.append(h("h2", {}, t("inv.readings")), table([t("inv.meter"), t("inv.unit"), t("inv.opening"), t("inv.closing"), t("inv.usage")], rows));
    }
    if (d.estimated) el.append(h("p", { class: "warn" }, t("inv.estimated_note")));
    el.append(h("h2", {}, t("inv.lines")), table(
      [t("inv.item"), t("inv.period"), t("inv.quantity"), t("inv.unit"), t("inv.unit_price"), t("inv.net_value"), t("inv.rate")],
      d.lines.map((ln) => [lineName(ln) + (ln.estimated ? " *" : ""), fmt.date(ln.period_from) + " – " + fmt.date(ln.period_to), num(ln.quantity), fmt.unit(ln.unit),
        price(ln.unit_price), fmt.money(ln.net), ln.vat_rate + "%"]), { id: "invoice-lines" }));
    el.append(h("h2", {}, t("inv.rates")), table([t("inv.rate"), t("inv.net"), t("inv.vat"), t("inv.gross")],
      d.rates.map((r) => [r.vat_rate + "%", fmt.money(r.net), fmt.money(r.vat), fmt.money(r.gross)])
        .concat([[h("strong", {}, t("inv.total")), fmt.money(d.net), fmt.money(d.vat), h("strong", {}, fmt.money(d.gross))]])));
    el.append(h("div", { class: "card" },
      h("p", { class: "big" }, h("strong", {}, t("inv.to_pay") + ": "), h("strong", { id: "amount-due" }, fmt.money(d.gross))),
      h("p", {}, t("inv.in_words") + ": ", h("span", { lang: "pl" }, d.amount_in_words)),
      h("p", {}, h("strong", {}, t("inv.account") + ": "), h("span", { id: "invoice-account" }, d.bank_account)),
      h("p", {}, pdfButton(customerNo, d.invoice_id))));
  } });
