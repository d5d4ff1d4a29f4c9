// The click-to-load video: nothing is requested from the video host until the visitor
// asks for it. The page holds a plain link to the video on the host (labelled as leaving
// the site) for browsers without JavaScript; with it, the link is replaced by a button,
// and a click puts the host's player (youtube-nocookie.com or Vimeo with dnt=1) in an
// iframe in its place.
(function () {
  "use strict";

  function load(figure) {
    var url = figure.getAttribute("data-embed-url");
    if (!url || url.indexOf("https://") !== 0) { return; }
    var frame = document.createElement("div");
    frame.className = "video-frame";
    var iframe = document.createElement("iframe");
    iframe.src = url + (url.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    iframe.title = figure.getAttribute("data-title") || "Video";
    iframe.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    iframe.setAttribute("allowfullscreen", "");
    iframe.setAttribute("referrerpolicy", "no-referrer");
    frame.appendChild(iframe);
    var placeholder = figure.querySelector(".video-placeholder");
    if (placeholder) { figure.replaceChild(frame, placeholder); } else { figure.appendChild(frame); }
    iframe.focus();
  }

  function setUp() {
    var figures = document.querySelectorAll("[data-video]");
    for (var i = 0; i < figures.length; i++) {
      (function (figure) {
        var button = figure.querySelector("[data-video-load]");
        var fallback = figure.querySelector("[data-video-fallback]");
        if (!button) { return; }
        button.hidden = false;
        if (fallback) { fallback.hidden = true; }
        button.addEventListener("click", function () { load(figure); });
      })(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
