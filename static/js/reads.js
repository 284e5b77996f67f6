// Counts one read of the story this script is on (see readership/views.py). No cookies, no ids.
(function () {
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  var body = new URLSearchParams({ article: script.dataset.article });
  navigator.sendBeacon(script.dataset.beacon, body);
})();
