// Guided ritual pages: countdown timers, the breathing pacer and step-by-step flows.
// Everything runs in the page, so a guide keeps working offline once it has loaded.
// No inline handlers (CSP); the words come from <template> elements in the page, so
// they are translated with the rest of it. Motion stops under prefers-reduced-motion.
(function () {
  "use strict";

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

  function textOf(root, selector) {
    var template = root.querySelector(selector);
    return template ? template.content.textContent.trim() : "";
  }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // --- Countdown: [data-timer] with data-seconds, optionally a minutes <select> ------
  function setupTimer(timer) {
    var display = timer.querySelector("[data-timer-display]");
    var status = timer.querySelector("[data-timer-status]");
    var start = timer.querySelector("[data-timer-start]");
    var reset = timer.querySelector("[data-timer-reset]");
    var minutes = timer.querySelector("[data-timer-minutes]");
    var total = parseInt(timer.getAttribute("data-seconds"), 10) || 20;
    var handle = null;
    var endsAt = 0;

    function chosen() {
      return minutes ? parseInt(minutes.value, 10) * 60 : total;
    }

    function show(seconds) {
      display.textContent = clock(Math.max(0, seconds));
    }

    function stop() {
      if (handle) window.clearInterval(handle);
      handle = null;
    }

    function tick() {
      var left = Math.ceil((endsAt - Date.now()) / 1000);
      show(left);
      if (left <= 0) {
        stop();
        timer.removeAttribute("data-running");
        timer.setAttribute("data-finished", "");
        status.textContent = textOf(timer, "[data-timer-done-text]");
        if (reset) reset.hidden = false;
        if (navigator.vibrate && !(reducedMotion && reducedMotion.matches)) navigator.vibrate(200);
      }
    }

    start.addEventListener("click", function () {
      var seconds = chosen();
      stop();
      endsAt = Date.now() + seconds * 1000;
      timer.style.setProperty("--timer-seconds", seconds + "s");
      timer.removeAttribute("data-finished");
      timer.setAttribute("data-running", "");
      status.textContent = textOf(timer, "[data-timer-running-text]");
      start.hidden = true;
      if (minutes) minutes.disabled = true;
      show(seconds);
      handle = window.setInterval(tick, 250);
    });

    if (reset) {
      reset.addEventListener("click", function () {
        stop();
        timer.removeAttribute("data-running");
        timer.removeAttribute("data-finished");
        status.textContent = "";
        reset.hidden = true;
        start.hidden = false;
        if (minutes) minutes.disabled = false;
        show(chosen());
        start.focus();
      });
    }
    if (minutes) {
      minutes.addEventListener("change", function () { show(chosen()); });
    }
  }

  // --- Breathing pacer: in for data-in seconds, out for data-out, data-breaths times --
  function setupBreathing(pacer) {
    var circle = pacer.querySelector("[data-breathing-circle]");
    var phase = pacer.querySelector("[data-breathing-phase]");
    var count = pacer.querySelector("[data-breathing-count]");
    var start = pacer.querySelector("[data-breathing-start]");
    var breaths = parseInt(pacer.getAttribute("data-breaths"), 10) || 6;
    var inhale = (parseFloat(pacer.getAttribute("data-in")) || 4) * 1000;
    var exhale = (parseFloat(pacer.getAttribute("data-out")) || 6) * 1000;
    var timeouts = [];

    function later(fn, ms) {
      timeouts.push(window.setTimeout(fn, ms));
    }

    function breathe(n) {
      if (n > breaths) {
        pacer.removeAttribute("data-running");
        pacer.setAttribute("data-finished", "");
        circle.removeAttribute("data-phase");
        phase.textContent = textOf(pacer, "[data-breathing-done]");
        count.textContent = "";
        start.hidden = false;
        return;
      }
      count.textContent = textOf(pacer, "[data-breathing-counter]").replace("{n}", n).replace("{total}", breaths);
      phase.textContent = textOf(pacer, "[data-breathing-in]");
      circle.style.setProperty("--phase-ms", inhale + "ms");
      circle.setAttribute("data-phase", "in");
      later(function () {
        phase.textContent = textOf(pacer, "[data-breathing-out]");
        circle.style.setProperty("--phase-ms", exhale + "ms");
        circle.setAttribute("data-phase", "out");
        later(function () { breathe(n + 1); }, exhale);
      }, inhale);
    }

    start.addEventListener("click", function () {
      timeouts.forEach(window.clearTimeout);
      timeouts = [];
      pacer.removeAttribute("data-finished");
      pacer.setAttribute("data-running", "");
      start.hidden = true;
      breathe(1);
    });
  }

  // --- Steps: one at a time, with back and next -------------------------------------
  function setupSteps(list) {
    var steps = list.querySelectorAll("[data-step]");
    var buttons = list.parentNode.querySelector("[data-step-buttons]");
    if (!steps.length || !buttons) return;
    var back = buttons.querySelector("[data-step-back]");
    var next = buttons.querySelector("[data-step-next]");
    var counter = buttons.querySelector("[data-step-count]");
    var label = textOf(buttons, "[data-step-counter]");
    var current = 0;

    function show(index, focus) {
      current = index;
      steps.forEach(function (step, n) { step.hidden = n !== index; });
      back.disabled = index === 0;
      next.hidden = index === steps.length - 1;
      counter.textContent = label.replace("{n}", index + 1).replace("{total}", steps.length);
      if (focus) {
        var heading = steps[index].querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
    }

    back.addEventListener("click", function () { if (current > 0) show(current - 1, true); });
    next.addEventListener("click", function () { if (current < steps.length - 1) show(current + 1, true); });
    list.setAttribute("data-one-at-a-time", "");
    buttons.hidden = false;
    show(0, false);
  }

  function setup(root) {
    root.querySelectorAll("[data-timer]").forEach(setupTimer);
    root.querySelectorAll("[data-breathing]").forEach(setupBreathing);
    root.querySelectorAll("[data-steps]").forEach(setupSteps);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setup(document); });
  } else {
    setup(document);
  }
})();
