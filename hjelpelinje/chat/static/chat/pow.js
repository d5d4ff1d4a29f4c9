// The proof of work that earns a visitor the right to start a chat (ALTCHA v1, SHA-256):
// find the number n, 0 <= n <= maxnumber, for which SHA-256(salt + n) is the challenge.
// It runs in the background from the moment the page loads, on the challenge the page
// carries, so by the time the safety page is read the answer is ready. Nothing is stored:
// the challenge and its answer live in memory only.
// window.chatPow.take() gives the answer (or null) once and forgets it;
// window.chatPow.solve(challenge) solves a fresh one (a Promise of the answer or null).
(function () {
  "use strict";
  var BATCH = 500;  // hashes in flight at once: fewer round trips through the event loop

  function bytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }

  function same(buffer, target) {
    var got = new Uint8Array(buffer);
    for (var i = 0; i < target.length; i++) { if (got[i] !== target[i]) { return false; } }
    return true;
  }

  function solve(challenge) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || !challenge || challenge.algorithm !== "SHA-256") { return Promise.resolve(null); }
    var encoder = new TextEncoder();
    var target = bytes(challenge.challenge);
    var max = Number(challenge.maxnumber);
    function from(start) {
      var end = Math.min(start + BATCH - 1, max);
      var tries = [];
      for (var n = start; n <= end; n++) {
        tries.push(subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      return Promise.all(tries).then(function (hashes) {
        for (var i = 0; i < hashes.length; i++) {
          if (same(hashes[i], target)) {
            return {
              algorithm: challenge.algorithm, challenge: challenge.challenge,
              number: start + i, salt: challenge.salt, signature: challenge.signature,
            };
          }
        }
        return end >= max ? null : from(end + 1);
      });
    }
    return from(0);
  }

  var answer = null;
  var pending = null;
  var source = document.getElementById("pow-challenge");
  if (source) {
    try {
      pending = solve(JSON.parse(source.textContent)).then(function (found) { answer = found; });
    } catch (e) { pending = null; }
  }

  window.chatPow = {
    solve: solve,
    // The answer to the page's own challenge, once: a Promise of it, or of null.
    take: function () {
      var wait = pending || Promise.resolve();
      pending = null;
      return wait.then(function () { var found = answer; answer = null; return found; });
    },
  };
})();
