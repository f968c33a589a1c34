/* Live pages (projector, phones, console timer): progressive enhancement only.
   Every [data-live-url] region is polled about every 1.5 s with If-None-Match; the server answers 304
   while nothing changed, or the new fragment. [data-deadline] timers tick every second.
   Without JavaScript, reloading the page shows the same state. */
(function () {
  "use strict";
  var POLL_MS = 1500;

  function tickTimers() {
    var nodes = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var left = Math.max(0, Math.round((Date.parse(node.getAttribute("data-deadline")) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      node.setAttribute("data-clock", minutes + ":" + (seconds < 10 ? "0" : "") + seconds);
      node.classList.toggle("timer-over", left === 0);
    }
  }

  function poll(region) {
    var url = region.getAttribute("data-live-url");
    var etag = null;
    var busy = false;

    function once() {
      if (busy || document.hidden) {
        return;
      }
      busy = true;
      var headers = {"X-Requested-With": "fetch"};
      if (etag) {
        headers["If-None-Match"] = etag;
      }
      fetch(url, {headers: headers, credentials: "same-origin", cache: "no-cache"})
        .then(function (response) {
          if (response.status === 200) {
            etag = response.headers.get("ETag");
            return response.text().then(function (html) {
              var focusedId = document.activeElement && region.contains(document.activeElement)
                ? document.activeElement.id : null;
              region.innerHTML = html;
              if (focusedId) {
                var again = document.getElementById(focusedId);
                if (again) { again.focus(); }
              }
              tickTimers();
            });
          }
          if (response.status === 304) {
            etag = response.headers.get("ETag") || etag;
          }
          return null;
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { busy = false; });
    }
    setInterval(once, POLL_MS);
  }

  function start() {
    var regions = document.querySelectorAll("[data-live-url]");
    for (var i = 0; i < regions.length; i++) {
      poll(regions[i]);
    }
    tickTimers();
    setInterval(tickTimers, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
