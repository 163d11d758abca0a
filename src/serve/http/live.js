// pestle serve: live reload and the build-error overlay. Injected only by
// `pestle serve`; never part of a built site.
(function () {
  "use strict";
  var here = location.pathname.replace(/^\/+/, "");
  if (here === "" || here.endsWith("/")) here += "index.html";

  function overlay(findings) {
    var box = document.getElementById("pestle-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "pestle-overlay";
      box.setAttribute("role", "alert");
      box.setAttribute("style", "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#212b32;border-top:6px solid #d5281b;padding:1rem 1.25rem;font:16px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.setAttribute("style", "margin:0 0 .5rem;font-size:1.25rem");
    h.textContent = "The site could not be rebuilt: showing the last good version";
    box.appendChild(h);
    var list = document.createElement("ul");
    list.setAttribute("style", "margin:0 0 .75rem;padding-left:1.25rem");
    findings.forEach(function (f) {
      var li = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = f.place;
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + f.message));
      if (f.hint) {
        var hint = document.createElement("div");
        hint.textContent = "Fix: " + f.hint;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
  }

  function clearOverlay() {
    var box = document.getElementById("pestle-overlay");
    if (box) box.remove();
  }

  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var url = new URL(l.href);
      url.searchParams.set("pestle", Date.now().toString());
      l.href = url.toString();
    });
  }

  function refresh() {
    // Swap the new body in place to avoid a white flash; reload if that fails.
    var y = window.scrollY;
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var sheets = function (d) {
          return Array.prototype.map.call(d.querySelectorAll('link[rel="stylesheet"]'), function (l) {
            return (l.getAttribute("href") || "").split("?")[0];
          }).join(" ");
        };
        // A different head (another stylesheet) needs a real reload.
        if (sheets(doc) !== sheets(document)) { location.reload(); return; }
        document.title = doc.title;
        document.body.replaceWith(doc.body);
        window.scrollTo(0, y);
        document.dispatchEvent(new CustomEvent("pestle:reloaded"));
      })
      .catch(function () { location.reload(); });
  }

  var events = new EventSource("/__pestle/events");
  events.addEventListener("reload", function (e) {
    clearOverlay();
    var data = JSON.parse(e.data);
    var css = data.changed.every(function (p) { return /\.css$/.test(p); });
    if (css) { swapCss(); return; }
    if (data.changed.indexOf(here) !== -1 || data.changed.indexOf("*") !== -1) refresh();
  });
  events.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
  events.addEventListener("ok", clearOverlay);
})();
