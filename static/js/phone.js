// Attune on a phone: the service worker (offline page, push), keeping this phone's
// push subscription fresh, the push buttons on the settings page, and drafts of an
// answer being typed. Loaded on every page with the CSP nonce; no inline handlers.
(function () {
  "use strict";

  var script = document.currentScript;
  var refreshUrl = script && script.getAttribute("data-push-refresh");

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function postJson(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(data),
    });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  var pushSupported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  // --- The service worker, and the subscription refreshed on every open -------------
  var registration = null;
  if ("serviceWorker" in navigator) {
    registration = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (reg) {
      if (refreshUrl && pushSupported && Notification.permission === "granted") {
        reg.pushManager.getSubscription().then(function (subscription) {
          if (subscription) postJson(refreshUrl, subscription.toJSON());
        });
      }
      return reg;
    });
    registration.catch(function () { /* no worker: the site works as before */ });
  }

  // --- The settings page's push buttons ---------------------------------------------
  function setupPush(root) {
    var box = root.querySelector("[data-push-setup]");
    if (!box || box.hasAttribute("data-ready")) return;
    box.setAttribute("data-ready", "");
    var enable = box.querySelector("[data-push-enable]");
    var disable = box.querySelector("[data-push-disable]");
    var status = box.querySelector("[data-push-status]");
    var key = box.getAttribute("data-vapid-key");
    if (!enable || !disable || !key) return;
    var say = function (name) { status.textContent = box.getAttribute("data-say-" + name) || ""; };
    if (!pushSupported || !registration) {
      say("unsupported");
      return;
    }
    var show = function (subscribed) {
      enable.hidden = subscribed;
      disable.hidden = !subscribed;
    };
    registration.then(function (reg) {
      return reg.pushManager.getSubscription();
    }).then(function (subscription) {
      show(Boolean(subscription));
      if (Notification.permission === "denied") say("denied");
    });
    enable.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          say("denied");
          return null;
        }
        return registration.then(function (reg) {
          return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
        }).then(function (subscription) {
          return postJson(box.getAttribute("data-subscribe-url"), subscription.toJSON());
        }).then(function (response) {
          show(response.ok);
          say(response.ok ? "on" : "failed");
        });
      }).catch(function () { say("failed"); });
    });
    disable.addEventListener("click", function () {
      registration.then(function (reg) {
        return reg.pushManager.getSubscription();
      }).then(function (subscription) {
        if (!subscription) return null;
        var data = subscription.toJSON();
        return subscription.unsubscribe().then(function () {
          return postJson(box.getAttribute("data-unsubscribe-url"), data);
        });
      }).then(function () {
        show(false);
        say("off");
      }).catch(function () { say("failed"); });
    });
  }

  // --- Drafts: an answer being typed survives a reload or a lost connection ----------
  // Any form with a textarea and a hidden "day" keeps its text in this phone's storage
  // under that day, until the server takes it (a successful htmx response).
  function draftKey(form) {
    var day = form.querySelector("input[name='day']");
    return day && day.value ? "attune:draft:" + (form.getAttribute("action") || "") + ":" + day.value : null;
  }

  function setupDrafts(root) {
    root.querySelectorAll("form").forEach(function (form) {
      var field = form.querySelector("textarea");
      var key = draftKey(form);
      if (!field || !key || form.hasAttribute("data-draft-ready")) return;
      form.setAttribute("data-draft-ready", "");
      try {
        var kept = window.localStorage.getItem(key);
        if (kept && !field.value.trim()) {
          field.value = kept;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      } catch (error) { /* storage off: typing still works */ }
      field.addEventListener("input", function () {
        try {
          if (field.value.trim()) window.localStorage.setItem(key, field.value);
          else window.localStorage.removeItem(key);
        } catch (error) { /* storage full or off */ }
      });
      form.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.successful) {
          try { window.localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
        }
      });
    });
  }

  function start() {
    setupPush(document);
    setupDrafts(document);
    document.body.addEventListener("htmx:load", function (event) {
      var root = event.detail.elt.parentNode || document;
      setupPush(root);
      setupDrafts(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
