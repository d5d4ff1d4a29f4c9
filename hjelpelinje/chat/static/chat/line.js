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
})();
