// Bootstrap of the standalone map file (budgetmap/render/standalone.py).
// map.js speaks the Streamlit component protocol; here this page plays Streamlit:
// it reads the JSON embedded in the page, hands map.js one render message, and
// re-renders with the new selection when map.js reports a click. Around the map it
// draws the title, legend, notes and the selected district's figures.
// Every piece of data text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("bm-data").textContent);
  var args = data.args, page = data.page;
  var byId = {};
  page.districts.forEach(function (d) { byId[d.id] = d; });

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function setText(id, text) { document.getElementById(id).textContent = text || ""; }

  function legend() {
    var box = document.getElementById("bm-legend");
    page.legend.forEach(function (entry) {
      var row = add(box, "div", null, "bm-legend-row");
      row.setAttribute("role", "listitem");
      row.setAttribute("data-kind", entry.kind);
      if (entry.kind === "mark") { row.setAttribute("data-mark", entry.pattern); }
      var swatch = add(row, "span", null, "bm-swatch" + (entry.pattern === "hatch" ? " bm-hatch" : ""));
      swatch.style.backgroundColor = entry.fill;  // CSSOM: an invalid colour is ignored, never parsed as markup
      add(row, "span", entry.label);
      add(row, "span", "(" + entry.count + ")", "bm-count");
    });
  }

  function detail(id) {
    var box = document.getElementById("bm-detail");
    box.textContent = "";
    var d = id && byId[id];
    if (!d) { add(box, "p", "Click a district on the map to see its figures."); return; }
    add(box, "p", d.name, "bm-name");
    var list = add(box, "dl");
    d.details.forEach(function (pair) { add(list, "dt", pair[0]); add(list, "dd", pair[1]); });
  }

  function table() {
    var t = document.getElementById("bm-table");
    var head = add(add(t, "thead"), "tr");
    ["District", page.measure_label, "Rank"].forEach(function (h) { add(head, "th", h); });
    var body = add(t, "tbody");
    page.districts.slice().sort(function (a, b) {
      return (a.rank === null ? Infinity : a.rank) - (b.rank === null ? Infinity : b.rank);
    }).forEach(function (d) {
      var tr = add(body, "tr");
      add(tr, "td", d.name); add(tr, "td", d.label); add(tr, "td", d.rank === null ? "—" : d.rank);
    });
  }

  function render() {
    window.dispatchEvent(new MessageEvent("message", {
      data: { type: "streamlit:render", args: args }, source: window
    }));
  }

  // map.js posts its value to window.parent, which for a page opened on its own is this window.
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source !== window || !msg || msg.type !== "streamlit:setComponentValue" || !msg.value) { return; }
    var id = msg.value.selected || null;
    if (id === (args.selected || null)) { return; }
    args.selected = id;
    detail(id);
    render();
  });

  document.title = page.title;
  setText("bm-title", page.title);
  setText("bm-subtitle", page.subtitle);
  setText("bm-legend-title", page.measure_label);
  legend();
  table();
  var notes = document.getElementById("bm-notes");
  page.notes.forEach(function (note) { add(notes, "p", note, "bm-note"); });
  setText("bm-reconciliation", page.reconciliation ? "Reconciliation: " + page.reconciliation : "");
  setText("bm-source", [page.source ? "Source: " + page.source : "", page.as_of ? "Data as of " + page.as_of : ""]
    .filter(Boolean).join(" · "));
  detail(args.selected);
  args.height = Math.max(360, Math.round(window.innerHeight * 0.72));
  render();
})();
