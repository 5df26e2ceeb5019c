// The map where an area is drawn (alerts, crises), on Leaflet (from npm at set-up). It edits a
// GeoJSON text box (textarea[data-area-map]) that stays on the page: what is drawn is written
// into the box, and GeoJSON pasted into the box is drawn. Polygons: tap the corners, then the
// first corner or "Finish". Circles: tap the centre, set the radius in km. The tools are real
// buttons under the map, so they work by touch, mouse and keyboard, and read in every language.
// Without this file, or without Leaflet, the box works on its own. Settings come from a JSON
// element (id "area-map-config", lifeline.geo.services.map_config): the operator's tile server,
// or none (then the administrative boundaries alone are drawn), and the words.
(function () {
  "use strict";
  var configElement = document.getElementById("area-map-config");
  if (!configElement || typeof L === "undefined") return;
  var config = JSON.parse(configElement.textContent);
  var t = config.text || {};
  var SHAPE = { color: "#b00020", weight: 3, fillOpacity: 0.15 };
  var DRAFT = { color: "#b00020", weight: 2, dashArray: "6 4", fillOpacity: 0.05 };
  var BOUNDARY = { color: "#555", weight: 1, fillColor: "#f4f1e8", fillOpacity: config.tiles ? 0 : 1 };

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function button(label, name) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "secondary";
    element.textContent = label || "";
    element.setAttribute("data-map-action", name);
    return element;
  }

  function enhance(box) {
    var holder = document.createElement("div");
    holder.className = "area-map";
    holder.id = box.id + "_map";
    holder.setAttribute("dir", "ltr");
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", t.map || "");
    var tools = document.createElement("div");
    tools.className = "map-tools";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", t.tools || "");
    var status = document.createElement("p");
    status.className = "help map-status";
    status.setAttribute("aria-live", "polite");
    var drawPolygon = button(t.polygon, "polygon");
    var drawCircle = button(t.circle, "circle");
    drawCircle.hidden = !config.circles;
    var finish = button(t.finish, "finish");
    var undo = button(t.undo, "undo");
    var cancel = button(t.cancel, "cancel");
    var clear = button(t.clearAll, "clear");
    var radiusLabel = document.createElement("label");
    radiusLabel.className = "map-radius";
    var radiusInput = document.createElement("input");
    radiusInput.type = "number";
    radiusInput.min = "0.1";
    radiusInput.step = "0.1";
    radiusInput.id = box.id + "_radius";
    radiusLabel.htmlFor = radiusInput.id;
    radiusLabel.textContent = (t.radius || "") + " ";
    var radiusField = document.createElement("span");
    radiusField.className = "map-radius";
    radiusField.appendChild(radiusLabel);
    radiusField.appendChild(radiusInput);
    [drawPolygon, drawCircle, finish, undo, radiusField, cancel, clear].forEach(function (element) {
      tools.appendChild(element);
    });
    var field = box.parentNode;
    field.insertBefore(holder, box);
    field.insertBefore(tools, box);
    field.insertBefore(status, box);

    var map = L.map(holder, { attributionControl: Boolean(config.tiles), zoomSnap: 0.5 });
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var background = L.geoJSON(config.boundaries || null, {
      style: function () { return BOUNDARY; },
      interactive: false
    }).addTo(map);
    var drawn = L.featureGroup().addTo(map);
    var draft = L.layerGroup().addTo(map);
    var mode = null, corners = [], centre = null;

    function say(text) {
      status.textContent = text || "";
    }

    function show() {
      drawPolygon.setAttribute("aria-pressed", String(mode === "polygon"));
      drawCircle.setAttribute("aria-pressed", String(mode === "circle"));
      drawCircle.hidden = !config.circles;
      finish.hidden = !(mode === "polygon" && corners.length >= 3) && !(mode === "circle" && centre);
      undo.hidden = !(mode === "polygon" && corners.length);
      cancel.hidden = !mode;
      radiusField.hidden = mode !== "circle";
      clear.hidden = Boolean(mode) || !drawn.getLayers().length;
      holder.classList.toggle("drawing", Boolean(mode));
      holder.setAttribute("data-shapes", String(drawn.getLayers().length));
      holder.setAttribute("data-mode", mode || "");
    }

    function write() {
      var features = [];
      drawn.eachLayer(function (layer) {
        if (layer instanceof L.Circle) {
          var c = layer.getLatLng();
          features.push({
            type: "Feature",
            properties: { radius: Math.round(layer.getRadius() * 10) / 10 },
            geometry: { type: "Point", coordinates: [round(c.lng), round(c.lat)] }
          });
        } else {
          var feature = layer.toGeoJSON(6);
          feature.properties = {};
          features.push(feature);
        }
      });
      box.value = features.length ? JSON.stringify({ type: "FeatureCollection", features: features }) : "";
      show();
    }

    function read() {
      drawn.clearLayers();
      var text = box.value.trim();
      if (!text) return true;
      try {
        L.geoJSON(JSON.parse(text), {
          pointToLayer: function (feature, latlng) {
            var radius = feature.properties && Number(feature.properties.radius);
            return L.circle(latlng, L.extend({ radius: radius > 0 ? radius : 1000 }, SHAPE));
          },
          onEachFeature: function (feature, layer) {
            if (layer instanceof L.Polygon && feature.geometry.type === "MultiPolygon") {
              layer.getLatLngs().forEach(function (rings) { drawn.addLayer(L.polygon(rings, SHAPE)); });
            } else {
              if (layer.setStyle) layer.setStyle(SHAPE);
              drawn.addLayer(layer);
            }
          }
        });
        return true;
      } catch (error) {
        return false;
      }
    }

    function fit() {
      var bounds = drawn.getLayers().length ? drawn.getBounds() : background.getBounds();
      if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
      else map.setView([20, 20], 2);
    }

    function redraw() {
      draft.clearLayers();
      if (mode === "polygon" && corners.length) {
        L.polyline(corners, DRAFT).addTo(draft);
        corners.forEach(function (latlng, index) {
          var marker = L.circleMarker(latlng, { radius: index === 0 ? 9 : 6, color: "#b00020", fillColor: "#fff", fillOpacity: 1, weight: 2 });
          if (index === 0) marker.on("click", function (event) {
            L.DomEvent.stop(event);
            done();
          });
          marker.addTo(draft);
        });
      }
      if (mode === "circle" && centre) {
        L.circle(centre, L.extend({ radius: radiusMetres() }, DRAFT)).addTo(draft);
      }
      show();
    }

    function radiusMetres() {
      var km = parseFloat(String(radiusInput.value).replace(",", "."));
      return km > 0 ? km * 1000 : 1000;
    }

    function start(kind) {
      mode = kind;
      corners = [];
      centre = null;
      map.doubleClickZoom.disable();
      if (kind === "circle" && !radiusInput.value) {
        // A first guess: a tenth of what the map shows across, rounded.
        var size = map.getBounds();
        var across = map.distance(size.getSouthWest(), size.getSouthEast()) / 1000;
        radiusInput.value = String(Math.max(0.1, Math.round(across) / 10));
      }
      say(kind === "polygon" ? t.polygonStart : t.circleStart);
      redraw();
    }

    function stop() {
      mode = null;
      corners = [];
      centre = null;
      map.doubleClickZoom.enable();
      draft.clearLayers();
      say(t.idle);
      show();
    }

    function done() {
      if (mode === "polygon" && corners.length >= 3) {
        drawn.addLayer(L.polygon(corners, SHAPE));
      } else if (mode === "circle" && centre) {
        drawn.addLayer(L.circle(centre, L.extend({ radius: radiusMetres() }, SHAPE)));
      } else {
        return;
      }
      stop();
      write();
      say((t.shapes || "{n}").replace("{n}", drawn.getLayers().length));
    }

    map.on("click", function (event) {
      if (mode === "polygon") {
        corners.push(event.latlng);
        say(t.polygonCont);
      } else if (mode === "circle") {
        centre = event.latlng;
      } else {
        return;
      }
      redraw();
    });
    drawPolygon.addEventListener("click", function () { start("polygon"); });
    drawCircle.addEventListener("click", function () { start("circle"); });
    finish.addEventListener("click", done);
    cancel.addEventListener("click", stop);
    undo.addEventListener("click", function () {
      corners.pop();
      redraw();
    });
    clear.addEventListener("click", function () {
      drawn.clearLayers();
      write();
    });
    radiusInput.addEventListener("input", redraw);
    box.addEventListener("change", function () {
      var ok = read();
      say(ok ? t.idle : t.badShapes);
      show();
      fit();
    });

    var ok = read();
    fit();
    stop();
    if (!ok) say(t.badShapes);
  }

  document.querySelectorAll("textarea[data-area-map]").forEach(enhance);
})();
