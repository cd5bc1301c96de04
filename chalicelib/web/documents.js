/* Documents (Dokumenty): the customer's (contracts, annexes, letters, reports) and the public
   ones (regulations with versions, tariff, price lists, forms); the e-BOK is free of charge.
   After login the regulations in force are accepted once (a prompt above the page). */
import * as EBOK from "./app.js";
import { t, page, addMessages, api, auth } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "documents.title": ["Dokumenty", "Documents"],
    "documents.mine": ["Moje dokumenty", "My documents"],
    "documents.public": ["Regulamin, taryfy, cenniki i formularze", "Regulations, tariffs, price lists and forms"],
    "documents.none": ["Brak dokumentów.", "No documents."],
    "documents.kind.contract": ["umowa", "contract"],
    "documents.kind.annex": ["aneks", "annex"],
    "documents.kind.letter": ["pismo", "letter"],
    "documents.kind.report": ["raport", "report"],
    "documents.kind.regulations": ["regulamin", "regulations"],
    "documents.kind.tariff": ["taryfa", "tariff"],
    "documents.kind.price_list": ["cennik", "price list"],
    "documents.kind.form": ["formularz", "form"],
    "documents.in_force": ["obowiązuje", "in force"],
    "documents.archived": ["wersja archiwalna", "earlier version"],
    "documents.download": ["Pobierz", "Download"],
    "documents.regs_prompt": ["Obowiązuje nowy regulamin e-BOK (wersja {version}). Zapoznaj się z nim i zaakceptuj, aby dalej korzystać z e-BOK.",
      "New e-BOK regulations are in force (version {version}). Read and accept them to go on using the e-BOK."],
    "documents.regs_read": ["Przeczytaj regulamin", "Read the regulations"],
    "documents.regs_accept": ["Akceptuję regulamin", "I accept the regulations"],
    "documents.regs_accepted": ["Dziękujemy — regulamin zaakceptowany.", "Thank you — regulations accepted."],
  });
  const lang = () => EBOK.lang;
  /** @param {any[]} docs @param {boolean} withVersion */
  function list(docs, withVersion) {
    if (!docs.length) return h("p", {}, t("documents.none"));
    return h("ul", { class: "documents" }, docs.map((d) => h("li", {},
      h("a", { href: d.url, target: "_blank", rel: "noopener", "data-document": d.document_id }, lang() === "en" ? d.title_en : d.title_pl),
      " · ", t("documents.kind." + d.kind), " · ", fmt.date(d.created_at || d.published_at),
      withVersion && d.kind === "regulations" ? [" · ", h("span", { class: "badge " + (d.in_force ? "ok" : "") }, d.in_force ? t("documents.in_force") : t("documents.archived"))] : null)));
  }
  /** @param {HTMLElement} el */
  async function publicSection(el) {
    const { data } = await api("GET", "/public/documents");
    el.append(h("h2", {}, t("documents.public")), h("p", { class: "flash ok free-of-charge" }, lang() === "en" ? data.statement_en : data.statement_pl), list(data.documents, true));
  }

  page({ id: "documents", path: "#/documents", nav: ["Dokumenty", "Documents"], auth: false, order: 24, async render(el) {
    el.append(h("h1", {}, t("documents.title")));
    const who = await auth.me();
    if (who && ["customer", "building_manager"].includes(who.role) && who.customers.length) {
      const customerNo = await EBOK.currentCustomer();
      if (customerNo) {
        const { data } = await api("GET", `/customers/${encodeURIComponent(customerNo)}/documents`);
        el.append(h("h2", {}, t("documents.mine")), list(data.documents, false));
      }
    }
    await publicSection(el);
  } });

  /* The regulations prompt: once per session after login, above the page (outside <main>,
     so page renders keep it), until the version in force is accepted. */
  async function checkRegulations() {
    if (!auth.loggedIn()) {
      sessionStorage.removeItem("ebok.regs");
      const old = document.getElementById("regs-prompt");
      if (old) old.remove();
      return;
    }
    if (sessionStorage.getItem("ebok.regs") === "ok" || document.getElementById("regs-prompt")) return;
    let mine;
    try { mine = (await api("GET", "/me/regulations", null, { noRedirect: true })).data; } catch (e) { return; }
    if (mine.accepted) { sessionStorage.setItem("ebok.regs", "ok"); return; }
    const v = mine.current.version;
    const box = h("div", { id: "regs-prompt", class: "flash warn regs-prompt", role: "alert" },
      h("p", {}, t("documents.regs_prompt", { version: v })),
      mine.current.url ? h("a", { href: mine.current.url, target: "_blank", rel: "noopener" }, t("documents.regs_read")) : null, " ",
      h("button", { type: "button", class: "button", onclick: async () => {
        await api("POST", "/me/regulations", { version: v });
        sessionStorage.setItem("ebok.regs", "ok"); box.remove(); EBOK.flash(t("documents.regs_accepted"), "ok");
      } }, t("documents.regs_accept")));
    const main = document.getElementById("main");
    if (main && main.parentNode) main.parentNode.insertBefore(box, main);
  }
  window.addEventListener("hashchange", () => { setTimeout(checkRegulations, 300); });
  window.addEventListener("load", () => { setTimeout(checkRegulations, 500); });
