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
