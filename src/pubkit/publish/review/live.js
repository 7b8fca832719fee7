// Live reload: the desk tells every open page when it has rebuilt (Server-Sent Events), and shows a
// build error in place until the next good save. Pages inside the review view leave this to it.
(function () {
  if (window.top !== window) return;
  var known = document.body && document.body.dataset.pubkitGeneration;
  var seen = known === undefined ? null : Number(known);
  function banner() {
    var box = document.getElementById("pubkit-build-error");
    if (!box) {
      box = document.createElement("pre");
      box.id = "pubkit-build-error";
      box.setAttribute("style", "position:fixed;top:0;left:0;right:0;margin:0;padding:.8em 1em;z-index:99999;" +
        "background:#c92a2a;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap");
      box.hidden = true;
      document.body.appendChild(box);
    }
    return box;
  }
  var events = new EventSource("/_pubkit/events");
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (seen === null) seen = state.generation;
    if (state.generation > seen) { location.reload(); return; }
    var box = banner();
    box.textContent = state.error || "";
    box.hidden = !state.error;
    var building = document.getElementById("pubkit-building");
    if (building) building.hidden = !state.building;
  };
})();
