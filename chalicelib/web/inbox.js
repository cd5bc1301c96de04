/* Secure messages (Wiadomości) with the account manager: threads, unread counts, a thread
   that shows new messages without a reload (it asks every few seconds for what is new since
   its last message), attachments uploaded straight to storage. */
import * as EBOK from "./app.js";
import { t, page, addMessages, api, auth } from "./app.js";
import { h, fmt, field, showErrors, formData } from "./components.js";
  addMessages({
    "inbox.title": ["Wiadomości", "Messages"],
    "inbox.new": ["Nowa wiadomość do opiekuna", "New message to your account manager"],
    "inbox.subject": ["Temat", "Subject"],
    "inbox.text": ["Treść", "Message"],
    "inbox.file": ["Załącznik (PDF, JPEG, PNG; opcjonalnie)", "Attachment (PDF, JPEG, PNG; optional)"],
    "inbox.send": ["Wyślij", "Send"],
    "inbox.none": ["Brak wiadomości.", "No messages."],
    "inbox.unread": ["{n} nowe", "{n} new"],
    "inbox.you": ["Ty", "You"],
    "inbox.customer": ["Klient", "Customer"],
    "inbox.manager": ["Opiekun klienta", "Account manager"],
    "inbox.reply": ["Odpowiedz", "Reply"],
    "inbox.note": ["Wiadomości są poufne: e-mail informuje tylko, że nowa wiadomość czeka.", "Messages are confidential: the e-mail only says that a new message is waiting."],
  });
  const enc = encodeURIComponent;
  const POLL_MS = 4000;
  /** @type {number | undefined} */
  let timer;
  window.addEventListener("hashchange", () => { if (timer) { clearInterval(timer); timer = undefined; } });

  /** @param {HTMLInputElement} input */
  function fileMeta(input) { const f = input.files && input.files[0]; return f ? [{ filename: f.name, content_type: f.type || "application/pdf", size: f.size }] : []; }
  /** @param {any[]} uploads @param {HTMLInputElement} input */
  async function upload(uploads, input) {
    const f = input.files && input.files[0];
    for (const u of uploads) {
      const form = new FormData();
      for (const [k, v] of Object.entries(u.upload.fields)) form.append(k, v);
      if (f) form.append("file", f);
      await fetch(u.upload.url, { method: "POST", body: form });
    }
  }

  page({ id: "inbox", path: "#/messages", nav: ["Wiadomości", "Messages"], roles: ["customer", "building_manager"], order: 28, async render(el) {
    el.append(h("h1", {}, t("inbox.title")), h("p", { class: "muted" }, t("inbox.note")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const { data } = await api("GET", `/customers/${enc(customerNo)}/threads`);
    el.append(data.threads.length ? h("ul", { class: "threads" }, data.threads.map((/** @type {any} */ x) => h("li", {},
      h("a", { href: "#/messages/" + enc(x.thread_id) }, x.subject), " · ", fmt.datetime(x.last_at),
      x.unread ? [" ", h("span", { class: "badge warn" }, t("inbox.unread", { n: x.unread }))] : null))) : h("p", {}, t("inbox.none")));
    const file = h("input", { type: "file", id: "f-file", accept: ".pdf,.jpg,.jpeg,.png" });
    const form = h("form", { id: "thread-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      try {
        const { data: posted } = await api("POST", `/customers/${enc(customerNo)}/threads`, { subject: d.subject || "", text: d.text || "", attachments: fileMeta(file) });
        await upload(posted.uploads, file);
        EBOK.go("#/messages/" + enc(posted.thread_id));
      } catch (err) { showErrors(form, err); }
    } }, h("h2", {}, t("inbox.new")), field("subject", t("inbox.subject"), { required: true, maxlength: 200 }),
      field("text", t("inbox.text"), { tag: "textarea", required: true, maxlength: 8000 }),
      h("div", { class: "field" }, h("label", { for: "f-file" }, t("inbox.file")), file), h("button", { type: "submit", class: "button" }, t("inbox.send")));
    el.append(form);
  } });

  /* One thread; customers open #/messages/:id, managers #/messages/:id?customer=NO. */
  /** @param {HTMLElement} el @param {string} customerNo @param {string} threadId */
  async function threadView(el, customerNo, threadId) {
    const who = await auth.me();
    const mySide = who && ["customer", "building_manager"].includes(who.role) ? "customer" : "manager";
    const base = `/customers/${enc(customerNo)}/threads/${enc(threadId)}`;
    const { data } = await api("GET", base);
    el.append(h("h1", {}, data.subject));
    const list = h("ol", { class: "messages", id: "messages", "aria-live": "polite" });
    /** @type {string | null} */
    let cursor = null;
    /** @param {any[]} items */
    function add(items) {
      for (const m of items) {
        cursor = m.cursor;
        list.append(h("li", { class: "message " + (m.side === mySide ? "mine" : "theirs"), "data-side": m.side },
          h("p", { class: "meta" }, m.side === mySide ? t("inbox.you") : t(m.side === "customer" ? "inbox.customer" : "inbox.manager"), " · ", fmt.datetime(m.at)),
          h("p", { class: "text" }, m.text),
          m.attachments.map((/** @type {any} */ a) => h("a", { href: a.url, target: "_blank", rel: "noopener" }, a.filename))));
      }
    }
    add(data.items);
    el.append(list);
    const file = h("input", { type: "file", id: "f-file", accept: ".pdf,.jpg,.jpeg,.png" });
    const form = h("form", { id: "reply-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      try {
        const { data: posted } = await api("POST", base + "/messages", { text: formData(form).text || "", attachments: fileMeta(file) });
        await upload(posted.uploads, file);
        form.reset(); await poll();
      } catch (err) { showErrors(form, err); }
    } }, field("text", t("inbox.reply"), { tag: "textarea", required: true, maxlength: 8000 }),
      h("div", { class: "field" }, h("label", { for: "f-file" }, t("inbox.file")), file), h("button", { type: "submit", class: "button" }, t("inbox.send")));
    el.append(form);
    async function poll() {
      if (!document.body.contains(list)) { clearInterval(timer); timer = undefined; return; }
      const q = cursor ? "?after=" + enc(cursor) : "";
      try { const { data: fresh } = await api("GET", base + q, null, { noRedirect: true }); add(fresh.items); } catch (e) { /* next tick */ }
    }
    if (timer) clearInterval(timer);
    timer = setInterval(poll, POLL_MS);
  }
  export { threadView };

  page({ id: "thread", path: "#/messages/:id", nav: null, roles: ["customer", "building_manager", "account_manager", "admin"], async render(el, params, query) {
    const customerNo = query.customer || await EBOK.currentCustomer();
    if (!customerNo) return;
    await threadView(el, customerNo, params.id);
  } });
