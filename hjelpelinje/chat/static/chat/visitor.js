// The visitor's chat. Everything lives in this closure's memory: nothing is written to
// cookies, localStorage, sessionStorage or IndexedDB, and the URL never changes, so the
// browser history holds one entry at most. Text is only ever shown via textContent.
(function () {
  "use strict";
  var body = document.body;
  var t = (document.getElementById("i18n") || { dataset: {} }).dataset;
  var state = null;

  function fresh() {
    return {
      token: null, seen: {}, lastSeq: 0, highest: 0, ended: false, starting: null,
      pow: null, powTries: 0,
      typingSent: 0, typingStop: null, audio: null,
    };
  }
  state = fresh();
  // Messages not yet confirmed (line.js): in memory only, re-sent until acknowledged.
  var outbox = null;
  var unavailable = false;

  function $(id) { return document.getElementById(id); }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  // The quick exit is not here: hjelpelinje/quick-exit.js, loaded first, leaves the page on
  // its own. This script only ends the chat when it hears that the visitor left.
  if (!$("s-safety")) { return; } // the closed page has only the exit

  function show(name) {
    ["safety", "questions", "queue", "chat", "ended", "closed", "busy"].forEach(function (s) {
      $("s-" + s).hidden = s !== name;
    });
    $("endbar").hidden = !(name === "queue" || name === "chat");
    if ($("endbar").hidden && $("confirm-end").open) { $("confirm-end").close(); }
    var heading = $("s-" + name).querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }
  function status(text) { $("status").textContent = text || ""; }

  function beep() {
    try {
      var ctx = state.audio;
      if (!ctx) { return; }
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.2);
    } catch (e) { /* no sound is fine */ }
  }

  // The line reconnects by itself while a chat is starting or going on (line.js).
  var server = window.chatLine("/ws/chat/visitor/", {
    wanted: function () { return !state.ended && Boolean(state.token || state.starting); },
    // After `unavailable` (the server cannot take chats for a moment) that message, with
    // the phone number, stays while the line tries again.
    down: function () { if (!unavailable) { status(t.reconnecting); } },
    frame: function (frame) { handle(frame); },
    open: function () {
      status("");
      if (state.token) {
        send({ type: "resume", token: state.token, last_seq: state.lastSeq });
        // Messages not yet acknowledged go again; the server stores each client_id once.
        outbox.now();
      } else if (state.starting) {
        sendStart();
      }
    },
  });

  function send(frame) { return server.send(frame); }
  outbox = window.chatOutbox(send);
  // A gap in the numbers that lasts is asked for (the server also fills it by itself).
  var gaps = window.chatGaps(
    function () { return Boolean(state.token) && state.highest > state.lastSeq; },
    function () { send({ type: "sync", last_seq: state.lastSeq }); }
  );

  // A start carries the proof of work (pow.js). The answer to the page's own challenge is
  // usually ready before the visitor has read the safety page; when it is missing, used or
  // too old, the server hands out a new challenge on request.
  function sendStart() {
    var wanted = state.starting;
    var answer = state.pow ? Promise.resolve(state.pow)
      : window.chatPow ? window.chatPow.take() : Promise.resolve(null);
    state.pow = null;
    answer.then(function (pow) {
      if (state.starting !== wanted) { return; }
      if (!pow) { send({ type: "challenge" }); return; }
      var frame = { pow: pow };
      Object.keys(wanted).forEach(function (key) { frame[key] = wanted[key]; });
      send(frame);
    });
  }

  function solveAndStart(challenge) {
    var wanted = state.starting;
    if (!wanted || !window.chatPow) { status(t.error); return; }
    window.chatPow.solve(challenge).then(function (pow) {
      if (state.starting !== wanted) { return; }
      if (!pow) { status(t.error); return; }
      state.pow = pow;
      sendStart();
    });
  }

  // The browser is already on its way to the exit page (quick-exit.js): end the chat so the
  // counsellor knows at once, and forget it. Best effort; the exit does not wait for this.
  // A page that is going away may never get the socket's frame out (Firefox drops it), so
  // a beacon carries the chat's token too: the browser sends it even after the page is
  // gone. (Should both fail, the socket's close as the page goes ends the chat: 1001.)
  window.addEventListener("quickexit", function () {
    if (state.token && navigator.sendBeacon) {
      try {
        navigator.sendBeacon(body.dataset.endUrl || "/chat/end/", state.token);
      } catch (e) { /* the socket's frame and its close remain */ }
    }
    clearTimeout(state.typingStop);
    state = fresh();
    outbox.clear();
    state.ended = true;
    send({ type: "end" });
    server.close();
  });

  function handle(frame) {
    if (frame.type !== "error" && frame.type !== "pong") { unavailable = false; }
    switch (frame.type) {
      case "started":
        state.token = frame.token;
        state.starting = null;
        show("queue");
        break;
      case "queue":
        $("queue-position").textContent = fmt(t.queue, { n: frame.position });
        // Nobody online to answer: say so plainly, with the phone, instead of a wait.
        var nobody = frame.available === 0;
        $("queue-nobody").hidden = !nobody;
        var minutes = Math.round(frame.wait_seconds / 60);
        $("queue-wait").textContent = nobody ? "" : minutes >= 2 ? fmt(t.wait, { m: minutes }) : t.waitShort;
        break;
      case "resumed":
        if (frame.status === "queued") { show("queue"); }
        break;
      case "joined":
        if ($("s-chat").hidden) {
          show("chat");
          addSystem(t.joined);
          beep();
          document.title = t.joinedTitle;
        }
        break;
      case "message":
        addMessage(frame);
        break;
      case "ack":
        acknowledge(frame);
        break;
      case "typing":
        $("typing").hidden = !frame.active;
        break;
      case "ended":
        finish(frame.by === "counsellor" ? t.endedCounsellor : "");
        break;
      case "challenge":
        solveAndStart(frame);
        break;
      case "busy":
        // No place in the queue now: the phone number and hours instead of a wait.
        state.ended = true;
        state.starting = null;
        show("busy");
        server.close();
        break;
      case "closed":
        state.ended = true;
        show("closed");
        break;
      case "error":
        if (/^pow_/.test(frame.code) && state.starting) {
          state.powTries += 1;
          if (state.powTries <= 3) { send({ type: "challenge" }); break; }
        }
        if (frame.code === "unavailable") {
          unavailable = true;
          status(fmt(t.unavailable, { phone: frame.phone || "" }));
          break;
        }
        if (refused(frame)) { break; }
        if (frame.code === "message_too_long") { status(t.tooLong); }
        else if (frame.code === "unknown_session" || frame.code === "chat_ended") { finish(""); }
        else if (frame.code === "disk_full") { status(t.diskFull); }
        else if (frame.code !== "already_started") { status(t.error); }
        break;
    }
  }

  function markSeen(seq) {
    state.seen[seq] = true;
    state.highest = Math.max(state.highest, seq);
    while (state.seen[state.lastSeq + 1]) { state.lastSeq += 1; }
    gaps("chat");
  }

  function line(from, text, seq) {
    var item = document.createElement("li");
    item.className = "msg msg-" + from;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = from === "visitor" ? t.you : t.counsellor;
    var content = document.createElement("p");
    content.textContent = text;
    item.appendChild(who);
    item.appendChild(content);
    // In the order of the numbers, however the frames arrive (line.js).
    window.chatPlace($("log"), item, seq);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addSystem(text) {
    var item = document.createElement("li");
    item.className = "msg msg-system";
    item.textContent = text;
    $("log").appendChild(item);
  }

  function addMessage(frame) {
    if (state.seen[frame.seq]) { return; }
    markSeen(frame.seq);
    line(frame.from, frame.text, frame.seq);
    if (frame.from === "counsellor") { $("typing").hidden = true; }
  }

  // Stored: the message says "delivered" instead of "on its way".
  function acknowledge(frame) {
    var pending = outbox.take(frame.client_id);
    if (!pending) { return; }
    if (state.seen[frame.seq]) {
      pending.item.remove();
      return;
    }
    markSeen(frame.seq);
    pending.item.classList.remove("pending");
    pending.item.classList.add("delivered");
    pending.note.textContent = t.delivered;
    window.chatPlace($("log"), pending.item, frame.seq);
  }

  // An error about one of the messages on its way. Refused for good (too long, empty):
  // it stops trying and says so. Anything else (the server's trouble, a full disk) is
  // said on the message, and the outbox tries again. True when the error was about one.
  function refused(frame) {
    var pending = frame.client_id && outbox.get(frame.client_id);
    if (!pending) { return false; }
    if (frame.code === "message_too_long" || frame.code === "empty_message") {
      outbox.take(frame.client_id);
      pending.item.classList.remove("pending");
      pending.item.classList.add("failed");
      pending.note.textContent = t.notSent;
      return false;
    }
    if (frame.code === "unknown_session" || frame.code === "chat_ended") { return false; }
    pending.note.textContent = frame.code === "disk_full" ? t.notSavedDisk : t.sending;
    return true;
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function sendText() {
    var box = $("text");
    var text = box.value.trim();
    if (!text) { return; }
    var max = Number(body.dataset.maxLength || 2000);
    if (text.length > max) { status(t.tooLong); return; }
    var id = randomId();
    var item = line("visitor", text, null);
    item.classList.add("pending");
    // Until the server has stored it, the message says so.
    var note = document.createElement("span");
    note.className = "sending";
    note.textContent = t.sending;
    item.appendChild(note);
    outbox.add(id, { type: "message", text: text, client_id: id }, { item: item, note: note });
    send({ type: "typing", active: false });
    box.value = "";
    counter();
    box.focus();
  }

  function counter() {
    var max = Number(body.dataset.maxLength || 2000);
    var left = max - $("text").value.length;
    $("counter").textContent = left < 200 ? fmt(t.charsLeft, { n: left }) : "";
  }

  function finish(why) {
    state.ended = true;
    state.token = null;
    outbox.clear();
    $("log").textContent = "";
    $("ended-why").textContent = why;
    document.title = "Chat";
    show("ended");
    server.close();
  }

  function start(withAnswers) {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx) { state.audio = new Ctx(); }
    } catch (e) { state.audio = null; }
    var frame = { type: "start" };
    if (withAnswers) {
      var age = document.querySelector("input[name=age_group]:checked");
      if (age) { frame.age_group = age.value; }
      if ($("theme").value) { frame.theme = $("theme").value; }
    }
    state.starting = frame;
    show("queue");
    server.connect();
  }

  $("go-questions").addEventListener("click", function () { show("questions"); });
  $("start").addEventListener("click", function () { start(true); });
  $("skip").addEventListener("click", function () { start(false); });
  $("send").addEventListener("click", sendText);
  $("text").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendText(); }
  });
  $("text").addEventListener("input", function () {
    counter();
    var now = Date.now();
    if (now - state.typingSent > 3000) {
      state.typingSent = now;
      send({ type: "typing", active: true });
    }
    clearTimeout(state.typingStop);
    state.typingStop = setTimeout(function () {
      state.typingSent = 0;
      send({ type: "typing", active: false });
    }, 4000);
  });
  // Not showModal(): a modal dialog makes the rest of the page inert, the quick exit too.
  $("end").addEventListener("click", function () { $("confirm-end").show(); });
  $("end-no").addEventListener("click", function () { $("confirm-end").close(); });
  $("confirm-end").addEventListener("keydown", function (event) {
    if (event.key === "Escape") { $("confirm-end").close(); }
  });
  $("confirm-end").addEventListener("close", function () {
    if (!$("endbar").hidden) { $("end").focus(); }
  });
  $("end-yes").addEventListener("click", function () {
    $("confirm-end").close();
    send({ type: "end" });
    finish("");
  });
  $("again").addEventListener("click", function () {
    state = fresh();
    outbox.clear();
    $("status").textContent = "";
    show("questions");
  });
  window.addEventListener("focus", function () {
    if (!$("s-chat").hidden) { document.title = "Chat"; }
  });
})();
