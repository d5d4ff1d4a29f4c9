/* Wagtail's date and time pickers without inline scripts.
 *
 * Wagtail renders each date, time and date-time field with an inline <script> that calls
 * initDateChooser / initTimeChooser / initDateTimeChooser. The staff pages' Content
 * Security Policy allows scripts from our own origin only, so those would never run.
 * Our copies of the widget templates (site/templates/wagtailadmin/widgets/) leave a
 * marker instead, and this file, loaded on every admin page by a Wagtail hook, makes the
 * same call for each marker: once the page has loaded, and for markers that arrive later
 * in HTML inserted into the page (dialogs, modals).
 */
(function () {
  "use strict";

  // Only these three: a marker must never name any other function of the page (markup
  // slipped into the page could otherwise call, say, eval with its own argument).
  var CHOOSERS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];
  // Choosers that are constructed (`new ImageChooser(id, options)`): the share image.
  var CONSTRUCTORS = ["ImageChooser"];

  function initMarker(marker) {
    if (marker.dataset.hjelpelinjeDone) return;
    var name = marker.dataset.hjelpelinjeChooser;
    var constructed = CONSTRUCTORS.indexOf(name) !== -1;
    if (CHOOSERS.indexOf(name) === -1 && !constructed) return;
    var init = window[name];
    if (typeof init !== "function") return;
    marker.dataset.hjelpelinjeDone = "1";
    var config = {};
    try {
      config = JSON.parse(marker.dataset.config || "{}");
    } catch (error) {
      config = {};
    }
    if (constructed) {
      new init(marker.dataset.target, config);
    } else {
      init(marker.dataset.target, config);
    }
  }

  function initWithin(root) {
    if (root.matches && root.matches("[data-hjelpelinje-chooser]")) initMarker(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-hjelpelinje-chooser]").forEach(initMarker);
  }

  function start() {
    initWithin(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(initWithin);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
