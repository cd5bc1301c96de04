/* Public pages: home, emergency numbers and contact details (no login needed). */
import * as EBOK from "./app.js";
import { t, page, addMessages, auth } from "./app.js";
import { h } from "./components.js";
  addMessages({
    "home.title": ["Elektroniczne Biuro Obsługi Klienta", "Electronic Customer Service Office"],
    "home.lead": ["Faktury, salda i płatności, odczyty liczników, umowy, mapa wyłączeń i zgłoszenia awarii — w jednym miejscu.",
      "Invoices, balances and payments, meter readings, contracts, the outage map and fault reports — all in one place."],
    "home.features": ["Co możesz zrobić w eBOK", "What you can do in eBOK"],
    "home.f1": ["Czytać e-faktury i pobierać je w PDF", "Read e-invoices and download them as PDF"],
    "home.f2": ["Sprawdzać saldo, nadpłaty i zaległości oraz płacić online", "Check your balance, overpayments and arrears and pay online"],
    "home.f3": ["Podawać odczyty liczników i oglądać zużycie", "Submit meter readings and see your consumption"],
    "home.f4": ["Sprawdzać umowy, taryfy i cenniki", "See contracts, tariffs and price lists"],
    "home.f5": ["Śledzić wyłączenia na mapie i dostawać SMS Alert", "Follow outages on the map and get SMS Alerts"],
    "home.f6": ["Kontaktować się ze swoim opiekunem klienta", "Contact your account manager"],
    "home.go": ["Przejdź do swojego konta", "Go to your account"],
    "home.login": ["Zaloguj się", "Log in"],
    "contact.title": ["Awarie i kontakt", "Emergencies and contact"],
    "contact.emergency": ["Numery alarmowe (całą dobę)", "Emergency numbers (24/7)"],
    "contact.heat": ["Pogotowie ciepłownicze", "Heat emergency service"],
    "contact.power": ["Pogotowie energetyczne", "Power emergency service"],
    "contact.general": ["Numer alarmowy", "Emergency number"],
    "contact.office": ["Biuro Obsługi Klienta", "Customer service office"],
    "contact.hours": ["Pon.–pt. 8:00–16:00", "Mon–Fri 8:00–16:00"],
    "contact.manager": ["Po zalogowaniu znajdziesz kontakt do swojego opiekuna klienta.", "After logging in you will find your account manager's contact details."],
    "nav.home": ["Start", "Home"],
  });

  page({ id: "home", path: "#/", nav: ["Start", "Home"], auth: false, order: 0, async render(el) {
    const who = auth.loggedIn() ? await auth.me() : null;
    el.append(
      h("h1", {}, t("home.title")),
      h("p", { class: "lead" }, t("home.lead")),
      h("h2", {}, t("home.features")),
      h("ul", { class: "features" }, ["home.f1", "home.f2", "home.f3", "home.f4", "home.f5", "home.f6"].map((k) => h("li", {}, t(k)))),
      who ? h("a", { class: "button", id: "home-go", href: EBOK.roleHome(who.role) }, t("home.go")) : h("a", { class: "button", id: "home-login", href: "#/login" }, t("home.login")),
    );
  } });

  /** @param {string} label @param {string} number */
  function emergencyCard(label, number) {
    return h("div", { class: "card emergency" }, h("p", {}, label), h("a", { class: "big-number", href: "tel:" + number }, number));
  }

  page({ id: "contact", path: "#/contact", nav: ["Awarie i kontakt", "Emergencies & contact"], auth: false, order: 90, render(el) {
    el.append(
      h("h1", {}, t("contact.title")),
      h("h2", {}, t("contact.emergency")),
      h("div", { class: "cards" }, emergencyCard(t("contact.heat"), "993"), emergencyCard(t("contact.power"), "991"), emergencyCard(t("contact.general"), "112")),
      h("h2", {}, t("contact.office")),
      h("address", {}, "Ciepło i Energia Wrocław S.A.", h("br"), "ul. Obornicka 1, 51-113 Wrocław", h("br"),
        h("a", { href: "tel:+48713000000" }, "+48 71 300 00 00"), h("br"), h("a", { href: "mailto:bok@cieplo.example.pl" }, "bok@cieplo.example.pl")),
      h("p", {}, t("contact.hours")),
      h("p", { class: "muted" }, t("contact.manager")),
    );
  } });
