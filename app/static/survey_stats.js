// A tracer survey's page: refresh the response figures every 5 seconds.
(function () {
  const box = document.getElementById('stats');
  const pct = v => v === null ? '—' : v.toFixed(1) + ' %';
  function cell(text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; }
  function show(s) {
    for (const el of box.querySelectorAll('[data-k]')) {
      const k = el.dataset.k; const v = s.total[k];
      el.textContent = k.startsWith('rate') ? pct(v) : v;
    }
    const body = document.getElementById('groups');
    if (s.groups.length) {
      body.replaceChildren(...s.groups.map(g => {
        const tr = document.createElement('tr');
        tr.append(cell(g.programme), cell(g.cohort), cell(g.invited, 'text-end'), cell(g.delivered, 'text-end'),
                  cell(g.undeliverable, 'text-end'), cell(g.responded, 'text-end'),
                  cell(pct(g.rate_gross), 'text-end'), cell(pct(g.rate_net), 'text-end'));
        return tr;
      }));
    }
    document.getElementById('as-of').textContent = 'Updated ' + s.as_of.slice(11, 19) + ' UTC';
  }
  function poll() {
    fetch(box.dataset.url, {headers: {'Accept': 'application/json'}})
      .then(r => r.json()).then(show).finally(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 5000);
})();
