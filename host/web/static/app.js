// host/web/static/app.js — the dashboard: plain JavaScript, no framework, no build step, no
// outside URL. It logs in with the one-time code of the login link (the URL's fragment, which
// never reaches a server) and keeps the API token in memory only: no cookie, no storage.
// Every API call carries the token; the event streams and the video use the signed URLs the
// API hands out (an EventSource or a <video> cannot send a header). Text from the server is
// always set as text, never as HTML.
"use strict";

const state = {
  token: null, // in memory only
  timer: null,
  plugins: [],
  accounts: [],
  editing: null, // the account the form edits
  jobs: new Map(), // id -> {job, steps: Map, percent, seq, source, card, result}
};
const ENDED = new Set(["done", "failed", "cancelled", "rejected"]);
const ACTION_LABELS = {
  run: "Publish it (run)",
  generate: "Keep it in the outbox (generate)",
  post: "Post it (post)",
};
// Options the create form has its own controls for, and those naming server paths.
const OWN_OPTIONS = new Set(["topic", "script", "title", "aspect", "voice", "outbox"]);

const $ = (id) => document.getElementById(id);

// An element with attributes (text: its text; on*: listeners) and children.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function say(text) {
  $("status").textContent = text;
}

function alertText(text) {
  const a = $("alert");
  a.textContent = text || "";
  a.hidden = !text;
}

async function api(method, path, body) {
  const init = { method, headers: { Authorization: "Bearer " + state.token }, cache: "no-store" };
  init.credentials = "omit";
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch("/api/v1" + path, init);
  let data = null;
  try {
    data = await r.json();
  } catch (e) {
    data = null;
  }
  if (r.status === 401) loggedOut("The API refused the token: log in again.");
  if (!r.ok) throw new Error((data && data.error && data.error.message) || method + " " + path + ": HTTP " + r.status);
  return data;
}

// Runs an action of a button or form, showing its error.
async function guarded(what, fn) {
  alertText("");
  try {
    await fn();
  } catch (e) {
    alertText(what + ": " + e.message);
  }
}

function when(v) {
  if (v === null || v === undefined || v === "") return "";
  const d = typeof v === "number" ? new Date(v > 1e12 ? v : v * 1000) : new Date(v);
  return isNaN(d) ? String(v) : d.toLocaleString();
}

// ---- logging in -------------------------------------------------------------------------------

