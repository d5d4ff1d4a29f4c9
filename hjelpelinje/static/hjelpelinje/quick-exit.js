// The quick exit: the one thing on a visitor's page that must always work.
//
// The control itself is a plain link to the neutral exit page (templates/includes/
// quick_exit.html), so it leaves even with JavaScript off or broken. This script only makes
// leaving better: location.replace, so Back does not return to the page; the page hidden at
// once; and Shift pressed three times as a keyboard shortcut, as GOV.UK's "Exit this page".
//
// It is loaded first, in <head>, without defer, and depends on nothing: its listeners sit
// on window in the capture phase, registered before any other script runs, so no other
// script can stop them, and an error anywhere else cannot reach them. Nothing it does waits
// for the rest of the page. Only after the browser has been sent away does it tell the page
// (a "quickexit" event on window), so that, for example, the chat can end itself; whatever
// a listener does or throws, the exit has already happened.
(function () {
  "use strict";

  var script = document.currentScript;
  var configured = script ? script.getAttribute("data-exit-url") : "";
  // GOV.UK's numbers: three presses of Shift on its own, within five seconds.
  var PRESSES = 3;
  var WINDOW_MS = 5000;

  function exitUrl() {
    var link = document.querySelector("a[data-quick-exit]");
    // With nowhere configured, a blank page still takes the visitor's page off the screen.
    return (link && link.href) || configured || "about:blank";
  }

  // Send the tab away without a history entry. Returns false only if no navigation could be
  // started, so that the caller can let the link's ordinary navigation happen instead.
  function go(url) {
    try {
      // Embedded in another site, leave the whole tab, not just the frame.
      if (window.top !== window) {
        window.top.location.replace(url);
        return true;
      }
    } catch (e) {
      // The browser refused to navigate the top window: leave the frame at least.
    }
    try {
      window.location.replace(url);
      return true;
    } catch (e) {
      return false;
    }
  }

  function leave(url) {
    if (!go(url)) { return false; }
    // Until the exit page arrives, show nothing of this one. Set through the CSSOM, which
    // the page's Content-Security-Policy allows, unlike a style attribute.
    try {
      document.title = "";
      document.documentElement.style.setProperty("visibility", "hidden", "important");
    } catch (e) { /* already leaving */ }
    try {
      window.dispatchEvent(new Event("quickexit"));
    } catch (e) { /* already leaving */ }
    return true;
  }

  window.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("a[data-quick-exit]") : null;
    if (!link) { return; }
    // If location.replace could not be started, the link's own navigation still leaves.
    if (leave(link.href)) { event.preventDefault(); }
  }, true);

  // Shift counts only when it is pressed and released with no other key in between: a
  // capital letter (Shift held while another key is struck) is typing, not an exit, and
  // any other key starts the count again.
  var count = 0;
  var firstAt = 0;
  var alone = false;

  function reset() {
    count = 0;
    alone = false;
  }

  window.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) { alone = true; }
      return;
    }
    reset();
  }, true);

  window.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    var counts = alone;
    alone = false;
    if (!counts) { count = 0; return; }
    var now = Date.now();
    if (count === 0 || now - firstAt > WINDOW_MS) {
      count = 0;
      firstAt = now;
    }
    count += 1;
    if (count >= PRESSES) {
      count = 0;
      leave(exitUrl());
    }
  }, true);

  // A key released while another window has the focus never reaches this one.
  window.addEventListener("blur", function (event) {
    if (event.target === window) { reset(); }
  });
})();
