/* Contracts (Umowy): the list and one contract with its exact terms, documents, history and
   the "renew" action (files a renewal application). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "contracts.title": ["Umowy", "Contracts"],
    "contracts.none": ["Brak umów.", "No contracts."],
    "contracts.open": ["Szczegóły", "Details"],
    "contracts.contract": ["Umowa {no}", "Contract {no}"],
    "contracts.parties": ["Strony umowy", "Parties"],
    "contracts.terms": ["Warunki umowy", "Terms of the contract"],
    "contracts.term": ["Warunek", "Term"],
    "contracts.value": ["Ustalenie", "Agreed"],
    "contracts.seller": ["Sprzedawca", "Seller"],
    "contracts.buyer": ["Klient", "Customer"],
    "contracts.premises": ["Obiekt", "Premises"],
    "contracts.ppe": ["Kod PPE (punkt poboru energii)", "Meter point code (PPE)"],
    "contracts.product": ["Produkt", "Product"],
    "contracts.tariff": ["Grupa taryfowa", "Tariff group"],
    "contracts.capacity": ["Moc zamówiona [MW]", "Ordered capacity [MW]"],
    "contracts.period": ["Okres obowiązywania", "Term"],
    "contracts.open_ended": ["bezterminowo", "open-ended"],
    "contracts.notice": ["Okres wypowiedzenia", "Notice period"],
    "contracts.notice_months": ["{n} mies. (najwcześniej do {date})", "{n} months ({date} at the earliest)"],
    "contracts.price_list": ["Cennik i taryfa", "Price list and tariff"],
    "contracts.documents": ["Dokumenty umowy", "Contract documents"],
    "contracts.history": ["Historia zmian", "History of changes"],
    "contracts.upcoming": ["Zmiany od {date}: {what}", "Changes from {date}: {what}"],
    "contracts.expires": ["Umowa wygasa za {days} dni.", "The contract ends in {days} days."],
    "contracts.renew": ["Przedłuż umowę", "Renew the contract"],
    "contracts.renewed": ["Złożono wniosek o przedłużenie umowy.", "A renewal application has been filed."],
    "contracts.applications": ["Złóż wniosek dotyczący umowy", "File an application about the contract"],
  });
  const enc = encodeURIComponent;
  /** @param {string} no */
  const link = (no) => "#/contract?contract=" + enc(no);
  /** @param {string} label @param {string} value */
  function row(label, value) { return [label, value]; }

  page({ id: "contracts", path: "#/contracts", nav: ["Umowy", "Contracts"], roles: ["customer", "building_manager"], order: 22, async render(el) {
    el.append(h("h1", {}, t("contracts.title")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const { data } = await api("GET", `/customers/${enc(customerNo)}/contracts`);
    if (!data.contracts.length) { el.append(h("p", {}, t("contracts.none"))); return; }
    el.append(h("div", { class: "cards" }, data.contracts.map((/** @type {any} */ c) => h("article", { class: "card" },
      h("h2", {}, h("a", { href: link(c.contract_no) }, t("contracts.contract", { no: c.contract_no }))),
      h("p", {}, t("product." + c.product), " · ", c.tariff_group, c.ordered_capacity_mw ? ` · ${fmt.number(c.ordered_capacity_mw)} MW` : ""),
      h("p", {}, fmt.date(c.start_date), " – ", c.end_date ? fmt.date(c.end_date) : t("contracts.open_ended")),
      c.expires_in_days !== null && c.expires_in_days <= 90 ? h("p", { class: "flash warn" }, t("contracts.expires", { days: c.expires_in_days })) : null,
      h("a", { class: "button", href: link(c.contract_no) }, t("contracts.open"))))));
  } });

  page({ id: "contract", path: "#/contract", nav: null, roles: ["customer", "building_manager"], async render(el, params, query) {
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const { data: c } = await api("GET", `/customers/${enc(customerNo)}/contract?contract=${enc(query.contract || "")}`);
    el.append(h("h1", {}, t("contracts.contract", { no: c.contract_no })));
    if (c.expires_in_days !== null && c.expires_in_days <= 90) el.append(h("p", { class: "flash warn", role: "status" }, t("contracts.expires", { days: c.expires_in_days })));
    const renew = h("button", { type: "button", class: "button", id: "renew", onclick: async () => {
      renew.disabled = true;
      try { const { data: app } = await api("POST", `/customers/${enc(customerNo)}/contracts/renew`, { contract_no: c.contract_no });
        EBOK.go("#/applications/" + enc(app.application_id)); EBOK.flash(t("contracts.renewed"), "ok"); }
      catch (/** @type {any} */ err) { renew.disabled = false; EBOK.flash(err.message, "error"); }
    } }, t("contracts.renew"));
    el.append(h("p", {}, renew, " ", h("a", { href: "#/applications/new?contract=" + enc(c.contract_no) }, t("contracts.applications"))));
    // The terms on the shared table: on a phone each term is a card, its name on top.
    el.append(UI.table([{ label: t("contracts.term"), rowHeader: true, plain: true }, { label: t("contracts.value"), plain: true }], [
      row(t("contracts.seller"), `${c.parties.seller.name}, NIP ${c.parties.seller.nip}, ${c.parties.seller.address}`),
      row(t("contracts.buyer"), `${c.parties.buyer.name} (${c.parties.buyer.customer_no}), ${c.parties.buyer.address}`),
      row(t("contracts.premises"), c.premises ? `${c.premises.label} — ${c.premises.address}` : c.premises_id),
      c.ppe ? row(t("contracts.ppe"), c.ppe) : null,
      row(t("contracts.product"), t("product." + c.product)),
      row(t("contracts.tariff"), c.tariff_group),
      c.ordered_capacity_mw ? row(t("contracts.capacity"), fmt.number(c.ordered_capacity_mw)) : null,
      row(t("contracts.period"), `${fmt.date(c.start_date)} – ${c.end_date ? fmt.date(c.end_date) : t("contracts.open_ended")}`),
      row(t("contracts.notice"), t("contracts.notice_months", { n: c.notice_period_months, date: fmt.date(c.earliest_termination) })),
      row(t("contracts.price_list"), h("span", {}, h("a", { href: c.price_list.page }, EBOK.lang === "en" ? c.price_list.title_en : c.price_list.title_pl),
        c.price_list.url ? [" · ", h("a", { href: c.price_list.url, target: "_blank", rel: "noopener" }, "PDF")] : null)),
    ].filter((r) => r !== null), { class: "terms", caption: t("contracts.terms") }));
    for (const u of c.upcoming_changes) {
      const what = [u.capacity_mw ? u.capacity_mw + " MW" : null, u.tariff_group, u.end_date].filter(Boolean).join(", ");
      el.append(h("p", { class: "flash info" }, t("contracts.upcoming", { date: fmt.date(u.effective_from), what })));
    }
    el.append(h("h2", {}, t("contracts.documents")), h("ul", { class: "documents" }, c.documents.map((/** @type {any} */ d) =>
      h("li", {}, h("a", { href: d.url, target: "_blank", rel: "noopener" }, EBOK.lang === "en" ? d.title_en : d.title_pl), " · ", fmt.date(d.created_at)))));
    el.append(h("h2", {}, t("contracts.history")), h("ul", { class: "history" }, c.history.map((/** @type {any} */ x) =>
      h("li", {}, fmt.date(x.at), " — ", EBOK.lang === "en" ? x.summary_en : x.summary_pl))));
  } });
