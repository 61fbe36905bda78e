// The ops page: every number comes from the platform's /api/v1 routes, as the staff member
// signed in to this browser (the desk_session cookie: no key ever reaches the page); the
// live stream (GET /api/v1/stream) says when to ask again. Data is written with
// textContent only, never as HTML.
"use strict";

const TEXT = {
  en: {
    title: "Support desk · operations", signOut: "Sign out", offline: "offline", live: "live",
    atRisk: "At risk (next working hour)", breachesToday: "Breaches today",
    escalationsToday: "Open escalations today", lineLoad: "Open tickets per line",
    queue: "Work queue", number: "No.", subject: "Subject", tier: "Tier", severity: "Severity",
    status: "Status", timer: "Timer", timeLeft: "Working time left", report: "SLA compliance",
    from: "From", to: "To", show: "Show", feed: "Live events", line: "Line",
    response: "response", resolution: "resolution", breached: "breached", paused: "paused",
    met: "met", running: "running", none: "none", notAllowed: "Not available to your role",
    noTimers: "no timers yet", nothing: "nothing",
  },
  ru: {
    title: "Служба поддержки · оперативная панель",
    signOut: "Выйти", offline: "нет связи", live: "в эфире", atRisk: "Под угрозой (ближайший рабочий час)",
    breachesToday: "Нарушения сегодня", escalationsToday: "Открытые эскалации сегодня",
    lineLoad: "Открытые заявки по линиям", queue: "Очередь", number: "№", subject: "Тема",
    tier: "Уровень", severity: "Критичность", status: "Статус", timer: "Таймер",
    timeLeft: "Осталось рабочего времени", report: "Соблюдение SLA", from: "С", to: "По",
    show: "Показать", feed: "События", line: "Линия", response: "реакция",
    resolution: "решение", breached: "нарушен", paused: "пауза", met: "выполнено", running: "идёт", none: "нет",
    notAllowed: "Недоступно для вашей роли", noTimers: "таймеров ещё нет",
    nothing: "нет",
  },
};
const OPEN_STATUSES = "new,in_progress,waiting_customer";
const HOUR = 3600;
const state = { lang: localStorage.getItem("opsLang") || "en", queue: [], sla: new Map(), lastEventId: null, stream: null, feed: [], escalations: [], signingOut: false };
const $ = (sel) => document.querySelector(sel);
const t = (name) => TEXT[state.lang][name] || name;
const SIGN_IN = "/desk/signin?next=/ops";

class ApiError extends Error {
  constructor(status, body) { super((body && body.detail) || `HTTP ${status}`); this.status = status; }
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await r.json().catch(() => null);
  // The session ended: sign in again (not while signing out, which goes to its own page;
  // a reload in flight as the session ends would otherwise take over that navigation).
  if (r.status === 401 && !state.signingOut) window.location.assign(SIGN_IN);
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("#live").textContent = t($("#live").dataset.state === "on" ? "live" : "offline");
  renderFeed();
  renderEscalations();
  render();
  // The breaches list, the lines and the report picture are built with words too: say them again.
  if (!$("#board").hidden) {
    loadBreaches();
    loadLines();
    loadReport();
  }
}

// ------------------------------------------------------------------ words for events

