/* eBOK portal shell, the module every page imports: hash router and navigation, the API
   client, session tokens and who is logged in, flash notes, the page title, the premises
   filter's session (the chosen premises), and i18n (t, addMessages, lang: i18n.js). The
   components (h, table/cards, badges, fields and their errors, confirm, fmt) are in
   components.js, which knows nothing of the router or the session. Each page is its own ES
   module that imports the shell from here and the components from components.js, and
   registers itself with page({...}) and addMessages({...}); nothing is shared through window. */
import { lang, setLang, t, addMessages, catalogue } from "./i18n.js";
import { h, premisesInfo, premisesSelect } from "./components.js";

  const TOKEN_KEY = "ebok.tokens";
  /** @typedef {{ id: string, path: string, nav?: [string, string] | null, auth?: boolean, roles?: string[] | null,
   *    order?: number, group?: string, hideWhenLoggedIn?: boolean,
   *    render: (el: HTMLElement, params: Record<string, string>, query: Record<string, string>) => unknown }} PageDef */
  /** @typedef {PageDef & { order: number, auth: boolean }} Page */
  /** @typedef {import("./api-types.js").Me} Me */
  /** @typedef {import("./components.js").FieldProblem} FieldProblem */
  /** @typedef {import("./components.js").PremisesInfo} PremisesInfo */
  addMessages({
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
    "brand.name": ["Ciepło i Energia Wrocław", "Ciepło i Energia Wrocław"],
    "footer.free": ["Korzystanie z e-BOK jest bezpłatne", "e-BOK is free of charge"],
    "footer.regulations": ["Regulamin e-BOK", "e-BOK Regulations"],
    "premises.label": ["Obiekt", "Premises"],
    "title.suffix": ["e-BOK Ciepło i Energia Wrocław", "e-BOK Ciepło i Energia Wrocław"],
  });
  /** @type {Page[]} */
  const pages = [];
  /** @type {Me | null} */
  let me = null;

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
      try { me = /** @type {Me} */ ((await api("GET", "/me")).data); } catch (e) { me = null; }
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
      // Only the session that sent the request ends: an answer to a request made with an
      // older token (sent before a logout, answered after the next login) keeps the new one.
      const current = auth.tokens();
      const same = !!(tk && current && current.access_token === tk.access_token);
      if (same && !(options && options.noRedirect)) { auth.clear(); flash(t("error.session"), "error"); go("#/login"); }
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
      setLang(lang === "pl" ? "en" : "pl"); render();
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

  /* Building managers (and anyone with more than one premises): which premises a row is for,
     and a filter by premises that the API applies (the lists' `premises` parameter); the
     choice is kept per customer for the session and the page is drawn again when it changes. */
  /** @type {Record<string, Promise<PremisesInfo>>} */
  const premisesCache = {};
  /** @param {string} customerNo @returns {Promise<PremisesInfo>} */
  function premisesOf(customerNo) {
    if (!premisesCache[customerNo]) {
      premisesCache[customerNo] = api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`)
        .then(({ data }) => premisesInfo(customerNo, data))
        .catch((e) => { delete premisesCache[customerNo]; throw e; });
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
  /* The filter (a labelled select), or null with a single premises: the choice is kept for
     the session and the page is drawn again. */
  /** @param {PremisesInfo} info */
  function premisesFilter(info) {
    return premisesSelect(info, chosenPremises(info), (chosen) => {
      sessionStorage.setItem(premisesKey(info), chosen);
      render();
    });
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
  /** @type {Array<(el: HTMLElement, overview: import("./api-types.js").Overview, customerNo: string) => unknown>} */
  const overviewExtras = [];
  /* Called before the local logout (e.g. the API's logout); one that fails is ignored. */
  /** @type {Array<() => unknown>} */
  const logoutHooks = [];

export { t, addMessages, lang, catalogue, auth, api, ApiError, page, go, flash, start, render, query, routes, routeOf,
  premisesOf, premisesFilter, chosenPremises, premisesParam, roleHome, setTitle, currentCustomer, overviewExtras, logoutHooks };
