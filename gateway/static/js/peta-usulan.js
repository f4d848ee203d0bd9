/* Peta Serang Open: the maps of the proposals' pages, on Leaflet and peta.js served by this site.
 *
 *  - #peta-usulan (/usulan): every proposal of the registry's filters from the OGC layer
 *    `proposals` (clustered markers, each linking its public page) over a shading of the
 *    kecamatan by the amount approved in the budget year chosen in #peta-tahun (the registry's
 *    own totals), with its legend (#peta-usulan-legenda) and the same numbers as a table
 *    (#peta-usulan-tabel);
 *  - .peta-titik (a proposal's page): its point (data-lat, data-lon, data-label);
 *  - #peta-antrean (the staff queue): the rows of its list (#antrean-usulan, each row's
 *    data-lat and data-lon), each linking its staff page;
 *  - the error summary of a form names each field by its label instead of its key, and links it.
 *
 * Pages that include _peta_head.html have Leaflet and peta.js already; a section drawn inside
 * another page (the staff desk) may not: the files are then added from this site. Nothing is
 * fetched from anywhere else. */
(function () {
  "use strict";

  var script = document.currentScript;
  var VERSION = (script && script.getAttribute("data-leaflet")) || "";
  var CLUSTER_VERSION = (script && script.getAttribute("data-markercluster")) || "";
  var VENDOR = "/static/vendor/";

  // Approved amounts, Rupiah classes (upper bounds); fixed so that years compare.
  var JUTA = 1000000;
  var CLASSES = [
    { upTo: 50 * JUTA, colour: "#c7e9c0", label: "di bawah Rp 50 juta" },
    { upTo: 100 * JUTA, colour: "#74c476", label: "Rp 50 juta – 100 juta" },
    { upTo: 250 * JUTA, colour: "#31a354", label: "Rp 100 juta – 250 juta" },
    { upTo: 500 * JUTA, colour: "#006d2c", label: "Rp 250 juta – 500 juta" },
    { upTo: Infinity, colour: "#00441b", label: "Rp 500 juta atau lebih" }
  ];
  var NONE = { colour: "#ffffff", label: "belum ada yang disetujui" };

  function rupiah(value) {
    if (value === null || value === undefined) { return "—"; }
    return "Rp " + Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function classOf(amount) {
    if (!amount) { return NONE; }
    for (var i = 0; i < CLASSES.length; i += 1) {
      if (amount < CLASSES[i].upTo) { return CLASSES[i]; }
    }
    return CLASSES[CLASSES.length - 1];
  }

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }

  // --- the files a map needs, added once when the page did not load them itself -------------

  function present(selector) { return !!document.querySelector(selector); }

  function addScript(src, ready) {
    var tag = element("script", { src: src });
    tag.addEventListener("load", ready);
    tag.addEventListener("error", ready);
    document.head.appendChild(tag);
  }

  function addStyle(href) {
    if (!present('link[href^="' + href.split("?")[0] + '"]')) {
      document.head.appendChild(element("link", { rel: "stylesheet", href: href }));
    }
  }

  function withLeaflet(clusters, ready) {
    var steps = [];
    addStyle(VENDOR + "leaflet/leaflet.css?v=" + VERSION);
    addStyle("/static/css/peta.css");
    if (typeof L === "undefined") {
      steps.push(VENDOR + "leaflet/leaflet.js?v=" + VERSION);
    }
    if (!window.Peta) { steps.push("/static/js/peta.js"); }
    if (clusters) {
      addStyle(VENDOR + "leaflet.markercluster/MarkerCluster.css?v=" + CLUSTER_VERSION);
      addStyle(VENDOR + "leaflet.markercluster/MarkerCluster.Default.css?v=" + CLUSTER_VERSION);
      if (typeof L === "undefined" || !L.markerClusterGroup) {
        steps.push(VENDOR + "leaflet.markercluster/leaflet.markercluster.js?v=" + CLUSTER_VERSION);
      }
    }
    (function next() {
      if (!steps.length) { ready(); return; }
      addScript(steps.shift(), next);
    })();
  }

  function say(status, text) { if (status) { status.textContent = text; } }

  function group(clusters) {
    return clusters && L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup();
  }

  function pin(lat, lon, label) {
    return L.marker([lat, lon], { keyboard: true, title: label, alt: label });
  }

  function popupFor(link, lines) {
    var box = element("div", { "class": "peta-popup" });
    var a = element("a", { href: link.href }, link.text);
    box.appendChild(element("strong")).appendChild(a);
    lines.forEach(function (line) {
      if (line) { box.appendChild(element("div", {}, line)); }
    });
    return box;
  }

  function ready(map, host) {
    host.peta = map;
    host.setAttribute("data-siap", "1");
    host.dispatchEvent(new CustomEvent("peta:siap", { bubbles: true, detail: { map: map } }));
  }

  // --- /usulan: the registry's proposals and the kecamatan shading -------------------------

  function registryMap(host) {
    var status = document.getElementById("peta-usulan-status");
    var legend = document.getElementById("peta-usulan-legenda");
    var table = document.getElementById("peta-usulan-tabel");
    var year = document.getElementById("peta-tahun");
    var map = window.Peta.makeMap(host);
    var markers = group(true);
    var byId = {};
    var shading = null;
    var kecamatan = null;
    var asked = 0;

    say(status, "Memuat usulan dan batas kecamatan…");

    window.Peta.loadCollection("proposals", function (collection) {
      collection.features.forEach(function (f) {
        var p = f.properties || {};
        var c = f.geometry && f.geometry.coordinates;
        if (!c || !p.public_id) { return; }
        var marker = pin(c[1], c[0], p.public_id + ": " + p.title);
        marker.bindPopup(popupFor({ href: "/usulan/" + encodeURIComponent(p.public_id), text: p.public_id + " · " + p.title }, [
          p.recipient_name,
          [p.desa ? "Desa " + p.desa : "", p.kecamatan ? "Kec. " + p.kecamatan : ""].filter(Boolean).join(", "),
          p.stage_label + " · tahun anggaran " + p.budget_year,
          "Diminta " + rupiah(p.requested_amount) + (p.approved_amount ? " · disetujui " + rupiah(p.approved_amount) : "")
        ]));
        byId[p.public_id] = marker;
        markers.addLayer(marker);
      });
      host.setAttribute("data-usulan", String(collection.features.length));
      say(status, collection.features.length + " usulan di peta.");
    }, function () {
      say(status, "Titik usulan belum dapat dimuat; daftar di bawah tetap lengkap.");
    }, host.getAttribute("data-query") || "");
    markers.addTo(map);

    function shade(totals, chosen) {
      var approved = {};
      totals.forEach(function (t) { if (t.key) { approved[t.key] = t.approved || 0; } });
      if (shading) { map.removeLayer(shading); }
      shading = L.geoJSON(kecamatan, {
        style: function (f) {
          var cls = classOf(approved[f.properties.kode]);
          return { color: "#0b5d3b", weight: 1, opacity: 0.8, fillColor: cls.colour, fillOpacity: cls === NONE ? 0.1 : 0.65 };
        },
        onEachFeature: function (f, shape) {
          shape.bindTooltip("Kec. " + f.properties.nama + ": " + rupiah(approved[f.properties.kode] || 0), { sticky: true });
        }
      }).addTo(map);
      shading.bringToBack();
      host.setAttribute("data-tahun", String(chosen));
      drawLegend(chosen);
      drawTable(totals, chosen);
    }

    function drawLegend(chosen) {
      if (!legend) { return; }
      legend.textContent = "";
      legend.appendChild(element("p", { "class": "peta-legenda-judul" }, "Disetujui per kecamatan, tahun anggaran " + chosen));
      var list = element("ul");
      [NONE].concat(CLASSES).forEach(function (cls) {
        var item = element("li");
        var swatch = element("span", { "class": "peta-legenda-warna", "aria-hidden": "true" });
        swatch.style.background = cls.colour;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(cls.label));
        list.appendChild(item);
      });
      legend.appendChild(list);
    }

    function drawTable(totals, chosen) {
      if (!table) { return; }
      var rows = totals.filter(function (t) { return t.key; })
        .sort(function (a, b) { return (b.approved || 0) - (a.approved || 0); });
      table.textContent = "";
      var t = element("table");
      t.appendChild(element("caption", {}, "Jumlah disetujui per kecamatan, tahun anggaran " + chosen));
      var head = element("tr");
      ["Kecamatan", "Usulan", "Disetujui"].forEach(function (h) { head.appendChild(element("th", { scope: "col" }, h)); });
      t.appendChild(head);
      rows.forEach(function (r) {
        var tr = element("tr");
        tr.appendChild(element("td", {}, r.label || r.key));
        tr.appendChild(element("td", {}, r.count));
        tr.appendChild(element("td", {}, rupiah(r.approved || 0)));
        t.appendChild(tr);
      });
      if (!rows.length) {
        var empty = element("tr");
        empty.appendChild(element("td", { colspan: "3" }, "Belum ada usulan pada tahun ini."));
        t.appendChild(empty);
      }
      table.appendChild(t);
    }

    function load(chosen) {
      var mine = ++asked;
      if (!chosen) { return; }
      fetch("/api/v1/registry/proposals?per_page=1&year=" + encodeURIComponent(chosen), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (page) {
          if (mine !== asked) { return; }
          shade((page.totals && page.totals.kecamatan) || [], chosen);
          say(status, "Peta dimuat: tahun anggaran " + chosen + ".");
        })
        .catch(function () { say(status, "Jumlah per kecamatan belum dapat dimuat."); });
    }

    window.Peta.loadCollection("kecamatan", function (collection) {
      kecamatan = collection;
      load(year ? year.value : host.getAttribute("data-tahun"));
    }, function () {
      say(status, "Batas kecamatan belum dapat dimuat.");
    });
    if (year) {
      year.addEventListener("change", function () { if (kecamatan) { load(year.value); } });
    }

    host.petaUsulan = { markers: byId, group: markers };
    ready(map, host);
  }

  // --- a proposal's page: its point ---------------------------------------------------------

  function pointMap(host) {
    var lat = parseFloat(host.getAttribute("data-lat"));
    var lon = parseFloat(host.getAttribute("data-lon"));
    var map = window.Peta.makeMap(host);
    window.Peta.boundaries(map, { interactive: false });
    if (isFinite(lat) && isFinite(lon)) {
      var label = host.getAttribute("data-label") || "Lokasi usulan";
      pin(lat, lon, label).bindTooltip(label).addTo(map);
      map.setView([lat, lon], 13);
    }
    ready(map, host);
  }

  // --- the staff queue beside its list --------------------------------------------------------

  function queueMap(host) {
    var list = document.getElementById(host.getAttribute("data-list") || "antrean-usulan");
    var rows = list ? list.querySelectorAll("tr[data-lat]") : [];
    var map = window.Peta.makeMap(host);
    var markers = group(true);
    window.Peta.boundaries(map, { interactive: false });
    Array.prototype.forEach.call(rows, function (row) {
      var lat = parseFloat(row.getAttribute("data-lat"));
      var lon = parseFloat(row.getAttribute("data-lon"));
      var link = row.querySelector("a[href]");
      if (!isFinite(lat) || !isFinite(lon) || !link) { return; }
      var cells = row.querySelectorAll("td");
      var title = cells[1] ? cells[1].textContent : "";
      var stage = row.querySelector(".badge");
      var marker = pin(lat, lon, link.textContent + ": " + title);
      marker.bindPopup(popupFor({ href: link.getAttribute("href"), text: link.textContent + " · " + title },
        [stage ? stage.textContent : ""]));
      markers.addLayer(marker);
    });
    markers.addTo(map);
    host.setAttribute("data-usulan", String(rows.length));
    ready(map, host);
  }

  // --- error summaries: a field's label, not its key ----------------------------------------

  // The field an error item speaks of: by its key (id or name), or by its label's own words
  // when the page already names it so.
  function labelOf(key) {
    var field = document.getElementById(key) || document.querySelector('[name="' + key.replace(/["\\]/g, "") + '"]');
    if (!field) {
      var same = Array.prototype.filter.call(document.querySelectorAll("label[for]"), function (l) {
        return l.textContent.trim() === key;
      })[0];
      field = same ? document.getElementById(same.getAttribute("for")) : null;
    }
    if (!field) { return null; }
    var label = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
    var text = label ? label.textContent : field.getAttribute("aria-label");
    return text ? { text: text.trim(), id: field.id } : null;
  }

  function nameFields() {
    var items = document.querySelectorAll(".error[role=alert] li");
    Array.prototype.forEach.call(items, function (li) {
      var text = li.textContent;
      var split = text.indexOf(": ");
      if (split <= 0) { return; }
      var found = labelOf(text.slice(0, split).trim());
      if (!found) { return; }
      li.textContent = "";
      if (found.id) {
        li.appendChild(element("a", { href: "#" + found.id }, found.text));
      } else {
        li.appendChild(document.createTextNode(found.text));
      }
      li.appendChild(document.createTextNode(": " + text.slice(split + 2)));
    });
  }

  // --- a picked point names its desa in the form's desa field (the jobcard's domicile) ------

  document.addEventListener("peta:lokasi", function (ev) {
    var form = ev.target.closest && ev.target.closest("form");
    var field = form && form.elements.desa_code;
    var place = ev.detail && ev.detail.place;
    if (field && place && place.inside && place.desa && place.desa.code) {
      field.value = place.desa.code;
    }
  });

  // --- start ----------------------------------------------------------------------------------

  function start() {
    nameFields();
    var registry = document.getElementById("peta-usulan");
    var queue = document.getElementById("peta-antrean");
    var points = document.querySelectorAll(".peta-titik");
    if (!registry && !queue && !points.length) { return; }
    withLeaflet(!!(registry || queue), function () {
      if (typeof L === "undefined" || !window.Peta) { return; } // the list and table still say it all
      if (registry) { registryMap(registry); }
      if (queue) { queueMap(queue); }
      Array.prototype.forEach.call(points, pointMap);
    });
  }

  // After every deferred script of the page (peta.js, Leaflet) has run.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