// What an event means, in the page's language: event types stay in the events (kept on
// each item as data-type for tools), people read words.
const EVENT_WORDS = {
  en: {
    "escalation.raised": "Escalated", "escalation.acknowledged": "Escalation acknowledged",
    "ola.warning": "Line's own deadline approaching", "ola.breached": "Line's own deadline passed",
    "customer.changed": "Customer updated", "contract.changed": "Contract updated",
    "contact.changed": "Contact updated", "calendar.changed": "Working calendar updated",
    "release.published": "Release published", "ticket.created": "New ticket",
    "ticket.status_changed": "Status changed", "ticket.severity_changed": "Severity changed",
    "ticket.corrective_action_recorded": "Corrective action recorded",
    "ticket.hardware_fault_marked": "Hardware fault marked", "ticket.commented": "New comment",
    "ticket.escalated": "Moved to another line", "ticket.assigned": "Assigned",
    "ticket.change_request_advanced": "Change request advanced", "ticket.tier_changed": "Service tier changed",
    "ticket.visit_requested": "Site visit requested", "ticket.visit_scheduled": "Site visit scheduled",
    "ticket.visit_done": "Site visit done", "ticket.visit_cancelled": "Site visit cancelled",
    "ticket.alert_received": "Monitoring alert received",
    "ticket.phone_confirmation_recorded": "Phone confirmation recorded",
    "maintenance.occurrence_opened": "Maintenance opened", "maintenance.occurrence_moved": "Maintenance moved",
    "maintenance.occurrence_skipped": "Maintenance skipped",
    "notification.sent": "Message sent", "notification.retrying": "Message delivery retrying",
    "notification.failed": "Message not delivered",
    "sla.timer.scheduled": "{timer} clock started", "sla.timer.paused": "{timer} clock paused",
    "sla.timer.resumed": "{timer} clock resumed", "sla.timer.stopped": "{timer} clock stopped",
    "sla.timer.met": "{timer} deadline met", "sla.timer.recomputed": "{timer} deadline recalculated",
    "sla.timer.unchanged": "{timer} deadline unchanged", "sla.timer.breached": "{timer} deadline passed",
    "sla.timer.warning": "{percent} % of the {timerLower} time used",
    manual: "Moved by an agent", other: "Event",
  },
  ru: {
    "escalation.raised": "Эскалация", "escalation.acknowledged": "Эскалация принята",
    "ola.warning": "Внутренний срок линии скоро истекает", "ola.breached": "Внутренний срок линии истёк",
    "customer.changed": "Клиент изменён", "contract.changed": "Договор изменён",
    "contact.changed": "Контакт изменён", "calendar.changed": "Производственный календарь изменён",
    "release.published": "Выпущена версия", "ticket.created": "Новое обращение",
    "ticket.status_changed": "Статус изменён", "ticket.severity_changed": "Критичность изменена",
    "ticket.corrective_action_recorded": "Записано корректирующее действие",
    "ticket.hardware_fault_marked": "Отмечена аппаратная неисправность", "ticket.commented": "Новый комментарий",
    "ticket.escalated": "Передано на другую линию", "ticket.assigned": "Назначен исполнитель",
    "ticket.change_request_advanced": "Запрос на изменение продвинулся", "ticket.tier_changed": "Уровень обслуживания изменён",
    "ticket.visit_requested": "Запрошен выезд", "ticket.visit_scheduled": "Выезд назначен",
    "ticket.visit_done": "Выезд выполнен", "ticket.visit_cancelled": "Выезд отменён",
    "ticket.alert_received": "Получен сигнал мониторинга",
    "ticket.phone_confirmation_recorded": "Записано подтверждение по телефону",
    "maintenance.occurrence_opened": "Начато обслуживание", "maintenance.occurrence_moved": "Обслуживание перенесено",
    "maintenance.occurrence_skipped": "Обслуживание пропущено",
    "notification.sent": "Сообщение отправлено", "notification.retrying": "Повторная отправка сообщения",
    "notification.failed": "Сообщение не доставлено",
    "sla.timer.scheduled": "Отсчёт срока {timerGen} начат", "sla.timer.paused": "Отсчёт срока {timerGen} приостановлен",
    "sla.timer.resumed": "Отсчёт срока {timerGen} возобновлён", "sla.timer.stopped": "Отсчёт срока {timerGen} остановлен",
    "sla.timer.met": "Срок {timerGen} соблюдён", "sla.timer.recomputed": "Срок {timerGen} пересчитан",
    "sla.timer.unchanged": "Срок {timerGen} не изменился", "sla.timer.breached": "Срок {timerGen} истёк",
    "sla.timer.warning": "Использовано {percent} % времени {timerWarn}",
    manual: "Передано вручную", other: "Событие",
  },
};
const TIMER_WORDS = {
  en: { response: ["Response", "response"], resolution: ["Resolution", "resolution"] },
  ru: { response: ["реакции", "реакции"], resolution: ["решения", "на решение"] },
};

