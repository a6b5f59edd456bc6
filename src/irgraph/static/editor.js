/* irgraph's SPARQL editor: YASGUI (vendored in static/yasgui/) set up to talk to this server only.
 *
 * Nothing here or in YASGUI may reach another host, and the page's Content-Security-Policy
 * (connect-src 'self') refuses it if anything tried:
 *  - prefix completion uses irgraph's own prefix map (YASGUI's bundled list and prefix.cc are not used);
 *  - class and property completion use the ontology's terms, sent by the server (not the LOV service);
 *  - the endpoint, and the endpoint catalogue, are this server's /sparql only; no CORS proxy.
 * Results link IRIs of the graph's entities to their pages on this server (/id/...).
 */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("irgraph-editor").textContent);
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;
  var prefixes = settings.prefixes;

  function prefixLines() {
    return Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; });
  }
  // own completers, forked from YASQE's so that its rules for where each applies are kept
  Yasqe.forkAutocompleter("prefixes", { name: "irgraphPrefixes", persistenceId: null, get: prefixLines }, false);
  Yasqe.forkAutocompleter("class", {
    name: "irgraphClasses", bulk: true, autoShow: true, persistenceId: null,
    get: function () { return settings.classes; },
  }, false);
  Yasqe.forkAutocompleter("property", {
    name: "irgraphProperties", bulk: true, autoShow: true, persistenceId: null,
    get: function () { return settings.properties; },
  }, false);
  var completers = ["irgraphPrefixes", "variables", "irgraphProperties", "irgraphClasses"];
  Yasqe.defaults.autocompleters = completers;
  Yasqe.defaults.prefixCcApi = null;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: settings.endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: settings.endpoint }]; }, keys: [] },
    copyEndpointOnNewTab: true,
    persistenceId: "irgraph-editor",
    yasqe: { value: settings.example, autocompleters: completers, prefixCcApi: null },
    yasr: { prefixes: prefixes, pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });
  window.irgraphEditor = { yasgui: yasgui, ready: false };

  // entity IRIs lead to their pages here, and the ontology's terms to their sections, not out to w3id.org
  function localLinks(root) {
    root.querySelectorAll("a[href^='" + settings.entityBase + "']").forEach(function (a) {
      a.setAttribute("href", settings.entityPages + encodeURIComponent(a.getAttribute("href").slice(settings.entityBase.length)));
      a.removeAttribute("target");
    });
    root.querySelectorAll("a[href^='" + settings.termBase + "']").forEach(function (a) {
      a.setAttribute("href", settings.termPage + encodeURIComponent(a.getAttribute("href").slice(settings.termBase.length)));
      a.removeAttribute("target");
    });
  }
  function watch(tab) {
    var yasr = tab.getYasr();
    if (yasr && !yasr.irgraphWatched) {
      yasr.irgraphWatched = true;
      yasr.on("drawn", function () { localLinks(yasr.rootEl); });
    }
  }
  function watchAll() {
    var tab = yasgui.getTab();
    if (tab) { watch(tab); }
  }
  yasgui.on("tabSelect", function () { setTimeout(watchAll, 0); });
  yasgui.on("tabAdd", function () { setTimeout(watchAll, 0); });
  yasgui.on("queryResponse", function (_y, tab) { watch(tab); localLinks(tab.getYasr().rootEl); });
  watchAll();

  // the catalog's research questions: the server binds any parameters and sends the query text
  document.querySelectorAll("form.ready-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      params.set("name", form.dataset.name);
      fetch(settings.ready + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          var note = form.querySelector(".ready-error");
          if (note) { note.remove(); }
          if (answer.error) {
            note = document.createElement("p");
            note.className = "ready-error";
            note.setAttribute("role", "alert");
            note.textContent = answer.error;
            form.appendChild(note);
            return;
          }
          var tab = yasgui.addTab(true, { name: answer.title, yasqe: { value: answer.query } });
          var yasqe = tab.getYasqe();
          if (yasqe && yasqe.getValue() !== answer.query) { yasqe.setValue(answer.query); }
          watchAll();
        });
    });
  });
  window.irgraphEditor.ready = true;
})();
