// The chat launcher on every page of the website (site/includes/launcher.html).
//
// 1. The live state. The page may come from a cache up to a minute old, so it only says
//    "Chat med oss"; this asks /chat/state/ on load and every half minute while the page
//    is visible, without cookies (credentials: "omit"), and shows what it says.
// 2. The chat in the page. A tap opens a panel with the chat page in a frame: no new
//    window, and no new history entry, since the frame is created with its address already
//    set and only then put into the page, so its first load replaces the frame's initial
//    blank document instead of adding an entry. Hiding the panel keeps the frame, and the
//    chat in it goes on.
//
// The quick exit does not depend on any of this: it is its own script, loaded first, and
// inside the frame the chat page's own quick exit sends the whole tab away
// (window.top.location.replace in hjelpelinje/quick-exit.js). The panel is not modal, so
// the site's quick exit bar above it stays reachable.
(function () {
  "use strict";

  var REFRESH_MS = 30000;
  var root = document.getElementById("launcher");
  if (!root || !window.fetch) { return; }
  var button = document.getElementById("launcher-button");
  var label = document.getElementById("launcher-label");
  var detail = document.getElementById("launcher-detail");
  var panel = document.getElementById("launcher-panel");
  var frameBox = document.getElementById("launcher-frame");
  var closeButton = document.getElementById("launcher-close");
  var timer = null;

  function show(state) {
    if (!state || typeof state.label !== "string") { return; }
    label.textContent = state.label;
    detail.textContent = state.detail || "";
    root.setAttribute("data-open", state.chat && state.chat.open ? "yes" : "no");
    root.setAttribute("data-busy", state.busy ? "yes" : "no");
  }

  function refresh() {
    fetch(root.getAttribute("data-state-url"), {
      credentials: "omit",
      referrerPolicy: "no-referrer",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(show).catch(function () {
      // Offline or a server hiccup: the button still opens the chat, which says itself
      // whether it is open. Keep whatever the button said last.
    });
  }

  function schedule() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
    if (document.visibilityState === "hidden") { return; }
    timer = window.setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
    schedule();
  });

  function open() {
    if (!frameBox.firstChild) {
      var frame = document.createElement("iframe");
      // The address first, then into the page: see the note at the top.
      frame.src = root.getAttribute("data-chat-url");
      frame.title = frameBox.getAttribute("data-frame-title") || "";
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.className = "launcher-iframe";
      frameBox.appendChild(frame);
    }
    panel.hidden = false;
    root.setAttribute("data-panel", "open");
    button.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("launcher-is-open");
    var frameEl = frameBox.firstChild;
    if (frameEl && frameEl.focus) { frameEl.focus(); }
  }

  function close() {
    panel.hidden = true;
    root.setAttribute("data-panel", "closed");
    button.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("launcher-is-open");
    button.focus();
  }

  button.setAttribute("role", "button");
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", function (event) {
    // A click with a modifier opens the chat page as the visitor asked (a new tab).
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    if (panel.hidden) { open(); } else { close(); }
  });
  closeButton.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { close(); }
  });

  refresh();
  schedule();
})();
