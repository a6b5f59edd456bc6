// irgraph's search page: filters the list of entities as one types. Reads only the page itself (nothing is
// fetched); the words typed are kept in the address (#q=…), so a search can be bookmarked and shared.
(function () {
  "use strict";
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function start() {
    var input = document.getElementById("search");
    var status = document.getElementById("search-status");
    var items = Array.prototype.slice.call(document.querySelectorAll("#search-list li"));
    var keys = items.map(function (li) { return fold(li.getAttribute("data-search") || li.textContent); });
    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li, i) {
        var match = words.every(function (word) { return keys[i].indexOf(word) >= 0; });
        li.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length ? shown + " of " + items.length + " entities match." : items.length + " entities.";
    }
    function fromAddress() {
      var q = new URLSearchParams(window.location.hash.slice(1)).get("q");
      if (q !== null && q !== input.value) input.value = q;
      apply();
    }
    input.addEventListener("input", function () {
      apply();
      var address = window.location.pathname + window.location.search +
        (input.value ? "#" + new URLSearchParams({ q: input.value }).toString() : "");
      try { window.history.replaceState(null, "", address); }
      catch (e) { /* a browser that keeps file:// addresses as they are: the search still filters */ }
    });
    window.addEventListener("hashchange", fromAddress);
    fromAddress();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