async function loginWithCode(code) {
  const r = await fetch("/api/v1/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code }),
    credentials: "omit",
    cache: "no-store",
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new Error((data && data.error && data.error.message) || "HTTP " + r.status);
  return data.token;
}

async function enter(token) {
  state.token = token;
  $("login").hidden = true;
  $("app").hidden = false;
  $("whoami").textContent = "Logged in";
  await loadPlugins();
  await Promise.all([loadAccounts(), loadJobs(), loadHistory(), loadSchedules()]);
  say("Ready.");
  // Jobs started elsewhere (a schedule, another client) appear within 15 s.
  state.timer ||= setInterval(() => {
    if (state.token) {
      loadJobs().catch(() => {});
      loadHistory().catch(() => {});
    }
  }, 15000);
}

function loggedOut(message) {
  state.token = null;
  for (const j of state.jobs.values()) if (j.source) j.source.close();
  $("app").hidden = true;
  $("login").hidden = false;
  $("whoami").textContent = "Not logged in";
  if (message) alertText(message);
}

async function start() {
  wireForms();
  const m = /(?:^#|&)code=([^&]+)/.exec(location.hash);
  // The code leaves the address bar (and the history) before anything else happens.
  if (location.hash || location.pathname !== "/") history.replaceState(null, "", "/");
  if (!m) return;
  await guarded("Logging in", async () => {
    const token = await loginWithCode(decodeURIComponent(m[1]));
    await enter(token);
  });
}

// ---- plugins and the create form ------------------------------------------------------------

function plugin(id) {
  return state.plugins.find((p) => p.id === id);
}

function optionsOf(pluginId, action) {
  const p = plugin(pluginId);
  return (p && p.options && p.options[action]) || [];
}

function namesPath(spec) {
  return /\b(file|folder)\b/i.test(spec.help || "");
}

// Actions that make something from a topic or a script.
function makingActions(p) {
  return (p.actions || []).filter((a) =>
    ((p.options && p.options[a]) || []).some((o) => o.name === "topic" || o.name === "script"));
}

function fillSelect(select, items, keep) {
  const old = keep ? select.value : "";
  select.replaceChildren(...items.map(([value, label]) => el("option", { value, text: label })));
  if (items.some(([v]) => v === old)) select.value = old;
}

async function loadPlugins() {
  const data = await api("GET", "/plugins");
  state.plugins = data.plugins;
  const makers = state.plugins.filter((p) => makingActions(p).length);
  fillSelect($("c-plugin"), makers.map((p) => [p.id, p.name || p.id]));
  if (plugin("youtube") && makers.includes(plugin("youtube"))) $("c-plugin").value = "youtube";
  const all = state.plugins.map((p) => [p.id, p.name || p.id]);
  fillSelect($("a-plugin"), all);
  fillSelect($("s-plugin"), all);
  if (plugin("youtube")) $("a-plugin").value = $("s-plugin").value = "youtube";
  createPluginChanged();
  accountPluginChanged();
  schedulePluginChanged();
}

function accountChoices(pluginId) {
  return [["", "— no account —"]].concat(
    state.accounts.filter((a) => a.plugin === pluginId).map((a) => [a.nickname, a.nickname]));
}

function createPluginChanged() {
  const p = plugin($("c-plugin").value);
  if (!p) return;
  fillSelect($("c-account"), accountChoices(p.id), true);
  fillSelect($("c-action"), makingActions(p).map((a) => [a, ACTION_LABELS[a] || a]), true);
  createActionChanged();
}

function createActionChanged() {
  const specs = optionsOf($("c-plugin").value, $("c-action").value);
  const aspect = specs.find((o) => o.name === "aspect");
  fillSelect($("c-aspect"), ((aspect && aspect.enum) || []).map((v) => [v, v]), true);
  $("c-aspect").closest(".field").hidden = !aspect;
  $("c-voice-field").hidden = !specs.some((o) => o.name === "voice");
  // Only an action that splits into making and publishing can wait (the plugin's
  // action_approval); without that list the server's answer says.
  const p = plugin($("c-plugin").value);
  const gated = !p.action_approval || Boolean(p.action_approval[$("c-action").value]);
  $("c-approval").disabled = !gated;
  if (!gated) $("c-approval").checked = false;
  $("c-approval-note").textContent = gated ? "" : "(this action publishes nothing)";
  const more = specs.filter((o) => !OWN_OPTIONS.has(o.name) && !namesPath(o));
  $("c-options").replaceChildren(...more.map((o) => optionControl(o, "c-opt-")));
  $("c-more").hidden = more.length === 0;
  showVoice();
}

// Where the voice comes from when the action has no voice option: the account's field.
function showVoice() {
  const a = state.accounts.find((x) => x.nickname === $("c-account").value && x.plugin === $("c-plugin").value);
  const voice = a && a.fields && a.fields.voice;
  $("c-voice").textContent = $("c-voice-field").hidden
    ? "Voice: " + (voice || "the language's default") + " (the account's; change it under Accounts)"
    : "";
}

// A labelled control for an option or an account field spec {name, type, enum, help, …}.
function optionControl(spec, prefix, value) {
  const id = prefix + spec.name;
  const help = spec.help ? el("small", { id: id + "-help", class: "muted", text: spec.help }) : null;
  const described = help ? id + "-help" : null;
  const label = el("label", { for: id, text: spec.name + (spec.required ? " (required)" : "") });
  let input;
  if (spec.type === "boolean") {
    input = el("input", { id, type: "checkbox", "aria-describedby": described });
    input.checked = value === true;
    return el("div", { class: "field check" }, input, label, help);
  }
  if (spec.enum) {
    input = el("select", { id, "aria-describedby": described });
    fillSelect(input, [["", "—"]].concat(spec.enum.map((v) => [String(v), String(v)])));
  } else {
    const numeric = spec.type === "integer" || spec.type === "number";
    input = el("input", {
      id,
      type: spec.secret ? "password" : numeric ? "number" : "text",
      step: spec.type === "number" ? "any" : null,
      min: spec.minimum, max: spec.maximum,
      autocomplete: spec.secret ? "new-password" : "off",
      "aria-describedby": described,
    });
  }
  if (value !== undefined && value !== null && !spec.secret) input.value = String(value);
  return el("div", { class: "field" }, label, input, help);
}

// The value of optionControl's control, or undefined when left empty.
function optionValue(spec, prefix) {
  const input = $(prefix + spec.name);
  if (!input) return undefined;
  if (spec.type === "boolean") return input.checked ? true : undefined;
  if (input.value === "") return undefined;
  if (spec.type === "integer" || spec.type === "number") return Number(input.value);
  return input.value;
}

function createRequest() {
  const p = $("c-plugin").value;
  const action = $("c-action").value;
  const specs = optionsOf(p, action);
  const body = { plugin: p, action, options: {} };
  if ($("c-account").value) body.account = $("c-account").value;
  const scripted = $("c-src-script").checked;
  if (scripted) body.script_text = $("c-script").value;
  else if ($("c-topic").value.trim()) body.options.topic = $("c-topic").value.trim();
  if ($("c-title").value.trim()) body.options.title = $("c-title").value.trim();
  if (!$("c-aspect").closest(".field").hidden && $("c-aspect").value) body.options.aspect = $("c-aspect").value;
  if (!$("c-voice-field").hidden && $("c-voice-input").value) body.options.voice = $("c-voice-input").value;
  for (const o of specs) {
    if (OWN_OPTIONS.has(o.name) || namesPath(o)) continue;
    const v = optionValue(o, "c-opt-");
    if (v !== undefined) body.options[o.name] = v;
  }
  if ($("c-approval").checked) body.approval = "required";
  return body;
}

async function submitCreate(ev) {
  ev.preventDefault();
  await guarded("Starting the Short", async () => {
    if ($("c-src-script").checked && !$("c-script").value.trim()) throw new Error("the script is empty");
    $("c-submit").disabled = true;
    try {
      const data = await api("POST", "/jobs", createRequest());
      for (const j of data.jobs) trackJob(j, true);
      say("Started: job " + data.jobs.map((j) => j.id).join(", ") + ".");
      const first = state.jobs.get(data.jobs[0].id);
      if (first && first.card) first.card.focus();
    } finally {
      $("c-submit").disabled = false;
    }
  });
}

function sourceChanged() {
  const scripted = $("c-src-script").checked;
  $("c-topic-field").hidden = scripted;
  $("c-script-field").hidden = !scripted;
}

// ---- jobs: cards, live events, the result ---------------------------------------------------

function jobTitle(j) {
  const o = j.options || {};
  return o.title || o.topic || (o.script ? "Short from a script" : j.plugin + " " + j.action);
}

function trackJob(job, isNew) {
  let t = state.jobs.get(job.id);
  if (!t) {
    t = { job, steps: new Map(), percent: null, seq: 0, source: null, card: null, result: null, fresh: isNew };
    state.jobs.set(job.id, t);
    t.card = el("li", { class: "card", tabindex: "-1", "data-job": job.id });
    const list = $("job-list");
    if (isNew) list.prepend(t.card);
    else list.append(t.card);
  } else {
    t.job = Object.assign(t.job, job);
  }
  renderJob(t);
  if (!ENDED.has(t.job.state)) watch(t);
  if ((t.job.state === "done" || t.job.state === "awaiting_approval") && !t.result) loadDetail(t);
  return t;
}

function renderJob(t) {
  const j = t.job;
  const head = el("h3", {},
    el("span", { text: jobTitle(j) }),
    el("span", { class: "badge " + j.state, text: j.state.replace("_", " ") }),
    el("small", { class: "muted", text: j.plugin + " · " + j.action + " · " + j.id }));
  const steps = el("ol", { class: "steps", "aria-label": "Steps" },
    ...[...t.steps].map(([name, s]) =>
      el("li", { class: s.state, text: name + (s.percent != null && s.state === "running" ? " " + s.percent + " %" : "") })));
  const parts = [head, steps, progressOf(t)];
  if (j.error) parts.push(el("p", { class: "error-text", text: j.error }));
  parts.push(jobButtons(t)); // before the player: Approve and Reject stay in sight
  if (t.result) {
    // One player per job: a render must not restart what is playing.
    if (!t.video) t.video = playerOf(t.result, j.state === "awaiting_approval" || t.fresh);
    parts.push(t.video);
  }
  // The <progress> keeps its identity, so its value changes (and a screen reader's focus) stay.
  t.card.replaceChildren(...parts);
}

function progressOf(t) {
  const id = "progress-" + t.job.id;
  if (!t.bar) t.bar = el("progress", { id, max: "100" });
  const done = t.job.state === "done";
  const value = done ? 100 : t.percent;
  if (value !== null && value !== undefined) {
    if (t.bar.value !== value || !t.bar.hasAttribute("value")) t.bar.value = value;
  } else {
    t.bar.removeAttribute("value"); // indeterminate: waiting or not measurable
  }
  const label = el("label", { for: id, text: "Progress" + (value != null ? ": " + value + " %" : "") });
  return el("div", { class: "field" }, label, t.bar);
}

function playerOf(item, preloadMore) {
  const video = el("video", {
    controls: true,
    preload: preloadMore ? "metadata" : "none",
    playsinline: true,
    src: item.video_url,
    poster: item.thumbnail_url,
    "aria-label": "Video: " + (item.title || item.id),
    "data-history": item.id,
  });
  // Its signed URL lives ten minutes: a player that fails after that asks for a new one and
  // goes on where it was.
  let renewed = 0;
  video.addEventListener("error", async () => {
    if (!state.token || Date.now() - renewed < 60000) return;
    renewed = Date.now();
    const at = video.currentTime;
    try {
      const fresh = await api("GET", "/outbox/" + encodeURIComponent(item.id));
      video.src = fresh.video_url;
      video.currentTime = at;
    } catch (e) {
      alertText("The video cannot be played: " + e.message);
    }
  });
  return video;
}

function jobButtons(t) {
  const j = t.job;
  const b = [];
  const named = " job " + jobTitle(j);
  if (j.state === "awaiting_approval") {
    b.push(el("button", { type: "button", text: "Approve", "aria-label": "Approve" + named, onclick: () => decide(t, "approve") }));
    b.push(el("button", { type: "button", class: "danger", text: "Reject", "aria-label": "Reject" + named, onclick: () => decide(t, "reject") }));
  }
  if (j.state === "queued" || j.state === "running")
    b.push(el("button", { type: "button", class: "danger", text: "Cancel", "aria-label": "Cancel" + named, onclick: () => cancelJob(t) }));
  return el("div", { class: "actions" }, ...b);
}

async function decide(t, verdict) {
  await guarded(verdict === "approve" ? "Approving" : "Rejecting", async () => {
    const job = await api("POST", "/jobs/" + t.job.id + "/" + verdict);
    trackJob(job);
    say((verdict === "approve" ? "Approved: " : "Rejected: ") + jobTitle(t.job) + ".");
    loadHistory().catch(() => {});
  });
}

async function cancelJob(t) {
  await guarded("Cancelling", async () => {
    const r = await api("POST", "/jobs/" + t.job.id + "/cancel");
    say(r.cancel_requested ? "Cancelling " + jobTitle(t.job) + "…" : "Cancelled " + jobTitle(t.job) + ".");
    if (r.state === "cancelled") trackJob({ id: t.job.id, state: "cancelled" });
  });
}

// Steps, result and the made video of a job (GET /jobs/{id}, then its outbox item).
async function loadDetail(t) {
  const job = await api("GET", "/jobs/" + t.job.id);
  t.job = Object.assign(t.job, job);
  if (!t.seq || ENDED.has(job.state)) {
    t.steps = new Map((job.steps || []).map((s) => [s.name, { state: s.state, percent: s.percent }]));
    if (job.progress && job.progress.percent != null) t.percent = job.progress.percent;
  }
  const hid = (job.result && job.result.history_id) || job.approval_item;
  if (hid && !t.result && job.state !== "rejected") t.result = await api("GET", "/outbox/" + encodeURIComponent(hid));
  renderJob(t);
}

function watch(t) {
  if (t.source) return;
  const es = new EventSource(t.job.events_url);
  t.source = es;
  const on = (kind, fn) =>
    es.addEventListener(kind, (ev) => {
      const seq = Number(ev.lastEventId || 0);
      if (kind !== "end" && seq && seq <= t.seq) return; // seen before a reconnect
      if (seq) t.seq = Math.max(t.seq, seq);
      fn(JSON.parse(ev.data));
      renderJob(t);
    });
  on("state", (e) => {
    t.job.state = e.name;
    if (e.name === "rejected") t.result = t.video = null; // its files are gone
    if (e.name === "awaiting_approval" || e.name === "done") loadDetail(t).catch(() => {});
  });
  on("step_started", (e) => t.steps.set(e.name, { state: "running", percent: null }));
  on("step_finished", (e) => t.steps.set(e.name, { state: "done", percent: null }));
  on("step_failed", (e) => t.steps.set(e.name, { state: "failed", percent: null }));
  on("progress", (e) => {
    const s = t.steps.get(e.name) || { state: "running" };
    s.percent = e.percent;
    t.steps.set(e.name, s);
    t.percent = e.percent;
  });
  on("end", (e) => {
    es.close();
    t.source = null;
    t.job.state = e.state || t.job.state;
    if (t.job.state === "rejected") t.result = t.video = null;
    loadDetail(t).catch(() => {});
    loadHistory().catch(() => {});
  });
  // A signed URL lives ten minutes: a stream that cannot reconnect asks the API for a new one.
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) return;
    t.source = null;
    setTimeout(() => {
      if (state.token) api("GET", "/jobs/" + t.job.id).then((j) => trackJob(j)).catch(() => {});
    }, 2000);
  };
}

