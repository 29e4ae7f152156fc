// Installable and offline: the service worker keeps pages, the player and spoken lines.
"use strict";
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready).then((registration) => {
    const data = document.getElementById("timeline");
    if (!data || !registration.active) return;
    // A session opened once plays again without a network: keep every line it speaks.
    const clips = JSON.parse(data.textContent).clips || [];
    registration.active.postMessage({ keep: [...new Set(clips)].map((k) => "/clip/" + k + ".wav"), page: location.pathname + location.search });
  }).catch(() => { /* without a service worker the app still works online */ });
}
