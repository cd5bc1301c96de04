/* Public price list (cennik): every tariff group, the prices in force today (net and with
   VAT) and the other versions with their validity dates. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "tar.nav": ["Cennik", "Price list"],
    "tar.title": ["Cennik i taryfy", "Prices and tariffs"],
    "tar.lead": ["Ceny netto; do cen dolicza się podatek VAT. Okres rozliczeniowy obejmujący zmianę cen rozliczamy proporcjonalnie do liczby dni.",
      "Net prices; VAT is added. A billing period spanning a price change is prorated by days."],
    "tar.heat": ["Ciepło", "District heat"],
    "tar.electricity": ["Energia elektryczna", "Electricity"],
    "tar.valid": ["Obowiązuje od {from}", "Valid from {from}"],
    "tar.valid_range": ["Obowiązywała {from} – {to}", "Valid {from} – {to}"],
    "tar.upcoming": ["Od {from} (nowe ceny)", "From {from} (new prices)"],
    "tar.component": ["Składnik", "Component"],
    "tar.unit": ["Jednostka", "Unit"],
    "tar.net": ["Cena netto", "Net price"],
    "tar.gross": ["Cena z VAT", "Price incl. VAT"],
    "tar.other": ["Inne wersje cennika", "Other versions"],
    "tar.bands": ["zależnie od rocznego zużycia", "by yearly use"],
  });

  /* Gross = net × (1 + VAT), shown with the net price's published precision (a price
     published as 5.50 zł is 6.77 zł with VAT, never 6.765). */
  /** @param {any} price @param {any} rate */
  function gross(price, rate) { return Number(price) * (1 + Number(rate) / 100); }
  /** @param {any} price @param {any} rate */
  function priceCells(price, rate) {
    const digits = Math.max(2, fmt.decimals(price));
    return [fmt.price(price, digits), fmt.price(gross(price, rate).toFixed(digits), digits)];
  }
  /** @param {any} c */
  function componentRows(c) {
    const name = EBOK.lang === "en" ? c.name_en : c.name_pl;
    if (c.bands) {
      return c.bands.map((/** @type {any} */ b) => [name + " — " + (EBOK.lang === "en" ? b.label_en : b.label_pl), fmt.unit(c.price_unit), ...priceCells(b.price, c.vat_rate)]);
    }
    return [[name, fmt.unit(c.price_unit), ...priceCells(c.price, c.vat_rate)]];
  }
  /** @param {any} v */
  function versionTable(v) {
    return UI.table([{ label: t("tar.component"), key: true }, t("tar.unit"), { label: t("tar.net"), num: true }, { label: t("tar.gross"), num: true }],
      v.components.flatMap(componentRows), { class: "tariff-table" });
  }

  page({ id: "tariffs", path: "#/tariffs", nav: ["Cennik", "Price list"], auth: false, order: 80, async render(el) {
    el.append(h("h1", {}, t("tar.title")), h("p", { class: "lead" }, t("tar.lead")));
    const { data } = await api("GET", "/tariffs");
    for (const product of ["heat", "electricity"]) {
      const groups = data.tariffs.filter((/** @type {any} */ g) => g.product === product);
      if (!groups.length) continue;
      el.append(h("h2", {}, t("tar." + product)));
      for (const g of groups) {
        const current = g.versions.find((/** @type {any} */ v) => v.current) || g.versions[g.versions.length - 1];
        const section = h("section", { class: "card tariff", "data-group": g.group },
          h("h3", {}, EBOK.lang === "en" ? g.name_en : g.name_pl),
          h("p", { class: "muted" }, t("tar.valid", { from: fmt.date(current.valid_from) })),
          versionTable(current));
        const others = g.versions.filter((/** @type {any} */ v) => v !== current);
        if (others.length) {
          section.append(h("details", {}, h("summary", {}, t("tar.other")),
            others.map((/** @type {any} */ v) => h("div", {},
              h("p", { class: "muted" }, v.valid_from > current.valid_from ? t("tar.upcoming", { from: fmt.date(v.valid_from) })
                : t("tar.valid_range", { from: fmt.date(v.valid_from), to: fmt.date(v.valid_to) })),
              versionTable(v)))));
        }
        el.append(section);
      }
    }
  } });