async function loadJobs() {
  const data = await api("GET", "/jobs?limit=20");
  for (const j of data.jobs) {
    const known = state.jobs.get(j.id);
    if (!known) trackJob(j, false);
    else if (!known.source && !ENDED.has(known.job.state)) trackJob(j);
  }
}

// ---- history --------------------------------------------------------------------------------

async function loadHistory() {
  const data = await api("GET", "/history?limit=30");
  const rows = data.history.map((h) => {
    const link = h.remote_url
      ? el("a", { href: h.remote_url, target: "_blank", rel: "noopener noreferrer", text: "Open" + (h.kind === "video" ? " the video" : "") })
      : h.kind === "video"
        ? el("button", { type: "button", class: "secondary", text: "Watch", "aria-label": "Watch " + (h.title || h.id), onclick: () => watchHistory(h) })
        : null;
    return el("tr", { "data-history": h.id },
      el("td", { text: when(h.created_at) }),
      el("td", { text: (h.title || h.kind) + " · " + h.plugin + " " + h.kind }),
      el("td", { text: h.status + (h.error ? ": " + h.error : "") }),
      el("td", {}, link));
  });
  $("history-table").tBodies[0].replaceChildren(...rows);
}

async function watchHistory(h) {
  await guarded("Opening the video", async () => {
    const item = await api("GET", "/outbox/" + encodeURIComponent(h.id));
    const row = document.querySelector('tr[data-history="' + CSS.escape(h.id) + '"]');
    const cell = el("td", { colspan: "4" }, playerOf(item, true));
    const next = row.nextElementSibling;
    if (next && next.classList.contains("player-row")) next.remove();
    row.after(el("tr", { class: "player-row" }, cell));
  });
}

