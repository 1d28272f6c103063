// The hatch: diagonal lines that read without colour (a district that misses its goal, or
// lies outside locked classes). SVG maps get one <pattern>; canvas maps paint the same two
// lines as a canvas pattern between a district's fill and its outline. Also what SVG maps
// draw over the districts (Overlays: hatching, marked and selected outlines), and the white
// under a marked outline's black dashes.
(function () {
  "use strict";
  var HATCH = [["0", "#1a1a1a", "0.6"], ["2.5", "#ffffff", "0.7"]];  // a dark and a light line

  // --- the canvas renderer: fills, then the hatch as a canvas pattern, then the outline ---
  var HatchCanvas = L.Canvas.extend({
    _fillStroke: function (ctx, layer) {
      var o = layer.options;
      if (o.fill) {
        ctx.globalAlpha = o.fillOpacity;
        ctx.fillStyle = o.fillColor || o.color;
        ctx.fill(o.fillRule || "evenodd");
        if (o.bmHatch) {
          ctx.globalAlpha = 1;
          ctx.fillStyle = this._bmPattern || (this._bmPattern = hatchPattern(ctx));
          ctx.fill(o.fillRule || "evenodd");
        }
      }
      if (o.stroke && o.weight !== 0) {
        ctx.globalAlpha = o.opacity;
        ctx.lineWidth = o.weight;
        ctx.lineCap = o.lineCap;
        ctx.lineJoin = o.lineJoin;
        if (o._dashArray && o._dashArray.length && ctx.setLineDash) {
          // a marked outline: solid white under its black dashes, so they read on dark fills too
          ctx.setLineDash([]);
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        }
        if (ctx.setLineDash) { ctx.setLineDash(o._dashArray || []); }
        ctx.strokeStyle = o.color;
        ctx.stroke();
      }
    }
  });

  function hatchPattern(ctx) {
    // the SVG pattern's two lines, rotated 45 degrees, on a 9 px tile
    var tile = document.createElement("canvas");
    tile.width = tile.height = 9;
    var t = tile.getContext("2d");
    t.translate(4.5, 4.5);
    t.rotate(Math.PI / 4);
    HATCH.forEach(function (line) {
      t.globalAlpha = Number(line[2]);
      t.fillStyle = line[1];
      for (var k = -2; k <= 2; k++) { t.fillRect(Number(line[0]) - 4.5 + k * 9, -13, 2.5, 26); }
    });
    return ctx.createPattern(tile, "repeat");
  }

  function svgPattern(map) {
    // one SVG <pattern> in Leaflet's overlay <svg>: diagonal lines that read without colour
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#bm-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs"), pattern = document.createElementNS(ns, "pattern");
    [["id", "bm-hatch"], ["patternUnits", "userSpaceOnUse"], ["width", "9"], ["height", "9"],
     ["patternTransform", "rotate(45)"]].forEach(function (a) { pattern.setAttribute(a[0], a[1]); });
    HATCH.forEach(function (spec) {
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

  function gapDashes(dash) {
    // the dash pattern shifted by one entry, so white falls exactly where the black dashes leave gaps
    // (an odd-length pattern is doubled first, as SVG and canvas repeat it)
    var d = String(dash).trim().split(/[\s,]+/).map(Number);
    if (d.length % 2) { d = d.concat(d); }
    var total = d.reduce(function (a, b) { return a + b; }, 0);
    return { dashArray: d.slice(1).concat(d.slice(0, 1)).join(" "), dashOffset: String(total - d[0]) };
  }

  // --- SVG: click-through copies over the districts' paths, kept in the order asked for ---
  function Overlays(map, renderer) {
    this.map = map;
    this.renderer = renderer;
    this.copies = {};  // "h7" (hatch), "o7" (outline), "g7" (white gaps) -> polygon
    this.focused = null;  // the district whose path has keyboard focus
  }
  var CLASSES = { h: "bm-hatch-copy", o: "bm-outline", g: "bm-gaps" };

  Overlays.prototype.update = function (layers, wanted) {
    // wanted: [kind, district index, style] in drawing order; copies not wanted are removed
    var keep = {}, self = this;
    wanted.forEach(function (w) {
      var key = w[0] + w[1], copy = self.copies[key];
      if (copy) {
        copy.setStyle(w[2]);
      } else {
        copy = L.polygon(layers[w[1]].getLatLngs(), L.extend({
          renderer: self.renderer, interactive: false, smoothFactor: 0.5, className: CLASSES[w[0]]
        }, w[2])).addTo(self.map);
        copy.bmIndex = w[1];
      }
      keep[key] = copy;
    });
    Object.keys(this.copies).forEach(function (key) { if (!keep[key]) { self.copies[key].remove(); } });
    this.copies = keep;
    wanted.forEach(function (w) { keep[w[0] + w[1]].bringToFront(); });
    svgPattern(this.map);
    this.focus(this.focused);
  };

  Overlays.prototype.focus = function (index) {
    // a focused district's outline copies step aside, so its focus ring (map.css) shows whole
    var copies = this.copies;
    this.focused = index;
    Object.keys(copies).forEach(function (key) {
      var el = key.charAt(0) !== "h" && copies[key].getElement();
      if (el) { el.style.display = copies[key].bmIndex === index ? "none" : ""; }
    });
  };

  Overlays.prototype.setLatLngs = function (latlngs) {
    var copies = this.copies;
    Object.keys(copies).forEach(function (key) { copies[key].setLatLngs(latlngs[copies[key].bmIndex]); });
  };

  Overlays.prototype.clear = function () {
    var copies = this.copies;
    Object.keys(copies).forEach(function (key) { copies[key].remove(); });
    this.copies = {};
  };

  window.BudgetmapHatch = { Canvas: HatchCanvas, svgPattern: svgPattern, gapDashes: gapDashes, Overlays: Overlays };
})();
