// Reads a layer's shapes as budgetmap.render.geopack wrote them: a JSON header, then
// one binary band per zoom band (zigzag varint steps on a 1e5 grid). Fetched once per
// layer as static files, or read from the arguments when they travel inline.
(function () {
  "use strict";

  function bytesOfBase64(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function fetchOk(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("map file " + response.status); }
      return response;
    });
  }

  function header(geometry) {
    if (geometry.header) { return Promise.resolve(geometry.header); }
    return fetchOk(geometry.files + "geo-" + geometry.key + ".json").then(function (r) { return r.json(); });
  }

  function fileBytes(geometry, name) {
    return fetchOk(geometry.files + name).then(function (r) { return r.arrayBuffer(); })
      .then(function (buffer) { return new Uint8Array(buffer); });
  }

  function bandBytes(geometry, head, index) {
    var band = head.bands[index];
    if (band.data) { return Promise.resolve(bytesOfBase64(band.data)); }
    return fileBytes(geometry, band.file);
  }

  // the first band's bytes without waiting for the header: its file name is known from the key
  // (budgetmap.render.mapfiles.band_name); null when the geometry travels inline
  function firstBand(geometry) {
    if (geometry.header) { return Promise.resolve(null); }
    return fileBytes(geometry, "geo-" + geometry.key + "-0.bin");
  }

  // district -> Leaflet latlngs: [ring, hole, ...] for one part, [[ring, ...], [ring, ...]] for several
  function decode(head, bytes) {
    var pos = 0;
    function next() {
      var value = 0, scale = 1, b;
      do { b = bytes[pos++]; value += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
      return value;
    }
    function signed(v) { return v % 2 ? -(v + 1) / 2 : v / 2; }
    var n = head.ids.length, q = head.quantisation - 1, box = head.bbox;
    var sx = (box[2] - box[0]) / q, sy = (box[3] - box[1]) / q;
    var parts = [], rings = [], points = [], i, totalParts = 0, totalRings = 0;
    for (i = 0; i < n; i++) { parts.push(next()); totalParts += parts[i]; }
    for (i = 0; i < totalParts; i++) { rings.push(next()); totalRings += rings[i]; }
    for (i = 0; i < totalRings; i++) { points.push(next()); }
    var x = 0, y = 0, r = 0, p = 0, out = new Array(n);
    for (var d = 0; d < n; d++) {
      var shape = [];
      for (var a = 0; a < parts[d]; a++) {
        var part = [];
        for (var b = 0; b < rings[r]; b++) {
          var ring = new Array(points[p]);
          for (var k = 0; k < points[p]; k++) {
            x += signed(next());
            y += signed(next());
            ring[k] = [box[1] + y * sy, box[0] + x * sx];
          }
          part.push(ring);
          p += 1;
        }
        r += 1;
        shape.push(part);
      }
      out[d] = shape.length === 1 ? shape[0] : shape;
    }
    return out;
  }

  // which band serves a zoom that is `past` levels beyond the fitted view
  function bandFor(head, past) {
    for (var i = 0; i < head.bands.length; i++) {
      var top = head.bands[i].max_zoom;
      if (top === null || top === undefined || past <= top) { return i; }
    }
    return head.bands.length - 1;
  }

  function band(geometry, head, index) {
    return bandBytes(geometry, head, index).then(function (bytes) { return decode(head, bytes); });
  }

  window.BudgetmapGeometry = { header: header, band: band, bandFor: bandFor, decode: decode, firstBand: firstBand };
})();
