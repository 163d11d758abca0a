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
      li.className = "pestle-finding";
      var where = document.createElement("code");
      where.className = "pestle-place";
      where.textContent = f.place;
      li.appendChild(where);
      var message = document.createElement("div");
      message.className = "pestle-message";
      withCode(message, f.message);
      li.appendChild(message);
      if (f.source != null && f.column) {
        // The line as written, with a caret under the column, as in the terminal.
        var pre = document.createElement("pre");
        pre.className = "pestle-source";
        pre.setAttribute("style", "margin:.25rem 0;padding:.25rem .5rem;background:#f0f4f5;overflow:auto;font:14px/1.4 ui-monospace,monospace");
        var line = String(f.source).replace(/\t/g, "    ");
        var caret = Array.from(String(f.source).slice(0, f.column - 1)).map(function (c) { return c === "\t" ? "    " : " "; }).join("");
        pre.textContent = (f.line ? f.line + " | " : "") + line + "\n" + (f.line ? " ".repeat(String(f.line).length) + " | " : "") + caret + "^";
        li.appendChild(pre);
      }
      if (f.hint) {
        var hint = document.createElement("div");
        hint.className = "pestle-hint";
        withCode(hint, "Fix: " + f.hint);
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

  // Text where `backticks` mark code: those parts become <code>, the rest
  // text nodes (never HTML: the text comes from the site's files).
  function withCode(el, text) {
    String(text).split("`").forEach(function (part, i) {
      if (i % 2 === 1) {
        var c = document.createElement("code");
        c.textContent = part;
        el.appendChild(c);
      } else if (part) {
        el.appendChild(document.createTextNode(part));
      }
    });
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