// One line for an event (or an escalation's trigger) with its timer and percentage.
function eventWords(type, data = {}) {
  const words = EVENT_WORDS[state.lang];
  const timer = TIMER_WORDS[state.lang][data.timer] || (state.lang === "ru" ? ["", ""] : ["SLA", "allowed"]);
  const pattern = words[type] || words.other;
  const text = pattern
    .replace("{timer}", timer[0]).replace("{timerLower}", timer[1])
    .replace("{timerGen}", timer[0]).replace("{timerWarn}", timer[1])
    .replace("{percent}", data.percent ?? "");
  return text.replace(/\s+/g, " ").trim();
}

// An escalation says why it was raised (an SLA warning or breach, an OLA, a manual move).
function escalationWords(e) {
  return eventWords(e.trigger, { timer: e.timer, percent: e.percent });
}

// ------------------------------------------------------------------ time left

function serverNow(entry) {
  return Date.parse(entry.view.as_of) + (Date.now() - entry.fetchedAt);
}

// The timer that matters now: the running or paused one due first, else a breached one.
function mainTimer(view) {
  const active = view.timers.filter((x) => (x.state === "running" || x.state === "paused") && x.due_at);
  active.sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
  return active[0] || view.timers.find((x) => x.outcome === "breached") || null;
}

// Working seconds left: the server's figure at ``as_of``, run down toward ``due_at``.
// For a 24x7 schedule this is exact; for office hours the run-down is spread evenly up
// to the due instant and each reload from the SLA view puts the figure right again.
function timeLeft(entry, timer, now) {
  const left0 = timer.working_time_left_seconds;
  if (left0 === null || left0 === undefined) return null;
  if (timer.state !== "running") return left0;
  const due = Date.parse(timer.due_at);
  const asOf = Date.parse(entry.view.as_of);
  if (now >= due) return 0;
  if (due <= asOf) return 0;
  return Math.min(left0, left0 * (due - now) / (due - asOf));
}

