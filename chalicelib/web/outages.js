/* Outage map (public): Leaflet (vendored) draws the outage areas and the affected streets from
   the API's GeoJSON over map tiles from the configured source (GET /portal/config: OpenStreetMap
   in production, none locally); without tiles, or when they fail to load, the areas, streets
   and the list still show. The operators' console picks streets and building numbers from the
   city's gazetteer (GET /streets), never GeoJSON; the outages touching a customer's premises
   show on the account overview (EBOK.overviewExtras). */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  addMessages({
    "outages.title": ["Mapa wyłączeń", "Outage map"],
    "outages.lead": ["Planowane wyłączenia i awarie sieci: gdzie i jak długo. Lista obok mapy zawiera te same informacje.",
      "Planned outages and network failures: where and for how long. The list next to the map holds the same information."],
    "outages.tiles_off": ["Mapa bez podkładu: rysujemy tylko obszary i ulice objęte wyłączeniem.", "Map without a background: only the affected areas and streets are drawn."],
    "outages.tiles_failed": ["Podkład mapy jest chwilowo niedostępny — obszary, ulice i lista wyłączeń działają bez niego.", "The map background is unavailable right now — the areas, streets and the list of outages work without it."],
    "outages.map_help": ["Mapę przesuwasz strzałkami, przybliżasz klawiszami + i −. Wybierz wyłączenie z listy, aby pokazać je na mapie.", "Move the map with the arrow keys, zoom with + and −. Choose an outage in the list to show it on the map."],
    "outages.f.pick": ["Ulice objęte wyłączeniem", "Affected streets"],
    "outages.f.pick_help": ["Zaznacz ulice; numery budynków są opcjonalne (bez numerów = cała ulica).", "Tick the streets; building numbers are optional (none = the whole street)."],
    "outages.f.no_gazetteer": ["Brak spisu ulic dla tej miejscowości — wpisz ulice poniżej.", "No street list for this city — type the streets below."],
    "outages.f.other_streets": ["Inne ulice (jedna w wierszu, np. „ul. Legnicka: 10, 12”)", "Other streets (one a line, e.g. “ul. Legnicka: 10, 12”)"],
    "outages.f.pick_one": ["Zaznacz co najmniej jedną ulicę.", "Tick at least one street."],
    "outages.f.buildings_of": ["Budynki przy {street}", "Buildings on {street}"],
    "outages.close_confirm": ["Zakończyć wyłączenie: {what}? Abonenci dostaną powiadomienie, a wyłączenia nie da się ponownie otworzyć.", "Close the outage: {what}? Subscribers will be notified and it cannot be reopened."],
    "outages.city": ["Miejscowość", "City"],
    "outages.all_cities": ["Wszystkie", "All"],
    "outages.date": ["Dzień", "Day"],
    "outages.current": ["Bieżące i nadchodzące", "Current and upcoming"],
    "outages.show": ["Pokaż", "Show"],
    "outages.none": ["Brak wyłączeń dla wybranych filtrów.", "No outages for these filters."],
    "outages.count": ["Wyłączenia: {n}", "Outages: {n}"],
    "outages.kind.planned": ["Planowane", "Planned"],
    "outages.kind.failure": ["Awaria", "Failure"],
    "outages.phase.upcoming": ["nadchodzące", "upcoming"],
    "outages.phase.ongoing": ["trwa", "under way"],
    "outages.phase.ended": ["zakończone", "ended"],
    "outages.from_to": ["{from} – {to}", "{from} – {to}"],
    "outages.duration": ["Planowany czas: {d}", "Planned duration: {d}"],
    "outages.ended_at": ["Zakończono: {at}", "Ended: {at}"],
    "outages.no_geometry": ["(bez zaznaczenia na mapie)", "(not drawn on the map)"],
    "outages.whole_street": ["cała ulica", "whole street"],
    "outages.legend.planned": ["wyłączenie planowane", "planned outage"],
    "outages.legend.failure": ["awaria", "failure"],
    "outages.legend.street": ["ulica objęta wyłączeniem", "affected street"],
    "outages.map_label": ["Mapa wyłączeń: obszary i ulice", "Outage map: areas and streets"],
    "outages.hours": ["{h} godz.", "{h} h"],
    "outages.minutes": ["{m} min", "{m} min"],
    "outages.mine": ["Wyłączenia w Twoich obiektach", "Outages at your premises"],
    "outages.mine_link": ["Zobacz na mapie", "See on the map"],
    "outages.console": ["Wyłączenia — konsola operatora", "Outages — operator console"],
    "outages.new": ["Nowe wyłączenie", "New outage"],
    "outages.f.kind": ["Rodzaj", "Kind"],
    "outages.f.product": ["Produkt", "Product"],
    "outages.f.city": ["Miejscowość", "City"],
    "outages.f.starts_at": ["Początek (czas warszawski)", "Start (Warsaw time)"],
    "outages.f.expected_end_at": ["Przewidywany koniec (czas warszawski)", "Expected end (Warsaw time)"],
    "outages.f.description": ["Opis", "Description"],
    "outages.create": ["Ogłoś wyłączenie", "Announce the outage"],
    "outages.created": ["Wyłączenie zapisane. Abonenci SMS Alert zostaną powiadomieni.", "Outage saved. SMS Alert subscribers will be notified."],
    "outages.open": ["Otwarte wyłączenia", "Open outages"],
    "outages.change_end": ["Zmień koniec", "Change end"],
    "outages.close": ["Zakończ", "Close"],
    "outages.closed_ok": ["Wyłączenie zakończone.", "Outage closed."],
    "outages.updated_ok": ["Zmieniono przewidywany koniec.", "Expected end changed."],
    "outages.history": ["Historia zmian", "History"],
    "outages.action.created": ["utworzono", "created"],
    "outages.action.updated": ["zmieniono", "changed"],
    "outages.action.closed": ["zakończono", "closed"],
  });

  /* Re-render the page, then say what happened (a flash before a render would be wiped). */
  /** @param {string} message */
  async function done(message) { await EBOK.render(); EBOK.flash(message, "ok"); }


  /** @param {number} minutes */
  function duration(minutes) {
    const hours = Math.floor(minutes / 60), mins = minutes % 60;
    return [hours ? t("outages.hours", { h: hours }) : null, mins || !hours ? t("outages.minutes", { m: mins }) : null].filter(Boolean).join(" ");
  }
  /** @param {any[]} streets */
  function streetsText(streets) {
    return streets.map((s) => s.name + (s.buildings.length ? " " + s.buildings.join(", ") : " (" + t("outages.whole_street") + ")")).join("; ");
  }

  /* --- the map (Leaflet) -------------------------------------------------------------- */
  /** @type {any} */
  let portalConfig = null;
  async function mapConfig() {
    if (!portalConfig) {
      try { portalConfig = (await api("GET", "/portal/config")).data.map; } catch (e) { portalConfig = { tiles_url: null, attribution: "" }; }
    }
    return portalConfig;
  }
  /** @type {Promise<any> | null} */
  let leafletLoading = null;
  /* Leaflet is loaded on the map's first use only (the other screens do not pay for it). */
  function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    if (!leafletLoading) {
      leafletLoading = new Promise((resolve) => {
        document.head.append(h("link", { rel: "stylesheet", href: "/static/vendor/leaflet.css" }));
        const script = h("script", { src: "/static/vendor/leaflet.js" });
        script.addEventListener("load", () => resolve(window.L || null));
        script.addEventListener("error", () => resolve(null));
        document.head.append(script);
      });
    }
    return leafletLoading;
  }
  /** @param {any} geometry */
  function parts(geometry) {
    if (!geometry) return [];
    if (geometry.type === "GeometryCollection") return geometry.geometries.flatMap(parts);
    return [geometry];
  }
  /** @type {Record<string, { stroke: string, fill: string }>} */
  const COLORS = { planned: { stroke: "#b35f00", fill: "#e8912d" }, failure: { stroke: "#a50e0e", fill: "#d93025" } };

  /* Draws the features into container; returns {focus(id)} or null (no Leaflet, no geometry). */
  /** @param {HTMLElement} container @param {any[]} features @param {Function} onPick @param {HTMLElement} note */
  async function drawMap(container, features, onPick, note) {
    const L = await loadLeaflet();
    const withGeometry = features.filter((f) => parts(f.geometry).length);
    if (!L || !withGeometry.length) return null;
    const cfg = await mapConfig();
    const map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, keyboard: true });
    map.attributionControl.setPrefix(false);
    if (cfg.tiles_url) {
      let failed = false;
      L.tileLayer(cfg.tiles_url, { attribution: cfg.attribution, maxZoom: 19 })
        .on("tileerror", () => { if (!failed) { failed = true; note.textContent = t("outages.tiles_failed"); note.classList.add("warn"); } })
        .addTo(map);
    } else {
      note.textContent = t("outages.tiles_off");
    }
    /** @type {Record<string, any[]>} */
    const layers = {};
    const bounds = L.latLngBounds([]);
    for (const f of withGeometry) {
      const p = f.properties;
      const color = COLORS[p.kind] || COLORS.planned;
      const title = `${t("outages.kind." + p.kind)} · ${t("product." + p.product)} · ${streetsText(p.streets)}`;
      const named = p.streets.filter((/** @type {any} */ x) => x);
      let lineIndex = 0;
      layers[f.id] = [];
      for (const g of parts(f.geometry)) {
        /** @type {any} */
        let layer = null;
        if (g.type === "Polygon" || g.type === "MultiPolygon") {
          layer = L.geoJSON(g, { style: { color: color.stroke, weight: 2, fillColor: color.fill, fillOpacity: 0.25, className: "area " + p.kind } });
        } else if (g.type === "LineString" || g.type === "MultiLineString") {
          layer = L.geoJSON(g, { style: { color: color.stroke, weight: 6, opacity: 0.9, lineCap: "round", className: "street " + p.kind } });
          const street = named[Math.min(lineIndex, named.length - 1)];
          lineIndex += 1;
          if (street) layer.bindTooltip(street.name, { permanent: true, direction: "center", className: "map-street-label" });
        }
        if (!layer) continue;
        layer.on("click", () => onPick(f.id, true));
        layer.bindPopup(title);
        layer.addTo(map);
        layers[f.id].push(layer);
        bounds.extend(layer.getBounds());
      }
    }
    map.fitBounds(bounds.pad(0.1), { maxZoom: 16 });
    return {
      focus(/** @type {any} */ id, /** @type {any} */ fromMap) {
        for (const [key, list] of Object.entries(layers)) {
          for (const layer of list) layer.eachLayer((/** @type {any} */ l) => { const el = l.getElement && l.getElement(); if (el) el.classList.toggle("active", key === id); });
        }
        const own = layers[id];
        if (!fromMap && own && own.length) {
          const b = L.latLngBounds([]);
          own.forEach((/** @type {any} */ l) => b.extend(l.getBounds()));
          map.fitBounds(b.pad(0.2), { maxZoom: 17 });
        }
      },
    };
  }

  /** @param {any} p @param {any[]} extra */
  function outageCard(p, extra) {
    return h("li", { class: "outage-item " + p.kind, "data-id": p.outage_id, tabindex: "0" },
      h("h3", {}, h("span", { class: "badge " + (p.kind === "failure" ? "err" : "warn") }, t("outages.kind." + p.kind)), " ",
        t("product." + p.product), " · ", p.city),
      h("p", {}, streetsText(p.streets)),
      h("p", {}, h("strong", {}, t("outages.from_to", { from: fmt.datetime(p.starts_at), to: fmt.datetime(p.expected_end_at) })), " ",
        h("span", { class: "badge" }, t("outages.phase." + p.phase))),
      h("p", { class: "duration" }, t("outages.duration", { d: duration(p.planned_duration_minutes) })),
      p.ended_at ? h("p", {}, t("outages.ended_at", { at: fmt.datetime(p.ended_at) })) : null,
      p.description ? h("p", { class: "muted" }, p.description) : null,
      extra || null);
  }

  page({ id: "outages", path: "#/outages", nav: ["Mapa wyłączeń", "Outage map"], auth: false, order: 40, async render(el, params, q) {
    el.append(h("h1", {}, t("outages.title")), h("p", { class: "lead" }, t("outages.lead")));
    let cities = [];
    try { cities = (await api("GET", "/outages/cities")).data.cities; } catch (e) { cities = []; }
    const city = q.city !== undefined ? q.city : (cities.includes("Wrocław") ? "Wrocław" : "");
    const date = q.date || "";
    const form = h("form", { class: "outage-filters", onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      const qs = new URLSearchParams();
      qs.set("city", d.city || "");
      if (d.date) qs.set("date", d.date);
      EBOK.go("#/outages?" + qs.toString());
    } },
      field("city", t("outages.city"), { tag: "select", options: [["", t("outages.all_cities")], ...cities.map((/** @type {any} */ c) => [c, c])] }),
      field("date", t("outages.date"), { type: "date", value: date }),
      h("button", { type: "submit" }, t("outages.show")));
    form.querySelector("#f-city").value = city;
    el.append(form);
    const qs = new URLSearchParams();
    if (city) qs.set("city", city);
    if (date) qs.set("date", date);
    const { data } = await api("GET", "/outages" + (qs.toString() ? "?" + qs : ""));
    el.append(h("p", { class: "muted", id: "outage-count" }, (date ? fmt.date(date) : t("outages.current")) + " · " + t("outages.count", { n: data.features.length })));
    if (!data.features.length) { el.append(h("p", { class: "outage-none" }, t("outages.none"))); return; }
    const list = h("ol", { class: "outage-list", "aria-label": t("outages.title") });
    /** @type {any} */
    let drawn = null;
    /** @param {string} id @param {boolean} [fromMap] */
    function pick(id, fromMap) {
      list.querySelectorAll("[data-id]").forEach((/** @type {any} */ n) => n.classList.toggle("active", n.getAttribute("data-id") === id));
      if (drawn) drawn.focus(id, fromMap);
      const item = list.querySelector(`[data-id="${id}"]`);
      if (item && fromMap) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    for (const f of data.features) {
      const item = outageCard(f.properties, f.geometry ? null : h("p", { class: "muted" }, t("outages.no_geometry")));
      item.setAttribute("aria-label", t("outages.kind." + f.properties.kind) + " · " + streetsText(f.properties.streets));
      item.addEventListener("click", () => pick(f.id));
      item.addEventListener("keydown", (/** @type {any} */ e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(f.id); } });
      list.append(item);
    }
    const note = h("p", { class: "map-note muted", id: "map-note", role: "status" });
    const container = h("div", { class: "outage-map", id: "outage-map", role: "region", "aria-label": t("outages.map_label"), "aria-describedby": "map-help" });
    const legend = h("div", { class: "legend" },
      h("span", {}, h("i", { class: "sw-planned" }), t("outages.legend.planned")),
      h("span", {}, h("i", { class: "sw-failure" }), t("outages.legend.failure")),
      h("span", {}, h("i", { class: "sw-street" }), t("outages.legend.street")));
    el.append(h("div", { class: "outage-layout" },
      h("div", {}, container, note, legend, h("p", { class: "muted map-help", id: "map-help" }, t("outages.map_help"))), list));
    // Leaflet measures its container: draw once the page is in the document.
    setTimeout(async () => {
      try {
        drawn = await drawMap(container, data.features, pick, note);
        if (!drawn) { container.hidden = true; note.textContent = t("outages.no_geometry"); }
      } catch (e) { container.hidden = true; note.textContent = t("outages.tiles_failed"); }
    }, 0);
  } });

  /* --- a customer's overview: outages touching their premises --------------------- */
  EBOK.overviewExtras.push(async function (el, overview, customerNo) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/outages`);
    if (!data.outages.length) return;
    const names = Object.fromEntries(overview.premises.map((/** @type {any} */ p) => [p.premises_id, p.label]));
    el.append(h("section", { class: "card outages-mine", "aria-labelledby": "outages-mine-h" },
      h("h2", { id: "outages-mine-h" }, t("outages.mine")),
      h("ol", { class: "outage-list" }, data.outages.map((/** @type {any} */ o) => outageCard(o, h("p", {}, h("strong", {}, o.premises_ids.map((/** @type {any} */ id) => names[id] || id).join(", ")))))),
      h("p", {}, h("a", { href: "#/outages?city=" + encodeURIComponent(data.outages[0].city) }, t("outages.mine_link")))));
  });

  /* --- operators' console ---------------------------------------------------------- */
  /** @param {string} text */
  function parseStreets(text) {
    return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
      const [name, numbers] = line.split(":");
      const buildings = (numbers || "").split(",").map((b) => b.trim()).filter(Boolean);
      return { name: name.trim(), buildings };
    });
  }
  function requestId() {
    return (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9-]/g, "");
  }
  /** @param {string} iso */
  function localInput(iso) {
    if (!iso) return "";
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
    const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
    return `${v.year}-${v.month}-${v.day}T${v.hour}:${v.minute}`;
  }

  /* The area drawn around what was picked: the bounding box of the chosen buildings (or of
     the whole street line) widened by about 120 m, so the map shades the affected blocks. */
  /** @param {any[]} points */
  function areaAround(points) {
    if (!points.length) return null;
    const pad = 0.0011;
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of points) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
    /** @param {any} v */
    const r = (v) => Math.round(v * 1e5) / 1e5;
    [w, s, e, n] = [r(w - pad * 1.6), r(s - pad), r(e + pad * 1.6), r(n + pad)];
    return { type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
  }

  /* Street picker: the city's gazetteer as checkboxes (street, then its building numbers). */
  /** @param {any} gazetteer */
  function streetPicker(gazetteer) {
    const box = h("fieldset", { class: "street-picker", id: "f-streets", "aria-describedby": "f-streets-help f-streets-error" },
      h("legend", {}, t("outages.f.pick")), h("p", { class: "muted", id: "f-streets-help" }, t("outages.f.pick_help")));
    for (const st of gazetteer) {
      const key = st.name.replace(/\W+/g, "-");
      const buildings = h("div", { class: "building-list", role: "group", "aria-label": t("outages.f.buildings_of", { street: st.name }), hidden: true },
        st.buildings.map((/** @type {any} */ b) => h("label", {}, h("input", { type: "checkbox", class: "pick-building", value: b.number, "data-street": st.name }), b.number)));
      const cb = h("input", { type: "checkbox", class: "pick-street", id: "street-" + key, value: st.name, onchange: (e) => { buildings.hidden = !e.target.checked; } });
      box.append(h("div", { class: "street-row", "data-street": st.name }, h("label", { for: "street-" + key }, cb, st.name), buildings));
    }
    box.append(h("p", { class: "field-error", id: "f-streets-error", "aria-live": "polite" }));
    return box;
  }
  /** @param {HTMLFormElement} form @param {any} gazetteer */
  function picked(form, gazetteer) {
    /** @type {Array<{ name: string, buildings: string[], line?: any }>} */
    const out = [];
    /** @type {any[]} */
    const points = [];
    for (const st of gazetteer) {
      const row = form.querySelector(`.street-row[data-street="${CSS.escape(st.name)}"]`);
      const box = row && /** @type {HTMLInputElement | null} */ (row.querySelector(".pick-street"));
      if (!row || !box || !box.checked) continue;
      const numbers = Array.from(/** @type {NodeListOf<HTMLInputElement>} */ (row.querySelectorAll(".pick-building:checked"))).map((i) => i.value);
      out.push({ name: st.name, buildings: numbers, line: st.line });
      if (numbers.length) st.buildings.filter((/** @type {any} */ b) => numbers.includes(b.number)).forEach((/** @type {any} */ b) => points.push(b.at));
      else st.line.forEach((/** @type {any} */ p) => points.push(p));
    }
    return { streets: out, area: areaAround(points) };
  }

  page({ id: "outage-console", path: "#/operator/outages", nav: ["Wyłączenia (operator)", "Outages (operator)"], auth: true, roles: ["operator"], order: 41, async render(el, params, q) {
    el.classList.add("outage-console");
    el.append(h("h1", {}, t("outages.console")));
    const rid = requestId();
    const { data: gz } = await api("GET", "/streets?city=" + encodeURIComponent(q.city || "Wrocław"));
    const gazetteer = gz.streets;
    const form = h("form", { id: "outage-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      const choice = picked(form, gazetteer);
      const streets = choice.streets.concat(parseStreets(d.other_streets || ""));
      if (!UI.checkForm(form, streets.length ? [] : [{ field: "streets", message: t("outages.f.pick_one") }])) return;
      /** @type {Json} */
      const body = { kind: d.kind, product: d.product, city: d.city, streets, starts_at: d.starts_at, expected_end_at: d.expected_end_at, description: d.description || "", request_id: rid };
      if (choice.area) body.area = choice.area;
      try { await api("POST", "/outages", body); await done(t("outages.created")); }
      catch (err) { showErrors(form, err); }
    } },
      h("h2", {}, t("outages.new")),
      field("kind", t("outages.f.kind"), { tag: "select", options: [["planned", t("outages.kind.planned")], ["failure", t("outages.kind.failure")]] }),
      field("product", t("outages.f.product"), { tag: "select", options: [["heat", t("product.heat")], ["electricity", t("product.electricity")]] }),
      field("city", t("outages.f.city"), { tag: "select", options: gz.cities.map((/** @type {any} */ c) => [c, c]),
        onchange: (/** @type {any} */ e) => EBOK.go("#/operator/outages?city=" + encodeURIComponent(e.target.value)) }),
      gazetteer.length ? streetPicker(gazetteer) : h("p", { class: "muted" }, t("outages.f.no_gazetteer")),
      field("other_streets", t("outages.f.other_streets"), { tag: "textarea", placeholder: "ul. Legnicka: 10, 12, 14" }),
      field("starts_at", t("outages.f.starts_at"), { type: "datetime-local", required: true }),
      field("expected_end_at", t("outages.f.expected_end_at"), { type: "datetime-local", required: true }),
      field("description", t("outages.f.description"), { tag: "textarea" }),
      h("button", { type: "submit" }, t("outages.create")));
    form.querySelector("#f-city").value = gz.city;
    el.append(form);

    el.append(h("h2", {}, t("outages.open")));
    const { data } = await api("GET", "/outages");
    const list = h("ol", { class: "outage-list" });
    for (const f of data.features.filter((/** @type {any} */ x) => x.properties.status === "open")) {
      const p = f.properties;
      const endInput = h("input", { type: "datetime-local", value: localInput(p.expected_end_at), "aria-label": t("outages.f.expected_end_at") });
      const history = h("div", { class: "history" });
      const what = `${t("outages.kind." + p.kind)} · ${p.city} · ${streetsText(p.streets)}`;
      const actions = h("div", { class: "actions" },
        endInput,
        h("button", { type: "button", class: "secondary", onclick: async () => {
          try { await api("PATCH", `/outages/${f.id}`, { expected_end_at: endInput.value, version: p.version }); await done(t("outages.updated_ok")); }
          catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
        } }, t("outages.change_end")),
        h("button", { type: "button", class: "danger close-outage", onclick: async () => {
          if (!(await UI.confirm(t("outages.close_confirm", { what }), t("outages.close")))) return;
          try { await api("POST", `/outages/${f.id}/close`, {}); await done(t("outages.closed_ok")); }
          catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
        } }, t("outages.close")),
        h("button", { type: "button", class: "secondary", onclick: async () => {
          const res = (await api("GET", `/outages/${f.id}/history`)).data;
          history.innerHTML = "";
          history.append(h("ul", {}, res.history.map((/** @type {any} */ c) => h("li", {}, `${fmt.datetime(c.at)} · ${t("outages.action." + c.action)} · ${c.by} · ${Object.keys(c.changes).join(", ")}`))));
        } }, t("outages.history")));
      list.append(outageCard(p, h("div", {}, actions, history)));
    }
    if (!list.children.length) el.append(h("p", {}, t("outages.none"))); else el.append(list);
  } });
