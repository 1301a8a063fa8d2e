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

// Tìm cơ quan: a search box that narrows a list of choices as one types, ignoring diacritics and case ("kinh te"
// finds "Phòng Kinh tế"), and chooses the first that matches; Enter goes on to the next field instead of sending.
function foldVietnamese(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase().trim();
}
(function () {
  document.querySelectorAll("[data-filter-select]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-filter-select"));
    var count = document.getElementById(box.getAttribute("aria-describedby"));
    if (!select) return;
    box.addEventListener("input", function () {
      var words = foldVietnamese(box.value).split(/\s+/).filter(Boolean), first = null, n = 0;
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.value) return;
        var folded = o.getAttribute("data-folded") || foldVietnamese(o.text);
        var match = words.every(function (w) { return folded.indexOf(w) >= 0; });
        o.hidden = !match;
        if (match) { n += 1; if (!first) first = o; }
      });
      select.value = first ? first.value : "";
      if (count) count.textContent = words.length ? (n ? n + " cơ quan phù hợp" : "Không có cơ quan nào phù hợp") : "";
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); select.focus(); }
    });
  });
})();

// Thời hạn theo quy định: only the line for the kind chosen in the form (all of them without JavaScript).
(function () {
  var kind = document.getElementById("kind"), lines = document.querySelectorAll("#han-theo-quy-dinh li[data-kind]");
  if (!kind || !lines.length) return;
  function show() { lines.forEach(function (li) { li.hidden = li.getAttribute("data-kind") !== kind.value; }); }
  kind.addEventListener("change", show);
  show();
})();

// Xử lý tại hội nghị: only the fields of the outcome chosen are shown (and reached with Tab); all without JavaScript.
(function () {
  var choices = document.querySelectorAll("input[name=outcome]"), parts = document.querySelectorAll("[data-outcome]");
  if (!choices.length) return;
  function show() {
    var chosen = document.querySelector("input[name=outcome]:checked");
    parts.forEach(function (p) { p.hidden = !chosen || p.getAttribute("data-outcome") !== chosen.value; });
  }
  choices.forEach(function (c) { c.addEventListener("change", show); });
  show();
})();
