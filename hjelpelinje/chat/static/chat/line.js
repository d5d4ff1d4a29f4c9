// The chat's line to the server, shared by the visitor page and the console: one WebSocket
// that comes back by itself. It reconnects with a growing delay (0.5 s, 1 s, 2 s … at most
// 10 s), and at once when the device is back online or the tab back in view. A phone in a
// tunnel or a laptop waking from sleep can hold a dead socket "open" for minutes: any
// frame proves the line is alive; after 20 s of silence it pings, and if 10 s more pass
// without a word the socket is given up. Events of a socket given up are ignored.
// (A test may shorten the wait by setting window.chatHeartbeatMs before the page loads.)
(function () {
  "use strict";

  // path: e.g. "/ws/chat/visitor/". on: { open(), frame(frame), down(), wanted() }, where
  // down() is told the line dropped and wanted() says whether to (re)connect at all.
  window.chatLine = function (path, on) {
    var heartbeatMs = window.chatHeartbeatMs || 20000;
    var wanted = on.wanted || function () { return true; };
    var ws = null;
    var beat = null;
    var timer = null;
    var retry = 0;

    function send(frame) {
      if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return true; }
      return false;
    }

    function heartbeat(current) {
      clearTimeout(beat);
      beat = setTimeout(function () {
        if (current !== ws || current.readyState !== 1) { return; }
        send({ type: "ping" });
        beat = setTimeout(function () { drop(current, 0); }, heartbeatMs / 2);
      }, heartbeatMs);
    }

    function drop(current, delay) {
      if (current !== ws) { return; }
      ws = null;
      clearTimeout(beat);
      try { current.close(); } catch (e) { /* already gone */ }
      if (!wanted()) { return; }
      on.down();
      clearTimeout(timer);
      timer = setTimeout(connect, delay);
    }

    function connect() {
      clearTimeout(timer);
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var current = new WebSocket(scheme + window.location.host + path);
      ws = current;
      current.onopen = function () {
        if (current !== ws) { return; }
        retry = 0;
        heartbeat(current);
        on.open();
      };
      current.onmessage = function (event) {
        if (current !== ws) { return; }
        heartbeat(current);
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        on.frame(frame);
      };
      current.onclose = function () {
        drop(current, Math.min(10000, 500 * Math.pow(2, retry++)));
      };
    }

    function retryNow() {
      if ((ws && ws.readyState <= 1) || !wanted()) { return; }
      retry = 0;
      connect();
    }
    window.addEventListener("online", retryNow);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { retryNow(); }
    });

    // Hang up for good (until connect() is called again).
    function close() {
      var current = ws;
      ws = null;
      clearTimeout(beat);
      clearTimeout(timer);
      if (current) { try { current.close(); } catch (e) { /* already gone */ } }
    }

    return {
      connect: connect,
      send: send,
      close: close,
      socket: function () { return ws; },
    };
  };

  // What the writer sent and the server has not yet confirmed. It lives in this page's
  // memory only (never in storage), and goes again, with the same client_id, until the
  // server acknowledges it: after 2 s, 4 s, 8 s … at most every 15 s, and at once when
  // the line comes back. The server stores each client_id once, so a message sent twice
  // is stored once, and one already stored is simply acknowledged again.
  window.chatOutbox = function (send) {
    var order = [];
    var entries = {};
    var timer = null;
    var delay = 2000;

    function sendAll() {
      order.forEach(function (id) { send(entries[id].frame); });
    }
    function schedule() {
      if (!order.length) { clearTimeout(timer); timer = null; delay = 2000; return; }
      if (timer) { return; }
      timer = setTimeout(function () {
        timer = null;
        sendAll();
        delay = Math.min(delay * 2, 15000);
        schedule();
      }, delay);
    }
    return {
      // entry: whatever the page keeps about the message (its line in the log).
      add: function (id, frame, entry) {
        entry.frame = frame;
        entries[id] = entry;
        order.push(id);
        send(frame);
        schedule();
      },
      get: function (id) { return entries[id] || null; },
      // The message is settled (acknowledged, or refused for good): no more tries.
      take: function (id) {
        var entry = entries[id];
        if (!entry) { return null; }
        delete entries[id];
        order.splice(order.indexOf(id), 1);
        schedule();
        return entry;
      },
      each: function (fn) { order.forEach(function (id) { fn(id, entries[id]); }); },
      // The line is back: everything goes again now, and the waits start over.
      now: function () {
        clearTimeout(timer);
        timer = null;
        delay = 2000;
        sendAll();
        schedule();
      },
      clear: function () { order = []; entries = {}; clearTimeout(timer); timer = null; },
    };
  };

  // A message's place in a chat's log is that of its number (seq), whatever order the
  // frames came in, so both sides show the chat in the order it was stored
  // (docs/chat-protocol.md). A message still on its way has no number yet and goes last;
  // once stored, it moves to its number's place (other messages may have been stored
  // while it was on its way).
  window.chatPlace = function (log, item, seq) {
    var before = null;
    if (seq) {
      item.dataset.seq = seq;
      Array.prototype.some.call(log.children, function (child) {
        if (child === item) { return false; }
        if (child.classList.contains("pending") || Number(child.dataset.seq) > seq) {
          before = child;
          return true;
        }
        return false;
      });
    }
    log.insertBefore(item, before);
  };

  // A gap in a chat's numbers (a later message came, an earlier one did not) that lasts
  // 1.5 s is asked for with `sync` (docs/chat-protocol.md), at most every 3 s per chat.
  // gap(key) says whether the chat still has one; ask(key) sends the `sync`.
  window.chatGaps = function (gap, ask) {
    var due = {};
    var asked = {};
    function later(key, wait) {
      due[key] = setTimeout(function () {
        due[key] = null;
        if (!gap(key)) { return; }
        var since = Date.now() - (asked[key] || 0);
        if (since < 3000) { later(key, 3000 - since); return; }
        asked[key] = Date.now();
        ask(key);
        later(key, 3000);  // until the gap is closed
      }, wait);
    }
    return function (key) {
      if (!due[key] && gap(key)) { later(key, 1500); }
    };
  };
})();
