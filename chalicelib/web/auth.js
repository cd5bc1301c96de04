/* Login and registration: log in (user identifier + password), first-login new password,
   TOTP code, forgotten password, registration of individuals and institutions (documents),
   the profile page (change password, two-step verification). Session refresh and logout. */
import * as EBOK from "./app.js";
import { t, page, addMessages, api, auth } from "./app.js";
import { h, field, showErrors, formData } from "./components.js";
  const CHALLENGE_KEY = "ebok.challenge";
  const MAX_BYTES = 10 * 1024 * 1024;
  /** @type {Record<string, string>} */
  const TYPES = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };

  addMessages({
    "login.title": ["Logowanie do e-BOK", "Log in to e-BOK"],
    "login.username": ["Identyfikator użytkownika", "User identifier"],
    "login.password": ["Hasło (przy pierwszym logowaniu: PIN z e-maila)", "Password (first login: the PIN from the e-mail)"],
    "login.submit": ["Zaloguj się", "Log in"],
    "login.forgot": ["Nie pamiętam hasła", "I forgot my password"],
    "login.no_account": ["Nie masz jeszcze konta?", "No account yet?"],
    "login.register": ["Zarejestruj się", "Register"],
    "login.new_title": ["Ustaw własne hasło", "Set your own password"],
    "login.new_lead": ["To Twoje pierwsze logowanie. Zamiast jednorazowego PIN-u ustaw własne hasło: co najmniej 10 znaków, małe i wielkie litery oraz cyfra.",
      "This is your first login. Replace the one-time PIN with your own password: at least 10 characters, lower and upper case letters and a digit."],
    "login.new_password": ["Nowe hasło", "New password"],
    "login.repeat": ["Powtórz nowe hasło", "Repeat the new password"],
    "login.mismatch": ["Hasła nie są takie same.", "The passwords differ."],
    "login.save_password": ["Zapisz hasło i zaloguj", "Save the password and log in"],
    "login.mfa_title": ["Weryfikacja dwuetapowa", "Two-step verification"],
    "login.mfa_lead": ["Wpisz 6-cyfrowy kod z aplikacji uwierzytelniającej.", "Enter the 6-digit code from your authenticator app."],
    "login.code": ["Kod", "Code"],
    "login.verify": ["Potwierdź", "Confirm"],
    "login.restart": ["Sesja logowania wygasła. Zaloguj się ponownie.", "The login session has expired. Please log in again."],
    "login.welcome": ["Zalogowano.", "You are logged in."],
    "forgot.title": ["Nie pamiętam hasła", "Forgotten password"],
    "forgot.lead": ["Podaj identyfikator użytkownika. Jeśli konto istnieje, wyślemy kod na adres e-mail zapisany w e-BOK.",
      "Enter your user identifier. If the account exists, we will send a code to the e-mail address in e-BOK."],
    "forgot.send": ["Wyślij kod", "Send the code"],
    "forgot.sent": ["Jeśli identyfikator jest poprawny, kod został wysłany e-mailem (ważny 30 minut).", "If the identifier is right, the code has been e-mailed (valid for 30 minutes)."],
    "forgot.code": ["Kod z e-maila", "Code from the e-mail"],
    "forgot.save": ["Ustaw nowe hasło", "Set the new password"],
    "forgot.done": ["Hasło zmienione. Zaloguj się nowym hasłem.", "Password changed. Log in with the new password."],
    "register.title": ["Rejestracja w e-BOK", "Register for e-BOK"],
    "register.individual": ["Osoba fizyczna", "Individual"],
    "register.individual_lead": ["Rejestracja online: numer klienta, PESEL, e-mail i numer umowy lub ostatniej faktury. Identyfikator i PIN wyślemy e-mailem.",
      "Online: customer number, PESEL, e-mail and your contract or latest invoice number. We e-mail the identifier and PIN."],
    "register.institution": ["Firma lub instytucja", "Company or institution"],
    "register.institution_lead": ["Rejestracja na podstawie dokumentów (odpis KRS, zaświadczenie REGON, pełnomocnictwo). Konto aktywuje administrator.",
      "Registration by documents (KRS extract, REGON certificate, power of attorney). An administrator activates the account."],
    "register.start": ["Rozpocznij", "Start"],
    "reg.customer_no": ["Numer klienta (z faktury lub umowy)", "Customer number (from an invoice or contract)"],
    "reg.pesel": ["PESEL", "PESEL"],
    "reg.email": ["Adres e-mail podany w umowie", "E-mail address given in your contract"],
    "reg.verification_no": ["Numer umowy lub numer ostatniej faktury", "Contract number or number of the latest invoice"],
    "reg.submit": ["Zarejestruj", "Register"],
    "reg.done_title": ["Sprawdź skrzynkę e-mail", "Check your mailbox"],
    "reg.done": ["Wysłaliśmy identyfikator użytkownika i jednorazowy PIN na adres {email}. Przy pierwszym logowaniu ustawisz własne hasło.",
      "We sent the user identifier and a one-time PIN to {email}. At the first login you will set your own password."],
    "reg.go_login": ["Przejdź do logowania", "Go to the login page"],
    "inst.title": ["Rejestracja firmy lub instytucji", "Register a company or institution"],
    "inst.entity": ["Dane podmiotu", "The organisation"],
    "inst.name": ["Pełna nazwa", "Full name"],
    "inst.nip": ["NIP", "NIP (tax id)"],
    "inst.regon": ["REGON", "REGON"],
    "inst.krs": ["KRS (jeśli podmiot jest w KRS)", "KRS (if registered in KRS)"],
    "inst.street": ["Ulica", "Street"],
    "inst.building": ["Numer budynku", "Building number"],
    "inst.apartment": ["Numer lokalu", "Flat / suite"],
    "inst.postal_code": ["Kod pocztowy", "Postal code"],
    "inst.city": ["Miejscowość", "City"],
    "inst.email": ["E-mail do logowania (tu wyślemy kody dostępu)", "Login e-mail (the access codes go here)"],
    "inst.phone": ["Telefon", "Phone"],
    "inst.contact": ["Osoba do kontaktu", "Contact person"],
    "inst.contact_name": ["Imię i nazwisko", "Name"],
    "inst.contact_email": ["E-mail", "E-mail"],
    "inst.contact_phone": ["Telefon", "Phone"],
    "inst.signer_in_krs": ["Osoba podpisująca wniosek jest wpisana w KRS jako reprezentant", "The person signing is named in KRS as a representative"],
    "inst.documents": ["Dokumenty (PDF, JPEG lub PNG, do 10 MB każdy)", "Documents (PDF, JPEG or PNG, up to 10 MB each)"],
    "doc.krs_extract": ["Odpis z KRS", "KRS extract"],
    "doc.regon_certificate": ["Zaświadczenie o numerze REGON", "REGON certificate"],
    "doc.power_of_attorney": ["Pełnomocnictwo (gdy podpisujący nie jest w KRS)", "Power of attorney (if the signer is not in KRS)"],
    "doc.other": ["Inny dokument", "Other document"],
    "doc.too_large": ["Plik jest większy niż 10 MB.", "The file is larger than 10 MB."],
    "doc.bad_type": ["Dozwolone są tylko pliki PDF, JPEG i PNG.", "Only PDF, JPEG and PNG files are accepted."],
    "inst.regulations": ["Akceptuję Regulamin e-BOK (wersja {version})", "I accept the e-BOK Regulations (version {version})"],
    "inst.read_regulations": ["Przeczytaj regulamin", "Read the regulations"],
    "inst.submit": ["Wyślij zgłoszenie", "Send the registration"],
    "inst.uploading": ["Przesyłanie dokumentów…", "Uploading the documents…"],
    "inst.upload_failed": ["Nie udało się przesłać pliku {name}. Spróbuj ponownie.", "Could not upload {name}. Please try again."],
    "inst.done_title": ["Zgłoszenie wysłane", "Registration sent"],
    "inst.done": ["Numer zgłoszenia: {id}. Administrator sprawdzi dokumenty; kody dostępu lub odpowiedź wyślemy e-mailem.",
      "Reference: {id}. An administrator will review the documents; we will e-mail the access codes or our answer."],
    "regs.title": ["Regulamin e-BOK", "e-BOK Regulations"],
    "regs.body": ["1. e-BOK służy klientom do obsługi umów na dostawę ciepła i energii elektrycznej. 2. Dostęp wymaga identyfikatora użytkownika i hasła; nie udostępniaj ich nikomu. 3. Po 5 nieudanych próbach logowanie jest blokowane na 15 minut. 4. Faktury elektroniczne są dostępne w e-BOK i wysyłane e-mailem. 5. Dane osobowe przetwarzamy zgodnie z RODO w celu wykonania umowy.",
      "1. e-BOK lets customers manage their heat and electricity supply contracts. 2. Access needs a user identifier and a password; never share them. 3. After 5 failed attempts the login is locked for 15 minutes. 4. Electronic invoices are available in e-BOK and sent by e-mail. 5. Personal data are processed under the GDPR to perform the contract."],
    "profile.title": ["Mój profil", "My profile"],
    "profile.username": ["Identyfikator użytkownika", "User identifier"],
    "profile.role": ["Rola", "Role"],
    "profile.email": ["E-mail", "E-mail"],
    "profile.customers": ["Konta klienta", "Customer accounts"],
    "profile.change": ["Zmiana hasła", "Change password"],
    "profile.old_password": ["Obecne hasło", "Current password"],
    "profile.save": ["Zmień hasło", "Change password"],
    "profile.changed": ["Hasło zmienione. Pozostałe sesje zostały wylogowane.", "Password changed. Other sessions were logged out."],
    "profile.mfa": ["Weryfikacja dwuetapowa (TOTP)", "Two-step verification (TOTP)"],
    "profile.mfa_on": ["Włączona — przy logowaniu poprosimy o kod z aplikacji.", "On — we ask for a code from your app at login."],
    "profile.mfa_off": ["Wyłączona.", "Off."],
    "profile.mfa_setup": ["Włącz weryfikację dwuetapową", "Switch two-step verification on"],
    "profile.mfa_secret": ["Dodaj konto w aplikacji uwierzytelniającej (np. Google Authenticator, FreeOTP) kluczem:", "Add an account in your authenticator app (e.g. Google Authenticator, FreeOTP) with the key:"],
    "profile.mfa_link": ["lub otwórz link w telefonie", "or open the link on your phone"],
    "profile.mfa_enabled": ["Weryfikacja dwuetapowa włączona.", "Two-step verification is on."],
    "profile.mfa_disable": ["Wyłącz weryfikację dwuetapową", "Switch two-step verification off"],
    "profile.mfa_disabled": ["Weryfikacja dwuetapowa wyłączona.", "Two-step verification is off."],
    "profile.password": ["Hasło", "Password"],
    "lang.label": ["Język wiadomości e-mail", "E-mail language"],
  });

  /* --- session ------------------------------------------------------------------- */

  /* Every role lands on its own dashboard (app.js roleHome: #/account or #/home). */
  /** @param {string} role */
  const roleHome = (role) => EBOK.roleHome(role);

  /** @param {any} result */
  function finishLogin(result) {
    const tk = result.tokens;
    auth.set(Object.assign({}, tk, { expires_at: Date.now() + (tk.expires_in || 3600) * 1000 }));
    sessionStorage.removeItem(CHALLENGE_KEY);
    const next = sessionStorage.getItem("ebok.next");
    sessionStorage.removeItem("ebok.next");
    EBOK.go(next && next !== "#/login" ? next : roleHome(result.role));
  }

  /* Tokens, or the next step of the login (new password / TOTP code). */
  /** @param {any} result */
  function handleLogin(result) {
    if (result.tokens) return finishLogin(result);
    sessionStorage.setItem(CHALLENGE_KEY, JSON.stringify({ username: result.username, session: result.session }));
    EBOK.go(result.challenge === "NEW_PASSWORD_REQUIRED" ? "#/login/new-password" : "#/login/mfa");
  }

  function challenge() {
    try { return JSON.parse(sessionStorage.getItem(CHALLENGE_KEY) || "null"); } catch (e) { return null; }
  }

  EBOK.logoutHooks.push(async function () {
    if (auth.loggedIn()) await api("POST", "/auth/logout", undefined, { noRedirect: true });
  });

  /* Refresh the access token a few minutes before it expires. */
  async function keepAlive() {
    const tk = auth.tokens();
    if (!tk || !tk.refresh_token || !tk.expires_at) return;
    if (tk.expires_at - Date.now() > 5 * 60 * 1000) return;
    try {
      const { data } = await api("POST", "/auth/refresh", { refresh_token: tk.refresh_token }, { noRedirect: true });
      auth.set(Object.assign({}, tk, data.tokens, { refresh_token: tk.refresh_token, expires_at: Date.now() + data.tokens.expires_in * 1000 }));
    } catch (e) { /* the next call will send the user to the login page */ }
  }
  setInterval(keepAlive, 60 * 1000);

  /** @param {string} label @param {string} id */
  function submitButton(label, id) { return h("button", { type: "submit", id }, label); }
  /** @param {string} name @param {string} label */
  function passwordField(name, label) { return field(name, label, { type: "password", autocomplete: "new-password", required: true }); }

  /* --- login --------------------------------------------------------------------- */

  page({ id: "login", path: "#/login", nav: ["Zaloguj", "Log in"], auth: false, hideWhenLoggedIn: true, order: 95, render(el) {
    const form = h("form", { id: "login-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      const btn = form.querySelector("button[type=submit]");
      btn.disabled = true;
      try { handleLogin((await api("POST", "/auth/login", { username: d.username, password: d.password }, { noRedirect: true })).data); }
      catch (/** @type {any} */ err) { showErrors(form, err); }
      finally { btn.disabled = false; }
    } },
      field("username", t("login.username"), { autocomplete: "username", inputmode: "numeric", required: true }),
      field("password", t("login.password"), { type: "password", autocomplete: "current-password", required: true }),
      submitButton(t("login.submit"), "login-submit"));
    el.append(h("h1", {}, t("login.title")), form,
      h("p", {}, h("a", { href: "#/forgot-password", id: "forgot-link" }, t("login.forgot"))),
      h("p", {}, t("login.no_account") + " ", h("a", { href: "#/register", id: "register-link" }, t("login.register"))));
  } });

  page({ id: "login-new-password", path: "#/login/new-password", nav: null, auth: false, render(el) {
    const ch = challenge();
    if (!ch) { EBOK.go("#/login"); return; }
    const form = h("form", { id: "new-password-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      if (d.new_password !== d.repeat) { showErrors(form, new EBOK.ApiError(400, { detail: t("login.mismatch"), errors: [{ field: "repeat", message: t("login.mismatch") }] })); return; }
      try { handleLogin((await api("POST", "/auth/new-password", { username: ch.username, session: ch.session, new_password: d.new_password }, { noRedirect: true })).data); }
      catch (/** @type {any} */ err) {
        if (err.status === 401) { sessionStorage.removeItem(CHALLENGE_KEY); EBOK.flash(t("login.restart"), "error"); EBOK.go("#/login"); return; }
        showErrors(form, err);
      }
    } },
      passwordField("new_password", t("login.new_password")),
      passwordField("repeat", t("login.repeat")),
      submitButton(t("login.save_password"), "new-password-submit"));
    el.append(h("h1", {}, t("login.new_title")), h("p", { class: "lead" }, t("login.new_lead")), form);
  } });

  page({ id: "login-mfa", path: "#/login/mfa", nav: null, auth: false, render(el) {
    const ch = challenge();
    if (!ch) { EBOK.go("#/login"); return; }
    const form = h("form", { id: "mfa-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      try { handleLogin((await api("POST", "/auth/mfa", { username: ch.username, session: ch.session, code: formData(form).code }, { noRedirect: true })).data); }
      catch (/** @type {any} */ err) {
        if (err.problem && err.problem.code === "auth.session_expired") { sessionStorage.removeItem(CHALLENGE_KEY); EBOK.flash(t("login.restart"), "error"); EBOK.go("#/login"); return; }
        showErrors(form, err);
      }
    } },
      field("code", t("login.code"), { inputmode: "numeric", autocomplete: "one-time-code", pattern: "\\d{6}", maxlength: 6, required: true }),
      submitButton(t("login.verify"), "mfa-submit"));
    el.append(h("h1", {}, t("login.mfa_title")), h("p", {}, t("login.mfa_lead")), form);
  } });

  /* --- forgotten password -------------------------------------------------------- */

  page({ id: "forgot", path: "#/forgot-password", nav: null, auth: false, render(el) {
    el.append(h("h1", {}, t("forgot.title")));
    const confirm = h("form", { id: "forgot-confirm-form", novalidate: true, hidden: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(confirm);
      if (d.new_password !== d.repeat) { showErrors(confirm, new EBOK.ApiError(400, { detail: t("login.mismatch"), errors: [{ field: "repeat", message: t("login.mismatch") }] })); return; }
      try {
        await api("POST", "/auth/confirm-forgot-password", { username: d.username, code: d.code, new_password: d.new_password }, { noRedirect: true });
        EBOK.go("#/login"); setTimeout(() => EBOK.flash(t("forgot.done"), "ok"), 50);
      } catch (err) { showErrors(confirm, err); }
    } },
      h("input", { type: "hidden", name: "username" }),
      field("code", t("forgot.code"), { inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, required: true }),
      passwordField("new_password", t("login.new_password")),
      passwordField("repeat", t("login.repeat")),
      submitButton(t("forgot.save"), "forgot-confirm-submit"));
    const ask = h("form", { id: "forgot-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const username = formData(ask).username;
      try {
        await api("POST", "/auth/forgot-password", { username }, { noRedirect: true });
        confirm.querySelector("input[name=username]").value = username;
        ask.hidden = true; confirm.hidden = false;
        confirm.prepend(h("div", { class: "flash ok", role: "status" }, t("forgot.sent")));
      } catch (err) { showErrors(ask, err); }
    } },
      h("p", {}, t("forgot.lead")),
      field("username", t("login.username"), { autocomplete: "username", inputmode: "numeric", required: true }),
      submitButton(t("forgot.send"), "forgot-submit"));
    el.append(ask, confirm);
  } });

  /* --- registration -------------------------------------------------------------- */

  page({ id: "register", path: "#/register", nav: null, auth: false, render(el) {
    el.append(h("h1", {}, t("register.title")), h("div", { class: "cards" },
      h("div", { class: "card" }, h("h2", {}, t("register.individual")), h("p", {}, t("register.individual_lead")),
        h("a", { class: "button", href: "#/register/individual", id: "register-individual" }, t("register.start"))),
      h("div", { class: "card" }, h("h2", {}, t("register.institution")), h("p", {}, t("register.institution_lead")),
        h("a", { class: "button", href: "#/register/institution", id: "register-institution" }, t("register.start")))));
  } });

  function langField() {
    return field("lang", t("lang.label"), { tag: "select", options: [["pl", "Polski"], ["en", "English"]] });
  }

  page({ id: "register-individual", path: "#/register/individual", nav: null, auth: false, render(el) {
    const form = h("form", { id: "register-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      try {
        const { data } = await api("POST", "/registrations/individual", d, { noRedirect: true });
        el.innerHTML = "";
        el.append(h("h1", {}, t("reg.done_title")), h("p", { class: "flash ok", id: "register-done", role: "status" }, t("reg.done", { email: data.email_hint })),
          h("a", { class: "button", href: "#/login" }, t("reg.go_login")));
      } catch (err) { showErrors(form, err); }
    } },
      field("customer_no", t("reg.customer_no"), { inputmode: "numeric", required: true }),
      field("pesel", t("reg.pesel"), { inputmode: "numeric", maxlength: 11, required: true }),
      field("email", t("reg.email"), { type: "email", autocomplete: "email", required: true }),
      field("verification_no", t("reg.verification_no"), { required: true }),
      langField(),
      submitButton(t("reg.submit"), "register-submit"));
    form.querySelector("select[name=lang]").value = EBOK.lang;
    el.append(h("h1", {}, t("register.individual")), h("p", {}, t("register.individual_lead")), form);
  } });

  page({ id: "regulations", path: "#/regulations", nav: null, auth: false, async render(el) {
    const { data } = await api("GET", "/registrations/regulations");
    el.append(h("h1", {}, t("regs.title") + " — " + data.version), ...t("regs.body").split(/ (?=\d\. )/).map((p) => h("p", {}, p)));
  } });

  /** @param {any} file */
  function fileProblem(file) {
    if (!TYPES[file.type]) return t("doc.bad_type");
    if (file.size > MAX_BYTES) return t("doc.too_large");
    return null;
  }

  /** @param {any} upload @param {any} file */
  async function uploadOne(upload, file) {
    const body = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) body.append(k, v);
    body.append("file", file);
    const resp = await fetch(upload.url, { method: "POST", body });
    if (!resp.ok && resp.type !== "opaque") throw new Error(t("inst.upload_failed", { name: file.name }));
  }

  page({ id: "register-institution", path: "#/register/institution", nav: null, auth: false, async render(el) {
    const { data: regs } = await api("GET", "/registrations/regulations");
    const kinds = ["krs_extract", "regon_certificate", "power_of_attorney"];
    const fileFields = kinds.map((k) => {
      const f = field("documents." + k, t("doc." + k), { type: "file", accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" });
      f.querySelector("input").addEventListener("change", (/** @type {any} */ e) => {
        const file = e.target.files[0];
        const slot = f.querySelector(".field-error");
        slot.textContent = file ? (fileProblem(file) || "") : "";
      });
      return f;
    });
    const status = h("p", { class: "muted", role: "status" });
    const form = h("form", { id: "institution-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(form);
      /** @type {Record<string, File>} */
      const files = {};
      const docs = [];
      for (const k of kinds) {
        const file = form.querySelector(`input[name="documents.${k}"]`).files[0];
        if (!file) continue;
        const problem = fileProblem(file);
        if (problem) { showErrors(form, new EBOK.ApiError(400, { detail: problem, errors: [{ field: "documents." + k, message: problem }] })); return; }
        files[k] = file;
        docs.push({ kind: k, filename: file.name, content_type: file.type, size: file.size });
      }
      const body = {
        name: d.name, nip: d.nip, regon: d.regon, krs: d.krs || null,
        address: { street: d["address.street"], building: d["address.building"], apartment: d["address.apartment"] || null, postal_code: d["address.postal_code"], city: d["address.city"] },
        email: d.email, phone: d.phone || null,
        contact: { name: d["contact.name"], email: d["contact.email"], phone: d["contact.phone"] || null },
        signer_in_krs: !!form.querySelector("input[name=signer_in_krs]").checked,
        accept_regulations: !!form.querySelector("input[name=accept_regulations]").checked,
        regulations_version: regs.version, lang: d.lang, documents: docs,
      };
      const btn = form.querySelector("button[type=submit]");
      btn.disabled = true;
      try {
        const { data } = await api("POST", "/registrations/institution", body, { noRedirect: true });
        status.textContent = t("inst.uploading");
        for (const up of data.uploads) await uploadOne(up, files[up.kind]);
        await api("POST", `/registrations/institution/${encodeURIComponent(data.registration_id)}/submit`, undefined, { noRedirect: true });
        el.innerHTML = "";
        el.append(h("h1", {}, t("inst.done_title")), h("p", { class: "flash ok", id: "institution-done", role: "status" }, t("inst.done", { id: data.registration_id })));
      } catch (/** @type {any} */ err) {
        status.textContent = "";
        if (err.problem && err.problem.errors) {
          // Server-side document errors name documents.D<n>: show them by kind.
          for (const x of err.problem.errors) {
            const m = /^documents\.D(\d+)$/.exec(x.field);
            if (m && docs[Number(m[1]) - 1]) x.field = "documents." + docs[Number(m[1]) - 1].kind;
          }
        }
        showErrors(form, err instanceof EBOK.ApiError ? err : new EBOK.ApiError(0, { detail: err.message }));
      } finally { btn.disabled = false; }
    } },
      h("h2", {}, t("inst.entity")),
      field("name", t("inst.name"), { required: true, autocomplete: "organization" }),
      field("nip", t("inst.nip"), { inputmode: "numeric", required: true }),
      field("regon", t("inst.regon"), { inputmode: "numeric", required: true }),
      field("krs", t("inst.krs"), { inputmode: "numeric" }),
      field("address.street", t("inst.street"), { required: true }),
      field("address.building", t("inst.building"), { required: true }),
      field("address.apartment", t("inst.apartment")),
      field("address.postal_code", t("inst.postal_code"), { required: true, placeholder: "00-000" }),
      field("address.city", t("inst.city"), { required: true }),
      field("email", t("inst.email"), { type: "email", required: true }),
      field("phone", t("inst.phone"), { type: "tel" }),
      h("h2", {}, t("inst.contact")),
      field("contact.name", t("inst.contact_name"), { required: true }),
      field("contact.email", t("inst.contact_email"), { type: "email", required: true }),
      field("contact.phone", t("inst.contact_phone"), { type: "tel" }),
      h("div", { class: "field" }, h("label", {}, h("input", { type: "checkbox", name: "signer_in_krs", checked: true }), " ", t("inst.signer_in_krs"))),
      h("h2", {}, t("inst.documents")),
      ...fileFields,
      langField(),
      h("div", { class: "field" }, h("label", {}, h("input", { type: "checkbox", name: "accept_regulations", id: "f-accept_regulations" }), " ", t("inst.regulations", { version: regs.version })),
        h("a", { href: "#/regulations", target: "_blank" }, t("inst.read_regulations")),
        h("p", { class: "field-error", id: "f-accept_regulations-error" })),
      status,
      submitButton(t("inst.submit"), "institution-submit"));
    form.querySelector("select[name=lang]").value = EBOK.lang;
    el.append(h("h1", {}, t("inst.title")), h("p", {}, t("register.institution_lead")), form);
  } });

  /* --- profile ------------------------------------------------------------------- */

  page({ id: "profile", path: "#/profile", nav: ["Mój profil", "My profile"], auth: true, order: 80, async render(el) {
    const { data: p } = await api("GET", "/auth/profile");
    el.append(h("h1", {}, t("profile.title")), h("div", { class: "card" },
      h("p", {}, h("strong", {}, t("profile.username") + ": "), h("span", { id: "profile-username" }, p.username)),
      h("p", {}, h("strong", {}, t("profile.role") + ": "), t("role." + p.role)),
      h("p", {}, h("strong", {}, t("profile.email") + ": "), p.email || "—"),
      p.customers.length ? h("p", {}, h("strong", {}, t("profile.customers") + ": "), p.customers.join(", ")) : null));

    const change = h("form", { id: "change-password-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const d = formData(change);
      if (d.new_password !== d.repeat) { showErrors(change, new EBOK.ApiError(400, { detail: t("login.mismatch"), errors: [{ field: "repeat", message: t("login.mismatch") }] })); return; }
      try {
        const { data } = await api("POST", "/auth/change-password", { old_password: d.old_password, new_password: d.new_password });
        if (data.tokens) auth.set(Object.assign({}, data.tokens, { expires_at: Date.now() + data.tokens.expires_in * 1000 }));
        else { auth.clear(); handleLogin(data); return; }
        await EBOK.render(); EBOK.flash(t("profile.changed"), "ok");
      } catch (err) { showErrors(change, err); }
    } },
      h("h2", {}, t("profile.change")),
      field("old_password", t("profile.old_password"), { type: "password", autocomplete: "current-password", required: true }),
      passwordField("new_password", t("login.new_password")),
      passwordField("repeat", t("login.repeat")),
      submitButton(t("profile.save"), "change-password-submit"));
    el.append(change);

    const mfa = h("section", { id: "mfa" }, h("h2", {}, t("profile.mfa")), h("p", {}, p.mfa_enabled ? t("profile.mfa_on") : t("profile.mfa_off")));
    if (!p.mfa_enabled) {
      const start = h("button", { type: "button", class: "secondary", id: "mfa-setup", onclick: async () => {
        try {
          const { data } = await api("POST", "/auth/mfa/setup");
          start.hidden = true;
          const verify = h("form", { id: "mfa-verify-form", novalidate: true, onsubmit: async (e) => {
            e.preventDefault();
            try { await api("POST", "/auth/mfa/verify", { code: formData(verify).code }); await EBOK.render(); EBOK.flash(t("profile.mfa_enabled"), "ok"); }
            catch (err) { showErrors(verify, err); }
          } },
            h("p", {}, t("profile.mfa_secret")), h("pre", { class: "secret" }, data.secret),
            h("p", {}, h("a", { href: data.otpauth_uri }, t("profile.mfa_link"))),
            field("code", t("login.code"), { inputmode: "numeric", maxlength: 6, required: true }),
            submitButton(t("login.verify"), "mfa-verify-submit"));
          mfa.append(verify);
        } catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
      } }, t("profile.mfa_setup"));
      mfa.append(start);
    } else {
      const off = h("form", { id: "mfa-disable-form", novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        try { await api("POST", "/auth/mfa/disable", { password: formData(off).password }); await EBOK.render(); EBOK.flash(t("profile.mfa_disabled"), "ok"); }
        catch (err) { showErrors(off, err); }
      } },
        field("password", t("profile.password"), { type: "password", autocomplete: "current-password", required: true }),
        h("button", { type: "submit", class: "danger" }, t("profile.mfa_disable")));
      mfa.append(off);
    }
    el.append(mfa);
  } });
