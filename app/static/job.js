// The background-job page: follow the job's progress until it ends, then show its result.
(function () {
  const box = document.getElementById('job');
  const bar = document.getElementById('job-bar');
  const status = document.getElementById('job-status');
  function show(s) {
    bar.style.width = s.percent + '%';
    bar.textContent = s.percent + '%';
    bar.parentElement.setAttribute('aria-valuenow', s.percent);
    // A page in the reader's language sends its own words (status_label, progress_text).
    let text = s.status_label || (s.status.charAt(0).toUpperCase() + s.status.slice(1));
    const count = n => n.toLocaleString('en-US');  // 4,900 of 4,900, as the server writes it
    if (s.progress_text) text += ' — ' + s.progress_text;
    else if (s.total) text += ' — ' + count(s.done) + ' of ' + count(s.total);
    if (s.message) text += ' — ' + s.message;
    status.textContent = text;
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
