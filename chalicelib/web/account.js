/* Account overview: profile, account manager, premises, contracts (with expiry) and meters. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, auth, currentCustomer } from "./app.js";
import { h, fmt } from "./components.js";
/** @typedef {import("./api-types.js").Overview} Overview */
  addMessages({
    "account.title": ["Moje konto", "My account"],
    "account.choose": ["Konto klienta", "Customer account"],
    "account.customer_no": ["Numer klienta", "Customer number"],
    "account.address": ["Adres", "Address"],
    "account.email": ["E-mail", "E-mail"],
    "account.manager": ["Twój opiekun klienta", "Your account manager"],
    "account.premises": ["Obiekty", "Premises"],
    "account.contracts": ["Umowy", "Contracts"],
    "account.meters": ["Liczniki", "Meters"],
    "account.contract_no": ["Numer umowy", "Contract number"],
    "account.product": ["Produkt", "Product"],
    "account.tariff": ["Grupa taryfowa", "Tariff group"],
    "account.capacity": ["Moc zamówiona [MW]", "Ordered capacity [MW]"],
    "account.valid": ["Obowiązuje", "Valid"],
    "account.expires": ["Wygasa za {days} dni — skontaktuj się z opiekunem, aby ją przedłużyć.", "Expires in {days} days — contact your account manager to extend it."],
    "account.open_ended": ["bezterminowo", "open-ended"],
    "account.serial": ["Numer licznika", "Meter number"],
    "account.registers": ["Rejestry", "Registers"],
    "product.heat": ["Ciepło", "Heat"],
    "product.electricity": ["Energia elektryczna", "Electricity"],
    "account.none": ["Brak przypisanych kont klienta.", "No customer accounts assigned."],
    "register.heat_gj": ["ciepło [GJ]", "heat [GJ]"],
    "register.water_m3": ["nośnik ciepła [m³]", "heat carrier [m³]"],
    "register.total": ["energia [kWh]", "energy [kWh]"],
    "register.day": ["strefa dzienna [kWh]", "day zone [kWh]"],
    "register.night": ["strefa nocna [kWh]", "night zone [kWh]"],
  });

  /** @param {Overview["customer"]["address"]} a */
  function addressLine(a) { return `${a.street} ${a.building}${a.apartment ? "/" + a.apartment : ""}, ${a.postal_code} ${a.city}`; }


  /** @param {string[]} headers @param {import("./components.js").Row[]} rows */
  function table(headers, rows) { return UI.table(headers, rows); }

  page({ id: "account", path: "#/account", nav: ["Moje konto", "My account"], auth: true, roles: ["customer", "building_manager"], order: 10, async render(el) {
    const who = await auth.me();
    const customerNo = await currentCustomer();
    el.append(h("h1", {}, t("account.title")));
    if (!who || !customerNo) { el.append(h("p", {}, t("account.none"))); return; }
    if (who.customers.length > 1) {
      const sel = h("select", { id: "customer-select", onchange: (e) => { sessionStorage.setItem("ebok.customer", e.target.value); EBOK.render(); } },
        who.customers.map((c) => h("option", { value: c, selected: c === customerNo }, c)));
      el.append(h("div", { class: "field" }, h("label", { for: "customer-select" }, t("account.choose")), sel));
    }
    /** @type {Overview} */
    const data = (await api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`)).data;
    const c = data.customer;
    el.append(h("div", { class: "cards" },
      h("div", { class: "card" }, h("h2", {}, c.name),
        h("p", {}, h("strong", {}, t("account.customer_no") + ": "), c.customer_no),
        h("p", {}, h("strong", {}, t("account.address") + ": "), addressLine(c.address)),
        h("p", {}, h("strong", {}, t("account.email") + ": "), c.email)),
      data.account_manager ? h("div", { class: "card manager" }, h("h2", {}, t("account.manager")),
        h("p", {}, data.account_manager.name),
        h("p", {}, h("a", { href: "tel:" + data.account_manager.phone }, data.account_manager.phone)),
        h("p", {}, h("a", { href: "mailto:" + data.account_manager.email }, data.account_manager.email))) : null));
    if (EBOK.overviewExtras) for (const extra of EBOK.overviewExtras) { try { await extra(el, data, customerNo); } catch (e) { /* an extra never breaks the overview */ } }
    el.append(h("h2", {}, t("account.premises")),
      table([t("account.premises"), t("account.address")], data.premises.map((p) => [p.label, addressLine(p.address)])));
    el.append(h("h2", {}, t("account.contracts")),
      table([t("account.contract_no"), t("account.product"), t("account.tariff"), t("account.capacity"), t("account.valid")],
        data.contracts.map((k) => [k.contract_no, t("product." + k.product), k.tariff_group, k.ordered_capacity_mw || "—",
          h("span", {}, fmt.date(k.start_date) + " – " + (k.end_date ? fmt.date(k.end_date) : t("account.open_ended")),
            k.expires_in_days !== null && k.expires_in_days !== undefined && k.expires_in_days <= 90 ? h("p", { class: "warn" }, t("account.expires", { days: k.expires_in_days })) : null)])));
    el.append(h("h2", {}, t("account.meters")),
      table([t("account.serial"), t("account.product"), t("account.registers")], data.meters.map((m) => [m.serial, t("product." + m.product), m.registers.map((r) => t("register." + r)).join(", ")])));
  } });
