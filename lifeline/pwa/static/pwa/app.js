// The nationals' app. Plain JavaScript, no build step, no third-party code.
// It talks to the JSON API under /api/app/ with a device token, keeps what it
// reads for offline use, and queues what it sends until the connection returns.
// Every submission carries an idempotency key, so a retry never duplicates.

const T = JSON.parse(document.getElementById("strings").textContent);
const CFG = JSON.parse(document.getElementById("app-config").textContent);
const API = CFG.api;
const view = document.getElementById("view");

// ---- storage -------------------------------------------------------------
const store = {
  get(key, fallback = null) {
    try { const v = localStorage.getItem("lifeline." + key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  },
  set(key, value) { localStorage.setItem("lifeline." + key, JSON.stringify(value)); },
  drop(key) { localStorage.removeItem("lifeline." + key); },
};

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- API -----------------------------------------------------------------
class Offline extends Error {}

// Cookies are left out of API calls, except where the answer sets or clears the device's cookie for
// the app's own pages (signing in and out): the API itself reads the Authorization header only.
async function api(method, path, body, credentials = "omit") {
  const headers = { Accept: "application/json", "Accept-Language": CFG.lang };
  const token = store.get("token");
  if (token) headers.Authorization = "Device " + token;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  let response;
  try {
    response = await fetch(API + path, { method, headers, body: payload, credentials });
  } catch (e) {
    throw new Offline();
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (response.status === 401 && token) { signOut(false, false); }
  return { ok: response.ok, status: response.status, data };
}

// Read with a copy kept on the phone: fresh when online, the copy when not.
async function read(path, key) {
  try {
    const r = await api("GET", path);
    if (r.ok) { store.set("cache." + key, { at: Date.now(), data: r.data }); return { data: r.data, fresh: true }; }
    if (r.status === 404) { store.drop("cache." + key); return { data: null, fresh: true }; }
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
  }
  const kept = store.get("cache." + key);
  return { data: kept ? kept.data : null, fresh: false };
}

// The server words its errors in the reader's language; a field is named by the app's own label
// (never by its code), and anything else falls back to one plain sentence.
const FIELD_LABELS = {
  given_names: "givenNames", family_name: "familyName", date_of_birth: "dateOfBirth", nationality: "nationality",
  phone: "phone", email: "email", languages: "languages", country: "country", area: "area", city: "city",
  stay_type: "stayType", departure: "departure", needs_details: "needs", consents: "consentAssistance",
  category: "category", summary: "summary", text: "reply", code: "code", address: "address", channel: "channel",
};

const ROW_LABELS = {
  name: "name", relation: "relation", date_of_birth: "dateOfBirth", nationality: "nationality", special_needs: "personNeeds",
  unaccompanied: "personNeeds", country: "destination", area: "destinationArea", start: "tripStart", end: "tripEnd",
};

function errorText(r) {
  const d = r && r.data;
  if (!d) return T.error;
  if (d.errors && typeof d.errors === "object") {
    const parts = Object.entries(d.errors).map(([k, v]) => {
      const row = k.match(/^(household|trips)\[(\d+)\]\.(\w+)$/);
      if (row) {
        const what = `${row[1] === "household" ? T.person : T.trip} ${Number(row[2]) + 1}`;
        const sub = T[ROW_LABELS[row[3]]];
        return `${what}${sub ? " · " + sub : ""}: ${[].concat(v).join(" ")}`;
      }
      const label = T[FIELD_LABELS[k.split(".")[0]]];
      const text = [].concat(v).join(" ");
      return label ? `${label}: ${text}` : text;
    });
    return [typeof d.detail === "string" ? d.detail : "", ...parts].filter(Boolean).join(" ");
  }
  if (typeof d.detail === "string") return d.detail;
  return T.error;
}

// ---- the queue of submissions ------------------------------------------------
function queue() { return store.get("queue", []); }

// ``form``: send as multipart form data (the requests endpoint takes a photo) rather than JSON.
// Resolves to what became of this submission: {state: "sent", data} | {state: "queued"} |
// {state: "refused", error}. The page that sent it says so; the banner is for what was sent later.
async function enqueue(kind, path, body, form = false) {
  const item = { id: uuid(), kind, path, form, body: { ...body, idempotency_key: uuid() }, at: new Date().toISOString() };
  store.set("queue", [...queue(), item]);
  watching.add(item.id);
  showQueue();
  try {
    await flush();
    return outcomes.get(item.id) || { state: "queued" };
  } finally {
    watching.delete(item.id);
    outcomes.delete(item.id);
  }
}

const watching = new Set();  // submissions whose page is waiting for their outcome
const outcomes = new Map();

// An answer to a check-in that closed meanwhile is still the person's news: sent as their own status.
function asStatus(item) {
  if (item.kind !== "checkin" || !["safe", "need_help"].includes(item.body.answer)) return null;
  return { ...item, kind: "status", path: "/status", body: { status: item.body.answer, idempotency_key: item.body.idempotency_key } };
}

let flushing = null;
function flush() {
  if (flushing) return flushing.then(() => (queue().length ? flush() : 0));
  flushing = (async () => {
    let sent = 0;
    const tried = new Set();
    for (;;) {
      const item = queue().find((q) => !tried.has(q.id));
      if (!item) break;
      tried.add(item.id);
      let r;
      let body = item.body;
      if (item.form) { body = new FormData(); for (const [k, v] of Object.entries(item.body)) body.append(k, v); }
      try { r = await api("POST", item.path, body); } catch (e) { break; }
      if (r.status >= 500 || r.status === 429 || r.status === 408) break;
      if (r.status === 404 && asStatus(item)) {
        const again = asStatus(item);
        store.set("queue", queue().map((q) => (q.id === item.id ? again : q)));
        tried.delete(item.id);
        continue;
      }
      store.set("queue", queue().filter((q) => q.id !== item.id));
      if (r.ok) {
        sent += 1; store.drop("cache.checkins"); store.drop("cache.requests"); store.drop("cache.me");
        outcomes.set(item.id, { state: "sent", kind: item.kind, data: r.data });
      } else if (watching.has(item.id)) {
        outcomes.set(item.id, { state: "refused", error: errorText(r) });
      } else {
        const refused = store.get("refused", []).filter((x) => x.id !== item.id);
        refused.unshift({ id: item.id, kind: item.kind, error: errorText(r), at: item.at });
        store.set("refused", refused.slice(0, 10));
      }
    }
    return sent;
  })().finally(() => { flushing = null; showQueue(); });
  return flushing;
}

function showQueue() {
  const box = document.getElementById("queue");
  const n = queue().length;
  const refused = store.get("refused", []);
  box.replaceChildren();
  if (n) box.append(h("p", {}, `${T.queued} ${T.queueCount} ${n}`));
  for (const r of refused) box.append(h("p", { class: "bad" }, `${T.refused} ${r.error}`));
  if (refused.length) box.append(h("p", {}, h("button", { type: "button", class: "link", onclick: () => { store.drop("refused"); showQueue(); } }, T.dismiss)));
  box.hidden = !n && !refused.length;
}

function showNet() {
  const box = document.getElementById("net");
  box.textContent = navigator.onLine ? "" : T.offline;
  box.hidden = navigator.onLine;
}

window.addEventListener("online", () => { showNet(); flush().then(() => route()); });
window.addEventListener("offline", showNet);
document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });
setInterval(() => { if (queue().length) flush(); }, 15000);

// ---- DOM helpers (text only: nothing from the network is parsed as HTML) -----
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

function field(name, label, input) {
  input.id = input.id || "f-" + name;
  input.name = name;
  return h("p", { class: "field" }, h("label", { for: input.id }, label), input);
}

// Pages render through a ``show`` bound to their route: a slow page that finishes after the
// reader has moved on (two routes racing) does not overwrite the newer one.
let routeSeq = 0;

function showFor(seq) {
  return (title, ...content) => { if (seq === routeSeq) render(title, ...content); };
}

function render(title, ...content) {
  view.replaceChildren(h("h1", {}, title), ...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  view.focus();
}

function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === "string") out[k] = v.trim();
  return out;
}

