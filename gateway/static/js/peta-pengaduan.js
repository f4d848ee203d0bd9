/* Peta pengaduan: the complaint maps, on Leaflet and window.Peta (/static/js/peta.js, loaded first).
 *
 * - #peta-pengaduan (/pengaduan): open reports from the OGC API's "complaints" layer, loaded by
 *   the view's bounding box (again after every move, at most data-limit markers), filtered with
 *   the list's own filters (data-query), clustered when Leaflet.markercluster is on the page,
 *   coloured by status (the legend .peta-legenda names the colours; each popup names the status)
 *   and linking to each report's page.
 * - #peta-laporan (a report's page, public or staff): its one point (data-lat, data-lon).
 * - .peta-tabel (the staff queue, /saya): the points of the table beside it (its rows'
 *   data-lat, data-lon, data-href...), each linking where the row does.
 * - #peta-lokasi (the report form): open reports of the chosen category near the pin, with
 *   "Dukung laporan ini" (the report page's own support form, POST /pengaduan/<id>/dukung).
 * Everything comes from this site; no personal data is on any of these maps. */
(function () {
  "use strict";

  var ITEMS = "/gis/collections/complaints/items";

  // Status labels from the page's legend (li[data-status]), the codes otherwise.
  function statusLabels() {
    var labels = {};
    Array.prototype.forEach.call(document.querySelectorAll(".peta-legenda [data-status]"), function (li) {
      labels[li.getAttribute("data-status")] = li.textContent.trim();
    });
    return labels;
  }

  function safeStatus(status) {
    return /^[a-z_]+$/.test(status || "") ? status : "lain";
  }

  function pinIcon(status) {
    return L.divIcon({
      className: "pin-laporan pin-" + safeStatus(status),
      html: "",
      iconSize: [20, 20],
      iconAnchor: [10, 10],
      popupAnchor: [0, -10]
    });
  }

  function pin(lat, lon, status, title) {
    return L.marker([lat, lon], { icon: pinIcon(status), title: title, alt: title, keyboard: true, riseOnHover: true });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // A popup's content, built as nodes (nothing from the data is parsed as HTML).
  function card(report, labels) {
    var box = el("div", null, "popup-laporan");
    box.appendChild(el("strong", report.category_name || report.category || "Laporan"));
    box.appendChild(el("p", "Status: " + (labels[report.status] || report.status_label || report.status)));
    var place = [report.desa ? "Desa " + report.desa : "", report.kecamatan ? "Kec. " + report.kecamatan : ""]
      .filter(Boolean).join(", ");
    if (place) { box.appendChild(el("p", place)); }
    if (report.extra) { box.appendChild(el("p", report.extra)); }
    var link = el("a", "Buka laporan " + report.public_id);
    link.href = report.href || "/pengaduan/" + encodeURIComponent(report.public_id);
    box.appendChild(el("p")).appendChild(link);
    return box;
  }

  function describe(report, labels) {
    return report.public_id + " · " + (report.category_name || "") + " · " + (labels[report.status] || report.status);
  }

  function mapOf(element) {
    var map = Peta.makeMap(element);
    element.peta = map;
    return map;
  }

  function ready(element) {
    element.setAttribute("data-siap", "1");
    element.dispatchEvent(new CustomEvent("peta:siap", { bubbles: true, detail: { map: element.peta } }));
  }

  // --- /pengaduan: open reports by bounding box --------------------------------------------

  // The view's bounds inside the regency (the layer has nothing outside it, and the OGC API
  // refuses a box wider than two degrees): "minLon,minLat,maxLon,maxLat", or null.
  function viewBox(map) {
    var b = map.getBounds(), r = Peta.REGENCY, pad = 0.01;
    var south = Math.max(b.getSouth(), r[0][0] - pad), west = Math.max(b.getWest(), r[0][1] - pad);
    var north = Math.min(b.getNorth(), r[1][0] + pad), east = Math.min(b.getEast(), r[1][1] + pad);
    if (south >= north || west >= east) { return null; }
    return [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(",");
  }

  function publicMap(element) {
    var map = mapOf(element);
    var status = document.getElementById("peta-pengaduan-status");
    var labels = statusLabels();
    var limit = element.getAttribute("data-limit") || "500";
    var query = element.getAttribute("data-query") || "";
    var group = L.markerClusterGroup ? L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
        return L.divIcon({
          html: "<div><span>" + n + '<span class="peta-sr"> laporan</span></span></div>',
          className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40)
        });
      }
    }) : L.layerGroup();
    group.addTo(map);
    element.kelompok = group;
    element.penanda = {};
    var asked = 0, pending = null;

    Peta.boundaries(map, { interactive: false });

    function say(text) { if (status) { status.textContent = text; } }

    // The view's reports: markers already shown stay (an open popup with them), a changed
    // status gets its new colour, the ones no longer in view go.
    var shown = {};
    function show(doc) {
      var seen = {}, added = [], removed = [];
      (doc.features || []).forEach(function (f) {
        var p = f.properties || {}, c = f.geometry && f.geometry.coordinates;
        if (!c || !p.public_id) { return; }
        seen[p.public_id] = true;
        var report = {
          public_id: p.public_id, category_name: p.category_name, status: p.status,
          desa: p.desa, kecamatan: p.kecamatan,
          extra: (p.supporters ? p.supporters + " warga mendukung" : "")
        };
        var old = shown[p.public_id];
        if (old && old.status === p.status) {
          old.marker.setPopupContent(card(report, labels));
          return;
        }
        if (old) { removed.push(old.marker); }
        var m = pin(c[1], c[0], p.status, describe(report, labels));
        m.bindPopup(card(report, labels));
        shown[p.public_id] = { marker: m, status: p.status };
        added.push(m);
      });
      Object.keys(shown).forEach(function (id) {
        if (!seen[id]) { removed.push(shown[id].marker); delete shown[id]; }
      });
      if (group.removeLayers) {
        group.removeLayers(removed);
        group.addLayers(added);
      } else {
        removed.forEach(function (m) { group.removeLayer(m); });
        added.forEach(function (m) { group.addLayer(m); });
      }
      element.penanda = {};
      Object.keys(shown).forEach(function (id) { element.penanda[id] = shown[id].marker; });
      var count = Object.keys(shown).length;
      var matched = typeof doc.numberMatched === "number" ? doc.numberMatched : count;
      if (!count) {
        say("Tidak ada laporan terbuka di bagian peta ini.");
      } else if (matched > count) {
        say("Menampilkan " + count + " dari " + matched + " laporan terbuka di bagian peta ini; perbesar peta untuk melihat yang lain.");
      } else {
        say(count + " laporan terbuka di bagian peta ini.");
      }
      element.setAttribute("data-dimuat", String(count));
    }

    function load() {
      var box = viewBox(map);
      if (!box) { show({ features: [] }); say("Bagian peta ini di luar Kabupaten Serang."); return; }
      var mine = ++asked;
      if (pending && pending.abort) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      element.setAttribute("aria-busy", "true");
      say("Memuat laporan…");
      var url = ITEMS + "?bbox=" + box + "&limit=" + encodeURIComponent(limit) + (query ? "&" + query : "");
      fetch(url, { headers: { Accept: "application/geo+json" }, signal: pending ? pending.signal : undefined })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (doc) {
          if (mine !== asked) { return; }
          element.removeAttribute("aria-busy");
          show(doc);
        })
        .catch(function (err) {
          if (mine !== asked || (err && err.name === "AbortError")) { return; }
          element.removeAttribute("aria-busy");
          say("Laporan belum dapat dimuat di peta; daftar di bawah tetap lengkap.");
        });
    }

    if (element.getAttribute("data-kosong") !== "1") {
      map.on("moveend", load);
      load();
    }
    ready(element);
  }

  // --- a report's page: its point ------------------------------------------------------------

  function reportMap(element) {
    var lat = parseFloat(element.getAttribute("data-lat")), lon = parseFloat(element.getAttribute("data-lon"));
    if (!isFinite(lat) || !isFinite(lon)) { element.hidden = true; return; }
    var map = mapOf(element);
    map.setView([lat, lon], 16);
    var d = 0.02;
    Peta.loadCollection("desa", function (collection) {
      L.geoJSON(collection, { style: Peta.STYLES.desa, interactive: false }).addTo(map).bringToBack();
    }, null, "bbox=" + [lon - d, lat - d, lon + d, lat + d].map(function (v) { return v.toFixed(5); }).join(","));
    var title = element.getAttribute("data-title") || "Lokasi laporan";
    pin(lat, lon, element.getAttribute("data-status"), title).addTo(map);
    ready(element);
  }

  // --- a table's reports beside it (staff queue, /saya) -------------------------------------

  function tableMap(element) {
    var table = document.getElementById(element.getAttribute("data-table"));
    var rows = table ? table.querySelectorAll("tr[data-lat]") : [];
    var map = mapOf(element);
    var labels = statusLabels();
    var bounds = [];
    element.penanda = {};
    Peta.boundaries(map, { interactive: false });
    Array.prototype.forEach.call(rows, function (row) {
      var lat = parseFloat(row.getAttribute("data-lat")), lon = parseFloat(row.getAttribute("data-lon"));
      if (!isFinite(lat) || !isFinite(lon)) { return; }
      var report = {
        public_id: row.getAttribute("data-id"),
        category_name: row.getAttribute("data-kategori"),
        status: row.getAttribute("data-status"),
        status_label: row.getAttribute("data-status-label"),
        desa: row.getAttribute("data-desa"),
        kecamatan: row.getAttribute("data-kecamatan"),
        extra: row.getAttribute("data-catatan"),
        href: row.getAttribute("data-href")
      };
      labels[report.status] = labels[report.status] || report.status_label;
      var m = pin(lat, lon, report.status, describe(report, labels)).addTo(map);
      m.bindPopup(card(report, labels));
      element.penanda[report.public_id] = m;
      bounds.push([lat, lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 }); }
    element.setAttribute("data-dimuat", String(bounds.length));
    ready(element);
  }

  // --- the report form: open reports of the category near the pin ----------------------------

  function distance(a, b) {
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371000 * 2 * Math.asin(Math.sqrt(h));
  }

  // The report page's support form, posted by this script: its answer is the report's page
  // (?ok=support or ?ok=supported_before), the sign-in page, or the page with why it was refused.
  function support(publicId, csrf, said) {
    said.textContent = "Mencatat dukungan…";
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    fetch("/pengaduan/" + encodeURIComponent(publicId) + "/dukung", {
      method: "POST", body: body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin"
    })
      .then(function (r) {
        var url = new URL(r.url, window.location.href);
        if (url.pathname === "/masuk") { return { text: "Masuk terlebih dahulu untuk mendukung laporan.", ok: false }; }
        var ok = url.searchParams.get("ok");
        if (r.ok && ok === "support") {
          return { text: "Dukungan Anda untuk " + publicId + " tercatat. Anda tidak perlu mengirim laporan baru.", ok: true };
        }
        if (r.ok && ok === "supported_before") {
          return { text: "Anda sudah mendukung " + publicId + " sebelumnya.", ok: true };
        }
        return r.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var why = page.querySelector("[role=alert]");
          return { text: "Dukungan belum tercatat: " + (why ? why.textContent.replace(/\s+/g, " ").trim() : "coba lagi."), ok: false };
        });
      })
      .then(function (answer) {
        said.textContent = answer.text;
        said.className = answer.ok ? "ok" : "error";
      })
      .catch(function () {
        said.textContent = "Koneksi terputus; dukungan belum tercatat.";
        said.className = "error";
      });
  }

  function nearby(element) {
    var form = element.closest("form");
    var list = document.getElementById("laporan-terdekat");
    if (!form || !list) { return; }
    var signedIn = list.getAttribute("data-masuk") === "1";
    var csrf = list.getAttribute("data-csrf") || "";
    var degrees = parseFloat(list.getAttribute("data-derajat")) || 0.003;
    var limit = list.getAttribute("data-limit") || "20";
    var labels = statusLabels();
    var layer = null, asked = 0, point = null;

    function withMap(fn) {
      if (element.peta) { fn(element.peta); return; }
      element.addEventListener("peta:siap", function (ev) { fn(ev.detail.map); }, { once: true });
    }

    function clear() {
      if (layer) { layer.clearLayers(); }
      list.hidden = true;
      list.querySelector("ul").textContent = "";
      list.removeAttribute("data-dimuat");
    }

    function action(report) {
      var box = el("span", null, "dukung");
      if (signedIn) {
        var said = el("span", null, "");
        said.setAttribute("role", "status");
        var button = el("button", "Dukung laporan ini");
        button.type = "button";
        button.className = "dukung-laporan";
        button.setAttribute("data-id", report.public_id);
        button.addEventListener("click", function () { support(report.public_id, csrf, said); });
        box.appendChild(button);
        box.appendChild(said);
      } else {
        var login = el("a", "Masuk untuk mendukung laporan ini");
        login.href = "/masuk?next=" + encodeURIComponent("/pengaduan/" + report.public_id);
        box.appendChild(login);
      }
      return box;
    }

    function show(map, features, category) {
      if (!layer) { layer = L.layerGroup().addTo(map); }
      layer.clearLayers();
      var ul = list.querySelector("ul");
      ul.textContent = "";
      var found = features.map(function (f) {
        var c = f.geometry.coordinates, p = f.properties || {};
        return { p: p, lat: c[1], lon: c[0], m: distance(point, [c[1], c[0]]) };
      }).filter(function (x) { return x.p.category === category && x.p.public_id; })
        .sort(function (a, b) { return a.m - b.m; });
      found.forEach(function (x) {
        var report = {
          public_id: x.p.public_id, category_name: x.p.category_name, status: x.p.status,
          desa: x.p.desa, kecamatan: x.p.kecamatan,
          extra: Math.round(x.m) + " m dari penanda · " + (x.p.supporters || 0) + " pendukung"
        };
        var content = card(report, labels);
        content.appendChild(action(report));
        pin(x.lat, x.lon, x.p.status, describe(report, labels)).bindPopup(content).addTo(layer);
        var li = el("li");
        var link = el("a", report.public_id);
        link.href = "/pengaduan/" + encodeURIComponent(report.public_id);
        li.appendChild(link);
        li.appendChild(document.createTextNode(" · " + (labels[report.status] || report.status) + " · " + report.extra + " "));
        li.appendChild(action(report));
        ul.appendChild(li);
      });
      list.hidden = !found.length;
      list.setAttribute("data-dimuat", String(found.length));
    }

    function look() {
      var category = form.elements.category ? form.elements.category.value : "";
      if (!point || !category) { clear(); return; }
      var mine = ++asked;
      var here = point;
      var box = [here[1] - degrees, here[0] - degrees, here[1] + degrees, here[0] + degrees]
        .map(function (v) { return v.toFixed(6); }).join(",");
      fetch(ITEMS + "?bbox=" + box + "&category=" + encodeURIComponent(category) + "&limit=" + encodeURIComponent(limit),
        { headers: { Accept: "application/geo+json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (doc) {
          if (mine !== asked) { return; }
          withMap(function (map) { show(map, doc.features || [], category); });
        })
        .catch(function () { if (mine === asked) { clear(); } });
    }

    element.addEventListener("peta:lokasi", function (ev) {
      point = ev.detail.place && ev.detail.place.inside ? [ev.detail.lat, ev.detail.lon] : null;
      look();
    });
    form.elements.category.addEventListener("change", look);
    form.addEventListener("reset", function () { point = null; asked += 1; clear(); });
  }

  function start() {
    if (typeof L === "undefined" || typeof Peta === "undefined") {
      Array.prototype.forEach.call(document.querySelectorAll("#peta-pengaduan, #peta-laporan, .peta-tabel"),
        function (node) { node.hidden = true; });
      return;
    }
    var found = document.getElementById("peta-pengaduan");
    if (found) { publicMap(found); }
    found = document.getElementById("peta-laporan");
    if (found) { reportMap(found); }
    Array.prototype.forEach.call(document.querySelectorAll(".peta-tabel"), tableMap);
    found = document.getElementById("peta-lokasi");
    if (found) { nearby(found); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
