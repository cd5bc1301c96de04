/* Zużycie (consumption): per contract a monthly chart (this year bars, last year line; inline
   SVG with the same figures in an accessible table below it), the heating-season or yearly
   report, the stored reports with downloads, CSV and Green Button exports; and the overview's
   weather and air-quality tile (EBOK.overviewExtras), which never breaks the overview. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, flash, auth } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "cons.title": ["Zużycie", "Consumption"],
    "cons.contract": ["Umowa", "Contract"],
    "cons.none": ["Brak umów z danymi o zużyciu.", "No contracts with consumption data."],
    "cons.chart_title": ["Zużycie miesięczne: {unit}", "Monthly use: {unit}"],
    "cons.chart_desc": ["Słupki: ostatnie 12 miesięcy; linia: te same miesiące rok wcześniej.", "Bars: the last 12 months; line: the same months a year earlier."],
    "cons.legend_now": ["ostatnie 12 miesięcy", "last 12 months"],
    "cons.legend_before": ["rok wcześniej", "a year earlier"],
    "cons.month": ["Miesiąc", "Month"],
    "cons.now": ["Zużycie", "Use"],
    "cons.before": ["Rok wcześniej", "A year earlier"],
    "cons.estimated": ["Szacunek", "Estimate"],
    "cons.gross": ["Koszt brutto", "Gross cost"],
    "cons.yes": ["tak", "yes"],
    "cons.no": ["nie", "no"],
    "cons.season_title": ["Raport sezonu grzewczego {season}", "Heating-season report {season}"],
    "cons.year_title": ["Raport roczny {year}", "Yearly report {year}"],
    "cons.heat_gj": ["Ciepło w sezonie [GJ]", "Heat this season [GJ]"],
    "cons.prev_gj": ["Poprzedni sezon [GJ]", "Last season [GJ]"],
    "cons.change": ["Zmiana", "Change"],
    "cons.normalised": ["Zmiana po uwzględnieniu pogody", "Weather-normalised change"],
    "cons.start_end": ["Początek (X–XI) / koniec (III–IV) sezonu [GJ]", "Start (Oct–Nov) / end (Mar–Apr) [GJ]"],
    "cons.fixed_variable": ["Opłaty stałe / zmienne (netto)", "Fixed / variable charges (net)"],
    "cons.cwu": ["Ciepła woda (CWU) w roku [GJ]", "Hot water (CWU) a year [GJ]"],
    "cons.cwu_estimate": ["szacunek z zużycia letniego", "estimated from summer use"],
    "cons.total_kwh": ["Zużycie w roku [kWh]", "Use this year [kWh]"],
    "cons.last_kwh": ["Rok wcześniej [kWh]", "A year earlier [kWh]"],
    "cons.band": ["Przedział opłaty mocowej", "Capacity-charge band"],
    "cons.peers": ["Porównanie z podobnymi odbiorcami", "Similar homes"],
    "cons.peers_none": ["Za mało podobnych odbiorców, by porównać (potrzeba co najmniej 10).", "Too few similar homes to compare (at least 10 needed)."],
    "cons.demo_temps": ["Temperatury: dane demonstracyjne.", "Temperatures: demo data."],
    "cons.reports": ["Zapisane raporty", "Stored reports"],
    "cons.reports_none": ["Nie ma jeszcze zapisanych raportów.", "No stored reports yet."],
    "cons.kind.heat_season": ["Sezon grzewczy", "Heating season"],
    "cons.kind.electricity_year": ["Rok (energia elektryczna)", "Year (electricity)"],
    "cons.download_pdf": ["Pobierz PDF", "Download PDF"],
    "cons.download_csv": ["Pobierz CSV", "Download CSV"],
    "cons.link_ready": ["Plik gotowy (link ważny {minutes} min)", "File ready (link valid {minutes} min)"],
    "cons.exports": ["Eksport danych", "Data export"],
    "cons.export_csv": ["Zużycie i koszty (CSV)", "Use and cost (CSV)"],
    "cons.export_espi": ["Green Button (XML)", "Green Button (XML)"],
    "weather.title": ["Pogoda i powietrze", "Weather and air"],
    "weather.temp": ["Temperatura", "Temperature"],
    "weather.air": ["Jakość powietrza", "Air quality"],
    "weather.none": ["Dane chwilowo niedostępne.", "Data unavailable right now."],
    "weather.source": ["Źródło: IMGW-PIB, GIOŚ", "Source: IMGW-PIB, GIOŚ"],
  });

  /** @type {Record<string, string>} */
  const UNITS = { heat: "GJ", electricity: "kWh" };
  /** @param {string} product @param {any} usage */
  function value(product, usage) {
    if (!usage) return null;
    if (product === "heat") return usage.heat_gj !== undefined ? Number(usage.heat_gj) : null;
    if (usage.total !== undefined) return Number(usage.total);
    if (usage.day !== undefined || usage.night !== undefined) return Number(usage.day || 0) + Number(usage.night || 0);
    return null;
  }
  /** @param {string} key */
  function monthLabel(key) {
    const d = new Date(key + "-15T12:00:00Z");
    return new Intl.DateTimeFormat(EBOK.lang === "en" ? "en-GB" : "pl-PL", { month: "short", year: "2-digit" }).format(d);
  }
  /* The CSP refuses style attributes; CSSOM properties set from script are allowed. */
  /** @param {HTMLElement} el @param {Partial<CSSStyleDeclaration>} css */
  function styled(el, css) { Object.assign(el.style, css); return el; }
  /** @param {any} v */
  function pct(v) { return v === null || v === undefined ? "—" : fmt.number(v, 1) + "%"; }

  const SVG = "http://www.w3.org/2000/svg";
  /** @param {string} tag @param {any} attrs @param {...(Node | string)} children */
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }

  /* Rows for the chart: the last 12 months with data, and the same months a year earlier. */
  /** @param {any} contract */
  function chartRows(contract) {
    /** @type {Record<string, any>} */
    const byMonth = {};
    for (const r of contract.rows) byMonth[r.period] = r;
    const months = contract.rows.map((/** @type {any} */ r) => r.period).slice(-12);
    return months.map((/** @type {any} */ m) => {
      const before = String(Number(m.slice(0, 4)) - 1) + m.slice(4);
      const row = byMonth[m], prev = byMonth[before];
      return { month: m, now: value(contract.product, row.usage), before: prev ? value(contract.product, prev.usage) : null,
        estimated: row.estimated, gross: row.cost ? row.cost.gross : null };
    });
  }

  /** @param {any} contract @param {any[]} rows */
  function chart(contract, rows) {
    const unit = UNITS[contract.product] || "";
    const W = 640, H = 260, left = 44, bottom = 30, top = 14;
    const max = Math.max(1, ...rows.map((r) => r.now || 0), ...rows.map((r) => r.before || 0));
    const slot = (W - left - 8) / Math.max(1, rows.length);
    /** @param {any} v */
    const y = (v) => top + (H - top - bottom) * (1 - v / max);
    const titleId = "cons-chart-title", descId = "cons-chart-desc";
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "cons-chart", id: "consumption-chart", preserveAspectRatio: "xMidYMid meet" },
      s("title", { id: titleId }, t("cons.chart_title", { unit })), s("desc", { id: descId }, t("cons.chart_desc")));
    for (let i = 0; i <= 4; i++) {
      const v = (max / 4) * i;
      svg.append(s("line", { x1: left, x2: W - 4, y1: y(v), y2: y(v), stroke: "#dde3e8" }),
        s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#55606b" }, fmt.number(v, v < 10 ? 1 : 0)));
    }
    /** @type {Array<[number, number]>} */
    const points = [];
    rows.forEach((r, i) => {
      const x = left + i * slot;
      if (r.now !== null) {
        svg.append(s("rect", { x: x + slot * 0.15, y: y(r.now), width: slot * 0.7, height: Math.max(0, y(0) - y(r.now)), fill: r.estimated ? "#f6be8c" : "#e87722", class: "bar" },
          s("title", {}, `${monthLabel(r.month)}: ${fmt.number(r.now)} ${unit}`)));
      }
      svg.append(s("text", { x: x + slot / 2, y: H - 10, "text-anchor": "middle", "font-size": 10, fill: "#55606b" }, monthLabel(r.month)));
      if (r.before !== null) points.push([x + slot / 2, y(r.before)]);
    });
    if (points.length > 1) svg.append(s("polyline", { points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: "#284678", "stroke-width": 2, class: "last-year" }));
    for (const [px, py] of points) svg.append(s("circle", { cx: px, cy: py, r: 3, fill: "#284678" }));
    const legend = h("p", { class: "cons-legend", "aria-hidden": "true" },
      styled(h("span", { class: "swatch" }), { display: "inline-block", width: "12px", height: "12px", background: "#e87722" }), " " + t("cons.legend_now") + " ", styled(h("span", { class: "swatch" }), { display: "inline-block", width: "14px", height: "3px", background: "#284678", verticalAlign: "middle" }), " " + t("cons.legend_before"));
    return styled(h("figure", { class: "cons-figure" }, svg, legend), { margin: "0 0 12px", maxWidth: "100%" });
  }

  /** @param {any} contract @param {any[]} rows */
  function chartTable(contract, rows) {
    const unit = UNITS[contract.product] || "";
    return UI.table(
      [{ label: t("cons.month"), rowHeader: true }, { label: `${t("cons.now")} [${unit}]`, num: true }, { label: `${t("cons.before")} [${unit}]`, num: true }, t("cons.estimated"), { label: t("cons.gross"), num: true }],
      rows.map((r) => [monthLabel(r.month), r.now === null ? "—" : fmt.number(r.now), r.before === null ? "—" : fmt.number(r.before),
        r.estimated ? t("cons.yes") : t("cons.no"), fmt.money(r.gross)]),
      { id: "consumption-table", caption: t("cons.chart_title", { unit }) });
  }

  /** @param {any[]} rows */
  function facts(rows) {
    return h("dl", { class: "cons-facts" }, rows.flatMap(([k, v]) => [h("dt", {}, k), styled(h("dd", {}, h("strong", {}, v)), { margin: "0 0 6px" })]));
  }

  /** @param {any} rep */
  function seasonView(rep) {
    const d = rep.data, now = d.season, prev = d.previous, cost = now.cost;
    const list = [
      [t("cons.heat_gj"), fmt.number(now.heat_gj)],
      [t("cons.prev_gj"), fmt.number(prev.heat_gj)],
      [t("cons.change"), pct(d.change_pct)],
      [t("cons.normalised"), pct(d.normalised_change_pct)],
      [t("cons.start_end"), `${fmt.number(now.start_gj)} / ${fmt.number(now.end_gj)}`],
      [t("cons.fixed_variable"), cost ? `${fmt.money(cost.fixed_net)} / ${fmt.money(cost.variable_net)}` : "—"],
    ];
    if (now.cwu) list.push([t("cons.cwu"), fmt.number(now.cwu.year_gj) + (now.cwu.estimated ? ` (${t("cons.cwu_estimate")})` : "")]);
    return [h("h2", {}, t("cons.season_title", { season: rep.period })), facts(list)];
  }
  /** @param {any} rep */
  function yearView(rep) {
    const d = rep.data;
    const list = [[t("cons.total_kwh"), fmt.number(d.total_kwh)], [t("cons.last_kwh"), fmt.number(d.last_year_kwh)], [t("cons.change"), pct(d.change_pct)]];
    if (d.band) list.push([t("cons.band"), EBOK.lang === "en" ? d.band.label_en : d.band.label_pl]);
    return [h("h2", {}, t("cons.year_title", { year: rep.period })), facts(list)];
  }

  /** @param {string} customerNo @param {any} contract */
  async function reportSection(customerNo, contract) {
    const base = `/customers/${encodeURIComponent(customerNo)}/consumption/`;
    const path = contract.product === "heat" ? "season-report" : "year-report";
    const { data: rep } = await api("GET", `${base}${path}?contract=${encodeURIComponent(contract.contract_no)}`);
    if (!rep.contract_no) return null;
    const box = h("section", { class: "card cons-report", id: "season-report" }, ...(rep.kind === "heat_season" ? seasonView(rep) : yearView(rep)));
    if (rep.conclusions.length) box.append(h("ul", { class: "cons-conclusions" }, rep.conclusions.map((/** @type {any} */ c) => h("li", {}, c.text))));
    box.append(h("h3", {}, t("cons.peers")), h("p", { id: "peers" }, rep.peers ? rep.peers.text : t("cons.peers_none")));
    if (rep.data.temperature_source === "demo") box.append(h("p", { class: "muted" }, t("cons.demo_temps")));
    return box;
  }

  /** @param {string} customerNo @param {string} id @param {any} file @param {HTMLElement} slot */
  async function reportLink(customerNo, id, file, slot) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/reports/${encodeURIComponent(id)}?file=${file}`);
    slot.innerHTML = "";
    const a = h("a", { href: data.url, class: "report-link", target: "_blank", rel: "noopener", download: data.filename }, t("cons.link_ready", { minutes: Math.round(data.expires_in / 60) }) + ` (${file.toUpperCase()})`);
    slot.append(a);
    return a;
  }

  /** @param {string} customerNo */
  async function storedReports(customerNo) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/reports`);
    const box = h("section", { class: "cons-stored", id: "report-list" }, h("h2", {}, t("cons.reports")));
    if (!data.reports.length) { box.append(h("p", {}, t("cons.reports_none"))); return box; }
    box.append(h("ul", { class: "cons-report-list" }, data.reports.map((/** @type {any} */ r) => {
      const slot = h("span", { class: "report-slot" });
      /** @param {any} file */
      const button = (file) => h("button", { type: "button", class: "secondary report-button", "data-report": r.report_id, "data-file": file, onclick: async (e) => {
        e.target.disabled = true;
        try { (await reportLink(customerNo, r.report_id, file, slot)).focus(); } catch (/** @type {any} */ err) { flash(err.message, "error"); } finally { e.target.disabled = false; }
      } }, t(file === "pdf" ? "cons.download_pdf" : "cons.download_csv"));
      return h("li", { id: "report-" + r.report_id }, h("strong", {}, `${t("cons.kind." + r.kind)} ${r.period}`), ` · ${r.contract_no} · ${fmt.date(r.created_at)} `, button("pdf"), " ", button("csv"), " ", slot);
    })));
    return box;
  }

  /* Exports need the session's token: fetched, then saved from a blob URL. */
  /** @param {string} path @param {string} filename */
  async function download(path, filename) {
    const tk = auth.tokens();
    const resp = await fetch(path, { headers: { Authorization: "Bearer " + (tk ? tk.access_token : ""), "Accept-Language": EBOK.lang } });
    if (!resp.ok) { flash(t("error.network"), "error"); return; }
    const url = URL.createObjectURL(await resp.blob());
    const a = h("a", { href: url, download: filename });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  /** @param {string} customerNo @param {any} contract */
  function exportsBox(customerNo, contract) {
    const q = "?contract=" + encodeURIComponent(contract.contract_no);
    const base = `/customers/${encodeURIComponent(customerNo)}/exports/`;
    return h("section", { class: "cons-exports" }, h("h2", {}, t("cons.exports")),
      h("button", { type: "button", class: "secondary", id: "export-csv", onclick: () => download(base + "consumption.csv" + q, `zuzycie_${contract.contract_no}.csv`) }, t("cons.export_csv")), " ",
      h("button", { type: "button", class: "secondary", id: "export-espi", onclick: () => download(base + "green-button.xml" + q, `green_button_${contract.contract_no}.xml`) }, t("cons.export_espi")));
  }

  page({ id: "consumption", path: "#/consumption", nav: ["Zużycie", "Consumption"], auth: true, roles: ["customer", "building_manager"], order: 25, async render(el, params, query) {
    el.append(h("h1", {}, t("cons.title")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) { el.append(h("p", {}, t("cons.none"))); return; }
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/consumption`);
    const contracts = data.contracts.filter((/** @type {any} */ c) => c.rows.length);
    if (!contracts.length) { el.append(h("p", {}, t("cons.none"))); el.append(await storedReports(customerNo)); return; }
    const chosen = contracts.find((/** @type {any} */ c) => c.contract_no === query.contract) || contracts[0];
    const select = h("select", { id: "cons-contract", onchange: (e) => EBOK.go("#/consumption?contract=" + encodeURIComponent(e.target.value)) },
      contracts.map((/** @type {any} */ c) => h("option", { value: c.contract_no, selected: c.contract_no === chosen.contract_no }, `${c.contract_no} (${t("product." + c.product)})`)));
    el.append(h("div", { class: "field" }, h("label", { for: "cons-contract" }, t("cons.contract")), select));
    const rows = chartRows(chosen);
    el.append(chart(chosen, rows), chartTable(chosen, rows));
    const rep = await reportSection(customerNo, chosen);
    if (rep) el.append(rep);
    el.append(await storedReports(customerNo), exportsBox(customerNo, chosen));
    if (query.report) { const item = el.querySelector("#report-" + CSS.escape(query.report)); if (item) item.classList.add("highlight"); }
  } });

  /* The overview tile: filled after the overview is shown; a failing source says so quietly. */
  EBOK.overviewExtras.push(function (el, overview, customerNo) {
    const tile = h("div", { class: "card weather-tile", id: "weather-tile", "aria-live": "polite" }, h("h2", {}, t("weather.title")), h("p", { class: "loading" }, t("loading")));
    const cards = el.querySelector(".cards");
    (cards || el).append(tile);
    api("GET", `/customers/${encodeURIComponent(customerNo)}/weather`, null, { noRedirect: true }).then(({ data }) => {
      tile.querySelector(".loading").remove();
      if (!data.temperature && !data.air_quality) { tile.append(h("p", {}, t("weather.none"))); return; }
      tile.append(h("p", {}, data.city || ""),
        h("p", { id: "weather-temp" }, h("strong", {}, t("weather.temp") + ": "), data.temperature ? fmt.number(data.temperature.celsius, 1) + " °C" : "—"),
        h("p", { id: "weather-air" }, h("strong", {}, t("weather.air") + ": "), data.air_quality ? data.air_quality.category : "—"),
        h("p", { class: "muted" }, t("weather.source")));
    }).catch(() => { const l = tile.querySelector(".loading"); if (l) l.remove(); tile.append(h("p", {}, t("weather.none"))); });
  });
