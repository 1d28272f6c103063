// The budgetmap district map: a Streamlit component (protocol v1) over Leaflet.
// Python decides every colour and every word; this file only draws them.
// Data text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  var map = null, layer = null, hatch = null, geometryKey = null, byId = {}, hatchById = {}, selected = null;
  var current = null;  // the last render's args: hover restores each district's own outline from them
  var clicks = 0, lastHeight = 0, basemapLayer = null, basemapUrl = null, points = null, pointsKey = null;
  var nonce = Math.random().toString(36).slice(2);  // tells Python a remounted map from the old one
  var paintSeq = 0;  // test and benchmark hook: body[data-paint-seq] grows by one per finished paint

  function send(type, extra) {
    var msg = Object.assign({ isStreamlitMessage: true, type: type }, extra || {});
    window.parent.postMessage(msg, "*");
  }

  function tooltipNode(rows) {
    var box = document.createElement("div");
    box.className = "bm-tip";
    var name = document.createElement("span");
    name.className = "bm-name";
    name.textContent = rows[0];
    box.appendChild(name);
    for (var i = 1; i < rows.length; i++) {
      var line = document.createElement("div");
      var key = document.createElement("span");
      key.className = "bm-key";
      key.textContent = rows[i][0] + ": ";
      var val = document.createElement("span");
      val.textContent = rows[i][1];
      line.appendChild(key);
      line.appendChild(val);
      box.appendChild(line);
    }
    return box;
  }

  function styleFor(id, args) {
    // an outlier or small-numbers district keeps its dashed or dotted outline, selected or not
    var isSel = id === selected, mark = (args.marks || {})[id];
    return {
      fillColor: args.styles[id] || "#bdbdbd", fillOpacity: 0.85,
      color: isSel || mark ? "#000000" : args.outline, opacity: 1,
      weight: isSel ? 4 : (mark ? mark[1] : 1), dashArray: mark ? mark[0] : null, lineCap: mark ? "butt" : "round"
    };
  }

  function restWeight(id) {
    var mark = current && (current.marks || {})[id];
    return id === selected ? 4 : (mark ? mark[1] : 1);
  }

  function report() {
    // what Python needs to know: the selection, a click counter, which shapes we hold
    send("streamlit:setComponentValue", {
      value: { selected: selected, clicks: clicks, have: geometryKey, nonce: nonce }, dataType: "json"
    });
  }

  function choose(id) {
    selected = id;
    clicks += 1;
    report();
  }

  function ensureHatchPattern() {
    // one SVG <pattern> in Leaflet's overlay <svg>: diagonal lines that read without colour
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#bm-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "bm-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "9");
    pattern.setAttribute("height", "9");
    pattern.setAttribute("patternTransform", "rotate(45)");
    // a dark line beside a light one, so the hatch shows on pale and on dark fills alike
    [["0", "#1a1a1a", "0.6"], ["2.5", "#ffffff", "0.7"]].forEach(function (spec) {
      var line = document.createElementNS(ns, "rect");
      line.setAttribute("x", spec[0]);
      line.setAttribute("width", "2.5");
      line.setAttribute("height", "9");
      line.setAttribute("fill", spec[1]);
      line.setAttribute("fill-opacity", spec[2]);
      pattern.appendChild(line);
    });
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function buildHatch(args) {
    // a second, click-through copy of the shapes that only ever carries the pattern
    if (hatch) { hatch.remove(); }
    hatchById = {};
    hatch = L.geoJSON(args.geometry, {
      interactive: false,
      style: function () { return { stroke: false, fillColor: "url(#bm-hatch)", fillOpacity: 0 }; },
      onEachFeature: function (feature, lyr) { hatchById[feature.properties.id] = lyr; }
    }).addTo(map);
    ensureHatchPattern();
  }

  function build(args) {
    if (layer) { layer.remove(); }
    byId = {};
    layer = L.geoJSON(args.geometry, {
      onEachFeature: function (feature, lyr) {
        var id = feature.properties.id;
        byId[id] = lyr;
        lyr.on("click", function () { choose(id); });
        lyr.on("mouseover", function () { lyr.setStyle({ weight: id === selected ? 4 : Math.max(3, restWeight(id) + 1) }); });
        lyr.on("mouseout", function () { lyr.setStyle({ weight: restWeight(id) }); });
        lyr.on("add", function () {
          var el = lyr.getElement && lyr.getElement();
          if (!el) { return; }
          el.setAttribute("data-district", id);
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "button");
          el.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); choose(id); }
          });
        });
      }
    }).addTo(map);
    buildHatch(args);
    geometryKey = args.geometry_key;
    pointsKey = null;  // new shapes are drawn over the dots: draw the dots again on top
  }

  function restyle(args) {
    Object.keys(byId).forEach(function (id) {
      var lyr = byId[id];
      lyr.setStyle(styleFor(id, args));
      lyr.unbindTooltip();
      if (args.tooltips[id]) { lyr.bindTooltip(tooltipNode(args.tooltips[id]), { sticky: true }); }
      var el = lyr.getElement && lyr.getElement();
      if (el) {
        el.setAttribute("aria-label", args.labels[id] || id);
        el.setAttribute("data-fill", args.styles[id] || "");
        el.setAttribute("aria-pressed", id === selected ? "true" : "false");
        el.setAttribute("data-pattern", (args.patterns || {})[id] || "");
        el.setAttribute("data-marks", ((args.marks || {})[id] || [])[2] || "");
      }
      var h = hatchById[id];
      if (h) { h.setStyle({ fillOpacity: (args.patterns || {})[id] === "hatch" ? 1 : 0 }); }
    });
    if (selected && byId[selected]) {
      var focused = document.activeElement;  // bringToFront moves the node, which drops focus
      byId[selected].bringToFront();
      if (focused && focused !== document.activeElement && focused.focus) { focused.focus(); }
    }
    if (hatch) { hatch.bringToFront(); }  // the pattern stays visible on the selected district too
  }

  function drawPoints(args) {
    // located line items (projects): small dots over the districts, labelled as text
    var wanted = JSON.stringify(args.points || []);
    if (wanted === pointsKey) { return; }
    if (points) { points.remove(); points = null; }
    pointsKey = wanted;
    if (!args.points || !args.points.length) { return; }
    points = L.layerGroup(args.points.map(function (p) {
      var dot = L.circleMarker([p[0], p[1]], { radius: 5, color: "#1a1a1a", weight: 1.5, fillColor: "#ffd92f",
                                              fillOpacity: 1, bubblingMouseEvents: false });
      var tip = document.createElement("span");
      tip.textContent = p[2];
      dot.bindTooltip(tip);
      dot.on("add", function () {
        var node = dot.getElement && dot.getElement();
        if (node) { node.setAttribute("data-point", p[2]); node.setAttribute("aria-label", p[2]); }
      });
      return dot;
    })).addTo(map);
  }

  function setBasemap(args) {
    var url = args.basemap ? args.basemap.url : null;
    if (url === basemapUrl) { return; }
    if (basemapLayer) { basemapLayer.remove(); basemapLayer = null; }
    if (url) {
      basemapLayer = L.tileLayer(url, { attribution: args.basemap.attribution || "" }).addTo(map);
      basemapLayer.bringToBack();
    }
    basemapUrl = url;
  }

  function render(args) {
    current = args;
    var el = document.getElementById("map");
    if (args.height !== lastHeight) {
      el.style.height = args.height + "px";
      lastHeight = args.height;
      send("streamlit:setFrameHeight", { height: args.height });
    }
    if (!map) {
      map = L.map(el, { preferCanvas: false, zoomSnap: 0.25, attributionControl: !!args.basemap });
      map.fitBounds(args.bounds);
    }
    setBasemap(args);
    selected = args.selected || null;
    if (geometryKey !== args.geometry_key) {
      if (!args.geometry) { geometryKey = null; report(); return; }  // ask for the shapes
      build(args);
      map.fitBounds(args.bounds);
      report();  // tell Python we hold these shapes now
    }
    restyle(args);
    drawPoints(args);
    document.body.setAttribute("data-painted", String(Date.now()));
    // renderer-neutral hooks: how many districts are drawn, and a counter per finished paint
    document.body.setAttribute("data-drawn", String(Object.keys(byId).length));
    paintSeq += 1;
    document.body.setAttribute("data-paint-seq", String(paintSeq));
    map.invalidateSize();
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }  // only the hosting page may draw this map
    if (event.data && event.data.type === "streamlit:render") { render(event.data.args); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