// ---- accounts --------------------------------------------------------------------------------

async function loadAccounts() {
  const data = await api("GET", "/accounts");
  state.accounts = data.accounts;
  const items = state.accounts.map((a) => {
    const fields = Object.entries(a.fields || {}).filter(([, v]) => v !== "" && v !== null)
      .map(([k, v]) => k + ": " + v).join(" · ");
    return el("li", {},
      el("strong", { text: a.nickname }), el("span", { class: "muted", text: " (" + a.plugin + ")" }),
      el("div", { text: fields }),
      a.secrets.length ? el("div", { class: "muted", text: "Secrets set: " + a.secrets.join(", ") }) : null,
      a.approval === "required" ? el("div", { text: "Asks before publishing" }) : null,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", text: "Edit", "aria-label": "Edit account " + a.nickname, onclick: () => editAccount(a) }),
        el("button", { type: "button", class: "danger", text: "Remove", "aria-label": "Remove account " + a.nickname, onclick: () => removeAccount(a) })));
  });
  $("account-list").replaceChildren(...(items.length ? items : [el("li", { class: "muted", text: "No accounts yet." })]));
  createPluginChanged();
  schedulePluginChanged();
}

function accountPluginChanged(account) {
  const p = plugin($("a-plugin").value);
  const specs = (p && p.account_fields) || [];
  $("a-fields").replaceChildren(...specs.map((f) => {
    const c = optionControl(f, "a-f-", account ? account.fields[f.name] : undefined);
    if (f.secret && account && account.secrets.includes(f.name))
      c.querySelector("input").placeholder = "set — leave empty to keep";
    return c;
  }));
}

