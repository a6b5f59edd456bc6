/* The explorer page's script. Data strings only ever reach the page through
 * textContent, DOM nodes and vis-network's canvas; links are built with
 * createElement("a") and only for http(s) addresses. A claim's forest plot is
 * cloned from its <template>, sanitized SVG made when the page was built. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";
  var PROV = "prov:wasDerivedFrom";
  var EDGE_STYLE = {
    "irg:supports": { color: "#2e7d32", dashes: false, width: 2.5, key: "supports" },
    "irg:contradicts": { color: "#d62728", dashes: [8, 6], width: 2.5, key: "contradicts" },
    "irg:qualifies": { color: "#c47200", dashes: [2, 5], width: 2.5, key: "qualifies" }
  };
  var OTHER_EDGE = { color: "#8a9096", dashes: false, width: 1 };
  var INTERVENTION_CLASSES = { "irg:Intervention": true, "irg:CombinationIntervention": true };

  var verdictColour = new Map();
  data.verdicts.forEach(function (v) { verdictColour.set(v.id, v.color); });
  var classes = new Map();
  data.classes.forEach(function (c) { classes.set(c.id, c); });
  var nodeById = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  var outgoing = new Map();
  var incoming = new Map();
  function push(map, key, value) {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  }
  data.edges.forEach(function (e) { push(outgoing, e.from, e); push(incoming, e.to, e); });
  var approachSets = new Map();
  data.approaches.forEach(function (a) { approachSets.set(a.id, new Set(a.nodes)); });
  var trailSets = new Map();
  Object.keys(data.trails).forEach(function (k) { trailSets.set(k, new Set(data.trails[k])); });

  // ---- what is shown ------------------------------------------------------
  var defaultClasses = data.classes.filter(function (c) { return c.on; }).map(function (c) { return c.id; });
  var state = { classes: new Set(defaultClasses), phasesOff: new Set(), approach: "", trail: "", focus: "", depth: 1 };
  var focusSet = null;

  // a focus in the page: the node and what is within `depth` links of it, not spreading through
  // sources, endpoints, trial phases and evidence lines (as `irgraph viz --focus` does)
  var NOT_EXPANDED = new Set(data.not_expanded || []);
  function neighbourhood(centre, depth) {
    var found = new Set([centre]);
    var edge = [centre];
    for (var step = 0; step < depth; step++) {
      var next = [];
      edge.forEach(function (id) {
        if (id !== centre && NOT_EXPANDED.has(nodeById.get(id)["class"])) return;
        (outgoing.get(id) || []).concat(incoming.get(id) || []).forEach(function (e) {
          var other = e.from === id ? e.to : e.from;
          if (!found.has(other)) { found.add(other); next.push(other); }
        });
      });
      edge = next;
    }
    return found;
  }

  function isVisible(id) {
    var n = nodeById.get(id);
    if (!n || !state.classes.has(n["class"])) return false;
    if (n.phases.length && n.phases.every(function (p) { return state.phasesOff.has(p); })) return false;
    if (state.approach && !approachSets.get(state.approach).has(id)) return false;
    if (state.trail && !trailSets.get(state.trail).has(id)) return false;
    if (focusSet && !focusSet.has(id)) return false;
    return true;
  }

  // ---- small DOM helpers (text only) -------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function safeUrl(href) {
    if (typeof href !== "string" || !href) return null;
    var url;
    try { url = new URL(href); } catch (e) { return null; }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
    return url.href;
  }
  function webLink(href, text) {
    var safe = safeUrl(href);
    if (!safe) return document.createTextNode(String(text));
    var a = document.createElement("a");
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = String(text);
    return a;
  }
  function shapeIcon(shape, colour, size) {
    size = size || 14;
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "shape");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    var item;
    var polygons = {
      diamond: "10,1 19,10 10,19 1,10", triangle: "10,2 19,18 1,18", triangleDown: "1,2 19,2 10,18",
      star: "10,1 12.6,7.2 19,7.6 14,11.8 15.6,18.4 10,14.8 4.4,18.4 6,11.8 1,7.6 7.4,7.2",
      hexagon: "5,2 15,2 19.5,10 15,18 5,18 0.5,10"
    };
    if (polygons[shape]) {
      item = document.createElementNS(SVG_NS, "polygon");
      item.setAttribute("points", polygons[shape]);
    } else if (shape === "box" || shape === "square") {
      item = document.createElementNS(SVG_NS, "rect");
      item.setAttribute("x", shape === "box" ? "1" : "3");
      item.setAttribute("y", shape === "box" ? "5" : "3");
      item.setAttribute("width", shape === "box" ? "18" : "14");
      item.setAttribute("height", shape === "box" ? "10" : "14");
      item.setAttribute("rx", "2");
    } else if (shape === "ellipse") {
      item = document.createElementNS(SVG_NS, "ellipse");
      item.setAttribute("cx", "10"); item.setAttribute("cy", "10");
      item.setAttribute("rx", "9"); item.setAttribute("ry", "6");
    } else {
      item = document.createElementNS(SVG_NS, "circle");
      item.setAttribute("cx", "10"); item.setAttribute("cy", "10"); item.setAttribute("r", "7");
    }
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "#555");
    item.setAttribute("stroke-width", "1");
    svg.appendChild(item);
    return svg;
  }
  function lineIcon(style) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "shape");
    svg.setAttribute("width", "30");
    svg.setAttribute("height", "10");
    svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(SVG_NS, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "29"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", style.color);
    line.setAttribute("stroke-width", String(style.width));
    if (style.dashes) line.setAttribute("stroke-dasharray", "5,3");
    svg.appendChild(line);
    return svg;
  }

  // ---- colours -------------------------------------------------------------
  function rgb(hex) {
    var v = /^#([0-9a-f]{6})$/i.exec(hex || "") ? parseInt(hex.slice(1), 16) : 0xc7c7c7;
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  function shade(hex, factor) {
    return "#" + rgb(hex).map(function (c) {
      var s = Math.max(0, Math.min(255, Math.round(c * factor))).toString(16);
      return s.length < 2 ? "0" + s : s;
    }).join("");
  }
  function readableOn(hex) {
    var c = rgb(hex);
    return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) > 150 ? "#1b1b1b" : "#ffffff";
  }
  function styleOf(cls) {
    return classes.get(cls) || { label: cls, color: "#c7c7c7", shape: "dot", font: 12 };
  }

  // ---- light and dark ---------------------------------------------------------
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function palette() {
    return darkQuery && darkQuery.matches
      ? { text: "#e6e6e6", edgeText: "#d0d4d8", halo: "#16181b", heading: "#aeb4bb", other: "#6f767d" }
      : { text: "#222222", edgeText: "#444444", halo: "#ffffff", heading: "#666666", other: "#8a9096" };
  }
  var colours = palette();
  OTHER_EDGE.color = colours.other;

  // ---- the network ---------------------------------------------------------
  var large = data.large;
  var visNodes = data.nodes.map(function (n) {
    var c = styleOf(n["class"]);
    var inside = c.shape === "box" || c.shape === "ellipse";
    var badge = n.ledger ? "\n[" + n.ledger.badge + "]" : "";
    return {
      id: n.id,
      label: n.label + badge,
      title: n.label + badge + "\n" + c.label,
      x: n.x,
      y: n.y,
      shape: c.shape,
      size: INTERVENTION_CLASSES[n["class"]] ? 18 : 11,
      color: {
        background: c.color, border: verdictColour.get(n.verdict) || shade(c.color, 0.7),
        highlight: { background: c.color, border: "#111111" },
        hover: { background: c.color, border: "#111111" }
      },
      borderWidth: verdictColour.has(n.verdict) ? 4 : 1,
      borderWidthSelected: 3,
      font: { size: c.font || 12, color: inside ? readableOn(c.color) : colours.text },
      widthConstraint: { maximum: inside ? 170 : 150 }
    };
  });
  var visEdges = data.edges.map(function (e) {
    var s = EDGE_STYLE[e.relation] || OTHER_EDGE;
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: large ? undefined : e.label,
      title: e.label,
      color: { color: s.color, highlight: shade(s.color, 0.6), hover: shade(s.color, 0.6) },
      dashes: s.dashes,
      width: s.width,
      smooth: e.curved ? { enabled: true, type: "curvedCW", roundness: 0.35 } : false
    };
  });
  var nodeSet = new vis.DataSet(visNodes);
  var edgeSet = new vis.DataSet(visEdges);
  var nodeView = new vis.DataView(nodeSet, { filter: function (n) { return isVisible(n.id); } });
  var edgeView = new vis.DataView(edgeSet, { filter: function (e) { return isVisible(e.from) && isVisible(e.to); } });
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: {
      hover: !large, tooltipDelay: 250, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      multiselect: false, navigationButtons: false, keyboard: false
    },
    nodes: { font: { face: "system-ui, sans-serif" }, margin: 8 },
    edges: {
      smooth: false,
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      font: { size: 11, align: "middle", color: colours.edgeText, strokeWidth: 3, strokeColor: colours.halo },
      scaling: { label: { drawThreshold: 14 } },
      selectionWidth: 1.5
    }
  };
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // column headings: a strip over the top of the graph that follows pans and zooms sideways
  var headingStrip = document.getElementById("column-headings");
  var headingItems = [];
  var canvasHeadings = [];
  function showHeadings(columns) {
    clear(headingStrip);
    // the first band's headings ride on the strip; a second band's are drawn above it on the canvas
    canvasHeadings = columns.filter(function (col) { return col.band > 0; });
    headingItems = columns.filter(function (col) { return !col.band; }).map(function (col) {
      var item = el("span", null, col.label);
      headingStrip.appendChild(item);
      return { column: col.column, x: col.x, item: item };
    });
  }
  showHeadings(data.columns);
  network.on("beforeDrawing", function (ctx) {
    if (!canvasHeadings.length) return;
    var shown = new Set();
    nodeView.getIds().forEach(function (id) { shown.add(nodeById.get(id).column); });
    ctx.save();
    ctx.font = "600 15px system-ui, sans-serif";
    ctx.fillStyle = colours.heading;
    ctx.textAlign = "center";
    canvasHeadings.forEach(function (col) {
      if (shown.has(col.column)) ctx.fillText(col.label.toUpperCase(), col.x, col.y);
    });
    ctx.restore();
  });
  network.on("afterDrawing", function () {
    var shown = new Set();
    nodeView.getIds().forEach(function (id) { shown.add(nodeById.get(id).column); });
    var right = -Infinity;
    headingItems.slice().sort(function (a, b) { return a.x - b.x; }).forEach(function (h) {
      var x = Math.round(network.canvasToDOM({ x: h.x, y: 0 }).x);
      h.item.style.left = x + "px";
      h.item.style.display = shown.has(h.column) ? "" : "none";
      if (!shown.has(h.column)) return;
      var half = h.item.offsetWidth / 2;
      if (x - half < right + 8) { h.item.style.display = "none"; return; }  // no overlapping headings
      right = x + half;
    });
  });

  function recolour() {
    colours = palette();
    OTHER_EDGE.color = colours.other;
    nodeSet.update(visNodes.filter(function (v) { return !(v.shape === "box" || v.shape === "ellipse"); })
      .map(function (v) { return { id: v.id, font: { color: colours.text } }; }));
    edgeSet.update(data.edges.filter(function (e) { return !EDGE_STYLE[e.relation]; }).map(function (e) {
      return { id: e.id, color: { color: colours.other, highlight: shade(colours.other, 0.6), hover: shade(colours.other, 0.6) } };
    }));
    network.setOptions({ edges: { font: { color: colours.edgeText, strokeColor: colours.halo } } });
  }
  if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", recolour);

  var explorer = {
    network: network, nodes: nodeSet, edges: edgeSet, nodeView: nodeView, edgeView: edgeView,
    data: data, ready: false, select: select, isVisible: isVisible, state: state
  };
  window.irgraphExplorer = explorer;


  // ---- controls --------------------------------------------------------------
  var statusLine = document.getElementById("status");
  var classBoxes = new Map();
  var phaseBoxes = new Map();
  var approachSelect = document.getElementById("approach-filter");
  var trailSelect = document.getElementById("trail-filter");

  // the trail and approach filters draw their nodes in a layout of their own, computed with the page
  var home = new Map();
  data.nodes.forEach(function (n) { home.set(n.id, { x: n.x, y: n.y }); });
  var currentView = "";
  var views = data.views;
  function viewKey() {
    if (state.focus) return "focus " + state.focus + " " + state.depth;
    if (state.trail && views[state.trail]) return state.trail;
    if (state.approach && views[state.approach]) return state.approach;
    return "";
  }
  function estimatedHeight(n) {
    var c = styleOf(n["class"]);
    var inside = c.shape === "box" || c.shape === "ellipse";
    var font = c.font || 12;
    var perLine = Math.max(8, Math.floor((inside ? 170 : 150) / (font * 0.58)));
    var lines = 0;
    (n.label + (n.ledger ? "\n[" + n.ledger.badge + "]" : "")).split("\n").forEach(function (part) {
      var used = 0;
      lines += 1;
      part.split(/\s+/).forEach(function (word) {
        if (used && used + 1 + word.length > perLine) { lines += 1; used = word.length; } else used += word.length + (used ? 1 : 0);
      });
    });
    return lines * font * 1.22 + (inside ? 22 : 40);
  }
  // a focus is laid out when it is asked for: its nodes in their columns, in the order of the whole page
  function focusView(members) {
    var byColumn = new Map();
    members.forEach(function (id) { push(byColumn, nodeById.get(id).column, nodeById.get(id)); });
    var positions = {};
    var columns = [];
    var x = 0;
    Array.from(byColumn.keys()).sort(function (a, b) { return a - b; }).forEach(function (column) {
      var nodes = byColumn.get(column).sort(function (a, b) { return a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1); });
      var per = Math.max(6, Math.ceil(Math.sqrt(members.size * 1.5)));
      var count = Math.ceil(nodes.length / per);
      var step = 200;
      var rows = [];
      for (var i = 0; i < nodes.length; i += count) rows.push(nodes.slice(i, i + count));
      var heights = rows.map(function (row) { return Math.max.apply(null, row.map(estimatedHeight)); });
      var y = -heights.reduce(function (a, b) { return a + b; }, 0) / 2;
      rows.forEach(function (row, r) {
        row.forEach(function (n, k) {
          var inside = styleOf(n["class"]).shape === "box" || styleOf(n["class"]).shape === "ellipse";
          positions[n.id] = [x + k * step, y + (inside ? estimatedHeight(n) / 2 : 16)];
        });
        y += heights[r];
      });
      var heading = data.columns.filter(function (h) { return h.column === column; })[0];
      columns.push({ column: column, x: x + (count - 1) * step / 2, y: 0, band: 0, label: heading ? heading.label : "" });
      x += count * step + 60;
    });
    return { positions: positions, columns: columns };
  }
  function moveTo(key) {
    if (key === currentView) return;
    var moves = [];
    var previous = currentView ? views[currentView].positions : {};
    Object.keys(previous).forEach(function (id) { var h = home.get(id); moves.push({ id: id, x: h.x, y: h.y }); });
    if (key && !views[key]) views[key] = focusView(focusSet);
    var target = key ? views[key].positions : {};
    Object.keys(target).forEach(function (id) { moves.push({ id: id, x: target[id][0], y: target[id][1] }); });
    nodeSet.update(moves);
    currentView = key;
    showHeadings(key ? views[key].columns : data.columns);
  }

  // fitting: everything shown, but never so small that the main labels cannot be read; a view
  // too large for that starts at its top (left) and is read by scrolling down
  var MOST_ZOOM = 1.6;
  var MARGIN = 24;  // CSS pixels around the drawing
  function fitView(whole) {
    hideTooltip();
    var ids = nodeView.getIds();
    if (!ids.length) return;
    network.redraw();  // drawing measures the labels of nodes just shown, so their boxes are right
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {  // the boxes vis-network draws, labels included
      var b = network.getBoundingBox(id);
      left = Math.min(left, b.left); right = Math.max(right, b.right);
      top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
    });
    var box = container.getBoundingClientRect();
    var room = { width: Math.max(box.width - 2 * MARGIN, 10), height: Math.max(box.height - 2 * MARGIN, 10) };
    var scale = Math.min(room.width / Math.max(right - left, 1), room.height / Math.max(bottom - top, 1), MOST_ZOOM);
    var x = (left + right) / 2, y = (top + bottom) / 2;
    if (!whole && scale < data.readable) {
      // too large to read whole: readable, from the top; centred when it nearly fits across
      scale = data.readable;
      var wide = room.width / scale;
      if (right - left > 1.15 * wide) x = left + wide / 2;
      y = top - MARGIN / scale + box.height / 2 / scale;
    }
    network.moveTo({ position: { x: x, y: y }, scale: scale, animation: false });
  }

  var listOpen = false;
  function apply(fit) {
    focusSet = state.focus && nodeById.has(state.focus) ? neighbourhood(state.focus, state.depth) : null;
    var key = viewKey();
    if (key !== currentView) { moveTo(key); fit = true; }
    nodeView.refresh();
    edgeView.refresh();
    statusLine.textContent = nodeView.length + " of " + data.nodes.length + " nodes and " +
      edgeView.length + " of " + data.edges.length + " links shown" +
      (state.focus && nodeById.has(state.focus) ? " (around " + nodeById.get(state.focus).label + ")" : "");
    describeCanvas();
    if (listOpen) showList();
    if (fit) fitView(false);
  }

  var classFilter = document.getElementById("class-filter");
  data.classes.forEach(function (c) {
    var row = el("label", "check");
    var box = el("input");
    box.type = "checkbox";
    box.checked = state.classes.has(c.id);
    box.setAttribute("data-class", c.id);
    box.addEventListener("change", function () {
      if (box.checked) state.classes.add(c.id); else state.classes.delete(c.id);
      apply(true);
      writeHash();
    });
    classBoxes.set(c.id, box);
    row.appendChild(box);
    row.appendChild(shapeIcon(c.shape, c.color));
    row.appendChild(el("span", null, c.label));
    row.appendChild(el("span", "count", c.count));
    classFilter.appendChild(row);
  });

  var edgeLegend = document.getElementById("edge-legend");
  [["supports", EDGE_STYLE["irg:supports"]], ["contradicts", EDGE_STYLE["irg:contradicts"]],
   ["qualifies", EDGE_STYLE["irg:qualifies"]],
   ["other links, labelled when you zoom in", OTHER_EDGE]].forEach(function (item) {
    var row = el("div", "edge-key");
    row.appendChild(lineIcon(item[1]));
    row.appendChild(el("span", null, item[0]));
    edgeLegend.appendChild(row);
  });
  if (data.verdicts.length) {
    edgeLegend.appendChild(el("div", "muted", "A finding's border, its verdict:"));
    data.verdicts.forEach(function (v) {
      var row = el("div", "edge-key");
      var icon = shapeIcon("square", "#ffffff");
      icon.firstChild.setAttribute("stroke", v.color);
      icon.firstChild.setAttribute("stroke-width", "4");
      row.appendChild(icon);
      row.appendChild(el("span", null, v.label));
      edgeLegend.appendChild(row);
    });
  }

  function option(value, text) {
    var o = el("option", null, text);
    o.value = value;
    return o;
  }
  approachSelect.appendChild(option("", "All approaches"));
  data.approaches.forEach(function (a) {
    approachSelect.appendChild(option(a.id, "\u2003".repeat(a.level) + a.label));
  });
  approachSelect.addEventListener("change", function () {
    state.approach = approachSelect.value;
    apply(true);
    writeHash();
  });

  var phaseFilter = document.getElementById("phase-filter");
  data.phases.forEach(function (p) {
    var row = el("label", "check");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-phase", p.id);
    box.addEventListener("change", function () {
      if (box.checked) state.phasesOff.delete(p.id); else state.phasesOff.add(p.id);
      apply(true);
      writeHash();
    });
    phaseBoxes.set(p.id, box);
    row.appendChild(box);
    row.appendChild(el("span", null, p.label));
    row.appendChild(el("span", "count", p.studies + (p.studies === 1 ? " study" : " studies")));
    phaseFilter.appendChild(row);
  });
  if (!data.phases.length) phaseFilter.appendChild(el("p", "muted", "No trial phases in this view."));

  trailSelect.appendChild(option("", "None: choose an intervention"));
  data.nodes.filter(function (n) { return trailSets.has(n.id); })
    .sort(function (a, b) { return a.label.localeCompare(b.label); })
    .forEach(function (n) { trailSelect.appendChild(option(n.id, n.label)); });
  function showTrail(id) {
    state.trail = id;
    trailSelect.value = id;
    if (id) {
      // the trail shows every class it holds, sources included
      trailSets.get(id).forEach(function (m) { state.classes.add(nodeById.get(m)["class"]); });
      syncBoxes();
    }
    apply(true);
  }
  trailSelect.addEventListener("change", function () { showTrail(trailSelect.value); writeHash(); });

  function syncBoxes() {
    classBoxes.forEach(function (box, cls) { box.checked = state.classes.has(cls); });
    phaseBoxes.forEach(function (box, phase) { box.checked = !state.phasesOff.has(phase); });
    approachSelect.value = state.approach;
    trailSelect.value = state.trail;
  }
  function reset() {
    state.classes = new Set(defaultClasses);
    state.phasesOff.clear();
    state.approach = "";
    state.trail = "";
    state.focus = "";
    state.depth = 1;
    syncBoxes();
    apply(true);
  }
  document.getElementById("reset").addEventListener("click", function () { reset(); writeHash(); });

  // ---- search ----------------------------------------------------------------
  var searchBox = document.getElementById("search");
  var resultList = document.getElementById("search-results");
  var searchIndex = data.nodes.map(function (n) {
    return { id: n.id, label: n.label, names: [n.label].concat(n.synonyms) };
  });
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    searchIndex.forEach(function (entry) {
      var best = null;
      entry.names.forEach(function (name) {
        var lower = name.toLowerCase();
        var rank = lower === q ? 0 : lower.indexOf(q) === 0 ? 1 : (" " + lower).indexOf(" " + q) >= 0 ? 2 : lower.indexOf(q) >= 0 ? 3 : 9;
        if (rank < 9 && (best === null || rank < best.rank)) best = { rank: rank, name: name };
      });
      if (best) found.push({ id: entry.id, label: entry.label, rank: best.rank, via: best.name });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1); });
    return found;
  }
  function showResults() {
    clear(resultList);
    var found = matches(searchBox.value);
    found.slice(0, 12).forEach(function (m) {
      var item = el("li");
      var button = el("button", null, m.via === m.label ? m.label : m.label + " (" + m.via + ")");
      button.type = "button";
      button.setAttribute("data-id", m.id);
      button.addEventListener("click", function () { select(m.id); });
      item.appendChild(button);
      resultList.appendChild(item);
    });
    if (searchBox.value.trim() && !found.length) resultList.appendChild(el("li", "hint", "Nothing is called that."));
    if (found.length > 12) resultList.appendChild(el("li", "hint", (found.length - 12) + " more: type more of the name"));
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = matches(searchBox.value);
      if (found.length) select(found[0].id);
      event.preventDefault();
    }
  });

  // ---- selecting and the details panel ---------------------------------------
  function reveal(id) {
    var n = nodeById.get(id);
    state.classes.add(n["class"]);
    if (!isVisible(id)) {
      state.phasesOff.clear();
      state.approach = "";
      state.trail = "";
      state.focus = "";
    }
    syncBoxes();
    apply(false);
  }
  var selected = "";
  function select(id) {
    if (!nodeById.has(id)) return;
    if (!isVisible(id)) reveal(id);
    network.selectNodes([id]);
    showDetails(id);
    // on a phone the details cover the lower half of the picture: the node goes in the upper half
    var phone = window.matchMedia && window.matchMedia("(max-width: 760px)").matches;
    var lift = phone ? -container.getBoundingClientRect().height / 4 : 0;
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), offset: { x: 0, y: lift }, animation: false });
    writeHash();
  }
  explorer.select = select;
  function deselect() {
    selected = "";
    cursor = "";
    network.unselectAll();
    clear(details).appendChild(el("p", "empty", EMPTY_DETAILS));
    document.body.classList.remove("details-open");
    detailsToggle.setAttribute("aria-expanded", "false");
  }

  var details = document.getElementById("details-body");
  var controlsToggle = document.getElementById("show-controls");
  var detailsToggle = document.getElementById("show-details");
  var EMPTY_DETAILS = details.textContent.trim();
  function nodeButton(id) {
    var n = nodeById.get(id);
    var button = el("button", "node-link", n ? n.label : id);
    button.type = "button";
    button.setAttribute("data-id", id);
    button.addEventListener("click", function () { select(id); });
    return button;
  }
  function section(title) {
    details.appendChild(el("h2", null, title));
  }
  function relationSpan(edge) {
    var s = EDGE_STYLE[edge.relation];
    return el("span", "rel" + (s ? " " + s.key : ""), edge.label);
  }
  function showDetails(id) {
    var n = nodeById.get(id);
    var c = styleOf(n["class"]);
    selected = id;
    cursor = id;
    clear(details);
    details.appendChild(el("h3", null, n.label));
    var type = el("p", "type");
    var swatch = el("i");
    swatch.style.background = c.color;
    type.appendChild(swatch);
    type.appendChild(document.createTextNode(c.label + " \u00b7 " + n.compact));
    details.appendChild(type);
    if (n.ledger) details.appendChild(badges(n.ledger));
    if (n.synonyms.length) details.appendChild(el("p", null, "Also called: " + n.synonyms.join("; ")));
    n.definition.forEach(function (text) { details.appendChild(el("p", null, text)); });
    if (n.ledger) ledgerSection(n.ledger);
    if (INTERVENTION_CLASSES[n["class"]] && trailSets.has(id)) {
      var trail = el("button", "action", "Show the evidence trail");
      trail.type = "button";
      trail.addEventListener("click", function () { showTrail(id); network.selectNodes([id]); showDetails(id); writeHash(); });
      details.appendChild(trail);
    }
    var around = el("button", "action", state.focus === id ? "Show the whole graph" : "Show only what links to this");
    around.type = "button";
    around.setAttribute("data-action", "focus");
    around.addEventListener("click", function () {
      if (state.focus === id) { reset(); } else { state.focus = id; state.trail = ""; state.approach = ""; focusClasses(id); }
      apply(true);
      network.selectNodes([id]);
      showDetails(id);
      writeHash();
    });
    details.appendChild(around);
    entityLink(n);
    document.body.classList.add("details-open");
    document.body.classList.remove("controls-open");
    detailsToggle.setAttribute("aria-expanded", "true");
    controlsToggle.setAttribute("aria-expanded", "false");
    if (n.facts.length) {
      section("Facts");
      var dl = el("dl");
      n.facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
      details.appendChild(dl);
    }
    if (n.ids.length || n.external.length) {
      section("Identifiers and external links");
      var idList = el("ul");
      n.ids.forEach(function (row) {
        var li = el("li", null, row[0] + " " + row[1]);
        if (row[2]) { li.appendChild(document.createTextNode(": ")); li.appendChild(webLink(row[2], row[2])); }
        idList.appendChild(li);
      });
      n.external.forEach(function (row) {
        var li = el("li", null, row[0] + ": ");
        li.appendChild(row[2] ? webLink(row[2], row[1]) : document.createTextNode(row[1]));
        idList.appendChild(li);
      });
      details.appendChild(idList);
    }
    var out = (outgoing.get(id) || []).filter(function (e) { return e.relation !== PROV; });
    var into = incoming.get(id) || [];
    if (out.length || into.length) {
      section("Links");
      var links = el("ul");
      out.forEach(function (e) {
        var li = el("li");
        li.appendChild(relationSpan(e));
        li.appendChild(document.createTextNode(" \u2192 "));
        li.appendChild(nodeButton(e.to));
        links.appendChild(li);
      });
      into.forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeButton(e.from));
        li.appendChild(document.createTextNode(" \u2192 "));
        li.appendChild(relationSpan(e));
        li.appendChild(document.createTextNode(" \u2192 this"));
        links.appendChild(li);
      });
      details.appendChild(links);
    }
    if (n.sources.length || n.sections.length || n["class"] === "irg:Source") {
      section("Where this comes from");
      if (n.sections.length) {
        details.appendChild(el("p", "section-line", (n.sections.length > 1 ? "Sections: " : "Section: ") + n.sections.join("; ")));
      }
      var own = n["class"] === "irg:Source" ? [id] : [];
      own.concat(n.sources).forEach(function (sourceId) { details.appendChild(sourceBlock(sourceId)); });
      if (!n.sources.length && n["class"] !== "irg:Source") details.appendChild(el("p", "muted", "No source is recorded."));
    }
  }
  // ---- the claim ledger and the forest plot ----------------------------------
  var STATUS_CLASS = {
    "untested": "untested", "contradicted by randomised evidence": "contradicted", "contested": "contested",
    "contradicted": "contradicted", "supported": "supported", "qualified": "qualified"
  };
  var DIRECTION_HEADINGS = [["supports", "Supporting"], ["contradicts", "Contradicting"], ["qualifies", "Qualifying"]];
  function badges(ledger) {
    var p = el("p", "badges");
    p.appendChild(el("span", "badge " + (STATUS_CLASS[ledger.status] || "other"), ledger.status));
    if (ledger.certainty && ledger.certainty.level) {
      p.appendChild(el("span", "badge certainty", "certainty: " + ledger.certainty.level));
    }
    return p;
  }
  function citeLine(sourceIds, sections) {
    var line = el("div", "muted");
    line.appendChild(document.createTextNode(sourceIds.length > 1 ? "Sources: " : "Source: "));
    sourceIds.forEach(function (sourceId, i) {
      var s = data.sources[sourceId];
      if (i) line.appendChild(document.createTextNode("; "));
      line.appendChild(nodeById.has(sourceId) ? nodeButton(sourceId) : document.createTextNode(s ? s.label : sourceId));
      (s ? s.ids : []).forEach(function (row) {
        if (!row[2]) return;
        line.appendChild(document.createTextNode(" "));
        line.appendChild(webLink(row[2], row[0] + " " + row[1]));
      });
    });
    if (sections.length) {
      line.appendChild(document.createTextNode(", " + sections.map(function (x) { return "\u201c" + x + "\u201d"; }).join("; ")));
    }
    return line;
  }
  function ledgerLine(line, direction) {
    var box = el("div", "ledger-line " + direction);
    var head = el("div");
    head.appendChild(nodeById.has(line.item) ? nodeButton(line.item) : el("strong", null, line.label));
    head.appendChild(el("span", "muted", " (" + line.kind + ")"));
    box.appendChild(head);
    line.studies.forEach(function (s) { box.appendChild(el("div", null, "Study: " + s)); });
    if (line.estimate) box.appendChild(el("div", null, "Estimate: " + line.estimate));
    var judged = [line.strength ? line.strength + " evidence" : "", line.basis].filter(Boolean).join("; ");
    if (judged) box.appendChild(el("div", "muted", judged));
    if (line.rationale) box.appendChild(el("div", null, "Why: " + line.rationale));
    if (line.sources.length) box.appendChild(citeLine(line.sources, line.sections));
    return box;
  }
  var overlay = document.getElementById("plot-overlay");
  var overlayFigure = document.getElementById("plot-overlay-figure");
  function closePlot() {
    overlay.hidden = true;
    clear(overlayFigure);
  }
  function openPlot(template) {
    clear(overlayFigure).appendChild(template.content.cloneNode(true));
    overlay.hidden = false;
    document.getElementById("plot-close").focus();
  }
  document.getElementById("plot-close").addEventListener("click", closePlot);
  overlay.addEventListener("click", function (event) { if (event.target === overlay) closePlot(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && !overlay.hidden) closePlot(); });
  function forestFigure(ledger) {
    var template = ledger.forest ? document.getElementById(ledger.forest) : null;
    if (!template || template.tagName !== "TEMPLATE") return;
    var figure = el("div", "forest");
    figure.appendChild(template.content.cloneNode(true));
    figure.title = "Click to enlarge";
    figure.addEventListener("click", function () { openPlot(template); });
    details.appendChild(figure);
    var larger = el("button", "action", "Show the forest plot larger");
    larger.type = "button";
    larger.addEventListener("click", function () { openPlot(template); });
    details.appendChild(larger);
  }
  function ledgerSection(ledger) {
    section("Claim ledger");
    details.appendChild(el("p", "muted", "Computed from the evidence lines; the certainty is the curators' " +
      "GRADE-style judgement of the later evidence. For research and education, not medical advice."));
    var c = ledger.certainty;
    if (c) {
      var down = c.downgraded.length ? " (rated down for " + c.downgraded.join(", ") + ")" : "";
      details.appendChild(el("p", "certainty-line", "Certainty: " + (c.level || "not assessed") + down));
      if (c.rationale) details.appendChild(el("p", null, c.rationale));
      if (c.sources.length) details.appendChild(citeLine(c.sources, []));
    }
    var counts = "Later findings: " + ledger.counts[0] + " supporting, " + ledger.counts[1] + " contradicting, " +
      ledger.counts[2] + " qualifying" + (ledger.design ? "; strongest design: " + ledger.design : "");
    details.appendChild(el("p", "counts-line", counts));
    forestFigure(ledger);
    DIRECTION_HEADINGS.forEach(function (pair) {
      var lines = ledger.lines[pair[0]] || [];
      if (!lines.length) return;
      section(pair[1] + " (" + lines.length + ")");
      lines.forEach(function (line) { details.appendChild(ledgerLine(line, pair[0])); });
    });
    if (ledger.own.length) {
      section("The source's own reasons, not counted (" + ledger.own.length + ")");
      ledger.own.forEach(function (line) { details.appendChild(ledgerLine(line, "own")); });
    }
  }
  function sourceBlock(sourceId) {
    var s = data.sources[sourceId];
    var block = el("div", "source");
    if (!s) { block.appendChild(el("div", null, sourceId)); return block; }
    var head = el("div");
    head.appendChild(nodeById.has(sourceId) ? nodeButton(sourceId) : el("strong", null, s.label));
    block.appendChild(head);
    s.title.forEach(function (t) { block.appendChild(el("div", "cite", "Title: " + t)); });
    s.citation.forEach(function (t) { block.appendChild(el("div", "cite", t)); });
    if (s.publisher.length) block.appendChild(el("div", "muted", "Publisher: " + s.publisher.join("; ")));
    s.date.forEach(function (t) { block.appendChild(el("div", "muted", "Date: " + t)); });
    s.ids.forEach(function (row) {
      var line = el("div", null, row[0] + " " + row[1] + (row[2] ? ": " : ""));
      if (row[2]) line.appendChild(webLink(row[2], row[2]));
      block.appendChild(line);
    });
    s.web.forEach(function (row) {
      var line = el("div", null, row[0] + ": ");
      line.appendChild(row[2] ? webLink(row[2], row[1]) : document.createTextNode(row[1]));
      block.appendChild(line);
    });
    return block;
  }
  function showEdge(edgeId) {
    var e = data.edges[edgeId];
    if (!e) return;
    clear(details);
    details.appendChild(el("h3", null, e.label));
    details.appendChild(el("p", "type", "a link (" + e.relation + ")"));
    var p = el("p");
    p.appendChild(nodeButton(e.from));
    p.appendChild(document.createTextNode(" \u2192 "));
    p.appendChild(relationSpan(e));
    p.appendChild(document.createTextNode(" \u2192 "));
    p.appendChild(nodeButton(e.to));
    details.appendChild(p);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); writeHash(); }
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // ---- a link to the entity's own page: its address as irgraph serve or irgraph site gave it (n.page), or
  // made from the --entity-pages pattern; only http(s) and file addresses become links ------------------
  function entityLink(n) {
    var address = pageAddress(n);
    if (!address) return;
    var url;
    try { url = new URL(address, document.baseURI); } catch (e) { return; }
    if (["http:", "https:", "file:"].indexOf(url.protocol) < 0) return;
    var p = el("p", "entity-page");
    var a = document.createElement("a");
    a.href = url.href;
    a.textContent = "The page of this entity";
    p.appendChild(a);
    details.appendChild(p);
  }
  function pageAddress(n) {
    if (typeof n.page === "string" && n.page) return n.page;
    var pattern = data.entity_pages;
    var base = "https://w3id.org/irgraph/id/";
    if (!pattern || n.id.indexOf(base) !== 0) return "";
    var slug = n.id.slice(base.length);
    if (!/^[A-Za-z0-9._~-]+$/.test(slug)) return "";
    return pattern.split("{slug}").join(slug);
  }

  // ---- the view in the address: #select=…&focus=…&class=…&approach=…&phase-off=…&trail=… ----------
  var byCompact = new Map();
  data.nodes.forEach(function (n) { byCompact.set(n.compact, n.id); });
  function nodeOf(name) {
    if (!name) return "";
    if (nodeById.has(name)) return name;
    return byCompact.get(name) || "";
  }
  function compactOf(id) { return nodeById.get(id).compact; }
  function sameSet(a, b) {
    if (a.size !== b.length) return false;
    return b.every(function (x) { return a.has(x); });
  }
  function hashOf() {
    var q = new URLSearchParams();
    if (selected) q.append("select", compactOf(selected));
    if (state.focus) { q.append("focus", compactOf(state.focus)); if (state.depth !== 1) q.append("depth", String(state.depth)); }
    if (state.trail) q.append("trail", compactOf(state.trail));
    if (state.approach) q.append("approach", compactOf(state.approach));
    if (!sameSet(state.classes, defaultClasses)) {
      var on = data.classes.filter(function (c) { return state.classes.has(c.id); }).map(function (c) { return c.id; });
      if (on.length) on.forEach(function (c) { q.append("class", c); }); else q.append("class", "");
    }
    data.phases.forEach(function (ph) { if (state.phasesOff.has(ph.id)) q.append("phase-off", compactOf(ph.id) || ph.id); });
    return q.toString();
  }
  var written = null;
  function writeHash() {
    var text = hashOf();
    if (text === location.hash.replace(/^#/, "")) return;
    written = text;
    location.hash = text;  // a new entry in the history: back and forward step through views
  }
  function focusClasses(id) {
    neighbourhood(id, state.depth).forEach(function (m) { state.classes.add(nodeById.get(m)["class"]); });
  }
  function readHash() {
    var q = new URLSearchParams(location.hash.replace(/^#/, ""));
    state.focus = nodeOf(q.get("focus"));
    var depth = parseInt(q.get("depth") || "1", 10);
    state.depth = depth >= 0 && depth <= 6 ? depth : 1;
    var trail = nodeOf(q.get("trail"));
    state.trail = trailSets.has(trail) ? trail : "";
    var approach = nodeOf(q.get("approach"));
    state.approach = approachSets.has(approach) ? approach : "";
    if (q.has("class")) {
      state.classes = new Set(q.getAll("class").filter(function (c) { return classes.has(c); }));
    } else {
      state.classes = new Set(defaultClasses);
      if (state.trail) trailSets.get(state.trail).forEach(function (m) { state.classes.add(nodeById.get(m)["class"]); });
      if (state.focus) focusClasses(state.focus);
    }
    state.phasesOff = new Set(q.getAll("phase-off").map(nodeOf).filter(Boolean));
    syncBoxes();
    apply(true);
    var chosen = nodeOf(q.get("select"));
    if (chosen && isVisible(chosen)) {
      network.selectNodes([chosen]);
      showDetails(chosen);
      var at = network.canvasToDOM(network.getPosition(chosen));
      var box = container.getBoundingClientRect();
      if (at.x < 0 || at.y < 0 || at.x > box.width || at.y > box.height) {
        network.moveTo({ position: network.getPosition(chosen), animation: false });
      }
    } else if (selected || !chosen) {
      deselect();
    }
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") === written) { written = null; return; }
    written = null;
    readHash();
  });

  // ---- the tooltip: gone when the pointer leaves the picture ------------------------------------
  function hideTooltip() {
    container.querySelectorAll(".vis-tooltip").forEach(function (tip) { tip.style.visibility = "hidden"; });
  }
  container.addEventListener("pointerleave", hideTooltip);
  container.addEventListener("mouseleave", hideTooltip);
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  // ---- the canvas for keyboards and screen readers ----------------------------------------------
  var announce = document.getElementById("graph-announce");
  function describeCanvas() {
    var shown = new Map();
    nodeView.get().forEach(function (v) {
      var label = styleOf(nodeById.get(v.id)["class"]).label;
      shown.set(label, (shown.get(label) || 0) + 1);
    });
    var kinds = Array.from(shown.keys()).map(function (k) { return shown.get(k) + " " + k; }).join(", ");
    container.setAttribute("aria-label", "Network picture of " + (data.title || "the graph") + ": " + nodeView.length +
      " nodes (" + (kinds || "none") + ") and " + edgeView.length + " links. Arrow keys move between linked nodes, " +
      "Enter shows the details of a node, Escape clears; the list view shows the same as tables.");
  }
  var cursor = "";
  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  function firstNode() {
    var ids = nodeView.getIds();
    ids.sort(function (a, b) {
      var na = nodeById.get(a), nb = nodeById.get(b);
      var pa = network.getPosition(a), pb = network.getPosition(b);
      return na.column - nb.column || pa.y - pb.y || (a < b ? -1 : 1);
    });
    return ids[0] || "";
  }
  function step(from, direction) {
    var here = network.getPosition(from);
    function best(candidates) {
      var found = "", score = Infinity;
      candidates.forEach(function (id) {
        if (id === from || !isVisible(id)) return;
        var p = network.getPosition(id);
        var dx = p.x - here.x, dy = p.y - here.y;
        var along = dx * direction[0] + dy * direction[1];
        if (along <= 0) return;
        var distance = Math.sqrt(dx * dx + dy * dy);
        var value = distance * (1 + 2 * (1 - along / distance));
        if (value < score || (value === score && id < found)) { score = value; found = id; }
      });
      return found;
    }
    var linked = network.getConnectedNodes(from);
    return best(linked) || best(nodeView.getIds());
  }
  function moveCursor(id) {
    cursor = id;
    network.selectNodes([id]);
    var at = network.canvasToDOM(network.getPosition(id));
    var box = container.getBoundingClientRect();
    if (at.x < 20 || at.y < 20 || at.x > box.width - 20 || at.y > box.height - 20) {
      network.moveTo({ position: network.getPosition(id), animation: false });
    }
    var n = nodeById.get(id);
    var links = network.getConnectedEdges(id).length;
    announce.textContent = n.label + ", " + styleOf(n["class"]).label + ", " + links + (links === 1 ? " link" : " links") +
      ". Enter: details.";
  }
  explorer.cursor = function () { return cursor; };
  container.addEventListener("keydown", function (event) {
    if (DIRECTIONS[event.key]) {
      event.preventDefault();
      if (!cursor || !isVisible(cursor)) { var first = selected && isVisible(selected) ? selected : firstNode(); if (first) moveCursor(first); return; }
      var next = step(cursor, DIRECTIONS[event.key]);
      if (next) moveCursor(next); else announce.textContent = "No node that way.";
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!cursor) { var start = firstNode(); if (start) moveCursor(start); return; }
      network.selectNodes([cursor]);
      showDetails(cursor);
      writeHash();
    } else if (event.key === "Escape") {
      event.preventDefault();
      deselect();
      announce.textContent = "Nothing selected.";
      writeHash();
    }
  });

  // ---- the list view: what the picture shows, as tables ---------------------------------------------
  var listView = document.getElementById("list-view");
  var listToggle = document.getElementById("list-toggle");
  function cell(row, content, header) {
    var td = el(header ? "th" : "td");
    if (header) td.setAttribute("scope", "row");
    if (typeof content === "string") td.textContent = content; else td.appendChild(content);
    row.appendChild(td);
  }
  function table(caption, heads) {
    var t = el("table");
    t.appendChild(el("caption", null, caption));
    var head = el("thead");
    var row = el("tr");
    heads.forEach(function (h) { var th = el("th", null, h); th.setAttribute("scope", "col"); row.appendChild(th); });
    head.appendChild(row);
    t.appendChild(head);
    var body = el("tbody");
    t.appendChild(body);
    return { table: t, body: body };
  }
  function showList() {
    clear(listView);
    var nodes = nodeView.get().map(function (v) { return nodeById.get(v.id); });
    nodes.sort(function (a, b) { return a.column - b.column || a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1); });
    var nodeTable = table(nodes.length + " nodes shown", ["Name", "Kind", "Links shown"]);
    nodes.forEach(function (n) {
      var row = el("tr");
      row.setAttribute("data-id", n.id);
      cell(row, nodeButton(n.id), true);
      cell(row, styleOf(n["class"]).label);
      cell(row, String(network.getConnectedEdges(n.id).length));
      nodeTable.body.appendChild(row);
    });
    listView.appendChild(nodeTable.table);
    var edges = edgeView.get().map(function (v) { return data.edges[v.id]; });
    var edgeTable = table(edges.length + " links shown", ["From", "Link", "To"]);
    edges.forEach(function (e) {
      var row = el("tr");
      cell(row, nodeButton(e.from), true);
      cell(row, relationSpan(e));
      cell(row, nodeButton(e.to));
      edgeTable.body.appendChild(row);
    });
    listView.appendChild(edgeTable.table);
  }
  listToggle.addEventListener("click", function () {
    listOpen = !listOpen;
    listToggle.setAttribute("aria-pressed", String(listOpen));
    listToggle.textContent = listOpen ? "Picture view" : "List view";
    listView.hidden = !listOpen;
    if (listOpen) { showList(); listView.focus(); }
  });

  // ---- saving the view as PNG and SVG: drawn from the same positions, in the page -----------------
  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
  }
  function background() {
    var colour = window.getComputedStyle(container).backgroundColor;
    return colour && colour !== "rgba(0, 0, 0, 0)" ? colour : "#ffffff";
  }
  function pngOfView(done) {
    var source = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = background();
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    out.toBlob(done, "image/png");
  }
  function svgEl(tag, attrs, parent) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function labelLines(id) {
    // the lines vis-network wrapped the label into, else the label's own lines
    var body = network.body && network.body.nodes[id];
    var lines = body && body.labelModule && body.labelModule.lines;
    if (lines && lines.length) {
      return lines.map(function (line) { return line.blocks.map(function (b) { return b.text; }).join(""); });
    }
    return String(nodeSet.get(id).label).split("\n");
  }
  function inView(b, view) {
    return b.right >= view.left && b.left <= view.right && b.bottom >= view.top && b.top <= view.bottom;
  }
  function svgOfView() {
    var box = container.getBoundingClientRect();
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var br = network.DOMtoCanvas({ x: box.width, y: box.height });
    var view = { left: tl.x, top: tl.y, right: br.x, bottom: br.y };
    var svg = svgEl("svg", {
      xmlns: SVG_NS, width: Math.round(box.width), height: Math.round(box.height),
      viewBox: [tl.x, tl.y, br.x - tl.x, br.y - tl.y].map(function (v) { return v.toFixed(2); }).join(" ")
    });
    svgEl("title", {}, svg).textContent = document.title;
    svgEl("rect", { x: tl.x, y: tl.y, width: br.x - tl.x, height: br.y - tl.y, fill: background() }, svg);
    var edges = svgEl("g", { "class": "links", fill: "none" }, svg);
    var nodes = svgEl("g", { "class": "nodes" }, svg);
    var shown = new Set();
    nodeView.getIds().forEach(function (id) { if (inView(network.getBoundingBox(id), view)) shown.add(id); });
    edgeView.get().forEach(function (v) {
      if (!shown.has(v.from) && !shown.has(v.to)) return;
      var a = network.getPosition(v.from), b = network.getPosition(v.to);
      var s = EDGE_STYLE[data.edges[v.id].relation] || OTHER_EDGE;
      var attrs = { stroke: s.color, "stroke-width": s.width };
      if (s.dashes) attrs["stroke-dasharray"] = s.dashes.join(" ");
      if (v.smooth && v.smooth.enabled) {
        var mx = (a.x + b.x) / 2 + (b.y - a.y) * 0.35, my = (a.y + b.y) / 2 - (b.x - a.x) * 0.35;
        attrs.d = "M" + a.x + " " + a.y + " Q" + mx + " " + my + " " + b.x + " " + b.y;
        svgEl("path", attrs, edges);
      } else {
        attrs.x1 = a.x; attrs.y1 = a.y; attrs.x2 = b.x; attrs.y2 = b.y;
        svgEl("line", attrs, edges);
      }
    });
    shown.forEach(function (id) {
      var v = nodeSet.get(id);
      var p = network.getPosition(id);
      var b = network.getBoundingBox(id);
      var g = svgEl("g", { "class": "node" }, nodes);
      var fill = v.color.background, stroke = v.color.border, width = v.borderWidth;
      var lines = labelLines(id);
      var size = v.font.size;
      var inside = v.shape === "box" || v.shape === "ellipse";
      if (v.shape === "box") {
        svgEl("rect", { x: b.left, y: b.top, width: b.right - b.left, height: b.bottom - b.top, rx: 5, fill: fill, stroke: stroke, "stroke-width": width }, g);
      } else if (v.shape === "ellipse") {
        svgEl("ellipse", { cx: p.x, cy: p.y, rx: (b.right - b.left) / 2, ry: (b.bottom - b.top) / 2, fill: fill, stroke: stroke, "stroke-width": width }, g);
      } else {
        var r = v.size;
        var shape = v.shape === "square" ? ["rect", { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r }]
          : v.shape === "dot" ? ["circle", { cx: p.x, cy: p.y, r: r }]
          : ["polygon", { points: polygonPoints(v.shape, p, r) }];
        shape[1].fill = fill; shape[1].stroke = stroke; shape[1]["stroke-width"] = width;
        svgEl(shape[0], shape[1], g);
      }
      var text = svgEl("text", {
        x: p.x, "font-size": size, "font-family": "system-ui, sans-serif", "text-anchor": "middle",
        fill: v.font.color
      }, g);
      var first = inside ? p.y - (lines.length - 1) * size * 0.6 + size * 0.35 : p.y + v.size + size;
      lines.forEach(function (line, i) {
        var span = svgEl("tspan", { x: p.x, y: (first + i * size * 1.2).toFixed(2) }, text);
        span.textContent = line;
      });
    });
    return new XMLSerializer().serializeToString(svg);
  }
  function polygonPoints(shape, p, r) {
    var unit = {
      diamond: [[0, -1], [1, 0], [0, 1], [-1, 0]], triangle: [[0, -1], [0.9, 0.8], [-0.9, 0.8]],
      triangleDown: [[-0.9, -0.8], [0.9, -0.8], [0, 1]], hexagon: [[-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0]],
      star: [[0, -1], [0.26, -0.36], [0.95, -0.31], [0.42, 0.14], [0.59, 0.81], [0, 0.45], [-0.59, 0.81], [-0.42, 0.14], [-0.95, -0.31], [-0.26, -0.36]]
    }[shape] || [[0, -1], [1, 0], [0, 1], [-1, 0]];
    return unit.map(function (u) { return (p.x + u[0] * r).toFixed(2) + "," + (p.y + u[1] * r).toFixed(2); }).join(" ");
  }
  explorer.svgOfView = svgOfView;
  document.getElementById("export-png").addEventListener("click", function () {
    pngOfView(function (blob) { save(blob, "irgraph-view.png"); });
  });
  document.getElementById("export-svg").addEventListener("click", function () {
    save(new Blob([svgOfView()], { type: "image/svg+xml" }), "irgraph-view.svg");
  });
  document.getElementById("fit").addEventListener("click", function () { fitView(true); });

  // ---- panels on a phone -----------------------------------------------------------------------
  controlsToggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("controls-open");
    controlsToggle.setAttribute("aria-expanded", String(open));
  });
  detailsToggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("details-open");
    detailsToggle.setAttribute("aria-expanded", String(open));
  });
  document.querySelectorAll("button.close-panel").forEach(function (button) {
    button.addEventListener("click", function () {
      document.body.classList.remove(button.getAttribute("data-panel") + "-open");
      (button.getAttribute("data-panel") === "controls" ? controlsToggle : detailsToggle).setAttribute("aria-expanded", "false");
    });
  });

  apply(false);
  // the first view once the first drawing has measured every label: the address's, else the whole page fitted
  network.once("afterDrawing", function () {
    if (location.hash.length > 1) {
      readHash();
    } else {
      fitView(false);
      if (data.focus && nodeById.has(data.focus)) {
        network.selectNodes([data.focus]);
        showDetails(data.focus);
      }
    }
    explorer.ready = true;
    document.body.setAttribute("data-ready", "true");
  });
})();
