// A hall's interactive plan (templates/stands/plan_page.html): hover, tap or Enter on a stand
// shows its exhibitors; the search box highlights the stands whose exhibitor matches, folded
// like the server folds names (exhibitions/search.py: fold), so "cooperative" finds
// "Coopérative" and "اركان" finds "أركان".
(function () {
  "use strict";

  // Arabic letters people write interchangeably, as in search.py's _ARABIC_EQUIVALENTS.
  var EQUIVALENTS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": "" };

  function fold(text) {
    var bare = String(text).toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    var unified = "";
    for (var char of bare) {
      unified += Object.prototype.hasOwnProperty.call(EQUIVALENTS, char) ? EQUIVALENTS[char] : char;
    }
    return unified.split(/\s+/).filter(Boolean).join(" ");
  }
  window.planFold = fold; // the browser tests compare it with search.fold

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function start() {
    var source = document.getElementById("plan-data");
    var canvas = document.querySelector(".plan-canvas");
    var panel = document.getElementById("plan-panel");
    if (!source || !canvas || !canvas.querySelector("svg") || !panel) return;
    // The canvas stays; its SVG and the data are replaced when an organizer moves a stand
    // (plan-drag.js), so listeners sit on the canvas and the index is rebuilt on "plan:refreshed".
    var svg, data, messages, stands, haystacks;
    function index() {
      svg = canvas.querySelector("svg");
      data = JSON.parse(source.textContent);
      messages = data.messages;
      stands = Array.prototype.slice.call(svg.querySelectorAll(".stand"));
      haystacks = {};
      stands.forEach(function (stand) {
        var code = stand.getAttribute("data-stand");
        var info = data.stands[code] || { exhibitors: [] };
        var names = info.exhibitors.map(function (exhibitor) {
          return exhibitor.name_ar + " " + exhibitor.name_latin;
        });
        haystacks[code] = fold(code + " " + names.join(" "));
        stand.setAttribute("role", "button");
      });
    }
    index();

    var title = panel.querySelector("h2");
    var status = panel.querySelector(".plan-panel-status");
    var list = panel.querySelector(".plan-panel-exhibitors");
    var shown = null;

    function show(stand) {
      var code = stand.getAttribute("data-stand");
      var info = data.stands[code] || { status: "", exhibitors: [] };
      if (shown) shown.classList.remove("shown");
      shown = stand;
      stand.classList.add("shown");
      title.textContent = format(messages.stand, { code: code });
      status.textContent = info.exhibitors.length ? info.status : messages.free;
      list.replaceChildren();
      info.exhibitors.forEach(function (exhibitor) {
        var item = document.createElement("li");
        var arabic = document.createElement("p");
        arabic.className = "plan-name-ar";
        arabic.lang = "ar";
        arabic.dir = "rtl";
        arabic.textContent = exhibitor.name_ar;
        var latin = document.createElement("p");
        latin.className = "plan-name-latin";
        latin.dir = "ltr";
        latin.textContent = exhibitor.name_latin;
        var details = document.createElement("p");
        details.className = "plan-details";
        details.textContent = exhibitor.sector + " · " + messages.region + " " + exhibitor.region;
        var link = document.createElement("a");
        link.href = exhibitor.url;
        link.textContent = messages.directory;
        item.append(arabic, latin, details, link);
        list.append(item);
      });
      panel.hidden = false;
    }

    function hide() {
      panel.hidden = true;
      if (shown) shown.classList.remove("shown");
      shown = null;
    }

    function standOf(event) {
      return event.target.closest ? event.target.closest(".stand") : null;
    }

    // Pointer events cover the mouse, the pen and a finger's tap alike.
    ["pointerover", "pointerup", "click"].forEach(function (type) {
      canvas.addEventListener(type, function (event) {
        var stand = standOf(event);
        if (stand && stand !== shown) show(stand);
      });
    });
    canvas.addEventListener("keydown", function (event) {
      var stand = standOf(event);
      if (stand && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        show(stand);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) hide();
    });
    panel.querySelector(".plan-panel-close").addEventListener("click", hide);

    var search = document.getElementById("plan-search");
    var count = document.getElementById("plan-matches");
    function filter() {
      var words = fold(search.value).split(" ").filter(Boolean);
      var matches = 0;
      stands.forEach(function (stand) {
        var haystack = haystacks[stand.getAttribute("data-stand")];
        var match = words.length > 0 && words.every(function (word) { return haystack.indexOf(word) >= 0; });
        stand.classList.toggle("match", match);
        if (match) matches += 1;
      });
      svg.classList.toggle("searching", words.length > 0);
      if (!words.length) count.textContent = "";
      else count.textContent = matches ? format(messages.matches, { count: matches }) : messages.none;
      if (matches === 1) show(svg.querySelector(".stand.match"));
    }
    search.addEventListener("input", filter);
    document.addEventListener("plan:refreshed", function () {
      var code = shown && shown.getAttribute("data-stand");
      index();
      shown = null;
      if (search.value) filter();
      var again = code && svg.querySelector('.stand[data-stand="' + CSS.escape(code) + '"]');
      if (again && !panel.hidden) show(again);
    });

    // ?highlight=CODE (the directory links with it): bring the stand into view, open its panel.
    var highlighted = svg.querySelector(".stand.highlight");
    if (highlighted) {
      highlighted.scrollIntoView({ block: "center", inline: "center" });
      show(highlighted);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
