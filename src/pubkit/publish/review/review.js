// The review view: mark untranslated, fuzzy and rejected text in each page, with its finding and
// path:line on hover, count them per language, and size each page to its content.
(function () {
  function mark(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.head || doc.location.href === "about:blank") return;
    var link = doc.createElement("link");
    link.rel = "stylesheet";
    link.href = "/_pubkit/frame.css";
    doc.head.appendChild(link);
    var counts = { untranslated: 0, fuzzy: 0, rejected: 0 };
    doc.querySelectorAll("[data-pubkit-state]").forEach(function (element) {
      var state = element.getAttribute("data-pubkit-state");
      counts[state] = (counts[state] || 0) + 1;
      element.title = element.getAttribute("data-pubkit-finding") + " — " + element.getAttribute("data-pubkit-where");
    });
    var shown = Object.keys(counts).filter(function (k) { return counts[k]; })
      .map(function (k) { return counts[k] + " " + k; });
    var column = frame.closest(".column");
    column.querySelector(".counts").textContent = shown.length ? shown.join(", ") : "everything translated";
    // The page grows as its fonts and images arrive: keep the frame as tall as its content.
    // Measured from the content, not the frame, so that a taller frame cannot make itself taller still.
    function fit() { frame.style.height = Math.max(doc.body.getBoundingClientRect().bottom + 40, 200) + "px"; }
    fit();
    new ResizeObserver(fit).observe(doc.body);
  }
  document.querySelectorAll("iframe.page").forEach(function (frame) {
    frame.addEventListener("load", function () { mark(frame); });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") mark(frame);
  });
})();