function say(el, text, bad = false) {
  el.textContent = text;
  el.className = bad ? "msg bad" : "msg";
}

// ---- session -------------------------------------------------------------------
function signedIn() { return !!store.get("token"); }

// Registering and signing out change whose branding the shell shows (the server reads the device's
// cookie): load it again, at the page the person goes to. Signing in to an existing registration
// shows it from the next time the app opens (the shell is read from the network first).
function reloadAt(hash) { location.hash = hash; location.reload(); }

async function signOut(callApi = true, reload = true) {
  const token = store.get("token");
  if (callApi && token) { try { await api("POST", "/signout", undefined, "same-origin"); } catch (e) { /* offline: the token stays revocable from another device */ } }
  for (const key of Object.keys(localStorage)) if (key.startsWith("lifeline.")) localStorage.removeItem(key);
  if ("caches" in window) await caches.delete("lifeline-data");
  if (reload) reloadAt("#/"); else location.hash = "#/";
}

// ---- pages -----------------------------------------------------------------------
const pages = {};

pages[""] = async function home(_arg, show) {
  if (!signedIn()) {
    show(T.appTitle, h("p", {}, T.welcome), h("p", {}, h("a", { class: "button", href: "#/signin" }, T.signIn)),
      h("ul", { class: "links" }, h("li", {}, h("a", { href: "#/advice" }, T.advice)), h("li", {}, h("a", { href: "#/contacts" }, T.contacts))));
    return;
  }
  const me = await read("/me", "me");
  if (!me.data && me.fresh) { location.hash = "#/register"; return; }
  const checkins = await read("/checkins", "checkins");
  const open = (checkins.data || []).filter((c) => !c.answer || c.status === "no_answer");
  const out = h("div", { id: "message", class: "msg", role: "status" });
  // An open check-in is answered; otherwise "I am safe" and "I need help" are the person's own news.
  const answer = (value, then) => async () => {
    const done = open.length
      ? await enqueue("checkin", "/checkins", { answer: value, ...(open[0].id ? { request: open[0].id } : {}) })
      : await enqueue("status", "/status", { status: value });
    let text = "";
    if (done.state === "refused") text = `${T.refused} ${done.error}`;
    else if (done.state === "sent") text = (done.kind === "status" && done.data && done.data.detail) || T.checkInThanks;
    if (then && done.state !== "refused") { notice = text; location.hash = then; return; }
    say(out, text, done.state === "refused");
  };
  show(
    me.data ? `${T.appTitle}` : T.appTitle,
    open.length ? h("p", { class: "ask", lang: open[0].message ? open[0].language : null, dir: open[0].message ? open[0].dir : null }, open[0].message || T.checkInAsked) : null,
    h("div", { class: "big" },
      h("button", { type: "button", class: "safe", onclick: answer("safe") }, T.safe),
      h("button", { type: "button", class: "help", onclick: answer("need_help", "#/help") }, T.needHelp)),
    open.length ? h("p", {}, h("button", { type: "button", class: "link", onclick: answer("not_in_area") }, T.notInArea)) : null,
    out,
    h("ul", { class: "links" },
      h("li", {}, h("a", { href: "#/requests" }, T.requests)),
      h("li", {}, h("a", { href: "#/advice" }, T.advice)),
      h("li", {}, h("a", { href: "#/contacts" }, T.contacts))),
  );
};

