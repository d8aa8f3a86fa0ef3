// A tracer survey's page: refresh the response figures every 5 seconds, written as the page
// writes them (its language's digits: Intl with the page's lang; "Updated …" from the page).
(function () {
  const box = document.getElementById('stats');
  const lang = document.documentElement.lang || 'en';
  const count = new Intl.NumberFormat(lang);
  const rate = new Intl.NumberFormat(lang, {minimumFractionDigits: 1, maximumFractionDigits: 1});
  const pct = v => v === null ? '—' : rate.format(v) + '\u00a0%';
  function cell(text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; }
  function show(s) {
    for (const el of box.querySelectorAll('[data-k]')) {
      const k = el.dataset.k; const v = s.total[k];
      el.textContent = k.startsWith('rate') ? pct(v) : count.format(v);
    }
    const body = document.getElementById('groups');
    if (s.groups.length) {
      body.replaceChildren(...s.groups.map(g => {
        const tr = document.createElement('tr');
        tr.append(cell(g.programme), cell(g.cohort), cell(count.format(g.invited), 'text-end'),
                  cell(count.format(g.delivered), 'text-end'), cell(count.format(g.undeliverable), 'text-end'),
                  cell(count.format(g.responded), 'text-end'),
                  cell(pct(g.rate_gross), 'text-end'), cell(pct(g.rate_net), 'text-end'));
        return tr;
      }));
    }
    document.getElementById('as-of').textContent = box.dataset.updated.replace('{time}', s.as_of.slice(11, 19));
  }
  function poll() {
    fetch(box.dataset.url, {headers: {'Accept': 'application/json'}})
      .then(r => r.json()).then(show).finally(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 5000);
})();