function timerState(timer, now) {
  if (timer.outcome === "breached" || (timer.state === "running" && now >= Date.parse(timer.due_at))) return "breached";
  if (timer.state !== "running") return timer.state === "paused" ? "paused" : "ok";
  const warnings = (timer.warning_at || []).map(Date.parse).filter((x) => !Number.isNaN(x));
  return warnings.length && now >= Math.min(...warnings) ? "warning" : "ok";
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}`;
}

function standing(item) {
  const entry = state.sla.get(item.id);
  if (!entry) return { state: "ok", text: t("noTimers"), left: null, timer: null };
  const timer = mainTimer(entry.view);
  if (!timer) return { state: "ok", text: t("met"), left: null, timer: null };
  const now = serverNow(entry);
  const left = timeLeft(entry, timer, now);
  const st = timerState(timer, now);
  const text = st === "breached" ? `${clock(0)} · ${t("breached")}` : left === null ? "—" : clock(left) + (st === "paused" ? ` · ${t("paused")}` : "");
  return { state: st, text, left, timer };
}

// ------------------------------------------------------------------ rendering

function renderQueue() {
  const body = $("#queue tbody");
  const rows = state.queue.map((item) => {
    const s = standing(item);
    const row = el("tr", null, { "data-ticket": item.id, "data-state": s.state });
    row.append(el("td", item.registration_number), el("td", item.subject), el("td", item.tier),
      el("td", item.severity), el("td", item.status), el("td", s.timer ? t(s.timer.timer) : ""),
      el("td", s.text, { class: "left" }));
    return row;
  });
  body.replaceChildren(...rows);
}

function renderAtRisk() {
  const risky = state.queue.filter((item) => {
    const s = standing(item);
    return s.state !== "breached" && s.timer && s.timer.state === "running" && s.left !== null && s.left <= HOUR;
  });
  $("#n-at-risk").textContent = risky.length;
  const items = risky.map((item) => el("li", `${item.registration_number} · ${item.subject} · ${standing(item).text}`, { "data-ticket": item.id }));
  $("#at-risk").replaceChildren(...(items.length ? items : [el("li", t("nothing"))]));
}

function render() {
  if ($("#board").hidden) return;
  renderQueue();
  renderAtRisk();
}

function refused(where, error) {
  const text = error.status === 403 ? `${t("notAllowed")} (403)` : error.message;
  $(where).replaceChildren(el(where.startsWith("#n-") ? "span" : "li", text, { class: "error" }));
}

// A ticket's registration number when the queue shows it, else the end of its id (a
// UUIDv7 starts with its timestamp, so the start of ids made together is the same).
function ticketName(id) {
  const known = state.queue.find((item) => item.id === id);
  return known ? known.registration_number : `…${id.slice(-8)}`;
}

function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// ------------------------------------------------------------------ loading

// At most two SLA views in flight: the browser keeps six connections per host, one
// is the stream, and the queue must never wait behind a refresh of every timer.
const slots = { free: 2, waiting: [] };

// ``urgent``: a view the page does not have yet, or one an event says changed, goes
// before the periodic refresh of the others.
async function inSlot(task, urgent) {
  if (slots.free > 0) slots.free -= 1;
  else await new Promise((go) => (urgent ? slots.waiting.unshift(go) : slots.waiting.push(go)));
  try {
    return await task();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free += 1;
  }
}

async function loadSla(id, urgent = true) {
  try {
    let fetchedAt = 0;
    const view = await inSlot(() => {
      fetchedAt = Date.now();
      return api(`/api/v1/tickets/${id}/sla`);
    }, urgent);
    const known = state.sla.get(id);
    // Answers can arrive out of order: an older view never replaces a newer one.
    if (!known || Date.parse(view.as_of) >= Date.parse(known.view.as_of)) state.sla.set(id, { view, fetchedAt });
  } catch (error) {
    if (error.status !== 404) throw error; // 404: sla-clock has not started its timers yet
  }
  render();
}

// ``refresh``: ask again for every SLA view too (they are otherwise asked once, then
// again on each of the ticket's sla.* events).
const queueAnswers = { asked: 0, shown: 0 };

async function loadQueue(refresh = false) {
  const asked = ++queueAnswers.asked;
  try {
    const items = await api("/api/v1/queue?limit=100");
    if (asked < queueAnswers.shown) return; // a later question was answered first
    queueAnswers.shown = asked;
    state.queue = items;
    $("#queue-note").textContent = "";
  } catch (error) {
    state.queue = [];
    $("#queue-note").textContent = error.status === 403 ? `${t("notAllowed")} (403)` : error.message;
  }
  render();
  const stale = state.queue.filter((x) => refresh || !state.sla.has(x.id));
  await Promise.all(stale.map((x) => loadSla(x.id, !state.sla.has(x.id)).catch(() => {})));
}

async function loadBreaches() {
  try {
    const page = await api("/api/v1/tickets?breached=true&limit=200");
    const today = startOfToday();
    const rows = [];
    for (const ticket of page.items) {
      for (const timer of (ticket.sla && ticket.sla.timers) || []) {
        if (timer.breached && timer.breached_at && Date.parse(timer.breached_at) >= today) {
          rows.push(el("li", `${ticket.registration_number} · ${t(timer.timer)} · ${ticket.subject}`, { "data-ticket": ticket.id }));
        }
      }
    }
    $("#n-breaches").textContent = rows.length;
    $("#breaches").replaceChildren(...(rows.length ? rows : [el("li", t("nothing"))]));
  } catch (error) {
    refused("#breaches", error);
    $("#n-breaches").textContent = "–";
  }
}

function renderEscalations() {
  if (!$("#n-escalations") || $("#board").hidden) return;
  const open = state.escalations;
  $("#n-escalations").textContent = open.length;
  const rows = open.map((e) => el("li", `${t("line")} ${e.from_line}→${e.to_line ?? "·"} · ${escalationWords(e)} · ${ticketName(e.ticket_id)}`, { "data-trigger": e.trigger }));
  $("#escalations").replaceChildren(...(rows.length ? rows : [el("li", t("nothing"))]));
}

async function loadEscalations() {
  try {
    const today = startOfToday();
    const open = (await api("/api/v1/escalations?state=open&limit=500")).filter((e) => Date.parse(e.raised_at) >= today);
    state.escalations = open;
    renderEscalations();
  } catch (error) {
    refused("#escalations", error);
  }
}

async function loadLines() {
  const counts = new Map();
  try {
    let cursor = null;
    for (let page = 0; page < 10; page += 1) {
      const query = `/api/v1/tickets?status=${OPEN_STATUSES}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const body = await api(query);
      for (const ticket of body.items) counts.set(ticket.support_line, (counts.get(ticket.support_line) || 0) + 1);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    $("#lines").replaceChildren(...[1, 2, 3].map((n) => el("span", `${t("line")} ${n}: ${counts.get(n) || 0}`, { "data-line": n })));
  } catch (error) {
    $("#lines").replaceChildren(el("span", error.status === 403 ? t("notAllowed") : error.message, { class: "error" }));
  }
}