pages.signin = async function signin(_arg, show) {
  const msg = h("p", { class: "msg", role: "status" });
  const channel = h("select", {}, h("option", { value: "email" }, T.channelEmail), h("option", { value: "sms" }, T.channelSms));
  const address = h("input", { type: "text", required: true, autocomplete: "email", inputmode: "email", maxlength: "200" });
  const codeInput = h("input", { type: "text", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6" });
  const codeForm = h("form", { hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    let r;
    try { r = await api("POST", "/signin/verify", { channel: channel.value, address: address.value.trim(), code: codeInput.value.trim(), device_label: navigator.userAgent.slice(0, 80) }, "same-origin"); } catch (err) { say(msg, T.offline, true); return; }
    if (!r.ok) { say(msg, errorText(r), true); return; }
    store.set("token", r.data.token);
    store.set("verified", { channel: channel.value, address: address.value.trim() });
    location.hash = r.data.registered ? "#/" : "#/register";
  } }, field("code", T.codeSent + " " + T.code, codeInput), h("button", { type: "submit" }, T.verify));
  const startForm = h("form", { onsubmit: async (e) => {
    e.preventDefault();
    let r;
    try { r = await api("POST", "/signin", { channel: channel.value, address: address.value.trim() }); } catch (err) { say(msg, T.offline, true); return; }
    if (!r.ok) { say(msg, errorText(r), true); return; }
    say(msg, T.codeSent);
    codeForm.hidden = false;
    codeInput.focus();
  } }, field("channel", T.channel, channel), field("address", T.address, address), h("button", { type: "submit" }, T.sendCode));
  show(T.signIn, startForm, codeForm, msg);
};

async function config() {
  return (await read("/config", "config")).data || { countries: [], areas: {}, languages: [] };
}

// A box that takes several names (languages): after "Arabic (ar); " the browser's list suggests the
// next one, not the whole box (as the staff pages' picker does).
function multiPicker(id, options, value = "") {
  const list = h("datalist", { id: id + "-list" });
  const input = h("input", { type: "text", id, list: list.id, maxlength: "300", autocomplete: "off", value });
  let shownPrefix = null;
  const refresh = () => {
    const cut = input.value.lastIndexOf(";");
    const prefix = cut >= 0 ? input.value.slice(0, cut + 1).replace(/\s*$/, " ") : "";
    if (prefix === shownPrefix) return;
    shownPrefix = prefix;
    list.replaceChildren(...options.map((name) => h("option", { value: prefix + name })));
  };
  input.addEventListener("input", refresh);
  input.addEventListener("focus", refresh);
  return { input, list };
}

function countryOptions(cfg, blank = "—") {
  return [h("option", { value: "" }, blank), ...cfg.countries.map((c) => h("option", { value: c.code }, c.name))];
}

function areaOptions(cfg, country) {
  return [h("option", { value: "" }, "—"), ...(cfg.areas[country] || []).map((a) => h("option", { value: a.pcode }, a.name))];
}

// One person of the household: name, relationship, date of birth, nationality, needs.
function personRow(cfg, list, n) {
  const needs = (cfg.special_needs || []).map(([v, l]) => h("p", { class: "check" },
    h("input", { type: "checkbox", id: `p${n}-need-${v}`, "data-need": v }), h("label", { for: `p${n}-need-${v}` }, l)));
  const row = h("fieldset", { class: "row person", "data-index": n },
    h("legend", {}, `${T.person} ${list.children.length + 1}`),
    field(`p${n}-name`, T.name, h("input", { type: "text", maxlength: "200", required: true, "data-key": "name" })),
    field(`p${n}-relation`, T.relation, h("select", { "data-key": "relation" }, (cfg.relations || []).map(([v, l]) => h("option", { value: v }, l)))),
    field(`p${n}-born`, T.dateOfBirth, h("input", { type: "date", "data-key": "date_of_birth" })),
    field(`p${n}-nationality`, T.nationality, h("select", { "data-key": "nationality" }, countryOptions(cfg))),
    h("fieldset", { class: "needs" }, h("legend", {}, T.personNeeds), needs),
    h("button", { type: "button", class: "link", onclick: () => { row.remove(); renumber(list, T.person); } }, T.remove));
  return row;
}

// One trip: destination country and area, from and until.
function tripRow(cfg, list, n) {
  const area = h("select", { "data-key": "area" }, areaOptions(cfg, ""));
  const country = h("select", { "data-key": "country", required: true }, countryOptions(cfg));
  country.addEventListener("change", () => area.replaceChildren(...areaOptions(cfg, country.value)));
  const row = h("fieldset", { class: "row trip", "data-index": n },
    h("legend", {}, `${T.trip} ${list.children.length + 1}`),
    field(`t${n}-country`, T.destination, country),
    field(`t${n}-area`, T.destinationArea, area),
    field(`t${n}-start`, T.tripStart, h("input", { type: "date", required: true, "data-key": "start" })),
    field(`t${n}-end`, T.tripEnd, h("input", { type: "date", "data-key": "end" })),
    h("button", { type: "button", class: "link", onclick: () => { row.remove(); renumber(list, T.trip); } }, T.remove));
  return row;
}

function renumber(list, word) {
  [...list.children].forEach((row, i) => { row.querySelector("legend").textContent = `${word} ${i + 1}`; });
}

function rowValues(list) {
  return [...list.children].map((row) => {
    const out = {};
    for (const el of row.querySelectorAll("[data-key]")) out[el.dataset.key] = el.value.trim();
    const needs = [...row.querySelectorAll("[data-need]")].filter((el) => el.checked).map((el) => el.dataset.need);
    if (row.classList.contains("person")) {
      return { name: out.name, relation: out.relation, date_of_birth: out.date_of_birth || null, nationality: out.nationality || "", special_needs: needs };
    }
    return { country: out.country, area: out.area || "", start: out.start || null, end: out.end || null };
  });
}

pages.register = async function register(_arg, show) {
  if (!signedIn()) { location.hash = "#/signin"; return; }
  const cfg = await config();
  const verified = store.get("verified", {});
  const msg = h("p", { class: "msg", role: "status" });
  const countrySelect = h("select", { required: true }, countryOptions(cfg));
  const nationality = h("select", { required: true }, countryOptions(cfg));
  const areaSelect = h("select", {}, h("option", { value: "" }, "—"));
  countrySelect.addEventListener("change", () => areaSelect.replaceChildren(...areaOptions(cfg, countrySelect.value)));
  const stay = h("select", {}, (cfg.stay_types || []).map(([v, l]) => h("option", { value: v }, l)));
  const text = (attrs = {}) => h("input", { type: "text", maxlength: "200", ...attrs });
  const check = (name, label, required = false) => h("p", { class: "check" }, h("input", { type: "checkbox", name, id: "c-" + name, required }), h("label", { for: "c-" + name }, label));
  // Languages by name, in the reader's language; the screen's language is offered first.
  const options = cfg.language_options || [];
  const mine = options.find((label) => label.endsWith(`(${CFG.lang})`));
  const languages = multiPicker("f-languages", options, mine ? mine + "; " : "");
  const people = h("div", { id: "household" });
  const trips = h("div", { id: "trips" });
  let rows = 0;
  const form = h("form", { onsubmit: async (e) => {
    e.preventDefault();
    const d = formData(form);
    const body = {
      given_names: d.given_names, family_name: d.family_name, date_of_birth: d.date_of_birth || null,
      nationality: d.nationality, phone: d.phone, email: d.email,
      languages: (d.languages || "").split(";").map((x) => x.trim()).filter(Boolean),
      country: d.country, area: d.area || "", city: d.city, stay_type: d.stay_type || "other",
      departure: d.departure || null, needs_details: d.needs_details,
      household: rowValues(people), trips: rowValues(trips),
      consents: ["assistance", "crisis_messages", "advice_updates", "referral"].filter((p) => form.elements["consent_" + p].checked),
    };
    if (!store.get("registerKey")) store.set("registerKey", uuid());
    const r = await api("POST", "/me", { ...body, idempotency_key: store.get("registerKey") }).catch(() => null);
    if (!r) { say(msg, T.offline, true); return; }
    if (!r.ok) { say(msg, errorText(r), true); return; }
    store.drop("registerKey");
    store.set("cache.me", { at: Date.now(), data: r.data });
    reloadAt("#/");
  } },
    h("p", {}, T.registerIntro),
    field("given_names", T.givenNames, text({ required: true, autocomplete: "given-name" })),
    field("family_name", T.familyName, text({ autocomplete: "family-name" })),
    field("date_of_birth", T.dateOfBirth, h("input", { type: "date" })),
    field("nationality", T.nationality, nationality),
    field("phone", T.phone, h("input", { type: "tel", maxlength: "32", autocomplete: "tel", value: verified.channel === "sms" ? verified.address : "" })),
    field("email", T.email, h("input", { type: "email", maxlength: "200", autocomplete: "email", value: verified.channel === "email" ? verified.address : "" })),
    field("languages", T.languages, languages.input), languages.list,
    field("country", T.country, countrySelect),
    field("area", T.area, areaSelect),
    field("city", T.city, text()),
    field("stay_type", T.stayType, stay),
    field("departure", T.departure, h("input", { type: "date" })),
    field("needs_details", T.needs, h("textarea", { rows: "3", maxlength: "2000" })),
    h("h2", {}, T.household), h("p", { class: "small" }, T.householdIntro), people,
    h("p", {}, h("button", { type: "button", id: "add-person", onclick: () => { people.append(personRow(cfg, people, ++rows)); } }, T.addPerson)),
    h("h2", {}, T.trips), h("p", { class: "small" }, T.tripsIntro), trips,
    h("p", {}, h("button", { type: "button", id: "add-trip", onclick: () => { trips.append(tripRow(cfg, trips, ++rows)); } }, T.addTrip)),
    check("consent_assistance", T.consentAssistance, true),
    check("consent_crisis_messages", T.consentMessages),
    check("consent_advice_updates", T.consentAdvice),
    check("consent_referral", T.consentReferral),
    h("button", { type: "submit" }, T.register), msg);
  show(T.register, form);
};

// A confirmation carried from one page to the next (shown once).
let notice = "";

pages.help = async function help(_arg, show) {
  if (!signedIn()) { location.hash = "#/signin"; return; }
  const cfg = await config();
  const msg = h("p", { class: "msg", role: "status" }, notice);
  notice = "";
  const category = h("select", { required: true }, (cfg.case_categories || []).map(([v, l]) => h("option", { value: v }, l)));
  const locate = h("input", { type: "checkbox", id: "c-locate" });
  const form = h("form", { onsubmit: async (e) => {
    e.preventDefault();
    const d = formData(form);
    const body = { category: d.category, summary: d.summary };
    if (locate.checked && navigator.geolocation) {
      const pos = await new Promise((resolve) => navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), { timeout: 8000, maximumAge: 600000 }));
      if (pos) body.location = `${pos.coords.latitude.toFixed(5)},${pos.coords.longitude.toFixed(5)}`;
    }
    const done = await enqueue("request", "/requests", body, true);
    if (done.state === "refused") { say(msg, `${T.refused} ${done.error}`, true); return; }
    say(msg, done.state === "sent" ? T.sentNow : "");
    form.reset();
  } },
    field("category", T.category, category),
    field("summary", T.summary, h("textarea", { rows: "4", maxlength: "4000", required: true })),
    h("p", { class: "check" }, locate, h("label", { for: "c-locate" }, T.shareLocation)),
    h("button", { type: "submit", class: "help" }, T.send), msg);
  show(T.needHelp, form);
};

