// The agents' desk: live updates, deadline countdowns and keyboard shortcuts. Every page
// works without it (the server renders the whole state; forms post and redirect).
// - countdowns: each [data-due] counts down to its server-given instant, once a second;
// - live: an event on /api/v1/stream for the page's ticket (or any ticket, on the queue),
//   from the position the page was rendered at, fetches the page again and swaps its
//   [data-live] parts, without a reload; a part with a field being typed in is left alone;
// - keys: ? shows the list; j/k/o in the queue; t w u r e c q on a ticket; none of them
//   fires while typing in a field or with a modifier key.
"use strict";

(function () {
  function pad(n) { return String(n).padStart(2, "0"); }

  function left(ms) {
    const total = Math.max(Math.floor(ms / 1000), 0);
    const d = Math.floor(total / 86400);
    const h = Math.floor((total % 86400) / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `${d ? `${d}d ` : ""}${pad(h)}:${pad(m)}:${pad(s)}`;
  }

  function tick() {
    const now = Date.now();
    for (const el of document.querySelectorAll(".countdown[data-due]")) {
      const due = Date.parse(el.dataset.due);
      if (Number.isNaN(due)) continue;
      el.textContent = due > now ? left(due - now) : el.dataset.overdue;
      el.setAttribute("aria-label", el.textContent);
    }
  }

  // A part is busy when a field inside it has the focus or holds typed text.
  function busy(part) {
    const active = document.activeElement;
    if (active && part.contains(active) && active.matches("input, textarea, select")) return true;
    return Array.from(part.querySelectorAll("textarea, input[type=text]")).some((f) => f.value);
  }

  let pending = null;
  async function refresh() {
    pending = null;
    const response = await fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) return;
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    let changed = false;
    for (const part of document.querySelectorAll("[data-live]")) {
      const fresh = html.querySelector(`[data-live="${part.dataset.live}"]`);
      if (!fresh || busy(part) || fresh.innerHTML === part.innerHTML) continue;
      part.replaceWith(document.importNode(fresh, true));
      changed = true;
    }
    if (changed) {
      const status = document.getElementById("live-status");
      if (status) status.textContent = status.dataset.updated;
      document.body.dataset.refreshed = String(Date.now());
      tick();
      if (selected >= 0) select(0);
    }
  }

  function later() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 300); // a burst of events is one fetch
  }

  function live() {
    if (!window.desk || !window.EventSource) return;
    const page = document.querySelector(".desk-ticket[data-ticket]");
    let query = page ? `ticket=${page.dataset.ticket}` : "type=ticket.*";
    // From where the server stood before it read what this page shows: an event that
    // landed in between (another service catching up) is replayed, not missed.
    const since = document.querySelector('meta[name="stream-since"]');
    if (since && since.content) query += `&since=${encodeURIComponent(since.content)}`;
    window.desk.stream(query, later);
  }

  // ---- the queue's selection (j/k/o)
  let selected = -1;
  function rows() { return Array.from(document.querySelectorAll(".queue tbody tr")); }
  function select(step) {
    const all = rows();
    if (!all.length) { selected = -1; return; }
    selected = Math.min(Math.max(selected + step, 0), all.length - 1);
    all.forEach((row, i) => row.classList.toggle("selected", i === selected));
    if (step) {
      const link = all[selected].querySelector("a");
      if (link) link.focus();
    }
  }

  function toggleHelp() {
    const help = document.getElementById("shortcuts");
    const button = document.getElementById("shortcuts-toggle");
    if (!help) return;
    help.hidden = !help.hidden;
    if (button) button.setAttribute("aria-expanded", String(!help.hidden));
  }

  // A move's key: a one-click move (take, resume) is sent; another focuses its first field.
  function move(name) {
    const form = document.getElementById(`move-${name}`);
    if (!form) return false;
    const details = form.closest("details");
    if (details) details.open = true;
    const field = form.querySelector("textarea, select, input:not([type=hidden])");
    if (field) field.focus();
    else form.requestSubmit();
    return true;
  }

  const KEYS = {
    "?": toggleHelp,
    j: () => select(1),
    k: () => select(-1),
    o: () => { const row = rows()[selected]; const a = row && row.querySelector("a"); if (a) a.click(); },
    t: () => move("take"),
    w: () => move("wait"),
    u: () => move("resume"),
    r: () => move("resolve"),
    e: () => move("escalate"),
    c: () => move("comment"),
    q: () => { if (document.querySelector(".desk-ticket")) window.location.assign("/desk"); },
  };

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  document.addEventListener("DOMContentLoaded", () => {
    window.desk.focusMarked(document);
    window.desk.forgetNotice();
    const toggle = document.getElementById("shortcuts-toggle");
    if (toggle) toggle.addEventListener("click", toggleHelp);
    tick();
    setInterval(tick, 1000);
    live();
    // Keys act from here on (a test waits for this before it presses one).
    document.body.dataset.ready = "true";
  });
})();
