/* Fault reports (zgłoszenia awarii): emergency numbers first, the report form with photos
   (presigned uploads straight to storage), tickets to follow, and the operators' queue. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, auth } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  addMessages({
    "faults.title": ["Zgłoś awarię", "Report a fault"],
    "faults.emergency": ["Zagrożenie życia lub mienia, wyciek gorącej wody, iskrzenie? Zadzwoń od razu — pogotowie działa całą dobę.",
      "Danger to life or property, a hot water leak, sparking? Call at once — the emergency services work 24/7."],
    "faults.heat": ["Pogotowie ciepłownicze", "Heat emergency service"],
    "faults.power": ["Pogotowie energetyczne", "Power emergency service"],
    "faults.general": ["Numer alarmowy", "Emergency number"],
    "faults.form": ["Formularz zgłoszenia technicznego", "Technical fault report form"],
    "faults.login": ["Zaloguj się, aby zgłosić awarię online i śledzić jej stan.", "Log in to report a fault online and follow it."],
    "faults.product": ["Czego dotyczy awaria", "What is affected"],
    "faults.premises": ["Obiekt", "Premises"],
    "faults.other_address": ["Inny adres…", "Another address…"],
    "faults.street": ["Ulica", "Street"],
    "faults.building": ["Numer budynku", "Building number"],
    "faults.postal": ["Kod pocztowy", "Postal code"],
    "faults.city": ["Miejscowość", "City"],
    "faults.description": ["Opis awarii (co się dzieje, od kiedy, gdzie dokładnie)", "What is wrong (what happens, since when, where exactly)"],
    "faults.phone": ["Telefon kontaktowy", "Contact phone"],
    "faults.photos": ["Zdjęcia (opcjonalnie, do 5, najwyżej 10 MB każde)", "Photos (optional, up to 5, at most 10 MB each)"],
    "faults.submit": ["Wyślij zgłoszenie", "Send the report"],
    "faults.sent": ["Przyjęliśmy zgłoszenie nr {no}.", "We have received report no. {no}."],
    "faults.photo_failed": ["Nie udało się przesłać zdjęcia {name}: {error}", "Could not upload the photo {name}: {error}"],
    "faults.mine": ["Moje zgłoszenia", "My reports"],
    "faults.none": ["Brak zgłoszeń.", "No reports."],
    "faults.no": ["Numer", "Number"],
    "faults.status": ["Stan", "Status"],
    "faults.created": ["Zgłoszono", "Reported"],
    "faults.status.received": ["przyjęte", "received"],
    "faults.status.dispatched": ["ekipa wysłana", "crew dispatched"],
    "faults.status.in_progress": ["w naprawie", "in progress"],
    "faults.status.resolved": ["usunięte", "resolved"],
    "faults.ticket": ["Zgłoszenie {no}", "Report {no}"],
    "faults.history": ["Przebieg", "Progress"],
    "faults.queue": ["Zgłoszenia awarii — operator", "Fault reports — operator"],
    "faults.queue_none": ["Brak otwartych zgłoszeń.", "No open reports."],
    "faults.change": ["Zmień stan", "Change status"],
    "faults.changed": ["Stan zgłoszenia zmieniony.", "Status changed."],
    "faults.summary": ["Opis", "Summary"],
  });

  /* Re-render the page, then say what happened (a flash before a render would be wiped). */
  /** @param {string} message */
  async function done(message) { await EBOK.render(); EBOK.flash(message, "ok"); }
  const STATUSES = ["received", "dispatched", "in_progress", "resolved"];
  /** @type {any} */
  let justSent = null;  // shown on the ticket page the form leads to

  function emergency() {
    /** @param {string} label @param {string} number */
    const card = (label, number) => h("div", { class: "card emergency" }, h("p", {}, label), h("a", { class: "big-number", href: "tel:" + number }, number));
    return h("section", { class: "emergency-numbers", "aria-label": t("faults.general") },
      h("p", { class: "flash error", role: "note" }, t("faults.emergency")),
      h("div", { class: "cards" }, card(t("faults.heat"), "993"), card(t("faults.power"), "991"), card(t("faults.general"), "112")));
  }
  /** @param {string} status */
  function badge(status) {
    const kind = { resolved: "ok", in_progress: "warn", dispatched: "warn" }[status] || "";
    return h("span", { class: "badge " + kind }, t("faults.status." + status));
  }
  /** @param {any[]} headers @param {any[]} rows */
  const table = (headers, rows) => UI.table(headers, rows);

  function requestId() {
    return (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9-]/g, "");
  }

  /** @param {string} customerNo @param {string} ticketNo @param {any} file */
  async function uploadPhoto(customerNo, ticketNo, file) {
    const { data } = await api("POST", `/customers/${encodeURIComponent(customerNo)}/faults/${encodeURIComponent(ticketNo)}/photos`,
      { content_type: file.type || "application/octet-stream", size: file.size });
    const form = new FormData();
    for (const [k, v] of Object.entries(data.upload.fields)) form.append(k, v);
    form.append("file", file);
    const resp = await fetch(data.upload.url, { method: "POST", body: form });
    if (!resp.ok) throw new Error("HTTP " + resp.status);
  }

  page({ id: "faults", path: "#/faults", nav: ["Zgłoś awarię", "Report a fault"], auth: false, order: 42, async render(el) {
    el.append(h("h1", {}, t("faults.title")), emergency());
    const who = await auth.me();
    if (!who || !["customer", "building_manager"].includes(who.role)) {
      el.append(h("h2", {}, t("faults.form")), who ? null : h("p", {}, h("a", { class: "button", href: "#/login" }, t("faults.login"))));
      return;
    }
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const [{ data: overview }, { data: mine }] = await Promise.all([
      api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`),
      api("GET", `/customers/${encodeURIComponent(customerNo)}/faults`),
    ]);
    const rid = requestId();
    const addressBox = h("div", { class: "other-address", hidden: true },
      field("address.street", t("faults.street")), field("address.building", t("faults.building")),
      field("address.postal_code", t("faults.postal"), { placeholder: "00-000" }), field("address.city", t("faults.city"), { value: "Wrocław" }));
    const form = h("form", { id: "fault-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      /** @type {Json} */
      const body = { product: d.product, description: d.description || "", contact_phone: d.contact_phone || "", request_id: rid };
      if (d.premises_id) body.premises_id = d.premises_id;
      else body.address = { street: d["address.street"], building: d["address.building"], postal_code: d["address.postal_code"], city: d["address.city"] };
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const { data: ticket } = await api("POST", `/customers/${encodeURIComponent(customerNo)}/faults`, body);
        for (const file of Array.from(form.querySelector("#f-photos").files || []).slice(0, 5)) {
          try { await uploadPhoto(customerNo, ticket.ticket_no, file); }
          catch (/** @type {any} */ err) { EBOK.flash(t("faults.photo_failed", { name: file.name, error: err.message }), "error"); }
        }
        justSent = t("faults.sent", { no: ticket.ticket_no });
        EBOK.go("#/faults/" + encodeURIComponent(ticket.ticket_no));
      } catch (err) { showErrors(form, err); button.disabled = false; }
    } },
      h("h2", {}, t("faults.form")),
      field("product", t("faults.product"), { tag: "select", options: [["heat", t("product.heat")], ["electricity", t("product.electricity")]] }),
      field("premises_id", t("faults.premises"), { tag: "select", options: [...overview.premises.map((/** @type {any} */ p) => [p.premises_id, `${p.label} — ${p.address.street} ${p.address.building}, ${p.address.city}`]), ["", t("faults.other_address")]],
        onchange: (/** @type {any} */ e) => { addressBox.hidden = e.target.value !== ""; } }),
      addressBox,
      field("description", t("faults.description"), { tag: "textarea", required: true, minlength: 5, maxlength: 2000 }),
      field("contact_phone", t("faults.phone"), { type: "tel", autocomplete: "tel", required: true, value: overview.customer.phone || "" }),
      field("photos", t("faults.photos"), { type: "file", accept: "image/jpeg,image/png,image/webp,image/heic", multiple: true }),
      h("button", { type: "submit" }, t("faults.submit")));
    el.append(form);
    el.append(h("h2", {}, t("faults.mine")));
    if (!mine.tickets.length) el.append(h("p", {}, t("faults.none")));
    else el.append(table([t("faults.no"), t("faults.product"), t("faults.created"), t("faults.status")], mine.tickets.map((/** @type {any} */ k) => [
      h("a", { href: "#/faults/" + encodeURIComponent(k.ticket_no) }, k.ticket_no), t("product." + k.product), fmt.datetime(k.created_at), badge(k.status)])));
  } });

  page({ id: "fault", path: "#/faults/:no", nav: null, auth: true, roles: ["customer", "building_manager"], async render(el, params) {
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const { data: k } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/faults/${encodeURIComponent(params.no)}`);
    const a = k.address;
    if (justSent) { el.append(h("div", { class: "flash ok", role: "status" }, justSent)); justSent = null; }
    el.append(h("h1", {}, t("faults.ticket", { no: k.ticket_no })),
      h("p", {}, badge(k.status), " · ", t("product." + k.product), " · ", `${a.street} ${a.building}, ${a.city}`),
      h("p", {}, k.description),
      h("p", { class: "muted" }, t("faults.emergency"), " ", h("a", { href: "tel:" + k.emergency_phone, class: "big-number" }, k.emergency_phone)),
      h("h2", {}, t("faults.history")),
      h("ol", { class: "timeline" }, (k.history || []).map((/** @type {any} */ c) => h("li", {}, fmt.datetime(c.at), " — ", badge(c.status), c.note ? " " + c.note : ""))),
      (k.photos || []).length ? h("p", {}, (k.photos || []).map((/** @type {any} */ p, /** @type {any} */ i) => h("a", { href: p.url, target: "_blank", rel: "noopener" }, `📷 ${i + 1} `))) : null);
  } });

  page({ id: "fault-queue", path: "#/operator/faults", nav: ["Awarie (operator)", "Faults (operator)"], auth: true, roles: ["operator"], order: 43, async render(el) {
    el.append(h("h1", {}, t("faults.queue")));
    const { data } = await api("GET", "/faults");
    if (!data.tickets.length) { el.append(h("p", {}, t("faults.queue_none"))); return; }
    el.append(table([t("faults.no"), t("faults.product"), t("faults.city"), t("faults.summary"), t("faults.created"), t("faults.status")], data.tickets.map((/** @type {any} */ k) => {
      const select = h("select", { "aria-label": t("faults.change") }, STATUSES.slice(STATUSES.indexOf(k.status)).map((s) => h("option", { value: s, selected: s === k.status }, t("faults.status." + s))));
      return [k.ticket_no, t("product." + k.product), k.city, k.summary, fmt.datetime(k.created_at), h("span", {}, badge(k.status), " ", select, " ",
        h("button", { type: "button", class: "secondary", onclick: async () => {
          try { await api("PATCH", `/faults/${encodeURIComponent(k.ticket_no)}`, { status: select.value }); await done(t("faults.changed")); }
          catch (/** @type {any} */ e) { EBOK.flash(e.message, "error"); }
        } }, t("faults.change")))];
    })));
  } });