pages.requests = async function requests(id, show) {
  if (!signedIn()) { location.hash = "#/signin"; return; }
  if (id) return requestDetail(id, show);
  const list = await read("/requests", "requests");
  const items = list.data || [];
  show(T.requests, items.length ? h("ul", { class: "cards" }, items.map((c) => h("li", {},
    h("a", { href: `#/requests/${c.id}` }, c.category_label || c.category), " ",
    h("span", { class: "tag" }, c.status_label || c.status),
    c.reference ? h("small", {}, " ", c.reference) : null))) : h("p", {}, T.noRequests),
  h("p", {}, h("a", { class: "button help", href: "#/help" }, T.needHelp)));
};

async function requestDetail(id, show) {
  const r = await read(`/requests/${encodeURIComponent(id)}`, "request." + id);
  const c = r.data;
  if (!c) { show(T.requests, h("p", {}, T.noData)); return; }
  const msg = h("p", { class: "msg", role: "status" });
  const reply = h("textarea", { rows: "3", maxlength: "4000", required: true });
  const form = h("form", { onsubmit: async (e) => {
    e.preventDefault();
    const done = await enqueue("message", `/requests/${encodeURIComponent(id)}/messages`, { text: reply.value.trim() });
    if (done.state === "refused") { say(msg, `${T.refused} ${done.error}`, true); return; }
    say(msg, done.state === "sent" ? T.sentNow : "");
    form.reset();
  } }, field("text", T.reply, reply), h("button", { type: "submit" }, T.send), msg);
  show(c.category_label || c.category,
    h("p", {}, `${T.status}: `, h("strong", {}, c.status_label || c.status)),
    c.summary ? h("p", {}, c.summary) : null,
    h("h2", {}, T.messages),
    h("ol", { class: "thread" }, (c.messages || []).map((m) => h("li", { class: m.direction === "out" ? "them" : "us" },
      h("strong", {}, m.direction === "out" ? T.fromEmbassy : T.fromYou), " ", h("time", { datetime: m.created }, (m.created || "").slice(0, 16).replace("T", " ")), h("p", {}, m.text)))),
    form);
}

