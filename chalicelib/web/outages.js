/* Outage map (public, offline: inline SVG drawn from the API's GeoJSON, no map tiles),
   the operators' outage console, and the outages touching a customer's premises on the
   account overview (EBOK.overviewExtras). */
(function () {
  "use strict";
  const { h, t, page, addMessages, api, fmt, field, showErrors, formData } = window.EBOK;
  addMessages({
    "outages.title": ["Mapa wyłączeń", "Outage map"],
    "outages.lead": ["Planowane wyłączenia i awarie sieci: gdzie i jak długo. Mapa działa bez podkładu z internetu — rysujemy obszary i ulice z danych GeoJSON.",
      "Planned outages and network failures: where and for how long. The map needs no map tiles from the internet — areas and streets are drawn from GeoJSON."],
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
    "outages.f.streets": ["Ulice i numery budynków (jedna ulica w wierszu, np. „ul. Legnicka: 10, 12, 14”; bez numerów = cała ulica)",
      "Streets and building numbers (one street a line, e.g. “ul. Legnicka: 10, 12, 14”; no numbers = whole street)"],
    "outages.f.area": ["Obszar GeoJSON (opcjonalnie: Polygon lub MultiPolygon)", "GeoJSON area (optional: Polygon or MultiPolygon)"],
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
    "outages.bad_area": ["Obszar nie jest poprawnym JSON-em.", "The area is not valid JSON."],
    "outages.action.created": ["utworzono", "created"],
    "outages.action.updated": ["zmieniono", "changed"],
    "outages.action.closed": ["zakończono", "closed"],
  });

  /* Re-render the page, then say what happened (a flash before a render would be wiped). */
  async function done(message) { await window.EBOK.render(); window.EBOK.flash(message, "ok"); }

  const css = `
  .outage-layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr); gap: 16px; align-items: start; }
  @media (max-width: 860px) { .outage-layout { grid-template-columns: 1fr; } }
  .outage-map { background: #eef3f6; border: 1px solid #dde3e8; border-radius: 8px; width: 100%; height: auto; display: block; }
  .outage-map .area { fill-opacity: .28; stroke-width: 2; vector-effect: non-scaling-stroke; cursor: pointer; }
  .outage-map .street { fill: none; stroke-width: 5; stroke-linecap: round; stroke-linejoin: round; vector-effect: non-scaling-stroke; cursor: pointer; }
  .outage-map .planned { fill: #e8912d; stroke: #b35f00; } .outage-map .street.planned { stroke: #b35f00; fill: none; }
  .outage-map .failure { fill: #d93025; stroke: #a50e0e; } .outage-map .street.failure { stroke: #a50e0e; fill: none; }
  .outage-map .label { font-size: 22px; font-weight: 600; fill: #1b1f23; paint-order: stroke; stroke: #fff; stroke-width: 5px; pointer-events: none; }
  .outage-map .active { stroke: #0b5d8f !important; stroke-width: 4; fill-opacity: .45; }
  .outage-map .street.active { stroke-width: 8; }
  .outage-list { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 10px; }
  .outage-item { background: #fff; border: 1px solid #dde3e8; border-left: 6px solid #e8912d; border-radius: 8px; padding: 10px 12px; cursor: pointer; }
  .outage-item.failure { border-left-color: #d93025; } .outage-item.active { outline: 3px solid #9cc9e8; }
  .outage-item h3 { margin: 0 0 4px; font-size: 1.05rem; } .outage-item p { margin: 2px 0; }
  .outage-filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 12px; }
  .outage-filters .field { margin: 0; }
  .legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: .9rem; margin: 6px 0; }
  .legend i { display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 4px; vertical-align: -2px; }
  .outage-console textarea { min-height: 70px; font-family: inherit; }
  .history { font-size: .9rem; }
  `;
  document.head.append(h("style", { id: "outages-css" }, css));

  function duration(minutes) {
    const hours = Math.floor(minutes / 60), mins = minutes % 60;
    return [hours ? t("outages.hours", { h: hours }) : null, mins || !hours ? t("outages.minutes", { m: mins }) : null].filter(Boolean).join(" ");
  }
  function streetsText(streets) {
    return streets.map((s) => s.name + (s.buildings.length ? " " + s.buildings.join(", ") : " (" + t("outages.whole_street") + ")")).join("; ");
  }

  /* --- inline SVG map ------------------------------------------------------------- */
  const SVGNS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }
  function parts(geometry) {
    if (!geometry) return [];
    if (geometry.type === "GeometryCollection") return geometry.geometries.flatMap(parts);
    return [geometry];
  }
  function positions(g) {
    if (g.type === "Polygon") return g.coordinates.flat();
    if (g.type === "MultiPolygon") return g.coordinates.flat(2);
    if (g.type === "LineString") return g.coordinates;
    if (g.type === "MultiLineString") return g.coordinates.flat();
    if (g.type === "Point") return [g.coordinates];
    return [];
  }

  function drawMap(features, onPick) {
    const W = 1000;
    const all = features.flatMap((f) => parts(f.geometry).flatMap(positions));
    if (!all.length) return null;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of all) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
    const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);  // equirectangular, true shape at mid latitude
    const spanX = Math.max((maxX - minX) * k, 0.002), spanY = Math.max(maxY - minY, 0.002);
    const pad = 0.1, HMAX = 760;
    const scale = Math.min(W / (spanX * (1 + 2 * pad)), HMAX / (spanY * (1 + 2 * pad)));
    const Hh = Math.max(300, spanY * (1 + 2 * pad) * scale);
    const offX = (W - (maxX - minX) * k * scale) / 2, offY = (Hh - (maxY - minY) * scale) / 2;
    const px = ([x, y]) => [(offX + (x - minX) * k * scale).toFixed(1), (offY + (maxY - y) * scale).toFixed(1)];
    const ring = (r) => "M" + r.map((p) => px(p).join(",")).join("L") + "Z";
    const svg = s("svg", { viewBox: `0 0 ${W} ${Math.round(Hh)}`, class: "outage-map", role: "img", "aria-label": t("outages.map_label") });
    // A light grid instead of tiles: every 0.01° (about 1 km).
    const grid = s("g", { stroke: "#d5dde3", "stroke-width": 1 });
    for (let x = Math.ceil(minX * 100) / 100; x <= maxX; x += 0.01) { const [X] = px([x, minY]); grid.append(s("line", { x1: X, x2: X, y1: 0, y2: Hh })); }
    for (let y = Math.ceil(minY * 100) / 100; y <= maxY; y += 0.01) { const [, Y] = px([minX, y]); grid.append(s("line", { x1: 0, x2: W, y1: Y, y2: Y })); }
    svg.append(grid);
    const areas = s("g"), streets = s("g"), labels = s("g");
    for (const f of features) {
      const p = f.properties;
      const title = `${t("outages.kind." + p.kind)} · ${t("product." + p.product)} · ${streetsText(p.streets)}`;
      let nameIndex = 0;
      for (const g of parts(f.geometry)) {
        let el = null;
        if (g.type === "Polygon") el = s("path", { d: g.coordinates.map(ring).join(" "), class: "area " + p.kind });
        else if (g.type === "MultiPolygon") el = s("path", { d: g.coordinates.flatMap((poly) => poly.map(ring)).join(" "), class: "area " + p.kind });
        else if (g.type === "LineString") {
          el = s("polyline", { points: g.coordinates.map((c) => px(c).join(",")).join(" "), class: "street " + p.kind });
          const mid = px(g.coordinates[Math.floor(g.coordinates.length / 2)]);
          const street = p.streets.filter((x) => x).at(Math.min(nameIndex, p.streets.length - 1));
          nameIndex += 1;
          if (street) labels.append(s("text", { x: mid[0], y: Number(mid[1]) - 8, class: "label", "text-anchor": "middle" }, street.name));
        }
        if (!el) continue;
        el.setAttribute("data-id", f.id);
        el.setAttribute("tabindex", "0");
        el.append(s("title", {}, title));
        el.addEventListener("click", () => onPick(f.id));
        el.addEventListener("keydown", (e) => { if (e.key === "Enter") onPick(f.id); });
        (g.type.endsWith("Polygon") ? areas : streets).append(el);
      }
    }
    svg.append(areas, streets, labels);
    return svg;
  }

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

  function todayWarsaw() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
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
      window.EBOK.go("#/outages?" + qs.toString());
    } },
      field("city", t("outages.city"), { tag: "select", options: [["", t("outages.all_cities")], ...cities.map((c) => [c, c])] }),
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
    function pick(id) {
      el.querySelectorAll("[data-id]").forEach((n) => n.classList.toggle("active", n.getAttribute("data-id") === id));
      const item = list.querySelector(`[data-id="${id}"]`);
      if (item) item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    for (const f of data.features) {
      const item = outageCard(f.properties, f.geometry ? null : h("p", { class: "muted" }, t("outages.no_geometry")));
      item.addEventListener("click", () => pick(f.id));
      list.append(item);
    }
    const map = drawMap(data.features, pick);
    const legend = h("div", { class: "legend" },
      h("span", {}, h("i", { style: "background:#e8912d" }), t("outages.legend.planned")),
      h("span", {}, h("i", { style: "background:#d93025" }), t("outages.legend.failure")),
      h("span", {}, h("i", { style: "background:#555;height:4px" }), t("outages.legend.street")));
    el.append(h("div", { class: "outage-layout" }, h("div", {}, map || h("p", { class: "muted" }, t("outages.no_geometry")), legend), list));
  } });

  /* --- a customer's overview: outages touching their premises --------------------- */
  window.EBOK.overviewExtras = window.EBOK.overviewExtras || [];
  window.EBOK.overviewExtras.push(async function (el, overview, customerNo) {
    const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/outages`);
    if (!data.outages.length) return;
    const names = Object.fromEntries(overview.premises.map((p) => [p.premises_id, p.label]));
    el.append(h("section", { class: "card outages-mine", "aria-labelledby": "outages-mine-h" },
      h("h2", { id: "outages-mine-h" }, t("outages.mine")),
      h("ol", { class: "outage-list" }, data.outages.map((o) => outageCard(o, h("p", {}, h("strong", {}, o.premises_ids.map((id) => names[id] || id).join(", ")))))),
      h("p", {}, h("a", { href: "#/outages?city=" + encodeURIComponent(data.outages[0].city) }, t("outages.mine_link")))));
  });

  /* --- operators' console ---------------------------------------------------------- */
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
  function localInput(iso) {
    if (!iso) return "";
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
    const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
    return `${v.year}-${v.month}-${v.day}T${v.hour}:${v.minute}`;
  }

  page({ id: "outage-console", path: "#/operator/outages", nav: ["Wyłączenia (operator)", "Outages (operator)"], auth: true, roles: ["operator"], order: 41, async render(el) {
    el.classList.add("outage-console");
    el.append(h("h1", {}, t("outages.console")));
    const rid = requestId();
    const form = h("form", { id: "outage-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      const body = { kind: d.kind, product: d.product, city: d.city, streets: parseStreets(d.streets || ""), starts_at: d.starts_at, expected_end_at: d.expected_end_at, description: d.description || "", request_id: rid };
      if (d.area) { try { body.area = JSON.parse(d.area); } catch (err) { showErrors(form, new window.EBOK.ApiError(400, { detail: t("outages.bad_area") })); return; } }
      try { await api("POST", "/outages", body); await done(t("outages.created")); }
      catch (err) { showErrors(form, err); }
    } },
      h("h2", {}, t("outages.new")),
      field("kind", t("outages.f.kind"), { tag: "select", options: [["planned", t("outages.kind.planned")], ["failure", t("outages.kind.failure")]] }),
      field("product", t("outages.f.product"), { tag: "select", options: [["heat", t("product.heat")], ["electricity", t("product.electricity")]] }),
      field("city", t("outages.f.city"), { value: "Wrocław", required: true }),
      field("streets", t("outages.f.streets"), { tag: "textarea", required: true, placeholder: "ul. Legnicka: 10, 12, 14" }),
      field("area", t("outages.f.area"), { tag: "textarea", placeholder: '{"type": "Polygon", "coordinates": [[[17.0, 51.1], ...]]}' }),
      field("starts_at", t("outages.f.starts_at"), { type: "datetime-local", required: true }),
      field("expected_end_at", t("outages.f.expected_end_at"), { type: "datetime-local", required: true }),
      field("description", t("outages.f.description"), { tag: "textarea" }),
      h("button", { type: "submit" }, t("outages.create")));
    el.append(form);

    el.append(h("h2", {}, t("outages.open")));
    const { data } = await api("GET", "/outages");
    const list = h("ol", { class: "outage-list" });
    for (const f of data.features.filter((x) => x.properties.status === "open")) {
      const p = f.properties;
      const endInput = h("input", { type: "datetime-local", value: localInput(p.expected_end_at), "aria-label": t("outages.f.expected_end_at") });
      const history = h("div", { class: "history" });
      const actions = h("div", { class: "actions" },
        endInput, " ",
        h("button", { type: "button", class: "secondary", onclick: async () => {
          try { await api("PATCH", `/outages/${f.id}`, { expected_end_at: endInput.value, version: p.version }); await done(t("outages.updated_ok")); }
          catch (err) { window.EBOK.flash(err.message, "error"); }
        } }, t("outages.change_end")), " ",
        h("button", { type: "button", class: "danger", onclick: async () => {
          try { await api("POST", `/outages/${f.id}/close`, {}); await done(t("outages.closed_ok")); }
          catch (err) { window.EBOK.flash(err.message, "error"); }
        } }, t("outages.close")), " ",
        h("button", { type: "button", class: "link secondary", onclick: async () => {
          const res = (await api("GET", `/outages/${f.id}/history`)).data;
          history.innerHTML = "";
          history.append(h("ul", {}, res.history.map((c) => h("li", {}, `${fmt.datetime(c.at)} · ${t("outages.action." + c.action)} · ${c.by} · ${Object.keys(c.changes).join(", ")}`))));
        } }, t("outages.history")));
      list.append(outageCard(p, h("div", {}, actions, history)));
    }
    if (!list.children.length) el.append(h("p", {}, t("outages.none"))); else el.append(list);
  } });
})();
