// The read beacon (docs/most-read.md): tells the site once that this page was shown to a
// reader. No cookie, no identifier: the request carries nothing but the article's address.
// A prerendered page waits until it is actually shown; a page opened in a background tab
// waits until it is first looked at.
(function () {
  "use strict";
  var script = document.querySelector("script[data-read-beacon]");
  var url = script && script.getAttribute("data-read-beacon");
  if (!url) return;
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" });
    }
  }
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
  document.addEventListener("visibilitychange", send);
})();
