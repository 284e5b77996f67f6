/* Live character counters for the story form (articles/admin/writing_aids.py renders them).
 *
 * Counts code points, as Python's len() does, so the numbers match the server's. The counter is
 * the input's aria-describedby; the polite live region next to it speaks only when the text goes
 * over its limit or back under it.
 */
(function () {
  "use strict";

  function count(value) {
    return Array.from(value.replace(/\r\n/g, "\n")).length;
  }

  function setUp(aid) {
    var input = document.getElementById(aid.dataset.for);
    if (!input) return;
    var limit = parseInt(aid.dataset.limit, 10);
    var counter = aid.querySelector(".writing-aid__count");
    var announce = aid.nextElementSibling;
    var label = (document.querySelector('label[for="' + input.id + '"]') || {}).textContent || "This field";
    label = label.replace(/:\s*$/, "").trim();
    var wasOver = aid.classList.contains("is-over");

    function update() {
      var n = count(input.value);
      var over = n > limit;
      counter.textContent = n + " of " + limit + " characters" + (over ? " — " + (n - limit) + " over" : "");
      aid.classList.toggle("is-over", over);
      aid.classList.toggle("is-near", !over && n > limit * 0.9);
      if (over !== wasOver && announce) {
        announce.textContent = over
          ? label + " is over " + limit + " characters."
          : label + " is back within " + limit + " characters.";
      }
      wasOver = over;
    }

    input.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll(".writing-aid[data-for]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
