/* Meter readings: "podaj odczyt" form per meter, current reading and history
   (estimates marked, readings waiting for review shown as such). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, flash } from "./app.js";
import { h, fmt, field, showErrors } from "./components.js";
/** @typedef {import("./api-types.js").Readings} Readings */
/** @typedef {import("./api-types.js").ReadingRow} ReadingRow */
/** @typedef {import("./api-types.js").OverviewMeter} OverviewMeter */
  addMessages({
    "rd.nav": ["Odczyty", "Meter readings"],
    "rd.title": ["Odczyty liczników", "Meter readings"],
    "rd.none": ["Brak liczników na tym koncie.", "No meters on this account."],
    "rd.meter": ["Licznik {serial}", "Meter {serial}"],
    "rd.contract": ["Umowa", "Contract"],
    "rd.current": ["Ostatni odczyt", "Latest reading"],
    "rd.no_current": ["Brak odczytu rzeczywistego.", "No actual reading yet."],
    "rd.submit_title": ["Podaj odczyt", "Submit a reading"],
    "rd.date": ["Data odczytu", "Reading date"],
    "rd.submit": ["Wyślij odczyt", "Send reading"],
    "rd.hint": ["Przepisz wskazanie licznika (cyfry przed przecinkiem i do trzech po przecinku).", "Copy the meter's display (digits before the decimal point and up to three after)."],
    "rd.history": ["Historia odczytów", "Reading history"],
    "rd.kind": ["Rodzaj", "Kind"],
    "rd.state": ["Stan", "State"],
    "rd.values": ["Wskazania", "Values"],
    "rd.kind.customer": ["podany przez klienta", "submitted by customer"],
    "rd.kind.remote": ["zdalny", "remote"],
    "rd.kind.change": ["wymiana licznika", "meter change"],
    "rd.kind.estimate": ["szacunkowy", "estimated"],
    "rd.status.accepted": ["przyjęty", "accepted"],
    "rd.status.review": ["w weryfikacji", "under review"],
    "rd.status.rejected": ["odrzucony", "rejected"],
    "rd.reconciled": ["rozliczony odczytem z {date}", "settled by the reading of {date}"],
    "rd.more": ["Pokaż więcej", "Show more"],
    "reg.heat_gj": ["Ciepło [GJ]", "Heat [GJ]"],
    "reg.water_m3": ["Nośnik (woda) [m³]", "Heat carrier (water) [m³]"],
    "reg.total": ["Energia [kWh]", "Energy [kWh]"],
    "reg.day": ["Strefa dzienna [kWh]", "Day zone [kWh]"],
    "reg.night": ["Strefa nocna [kWh]", "Night zone [kWh]"],
  });

  /** @type {Record<string, string>} */
  const STATUS_BADGE = { accepted: "ok", review: "warn", rejected: "err" };

  /** @param {Record<string, string>} v */
  function values(v) {
    return Object.keys(v).map((k) => t("reg." + k) + ": " + fmt.number(v[k], 3)).join(" · ");
  }
  function today() {
    const d = new Date();
    return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(d);
  }

  /** @param {string} customerNo @param {OverviewMeter} meter @param {import("./components.js").PremisesInfo} premises */
  async function meterSection(customerNo, meter, premises) {
    const base = `/customers/${encodeURIComponent(customerNo)}/meters/${encodeURIComponent(meter.serial)}/readings`;
    const section = h("section", { class: "card meter", "data-serial": meter.serial, "data-premises": meter.premises_id });
    /** @param {string | null} cursor */
    const listUrl = (cursor) => base + "?limit=20" + EBOK.premisesParam(premises) + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    /** @type {Readings} */
    const data = (await api("GET", listUrl(null))).data;
    const where = premises.many ? premises.label([meter.premises_id]) : null;
    section.append(h("h2", {}, t("rd.meter", { serial: meter.serial }) + (where ? " · " + where : "")),
      h("p", { class: "muted" }, t("rd.contract") + ": " + meter.contract_no),
      h("p", { class: "current-reading" }, h("strong", {}, t("rd.current") + ": "),
        data.current ? fmt.date(data.current.read_on) + " — " + values(data.current.values) : t("rd.no_current")));
    const form = h("form", { class: "reading-form", novalidate: true },
      h("h3", {}, t("rd.submit_title")),
      h("p", { class: "muted" }, t("rd.hint")),
      field("read_on", t("rd.date"), { type: "date", value: today(), max: today(), required: true }),
      meter.registers.map((r) => field("values." + r, t("reg." + r), { inputmode: "decimal", autocomplete: "off", required: true })),
      h("button", { type: "submit" }, t("rd.submit")));
    // Field ids are per page; make them unique per meter (f-<name>-<serial>[-error]).
    const suffix = "-" + meter.serial.replace(/\W/g, "-");
    form.querySelectorAll("[id^='f-']").forEach((/** @type {any} */ node) => {
      node.id = node.id.endsWith("-error") ? node.id.slice(0, -6) + suffix + "-error" : node.id + suffix;
    });
    form.querySelectorAll("label[for^='f-']").forEach((/** @type {any} */ node) => node.setAttribute("for", node.getAttribute("for") + suffix));
    form.addEventListener("submit", async (/** @type {any} */ e) => {
      e.preventDefault();
      const body = { read_on: form.elements["read_on"].value, values: /** @type {Record<string, string>} */ ({}) };
      for (const r of meter.registers) body.values[r] = form.elements["values." + r].value.trim();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const res = (await api("POST", base, body)).data;
        flash(res.message, res.status === "review" ? "warn" : "ok");
        EBOK.render();
      } catch (/** @type {any} */ err) {
        showErrors(form, err);
        for (const [name, msg] of Object.entries(err.fieldErrors ? err.fieldErrors() : {})) {
          const slot = form.querySelector("#f-" + name.replace(/\W/g, "-") + suffix + "-error");
          if (slot) slot.textContent = msg;
        }
      } finally { button.disabled = false; }
    });
    section.append(form);
    /** @param {ReadingRow} r */
    const row = (r) => ({ attrs: { class: "reading-" + r.kind }, cells: [
      fmt.date(r.read_on), ...(where ? [h("span", { class: "premises" }, where)] : []),
      t("rd.kind." + r.kind),
      values(r.values),
      h("span", {}, h("span", { class: "badge " + (STATUS_BADGE[r.status] || "") }, t("rd.status." + r.status)),
        r.reconciled_by ? h("span", { class: "muted" }, " " + t("rd.reconciled", { date: fmt.date(r.reconciled_by.slice(0, 10)) })) : null)] });
    const list = UI.table([t("rd.date"), ...(where ? [t("premises.label")] : []), t("rd.kind"), t("rd.values"), t("rd.state")],
      data.readings.map(row), { class: "reading-history" });
    section.append(h("h3", {}, t("rd.history")), list);
    // "Pokaż więcej / Show more": the next page (the answer's `next` cursor) appended.
    let cursor = data.next;
    if (cursor) {
      const more = h("button", { type: "button", class: "secondary readings-more" }, t("rd.more"));
      more.addEventListener("click", async () => {
        more.disabled = true;
        /** @type {Readings} */
        const next = (await api("GET", listUrl(cursor))).data;
        UI.appendRows(list, next.readings.map(row));
        cursor = next.next;
        if (cursor) more.disabled = false; else more.remove();
      });
      section.append(h("p", {}, more));
    }
    return section;
  }

  page({ id: "readings", path: "#/readings", nav: ["Odczyty", "Meter readings"], auth: true, roles: ["customer", "building_manager"], order: 25, async render(el) {
    el.append(h("h1", {}, t("rd.title")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) { el.append(h("p", {}, t("rd.none"))); return; }
    /** @type {import("./api-types.js").Overview} */
    const data = (await api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`)).data;
    if (!data.meters.length) { el.append(h("p", {}, t("rd.none"))); return; }
    const premises = await EBOK.premisesOf(customerNo);
    const filter = EBOK.premisesFilter(premises);
    if (filter) el.append(filter);
    // A building manager's chosen premises: only its meters, their readings asked for by premises.
    const chosen = EBOK.chosenPremises(premises);
    for (const meter of data.meters) if (!chosen || meter.premises_id === chosen) el.append(await meterSection(customerNo, meter, premises));
  } });