function editAccount(a) {
  state.editing = a;
  $("a-id").value = a.id;
  $("a-approval").checked = a.approval === "required";
  $("a-plugin").value = a.plugin;
  $("a-plugin").disabled = true;
  $("a-nickname").value = a.nickname;
  $("a-nickname").disabled = true;
  accountPluginChanged(a);
  $("account-form-h").textContent = "Edit " + a.nickname;
  $("a-submit").textContent = "Save the account";
  $("a-cancel").hidden = false;
  $("a-nickname").closest("form").scrollIntoView();
  const first = $("a-fields").querySelector("input, select");
  if (first) first.focus();
}

function resetAccountForm() {
  $("account-form").reset();
  state.editing = null;
  $("a-id").value = "";
  $("a-plugin").disabled = $("a-nickname").disabled = false;
  $("account-form-h").textContent = "Add an account";
  $("a-submit").textContent = "Add the account";
  $("a-cancel").hidden = true;
  accountPluginChanged();
}

async function submitAccount(ev) {
  ev.preventDefault();
  await guarded("Saving the account", async () => {
    const p = plugin($("a-plugin").value);
    const fields = {};
    for (const f of p.account_fields || []) {
      const v = optionValue(f, "a-f-");
      if (v !== undefined) fields[f.name] = v;
      else if (f.type === "boolean" && $("a-id").value) fields[f.name] = false;
    }
    const body = { fields };
    // Sent only when it changes, so a plugin that cannot wait for approval is never asked to.
    const ask = $("a-approval").checked ? "required" : "none";
    if (ask !== (state.editing ? state.editing.approval || "none" : "none")) body.approval = ask;
    if ($("a-id").value) {
      if (!Object.keys(fields).length) delete body.fields;
      await api("PATCH", "/accounts/" + encodeURIComponent($("a-id").value), body);
      say("Saved the account " + $("a-nickname").value + ".");
    } else {
      await api("POST", "/accounts", Object.assign(body, { plugin: p.id, nickname: $("a-nickname").value }));
      say("Added the account " + $("a-nickname").value + ".");
    }
    resetAccountForm();
    await loadAccounts();
  });
}

