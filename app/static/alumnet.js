/* Table boxes that scroll sideways (.table-responsive wider than the screen) become reachable
   by keyboard: a tab stop (tabindex 0) named after the table, so arrow keys scroll it and a
   screen reader announces what it holds. Boxes that fit get no extra tab stop. */
(function () {
  "use strict";

  function nameOf(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    if (table && table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var el = box;
    while (el && el !== document.body) {  // the nearest heading before the box
      var prev = el.previousElementSibling;
      while (prev) {
        var heading = /^H[1-6]$/.test(prev.tagName) ? prev : prev.querySelector("h1,h2,h3,h4,h5,h6");
        if (heading && heading.textContent.trim()) return heading.textContent.trim().replace(/\s+/g, " ");
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return "Table";
  }

  function markScrollingBoxes() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", nameOf(box) + " (scrolls sideways)");
          box.dataset.scrollBoxLabel = "1";
        }
        box.dataset.scrollBox = "1";
      } else if (!scrolls && box.dataset.scrollBox) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.dataset.scrollBoxLabel) box.removeAttribute("aria-label");
        delete box.dataset.scrollBox;
        delete box.dataset.scrollBoxLabel;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollingBoxes);
  } else {
    markScrollingBoxes();
  }
  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(markScrollingBoxes, 150);
  });
})();

// Behaviour every page may need. Pages carry no inline script or event handler (the
// Content-Security-Policy refuses them), so they mark elements with data attributes instead.

// <form data-confirm="Remove this participant?">: ask before sending.
document.addEventListener('submit', function (event) {
  const form = event.target.closest('form[data-confirm]');
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// <div data-focus-on-load tabindex="-1">: put the keyboard there (a summary of what to fix).
const focusTarget = document.querySelector('[data-focus-on-load]');
if (focusTarget) focusTarget.focus();

// <div data-width-percent="40">: a progress bar's width, set here since style attributes are
// refused too.
for (const bar of document.querySelectorAll('[data-width-percent]')) {
  bar.style.width = bar.dataset.widthPercent + '%';
}
