/* eBOK portal core: i18n (Polish first), hash router, API client, session tokens.
   Area modules (one file each) call EBOK.page({...}) and EBOK.addMessages({...}). */
(function () {
  "use strict";
  const LANG_KEY = "ebok.lang";
  const TOKEN_KEY = "ebok.tokens";
  const messages = {
    skip: ["Przejdź do treści", "Skip to content"],
    menu: ["Menu", "Menu"],
    logout: ["Wyloguj", "Log out"],
    login: ["Zaloguj", "Log in"],
    loading: ["Ładowanie…", "Loading…"],
    "emergency.bar": ["Awaria? Pogotowie ciepłownicze", "Emergency? Heat emergency service"],
    "emergency.power": ["pogotowie energetyczne", "power emergency service"],
    "emergency.general": ["numer alarmowy", "emergency number"],
    "nav.contact": ["Kontakt", "Contact"],
    "error.network": ["Brak połączenia z serwerem. Spróbuj ponownie.", "Cannot reach the server. Please try again."],
    "error.session": ["Sesja wygasła. Zaloguj się ponownie.", "Your session has expired. Please log in again."],
    "error.notfound": ["Nie znaleziono strony.", "Page not found."],
    "role.customer": ["Klient", "Customer"],
    "role.building_manager": ["Zarządca", "Building manager"],
    "role.account_manager": ["Opiekun klienta", "Account manager"],
    "role.operator": ["Operator", "Operator"],
    "role.admin": ["Administrator", "Administrator"],
    "product.heat": ["Ciepło", "Heat"],
    "product.electricity": ["Energia elektryczna", "Electricity"],
    "nav.main": ["Główna nawigacja", "Main navigation"],
    "nav.close": ["Zamknij menu", "Close the menu"],
    "nav.group.start": ["Pulpit", "Dashboard"],
    "nav.group.billing": ["Rozliczenia", "Billing"],
    "nav.group.account": ["Moje konto", "My account"],
    "nav.group.service": ["Awarie i informacje", "Outages & info"],
    "nav.group.work": ["Praca", "Work"],
    "nav.group.admin": ["Administracja", "Administration"],
    "nav.home_public": ["Start", "Home"],
    "error.wrong_role": ["Ta strona jest dostępna dla innej roli.", "This page is for another role."],
    "error.go_home": ["Przejdź do swojego pulpitu", "Go to your dashboard"],
    "error.form": ["Popraw zaznaczone pola ({n}).", "Please correct the marked fields ({n})."],
    "error.required": ["To pole jest wymagane.", "This field is required."],
    "error.invalid": ["Nieprawidłowa wartość.", "Invalid value."],
    "confirm.yes": ["Tak, wykonaj", "Yes, go ahead"],
    "confirm.no": ["Anuluj", "Cancel"],
    "brand.name": ["Ciepło i Energia Wrocław", "Ciepło i Energia Wrocław"],
    "footer.free": ["Korzystanie z e-BOK jest bezpłatne", "e-BOK is free of charge"],
    "footer.regulations": ["Regulamin e-BOK", "e-BOK Regulations"],
    "premises.label": ["Obiekt", "Premises"],
    "premises.filter": ["Pokaż obiekt", "Show premises"],
    "premises.all": ["wszystkie obiekty", "all premises"],
    "premises.account": ["całe konto", "whole account"],
    "title.suffix": ["e-BOK Ciepło i Energia Wrocław", "e-BOK Ciepło i Energia Wrocław"],
  };
  const pages = [];
  let lang = localStorage.getItem(LANG_KEY) || ((navigator.language || "pl").toLowerCase().startsWith("en") ? "en" : "pl");
  let me = null;

  function t(key, params) {
    const pair = messages[key];
    let text = pair ? (lang === "en" ? pair[1] : pair[0]) : key;
    if (params) for (const k of Object.keys(params)) text = text.split("{" + k + "}").join(String(params[k]));
    return text;
  }
  function addMessages(obj) { Object.assign(messages, obj); }

  /* Tiny DOM builder: h("p", {class: "x", onclick: fn}, "text", child) */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "html") el.innerHTML = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /* One way to write numbers and dates (issue 16): format.js, in the chosen language. */
  const fmt = window.EBOKFormat.createFormat(() => (lang === "en" ? "en" : "pl"));

  function forget() {
    for (const k of Object.keys(premisesCache)) delete premisesCache[k];
  }
  const auth = {
    tokens() { try { return JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null"); } catch (e) { return null; } },
    set(tokens) { sessionStorage.setItem(TOKEN_KEY, JSON.stringify(tokens)); me = null; forget(); },
    clear() { sessionStorage.removeItem(TOKEN_KEY); me = null; forget(); },
    loggedIn() { const tk = auth.tokens(); return !!(tk && tk.access_token); },
    async me() {
      if (!auth.loggedIn()) return null;
      if (me) return me;
      try { me = (await api("GET", "/me")).data; } catch (e) { me = null; }
      return me;
    },
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title || problem.Message || problem.message)) || "HTTP " + status);
      this.status = status; this.problem = problem || {};
    }
    fieldErrors() { return (this.problem.errors || []).reduce((acc, e) => { acc[e.field] = acc[e.field] ? acc[e.field] + " " + e.message : e.message; return acc; }, {}); }
  }

  async function api(method, path, body, options) {
    const headers = { "Accept": "application/json", "Accept-Language": lang };
    const tk = auth.tokens();
    if (tk && tk.access_token) headers["Authorization"] = "Bearer " + tk.access_token;
    let payload;
    if (body !== undefined && body !== null) {
      if (options && options.raw) { payload = body; headers["Content-Type"] = options.contentType || "application/octet-stream"; }
      else { payload = JSON.stringify(body); headers["Content-Type"] = "application/json"; }
    }
    let resp;
    try { resp = await fetch(path, { method, headers, body: payload }); }
    catch (e) { throw new ApiError(0, { detail: t("error.network") }); }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (resp.status === 401 || (resp.status === 403 && data && data.Message)) {
      if (auth.loggedIn() && !(options && options.noRedirect)) { auth.clear(); flash(t("error.session"), "error"); go("#/login"); }
      throw new ApiError(resp.status, data && data.detail ? data : { detail: t("error.session") });
    }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return { status: resp.status, data, headers: resp.headers };
  }

  /* Pages: {id, path: "#/invoices/:no", nav: [pl, en] | null, auth: bool, roles: [..], order, render(el, params)} */
  function page(def) { pages.push(Object.assign({ order: 50, auth: true }, def)); }

  function match(hash) {
    const path = (hash || "#/").split("?")[0];
    for (const p of pages) {
      const names = [];
      const re = new RegExp("^" + p.path.replace(/:(\w+)/g, (_, n) => { names.push(n); return "([^/]+)"; }) + "$");
      const m = path.match(re);
      if (m) { const params = {}; names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]))); return { page: p, params }; }
    }
    return null;
  }
  /* For the browser tests' walk: every page's address pattern and who may open it, the
     pattern an address belongs to, and the message catalogue (Polish, English). */
  function routes() { return pages.map((p) => ({ path: p.path, roles: p.roles || null, auth: !!p.auth, hideWhenLoggedIn: !!p.hideWhenLoggedIn })); }
  function routeOf(hash) { const found = match(hash); return found ? found.page.path : null; }
  function catalogue() { return Object.assign({}, messages); }
  function query() { const q = (location.hash.split("?")[1] || ""); return Object.fromEntries(new URLSearchParams(q)); }
  function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

  function flash(text, kind) {
    const main = document.getElementById("main");
    const note = h("div", { class: "flash " + (kind || "info"), role: kind === "error" ? "alert" : "status" }, text);
    main.prepend(note);
    setTimeout(() => note.remove(), 8000);
  }

  /* Navigation: a few menus (groups) that fit one row on a laptop and become a drawer on a
     phone. A page may name its group (def.group); otherwise it is derived from its path and
     roles, so pages added by other areas land in a sensible menu. */
  const STAFF = ["account_manager", "operator", "admin"];
  const GROUP_ORDER = ["start", "billing", "account", "service", "work", "admin"];
  const GROUP_OF = {
    invoices: "billing", payments: "billing", readings: "billing", consumption: "billing",
    account: "account", contracts: "account", applications: "account", documents: "account", inbox: "account", alerts: "account", profile: "account",
    outages: "service", faults: "service", tariffs: "service", contact: "service",
  };
  function groupOf(p) {
    if (p.group) return p.group;
    if (p.id === "home" || p.id === "dashboard") return "start";
    if (p.id === "login") return null;
    if (p.path.startsWith("#/admin/")) return "admin";
    if (GROUP_OF[p.id]) return GROUP_OF[p.id];
    if (p.roles && p.roles.every((r) => STAFF.includes(r))) return "work";
    return p.auth === false ? "service" : "account";
  }
  function roleHome(role) {
    if (role === "customer" || role === "building_manager") return "#/account";
    return role ? "#/home" : "#/";
  }
  function visible(p, who) {
    return p.nav && (!p.auth || who) && (!p.roles || (who && p.roles.includes(who.role))) && (!p.hideWhenLoggedIn || !who);
  }
  function closeMenus(except) {
    document.querySelectorAll("#nav .nav-group > button[aria-expanded=true]").forEach((b) => { if (b !== except) b.setAttribute("aria-expanded", "false"); });
  }
  function setDrawer(open) {
    const nav = document.getElementById("nav");
    nav.classList.toggle("open", open);
    document.body.classList.toggle("drawer-open", open);
    document.getElementById("menu-toggle").setAttribute("aria-expanded", String(open));
  }

  async function renderNav() {
    const nav = document.getElementById("nav");
    const who = await auth.me();
    const current = (location.hash || "#/").split("?")[0];
    nav.innerHTML = "";
    nav.setAttribute("aria-label", t("nav.main"));
    const label = (p) => (lang === "en" ? p.nav[1] : p.nav[0]);
    const shown = pages.filter((p) => visible(p, who) && p.id !== "home" && p.id !== "dashboard").sort((a, b) => a.order - b.order);
    const groups = {};
    const loose = [];
    for (const p of shown) { const g = groupOf(p); if (!g || g === "start") loose.push(p); else (groups[g] = groups[g] || []).push(p); }
    const ul = h("ul", { class: "nav-groups" });
    const link = (href, text, id) => h("a", { href, "data-page": id, "aria-current": href === current ? "page" : null }, text);
    ul.append(h("li", { class: "nav-item" }, link(who ? roleHome(who.role) : "#/", who ? t("nav.group.start") : t("nav.home_public"), "home")));
    for (const g of GROUP_ORDER) {
      const items = groups[g];
      if (!items) continue;
      if (items.length === 1) { ul.append(h("li", { class: "nav-item" }, link(items[0].path, label(items[0]), items[0].id))); continue; }
      const id = "menu-" + g;
      const active = items.some((p) => p.path === current);
      const button = h("button", { type: "button", class: "nav-menu" + (active ? " active" : ""), "aria-expanded": "false", "aria-controls": id, "data-group": g }, t("nav.group." + g));
      button.addEventListener("click", (e) => {
        e.stopPropagation();
        const open = button.getAttribute("aria-expanded") !== "true";
        closeMenus(button);
        button.setAttribute("aria-expanded", String(open));
      });
      ul.append(h("li", { class: "nav-group" }, button,
        h("ul", { class: "submenu", id }, items.map((p) => h("li", {}, link(p.path, label(p), p.id))))));
    }
    for (const p of loose) ul.append(h("li", { class: "nav-item" }, link(p.path, label(p), p.id)));
    nav.append(h("button", { type: "button", class: "drawer-close", "aria-label": t("nav.close"), onclick: () => setDrawer(false) }, "×"), ul);
    document.getElementById("logout").hidden = !who;
    document.getElementById("who").textContent = who ? who.username + " · " + t("role." + who.role) : "";
    const switcher = document.getElementById("lang-switch");
    switcher.textContent = lang === "en" ? "PL" : "EN";
    switcher.setAttribute("aria-label", lang === "en" ? "PL – polski" : "EN – English");
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = t(el.getAttribute("data-i18n"))));
    document.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", t(el.getAttribute("data-i18n-label"))));
  }

  function setTitle(text) { document.title = text + " — " + t("title.suffix"); }

  // Renders overlap when the address changes while a page still loads: only the newest one
  // may touch <main>, and <main data-rendered> names the address it finished drawing.
  let renderSeq = 0;
  async function render() {
    const seq = ++renderSeq;
    const main = document.getElementById("main");
    const found = match(location.hash || "#/");
    const done = () => { if (seq === renderSeq) { main.removeAttribute("aria-busy"); main.dataset.rendered = location.hash || "#/"; } };
    main.setAttribute("aria-busy", "true");
    delete main.dataset.rendered;
    setDrawer(false);
    await renderNav();
    if (seq !== renderSeq) return;
    main.innerHTML = "";
    if (!found) { main.append(h("h1", {}, t("error.notfound"))); setTitle(t("error.notfound")); done(); return; }
    const { page: p, params } = found;
    if (p.auth && !auth.loggedIn()) { sessionStorage.setItem("ebok.next", location.hash); go("#/login"); return; }
    if (p.roles) {
      const who = await auth.me();
      if (seq !== renderSeq) return;
      if (!who || !p.roles.includes(who.role)) {
        main.append(h("h1", {}, t("error.wrong_role")), h("p", {}, h("a", { class: "button", href: roleHome(who && who.role) }, t("error.go_home"))));
        setTitle(t("error.wrong_role"));
        done();
        return;
      }
    }
    main.append(h("p", { class: "loading" }, t("loading")));
    try {
      const el = h("section", { class: "page page-" + p.id });
      await p.render(el, params, query());
      if (seq !== renderSeq) return;
      main.innerHTML = "";
      main.append(el);
      // A table wider than the screen scrolls inside its frame: keyboard users reach it too.
      el.querySelectorAll(".table-wrap, table").forEach((w) => { if (w.scrollWidth > w.clientWidth && !w.hasAttribute("tabindex")) w.tabIndex = 0; });
      const heading = el.querySelector("h1");
      setTitle(heading ? heading.textContent : (p.nav ? (lang === "en" ? p.nav[1] : p.nav[0]) : "e-BOK"));
    } catch (e) {
      if (seq !== renderSeq) return;
      main.innerHTML = "";
      main.append(h("div", { class: "flash error", role: "alert" }, e.message || String(e)));
    }
    done();
  }

  function start() {
    document.getElementById("lang-switch").addEventListener("click", () => {
      lang = lang === "pl" ? "en" : "pl"; localStorage.setItem(LANG_KEY, lang); render();
    });
    document.getElementById("logout").addEventListener("click", async () => {
      if (window.EBOK.onLogout) { try { await window.EBOK.onLogout(); } catch (e) { /* still log out locally */ } }
      auth.clear(); go("#/");
    });
    const toggle = document.getElementById("menu-toggle");
    toggle.addEventListener("click", (e) => { e.stopPropagation(); setDrawer(!document.getElementById("nav").classList.contains("open")); });
    document.addEventListener("click", (e) => { if (!(e.target instanceof Element) || !e.target.closest(".nav-group")) closeMenus(null); });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      const open = /** @type {HTMLElement | null} */ (document.querySelector("#nav .nav-group > button[aria-expanded=true]"));
      if (open) { closeMenus(null); open.focus(); } else if (document.getElementById("nav").classList.contains("open")) { setDrawer(false); toggle.focus(); }
    });
    window.addEventListener("hashchange", render);
    render();
  }

  /* A labelled form field with its error slot; returns the wrapper. */
  function field(name, label, attrs) {
    const id = "f-" + name.replace(/\W/g, "-");
    const input = attrs && attrs.tag === "select" ? h("select", Object.assign({ id, name }, attrs, { tag: null }), ...(attrs.options || []).map((o) => h("option", { value: o[0] }, o[1])))
      : attrs && attrs.tag === "textarea" ? h("textarea", Object.assign({ id, name }, attrs, { tag: null }))
      : h("input", Object.assign({ id, name, type: "text" }, attrs || {}, { options: null }));
    return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "field-error", id: id + "-error", "aria-live": "polite" }));
  }
  /* Every invalid field at once, next to the field (problem+json `errors`), nothing the user
     typed is lost (the form is not re-rendered); a summary on top says how many and focuses the
     first. Field names may be dotted ("address.street"); an error for a field the form does not
     show goes into the summary. */
  function slotFor(form, name) {
    const key = String(name).replace(/^\//, "").replace(/\//g, ".");
    const candidates = [key, key.replace(/\.\d+(\.|$)/g, "$1").replace(/\.$/, ""), key.split(".")[0]];
    for (const c of candidates) {
      const slot = form.querySelector("#f-" + c.replace(/\W/g, "-") + "-error");
      if (slot) return slot;
    }
    return null;
  }
  function showErrors(form, err) {
    form.querySelectorAll(".field-error").forEach((p) => (p.textContent = ""));
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const list = err && err.problem && Array.isArray(err.problem.errors) ? err.problem.errors : [];
    const unplaced = [];
    let first = null;
    for (const e of list) {
      const slot = slotFor(form, e.field || "");
      if (!slot) { unplaced.push(e.message); continue; }
      slot.textContent = slot.textContent ? slot.textContent + " " + e.message : e.message;
      const input = form.querySelector("#" + slot.id.replace(/-error$/, ""));
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", slot.id);
        if (!first) first = input;
      }
    }
    let box = form.querySelector(".form-error");
    if (!box) { box = h("div", { class: "flash error form-error", role: "alert" }); form.prepend(box); }
    box.innerHTML = "";
    if (err) {
      box.append(h("p", {}, list.length > 1 ? t("error.form", { n: list.length }) : err.message));
      if (unplaced.length) box.append(h("ul", {}, unplaced.map((m) => h("li", {}, m))));
    }
    box.hidden = !err;
    if (first && typeof first.focus === "function") first.focus();
    else if (err && box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
  }
  /* The browser's own constraints (required, pattern, type, min/max) checked for every field at
     once before anything is sent; returns true when the form may be submitted. */
  function formErrors(form) {
    const errors = [];
    form.querySelectorAll("input, select, textarea").forEach((el) => {
      if (!el.name || !el.willValidate || el.checkValidity()) return;
      errors.push({ field: el.name, message: el.validity.valueMissing ? t("error.required") : (el.validationMessage || t("error.invalid")) });
    });
    return errors;
  }
  /* extra: errors the page found itself (e.g. nothing picked), shown together with these. */
  function checkForm(form, extra) {
    const errors = formErrors(form).concat(extra || []);
    if (!errors.length) { showErrors(form, null); return true; }
    showErrors(form, new ApiError(400, { detail: errors[0].message, errors }));
    return false;
  }
  /* A destructive staff action asks first: a modal dialog (role alertdialog) in the chosen
     language that the keyboard can use: focus starts on "Cancel", Tab moves between the two
     buttons (the modal keeps focus inside), Escape cancels, and focus returns to the control
     that opened it. Resolves true only for the explicit "yes". */
  let confirmSeq = 0;
  function confirmAction(message, yesLabel) {
    return new Promise((resolve) => {
      const opener = /** @type {HTMLElement | null} */ (document.activeElement);
      const textId = "confirm-text-" + (++confirmSeq);
      const dialog = h("dialog", { class: "confirm", role: "alertdialog", "aria-modal": "true", "aria-labelledby": textId },
        h("p", { id: textId }, message),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "danger", value: "yes", onclick: () => dialog.close("yes") }, yesLabel || t("confirm.yes")),
          h("button", { type: "button", class: "secondary", value: "no", onclick: () => dialog.close("no") }, t("confirm.no"))));
      dialog.addEventListener("close", () => {
        const ok = dialog.returnValue === "yes";
        dialog.remove();
        if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
        resolve(ok);
      });
      document.body.append(dialog);
      if (!dialog.showModal) { dialog.remove(); resolve(window.confirm(message)); return; }
      dialog.showModal();
      const cancel = dialog.querySelector("button.secondary");
      if (cancel) cancel.focus();
    });
  }
  /* The shared table: on a phone every row becomes a card, each cell labelled by its column
     (data-label, see styles.css). headers: strings or {label, num, key, rowHeader, plain: the
     card shows the cell without its column's label}; a row is
     an array of cells or {cells, attrs} (attributes of its <tr>, e.g. data-premises).
     appendRows(wrap, rows) adds rows later ("show more") with the same labels. */
  function columnsOf(headers) {
    return headers.map((x) => (typeof x === "object" && x !== null && !(x instanceof Node) ? x : { label: x }));
  }
  function tableRow(cols, r) {
    const cells = Array.isArray(r) ? r : r.cells;
    const cell = (c, i) => {
      const col = cols[i] || {};
      const cls = [col.num ? "num" : "", col.key ? "key" : ""].filter(Boolean).join(" ") || null;
      const label = col.plain ? null : col.label instanceof Node ? col.label.textContent : col.label || null;
      return h(col.rowHeader ? "th" : "td", { class: cls, scope: col.rowHeader ? "row" : null, "data-label": label }, c);
    };
    return h("tr", Array.isArray(r) ? {} : r.attrs || {}, cells.map(cell));
  }
  function table(headers, rows, options) {
    const cols = columnsOf(headers);
    const wrap = h("div", { class: "table-wrap" + (options && options.class ? " " + options.class : "") }, h("table", { class: "cards-on-phone", id: options && options.id },
      options && options.caption ? h("caption", {}, options.caption) : null,
      h("thead", {}, h("tr", {}, cols.map((col) => h("th", { scope: "col", class: col.num ? "num" : null }, col.label)))),
      h("tbody", {}, rows.map((r) => tableRow(cols, r)))));
    wrap.columns = cols;
    return wrap;
  }
  function appendRows(wrap, rows) {
    const body = wrap.querySelector("tbody");
    rows.forEach((r) => body.append(tableRow(wrap.columns || [], r)));
  }

  /* Building managers (and anyone with more than one premises): which premises a row is for,
     and a filter by premises that the API applies (the lists' `premises` parameter); the
     choice is kept per customer for the session and the page is drawn again when it changes. */
  const premisesCache = {};
  function premisesOf(customerNo) {
    if (!premisesCache[customerNo]) {
      premisesCache[customerNo] = api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`).then(({ data }) => {
        const labels = Object.fromEntries(data.premises.map((p) => [p.premises_id, p.label]));
        return {
          customerNo,
          list: data.premises,
          many: data.premises.length > 1,
          byContract: Object.fromEntries(data.contracts.map((c) => [c.contract_no, c.premises_id])),
          label(ids) {
            const names = [...new Set((ids || []).filter(Boolean))].map((id) => labels[id] || id);
            return names.length ? names.join(", ") : t("premises.account");
          },
        };
      }).catch((e) => { delete premisesCache[customerNo]; throw e; });
    }
    return premisesCache[customerNo];
  }
  function premisesKey(info) { return "ebok.premises." + info.customerNo; }
  /* The premises the lists are filtered to ("" = all): one of the customer's, or none. */
  function chosenPremises(info) {
    if (!info.many) return "";
    const chosen = sessionStorage.getItem(premisesKey(info)) || "";
    return info.list.some((p) => p.premises_id === chosen) ? chosen : "";
  }
  /* "&premises=<id>" for a list's address when a premises is chosen, else "". */
  function premisesParam(info) {
    const chosen = chosenPremises(info);
    return chosen ? "&premises=" + encodeURIComponent(chosen) : "";
  }
  /* The filter (a labelled select), or null with a single premises. */
  function premisesFilter(info) {
    if (!info.many) return null;
    const chosen = chosenPremises(info);
    const select = h("select", { id: "premises-filter", name: "premises", onchange: () => {
      sessionStorage.setItem(premisesKey(info), select.value);
      render();
    } }, h("option", { value: "" }, t("premises.all")),
      info.list.map((p) => h("option", { value: p.premises_id, selected: p.premises_id === chosen }, p.label)));
    return h("div", { class: "field premises-filter" }, h("label", { for: "premises-filter" }, t("premises.filter")), select);
  }
  function badge(text, kind) { return h("span", { class: "badge" + (kind ? " " + kind : "") }, text); }

  function formData(form) {
    const out = {};
    new FormData(form).forEach((v, k) => { out[k] = typeof v === "string" ? v.trim() : v; });
    return out;
  }

  window.EBOK = { t, addMessages, h, fmt, auth, api, ApiError, page, go, flash, start, render, field, showErrors, checkForm, formData, query,
    routes, routeOf, catalogue, table, appendRows, badge, confirm: confirmAction, premisesOf, premisesFilter, chosenPremises, premisesParam, roleHome, setTitle,
    get lang() { return lang; } };
})();
