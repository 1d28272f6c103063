// The budgetmap district map: a Streamlit component (protocol v1) over Leaflet.
// Python decides every colour and every word; this file only draws them. Shapes come
// once per layer as static files (geometry.js); a repaint brings one palette letter per
// district, the hatched and outlined few, and the name of a file with the map's words.
// Up to a few thousand districts each is an SVG path (a tab stop with its name); above
// that they are drawn on one canvas, chosen from a search box by keyboard.
// Data text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  var G = window.BudgetmapGeometry;
  var map = null, group = null, layers = [], ids = [], indexOf = {}, head = null, bandIndex = -1;
  var geometryKey = null, builtKey = null, loading = null, renderer = null, kind = null, fitZoom = 0;
  var current = null, selected = null, clicks = 0, lastHeight = 0, paintSeq = 0, paintReported = false;
  var text = null, textName = null, textLoading = null, tip = null, overlays = null, orderKey = null;
  var basemapLayer = null, basemapUrl = null, pointsKey = null, finder = null;
  var nonce = Math.random().toString(36).slice(2);  // tells Python a remounted map from the old one

  function send(type, extra) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, extra || {}), "*");
  }

  function report() {
    send("streamlit:setComponentValue", {
      value: { selected: selected, clicks: clicks, nonce: nonce, painted: paintReported }, dataType: "json"
    });
  }

  function reportPaint() {
    // a session's first screen waits for this to draw the rest of the page (ui/first_paint.py);
    // sent once, after the first paint, after a failure to load, or after 8 s whatever happened
    if (paintReported || !current || !current.report_paint) { return; }
    paintReported = true;
    document.body.setAttribute("data-first-screen", "reported");  // for tests: the first screen happened
    report();
  }

  function choose(id) { selected = id; clicks += 1; report(); }

  // --- what each district looks like, from the arguments' arrays -------------------------
  function fillOf(i, args) {
    var letter = args.fills.charAt(i);
    return letter === "~" ? "#bdbdbd" : args.palette["0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".indexOf(letter)];
  }

  function markAt(args) {
    // district index -> [dash, width, names] of its outline mark; args.marks lists each style once
    if (!args.bmMarkAt) {
      args.bmMarkAt = {};
      args.marks.forEach(function (m) { m[3].forEach(function (i) { args.bmMarkAt[i] = m; }); });
    }
    return args.bmMarkAt;
  }

  function hatched(args) {
    var set = {};
    args.hatch.forEach(function (i) { set[i] = true; });
    return set;
  }

  function restWeight(i) {
    var mark = current && markAt(current)[i];
    // outlines thin with the districts' size (outline_weight), the marks' with them, but stay visible
    var base = current ? current.outline_weight : 1;
    return ids[i] === selected ? 4 : (mark ? mark[1] * Math.max(base, 0.35) : base);
  }

  function styleFor(i, args, hatch) {
    // an outlier or small-numbers district keeps its dashed or dotted outline, selected or not
    var isSel = ids[i] === selected, mark = markAt(args)[i];
    return {
      fillColor: fillOf(i, args), fillOpacity: 0.85, bmHatch: !!hatch[i],
      color: isSel || mark ? "#000000" : args.outline, opacity: 1,
      weight: restWeight(i), dashArray: mark ? mark[0] : null, lineCap: mark ? "butt" : "round"
    };
  }

  function overlayList(args, hatch, sel) {
    // what the SVG copies draw over the districts, in order (BudgetmapHatch.Overlays): the hatching,
    // each marked outline (black dashes, white in their gaps), and the selected outline over all
    var marks = markAt(args), list = [];
    args.hatch.forEach(function (i) {
      list.push(["h", i, { stroke: false, fillColor: "url(#bm-hatch)", fillOpacity: 1 }]);
    });
    var outlined = Object.keys(marks).map(Number).filter(function (i) { return i !== sel; });
    if (sel !== undefined) { outlined.push(sel); }
    outlined.forEach(function (i) {
      var mark = marks[i], weight = restWeight(i);
      list.push(["o", i, { fill: false, color: "#000000", opacity: 1, weight: weight,
                           dashArray: mark ? mark[0] : null, lineCap: mark ? "butt" : "round" }]);
      if (mark) {
        var gaps = window.BudgetmapHatch.gapDashes(mark[0]);
        list.push(["g", i, { fill: false, color: "#ffffff", opacity: 1, weight: weight, lineCap: "butt",
                             dashArray: gaps.dashArray, dashOffset: gaps.dashOffset }]);
      }
    });
    return list;
  }

  function canvasOrder(args, sel) {
    // canvas: marked outlines drawn after their neighbours' fills (whole width, not half), the selected
    // one last; reordered only when the marks or the selection change, since each move redraws
    var marked = Object.keys(markAt(args)), key = marked.join() + "|" + sel;
    if (key === orderKey) { return; }
    orderKey = key;
    marked.forEach(function (i) { layers[i].bringToFront(); });
    if (sel !== undefined) { layers[sel].bringToFront(); }
  }

  // --- the map's words: fetched once per map view, when first needed ---------------------
  function loadText(args) {
    var t = args.text, name = t.name || null;
    if (t.inline) { text = t.inline; textName = name; return Promise.resolve(text); }
    if (name === textName && text) { return Promise.resolve(text); }
    if (name === textName && textLoading) { return textLoading; }
    textName = name;
    text = null;
    textLoading = fetch(args.geometry.files + name, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (content) { if (textName === name) { text = content; } return content; });
    return textLoading;
  }

  function tooltipNode(rows) {
    var box = document.createElement("div");
    box.className = "bm-tip";
    var name = document.createElement("span");
    name.className = "bm-name";
    name.textContent = rows[0];
    box.appendChild(name);
    for (var i = 1; i < rows.length; i++) {
      var line = document.createElement("div"), key = document.createElement("span");
      var val = document.createElement("span");
      key.className = "bm-key";
      key.textContent = rows[i][0] + ": ";
      val.textContent = rows[i][1];
      line.appendChild(key);
      line.appendChild(val);
      box.appendChild(line);
    }
    return box;
  }

  function showTip(i, latlng) {
    var args = current;
    loadText(args).then(function (words) {
      if (args !== current || !words.tips[i]) { return; }
      if (!tip) { tip = L.tooltip({ sticky: true, direction: "auto", offset: [12, 0] }); }
      tip.setContent(tooltipNode(words.tips[i])).setLatLng(latlng);
      if (!map.hasLayer(tip)) { map.openTooltip(tip); }
      tip.bmIndex = i;
    });
  }

  function hideTip(i) {
    if (tip && tip.bmIndex === i) { map.closeTooltip(tip); tip.bmIndex = null; }
  }

  // --- building the layer, and choosing a zoom band ---------------------------------------
  function build(latlngs, args) {
    if (group) { group.remove(); }
    if (overlays) { overlays.clear(); }
    kind = args.renderer;
    builtKey = geometryKey;
    orderKey = null;
    renderer = kind === "canvas" ? new window.BudgetmapHatch.Canvas({ padding: 0.3, tolerance: 2 }) : L.svg();
    overlays = kind === "svg" ? new window.BudgetmapHatch.Overlays(map, renderer) : null;
    layers = latlngs.map(function (ll, i) {
      var lyr = L.polygon(ll, { renderer: renderer, smoothFactor: 0.5 });
      lyr.bmIndex = i;
      return lyr;
    });
    group = L.featureGroup(layers).addTo(map);
    group.on("click", function (e) { choose(ids[e.propagatedFrom.bmIndex]); });
    group.on("mouseover", function (e) {
      var i = e.propagatedFrom.bmIndex;
      e.propagatedFrom.setStyle({ weight: ids[i] === selected ? 4 : Math.max(3, restWeight(i) + 1) });
      showTip(i, e.latlng);
    });
    group.on("mousemove", function (e) { if (tip && map.hasLayer(tip)) { tip.setLatLng(e.latlng); } });
    group.on("mouseout", function (e) {
      var i = e.propagatedFrom.bmIndex;
      e.propagatedFrom.setStyle({ weight: restWeight(i) });
      hideTip(i);
    });
    if (kind === "svg") {
      layers.forEach(function (lyr, i) {
        var el = lyr.getElement();
        el.setAttribute("data-district", ids[i]);
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "button");
      });
      var pane = map.getPanes().overlayPane;
      pane.onfocusin = function (ev) {
        var id = ev.target.getAttribute && ev.target.getAttribute("data-district");
        if (overlays) { overlays.focus(id ? indexOf[id] : null); }
      };
      pane.onfocusout = function () { if (overlays) { overlays.focus(null); } };
      pane.onkeydown = function (ev) {
        var id = ev.target.getAttribute && ev.target.getAttribute("data-district");
        if (id && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); choose(id); }
      };
    } else {
      var canvas = map.getPanes().overlayPane.querySelector("canvas");
      if (canvas) {
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", "Map of " + ids.length.toLocaleString("en-US") +
          " districts; use Find a district to choose one");
      }
    }
    if (kind === "canvas") { addFinder(); } else if (finder) { finder.remove(); finder = null; }
    pointsKey = null;  // new shapes are drawn over the dots: draw the dots again on top
  }

  function refine() {
    // zoomed in past what this band shows well: fetch the next band and swap the shapes in
    if (!head || loading) { return; }
    var want = G.bandFor(head, map.getZoom() - fitZoom);
    if (want <= bandIndex) { return; }
    var key = geometryKey, args = current;
    loading = G.band(args.geometry, head, want).then(function (latlngs) {
      loading = null;
      if (key !== geometryKey) { return; }
      bandIndex = want;
      latlngs.forEach(function (ll, i) { layers[i].setLatLngs(ll); });
      if (overlays) { overlays.setLatLngs(latlngs); }
      document.body.setAttribute("data-band", String(bandIndex));
    });
  }

  function load(args) {
    var key = args.geometry.key;
    geometryKey = key;
    // the header and the fitted view's band (always band 0) are fetched side by side
    var first = G.firstBand(args.geometry);
    loading = Promise.all([G.header(args.geometry), first]).then(function (got) {
      var h = got[0];
      if (key !== geometryKey) { return null; }
      head = h;
      ids = h.ids;
      indexOf = {};
      ids.forEach(function (id, i) { indexOf[id] = i; });
      map.fitBounds(args.bounds);
      fitZoom = map.getZoom();
      bandIndex = G.bandFor(h, 0);
      return bandIndex === 0 && got[1] ? G.decode(h, got[1]) : G.band(args.geometry, h, bandIndex);
    }).then(function (latlngs) {
      loading = null;
      if (!latlngs || key !== geometryKey) { return; }
      build(latlngs, current);
      document.body.setAttribute("data-band", String(bandIndex));
      paint(current);
    }).catch(function (err) {
      loading = null;
      document.body.setAttribute("data-error", String(err && err.message || err));
      reportPaint();
    });
  }

  // --- painting ----------------------------------------------------------------------------
  function paint(args) {
    // SVG: fills and accessible names change together, once this view's words are here (a local
    // fetch of a few KB); canvas maps paint at once and fetch the words when they are needed
    document.body.removeAttribute("data-painted");
    if (kind !== "svg") { paintNow(args, null); return; }
    var failed = function () { if (args === current) { paintNow(args, null); } };
    loadText(args).then(function (words) { if (args === current) { paintNow(args, words); } }, failed);
  }

  function paintNow(args, words) {
    var hatch = hatched(args);
    var common = "|" + args.palette.join() + "|" + args.outline + args.outline_weight;
    layers.forEach(function (lyr, i) {
      // restyle only what changed: a repaint of 70,000 districts often changes a few
      var mark = markAt(args)[i], look = args.fills.charAt(i) + (hatch[i] ? "h" : "") +
        (ids[i] === selected ? "s" : "") + (mark ? mark[0] + mark[1] + mark[2] : "") + common;
      if (lyr.bmLook !== look) { lyr.setStyle(styleFor(i, args, hatch)); lyr.bmLook = look; }
    });
    if (kind === "svg") {
      layers.forEach(function (lyr, i) {
        var el = lyr.getElement();
        el.setAttribute("data-fill", fillOf(i, args));
        el.setAttribute("aria-pressed", ids[i] === selected ? "true" : "false");
        el.setAttribute("data-pattern", hatch[i] ? "hatch" : "");
        el.setAttribute("data-marks", (markAt(args)[i] || [])[2] || "");
        el.setAttribute("aria-label", (words && words.labels[i]) || ids[i]);
      });
    }
    // the districts' own SVG paths never move (Tab walks them in the same order on every repaint):
    // hatching and the marked and selected outlines are click-through copies drawn over them
    var sel = selected !== null ? indexOf[selected] : undefined;
    if (kind === "svg") { overlays.update(layers, overlayList(args, hatch, sel)); } else { canvasOrder(args, sel); }
    pointsKey = window.BudgetmapPoints(map, args.points, pointsKey);
    finished();
  }

  function finished() {
    document.body.setAttribute("data-painted", String(Date.now()));
    // renderer-neutral hooks: how many districts are drawn, and a counter per finished paint
    document.body.setAttribute("data-drawn", String(layers.length));
    document.body.setAttribute("data-renderer", kind || "");
    paintSeq += 1;
    document.body.setAttribute("data-paint-seq", String(paintSeq));
    // after the browser has shown this frame, so the rest of the page never delays it
    if (current && current.report_paint && !paintReported) { requestAnimationFrame(function () { setTimeout(reportPaint, 0); }); }
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

  function reveal(bounds) {
    // bring a chosen district into view: zoom in only when it is too small to see or click
    var a = map.latLngToContainerPoint(bounds.getNorthWest()), b = map.latLngToContainerPoint(bounds.getSouthEast());
    if (Math.min(Math.abs(b.x - a.x), Math.abs(b.y - a.y)) < 24) { map.fitBounds(bounds.pad(4)); }
    else if (!map.getBounds().contains(bounds)) { map.panTo(bounds.getCenter()); }
  }

  function addFinder() {
    if (finder || !window.BudgetmapFinder) { return; }
    finder = window.BudgetmapFinder(map, {
      words: function () { return loadText(current); },
      ids: function () { return ids; },
      choose: function (i) {
        choose(ids[i]);
        reveal(layers[i].getBounds());
      },
      show: function (i) { showTip(i, layers[i].getBounds().getCenter()); }
    });
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
      if (args.report_paint) { setTimeout(reportPaint, 8000); }
      map = L.map(el, { zoomSnap: 0.25, attributionControl: !!args.basemap });
      map.fitBounds(args.bounds);
      map.on("zoomend", refine);
      window.budgetmapMap = hooks();
    }
    setBasemap(args);
    selected = args.selected || null;
    if (geometryKey !== args.geometry.key) {
      if (args.renderer === "svg") { loadText(args); }  // the words travel while the shapes do
      load(args);
      return;
    }
    if (builtKey !== geometryKey) { return; }  // this layer's shapes are on their way: they paint `current`
    paint(args);
    map.invalidateSize();
  }

  function hooks() {
    // for tests and benchmarks: what each district shows, whichever renderer draws it
    function at(id) { var i = indexOf[id]; if (i === undefined) { throw new Error("no district " + id); } return i; }
    return {
      renderer: function () { return kind; },
      ids: function () { return ids.slice(); },
      fill: function (id) { return fillOf(at(id), current); },
      pattern: function (id) { return hatched(current)[at(id)] ? "hatch" : ""; },
      marks: function (id) { return (markAt(current)[at(id)] || [])[2] || ""; },
      label: function (id) { return loadText(current).then(function (w) { return w.labels[at(id)]; }); },
      point: function (id) {
        // a container pixel inside the district, for a test to hover or click
        var lyr = layers[at(id)], b = lyr._pxBounds, size = map.getSize();
        for (var n = 1; n <= 17; n += 2) {
          for (var a = 1; a <= n; a++) {
            for (var c = 1; c <= n; c++) {
              var p = L.point(b.min.x + (b.max.x - b.min.x) * a / (n + 1), b.min.y + (b.max.y - b.min.y) * c / (n + 1));
              var q = map.layerPointToContainerPoint(p);
              if (q.x > 2 && q.y > 2 && q.x < size.x - 2 && q.y < size.y - 2 && lyr._containsPoint(p)) { return [q.x, q.y]; }
            }
          }
        }
        return null;
      }
    };
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }  // only the hosting page may draw this map
    if (event.data && event.data.type === "streamlit:render") { render(event.data.args); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
