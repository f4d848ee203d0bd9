/* Peta Gawe: the boundaries map (/peta) and the pin picker of every form with a place (#peta-lokasi;
 * its data-penanda names the pin, "Lokasi yang dipilih" by default).
 * Plain JavaScript on Leaflet served by the gateway (/static/vendor/leaflet/); everything comes
 * from this site: the kecamatan and desa boundaries from its OGC API, the place of a point from
 * its locate. Base-map tiles only when the gateway is configured with GAWE_TILE_URL (the map's
 * data-tile-url), otherwise a plain background. */
(function () {
  "use strict";

  // Kabupaten Serang: south-west and north-east corners (lat, lon)
  var REGENCY = [[-6.3358, 105.8248], [-5.8076, 106.4118]];
  var COLLECTIONS = "/gis/collections/";
  var STYLES = {
    kecamatan: { color: "#0b5d3b", weight: 2, opacity: 0.9, fill: false },
    desa: { color: "#57606a", weight: 0.7, opacity: 0.8, fillColor: "#ffffff", fillOpacity: 0.25 }
  };

  function makeMap(element) {
    // maxZoom: the clusters of markercluster need one even with no tile layer
    var map = L.map(element, { zoomSnap: 0.5, minZoom: 8, maxZoom: 19 });
    map.attributionControl.setPrefix("Leaflet");
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: element.getAttribute("data-tile-attribution") || ""
      }).addTo(map);
    } else {
      element.classList.add("peta-polos");
    }
    map.fitBounds(REGENCY);
    return map;
  }

  // A page's own script hears of a map that is ready ("peta:siap", detail.map) and of a point
  // the picker located ("peta:lokasi", detail.lat, .lon, .place: the locate's answer); both
  // bubble up to the document.
  function announce(element, name, detail) {
    element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  // The features of one collection of the OGC API, page after page (its `next` links); query:
  // more parameters of its items ("bbox=...&status=..."), optional.
  function loadCollection(name, done, failed, query) {
    var features = [];
    function page(url) {
      fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (doc) {
          features = features.concat(doc.features || []);
          var next = (doc.links || []).filter(function (l) { return l.rel === "next"; })[0];
          if (next && next.href) {
            var href = new URL(next.href, window.location.href);
            page(href.pathname + href.search); // same origin, whatever host the API names
          } else {
            done({ type: "FeatureCollection", features: features });
          }
        })
        .catch(function () { if (failed) { failed(); } });
    }
    page(COLLECTIONS + name + "/items?limit=1000" + (query ? "&" + query : ""));
  }

  function boundaries(map, options) {
    var layers = {};
    var status = options.status;
    var pending = 2;
    function loaded() {
      pending -= 1;
      if (pending === 0) {
        if (layers.kecamatan) { layers.kecamatan.bringToFront(); }
        if (status) { status.textContent = options.loadedText || ""; }
        if (options.ready) { options.ready(layers); }
      }
    }
    ["desa", "kecamatan"].forEach(function (level) {
      loadCollection(level, function (collection) {
        var layer = L.geoJSON(collection, {
          style: STYLES[level],
          interactive: options.interactive,
          onEachFeature: function (feature, shape) {
            if (options.interactive && feature.properties) {
              var name = (level === "desa" ? "Desa " : "Kec. ") + feature.properties.nama;
              shape.bindTooltip(name, { sticky: true });
            }
          }
        });
        layers[level] = layer.addTo(map);
        loaded();
      }, function () {
        if (status) { status.textContent = "Batas wilayah belum dapat dimuat."; }
        loaded();
      });
    });
    return layers;
  }

  // --- /peta: the boundaries of the regency ----------------------------------------------

  function boundariesPage(element) {
    var map = makeMap(element);
    var status = document.getElementById("peta-status");
    if (status) { status.textContent = "Memuat batas wilayah…"; }
    boundaries(map, {
      interactive: true,
      status: status,
      loadedText: "Batas kecamatan dan desa dimuat.",
      ready: function (layers) {
        var overlays = {};
        if (layers.kecamatan) { overlays["Batas kecamatan"] = layers.kecamatan; }
        if (layers.desa) { overlays["Batas desa"] = layers.desa; }
        L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      }
    });
    element.peta = map;
    element.setAttribute("data-siap", "1");
    announce(element, "peta:siap", { map: map });
  }

  // --- the report form: a pin writes lat and lon -------------------------------------------

  function picker(element) {
    var form = element.closest("form");
    var lat = form ? form.elements.lat : document.getElementById("lat");
    var lon = form ? form.elements.lon : document.getElementById("lon");
    var said = document.getElementById("lokasi-terpilih");
    var here = document.getElementById("here");
    var map = makeMap(element);
    var pin = null;
    var asked = 0;

    boundaries(map, { interactive: false });

    function say(text, outside) {
      if (!said) { return; }
      said.textContent = text;
      said.classList.toggle("di-luar", !!outside);
    }

    function locate(y, x) {
      var mine = ++asked;
      say("Mencari desa…");
      fetch("/api/v1/gis/locate?lat=" + encodeURIComponent(y) + "&lon=" + encodeURIComponent(x),
        { headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (place) {
          if (mine !== asked) { return; } // a later point was chosen meanwhile
          if (place.inside && place.desa) {
            say("Desa " + place.desa.name + ", Kec. " + (place.kecamatan ? place.kecamatan.name : "—"));
          } else {
            say("Di luar Kabupaten Serang", true);
          }
          announce(element, "peta:lokasi", { lat: Number(y), lon: Number(x), place: place, map: map });
        })
        .catch(function () {
          if (mine === asked) { say("Desa belum dapat ditentukan; periksa koneksi."); }
        });
    }

    function placePin(y, x) {
      var point = L.latLng(y, x);
      if (pin) {
        pin.setLatLng(point);
      } else {
        var named = element.getAttribute("data-penanda") || "Lokasi yang dipilih";
        pin = L.marker(point, { draggable: true, keyboard: true, title: named, alt: named })
          .addTo(map);
        pin.on("dragend", function () {
          var p = pin.getLatLng();
          write(p.lat, p.lng);
        });
      }
    }

    // The pin's point into the form's fields, then named under the map.
    function write(y, x) {
      lat.value = y.toFixed(6);
      lon.value = x.toFixed(6);
      placePin(y, x);
      locate(lat.value, lon.value);
    }

    map.on("click", function (ev) { write(ev.latlng.lat, ev.latlng.lng); });

    // By keyboard: the arrow keys pan the map (Leaflet), Enter or Space puts the pin at its
    // centre.
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", "Peta pilih lokasi: geser dengan tombol panah, " +
      "tekan Enter untuk menaruh penanda di tengah peta");
    container.addEventListener("keydown", function (ev) {
      if (ev.target !== container || (ev.key !== "Enter" && ev.key !== " ")) { return; }
      ev.preventDefault();
      var centre = map.getCenter();
      write(centre.lat, centre.lng);
    });

    // Typed coordinates move the pin (a pair that is not a number leaves it).
    function typed() {
      var y = parseFloat(String(lat.value).replace(",", "."));
      var x = parseFloat(String(lon.value).replace(",", "."));
      if (!isFinite(y) || !isFinite(x) || Math.abs(y) > 90 || Math.abs(x) > 180) { return; }
      placePin(y, x);
      map.panTo([y, x]);
      locate(y, x);
    }
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);

    if (form) {
      form.addEventListener("reset", function () {
        if (pin) { map.removeLayer(pin); pin = null; }
        asked += 1;
        say("");
      });
    }

    if (here) {
      here.addEventListener("click", function () {
        if (!navigator.geolocation) {
          say("Peramban tidak mendukung lokasi; ketuk peta atau isi lintang dan bujur.");
          return;
        }
        say("Membaca lokasi Anda…");
        navigator.geolocation.getCurrentPosition(function (p) {
          write(p.coords.latitude, p.coords.longitude);
          map.setView([p.coords.latitude, p.coords.longitude], Math.max(map.getZoom(), 15));
        }, function () {
          say("Lokasi tidak dapat dibaca; ketuk peta atau isi lintang dan bujur secara manual.");
        }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }

    if (lat.value && lon.value) { typed(); } // a form shown again keeps its point
    element.peta = map;
    element.setAttribute("data-siap", "1");
    announce(element, "peta:siap", { map: map });
  }

  // Without Leaflet (it did not load): "Gunakan lokasi saya" still fills the fields.
  function hereWithoutMap() {
    var here = document.getElementById("here");
    var lat = document.getElementById("lat");
    var lon = document.getElementById("lon");
    if (!here || !lat || !lon || !navigator.geolocation) { return; }
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(6);
        lon.value = p.coords.longitude.toFixed(6);
      });
    });
  }

  // For the pages' own scripts (loaded after this one): the same map, boundaries and collections.
  window.Peta = {
    REGENCY: REGENCY,
    STYLES: STYLES,
    makeMap: makeMap,
    loadCollection: loadCollection,
    boundaries: boundaries
  };

  function start() {
    if (typeof L === "undefined") { hereWithoutMap(); return; }
    var page = document.getElementById("peta");
    if (page) { boundariesPage(page); }
    var pick = document.getElementById("peta-lokasi");
    if (pick) { picker(pick); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
