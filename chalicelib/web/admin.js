/* Administrator console: institutional registrations (document review, activate / reject),
   customer data (edit, supplement, portal login on/off), the audit log. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  const ADMIN = ["admin"];

  addMessages({
    "adm.regs_title": ["Zgłoszenia rejestracji instytucji", "Institutional registrations"],
    "adm.status.pending": ["oczekujące", "pending"],
    "adm.status.active": ["aktywowane", "activated"],
    "adm.status.rejected": ["odrzucone", "rejected"],
    "adm.status.activating": ["w trakcie aktywacji", "being activated"],
    "adm.none": ["Brak zgłoszeń.", "No registrations."],
    "adm.name": ["Nazwa", "Name"],
    "adm.city": ["Miejscowość", "City"],
    "adm.submitted": ["Wysłano", "Submitted"],
    "adm.documents": ["Dokumenty", "Documents"],
    "adm.open": ["Otwórz", "Open"],
    "adm.reg_title": ["Zgłoszenie {id}", "Registration {id}"],
    "adm.entity": ["Podmiot", "Organisation"],
    "adm.address": ["Adres", "Address"],
    "adm.login_email": ["E-mail do logowania", "Login e-mail"],
    "adm.contact": ["Osoba do kontaktu", "Contact person"],
    "adm.signer": ["Podpisujący w KRS", "Signer named in KRS"],
    "adm.yes": ["tak", "yes"],
    "adm.no": ["nie", "no"],
    "adm.regulations": ["Regulamin", "Regulations"],
    "adm.accepted": ["wersja {version}, zaakceptowano {at}", "version {version}, accepted {at}"],
    "adm.kind": ["Rodzaj", "Kind"],
    "adm.file": ["Plik", "File"],
    "adm.size": ["Rozmiar", "Size"],
    "adm.verified": ["Sprawdzony", "Checked"],
    "adm.activate": ["Aktywuj konto", "Activate the account"],
    "adm.activate_lead": ["Połącz z istniejącym klientem (ten sam NIP) albo utwórz nowego klienta z opiekunem.", "Link to an existing customer (same NIP) or create a new customer with an account manager."],
    "adm.customer_no": ["Numer istniejącego klienta", "Existing customer number"],
    "adm.manager_id": ["Opiekun nowego klienta (np. M1)", "Account manager of a new customer (e.g. M1)"],
    "adm.building_manager": ["Zarządca wielu obiektów", "Building manager (many premises)"],
    "adm.activated": ["Konto aktywowane: klient {customer}, identyfikator {username}. Kody dostępu wysłano e-mailem.", "Account activated: customer {customer}, identifier {username}. The access codes were e-mailed."],
    "adm.reject": ["Odrzuć zgłoszenie", "Reject the registration"],
    "adm.reason": ["Powód (zostanie wysłany e-mailem)", "Reason (will be e-mailed)"],
    "adm.rejected": ["Zgłoszenie odrzucone.", "Registration rejected."],
    "adm.decision": ["Decyzja", "Decision"],
    "adm.history": ["Historia zmian", "Change history"],
    "adm.customers_title": ["Dane klientów", "Customer data"],
    "adm.find": ["Numer klienta", "Customer number"],
    "adm.show": ["Pokaż", "Show"],
    "adm.customer_title": ["Klient {no}", "Customer {no}"],
    "adm.save": ["Zapisz zmiany", "Save changes"],
    "adm.saved": ["Zapisano: {fields}.", "Saved: {fields}."],
    "adm.nothing": ["Nic nie zmieniono.", "Nothing changed."],
    "adm.portal_login": ["Login do e-BOK", "e-BOK login"],
    "adm.buyer_title": ["Nabywca (centralizacja VAT gminy)", "Buyer (municipal VAT centralisation)"],
    "adm.buyer_hint": ["Jednostka gminy (np. przedszkole): faktury wystawiane na gminę jako nabywcę, jednostka jako odbiorca. Puste pola: klient jest nabywcą.", "A municipal unit (e.g. a kindergarten): invoices name the municipality as buyer and the unit as recipient. Empty: the customer is the buyer."],
    "adm.buyer_name": ["Nazwa nabywcy (gminy)", "Buyer (municipality) name"],
    "adm.buyer_nip": ["NIP nabywcy", "Buyer's NIP"],
    "adm.buyer_address": ["Adres nabywcy (ulica nr, kod miejscowość)", "Buyer's address (street no, postcode city)"],
    "adm.no_login": ["Klient nie ma jeszcze loginu.", "The customer has no login yet."],
    "adm.enabled": ["aktywny", "enabled"],
    "adm.disabled": ["wyłączony", "disabled"],
    "adm.disable": ["Wyłącz login", "Disable the login"],
    "adm.enable": ["Włącz login", "Enable the login"],
    "adm.disable_confirm": ["Wyłączyć login {username}? Jego właściciel nie zaloguje się do e-BOK, dopóki login nie zostanie włączony ponownie.",
      "Disable the login {username}? Its owner cannot log in to e-BOK until the login is enabled again."],
    "adm.audit_title": ["Dziennik zdarzeń", "Audit log"],
    "adm.month": ["Miesiąc", "Month"],
    "adm.when": ["Kiedy", "When"],
    "adm.who": ["Kto", "Who"],
    "adm.what": ["Co", "What"],
    "adm.target": ["Obiekt", "Target"],
    "adm.subject.customer": ["klient", "customer"],
    "adm.subject.login": ["login", "login"],
    "adm.subject.application": ["wniosek", "application"],
    "adm.subject.invoice": ["faktura", "invoice"],
    "adm.subject.bank_entry": ["wpłata z wyciągu", "bank credit"],
    "adm.subject.registration": ["rejestracja", "registration"],
    "adm.subject.of_customer": ["klienta", "of customer"],
    "adm.before": ["Przed", "Before"],
    "adm.after": ["Po", "After"],
    "adm.more": ["Pokaż starsze", "Show older"],
    "adm.no_entries": ["Brak wpisów w tym miesiącu.", "No entries this month."],
    "adm.pesel": ["PESEL", "PESEL"],
    "adm.einvoice": ["Zgoda na e-fakturę", "E-invoice consent"],
    "adm.phone": ["Telefon", "Phone"],
    "adm.email": ["E-mail", "E-mail"],
    "adm.login_customers": ["Numery klientów (zarządca może mieć wiele)", "Customer numbers (a building manager may have many)"],
  });

  /** @param {any[]} headers @param {any[]} rows @param {string} id */
  /** @param {Array<string | import("./components.js").Column>} headers @param {import("./components.js").Row[]} rows @param {string} [id] */
  function table(headers, rows, id) { return UI.table(headers, rows, { id }); }
  /** @param {any} a */
  function addressLine(a) { return `${a.street} ${a.building}${a.apartment ? "/" + a.apartment : ""}, ${a.postal_code} ${a.city}`; }
  /** @param {string} status */
  function badge(status) { return h("span", { class: "badge " + ({ active: "ok", pending: "warn", rejected: "err" }[status] || "") }, t("adm.status." + status)); }
  /** @param {number} bytes */
  function kb(bytes) { return bytes === null || bytes === undefined ? "—" : fmt.number(bytes / 1024, 0) + " KB"; }
  /** @param {any} v */
  function json(v) { return v === null || v === undefined ? "—" : h("code", {}, JSON.stringify(v)); }
  /** @param {any[]} entries */
  function history(entries) {
    return table([t("adm.when"), t("adm.who"), t("adm.what"), t("adm.before"), t("adm.after")],
      entries.map((e) => [fmt.datetime(e.at), e.actor, e.action, json(e.before), json(e.after)]));
  }
  /** @param {string} message */
  async function done(message) { await EBOK.render(); EBOK.flash(message, "ok"); }

  /* --- registrations ------------------------------------------------------------- */

  page({ id: "admin-registrations", path: "#/admin/registrations", nav: ["Rejestracje", "Registrations"], auth: true, roles: ADMIN, order: 60, async render(el, params, query) {
    const status = ["pending", "active", "rejected"].includes(query.status) ? query.status : "pending";
    const { data } = await api("GET", `/admin/registrations?status=${status}`);
    el.append(h("h1", {}, t("adm.regs_title")),
      h("p", { class: "tabs" }, ["pending", "active", "rejected"].map((s) => h("a", { href: `#/admin/registrations?status=${s}`, class: "button " + (s === status ? "" : "secondary") }, t("adm.status." + s)))));
    if (!data.registrations.length) { el.append(h("p", {}, t("adm.none"))); return; }
    el.append(table([t("adm.name"), "NIP", t("adm.city"), t("adm.submitted"), t("adm.documents"), ""],
      data.registrations.map((/** @type {any} */ r) => [r.name, r.nip, r.city || "—", fmt.datetime(r.submitted_at), String(r.documents),
        h("a", { href: `#/admin/registrations/${encodeURIComponent(r.registration_id)}`, class: "open-registration" }, t("adm.open"))]), "registrations"));
  } });

  page({ id: "admin-registration", path: "#/admin/registrations/:id", nav: null, auth: true, roles: ADMIN, async render(el, params) {
    const { data: r } = await api("GET", `/admin/registrations/${encodeURIComponent(params.id)}`);
    el.append(h("h1", {}, t("adm.reg_title", { id: r.registration_id }), " ", badge(r.status)),
      h("div", { class: "cards" },
        h("div", { class: "card" }, h("h2", {}, t("adm.entity")), h("p", {}, h("strong", {}, r.name)),
          h("p", {}, `NIP ${r.nip} · REGON ${r.regon}` + (r.krs ? ` · KRS ${r.krs}` : "")),
          h("p", {}, t("adm.address") + ": " + addressLine(r.address)),
          h("p", {}, t("adm.login_email") + ": " + r.email), r.phone ? h("p", {}, r.phone) : null),
        h("div", { class: "card" }, h("h2", {}, t("adm.contact")), h("p", {}, r.contact.name), h("p", {}, r.contact.email), r.contact.phone ? h("p", {}, r.contact.phone) : null,
          h("p", {}, t("adm.signer") + ": " + (r.signer_in_krs ? t("adm.yes") : t("adm.no"))),
          h("p", {}, t("adm.regulations") + ": " + t("adm.accepted", { version: r.regulations_version, at: fmt.datetime(r.regulations_accepted_at) })))));
    el.append(h("h2", {}, t("adm.documents")), table([t("adm.kind"), t("adm.file"), t("adm.size"), t("adm.verified")],
      r.document_list.map((/** @type {any} */ d) => [t("doc." + d.kind), h("a", { href: d.url, target: "_blank", rel: "noopener", class: "document-link" }, d.filename), kb(d.size), d.verified ? "✓" : "—"]), "documents"));
    if (r.status === "pending" || r.status === "activating") {
      const activate = h("form", { id: "activate-form", novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        const d = formData(activate);
        /** @type {Json} */
        const body = { building_manager: !!activate.querySelector("input[name=building_manager]").checked };
        if (d.customer_no) body.customer_no = d.customer_no; else body.manager_id = d.manager_id;
        try { const { data } = await api("POST", `/admin/registrations/${encodeURIComponent(r.registration_id)}/activate`, body); await done(t("adm.activated", { customer: data.customer_no, username: data.username })); }
        catch (err) { showErrors(activate, err); }
      } },
        h("h2", {}, t("adm.activate")), h("p", { class: "muted" }, t("adm.activate_lead")),
        field("customer_no", t("adm.customer_no"), { inputmode: "numeric" }),
        field("manager_id", t("adm.manager_id")),
        h("div", { class: "field" }, h("label", {}, h("input", { type: "checkbox", name: "building_manager" }), " ", t("adm.building_manager"))),
        h("button", { type: "submit", id: "activate-submit" }, t("adm.activate")));
      const reject = h("form", { id: "reject-form", novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        try { await api("POST", `/admin/registrations/${encodeURIComponent(r.registration_id)}/reject`, { reason: formData(reject).reason }); await done(t("adm.rejected")); }
        catch (err) { showErrors(reject, err); }
      } },
        h("h2", {}, t("adm.reject")),
        field("reason", t("adm.reason"), { tag: "textarea", rows: 3, required: true }),
        h("button", { type: "submit", class: "danger", id: "reject-submit" }, t("adm.reject")));
      el.append(h("div", { class: "cards" }, h("div", { class: "card" }, activate), h("div", { class: "card" }, reject)));
    } else {
      el.append(h("h2", {}, t("adm.decision")), h("p", {}, badge(r.status), " ", fmt.datetime(r.decided_at), " · ", r.decided_by || "",
        r.reason ? h("p", {}, r.reason) : null,
        r.customer_no ? h("p", {}, h("a", { href: `#/admin/customers/${encodeURIComponent(r.customer_no)}` }, r.customer_no), " · ", r.username || "") : null));
    }
    if (r.history.length) el.append(h("h2", {}, t("adm.history")), history(r.history));
  } });

  /* --- customers ----------------------------------------------------------------- */

  page({ id: "admin-customers", path: "#/admin/customers", nav: ["Klienci", "Customers"], auth: true, roles: ADMIN, order: 61, render(el) {
    const form = h("form", { id: "customer-find", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const no = formData(form).customer_no;
      if (no) EBOK.go(`#/admin/customers/${encodeURIComponent(no)}`);
    } }, field("customer_no", t("adm.find"), { inputmode: "numeric", required: true }), h("button", { type: "submit" }, t("adm.show")));
    const findLogin = h("form", { id: "login-find", novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const u = formData(findLogin).username;
      if (u) EBOK.go(`#/admin/logins/${encodeURIComponent(u)}`);
    } }, field("username", t("login.username"), { inputmode: "numeric", required: true }), h("button", { type: "submit" }, t("adm.show")));
    el.append(h("h1", {}, t("adm.customers_title")), form, h("h2", {}, t("adm.portal_login")), findLogin);
  } });

  page({ id: "admin-login", path: "#/admin/logins/:username", nav: null, auth: true, roles: ADMIN, async render(el, params) {
    const path = `/admin/logins/${encodeURIComponent(params.username)}`;
    const { data: l } = await api("GET", path);
    const toggle = h("button", { type: "button", class: l.enabled ? "danger" : "", id: "login-toggle", onclick: async () => {
      if (l.enabled && !(await UI.confirm(t("adm.disable_confirm", { username: l.username }), t("adm.disable")))) return;
      try { await api("POST", `${path}/${l.enabled ? "disable" : "enable"}`); await EBOK.render(); }
      catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
    } }, l.enabled ? t("adm.disable") : t("adm.enable"));
    el.append(h("h1", {}, t("adm.portal_login") + " " + l.username),
      h("p", {}, t("role." + l.role), " ", h("span", { class: "badge " + (l.enabled ? "ok" : "err") }, l.enabled ? t("adm.enabled") : t("adm.disabled")), " ", toggle));
    if (l.role === "customer" || l.role === "building_manager") {
      const form = h("form", { id: "login-customers-form", novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        const nos = formData(form).customer_nos.split(/[\s,;]+/).filter(Boolean);
        try { await api("PUT", `${path}/customers`, { customer_nos: nos }); await done(t("adm.saved", { fields: t("profile.customers") })); }
        catch (err) { showErrors(form, err); }
      } },
        field("customer_nos", t("adm.login_customers"), { tag: "textarea", rows: 3 }),
        h("button", { type: "submit" }, t("adm.save")));
      form.querySelector("textarea").value = l.customers.join(", ");
      el.append(h("h2", {}, t("profile.customers")), h("p", {}, l.customers.map((/** @type {any} */ c) => h("a", { href: `#/admin/customers/${encodeURIComponent(c)}`, class: "customer-link" }, c + " "))), form);
    }
    if (l.history.length) el.append(h("h2", {}, t("adm.history")), history(l.history));
  } });

  page({ id: "admin-customer", path: "#/admin/customers/:no", nav: null, auth: true, roles: ADMIN, async render(el, params) {
    const path = `/admin/customers/${encodeURIComponent(params.no)}`;
    const { data } = await api("GET", path);
    const c = data.customer;
    const a = c.address;
    const ids = c.kind === "individual"
      ? [field("pesel", t("adm.pesel"), { value: c.pesel || "" })]
      : [field("nip", "NIP", { value: c.nip || "" }), field("regon", "REGON", { value: c.regon || "" }), field("krs", "KRS", { value: c.krs || "" }),
         h("h2", {}, t("adm.buyer_title")), h("p", { class: "hint" }, t("adm.buyer_hint")),
         field("buyer_name", t("adm.buyer_name"), { value: c.buyer_name || "" }),
         field("buyer_nip", t("adm.buyer_nip"), { value: c.buyer_nip || "" }),
         field("buyer_address", t("adm.buyer_address"), { value: c.buyer_address || "" })];
    const form = h("form", { id: "customer-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      /** @type {Json} */
      const changes = {};
      /** @type {Record<string, string>} */
      const simple = { name: c.name, email: c.email, phone: c.phone || "", pesel: c.pesel || "", nip: c.nip || "", regon: c.regon || "", krs: c.krs || "",
        buyer_name: c.buyer_name || "", buyer_nip: c.buyer_nip || "", buyer_address: c.buyer_address || "" };
      const nullable = ["phone", "krs", "buyer_name", "buyer_nip", "buyer_address"];
      for (const [k, old] of Object.entries(simple)) if (k in d && d[k] !== old) changes[k] = nullable.includes(k) && !d[k] ? null : d[k];
      const addr = { street: d["address.street"], building: d["address.building"], apartment: d["address.apartment"] || null, postal_code: d["address.postal_code"], city: d["address.city"] };
      if (JSON.stringify(addr) !== JSON.stringify({ street: a.street, building: a.building, apartment: a.apartment || null, postal_code: a.postal_code, city: a.city })) changes.address = addr;
      for (const k of ["building_manager", "einvoice_consent"]) {
        const v = !!form.querySelector(`input[name=${k}]`).checked;
        if (v !== !!c[k]) changes[k] = v;
      }
      if (!Object.keys(changes).length) { EBOK.flash(t("adm.nothing"), "info"); return; }
      try { const { data: res } = await api("PATCH", path, changes); await done(t("adm.saved", { fields: res.changed.join(", ") || "—" })); }
      catch (err) { showErrors(form, err); }
    } },
      field("name", t("adm.name"), { value: c.name, required: true }),
      ...ids,
      field("email", t("adm.email"), { type: "email", value: c.email, required: true }),
      field("phone", t("adm.phone"), { type: "tel", value: c.phone || "" }),
      field("address.street", t("inst.street"), { value: a.street }),
      field("address.building", t("inst.building"), { value: a.building }),
      field("address.apartment", t("inst.apartment"), { value: a.apartment || "" }),
      field("address.postal_code", t("inst.postal_code"), { value: a.postal_code }),
      field("address.city", t("inst.city"), { value: a.city }),
      h("div", { class: "field" }, h("label", {}, h("input", { type: "checkbox", name: "building_manager", checked: !!c.building_manager }), " ", t("adm.building_manager"))),
      h("div", { class: "field" }, h("label", {}, h("input", { type: "checkbox", name: "einvoice_consent", checked: !!c.einvoice_consent }), " ", t("adm.einvoice"))),
      h("button", { type: "submit", id: "customer-save" }, t("adm.save")));
    el.append(h("h1", {}, t("adm.customer_title", { no: c.customer_no })), form);

    el.append(h("h2", {}, t("adm.portal_login")));
    const login = data.portal_login;
    if (!login) el.append(h("p", {}, t("adm.no_login")));
    else {
      const toggle = h("button", { type: "button", class: login.enabled ? "danger" : "", id: "login-toggle", onclick: async () => {
        try { await api("POST", `/admin/logins/${encodeURIComponent(login.username)}/${login.enabled ? "disable" : "enable"}`); await EBOK.render(); }
        catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
      } }, login.enabled ? t("adm.disable") : t("adm.enable"));
      el.append(h("p", {}, h("a", { href: `#/admin/logins/${encodeURIComponent(login.username)}` }, login.username), " ", h("span", { class: "badge " + (login.enabled ? "ok" : "err") }, login.enabled ? t("adm.enabled") : t("adm.disabled")), " ", toggle));
    }
    if (data.history.length) el.append(h("h2", {}, t("adm.history")), history(data.history));
  } });

  /* --- audit log ----------------------------------------------------------------- */

  page({ id: "admin-audit", path: "#/admin/audit", nav: ["Dziennik zdarzeń", "Audit log"], auth: true, roles: ADMIN, order: 62, async render(el, params, query) {
    const month = /^\d{4}-\d{2}$/.test(query.month || "") ? query.month : new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Warsaw" }).format(new Date()).slice(0, 7);
    const picker = h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); EBOK.go(`#/admin/audit?month=${formData(picker).month}`); } },
      field("month", t("adm.month"), { type: "month", value: month }), h("button", { type: "submit" }, t("adm.show")));
    el.append(h("h1", {}, t("adm.audit_title")), picker);
    const more = h("button", { type: "button", class: "secondary", hidden: true }, t("adm.more"));
    /** @type {string | null} */
    let cursor = null;
    /** The audited object for people ("klient 100003", "faktura FC-… klienta 100001"). @param {any} e */
    const subject = (e) => {
      const s = e.subject;
      if (!s || s.kind === "other") return e.target;
      const named = `${t("adm.subject." + s.kind)} ${s.ref}`;
      return s.customer_no ? `${named} (${t("adm.subject.of_customer")} ${s.customer_no})` : named;
    };
    const heads = [t("adm.when"), t("adm.who"), t("adm.what"), t("adm.target"), t("adm.before"), t("adm.after")];
    const list = UI.table(heads, [], { id: "audit" });
    async function load() {
      const q = `month=${month}&limit=100` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "");
      const { data } = await api("GET", `/admin/audit?${q}`);
      UI.appendRows(list, data.entries.map((/** @type {any} */ e) => [fmt.datetime(e.at), e.actor, e.action, subject(e), json(e.before), json(e.after)]));
      cursor = data.next;
      more.hidden = !cursor;
    }
    more.addEventListener("click", () => load().catch((err) => EBOK.flash(err.message, "error")));
    const tbody = list.querySelector("tbody");
    el.append(list, more);
    await load();
    if (!tbody || !tbody.children.length) el.append(h("p", {}, t("adm.no_entries")));
  } });
