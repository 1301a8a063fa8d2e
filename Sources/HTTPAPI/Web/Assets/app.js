// Cỡ chữ: the text-size control, remembered in this browser. Everything else works without JavaScript.
(function () {
  var key = "petition-text-size";
  function apply(step) { document.documentElement.style.fontSize = (100 + 12.5 * step) + "%"; }
  var step = parseInt(localStorage.getItem(key) || "0", 10) || 0;
  apply(step);
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-text-size]");
    if (!b) return;
    step = Math.max(-2, Math.min(6, step + parseInt(b.getAttribute("data-text-size"), 10)));
    localStorage.setItem(key, String(step));
    apply(step);
  });
})();

// Cập nhật trực tiếp: the home page's counts follow the log (the API's Server-Sent Events, with the session cookie);
// the lists need a reload, which the page offers. Without JavaScript the page is simply as it was served.
(function () {
  var counts = document.querySelector("[data-live]");
  if (!counts || !window.EventSource || !window.fetch) return;
  var query = counts.getAttribute("data-live");
  var pending = null, latest = 0;
  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function refresh() {
    pending = null;
    // As of the last event heard: the projector answers once it has applied it (read your own writes).
    var at = "&minPosition=" + latest + query;
    var outstanding = fetch("/api/v1/outstanding?limit=1" + at, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    var overdue = fetch("/api/v1/outstanding?overdue=true&limit=1" + at, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    Promise.all([outstanding, overdue]).then(function (replies) {
      document.getElementById("so-con-phai-xu-ly").textContent = number(replies[0].total);
      document.getElementById("so-qua-han").textContent = number(replies[1].total);
      document.getElementById("co-cap-nhat").hidden = false;
    });
  }
  var feed = new EventSource("/api/v1/events");
  feed.addEventListener("open", function () { counts.setAttribute("data-live-open", "1"); });
  var handler = function (e) {
    latest = Math.max(latest, parseInt(e.lastEventId, 10) || 0);
    if (!pending) pending = setTimeout(refresh, 200);
  };
  // Every event type is its own SSE event name; listen to those a count depends on.
  ["petition.submitted.v3", "petition.answered.v1", "petition.referred.v2", "petition.resolved.v1", "petition.reopened.v1",
   "petition.withdrawn.v1", "petition.merged.v1", "petition.extended.v1", "petition.reassigned.v1", "petition.accepted.v1"]
    .forEach(function (type) { feed.addEventListener(type, handler); });
})();

// In phiếu: the receipt's print button.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
