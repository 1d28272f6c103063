// Located line items (capital projects): small dots over the districts, labelled as text.
(function () {
  "use strict";
  var layer = null;

  // draws the dots unless they are the ones drawn already; returns what is drawn now
  window.BudgetmapPoints = function (map, wanted, drawnKey) {
    var key = JSON.stringify(wanted || []);
    if (key === drawnKey) { return drawnKey; }
    if (layer) { layer.remove(); layer = null; }
    if (!wanted || !wanted.length) { return key; }
    layer = L.layerGroup(wanted.map(function (p) {
      var dot = L.circleMarker([p[0], p[1]], { radius: 5, color: "#1a1a1a", weight: 1.5, fillColor: "#ffd92f",
                                              fillOpacity: 1, bubblingMouseEvents: false });
      var label = document.createElement("span");
      label.textContent = p[2];
      dot.bindTooltip(label);
      dot.on("add", function () {
        var node = dot.getElement && dot.getElement();
        if (node) { node.setAttribute("data-point", p[2]); node.setAttribute("aria-label", p[2]); }
      });
      return dot;
    })).addTo(map);
    return key;
  };
})();
