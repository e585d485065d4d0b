// logicmine site script: highlights cited line ranges and adds table filters.
// Everything works without it; it only adds comfort. No network, no globals.
(function () {
  "use strict";

  var RANGE = /^#L(\d+)(?:-L(\d+))?$/;

  function clearHighlight() {
    var marked = document.querySelectorAll("table.source tr.hl");
    for (var i = 0; i < marked.length; i++) {
      marked[i].classList.remove("hl");
    }
  }

  // Mark lines start..end of a #L12-L20 (or #L12) hash and bring the first into view.
  function highlightRange() {
    var match = RANGE.exec(window.location.hash);
    clearHighlight();
    if (!match) {
      return;
    }
    var start = parseInt(match[1], 10);
    var end = match[2] ? parseInt(match[2], 10) : start;
    if (end < start) {
      var swap = start; start = end; end = swap;
    }
    var first = null;
    for (var n = start; n <= end; n++) {
      var row = document.getElementById("L" + n);
      if (!row) {
        break;
      }
      row.classList.add("hl");
      first = first || row;
    }
    if (first) {
      first.scrollIntoView({ block: end - start > 20 ? "start" : "center" });
    }
  }

  function rowsOf(table) {
    return table.tBodies.length ? table.tBodies[0].rows : [];
  }

  // A text box above a long table that hides the rows not containing what is typed.
  function addFilter(table) {
    var rows = rowsOf(table);
    if (rows.length < 8) {
      return;
    }
    var what = table.getAttribute("data-filter") || "rows";
    var box = document.createElement("div");
    box.className = "filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var count = document.createElement("output");
    input.type = "search";
    label.textContent = "Filter " + what;
    label.appendChild(document.createTextNode(" "));
    label.appendChild(input);
    count.textContent = rows.length + " shown";
    box.appendChild(label);
    box.appendChild(count);
    var anchor = table.closest(".table-wrap") || table;
    anchor.parentNode.insertBefore(box, anchor);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var hit = !query || rows[i].textContent.toLowerCase().indexOf(query) !== -1;
        rows[i].classList.toggle("filtered-out", !hit);
        shown += hit ? 1 : 0;
      }
      count.textContent = shown + " shown";
    });
  }

  function start() {
    var tables = document.querySelectorAll("table[data-filter]");
    for (var i = 0; i < tables.length; i++) {
      addFilter(tables[i]);
    }
    highlightRange();
  }

  window.addEventListener("hashchange", highlightRange);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
