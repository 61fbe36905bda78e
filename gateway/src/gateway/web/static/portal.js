// The customer portal's small enhancements; every page works without them except uploads.
// - focus moves to a refusal or a notice when the page shows one (screen readers hear it);
// - files chosen on the new-ticket form are uploaded to the new ticket's attachments route
//   once intake has registered it (multipart, with the page's CSRF token);
// - the ticket page's "attach files" form uploads the same way.
"use strict";

(function () {
  const csrf = window.desk ? window.desk.csrf : "";
  const TICKET_PAGE = /\/portal\/tickets\/([0-9a-f-]{36})(?:[?#]|$)/;

  const focusFirst = window.desk.focusMarked;

  function say(status, text) {
    if (status) status.textContent = text;
  }

  // POST the files to /api/v1/tickets/{id}/attachments; resolves to null or the problem's words.
  // A customer's upload names the contact who makes it (intake's rule for customer callers).
  async function upload(ticketId, files, contact) {
    const body = new FormData();
    for (const file of files) body.append("file", file, file.name);
    body.append("contact_email", contact);
    body.append("source", "portal");
    const response = await fetch(`/api/v1/tickets/${ticketId}/attachments`, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
    });
    if (response.ok) return null;
    let detail = `${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
    return detail;
  }

  function failed(form, status, detail, link) {
    status.textContent = "";
    const message = document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.setAttribute("tabindex", "-1");
    message.textContent = `${form.dataset.uploadFailed} ${detail}`;
    if (link) {
      const a = document.createElement("a");
      a.href = link;
      a.textContent = form.dataset.openTicket || link;
      message.append(" ", a);
    }
    status.after(message);
    message.focus();
  }

  // New ticket with files: register it through the page's own form handler (the same
  // server-side path as without files), then upload to the ticket it redirected to.
  function enhanceNewTicket(form) {
    const files = document.getElementById("files");
    const status = document.getElementById("upload-status");
    form.addEventListener("submit", async (event) => {
      if (!files || files.files.length === 0) return; // a plain post does it all
      event.preventDefault();
      const response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      const match = response.redirected && TICKET_PAGE.exec(response.url);
      if (!match) { // refused: show the page the server rendered, with its reasons
        const html = new DOMParser().parseFromString(await response.text(), "text/html");
        const main = html.querySelector("main");
        if (main) document.querySelector("main").replaceWith(main);
        focusFirst(document.querySelector("main"));
        return;
      }
      say(status, form.dataset.uploading);
      const problem = await upload(match[1], files.files, form.dataset.contact);
      if (problem) { failed(form, status, problem, response.url); return; }
      window.location.assign(response.url);
    });
  }

  function enhanceUpload(form) {
    const input = form.querySelector("input[type=file]");
    const status = form.querySelector(".status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.files.length) return;
      say(status, form.dataset.uploading);
      const problem = await upload(form.dataset.ticket, input.files, form.dataset.contact);
      if (problem) { failed(form, status, problem, null); return; }
      window.location.assign(`/portal/tickets/${form.dataset.ticket}?done=uploaded#notice`);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    focusFirst(document);
    window.desk.forgetNotice();
    const created = document.getElementById("new-ticket");
    if (created) enhanceNewTicket(created);
    const upload = document.getElementById("upload");
    if (upload) enhanceUpload(upload);
  });
})();
