/* eBOK portal core, the one module every page imports: i18n (Polish first), hash router,
   API client, session tokens, and the shared components (formatting from format.js, the
   table that becomes cards on a phone, badges, form fields and their errors, the confirm
   dialog, premises of a building manager's rows). Each page is its own ES module that
   imports what it uses from here and registers itself with page({...}) and
   addMessages({...}); nothing is shared through window. */
import { createFormat } from "./format.js";

  const LANG_KEY = "ebok.lang";
  const TOKEN_KEY = "ebok.tokens";
  /** @typedef {[string, string]} Pair Polish and English */
  /** @typedef {{ id: string, path: string, nav?: [string, string] | null, auth?: boolean, roles?: string[] | null,
   *    order?: number, group?: string, hideWhenLoggedIn?: boolean,
   *    render: (el: HTMLElement, params: Record<string, string>, query: Record<string, string>) => unknown }} PageDef */
  /** @typedef {PageDef & { order: number, auth: boolean }} Page */
  /** @typedef {{ username: string, role: string, customers: string[], [k: string]: any }} Me */
  /** @typedef {{ field?: string, message: string }} FieldProblem */
  /** @typedef {{ label: string | Node, num?: boolean, key?: boolean, rowHeader?: boolean, plain?: boolean }} Column */
  /** @typedef {Array<unknown> | { cells: Array<unknown>, attrs?: Attrs }} Row */
  /** @typedef {HTMLDivElement & { columns?: Column[] }} TableWrap */
  /** @typedef {{ customerNo: string, list: Array<{ premises_id: string, label: string, [k: string]: any }>, many: boolean,
   *    byContract: Record<string, string>, label: (ids: Array<string | null | undefined>) => string }} PremisesInfo */
  /** @type {Record<string, Pair>} */
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
  /** @type {Page[]} */
  const pages = [];
  /** @type {string} */
  let lang = localStorage.getItem(LANG_KEY) || ((navigator.language || "pl").toLowerCase().startsWith("en") ? "en" : "pl");
  /** @type {Me | null} */
  let me = null;

  /** The text of a message key in the chosen language, with {name} placeholders filled.
   * @param {string} key @param {Record<string, unknown>} [params] */
  function t(key, params) {
    const pair = messages[key];
    let text = pair ? (lang === "en" ? pair[1] : pair[0]) : key;
    if (params) for (const k of Object.keys(params)) text = text.split("{" + k + "}").join(String(params[k]));
    return text;
  }
  /** @param {Record<string, Pair>} obj */
  function addMessages(obj) { Object.assign(messages, obj); }

  /* Tiny DOM builder: h("p", {class: "x", onclick: fn}, "text", child) */
  /** Attributes of h(): on<event> handlers (given the event) and attribute values.
   * @typedef {{ [name: string]: unknown, [event: `on${string}`]: ((e: any) => unknown) | null | undefined | false }} Attrs */
  /** @param {string} tag @param {Attrs | null} [attrs] @param {...any} children
   * @returns {any} the element (any: pages use it as the input, select or form it is) */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
      else if (k === "html") el.innerHTML = String(v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /* One way to write numbers and dates (issue 16): format.js, in the chosen language. */
  const fmt = createFormat(() => (lang === "en" ? "en" : "pl"));

  /** An element of index.html that is always there. @param {string} id @returns {HTMLElement} */
  function byId(id) {
    const el = document.getElementById(id);
    if (!el) throw new Error("index.html lacks #" + id);
    return el;
  }
  function mainElement() { return byId("main"); }

  /** Forget what was loaded for the previous login. */
  function forget() {
    for (const k of Object.keys(premisesCache)) delete premisesCache[k];
  }
  const auth = {
    tokens() { try { return JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null"); } catch (e) { return null; } },
    /** @param {Record<string, any>} tokens */
    set(tokens) { sessionStorage.setItem(TOKEN_KEY, JSON.stringify(tokens)); me = null; forget(); },
    clear() { sessionStorage.removeItem(TOKEN_KEY); me = null; forget(); },
    loggedIn() { const tk = auth.tokens(); return !!(tk && tk.access_token); },
    /** @returns {Promise<Me | null>} */
    async me() {
      if (!auth.loggedIn()) return null;
      if (me) return me;
      try { me = (await api("GET", "/me")).data; } catch (e) { me = null; }
      return me;
    },
  };

  class ApiError extends Error {
    /** @param {number} status @param {any} [problem] the problem+json answer */
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title || problem.Message || problem.message)) || "HTTP " + status);
      this.status = status; this.problem = problem || {};
    }
    /** @returns {Record<string, string>} */
    fieldErrors() {
      /** @type {Record<string, string>} */
      const out = {};
      for (const e of /** @type {FieldProblem[]} */ (this.problem.errors || [])) {
        const k = e.field || "";
        out[k] = out[k] ? out[k] + " " + e.message : e.message;
      }
      return out;
    }
  }

  /** @param {string} method @param {string} path @param {unknown} [body]
   * @param {{ raw?: boolean, contentType?: string, noRedirect?: boolean }} [options]
   * @returns {Promise<{ status: number, data: any, headers: Headers }>} */
  async function api(method, path, body, options) {
    /** @type {Record<string, string>} */
    const headers = { "Accept": "application/json", "Accept-Language": lang };
    const tk = auth.tokens();
    if (tk && tk.access_token) headers["Authorization"] = "Bearer " + tk.access_token;
    let payload;
    if (body !== undefined && body !== null) {
      if (options && options.raw) { payload = /** @type {BodyInit} */ (body); headers["Content-Type"] = options.contentType || "application/octet-stream"; }
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
  /** @param {PageDef} def */
  function page(def) { pages.push(Object.assign({ order: 50, auth: true }, def)); }

  /** @param {string} hash @returns {{ page: Page, params: Record<string, string> } | null} */
  function match(hash) {
    const path = (hash || "#/").split("?")[0];
    for (const p of pages) {
      /** @type {string[]} */
      const names = [];
      const re = new RegExp("^" + p.path.replace(/:(\w+)/g, (_, /** @type {string} */ n) => { names.push(n); return "([^/]+)"; }) + "$");
      const m = path.match(re);
      if (m) { const params = /** @type {Record<string, string>} */ ({}); names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]))); return { page: p, params }; }
    }
    return null;
  }
  /* For the browser tests' walk: every page's address pattern and who may open it, the
     pattern an address belongs to, and the message catalogue (Polish, English). */
  function routes() { return pages.map((p) => ({ path: p.path, roles: p.roles || null, auth: !!p.auth, hideWhenLoggedIn: !!p.hideWhenLoggedIn })); }
  /** @param {string} hash */
  function routeOf(hash) { const found = match(hash); return found ? found.page.path : null; }
  function catalogue() { return Object.assign({}, messages); }
  function query() { const q = (location.hash.split("?")[1] || ""); return Object.fromEntries(new URLSearchParams(q)); }
  /** @param {string} hash */
  function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

  /** @param {string} text @param {string} [kind] info | ok | warn | error */
  function flash(text, kind) {
    const main = mainElement();
    const note = h("div", { class: "flash " + (kind || "info"), role: kind === "error" ? "alert" : "status" }, text);
    main.prepend(note);
    setTimeout(() => note.remove(), 8000);
  }

  /* Navigation: a few menus (groups) that fit one row on a laptop and become a drawer on a
     phone. A page may name its group (def.group); otherwise it is derived from its path and
     roles, so pages added by other areas land in a sensible menu. */
  const STAFF = ["account_manager", "operator", "admin"];
  const GROUP_ORDER = ["start", "billing", "account", "service", "work", "admin"];
  /** @type {Record<string, string>} */
  const GROUP_OF = {
    invoices: "billing", payments: "billing", readings: "billing", consumption: "billing",
    account: "account", contracts: "account", applications: "account", documents: "account", inbox: "account", alerts: "account", profile: "account",
    outages: "service", faults: "service", tariffs: "service", contact: "service",
  };
  /** @param {Page} p */
  function groupOf(p) {
    if (p.group) return p.group;
    if (p.id === "home" || p.id === "dashboard") return "start";
    if (p.id === "login") return null;
    if (p.path.startsWith("#/admin/")) return "admin";
    if (GROUP_OF[p.id]) return GROUP_OF[p.id];
    if (p.roles && p.roles.every((r) => STAFF.includes(r))) return "work";
    return p.auth === false ? "service" : "account";
  }
  /** @param {string | null | undefined} role */
  function roleHome(role) {
    if (role === "customer" || role === "building_manager") return "#/account";
    return role ? "#/home" : "#/";
  }
  /** @param {Page} p @param {Me | null} who */
  function visible(p, who) {
    return p.nav && (!p.auth || who) && (!p.roles || (who && p.roles.includes(who.role))) && (!p.hideWhenLoggedIn || !who);
  }
  /** @param {Element | null} except */
  function closeMenus(except) {
    document.querySelectorAll("#nav .nav-group > button[aria-expanded=true]").forEach((b) => { if (b !== except) b.setAttribute("aria-expanded", "false"); });
  }
  /** @param {boolean} open */
  function setDrawer(open) {
    const nav = byId("nav");
    nav.classList.toggle("open", open);
    document.body.classList.toggle("drawer-open", open);
    byId("menu-toggle").setAttribute("aria-expanded", String(open));
  }

  async function renderNav() {
    const nav = byId("nav");
    const who = await auth.me();
    const current = (location.hash || "#/").split("?")[0];
    nav.innerHTML = "";
    nav.setAttribute("aria-label", t("nav.main"));
    const label = (/** @type {Page} */ p) => (p.nav ? (lang === "en" ? p.nav[1] : p.nav[0]) : p.id);
    const shown = pages.filter((p) => visible(p, who) && p.id !== "home" && p.id !== "dashboard").sort((a, b) => a.order - b.order);
    /** @type {Record<string, Page[]>} */
    const groups = {};
    /** @type {Page[]} */
    const loose = [];
    for (const p of shown) { const g = groupOf(p); if (!g || g === "start") loose.push(p); else (groups[g] = groups[g] || []).push(p); }
    const ul = h("ul", { class: "nav-groups" });
    const link = (/** @type {string} */ href, /** @type {string} */ text, /** @type {string} */ id) => h("a", { href, "data-page": id, "aria-current": href === current ? "page" : null }, text);
    ul.append(h("li", { class: "nav-item" }, link(who ? roleHome(who.role) : "#/", who ? t("nav.group.start") : t("nav.home_public"), "home")));
    for (const g of GROUP_ORDER) {
      const items = groups[g];
      if (!items) continue;
      if (items.length === 1) { ul.append(h("li", { class: "nav-item" }, link(items[0].path, label(items[0]), items[0].id))); continue; }
      const id = "menu-" + g;
      const active = items.some((p) => p.path === current);
      const button = h("button", { type: "button", class: "nav-menu" + (active ? " active" : ""), "aria-expanded": "false", "aria-controls": id, "data-group": g }, t("nav.group." + g));
      button.addEventListener("click", (/** @type {Event} */ e) => {
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
    byId("logout").hidden = !who;
    byId("who").textContent = who ? who.username + " · " + t("role." + who.role) : "";
    const switcher = byId("lang-switch");
    switcher.textContent = lang === "en" ? "PL" : "EN";
    switcher.setAttribute("aria-label", lang === "en" ? "PL – polski" : "EN – English");
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = t(el.getAttribute("data-i18n") || "")));
    document.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", t(el.getAttribute("data-i18n-label") || "")));
  }

  /** @param {string} text */
  function setTitle(text) { document.title = text + " — " + t("title.suffix"); }

  // Renders overlap when the address changes while a page still loads: only the newest one
  // may touch <main>, and <main data-rendered> names the address it finished drawing.
  let renderSeq = 0;
  async function render() {
    const seq = ++renderSeq;
    const main = mainElement();
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
      el.querySelectorAll(".table-wrap, table").forEach((/** @type {HTMLElement} */ w) => { if (w.scrollWidth > w.clientWidth && !w.hasAttribute("tabindex")) w.tabIndex = 0; });
      const heading = el.querySelector("h1");
      setTitle(heading ? heading.textContent : (p.nav ? (lang === "en" ? p.nav[1] : p.nav[0]) : "e-BOK"));
    } catch (e) {
      if (seq !== renderSeq) return;
      main.innerHTML = "";
      main.append(h("div", { class: "flash error", role: "alert" }, (e instanceof Error && e.message) || String(e)));
    }
    done();
  }

  function start() {
    byId("lang-switch").addEventListener("click", () => {
      lang = lang === "pl" ? "en" : "pl"; localStorage.setItem(LANG_KEY, lang); render();
    });
    byId("logout").addEventListener("click", async () => {
      for (const hook of logoutHooks) { try { await hook(); } catch (e) { /* still log out locally */ } }
      auth.clear(); go("#/");
    });
    const toggle = byId("menu-toggle");
    toggle.addEventListener("click", (e) => { e.stopPropagation(); setDrawer(!byId("nav").classList.contains("open")); });
    document.addEventListener("click", (e) => { if (!(e.target instanceof Element) || !e.target.closest(".nav-group")) closeMenus(null); });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      const open = /** @type {HTMLElement | null} */ (document.querySelector("#nav .nav-group > button[aria-expanded=true]"));
      if (open) { closeMenus(null); open.focus(); } else if (byId("nav").classList.contains("open")) { setDrawer(false); toggle.focus(); }
    });
    window.addEventListener("hashchange", render);
    render();
  }

  /* A labelled form field with its error slot; returns the wrapper. */
  /** @param {string} name @param {string} label
   * @param {Record<string, any> & { tag?: "select" | "textarea", options?: Array<[string, string]> }} [attrs] */
  function field(name, label, attrs) {
    const id = "f-" + name.replace(/\W/g, "-");
    const input = attrs && attrs.tag === "select" ? h("select", Object.assign({ id, name }, attrs, { tag: null }), ...(attrs.options || []).map((/** @type {[string, string]} */ o) => h("option", { value: o[0] }, o[1])))
      : attrs && attrs.tag === "textarea" ? h("textarea", Object.assign({ id, name }, attrs, { tag: null }))
      : h("input", Object.assign({ id, name, type: "text" }, attrs || {}, { options: null }));
    return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "field-error", id: id + "-error", "aria-live": "polite" }));
  }
  /* Every invalid field at once, next to the field (problem+json `errors`), nothing the user
     typed is lost (the form is not re-rendered); a summary on top says how many and focuses the
     first. Field names may be dotted ("address.street"); an error for a field the form does not
     show goes into the summary. */
  /** @param {HTMLElement} form @param {string} name @returns {HTMLElement | null} */
  function slotFor(form, name) {
    const key = String(name).replace(/^\//, "").replace(/\//g, ".");
    const candidates = [key, key.replace(/\.\d+(\.|$)/g, "$1").replace(/\.$/, ""), key.split(".")[0]];
    for (const c of candidates) {
      const slot = /** @type {HTMLElement | null} */ (form.querySelector("#f-" + c.replace(/\W/g, "-") + "-error"));
      if (slot) return slot;
    }
    return null;
  }
  /** @param {HTMLElement} form @param {any} err an ApiError (its problem's errors), or null to clear */
  function showErrors(form, err) {
    form.querySelectorAll(".field-error").forEach((p) => (p.textContent = ""));
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    /** @type {FieldProblem[]} */
    const list = err && err.problem && Array.isArray(err.problem.errors) ? err.problem.errors : [];
    /** @type {string[]} */
    const unplaced = [];
    /** @type {HTMLElement | null} */
    let first = null;
    for (const e of list) {
      const slot = slotFor(form, e.field || "");
      if (!slot) { unplaced.push(e.message); continue; }
      slot.textContent = slot.textContent ? slot.textContent + " " + e.message : e.message;
      /** @type {HTMLElement | null} */
      const input = form.querySelector("#" + slot.id.replace(/-error$/, ""));
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", slot.id);
        if (!first) first = input;
      }
    }
    let found = form.querySelector(".form-error");
    if (!found) { found = h("div", { class: "flash error form-error", role: "alert" }); form.prepend(/** @type {HTMLElement} */ (found)); }
    const box = /** @type {HTMLElement} */ (found);
    box.innerHTML = "";
    if (err) {
      box.append(h("p", {}, list.length > 1 ? t("error.form", { n: list.length }) : err.message));
      if (unplaced.length) box.append(h("ul", {}, unplaced.map((m) => h("li", {}, m))));
    }
    box.hidden = !err;
    if (first) /** @type {HTMLElement} */ (first).focus();
    else if (err && box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
  }
  /* The browser's own constraints (required, pattern, type, min/max) checked for every field at
     once before anything is sent; returns true when the form may be submitted. */
  /** @param {HTMLElement} form @returns {FieldProblem[]} */
  function formErrors(form) {
    /** @type {FieldProblem[]} */
    const errors = [];
    /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input, select, textarea")).forEach((el) => {
      if (!el.name || !el.willValidate || el.checkValidity()) return;
      errors.push({ field: el.name, message: el.validity.valueMissing ? t("error.required") : (el.validationMessage || t("error.invalid")) });
    });
    return errors;
  }
  /* extra: errors the page found itself (e.g. nothing picked), shown together with these. */
  /** @param {HTMLElement} form @param {FieldProblem[]} [extra] */
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
  /** @param {string} message @param {string} [yesLabel] @returns {Promise<boolean>} */
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
      /** @type {HTMLElement | null} */
      const cancel = dialog.querySelector("button.secondary");
      if (cancel) cancel.focus();
    });
  }
  /* The shared table: on a phone every row becomes a card, each cell labelled by its column
     (data-label, see styles.css). headers: strings or {label, num, key, rowHeader, plain: the
     card shows the cell without its column's label}; a row is
     an array of cells or {cells, attrs} (attributes of its <tr>, e.g. data-premises).
     appendRows(wrap, rows) adds rows later ("show more") with the same labels. */
  /** @param {Array<string | Node | Column>} headers @returns {Column[]} */
  function columnsOf(headers) {
    return headers.map((x) => (typeof x === "object" && x !== null && !(x instanceof Node) ? x : { label: x }));
  }
  /** @param {Column[]} cols @param {Row} r */
  function tableRow(cols, r) {
    const cells = Array.isArray(r) ? r : r.cells;
    const cell = (/** @type {unknown} */ c, /** @type {number} */ i) => {
      const col = cols[i] || {};
      const cls = [col.num ? "num" : "", col.key ? "key" : ""].filter(Boolean).join(" ") || null;
      const label = col.plain ? null : col.label instanceof Node ? col.label.textContent : col.label || null;
      return h(col.rowHeader ? "th" : "td", { class: cls, scope: col.rowHeader ? "row" : null, "data-label": label }, c);
    };
    return h("tr", Array.isArray(r) ? {} : r.attrs || {}, cells.map(cell));
  }
  /** @param {Array<string | Node | Column>} headers @param {Row[]} rows
   * @param {{ id?: string, class?: string, caption?: string }} [options] @returns {TableWrap} */
  function table(headers, rows, options) {
    const cols = columnsOf(headers);
    const wrap = h("div", { class: "table-wrap" + (options && options.class ? " " + options.class : "") }, h("table", { class: "cards-on-phone", id: options && options.id },
      options && options.caption ? h("caption", {}, options.caption) : null,
      h("thead", {}, h("tr", {}, cols.map((col) => h("th", { scope: "col", class: col.num ? "num" : null }, col.label)))),
      h("tbody", {}, rows.map((r) => tableRow(cols, r)))));
    wrap.columns = cols;
    return wrap;
  }
  /** @param {TableWrap} wrap @param {Row[]} rows */
  function appendRows(wrap, rows) {
    const body = /** @type {HTMLElement} */ (wrap.querySelector("tbody"));
    rows.forEach((r) => body.append(tableRow(wrap.columns || [], r)));
  }

  /* Building managers (and anyone with more than one premises): which premises a row is for,
     and a filter by premises that the API applies (the lists' `premises` parameter); the
     choice is kept per customer for the session and the page is drawn again when it changes. */
  /** @type {Record<string, Promise<PremisesInfo>>} */
  const premisesCache = {};
  /** @param {string} customerNo @returns {Promise<PremisesInfo>} */
  function premisesOf(customerNo) {
    if (!premisesCache[customerNo]) {
      premisesCache[customerNo] = api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`).then(({ data }) => {
        /** @type {Record<string, string>} */
        const labels = Object.fromEntries(data.premises.map((/** @type {{ premises_id: string, label: string }} */ p) => [p.premises_id, p.label]));
        return {
          customerNo,
          list: data.premises,
          many: data.premises.length > 1,
          byContract: Object.fromEntries(data.contracts.map((/** @type {{ contract_no: string, premises_id: string }} */ c) => [c.contract_no, c.premises_id])),
          /** @param {Array<string | null | undefined>} ids */
          label(ids) {
            const names = [...new Set(/** @type {string[]} */ ((ids || []).filter(Boolean)))].map((id) => labels[id] || id);
            return names.length ? names.join(", ") : t("premises.account");
          },
        };
      }).catch((e) => { delete premisesCache[customerNo]; throw e; });
    }
    return premisesCache[customerNo];
  }
  /** @param {PremisesInfo} info */
  function premisesKey(info) { return "ebok.premises." + info.customerNo; }
  /* The premises the lists are filtered to ("" = all): one of the customer's, or none. */
  /** @param {PremisesInfo} info */
  function chosenPremises(info) {
    if (!info.many) return "";
    const chosen = sessionStorage.getItem(premisesKey(info)) || "";
    return info.list.some((p) => p.premises_id === chosen) ? chosen : "";
  }
  /* "&premises=<id>" for a list's address when a premises is chosen, else "". */
  /** @param {PremisesInfo} info */
  function premisesParam(info) {
    const chosen = chosenPremises(info);
    return chosen ? "&premises=" + encodeURIComponent(chosen) : "";
  }
  /* The filter (a labelled select), or null with a single premises. */
  /** @param {PremisesInfo} info */
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
  /** @param {string} text @param {string} [kind] */
  function badge(text, kind) { return h("span", { class: "badge" + (kind ? " " + kind : "") }, text); }

  /** @param {HTMLFormElement} form @returns {Record<string, any>} */
  function formData(form) {
    /** @type {Record<string, any>} */
    const out = {};
    new FormData(form).forEach((v, k) => { out[k] = typeof v === "string" ? v.trim() : v; });
    return out;
  }

  /* The customer number the portal acts for (a building manager may hold several). */
  async function currentCustomer() {
    const who = await auth.me();
    if (!who || !who.customers.length) return null;
    const chosen = sessionStorage.getItem("ebok.customer");
    return chosen && who.customers.includes(chosen) ? chosen : who.customers[0];
  }
  /* Tiles other areas add to the account overview: (el, overview, customerNo) => void; one
     that fails never breaks the overview. */
  /** @type {Array<(el: HTMLElement, overview: any, customerNo: string) => unknown>} */
  const overviewExtras = [];
  /* Called before the local logout (e.g. the API's logout); one that fails is ignored. */
  /** @type {Array<() => unknown>} */
  const logoutHooks = [];

export { t, addMessages, h, fmt, auth, api, ApiError, page, go, flash, start, render, field, showErrors, checkForm, formData, query,
  routes, routeOf, catalogue, table, appendRows, badge, confirmAction as confirm, premisesOf, premisesFilter, chosenPremises, premisesParam, roleHome, setTitle,
  currentCustomer, overviewExtras, logoutHooks, lang };