async function removeAccount(a) {
  if (!confirm("Remove the account " + a.nickname + "? Its secrets are deleted too.")) return;
  await guarded("Removing the account", async () => {
    await api("DELETE", "/accounts/" + encodeURIComponent(a.id));
    say("Removed the account " + a.nickname + ".");
    await loadAccounts();
  });
}

// ---- schedules -------------------------------------------------------------------------------

function schedulePluginChanged() {
  const p = plugin($("s-plugin").value);
  if (!p) return;
  fillSelect($("s-account"), accountChoices(p.id), true);
  fillSelect($("s-action"), (p.actions || []).filter((a) => a !== "auth").map((a) => [a, ACTION_LABELS[a] || a]), true);
}

function nicknameOf(accountId) {
  const a = state.accounts.find((x) => x.id === accountId);
  return a ? a.nickname : accountId || "no account";
}

async function loadSchedules() {
  const data = await api("GET", "/schedules");
  const items = data.schedules.map((s) => {
    const what = s.plugin + " " + s.action + " · " + nicknameOf(s.account_id);
    return el("li", {},
      el("strong", { text: what }),
      el("span", { class: "badge " + (s.paused ? "cancelled" : "done"), text: s.paused ? "paused" : "active" }),
      el("div", { text: "cron " + s.cron + " (" + s.timezone + ")" + (s.last_fire_at ? " · last fired " + when(s.last_fire_at) : "") }),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", text: s.paused ? "Resume" : "Pause",
          "aria-label": (s.paused ? "Resume " : "Pause ") + what, onclick: () => scheduleCall(s, s.paused ? "resume" : "pause") }),
        el("button", { type: "button", class: "danger", text: "Remove", "aria-label": "Remove schedule " + what,
          onclick: () => scheduleCall(s, "remove") })));
  });
  $("schedule-list").replaceChildren(...(items.length ? items : [el("li", { class: "muted", text: "No schedules yet." })]));
}

