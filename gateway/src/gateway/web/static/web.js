// Shared by every page: fetch() with the session's CSRF token, and live events with the
// session cookie. No inline scripts anywhere (the Content-Security-Policy forbids them).
"use strict";

(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.getAttribute("content") : "";

  // The platform's /api/v1 routes as the signed-in person: same origin, the cookie goes
  // along by itself; a change carries the CSRF token the gateway checks.
  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    const init = { method, headers, credentials: "same-origin" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path.startsWith("/") ? path : `/api/v1/${path}`, init);
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = { detail: text }; }
    return { ok: response.ok, status: response.status, data };
  }

  // GET /api/v1/stream with the cookie (EventSource sends it on the same origin).
  function stream(query, onEvent) {
    const source = new EventSource(`/api/v1/stream${query ? `?${query}` : ""}`);
    source.onmessage = (message) => {
      try { onEvent(JSON.parse(message.data), message); } catch (_) { /* not JSON: ignore */ }
    };
    return source;
  }

  // Focus the box a page marks (a refusal, a notice), so a screen reader announces it.
  function focusMarked(root) {
    const target = (root || document).querySelector("[data-focus]");
    if (target) target.focus();
  }

  // A notice is for the moment after the move: a reload or a bookmark should not repeat it.
  function forgetNotice() {
    const url = new URL(window.location.href);
    if (!url.searchParams.has("done")) return;
    url.searchParams.delete("done");
    window.history.replaceState(null, "", url.pathname + url.search);
  }

  window.desk = { api, stream, csrf, focusMarked, forgetNotice };
})();
