// Live rounds: the judge's scores saved as typed, the host's progress table kept fresh and the
// pitch timer. Progressive enhancement only; no inline script (CSP).
(function () {
  "use strict";

  // --- saved as typed ---------------------------------------------------------------------
  var form = document.querySelector("form[data-autosave]");
  if (form) {
    var status = form.querySelector(".autosave-status");
    var timer = null;
    var save = function () {
      var data = new FormData(form);
      data.set("action", "save");
      if (status) { status.textContent = "…"; }
      fetch(form.getAttribute("data-autosave"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      }).then(function (response) {
        return response.json().then(function (body) {
          form.querySelectorAll("[aria-invalid]").forEach(function (el) {
            el.removeAttribute("aria-invalid");
          });
          if (body.saved) {
            if (status) { status.textContent = status.getAttribute("data-saved") || "✓"; }
          } else {
            if (status) { status.textContent = body.error; }
            var field = body.field && form.querySelector("#" + body.field);
            if (field) { field.setAttribute("aria-invalid", "true"); }
          }
        });
      }).catch(function () {
        if (status) { status.textContent = "✗"; }
      });
    };
    form.addEventListener("input", function (event) {
      if (event.target.name === "signed_name") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    });
  }

  // --- the host's progress table ------------------------------------------------------------
  var progress = document.getElementById("round-progress");
  if (progress) {
    window.setInterval(function () {
      fetch(progress.getAttribute("data-refresh"), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html")
            .getElementById("round-progress");
          if (fresh) { progress.innerHTML = fresh.innerHTML; }
        }).catch(function () {});
    }, 10000);
  }

  // --- the pitch timer ----------------------------------------------------------------------
  var clock = document.querySelector(".pitch-clock");
  if (clock) {
    var title = document.querySelector(".pitch-title");
    var remaining = 0;
    var running = false;
    var render = function () {
      var seconds = Math.max(remaining, 0);
      var text = String(Math.floor(seconds / 60)).padStart(2, "0") + ":" +
        String(seconds % 60).padStart(2, "0");
      clock.textContent = text;
      clock.classList.toggle("pitch-over", remaining <= 0);
    };
    window.setInterval(function () {
      if (running && remaining > 0) { remaining -= 1; render(); }
    }, 1000);
    document.querySelectorAll(".pitch-start").forEach(function (button) {
      button.addEventListener("click", function () {
        remaining = parseInt(button.getAttribute("data-minutes"), 10) * 60;
        title.textContent = button.getAttribute("data-title");
        running = true;
        render();
      });
    });
    var pause = document.querySelector(".pitch-pause");
    if (pause) { pause.addEventListener("click", function () { running = !running; }); }
  }
})();
