// Organizers move exhibitors on a hall's plan (the hall's plan page, and the allocation page's
// plans): drag a stand onto another with a mouse, a pen or a finger (pointer events), or with
// the keyboard: focus a stand, press M, go to the other stand (Tab or the arrow keys), press
// Enter; Escape cancels. Onto a free stand the exhibitor moves; onto an occupied one the two
// swap (the server decides and refuses what the rules forbid: locked stands, full ones).
// The move is a POST to /organize/exhibitions/{slug}/plans/move with the page's CSRF token;
// then the plan (and the parts of the page listed in data-refresh) is read again.
// Without JavaScript the move forms of the allocation page do the same.
(function () {
  "use strict";

  var DRAG_DISTANCE = 6; // px a pointer travels before a press becomes a drag

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function Editor(root) {
    this.root = root;
    this.carried = null; // the stand being moved (a drag or the keyboard's pick)
    this.press = null; // a pointer down on a stand, not yet a drag
    this.target = null;
    this.ghost = null;
    this.busy = false;
    this.status = document.createElement("p");
    this.status.className = "plan-drag-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.hint = document.createElement("p");
    this.hint.className = "plan-drag-hint";
    this.hint.id = "plan-drag-hint-" + Math.random().toString(36).slice(2);
    // Above the plan (on the hall's page, above the plan and its panel side by side).
    (root.closest(".plan-layout") || root).before(this.hint, this.status);
    this.listen();
    if (root.dataset.fragment) this.load();
    else this.read();
  }

  Editor.prototype.read = function () {
    var source = this.root.querySelector(".plan-editor-data");
    if (!source) return;
    this.data = JSON.parse(source.textContent);
    this.hint.textContent = this.data.messages.hint;
    var hint = this.hint.id;
    var stands = this.data.stands;
    this.root.querySelectorAll("svg .stand").forEach(function (stand) {
      var seats = stands[stand.getAttribute("data-stand")] || [];
      var movable = seats.some(function (seat) { return !seat.locked; });
      stand.classList.toggle("movable", movable);
      stand.classList.toggle("drag-locked", seats.length > 0 && !movable);
      stand.setAttribute("aria-describedby", hint);
    });
  };

  Editor.prototype.load = function () {
    var editor = this;
    return fetch(this.root.dataset.fragment, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        editor.root.innerHTML = html;
        editor.read();
      });
  };

  // After a move: the plans again, and the parts of the page that show assignments.
  Editor.prototype.refresh = function () {
    var editor = this;
    var selectors = (this.root.dataset.refresh || "").split(",").map(function (part) { return part.trim(); })
      .filter(Boolean);
    var page = selectors.length
      ? fetch(window.location.href, { credentials: "same-origin" }).then(function (response) { return response.text(); })
      : Promise.resolve("");
    var fragment = this.root.dataset.fragment ? this.load() : Promise.resolve();
    return Promise.all([page, fragment]).then(function (results) {
      if (!results[0]) return;
      var fresh = new DOMParser().parseFromString(results[0], "text/html");
      selectors.forEach(function (selector) {
        var now = document.querySelector(selector);
        var then = fresh.querySelector(selector);
        if (now && then) now.innerHTML = then.innerHTML;
      });
      if (!editor.root.dataset.fragment) editor.read();
      document.dispatchEvent(new CustomEvent("plan:refreshed"));
    });
  };

  Editor.prototype.say = function (message, kind) {
    this.status.textContent = message;
    this.status.className = "plan-drag-status" + (kind ? " " + kind : "");
  };

  Editor.prototype.seats = function (stand) {
    return (this.data && this.data.stands[stand.getAttribute("data-stand")]) || [];
  };

  // May this stand's exhibitor be moved? Says why not.
  Editor.prototype.canCarry = function (stand) {
    var seats = this.seats(stand);
    var code = stand.getAttribute("data-stand");
    if (!seats.length) {
      this.say(format(this.data.messages.empty, { code: code }), "error");
      return false;
    }
    if (!seats.some(function (seat) { return !seat.locked; })) {
      this.say(format(this.data.messages.locked, { code: code }), "error");
      return false;
    }
    return true;
  };

  Editor.prototype.pick = function (stand) {
    this.carried = stand;
    stand.classList.add("drag-source");
    this.root.classList.add("dragging");
  };

  Editor.prototype.aim = function (stand) {
    if (this.target === stand) return;
    if (this.target) this.target.classList.remove("drop-target", "drop-swap");
    this.target = stand && stand !== this.carried ? stand : null;
    if (this.target) {
      this.target.classList.add("drop-target");
      if (this.seats(this.target).length) this.target.classList.add("drop-swap");
    }
  };

  Editor.prototype.drop = function () {
    var source = this.carried;
    var target = this.target;
    this.clear();
    if (!source || !target) return;
    var seat = this.seats(source).filter(function (each) { return !each.locked; })[0];
    var editor = this;
    var code = target.getAttribute("data-stand");
    var body = new URLSearchParams({ application: String(seat.application), code: code, _csrf_token: this.root.dataset.csrf });
    this.busy = true;
    this.say(this.data.messages.saving, "");
    fetch(this.data.move_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": this.root.dataset.csrf, Accept: "application/json" },
      body: body,
    })
      .then(function (response) {
        return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
      })
      .then(function (result) {
        return editor.refresh().then(function () {
          editor.say(result.answer.message, result.ok ? "done" : "error");
          var landed = editor.root.querySelector('.stand[data-stand="' + CSS.escape(result.ok ? code : source.getAttribute("data-stand")) + '"]');
          if (landed) landed.focus({ preventScroll: true });
        });
      })
      .catch(function () {
        editor.say(editor.data.messages.failed, "error");
      })
      .finally(function () {
        editor.busy = false;
      });
  };

  Editor.prototype.clear = function () {
    if (this.carried) this.carried.classList.remove("drag-source");
    this.aim(null);
    this.carried = null;
    this.press = null;
    this.root.classList.remove("dragging");
    if (this.ghost) this.ghost.remove();
    this.ghost = null;
  };

  Editor.prototype.standAt = function (x, y) {
    var element = document.elementFromPoint(x, y);
    var stand = element && element.closest ? element.closest(".stand") : null;
    return stand && this.root.contains(stand) ? stand : null;
  };

  Editor.prototype.listen = function () {
    var editor = this;
    var root = this.root;

    root.addEventListener("pointerdown", function (event) {
      if (editor.busy || event.button !== 0 || !editor.data) return;
      var stand = event.target.closest ? event.target.closest(".stand") : null;
      if (!stand || !root.contains(stand)) return;
      editor.clear();
      editor.press = { stand: stand, x: event.clientX, y: event.clientY, id: event.pointerId };
    });

    root.addEventListener("pointermove", function (event) {
      var press = editor.press;
      if (!press || press.id !== event.pointerId) return;
      if (!editor.carried) {
        if (Math.hypot(event.clientX - press.x, event.clientY - press.y) < DRAG_DISTANCE) return;
        if (!editor.canCarry(press.stand)) {
          editor.press = null;
          return;
        }
        editor.pick(press.stand);
        try { root.setPointerCapture(event.pointerId); } catch (ignored) { /* the pointer is gone */ }
        editor.ghost = document.createElement("div");
        editor.ghost.className = "plan-drag-ghost";
        editor.ghost.setAttribute("aria-hidden", "true");
        editor.ghost.textContent = press.stand.getAttribute("data-stand");
        document.body.append(editor.ghost);
      }
      event.preventDefault();
      editor.ghost.style.left = event.clientX + 12 + "px";
      editor.ghost.style.top = event.clientY + 12 + "px";
      editor.aim(editor.standAt(event.clientX, event.clientY));
      editor.ghost.textContent = editor.carried.getAttribute("data-stand") +
        (editor.target ? " → " + editor.target.getAttribute("data-stand") : "");
    });

    root.addEventListener("pointerup", function (event) {
      if (!editor.press || editor.press.id !== event.pointerId) return;
      if (editor.carried) {
        editor.aim(editor.standAt(event.clientX, event.clientY));
        editor.drop();
      } else {
        editor.press = null;
      }
    });

    // A finger on a movable stand drags it rather than scrolling the page (Chromium does not
    // honour touch-action on SVG shapes); from an aisle or a locked stand, the page scrolls.
    root.addEventListener("touchmove", function (event) {
      if (editor.press && editor.press.stand.classList.contains("movable")) event.preventDefault();
    }, { passive: false });

    root.addEventListener("pointercancel", function () {
      if (editor.carried) editor.say(editor.data.messages.cancelled, "");
      editor.clear();
    });

    // Capture, so Enter on a target drops before the plan's panel (plan.js) reads the key.
    root.addEventListener("keydown", function (event) {
      var stand = event.target.closest ? event.target.closest(".stand") : null;
      if (!stand || !editor.data || editor.busy) return;
      var key = event.key;
      if ((key === "m" || key === "M") && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        editor.clear();
        if (editor.canCarry(stand)) {
          editor.pick(stand);
          editor.say(format(editor.data.messages.picked, { code: stand.getAttribute("data-stand") }), "");
        }
      } else if (key === "Escape" && editor.carried) {
        editor.clear();
        editor.say(editor.data.messages.cancelled, "");
      } else if ((key === "Enter" || key === " ") && editor.carried && stand !== editor.carried) {
        event.preventDefault();
        event.stopPropagation();
        editor.aim(stand);
        editor.drop();
      } else if (key.indexOf("Arrow") === 0) {
        var next = nearest(stand, key);
        if (next) {
          event.preventDefault();
          next.focus();
        }
      }
    }, true);

    root.addEventListener("focusin", function (event) {
      if (!editor.carried) return;
      var stand = event.target.closest ? event.target.closest(".stand") : null;
      if (stand) editor.aim(stand);
    });
  };

  // The stand nearest to this one in the arrow's direction, on the same plan.
  function nearest(stand, key) {
    var svg = stand.ownerSVGElement;
    var from = stand.getBoundingClientRect();
    var fromX = from.left + from.width / 2;
    var fromY = from.top + from.height / 2;
    var best = null;
    var bestScore = Infinity;
    svg.querySelectorAll(".stand").forEach(function (other) {
      if (other === stand) return;
      var box = other.getBoundingClientRect();
      var dx = box.left + box.width / 2 - fromX;
      var dy = box.top + box.height / 2 - fromY;
      var along = { ArrowRight: dx, ArrowLeft: -dx, ArrowDown: dy, ArrowUp: -dy }[key];
      var across = key === "ArrowRight" || key === "ArrowLeft" ? Math.abs(dy) : Math.abs(dx);
      if (along === undefined || along <= 1) return;
      var score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = other;
      }
    });
    return best;
  }

  function start() {
    document.querySelectorAll("[data-plan-editor]").forEach(function (root) {
      new Editor(root); // eslint-disable-line no-new
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
