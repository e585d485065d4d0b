// logicmine site script: cited-line highlighting, table filters, search, and (when the site is
// served by `logicmine serve`) recording review decisions. Every page works without it.
// No network except the local server's own API, no inline code, no innerHTML with data.
(function () {
  "use strict";

  var RANGE = /^#L(\d+)(?:-L(\d+))?$/;
  var MAX_RESULTS = 30;
  var TYPE_WEIGHT = { program: 8, "class": 8, process: 7, job: 6, paragraph: 5, method: 5,
                      data: 5, condition: 4, copybook: 4, transaction: 4, rule: 0 };

  function root() {
    return document.body.getAttribute("data-root") || "";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------ cited lines

  function clearHighlight() {
    var marked = document.querySelectorAll(".source .hl");
    for (var i = 0; i < marked.length; i++) { marked[i].classList.remove("hl"); }
  }

  // Mark lines start..end of a #L12-L20 (or #L12) hash and bring the first into view.
  function highlightRange() {
    var match = RANGE.exec(window.location.hash);
    clearHighlight();
    if (!match || !document.querySelector("pre.source")) { return; }
    var start = parseInt(match[1], 10);
    var end = match[2] ? parseInt(match[2], 10) : start;
    if (end < start) { var swap = start; start = end; end = swap; }
    var first = null;
    for (var n = start; n <= end; n++) {
      var line = document.getElementById("L" + n);
      if (!line) { break; }
      line.classList.add("hl");
      first = first || line;
    }
    if (first) { first.scrollIntoView({ block: end - start > 20 ? "start" : "center" }); }
  }

  // A click in the line-number gutter links to that line (numbers are drawn by CSS).
  function gutterLinks() {
    var pre = document.querySelector("pre.source");
    if (!pre) { return; }
    pre.addEventListener("click", function (event) {
      var line = event.target.closest ? event.target.closest("pre.source code > span") : null;
      if (!line) { return; }
      var gutter = parseFloat(window.getComputedStyle(line).paddingLeft) || 0;
      if (event.clientX - line.getBoundingClientRect().left < gutter) {
        window.location.hash = line.id;
      }
    });
  }

  // ------------------------------------------------------------ table filters

  function rowsOf(table) { return table.tBodies.length ? table.tBodies[0].rows : []; }

  // A text box above a long table that hides the rows not containing what is typed.
  function addFilter(table) {
    var rows = rowsOf(table);
    if (rows.length < 8) { return; }
    var what = table.getAttribute("data-filter") || "rows";
    var box = el("div", "filter");
    var label = el("label", "", "Filter " + what + " ");
    var input = el("input");
    var count = el("output", "", rows.length + " shown");
    input.type = "search";
    label.appendChild(input);
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

  // ------------------------------------------------------------ search

  var search = { items: null, loading: false, active: -1, results: [] };

  // The index is a script assigning a global: it loads from file:// where fetch() cannot.
  function loadIndex(done) {
    if (search.items) { done(); return; }
    if (window.LOGICMINE_SEARCH) { prepareIndex(); done(); return; }
    search.waiting = done;
    if (search.loading) { return; }
    search.loading = true;
    var script = document.createElement("script");
    script.src = root() + "search-index.js";
    script.onload = function () {
      prepareIndex();
      if (search.waiting) { search.waiting(); }
    };
    script.onerror = function () { status("The search index could not be loaded."); };
    document.head.appendChild(script);
  }

  function prepareIndex() {
    var data = window.LOGICMINE_SEARCH;
    var items = [];
    // chunks of [pages, entries]: an entry names its page by its place in its chunk's pages
    for (var c = 0; c < data.chunks.length; c++) {
      var pages = data.chunks[c][0], entries = data.chunks[c][1];
      for (var i = 0; i < entries.length; i++) {
        var it = entries[i];
        items.push({ type: data.types[it[0]], name: it[1], detail: it[2],
                     lname: it[1].toLowerCase(), ldetail: it[2].toLowerCase(),
                     url: pages[it[3]] + (it[4] ? "#" + it[4] : "") });
      }
    }
    search.items = items;
  }

  // Exact name, then prefix, then a word of the name, then anywhere in name or detail.
  function score(item, query, terms) {
    var name = item.lname;
    var s;
    if (name === query) { s = 100; }
    else if (name.indexOf(query) === 0) { s = 80; }
    else if (name.indexOf("-" + query) !== -1 || name.indexOf(" " + query) !== -1) { s = 60; }
    else if (name.indexOf(query) !== -1) { s = 45; }
    else {
      var hay = name + " " + item.ldetail;
      for (var i = 0; i < terms.length; i++) {
        if (hay.indexOf(terms[i]) === -1) { return 0; }
      }
      s = name.indexOf(terms[0]) !== -1 ? 25 : 15;
    }
    return s + (TYPE_WEIGHT[item.type] || 0);
  }

  function runSearch(text) {
    var started = performance.now();
    var query = text.trim().toLowerCase().replace(/\s+/g, " ");
    var found = [];
    if (query) {
      var terms = query.split(" ");
      var items = search.items;
      for (var i = 0; i < items.length; i++) {
        var s = score(items[i], query, terms);
        if (s > 0) { found.push([s, items[i]]); }
      }
      found.sort(function (a, b) {
        return b[0] - a[0] || a[1].name.length - b[1].name.length ||
               (a[1].name < b[1].name ? -1 : a[1].name > b[1].name ? 1 : 0);
      });
    }
    showResults(query, found, started);
  }

  function status(text) {
    var node = document.getElementById("search-status");
    if (node) { node.textContent = text; }
  }

  function showResults(query, found, started) {
    var list = document.getElementById("search-results");
    var panel = document.getElementById("search-panel");
    var input = document.getElementById("search-input");
    list.textContent = "";
    search.results = found.slice(0, MAX_RESULTS);
    search.active = search.results.length ? 0 : -1;
    for (var i = 0; i < search.results.length; i++) {
      var item = search.results[i][1];
      var li = el("li", "search-result");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      var a = el("a");
      a.href = root() + item.url;
      a.tabIndex = -1;
      a.appendChild(el("span", "sr-type", item.type));
      a.appendChild(el("span", "sr-name", item.name));
      if (item.detail) { a.appendChild(el("span", "sr-detail", item.detail)); }
      li.appendChild(a);
      list.appendChild(li);
    }
    var ms = performance.now() - started;
    list.setAttribute("data-ms", ms.toFixed(1));
    list.setAttribute("data-count", String(found.length));
    var open = query.length > 0;
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      status(found.length ? found.length + " found" +
             (found.length > MAX_RESULTS ? ", showing the best " + MAX_RESULTS : "") +
             " (" + ms.toFixed(0) + " ms)" : "Nothing found for \u201c" + query + "\u201d");
    }
    markActive();
  }

  function markActive() {
    var input = document.getElementById("search-input");
    var options = document.querySelectorAll("#search-results [role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === search.active ? "true" : "false");
    }
    if (search.active >= 0 && options[search.active]) {
      input.setAttribute("aria-activedescendant", options[search.active].id);
      options[search.active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function closeSearch() {
    document.getElementById("search-panel").hidden = true;
    document.getElementById("search-input").setAttribute("aria-expanded", "false");
  }

  function onSearchKey(event) {
    var count = search.results.length;
    if (event.key === "ArrowDown" && count) {
      search.active = (search.active + 1) % count; markActive(); event.preventDefault();
    } else if (event.key === "ArrowUp" && count) {
      search.active = (search.active - 1 + count) % count; markActive(); event.preventDefault();
    } else if (event.key === "Enter" && search.active >= 0 && count) {
      event.preventDefault();
      window.location.href = root() + search.results[search.active][1].url;
      closeSearch();
    } else if (event.key === "Escape") {
      closeSearch();
    }
  }

  // The search box exists only with this script, so the pages do not carry its markup.
  function buildSearch() {
    var header = document.querySelector(".site-header");
    if (!header) { return null; }
    var box = el("div", "search");
    box.id = "search";
    var label = el("label", "visually-hidden", "Search the estate");
    label.htmlFor = "search-input";
    var input = el("input");
    input.id = "search-input";
    input.type = "search";
    input.placeholder = "Search programs, rules, data\u2026  (press /)";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "search-results");
    input.setAttribute("aria-autocomplete", "list");
    var panel = el("div", "search-panel");
    panel.id = "search-panel";
    panel.hidden = true;
    var state = el("p", "search-status");
    state.id = "search-status";
    state.setAttribute("role", "status");
    var list = el("ul");
    list.id = "search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    panel.appendChild(state);
    panel.appendChild(list);
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(panel);
    var brand = header.querySelector(".brand");
    header.insertBefore(box, brand ? brand.nextSibling : header.firstChild);
    return box;
  }

  function startSearch() {
    var box = buildSearch();
    var input = document.getElementById("search-input");
    if (!box || !input) { return; }
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    input.addEventListener("input", function () {
      loadIndex(function () { runSearch(input.value); });
    });
    input.addEventListener("keydown", onSearchKey);
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      var typing = tag === "input" || tag === "textarea" || event.target.isContentEditable;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) { closeSearch(); }
    });
  }

  // ------------------------------------------------------------ reviews (served only)

  var review = { token: "" };

  function api(method, path, body, done) {
    var options = { method: method, headers: { "X-Logicmine-Token": review.token },
                    credentials: "same-origin", cache: "no-store" };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    fetch("/api/" + path, options).then(function (response) {
      return response.json().then(function (data) { done(response.ok, data); });
    }).catch(function () { done(false, { error: "the review server did not answer" }); });
  }

  function setBadge(box, state, label, comment, at) {
    box.className = "review st-" + (state || "none");
    box.querySelector(".badge").textContent = label;
    var old = box.querySelectorAll(".review-comment, .review-at");
    for (var i = 0; i < old.length; i++) { old[i].remove(); }
    var anchor = box.querySelector(".review-controls");
    if (comment) { box.insertBefore(el("q", "review-comment", comment), anchor); }
    if (at) { box.insertBefore(el("span", "review-at", at), anchor); }
  }

  function decide(box, status, comment) {
    var body = { section: box.getAttribute("data-section"), id: box.getAttribute("data-id"),
                 status: status, comment: comment || "" };
    var message = box.querySelector(".review-message");
    message.textContent = "Saving…";
    api("POST", "review", body, function (ok, data) {
      if (!ok) { message.textContent = "Not saved: " + (data.error || "refused"); return; }
      message.textContent = "Saved.";
      setBadge(box, data.state, data.label, data.comment, data.at);
    });
  }

  function commentForm(box) {
    var form = box.querySelector(".review-form");
    if (form) { form.querySelector("textarea").focus(); return; }
    form = el("div", "review-form");
    var label = el("label", "", "Comment ");
    var area = el("textarea");
    area.rows = 3;
    area.maxLength = 4000;
    var current = box.querySelector(".review-comment");
    area.value = current ? current.textContent : "";
    label.appendChild(area);
    var save = el("button", "", "Save comment");
    save.type = "button";
    var cancel = el("button", "", "Cancel");
    cancel.type = "button";
    save.addEventListener("click", function () {
      decide(box, "commented", area.value);
      form.remove();
    });
    cancel.addEventListener("click", function () { form.remove(); });
    form.appendChild(label);
    form.appendChild(save);
    form.appendChild(cancel);
    box.appendChild(form);
    area.focus();
  }

  function addControls(box) {
    var what = box.getAttribute("data-what") || "item";
    var group = el("span", "review-controls");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Review the " + what + " " + box.getAttribute("data-id"));
    [["accepted", "Accept"], ["rejected", "Reject"], ["commented", "Comment…"],
     ["", "Clear"]].forEach(function (pair) {
      var button = el("button", "review-button rb-" + (pair[0] || "clear"), pair[1]);
      button.type = "button";
      button.addEventListener("click", function () {
        if (pair[0] === "commented") { commentForm(box); } else { decide(box, pair[0], ""); }
      });
      group.appendChild(button);
    });
    box.appendChild(group);
    var message = el("span", "review-message");
    message.setAttribute("role", "status");
    box.appendChild(message);
  }

  function startReviews() {
    var meta = document.querySelector('meta[name="logicmine-token"]');
    if (!meta) { return; }
    review.token = meta.getAttribute("content");
    document.body.classList.add("served");
    var note = document.getElementById("review-mode");
    if (note) { note.textContent = "Decisions you record here are written to the reviews file."; }
    var boxes = document.querySelectorAll(".review[data-section]");
    for (var i = 0; i < boxes.length; i++) { addControls(boxes[i]); }
    api("GET", "reviews", null, function (ok, data) {
      if (!ok) { return; }
      for (var j = 0; j < boxes.length; j++) {
        var box = boxes[j];
        var section = data[box.getAttribute("data-section")] || {};
        var d = section[box.getAttribute("data-id")];
        if (d) { setBadge(box, d.state, d.label, d.comment, d.at); }
        else { setBadge(box, "", "Not reviewed", "", ""); }
      }
      document.body.setAttribute("data-reviews-loaded", "true");
    });
  }

  // ------------------------------------------------------------ start

  function start() {
    var tables = document.querySelectorAll("table[data-filter]");
    for (var i = 0; i < tables.length; i++) { addFilter(tables[i]); }
    startSearch();
    gutterLinks();
    startReviews();
    highlightRange();
  }

  window.addEventListener("hashchange", highlightRange);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
