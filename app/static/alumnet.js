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