async function myCountry() {
  const me = store.get("cache.me");
  return store.get("country") || (me && me.data && me.data.data && me.data.data.country) || "";
}

pages.advice = async function advice(_arg, show) {
  const cfg = await config();
  const code = await myCountry();
  const pick = h("select", { onchange: () => { store.set("country", pick.value); route(); } }, h("option", { value: "" }, "—"), cfg.countries.map((c) => h("option", { value: c.code, selected: c.code === code }, c.name)));
  const head = field("country", T.country, pick);
  if (!code) { show(T.advice, head); return; }
  const lang = `?lang=${encodeURIComponent(CFG.lang)}`;
  const a = (await read(`/advice/${code}${lang}`, "advice." + code)).data;
  const b = (await read(`/advice/${code}/briefing${lang}`, "briefing." + code)).data;
  const place = (p) => h("section", { class: `level level-${p.level}`, lang: p.text ? p.text.language : null, dir: p.text && p.text.rtl ? "rtl" : null },
    h("h2", {}, p.place || (a && a.name) || code),
    h("p", {}, h("strong", {}, `${T.level} ${p.level}: ${p.level_label}`)),
    p.text && p.text.summary ? h("p", { class: "pre" }, p.text.summary) : null,
    h("p", { class: "small" }, `${T.lastReviewed}: ${p.last_reviewed}`),
    (p.text ? p.text.sections : []).filter((s) => s.text).map((s) => h("details", {}, h("summary", {}, s.heading), h("p", { class: "pre" }, s.text))));
  show(T.advice, head,
    a ? (a.advice || []).map(place) : h("p", {}, T.noData),
    b ? h("section", { lang: b.language, dir: b.rtl ? "rtl" : null }, h("h2", {}, b.title || T.briefing),
      b.hazards ? h("p", { class: "pre" }, b.hazards) : null,
      (b.checklist || []).map((c) => h("div", {}, h("h3", {}, c.heading), h("ul", {}, c.items.map((i) => h("li", {}, i))))),
      b.during_alerts ? h("p", { class: "pre" }, b.during_alerts) : null,
      b.emergency_numbers ? h("p", { class: "pre" }, b.emergency_numbers) : null,
      h("p", {}, h("a", { href: `/advice/${code.toLowerCase()}/briefing.pdf${lang}` }, T.print))) : null);
};

