/* Online applications (Wnioski): the catalogue's forms built from each type's JSON Schema,
   attachments uploaded straight to storage (presigned POST), the list, one application with
   its history, and the answer when the account manager asks for information. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  addMessages({
    "apps.title": ["Wnioski", "Applications"],
    "apps.new": ["Nowy wniosek", "New application"],
    "apps.type": ["Rodzaj wniosku", "Type of application"],
    "apps.choose": ["— wybierz —", "— choose —"],
    "apps.mine": ["Moje wnioski", "My applications"],
    "apps.none": ["Nie złożono jeszcze wniosków.", "No applications yet."],
    "apps.submit": ["Złóż wniosek", "Submit the application"],
    "apps.sent": ["Wniosek złożony.", "Application submitted."],
    "apps.due": ["Termin odpowiedzi", "Answer by"],
    "apps.status": ["Stan", "Status"],
    "apps.status.draft": ["szkic", "draft"],
    "apps.status.submitted": ["złożony", "submitted"],
    "apps.status.in_review": ["w rozpatrzeniu", "in review"],
    "apps.status.needs_info": ["wymaga uzupełnienia", "needs information"],
    "apps.status.approved": ["zaakceptowany", "approved"],
    "apps.status.rejected": ["odrzucony", "rejected"],
    "apps.status.done": ["zrealizowany", "done"],
    "apps.history": ["Przebieg", "Progress"],
    "apps.attachments": ["Załączniki", "Attachments"],
    "apps.attachment": ["Załącznik: {kind} (PDF, JPEG lub PNG, do 10 MB)", "Attachment: {kind} (PDF, JPEG or PNG, up to 10 MB)"],
    "apps.kind.capacity_calculation": ["obliczenie zapotrzebowania na moc", "capacity calculation"],
    "apps.kind.site_plan": ["plan sytuacyjny", "site plan"],
    "apps.kind.power_of_attorney": ["pełnomocnictwo", "power of attorney"],
    "apps.kind.other": ["inny dokument", "other document"],
    "apps.answer": ["Odpowiedz opiekunowi", "Answer your account manager"],
    "apps.answer_text": ["Twoja odpowiedź", "Your answer"],
    "apps.answer_send": ["Wyślij odpowiedź", "Send the answer"],
    "apps.answered": ["Odpowiedź wysłana.", "Answer sent."],
    "apps.upload_failed": ["Nie udało się przesłać pliku {name}.", "Could not upload the file {name}."],
    "apps.fields": ["Dane wniosku", "Details"],
    "apps.result": ["Efekt", "Result"],
    "apps.role.account_manager": ["opiekun", "manager"],
    "apps.role.admin": ["administrator", "administrator"],
    "apps.role.customer": ["klient", "customer"],
    "apps.role.building_manager": ["klient", "customer"],
    "field.contract_no": ["Umowa", "Contract"], "field.capacity_mw": ["Nowa moc zamówiona [MW]", "New ordered capacity [MW]"],
    "field.effective_from": ["Od dnia", "From"], "field.new_end_date": ["Nowa data końca umowy", "New end date"],
    "field.note": ["Uwagi", "Notes"], "field.termination_date": ["Data rozwiązania umowy", "Termination date"],
    "field.reason": ["Uzasadnienie", "Reason"], "field.email": ["E-mail", "E-mail"], "field.phone": ["Telefon", "Phone"],
    "field.address": ["Adres", "Address"], "field.tariff_group": ["Grupa taryfowa", "Tariff group"],
    "field.product": ["Produkt", "Product"], "field.capacity_kw": ["Moc przyłączeniowa [kW]", "Connection capacity [kW]"],
    "field.requested_date": ["Termin przyłączenia", "Connection date"], "field.amount_grosze": ["Kwota zwrotu [gr]", "Refund amount [grosze]"],
    "field.iban": ["Numer rachunku (IBAN)", "Bank account (IBAN)"], "field.account_holder": ["Właściciel rachunku", "Account holder"],
    "field.instalments": ["Liczba rat", "Number of instalments"], "field.first_due": ["Termin pierwszej raty", "First instalment due"],
    "field.consent": ["Wyrażam zgodę na obciążanie rachunku", "I consent to debits from the account"],
    "field.meter_serial": ["Numer licznika", "Meter number"], "field.premises_id": ["Obiekt", "Premises"],
    "field.proxy_name": ["Imię i nazwisko pełnomocnika", "Proxy's full name"], "field.proxy_email": ["E-mail pełnomocnika", "Proxy's e-mail"],
    "field.proxy_pesel": ["PESEL pełnomocnika", "Proxy's PESEL"],
    "field.street": ["Ulica", "Street"], "field.building": ["Numer budynku", "Building"], "field.apartment": ["Lokal", "Flat"],
    "field.postal_code": ["Kod pocztowy", "Postal code"], "field.city": ["Miejscowość", "City"],
  });
  const enc = encodeURIComponent;
  const lang = () => EBOK.lang;
  /** @type {any} */
  let catalogue = null;
  async function types() { if (!catalogue) catalogue = (await api("GET", "/application-types")).data; return catalogue; }
  /** @param {string} status */
  function badge(status) {
    const kind = { done: "ok", approved: "ok", rejected: "error", needs_info: "warn" }[status] || "";
    return h("span", { class: "badge " + kind, "data-status": status }, t("apps.status." + status));
  }
  /** @param {string} name */
  function label(name) { const k = "field." + name; const s = t(k); return s === k ? name : s; }

  /* One input per schema property (nested objects become a group of inputs "a.b"). */
  /** @param {any} schema @param {string} prefix @param {any} ctx @returns {HTMLElement[]} */
  function inputs(schema, prefix, ctx) {
    /** @type {HTMLElement[]} */
    const out = [];
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const full = prefix ? prefix + "." + name : name;
      const req = (schema.required || []).includes(name);
      if (prop.type === "object" || (Array.isArray(prop.type) && prop.type.includes("object"))) {
        out.push(h("fieldset", {}, h("legend", {}, label(name)), inputs(prop, full, ctx))); continue;
      }
      if (name === "contract_no") { out.push(field(full, label(name), { tag: "select", options: ctx.contracts.map((/** @type {any} */ c) => [c.contract_no, `${c.contract_no} (${t("product." + c.product)})`]), value: ctx.contract })); continue; }
      if (name === "premises_id") { out.push(field(full, label(name), { tag: "select", options: ctx.premises.map((/** @type {any} */ p) => [p.premises_id, p.label]) })); continue; }
      if (name === "meter_serial") { out.push(field(full, label(name), { tag: "select", options: ctx.meters.map((/** @type {any} */ m) => [m.serial, m.serial]) })); continue; }
      if (prop.enum) { out.push(field(full, label(name), { tag: "select", options: prop.enum.map((/** @type {any} */ v) => [v, v]) })); continue; }
      if (prop.const === true) { out.push(h("div", { class: "field check" }, h("label", {}, h("input", { type: "checkbox", name: full, id: "f-" + full.replace(/\W/g, "-"), value: "true" }), " ", label(name)), h("p", { class: "field-error", id: "f-" + full.replace(/\W/g, "-") + "-error" }))); continue; }
      /** @type {Json} */
      const attrs = { required: req || null };
      if (prop.format === "date") attrs.type = "date";
      else if (prop.type === "integer") attrs.type = "number";
      if (prop.maxLength && prop.maxLength > 300) { attrs.tag = "textarea"; }
      out.push(field(full, label(name), attrs));
    }
    return out;
  }
  /** @param {any} schema @param {any} d @param {string} prefix */
  function collect(schema, d, prefix) {
    /** @type {Json} */
    const out = {};
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const full = prefix ? prefix + "." + name : name;
      if (prop.type === "object") { const sub = collect(prop, d, full); if (Object.values(sub).some((v) => v !== undefined && v !== "")) out[name] = sub; continue; }
      let v = d[full];
      if (prop.const === true) { if (v) out[name] = true; else out[name] = false; continue; }
      if (v === undefined || v === "") continue;
      if (prop.type === "integer") v = Number(v);
      out[name] = v;
    }
    return out;
  }
  /** @param {any[]} uploads @param {Record<string, File>} files */
  async function uploadAll(uploads, files) {
    for (const u of uploads) {
      const file = files[u.kind] || files.other;
      if (!file) continue;
      const form = new FormData();
      for (const [k, v] of Object.entries(u.upload.fields)) form.append(k, v);
      form.append("file", file);
      const resp = await fetch(u.upload.url, { method: "POST", body: form });
      if (!resp.ok) throw new Error(t("apps.upload_failed", { name: file.name }));
    }
  }
  /** @param {any[]} kinds @param {boolean} required */
  function fileInputs(kinds, required) {
    return kinds.map((k) => h("div", { class: "field" }, h("label", { for: "file-" + k }, t("apps.attachment", { kind: t("apps.kind." + k) })),
      h("input", { type: "file", id: "file-" + k, name: "file-" + k, "data-kind": k, accept: ".pdf,.jpg,.jpeg,.png", required: required || null }),
      h("p", { class: "field-error", id: "f-attachments-" + k + "-error" })));
  }
  /** @param {HTMLFormElement} form */
  function chosenFiles(form) {
    /** @type {Record<string, File>} */
    const files = {};
    /** @type {Json[]} */
    const meta = [];
    /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input[type=file]")).forEach((i) => { const f = i.files && i.files[0]; if (f) { files[i.dataset.kind || "other"] = f; meta.push({ kind: i.dataset.kind, filename: f.name, content_type: f.type || "application/pdf", size: f.size }); } });
    return { files, meta };
  }

  page({ id: "applications", path: "#/applications", nav: ["Wnioski", "Applications"], roles: ["customer", "building_manager"], order: 26, async render(el) {
    el.append(h("h1", {}, t("apps.title")), h("p", {}, h("a", { class: "button", href: "#/applications/new", id: "new-application" }, t("apps.new"))));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const { data } = await api("GET", `/customers/${enc(customerNo)}/applications`);
    el.append(h("h2", {}, t("apps.mine")));
    if (!data.applications.length) { el.append(h("p", {}, t("apps.none"))); return; }
    el.append(UI.table([t("apps.type"), t("apps.status"), t("apps.due")],
      data.applications.map((/** @type {any} */ a) => [h("a", { href: "#/applications/" + enc(a.application_id) }, lang() === "en" ? a.name_en : a.name_pl),
        badge(a.status), fmt.date(a.due_date)])));
  } });

  page({ id: "application-new", path: "#/applications/new", nav: null, roles: ["customer", "building_manager"], async render(el, params, query) {
    el.append(h("h1", {}, t("apps.new")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const cat = await types();
    const { data: overview } = await api("GET", `/customers/${enc(customerNo)}/overview`);
    const ctx = { contracts: overview.contracts, premises: overview.premises, meters: overview.meters, contract: query.contract };
    const box = h("div", { id: "app-fields" });
    const select = h("select", { id: "f-type", name: "type", onchange: () => draw() },
      h("option", { value: "" }, t("apps.choose")), cat.types.map((/** @type {any} */ x) => h("option", { value: x.code }, lang() === "en" ? x.name_en : x.name_pl)));
    const rid = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now())).replace(/[^A-Za-z0-9-]/g, "");
    function draw() {
      box.innerHTML = "";
      const type = cat.types.find((/** @type {any} */ x) => x.code === select.value);
      if (!type) return;
      box.append(...inputs(type.schema, "", ctx), h("h2", {}, t("apps.attachments")), ...fileInputs(type.required_attachments, true), ...fileInputs(["other"], false),
        h("button", { type: "submit", class: "button" }, t("apps.submit")));
    }
    const form = h("form", { id: "application-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const type = cat.types.find((/** @type {any} */ x) => x.code === select.value);
      if (!type) return;
      const { files, meta } = chosenFiles(form);
      const body = { type: type.code, fields: collect(type.schema, formData(form), ""), attachments: meta, request_id: rid };
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const { data: draft } = await api("POST", `/customers/${enc(customerNo)}/applications`, body);
        await uploadAll(draft.uploads, files);
        const id = draft.application.application_id;
        await api("POST", `/customers/${enc(customerNo)}/applications/${enc(id)}/submit`);
        EBOK.go("#/applications/" + enc(id));
        setTimeout(() => EBOK.flash(t("apps.sent"), "ok"), 300);
      } catch (/** @type {any} */ err) {
        const errs = err.fieldErrors ? err.fieldErrors() : {};
        if (err.problem && err.problem.errors) err.problem.errors = err.problem.errors.map((/** @type {any} */ x) => Object.assign({}, x, { field: x.field.replace(/^fields\./, "") }));
        showErrors(form, err); button.disabled = false; void errs;
      }
    } }, h("div", { class: "field" }, h("label", { for: "f-type" }, t("apps.type")), select), box);
    el.append(form);
    if (query.type) { select.value = query.type; draw(); }
  } });

  /** @param {HTMLElement} el @param {any} a */
  function detailView(el, a) {
    el.append(h("h1", {}, lang() === "en" ? a.name_en : a.name_pl), h("p", {}, t("apps.status"), ": ", badge(a.status), a.due_date ? [" · ", t("apps.due"), ": ", fmt.date(a.due_date)] : null));
    el.append(h("h2", {}, t("apps.fields")), h("dl", { class: "fields" }, Object.entries(a.fields).flatMap(([k, v]) => [h("dt", {}, label(k)), h("dd", {}, typeof v === "object" ? Object.values(v).filter(Boolean).join(", ") : String(v))])));
    if (a.result) el.append(h("h2", {}, t("apps.result")), h("p", { class: "result" }, Object.entries(a.result).filter(([, v]) => typeof v !== "object").map(([k, v]) => `${k}: ${v}`).join(" · ")));
    el.append(h("h2", {}, t("apps.history")), h("ol", { class: "history" }, (a.history || []).map((/** @type {any} */ x) => h("li", {}, fmt.datetime(x.at), " — ", badge(x.to_status), " (", t("apps.role." + x.by_role), ")", x.note ? [": ", h("q", {}, x.note)] : null))));
    el.append(h("h2", {}, t("apps.attachments")), h("ul", {}, (a.attachments || []).map((/** @type {any} */ x) => h("li", {}, h("a", { href: x.url, target: "_blank", rel: "noopener" }, x.filename), " · ", t("apps.kind." + x.kind)))));
  }
  export { detailView as applicationView };

  page({ id: "application", path: "#/applications/:id", nav: null, roles: ["customer", "building_manager"], async render(el, params) {
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const base = `/customers/${enc(customerNo)}/applications/${enc(params.id)}`;
    const { data: a } = await api("GET", base);
    detailView(el, a);
    if (a.status !== "needs_info") return;
    const form = h("form", { id: "answer-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const { files, meta } = chosenFiles(form);
      const button = form.querySelector("button[type=submit]"); button.disabled = true;
      try {
        if (meta.length) { const { data } = await api("POST", base + "/attachments", { attachments: meta }); await uploadAll(data.uploads, files); }
        await api("POST", base + "/answer", { text: formData(form).text || "" });
        await EBOK.render(); EBOK.flash(t("apps.answered"), "ok");
      } catch (err) { showErrors(form, err); button.disabled = false; }
    } }, h("h2", {}, t("apps.answer")), field("text", t("apps.answer_text"), { tag: "textarea", required: true, maxlength: 4000 }), ...fileInputs(["other"], false),
      h("button", { type: "submit", class: "button" }, t("apps.answer_send")));
    el.append(form);
  } });
