// The hatch: diagonal lines that read without colour (a district that misses its goal, or
// lies outside locked classes). SVG maps get one <pattern>; canvas maps paint the same two
// lines as a canvas pattern between a district's fill and its outline.
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
        if (o._dashArray && o._dashArray.length && ctx.setLineDash) {
          // a marked outline: solid white under its black dashes, so they read on dark fills too
          ctx.setLineDash([]);
          ctx.strokeStyle = "#ffffff";
          ctx.lineCap = o.lineCap;
          ctx.lineJoin = o.lineJoin;
          ctx.stroke();
        }
        if (ctx.setLineDash) { ctx.setLineDash(o._dashArray || []); }
        ctx.strokeStyle = o.color;
        ctx.lineCap = o.lineCap;
        ctx.lineJoin = o.lineJoin;
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

  window.BudgetmapHatch = { Canvas: HatchCanvas, svgPattern: svgPattern };
})();
