// The counsellor's console: one WebSocket, the queue, several chats at once.
// Text from visitors is only ever shown via textContent.
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) { return; }
  var t = root.dataset;
  var supervise = t.supervise === "1";
  var chats = {};      // session id -> {el, log, seen, lastSeq, ended}
  var canned = [];
  var colleagues = [];
  var queueSize = 0;
  var audio = null;
  var baseTitle = document.title;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function beep(freq) {
    try {
      if (!audio) {
        var Ctx = window.AudioContext || window.webkitAudioContext;
        audio = new Ctx();
      }
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = freq || 660;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* a browser may refuse sound before a click */ }
  }
  // A click anywhere unlocks sound for later notices.
  document.addEventListener("click", function () {
    if (!audio) { try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; } }
  }, { once: true });

  // The line reconnects by itself and then brings the whole state again (line.js).
  var loginEnded = false;
  var server = window.chatLine("/staff/ws/chat/", {
    open: function () { $("conn").textContent = ""; watchLogin(server.socket()); },
    down: function () { $("conn").textContent = t.tOffline; },
    frame: function (frame) { handle(frame); },
    wanted: function () { return !loginEnded; },
  });

  // The server closes the socket with 4401 when the login behind it ended (logged out,
  // idle too long, deactivated, a new password or second factor; docs/chat-protocol.md).
  // Reconnecting would not help, so the console hangs up for good and loads its page
  // again: a login that ended gets the login page, which comes back here afterwards.
  var LOGIN_ENDED = 4401;
  function watchLogin(ws) {
    if (!ws) { return; }
    ws.addEventListener("close", function (event) {
      if (event.code !== LOGIN_ENDED || loginEnded) { return; }
      loginEnded = true;
      server.close();
      window.location.replace(window.location.pathname);
    });
  }

  function send(frame) { return server.send(frame); }
  // Messages not yet confirmed (line.js): in memory only, re-sent until acknowledged,
  // across reconnects; `state` rebuilds the chats and puts them back in their logs.
  var outbox = window.chatOutbox(send);
  // A gap in a chat's numbers that lasts is asked for with `sync`.
  var gaps = window.chatGaps(
    function (id) { var c = chats[id]; return Boolean(c) && !c.ended && c.highest > c.lastSeq; },
    function (id) { send({ type: "sync", session: Number(id), last_seq: chats[id].lastSeq }); }
  );

  function handle(frame) {
    switch (frame.type) {
      case "state":
        $("presence").value = frame.presence;
        canned = frame.canned;
        colleagues = frame.colleagues;
        renderQueue(frame.queue, false);
        if (supervise) { renderLive(frame.live); }
        frame.chats.forEach(function (chat) { openChat(chat, false); });
        // Back on the line: what is still on its way goes again now.
        outbox.now();
        break;
      // The status is the account's, kept by the server: every console of it shows it.
      case "presence": $("presence").value = frame.status; break;
      case "colleagues": colleagues = frame.items; renderColleagues(); break;
      case "queue": renderQueue(frame.items, true); break;
      case "assigned": openChat(frame.chat, false); beep(880); break;
      case "watching": openChat(frame.chat, true); break;
      case "message": addMessage(frame); break;
      case "ack": acked(frame); break;
      case "typing": typing(frame); break;
      case "visitor": visitorState(frame); break;
      case "ended": ended(frame); break;
      case "unassigned": unassigned(frame); break;
      case "urgent": urgent(frame); break;
      case "live": renderLive(frame.items); break;
      case "error":
        if (refused(frame)) { break; }
        $("conn").textContent = frame.code === "queue_empty" ? t.tQueueEmpty
          : frame.code === "disk_full" ? t.tDiskFull
          : frame.code === "unavailable" ? t.tTryAgain
          : t.tError + ": " + frame.code;
        break;
    }
  }

  function since(iso) {
    var seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function renderQueue(items, notify) {
    var list = $("queue");
    list.textContent = "";
    items.forEach(function (item) {
      var li = el("li", { "data-queued": item.queued_at });
      var wait = el("span", { class: "wait" }, since(item.queued_at));
      li.appendChild(wait);
      li.appendChild(document.createTextNode(" " + t.tWaiting + " · " + [item.age_group, item.theme].filter(Boolean).join(" · ")));
      if (!item.connected) { li.appendChild(el("em", {}, " (" + t.tGone + ")")); }
      list.appendChild(li);
    });
    $("queue-count").textContent = items.length;
    if (notify && items.length > queueSize) {
      beep(660);
      flash(t.tNew);
    }
    queueSize = items.length;
    document.title = (items.length ? "(" + items.length + ") " : "") + baseTitle;
    if (supervise) { send({ type: "live" }); }
  }

  function flash(text) {
    var note = el("p", { class: "notice" }, text);
    $("alerts").appendChild(note);
    setTimeout(function () { note.remove(); }, 8000);
  }

  function renderLive(items) {
    var list = $("live");
    if (!list) { return; }
    list.textContent = "";
    items.forEach(function (item) {
      var li = el("li", {}, "#" + item.session + " · " + item.status + (item.counsellor ? " · " + item.counsellor : "") + (item.urgent ? " · " + t.tUrgent : ""));
      var button = el("button", { type: "button", class: "link" }, t.tRead);
      button.addEventListener("click", function () { send({ type: "watch", session: item.session }); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function openChat(chat, reading) {
    var id = chat.session;
    var existing = chats[id];
    if (existing) { existing.el.remove(); }
    var box = el("article", { class: "chat" + (chat.urgent ? " urgent" : ""), "aria-label": "Chat " + id });
    var head = el("h3", {}, "Chat #" + id + " " + [chat.age_group, chat.theme].filter(Boolean).join(" · "));
    box.appendChild(head);
    if (chat.transfer_note) { box.appendChild(el("p", { class: "transfer-note" }, chat.transfer_note)); }
    var presence = el("p", { class: "visitor-state" }, chat.connected ? "" : t.tGone);
    box.appendChild(presence);
    var log = el("ol", { class: "log", role: "log", "aria-live": "polite" });
    box.appendChild(log);
    var typingLine = el("p", { class: "typing", hidden: "" }, t.tVisitor + " " + t.tTyping);
    box.appendChild(typingLine);
    var state = { el: box, log: log, seen: {}, lastSeq: 0, highest: 0, ended: false, typing: typingLine, presence: presence, lastTyping: 0, typingStop: null };
    chats[id] = state;
    if (reading) {
      box.appendChild(el("p", { class: "notice" }, t.tReading));
    } else {
      var textId = "text-" + id;
      box.appendChild(el("label", { for: textId, class: "visually-hidden" }, t.tSend));
      var text = el("textarea", { id: textId, rows: "3", maxlength: "2000" });
      box.appendChild(text);
      var cannedSelect = el("select", { "aria-label": t.tCanned });
      cannedSelect.appendChild(el("option", { value: "" }, t.tCanned));
      canned.forEach(function (c, i) { cannedSelect.appendChild(el("option", { value: String(i) }, c.title)); });
      cannedSelect.addEventListener("change", function () {
        if (cannedSelect.value !== "") { text.value = canned[Number(cannedSelect.value)].body; text.focus(); }
        cannedSelect.value = "";
      });
      var sendButton = el("button", { type: "button", class: "button" }, t.tSend);
      function sendText() {
        var body = text.value.trim();
        if (!body) { return; }
        var cid = randomId();
        var item = line(state, "counsellor", body, null);
        item.classList.add("pending");
        var note = el("span", { class: "sending" }, t.tSending);
        item.appendChild(note);
        outbox.add(cid, { type: "message", session: id, text: body, client_id: cid }, { item: item, note: note, session: id });
        stopTyping();
        text.value = "";
      }
      sendButton.addEventListener("click", sendText);
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendText(); }
      });
      text.addEventListener("input", function () {
        if (Date.now() - state.lastTyping > 3000) {
          state.lastTyping = Date.now();
          send({ type: "typing", session: id, active: true });
        }
        clearTimeout(state.typingStop);
        state.typingStop = setTimeout(stopTyping, 4000);
      });
      function stopTyping() {
        clearTimeout(state.typingStop);
        state.lastTyping = 0;
        send({ type: "typing", session: id, active: false });
      }
      var row = el("div", { class: "row" });
      row.appendChild(cannedSelect);
      row.appendChild(sendButton);
      box.appendChild(row);

      var tools = el("details", { class: "tools" });
      tools.appendChild(el("summary", {}, t.tNote + " · " + t.tTransfer));
      var noteId = "note-" + id;
      tools.appendChild(el("label", { for: noteId }, t.tNote));
      var note = el("textarea", { id: noteId, rows: "2" });
      note.value = chat.note || "";
      tools.appendChild(note);
      var saveNote = el("button", { type: "button", class: "button secondary" }, t.tSaveNote);
      saveNote.addEventListener("click", function () { send({ type: "note", session: id, text: note.value }); });
      tools.appendChild(saveNote);
      var toId = "to-" + id;
      tools.appendChild(el("label", { for: toId }, t.tTransfer));
      var to = el("select", { id: toId });
      fillColleagues(to);
      tools.appendChild(to);
      var tnId = "tn-" + id;
      tools.appendChild(el("label", { for: tnId }, t.tTransferNote));
      var transferNote = el("textarea", { id: tnId, rows: "2" });
      tools.appendChild(transferNote);
      var transfer = el("button", { type: "button", class: "button secondary" }, t.tTransfer);
      transfer.addEventListener("click", function () {
        if (to.value) { send({ type: "transfer", session: id, to: Number(to.value), note: transferNote.value }); }
      });
      tools.appendChild(transfer);
      box.appendChild(tools);

      var actions = el("div", { class: "row" });
      var urgentButton = el("button", { type: "button", class: "button danger" }, t.tUrgent);
      urgentButton.addEventListener("click", function () { send({ type: "urgent", session: id }); box.classList.add("urgent"); });
      var end = el("button", { type: "button", class: "button secondary" }, t.tEnd);
      end.addEventListener("click", function () {
        if (window.confirm(t.tEndConfirm)) { send({ type: "end", session: id }); }
      });
      actions.appendChild(urgentButton);
      actions.appendChild(end);
      box.appendChild(actions);
    }
    $("chats").prepend(box);
    chat.messages.forEach(addMessage);
    // This chat's messages still on their way keep their place (a reconnect rebuilds it).
    outbox.each(function (cid, pending) {
      if (pending.session === id) { state.log.appendChild(pending.item); }
    });
  }

  function line(state, from, text, seq) {
    var item = el("li", { class: "msg msg-" + from });
    item.appendChild(el("span", { class: "who" }, from === "visitor" ? t.tVisitor : t.tYou));
    item.appendChild(el("p", {}, text));
    window.chatPlace(state.log, item, seq);
    state.log.scrollTop = state.log.scrollHeight;
    return item;
  }

  function markSeen(state, seq) {
    state.seen[seq] = true;
    state.highest = Math.max(state.highest, seq);
    while (state.seen[state.lastSeq + 1]) { state.lastSeq += 1; }
  }

  function addMessage(frame) {
    var state = chats[frame.session];
    if (!state || state.seen[frame.seq]) { return; }
    markSeen(state, frame.seq);
    line(state, frame.from, frame.text, frame.seq);
    if (frame.from === "visitor") { state.typing.hidden = true; }
    gaps(String(frame.session));
  }

  // Stored: the message says "delivered" instead of "on its way".
  function acked(frame) {
    var pending = outbox.take(frame.client_id);
    var state = chats[frame.session];
    if (!pending || !state) { return; }
    if (state.seen[frame.seq]) { pending.item.remove(); return; }
    markSeen(state, frame.seq);
    pending.item.classList.remove("pending");
    pending.item.classList.add("delivered");
    pending.note.textContent = t.tDelivered;
    window.chatPlace(state.log, pending.item, frame.seq);
    gaps(String(frame.session));
  }

  // An error about one of the messages on its way. Refused for good (too long, empty,
  // the chat over or no longer hers): it stops trying and says so. Anything else (the
  // server's trouble, a full disk) is said, and the outbox tries again.
  function refused(frame) {
    var pending = frame.client_id && outbox.get(frame.client_id);
    if (!pending) { return false; }
    var retry = frame.code === "internal_error" || frame.code === "disk_full" || frame.code === "rate_limited";
    if (!retry) {
      outbox.take(frame.client_id);
      pending.item.classList.remove("pending");
      pending.item.classList.add("failed");
      pending.note.textContent = t.tNotSent;
      return false;
    }
    pending.note.textContent = t.tSending;
    if (frame.code === "disk_full") { $("conn").textContent = t.tDiskFull; }
    return true;
  }

  function typing(frame) {
    var state = chats[frame.session];
    if (state) { state.typing.hidden = !frame.active; }
  }

  function visitorState(frame) {
    var state = chats[frame.session];
    if (state) { state.presence.textContent = frame.connected ? "" : t.tGone; }
  }

  function ended(frame) {
    var state = chats[frame.session];
    if (!state || state.ended) { return; }
    state.ended = true;
    state.el.classList.add("ended");
    Array.prototype.forEach.call(state.el.querySelectorAll("textarea, select, button"), function (node) { node.disabled = true; });
    state.el.appendChild(el("p", { class: "notice" }, t.tEnded));
    if (frame.register_url) {
      // The register form opens in a tab of its own: leaving this page would close the
      // socket, and with it the queue and its alerts, while the counsellor writes.
      var link = el("a", { href: frame.register_url, class: "button register", target: "_blank", rel: "noopener" }, t.tRegister);
      state.el.appendChild(link);
    }
  }

  // The inquiry page of a chat just registered says so (inquiries/registered.js): the
  // ended chat's card then opens that inquiry instead of offering a second registration.
  if ("BroadcastChannel" in window) {
    new BroadcastChannel("hjelpelinje-register").onmessage = function (event) {
      var data = event.data || {};
      var state = chats[data.chat];
      if (!state || !state.ended || typeof data.url !== "string" || data.url.charAt(0) !== "/") { return; }
      var old = state.el.querySelector("a.register");
      var open = el("a", { href: data.url, class: "button register", target: "_blank", rel: "noopener" }, t.tOpenInquiry);
      if (old) { old.replaceWith(open); } else { state.el.appendChild(open); }
    };
  }

  // Who can take a chat changes while chats are open: every transfer list follows it.
  function fillColleagues(select) {
    var chosen = select.value;
    select.textContent = "";
    colleagues.forEach(function (c) { select.appendChild(el("option", { value: String(c.id) }, c.name)); });
    if (chosen) { select.value = chosen; }
  }

  function renderColleagues() {
    Array.prototype.forEach.call(document.querySelectorAll("select[id^='to-']"), fillColleagues);
  }

  function unassigned(frame) {
    var state = chats[frame.session];
    if (!state) { return; }
    if (frame.reason === "timeout") { flash(t.tTimeout); }
    state.el.remove();
    delete chats[frame.session];
  }

  function urgent(frame) {
    beep(990);
    var note = el("p", { class: "urgent-alert" }, fmt(t.tUrgentAlert, { s: "#" + frame.session, by: frame.by }));
    $("alerts").appendChild(note);
  }

  $("presence").addEventListener("change", function () { send({ type: "presence", status: $("presence").value }); });
  $("take").addEventListener("click", function () { send({ type: "take" }); });
  setInterval(function () {
    Array.prototype.forEach.call(document.querySelectorAll("#queue li"), function (li) {
      li.querySelector(".wait").textContent = since(li.dataset.queued);
    });
  }, 1000);
  server.connect();
})();
