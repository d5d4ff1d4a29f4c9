// An inquiry registered from a chat tells the chat console, open in another tab of the same
// browser, so the ended chat's card there links to the inquiry instead of offering a second
// registration. The register form is opened with rel="noopener", so there is no
// window.opener to talk to; a BroadcastChannel reaches the console without one, and carries
// only the chat's number and the inquiry's address.
(() => {
  const link = document.getElementById("from-chat");
  if (!link || !("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel("hjelpelinje-register");
  channel.postMessage({ chat: Number(link.dataset.chat), url: link.dataset.inquiryUrl });
  channel.close();
})();
