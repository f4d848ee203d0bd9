// The leaders' dashboard (/dasbor): its figures follow the read model live, from the page's
// server-sent events (/dasbor/stream, an event "summary" whenever a figure changes), written in
// place into each element with data-figure (a path in the summary: a list's item by its code or
// agency); and a map of open reports and proposals from the gis OGC API (window.Peta).
(function () {
  "use strict";
  var number = new Intl.NumberFormat("id-ID");

  function pick(summary, path) {
    var value = summary;
    path.split(".").forEach(function (part) {
      if (value === null || value === undefined) { return; }
      if (Array.isArray(value)) {
        value = value.filter(function (item) {
          return item.code === part || item.agency === part;
        })[0];
      } else {
        value = value[part];
      }
    });
    return value;
  }

  function shown(value, format) {
    if (value === null || value === undefined) { return format === "wib" ? "—" : "0"; }
    if (format === "rupiah") { return "Rp " + number.format(value); }
    if (format === "percent") { return Math.round(value * 100) + "%"; }
    if (format === "days") { return (Math.round(value * 10) / 10).toString(); }
    if (format === "wib") {
      return new Date(value).toLocaleString("id-ID", {
        timeZone: "Asia/Jakarta", day: "2-digit", month: "2-digit", year: "numeric",
        hour: "2-digit", minute: "2-digit"
      }) + " WIB";
    }
    return typeof value === "number" ? number.format(value) : String(value);
  }

  function update(root, summary) {
    root.querySelectorAll("[data-figure]").forEach(function (element) {
      var value = pick(summary, element.getAttribute("data-figure"));
      var text = shown(value, element.getAttribute("data-format"));
      if (element.textContent !== text) { element.textContent = text; }
    });
  }

  function live(root, onChange) {
    var status = document.getElementById("dasbor-langsung");
    if (typeof EventSource === "undefined") {
      if (status) { status.textContent = "Muat ulang halaman untuk angka terbaru."; }
      return;
    }
    var source = new EventSource(root.getAttribute("data-stream"));
    source.addEventListener("summary", function (event) {
      var summary = JSON.parse(event.data);
      update(root, summary);
      root.setAttribute("data-version", String(summary.freshness.version));
      if (status) {
        status.textContent = "Pembaruan langsung aktif · diperbarui " +
          new Date().toLocaleTimeString("id-ID", { timeZone: "Asia/Jakarta" }) + " WIB";
      }
      onChange();
    });
    source.addEventListener("error", function () {
      if (status) { status.textContent = "Pembaruan langsung terputus; menyambung ulang…"; }
    });
  }

  function points(map, name, className, title) {
    var layer = L.layerGroup().addTo(map);
    function load(done) {
      window.Peta.loadCollection(name, function (collection) {
        layer.clearLayers();
        L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 6, className: className, weight: 1 });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties || {};
            marker.bindTooltip(title + (p.category_name || p.title || ""));
          }
        }).addTo(layer);
        if (done) { done(collection.features.length); }
      });
    }
    return load;
  }

  function mapOf(element) {
    if (typeof L === "undefined" || !window.Peta) { return function () {}; }
    var map = window.Peta.makeMap(element);
    var status = document.getElementById("peta-dasbor-status");
    var reports = points(map, "complaints", "titik-laporan", "Laporan: ");
    var proposals = points(map, "proposals", "titik-usulan", "Usulan: ");
    reports(function (count) {
      if (status) { status.textContent = count + " laporan terbuka di peta."; }
    });
    proposals();
    var timer = null;
    return function () { // at most once every few seconds, whatever the stream says
      if (timer) { return; }
      timer = setTimeout(function () { timer = null; reports(); proposals(); }, 3000);
    };
  }

  function start() {
    var root = document.getElementById("dasbor");
    if (!root) { return; }
    var element = document.getElementById("peta-dasbor");
    var refreshMap = element ? mapOf(element) : function () {};
    live(root, refreshMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