async function loadReport() {
  const from = new Date(`${$("#from").value}T00:00:00`);
  const to = new Date(`${$("#to").value}T00:00:00`);
  to.setDate(to.getDate() + 1);
  try {
    const report = await api(`/api/v1/sla/report?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    $("#report").replaceChildren(chart(report.groups));
  } catch (error) {
    $("#report").replaceChildren(el("p", error.status === 403 ? `${t("notAllowed")} (403)` : error.message, { class: "error" }));
  }
}

function reloadAll() {
  loadQueue(true).catch(() => {});
  loadBreaches();
  loadEscalations();
  loadLines();
  loadReport();
}

// ------------------------------------------------------------------ report picture

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// One row per tier and severity; a bar each for response and resolution, met then breached.
function chart(groups) {
  if (!groups.length) return el("p", t("nothing"));
  const rowHeight = 34, labelWidth = 170, barWidth = 360;
  const most = Math.max(1, ...groups.flatMap((g) => ["response", "resolution"].map((k) => g[k].met + g[k].breached)));
  const picture = svg("svg", { width: labelWidth + barWidth + 320, height: groups.length * rowHeight + 10, role: "img", "aria-label": t("report") });
  groups.forEach((g, i) => {
    const y = i * rowHeight + 4;
    picture.append(svg("text", { x: 0, y: y + 18 }, `${g.tier} · ${g.severity}`));
    ["response", "resolution"].forEach((kind, j) => {
      const stats = g[kind], top = y + j * 14;
      const met = (stats.met / most) * barWidth, breached = (stats.breached / most) * barWidth;
      picture.append(
        svg("rect", { x: labelWidth, y: top, width: met, height: 12, class: "met", "data-kind": kind }),
        svg("rect", { x: labelWidth + met, y: top, width: breached, height: 12, class: "breached", "data-kind": kind }),
        svg("text", { x: labelWidth + met + breached + 6, y: top + 10 }, `${t(kind)}: ${stats.met} ${t("met")} / ${stats.breached} ${t("breached")} / ${stats.running} ${t("running")}`),
      );
    });
  });
  return picture;
}

// ------------------------------------------------------------------ live stream

function showLive(on) {
  $("#live").dataset.state = on ? "on" : "off";
  $("#live").textContent = t(on ? "live" : "offline");
}

function feedItem(message) {
  const e = message.event;
  const when = new Date(e.time).toLocaleTimeString(state.lang);
  const ticket = e.data && e.data.ticket_id ? ticketName(String(e.data.ticket_id)) : "";
  const data = e.data || {};
  // An escalation says its cause too ("Escalated · Response deadline passed").
  const cause = e.type === "escalation.raised" && data.trigger ? ` · ${eventWords(data.trigger, data)}` : "";
  return el("li", `${when} ${eventWords(e.type, data)}${cause} ${ticket}`.trim(), { "data-type": e.type, class: e.type === "sla.timer.breached" ? "sla-breach" : "" });
}

// The feed keeps its events, so a change of language says them again in the new one.
function renderFeed() {
  $("#feed").replaceChildren(...state.feed.map(feedItem));
}

function addToFeed(message) {
  state.feed.unshift(message);
  if (state.feed.length > 100) state.feed.length = 100;
  $("#feed").prepend(feedItem(message));
  while ($("#feed").children.length > 100) $("#feed").lastChild.remove();
}

let queueTimer = null;
function reloadQueueSoon() {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(() => loadQueue().catch(() => {}), 150);
}

function onEvent(message) {
  addToFeed(message);
  const e = message.event;
  const ticket = e.data && e.data.ticket_id;
  if (e.type.startsWith("ticket.")) reloadQueueSoon();
  if (ticket && e.type.startsWith("sla.")) loadSla(String(ticket)).catch(() => {});
  if (e.type === "sla.timer.breached") {
    loadBreaches();
    setTimeout(loadBreaches, 2000); // intake records the breach from this same event
  }
  if (e.type.startsWith("escalation.")) loadEscalations();
  if (e.type === "ticket.created" || e.type === "ticket.escalated" || e.type === "ticket.status_changed") loadLines();
}

// SSE over fetch (the session cookie goes along on the same origin); reconnects with
// Last-Event-ID so nothing is missed.
function dispatch(block) {
  let id = null, kind = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("id:")) id = line.slice(3).trim();
    else if (line.startsWith("event:")) kind = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  if (id) state.lastEventId = id;
  if (kind === "gap") reloadAll();
  else if (data.length) onEvent(JSON.parse(data.join("\n")));
}

async function readStream(signal) {
  const headers = { Accept: "text/event-stream" };
  if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
  const r = await fetch("/api/v1/stream", { headers, signal, credentials: "same-origin" });
  if (!r.ok) throw new ApiError(r.status, null);
  showLive(true);
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      dispatch(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
  }
}

async function follow() {
  const control = new AbortController();
  state.stream = control;
  while (state.stream === control) {
    try {
      await readStream(control.signal);
    } catch (error) {
      if (error.status === 401 && !state.signingOut) return window.location.assign(SIGN_IN);
    }
    showLive(false);
    if (state.stream === control) await new Promise((done) => setTimeout(done, 1000));
  }
}

// ------------------------------------------------------------------ session

// Signing out ends the session on the server (POST /signout with the session's CSRF token).
async function signOut() {
  state.signingOut = true;
  if (state.stream) state.stream.abort();
  state.stream = null;
  const session = await api("/api/v1/session").catch(() => null);
  if (session) {
    await fetch("/signout", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRF-Token": session.csrf_token },
    });
  }
  window.location.assign("/desk/signin?signed_out=1");
}

async function begin() {
  let session;
  try {
    session = await api("/api/v1/session");
  } catch (error) {
    $("#signin-error").textContent = error.message;
    return;
  }
  $("#who").textContent = session.name;
  $("#board").hidden = false;
  $("#signout").hidden = false;
  state.signedIn = true;
  translate();
  follow();
  reloadAll();
}

function defaultPeriod() {
  const today = new Date();
  const from = new Date(today);
  from.setDate(from.getDate() - 30);
  const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  $("#from").value = day(from);
  $("#to").value = day(today);
}

function start() {
  defaultPeriod();
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      state.lang = button.dataset.lang;
      localStorage.setItem("opsLang", state.lang);
      translate();
    });
  }
  $("#signout").addEventListener("click", () => signOut());
  $("#period").addEventListener("submit", (event) => {
    event.preventDefault();
    loadReport();
  });
  setInterval(render, 1000); // the countdowns
  setInterval(() => { if (state.signedIn) reloadAll(); }, 30000); // and a full reload as a safety net
  translate();
  begin();
}

start();
