// The background-job page: follow the job's progress until it ends, then show its result.
(function () {
  const box = document.getElementById('job');
  const bar = document.getElementById('job-bar');
  const status = document.getElementById('job-status');
  function show(s) {
    bar.style.width = s.percent + '%';
    bar.textContent = s.percent + '%';
    bar.parentElement.setAttribute('aria-valuenow', s.percent);
    // The words come from the server in the page's language (status_label, progress_text,
    // note: the job's stored note said in the language):
    // the script writes none of its own.
    const strong = document.createElement('strong');
    strong.textContent = s.status_label || s.status;
    const parts = [s.progress_text, s.note].filter(Boolean);
    status.replaceChildren(strong, parts.length ? ' — ' + parts.join(' — ') : '');
    if (s.status === 'failed') bar.classList.add('bg-danger');
  }
  function poll() {
    fetch(box.dataset.url, {headers: {'Accept': 'application/json'}})
      .then(r => r.json()).then(s => {
        show(s);
        if (s.status === 'queued' || s.status === 'running') setTimeout(poll, 700);
        else window.location.reload();
      });
  }
  if (box.dataset.status === 'queued' || box.dataset.status === 'running') setTimeout(poll, 500);
})();
