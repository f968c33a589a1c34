/* Similar proposals while typing a title: progressive enhancement only.
   The #similar-proposals region (aria-live) names the proposals whose title looks like the one typed,
   fetched from its data-similar-url. Without JavaScript, the same list is shown after a preview. */
(function () {
  "use strict";
  var DELAY_MS = 350;

  function init() {
    var region = document.getElementById("similar-proposals");
    var input = document.getElementById("title");
    if (!region || !input || !window.fetch) {
      return;
    }
    var timer = null;
    var last = null;
    var controller = null;

    function render(proposals) {
      while (region.firstChild) {
        region.removeChild(region.firstChild);
      }
      if (!proposals.length) {
        return;
      }
      var heading = document.createElement("p");
      heading.className = "similar-heading";
      heading.textContent = region.getAttribute("data-heading");
      var list = document.createElement("ul");
      proposals.forEach(function (proposal) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = proposal.url;
        link.dir = "auto";
        link.textContent = proposal.title;  // text, never HTML: titles are people's words
        item.appendChild(link);
        list.appendChild(item);
      });
      region.appendChild(heading);
      region.appendChild(list);
    }

    function lookUp() {
      var title = input.value.trim();
      if (title === last) {
        return;
      }
      last = title;
      if (title.length < 3) {
        render([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = region.getAttribute("data-similar-url");
      url += (url.indexOf("?") === -1 ? "?" : "&") + "title=" + encodeURIComponent(title);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"},
                  signal: controller ? controller.signal : undefined})
        .then(function (response) { return response.ok ? response.json() : {proposals: []}; })
        .then(function (data) { render(data.proposals || []); })
        .catch(function () { /* offline or aborted: the list stays as it was */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY_MS);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
