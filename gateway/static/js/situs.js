/* The site's chrome (gateway/templates/base.html), loaded in the head of every page.
 *
 * - `js` on <html> at once, so that on narrow screens the navigation is drawn collapsed behind
 *   its "Menu" button from the first paint (without scripts it simply stays open);
 * - the button opens and closes the navigation (aria-expanded), Escape closes it and gives the
 *   focus back to the button;
 * - a table that scrolls sideways (situs.css) and holds nothing focusable gets tabindex=0, so
 *   that it can be scrolled with the keyboard.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function menu() {
    var button = document.querySelector(".menu-tombol");
    var nav = document.getElementById("navigasi");
    if (!button || !nav) return;

    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("terbuka", open);
    }

    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (!nav.contains(document.activeElement) && document.activeElement !== button) return;
      set(false);
      button.focus();
    });
    set(false);
  }

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function scrollableTables() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.hasAttribute("tabindex") || table.querySelector(FOCUSABLE)) continue;
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      }
    }
  }

  function ready() {
    menu();
    scrollableTables();
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(scrollableTables, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
