/* SMS Alert: customers ask for alerts about outages at their premises (free; in the
   configured cities only), their account manager switches them on in the manager console. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  addMessages({
    "alerts.title": ["SMS Alert", "SMS Alert"],
    "alerts.lead": ["Bezpłatne powiadomienia SMS o awariach i planowanych wyłączeniach w Twoich obiektach. Usługę włącza Twój opiekun klienta; wyłączysz ją sam w każdej chwili.",
      "Free SMS notices about failures and planned outages at your premises. Your account manager switches the service on; you can switch it off yourself at any time."],
    "alerts.cities": ["Usługa jest dostępna dla obiektów w: {cities}.", "The service is available for premises in: {cities}."],
    "alerts.mine": ["Moje powiadomienia", "My alerts"],
    "alerts.none": ["Nie masz jeszcze żadnych powiadomień.", "You have no alerts yet."],
    "alerts.new": ["Poproś o SMS Alert", "Ask for SMS Alert"],
    "alerts.premises": ["Obiekt", "Premises"],
    "alerts.channel": ["Sposób powiadamiania", "How to notify"],
    "alerts.channel.sms": ["SMS", "SMS"],
    "alerts.channel.email": ["E-mail (adres z profilu)", "E-mail (the address in your profile)"],
    "alerts.phone": ["Numer telefonu komórkowego", "Mobile number"],
    "alerts.submit": ["Wyślij prośbę", "Send the request"],
    "alerts.sent": ["Prośba wysłana. Czeka na włączenie przez opiekuna klienta.", "Request sent. It waits for your account manager to switch it on."],
    "alerts.off": ["Wyłącz", "Switch off"],
    "alerts.switched_off": ["Powiadomienia wyłączone.", "Alerts switched off."],
    "alerts.status.pending": ["czeka na włączenie", "waiting to be switched on"],
    "alerts.status.active": ["włączony", "on"],
    "alerts.status.off": ["wyłączony", "off"],
    "alerts.status.rejected": ["odrzucony", "refused"],
    "alerts.to": ["Na", "To"],
    "alerts.requested": ["Zgłoszono", "Requested"],
    "alerts.manager_title": ["SMS Alert — prośby klientów", "SMS Alert — customer requests"],
    "alerts.manager_none": ["Brak próśb czekających na włączenie.", "No requests waiting to be switched on."],
    "alerts.customer": ["Klient", "Customer"],
    "alerts.approve": ["Włącz", "Switch on"],
    "alerts.reject": ["Odrzuć", "Refuse"],
    "alerts.approved": ["SMS Alert włączony.", "SMS Alert switched on."],
    "alerts.rejected": ["Prośba odrzucona.", "Request refused."],
  });

  /* Re-render the page, then say what happened (a flash before a render would be wiped). */
  /** @param {string} message */
  async function done(message) { await EBOK.render(); EBOK.flash(message, "ok"); }

  /** @param {string} status */
  function badge(status) {
    const kind = { active: "ok", pending: "warn", rejected: "err" }[status] || "";
    return h("span", { class: "badge " + kind }, t("alerts.status." + status));
  }
  /** @param {any[]} headers @param {any[]} rows */
  const table = (headers, rows) => UI.table(headers, rows);


  page({ id: "alerts", path: "#/alerts", nav: ["SMS Alert", "SMS Alert"], auth: true, roles: ["customer", "building_manager"], order: 45, async render(el) {
    el.append(h("h1", {}, t("alerts.title")), h("p", { class: "lead" }, t("alerts.lead")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const [{ data }, { data: overview }] = await Promise.all([
      api("GET", `/customers/${encodeURIComponent(customerNo)}/alerts`),
      api("GET", `/customers/${encodeURIComponent(customerNo)}/overview`),
    ]);
    if (data.cities) el.append(h("p", { class: "muted" }, t("alerts.cities", { cities: data.cities.join(", ") })));
    el.append(h("h2", {}, t("alerts.mine")));
    if (!data.alerts.length) el.append(h("p", {}, t("alerts.none")));
    else el.append(table([t("alerts.premises"), t("alerts.to"), t("alerts.requested"), "", ""], data.alerts.map((/** @type {any} */ a) => [
      a.address, a.channel === "sms" ? a.phone : a.email, fmt.datetime(a.requested_at), badge(a.status),
      a.status === "pending" || a.status === "active" ? h("button", { type: "button", class: "secondary alert-off", onclick: async () => {
        try { await api("DELETE", `/customers/${encodeURIComponent(customerNo)}/alerts/${encodeURIComponent(a.alert_id)}`); await done(t("alerts.switched_off")); }
        catch (/** @type {any} */ e) { EBOK.flash(e.message, "error"); }
      } }, t("alerts.off")) : "",
    ])));

    const phoneField = field("phone", t("alerts.phone"), { type: "tel", autocomplete: "tel", placeholder: "+48 600 100 200" });
    const form = h("form", { id: "alert-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      /** @type {Json} */
      const body = { premises_id: d.premises_id, channel: d.channel };
      if (d.channel === "sms") body.phone = d.phone;
      try { await api("POST", `/customers/${encodeURIComponent(customerNo)}/alerts`, body); await done(t("alerts.sent")); }
      catch (err) { showErrors(form, err); }
    } },
      h("h2", {}, t("alerts.new")),
      field("premises_id", t("alerts.premises"), { tag: "select", options: overview.premises.map((/** @type {any} */ p) => [p.premises_id, `${p.label} — ${p.address.street} ${p.address.building}, ${p.address.city}`]) }),
      field("channel", t("alerts.channel"), { tag: "select", options: [["sms", t("alerts.channel.sms")], ["email", t("alerts.channel.email")]], onchange: (/** @type {any} */ e) => { phoneField.hidden = e.target.value !== "sms"; } }),
      phoneField,
      h("button", { type: "submit" }, t("alerts.submit")));
    el.append(form);
  } });

  page({ id: "manager-alerts", path: "#/manager/alerts", nav: ["SMS Alert — prośby", "SMS Alert — requests"], auth: true, roles: ["account_manager"], order: 46, async render(el) {
    el.append(h("h1", {}, t("alerts.manager_title")));
    const { data } = await api("GET", "/manager/alerts");
    if (!data.alerts.length) { el.append(h("p", { class: "none" }, t("alerts.manager_none"))); return; }
    /** @param {any} a @param {string} action @param {string} message */
    async function decide(a, action, message) {
      try { await api("POST", `/customers/${encodeURIComponent(a.customer_no)}/alerts/${encodeURIComponent(a.alert_id)}/${action}`); await done(t(message)); }
      catch (/** @type {any} */ e) { EBOK.flash(e.message, "error"); }
    }
    el.append(table([t("alerts.customer"), t("alerts.premises"), t("alerts.to"), t("alerts.requested"), ""], data.alerts.map((/** @type {any} */ a) => [
      a.customer_no, a.address, a.channel === "sms" ? a.phone : a.email, fmt.datetime(a.requested_at),
      h("span", {},
        h("button", { type: "button", class: "approve", "data-alert": a.alert_id, onclick: () => decide(a, "approve", "alerts.approved") }, t("alerts.approve")), " ",
        h("button", { type: "button", class: "secondary reject", onclick: () => decide(a, "reject", "alerts.rejected") }, t("alerts.reject"))),
    ])));
  } });