pages.contacts = async function contacts(_arg, show) {
  const code = await myCountry();
  const posts = (await read(`/posts${code ? "?country=" + encodeURIComponent(code) : ""}`, "posts." + code)).data || [];
  show(T.contacts, posts.length ? h("ul", { class: "cards" }, posts.map((p) => h("li", {},
    h("h2", {}, p.name),
    p.emergency_phone ? h("p", {}, `${T.emergencyPhone}: `, h("a", { href: "tel:" + p.emergency_phone, dir: "ltr" }, p.emergency_phone)) : null,
    p.phone ? h("p", {}, `${T.phone}: `, h("a", { href: "tel:" + p.phone, dir: "ltr" }, p.phone)) : null,
    p.email ? h("p", {}, h("a", { href: "mailto:" + p.email }, p.email)) : null,
    p.address ? h("p", { class: "pre" }, p.address) : null,
    p.office_hours ? h("p", {}, `${T.officeHours}: ${p.office_hours}`) : null))) : h("p", {}, T.noData));
};

pages.alerts = async function alerts(_arg, show) {
  let received = [];
  if ("caches" in window) {
    const hit = await caches.open("lifeline-data").then((c) => c.match("/app/received.json"));
    if (hit) received = await hit.json();
  }
  const code = await myCountry();
  const current = (await read(`/alerts${code ? "?country=" + encodeURIComponent(code) : ""}`, "alerts." + code)).data || [];
  const card = (a) => h("li", { lang: a.lang || a.language || null, dir: a.dir || null }, h("strong", {}, a.headline || a.title), a.instruction || a.body ? h("p", {}, a.instruction || a.body) : null,
    a.url ? h("p", {}, h("a", { href: a.url }, a.url)) : null);
  show(T.alerts,
    h("h2", {}, T.currentAlerts), current.length ? h("ul", { class: "cards" }, current.map(card)) : h("p", {}, T.noAlerts),
    h("h2", {}, T.receivedAlerts), received.length ? h("ul", { class: "cards" }, received.map(card)) : h("p", {}, T.noAlerts));
};

