// Moving around the website replaces the current history entry instead of adding one, so
// that after the quick exit (or any way out) Back does not lead to a page of the helpline:
// however many pages a visitor read, the whole visit is one entry in the tab's history,
// and the quick exit replaces that one too.
//
// Without JavaScript every link is a plain link and adds an entry as usual; that is the
// fallback. docs/website.md says what this protects against and what it does not.
//
// The quick exit does not depend on this file: it is loaded first, on its own
// (static/hjelpelinje/quick-exit.js), and its listeners on window run before these on
// document. This file leaves its link alone, and the chat launcher's too.
(function () {
  "use strict";

  // Controls that have their own click handling: the quick exit, the chat launcher, and
  // anything a page marks with data-no-replace.
  var OWN = "[data-quick-exit], [data-chat-launcher], [data-no-replace]";

  function sameSite(url) {
    return (url.protocol === "http:" || url.protocol === "https:") &&
      url.origin === window.location.origin;
  }

  // Move focus to a fragment's target, as following a fragment link would, so that the
  // skip link still takes a keyboard or screen reader user to the content.
  function focusTarget(url) {
    if (!url.hash) { return; }
    var id;
    try { id = decodeURIComponent(url.hash.slice(1)); } catch (e) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    if (!target.hasAttribute("tabindex") && target.tabIndex < 0) {
      target.setAttribute("tabindex", "-1");
    }
    try { target.focus({ preventScroll: true }); } catch (e) { target.focus(); }
  }

  function go(url) {
    var here = window.location;
    var samePage = url.pathname === here.pathname && url.search === here.search;
    window.location.replace(url.href);
    if (samePage && url.hash) { focusTarget(url); }
  }

  document.addEventListener("click", function (event) {
    // The quick exit's handler (on window, in the capture phase) runs first and prevents
    // the default when it leaves; anything already handled is not ours.
    if (event.defaultPrevented) { return; }
    // A new tab or window, a download, a middle click: what the visitor asked for.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) { return; }
    var start = event.target;
    if (!start || !start.closest) { return; }
    if (start.closest(OWN)) { return; }
    var link = start.closest("a[href], area[href]");
    if (!link) { return; }
    if (link.hasAttribute("download")) { return; }
    var target = (link.getAttribute("target") || "").toLowerCase();
    if (target && target !== "_self") { return; }
    var url;
    try { url = new URL(link.href, window.location.href); } catch (e) { return; }
    if (!sameSite(url)) { return; }
    event.preventDefault();
    go(url);
  }, true);

  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    var form = event.target;
    if (!form || form.nodeName !== "FORM" || form.closest(OWN)) { return; }
    var submitter = event.submitter || null;
    var method = ((submitter && submitter.getAttribute("formmethod")) ||
      form.getAttribute("method") || "get").toLowerCase();
    if (method !== "get") { return; }
    var target = ((submitter && submitter.getAttribute("formtarget")) ||
      form.getAttribute("target") || "").toLowerCase();
    if (target && target !== "_self") { return; }
    // From the attributes: a button's formAction property is the page's own address when
    // it has no formaction, and a field named "action" would hide the form's property.
    var action = (submitter && submitter.getAttribute("formaction")) ||
      form.getAttribute("action") || window.location.href;
    var url;
    try { url = new URL(action, document.baseURI); } catch (e) { return; }
    if (!sameSite(url)) { return; }
    var data;
    try { data = new FormData(form, submitter); } catch (e) { data = new FormData(form); }
    var params = new URLSearchParams();
    data.forEach(function (value, name) {
      if (typeof value === "string") { params.append(name, value); }
    });
    url.search = params.toString();
    url.hash = "";
    event.preventDefault();
    go(url);
  }, true);
})();
