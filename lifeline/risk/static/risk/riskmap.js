// The risk map (Leaflet, from npm at set-up): admin areas shaded by the migrants exposed (the
// upper estimate), hazard zones on top. Settings come from a JSON element ("risk-map-config",
// lifeline.risk.views): the operator's tile server, or none (then the boundaries alone are
// drawn), the areas with their figures, the zones and the words. The table beside the map holds
// the same numbers, so nothing is lost without this file.
(function () {
  "use strict";
  var element = document.getElementById("risk-map-config");
  var holder = document.getElementById("risk-map");
  if (!element || !holder || typeof L === "undefined") return;
  var config = JSON.parse(element.textContent);
  var t = config.text || {};
  var COLOURS = ["#f7f4f9", "#d4b9da", "#df65b0", "#ce1256", "#67001f"];
  var ZONE = { low: "#fdd49e", medium: "#fc8d59", high: "#d7301f", very_high: "#7f0000" };
  var features = (config.areas && config.areas.features) || [];
  var highs = features.map(function (f) { return f.properties.high; }).filter(function (v) { return v > 0; });
  var top = highs.length ? Math.max.apply(null, highs) : 0;
  var breaks = [0, top * 0.05, top * 0.2, top * 0.5, top].map(Math.round);

  function colour(value) {
    if (!value) return COLOURS[0];
    for (var i = breaks.length - 1; i > 0; i--) if (value > breaks[i - 1]) return COLOURS[i];
    return COLOURS[1];
  }

  var map = L.map(holder, { scrollWheelZoom: false });
  if (config.tiles) L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 18 }).addTo(map);
  var deepest = features.reduce(function (m, f) { return Math.max(m, f.properties.level); }, 1);
  var areas = L.geoJSON(config.areas, {
    filter: function (f) { return f.properties.level === deepest || f.properties.high > 0; },
    style: function (f) {
      return { color: "#444", weight: 1, fillColor: colour(f.properties.high), fillOpacity: config.tiles ? 0.7 : 1 };
    },
    onEachFeature: function (f, layer) {
      var p = f.properties;
      var text = p.name + " (" + p.pcode + "): " + (p.high ? (t.exposed || "") + " " + p.low + "–" + p.high : t.none || "");
      layer.bindTooltip(text);
    },
  }).addTo(map);
  var zones = L.geoJSON(config.zones, {
    style: function (f) {
      return { color: ZONE[f.properties.level] || "#d7301f", weight: 2, dashArray: "5 3", fillOpacity: 0.15 };
    },
    onEachFeature: function (f, layer) {
      var p = f.properties;
      layer.bindTooltip(p.layer + ": " + p.hazard + " (" + p.levelName + ")");
    },
  }).addTo(map);
  var bounds = areas.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds);
  else map.setView([0, 0], 2);
  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "risk-legend");
    var title = document.createElement("strong");
    title.textContent = t.exposed || "";
    box.appendChild(title);
    for (var i = 1; i < breaks.length; i++) {
      var line = document.createElement("div");
      var swatch = document.createElement("i");
      swatch.style.background = COLOURS[i];
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(breaks[i - 1] + 1 + "–" + breaks[i]));
      box.appendChild(line);
    }
    return box;
  };
  if (top) legend.addTo(map);
  L.control.layers(null, (function () { var o = {}; o[t.hazards || "Hazards"] = zones; return o; })()).addTo(map);
})();