async function scheduleCall(s, what) {
  if (what === "remove" && !confirm("Remove this schedule?")) return;
  await guarded("Changing the schedule", async () => {
    if (what === "remove") await api("DELETE", "/schedules/" + s.id);
    else await api("POST", "/schedules/" + s.id + "/" + what);
    say("Schedule " + (what === "remove" ? "removed" : what === "pause" ? "paused" : "resumed") + ".");
    await loadSchedules();
  });
}

async function submitSchedule(ev) {
  ev.preventDefault();
  await guarded("Adding the schedule", async () => {
    const body = { plugin: $("s-plugin").value, action: $("s-action").value };
    if ($("s-account").value) body.account = $("s-account").value;
    if ($("s-when").value === "cron") body.cron = $("s-cron").value;
    else body.preset = $("s-when").value;
    if ($("s-tz").value.trim()) body.timezone = $("s-tz").value.trim();
    await api("POST", "/schedules", body);
    say("Schedule added.");
    $("schedule-form").reset();
    $("s-cron-field").hidden = true;
    await loadSchedules();
  });
}

// ---- wiring ----------------------------------------------------------------------------------

function wireForms() {
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const token = $("token-input").value.trim();
    $("token-input").value = "";
    guarded("Logging in", () => enter(token));
  });
  $("create-form").addEventListener("submit", submitCreate);
  $("c-plugin").addEventListener("change", createPluginChanged);
  $("c-action").addEventListener("change", createActionChanged);
  $("c-account").addEventListener("change", showVoice);
  $("c-src-topic").addEventListener("change", sourceChanged);
  $("c-src-script").addEventListener("change", sourceChanged);
  $("jobs-more").addEventListener("click", () => guarded("Refreshing", loadJobs));
  $("account-form").addEventListener("submit", submitAccount);
  $("a-plugin").addEventListener("change", () => accountPluginChanged());
  $("a-cancel").addEventListener("click", resetAccountForm);
  $("schedule-form").addEventListener("submit", submitSchedule);
  $("s-plugin").addEventListener("change", schedulePluginChanged);
  $("s-when").addEventListener("change", () => {
    $("s-cron-field").hidden = $("s-when").value !== "cron";
  });
}

document.addEventListener("DOMContentLoaded", start);
