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
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const fmt = {
    money(grosze) {
      if (grosze === null || grosze === undefined) return "—";
      return new Intl.NumberFormat(lang === "en" ? "en-GB" : "pl-PL", { style: "currency", currency: "PLN" }).format(grosze / 100);
    },
    date(iso) {
      if (!iso) return "—";
      const d = iso.length <= 10 ? new Date(iso + "T12:00:00Z") : new Date(iso);
      return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "pl-PL", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
    },
    datetime(iso) {
      if (!iso) return "—";
      return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "pl-PL", { timeZone: "Europe/Warsaw", dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
    },
    number(value, digits) {
      return new Intl.NumberFormat(lang === "en" ? "en-GB" : "pl-PL", { maximumFractionDigits: digits === undefined ? 3 : digits }).format(Number(value));
    },
  };

  const auth = {
    tokens() { try { return JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null"); } catch (e) { return null; } },
    set(tokens) { sessionStorage.setItem(TOKEN_KEY, JSON.stringify(tokens)); me = null; },
    clear() { sessionStorage.removeItem(TOKEN_KEY); me = null; },
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
    fieldErrors() { return (this.problem.errors || []).reduce((acc, e) => { acc[e.field] = e.message; return acc; }, {}); }
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
  function query() { const q = (location.hash.split("?")[1] || ""); return Object.fromEntries(new URLSearchParams(q)); }
  function go(hash) { if (location.hash === hash) render(); else location.hash = hash; }

  function flash(text, kind) {
    const main = document.getElementById("main");
    const note = h("div", { class: "flash " + (kind || "info"), role: kind === "error" ? "alert" : "status" }, text);
    main.prepend(note);
    setTimeout(() => note.remove(), 8000);
  }

  async function renderNav() {
    const nav = document.getElementById("nav");
    const who = await auth.me();
    nav.innerHTML = "";
    const ul = h("ul");
    pages.filter((p) => p.nav && (!p.auth || who) && (!p.roles || (who && p.roles.includes(who.role))) && (!p.hideWhenLoggedIn || !who))
      .sort((a, b) => a.order - b.order)
      .forEach((p) => ul.append(h("li", {}, h("a", { href: p.path, "data-page": p.id }, lang === "en" ? p.nav[1] : p.nav[0]))));
    nav.append(ul);
    document.getElementById("logout").hidden = !who;
    document.getElementById("who").textContent = who ? who.username + " · " + t("role." + who.role) : "";
    document.getElementById("lang-switch").textContent = lang === "en" ? "PL" : "EN";
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = t(el.getAttribute("data-i18n"))));
    const current = (location.hash || "#/").split("?")[0];
    nav.querySelectorAll("a").forEach((a) => a.setAttribute("aria-current", a.getAttribute("href") === current ? "page" : "false"));
  }

  async function render() {
    const main = document.getElementById("main");
    const found = match(location.hash || "#/");
    await renderNav();
    main.innerHTML = "";
    if (!found) { main.append(h("h1", {}, t("error.notfound"))); return; }
    const { page: p, params } = found;
    if (p.auth && !auth.loggedIn()) { sessionStorage.setItem("ebok.next", location.hash); go("#/login"); return; }
    if (p.roles) {
      const who = await auth.me();
      if (!who || !p.roles.includes(who.role)) { main.append(h("h1", {}, t("error.notfound"))); return; }
    }
    main.append(h("p", { class: "loading" }, t("loading")));
    try {
      const el = h("section", { class: "page page-" + p.id });
      await p.render(el, params, query());
      main.innerHTML = "";
      main.append(el);
      const heading = el.querySelector("h1");
      if (heading) document.title = heading.textContent + " — eBOK";
    } catch (e) {
      main.innerHTML = "";
      main.append(h("div", { class: "flash error", role: "alert" }, e.message || String(e)));
    }
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
    toggle.addEventListener("click", () => {
      const open = document.getElementById("nav").classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
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
  function showErrors(form, err) {
    form.querySelectorAll(".field-error").forEach((p) => (p.textContent = ""));
    const errors = err && err.fieldErrors ? err.fieldErrors() : {};
    for (const [name, msg] of Object.entries(errors)) {
      const slot = form.querySelector("#f-" + name.replace(/\W/g, "-") + "-error");
      if (slot) slot.textContent = msg;
    }
    let box = form.querySelector(".form-error");
    if (!box) { box = h("div", { class: "flash error form-error", role: "alert" }); form.prepend(box); }
    box.textContent = err ? err.message : "";
    box.hidden = !err;
  }
  function formData(form) {
    const out = {};
    new FormData(form).forEach((v, k) => { out[k] = typeof v === "string" ? v.trim() : v; });
    return out;
  }

  window.EBOK = { t, addMessages, h, fmt, auth, api, ApiError, page, go, flash, start, render, field, showErrors, formData, query,
    get lang() { return lang; } };
})();