pages.me = async function me(_arg, show) {
  if (!signedIn()) { location.hash = "#/signin"; return; }
  const mine = (await read("/me", "me")).data;
  const devices = (await read("/devices", "devices")).data || [];
  const msg = h("p", { class: "msg", role: "status" });
  const exportButton = h("button", { type: "button", onclick: async () => {
    const r = await api("GET", "/me/export").catch(() => null);
    if (!r || !r.ok) { say(msg, r ? errorText(r) : T.offline, true); return; }
    const blob = new Blob([JSON.stringify(r.data, null, 2)], { type: "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: "my-registration.json" });
    document.body.append(link); link.click(); link.remove();
  } }, T.export);
  const deleteButton = h("button", { type: "button", class: "danger", onclick: async () => {
    if (!confirm(T.deleteConfirm)) return;
    const r = await api("DELETE", "/me").catch(() => null);
    if (!r || !r.ok) { say(msg, r ? errorText(r) : T.offline, true); return; }
    await signOut(false, false);
    alert(T.deleted);
    location.reload();
  } }, T.deleteAll);
  const pushButton = h("button", { type: "button", onclick: () => enablePush(msg) }, T.pushOn);
  // What is held about the person, as the server words it in their language: one section per topic.
  const sections = (mine && mine.sections) || [];
  show(T.me,
    sections.length ? sections.map((s) => h("section", { class: "held", "data-section": s.key },
      h("h2", {}, s.title),
      h("dl", {}, s.rows.flatMap((row) => [h("dt", {}, row.label), h("dd", {}, row.value)])))) : h("p", {}, T.noData),
    h("p", {}, pushButton), h("p", {}, exportButton), h("p", {}, deleteButton),
    h("h2", {}, T.devices),
    h("ul", {}, devices.map((d) => h("li", {}, d.label || "—", d.current ? ` (${T.thisDevice})` : "", " ",
      d.current ? null : h("button", { type: "button", class: "link", onclick: async () => { await api("DELETE", `/devices/${d.id}`).catch(() => null); route(); } }, T.revoke)))),
    h("p", {}, h("button", { type: "button", onclick: () => signOut(true) }, T.signOut)), msg);
};

// ---- Web Push ------------------------------------------------------------------------
function urlBase64ToUint8Array(base64) {
  const padding = "=".repeat((4 - (base64.length % 4)) % 4);
  const raw = atob((base64 + padding).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from([...raw].map((c) => c.charCodeAt(0)));
}

async function enablePush(msg) {
  const cfg = await config();
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !cfg.vapid_public_key) { say(msg, T.pushUnavailable, true); return; }
  try {
    if ((await Notification.requestPermission()) !== "granted") { say(msg, T.pushUnavailable, true); return; }
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(cfg.vapid_public_key) });
    const r = await api("POST", "/push", sub.toJSON());
    say(msg, r.ok ? T.pushOnDone : errorText(r), !r.ok);
  } catch (e) {
    say(msg, T.pushUnavailable, true);
  }
}

// ---- routing -------------------------------------------------------------------------------
async function route() {
  const [name, arg] = location.hash.replace(/^#\/?/, "").split("/");
  const page = pages[name] || pages[""];
  for (const a of document.querySelectorAll("nav.tabs a")) a.toggleAttribute("aria-current", a.getAttribute("href") === `#/${name}` || (name === "" && a.getAttribute("href") === "#/"));
  const show = showFor(++routeSeq);
  try { await page(arg ? decodeURIComponent(arg) : undefined, show); } catch (e) { show(T.appTitle, h("p", { class: "bad" }, T.error)); console.error(e); }
}

window.addEventListener("hashchange", route);
// Choosing a language submits its form (no inline handler: the page's Content-Security-Policy forbids them).
document.getElementById("app-lang")?.addEventListener("change", (event) => event.target.form.submit());
showNet();
showQueue();
route();
flush();
if ("serviceWorker" in navigator) navigator.serviceWorker.register(CFG.sw, { scope: "/app/" }).catch(() => {});

// For tests and for a native wrapper: how many submissions wait to be sent.
window.lifelineQueue = { size: () => queue().length, flush };
