// "Find a district": the keyboard's way into a canvas map, where 70,000 districts cannot
// each be a tab stop. A search box over the districts' names; arrow keys move through
// the matches (each shown on the map as it is reached), Enter chooses one.
// Names are inserted with textContent, never as HTML.
(function () {
  "use strict";
  var MAX = 8;

  window.BudgetmapFinder = function (map, hooks) {
    var control = L.control({ position: "topright" });
    var input, list, status, matches = [], active = -1;

    function option(i, n) {
      var li = document.createElement("li");
      li.id = "bm-find-" + n;
      li.setAttribute("role", "option");
      li.setAttribute("data-index", String(i));
      li.setAttribute("aria-selected", "false");
      return li;
    }

    function mark(n) {
      active = n;
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute("aria-selected", k === n ? "true" : "false");
      });
      if (n >= 0) { input.setAttribute("aria-activedescendant", "bm-find-" + n); hooks.show(matches[n]); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function search() {
      var wanted = input.value.trim().toLowerCase();
      hooks.words().then(function (words) {
        list.textContent = "";
        matches = [];
        if (wanted) {
          var starts = [], inside = [];
          for (var i = 0; i < words.labels.length && starts.length < MAX; i++) {
            var label = words.labels[i];
            if (!label) { continue; }
            var at = label.toLowerCase().indexOf(wanted);
            if (at === 0) { starts.push(i); } else if (at > 0 && inside.length < MAX) { inside.push(i); }
          }
          matches = starts.concat(inside).slice(0, MAX);
        }
        matches.forEach(function (i, n) {
          var li = option(i, n);
          li.textContent = words.labels[i];
          li.addEventListener("mousedown", function (ev) { ev.preventDefault(); hooks.choose(i); });
          list.appendChild(li);
        });
        status.textContent = wanted ? (matches.length ? matches.length + " shown" : "no district matches") : "";
        input.setAttribute("aria-expanded", matches.length ? "true" : "false");
        mark(matches.length ? 0 : -1);
      });
    }

    control.onAdd = function () {
      var box = L.DomUtil.create("div", "bm-finder leaflet-bar");
      var label = L.DomUtil.create("label", "", box);
      label.textContent = "Find a district";
      label.setAttribute("for", "bm-find");
      input = L.DomUtil.create("input", "", box);
      input.id = "bm-find";
      input.type = "search";
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-controls", "bm-find-list");
      input.setAttribute("aria-expanded", "false");
      input.autocomplete = "off";
      list = L.DomUtil.create("ul", "", box);
      list.id = "bm-find-list";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Matching districts");
      status = L.DomUtil.create("span", "bm-find-status", box);
      status.setAttribute("aria-live", "polite");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomEvent.on(input, "focus", function () { hooks.words(); });  // fetch the names early
      L.DomEvent.on(input, "input", search);
      L.DomEvent.on(input, "keydown", function (ev) {
        ev.stopPropagation();  // the map's own arrow-key panning must not take these
        if (ev.key === "ArrowDown" && matches.length) { ev.preventDefault(); mark((active + 1) % matches.length); }
        else if (ev.key === "ArrowUp" && matches.length) {
          ev.preventDefault();
          mark((active - 1 + matches.length) % matches.length);
        } else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); hooks.choose(matches[active]); }
        else if (ev.key === "Escape") { input.value = ""; search(); }
      });
      return box;
    };
    control.addTo(map);
    return control;
  };
})();
