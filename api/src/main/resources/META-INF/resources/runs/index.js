/*
 * The runs, newest first, a page at a time: the registry's list gives the page of ids and the total, each run's view
 * its live status, current stage and summary numbers. The page and the status filter live in the address, so a reload
 * or a shared link shows the same list. While a listed run is running the list refreshes itself.
 */
'use strict';

(() => {
  const el = App.el;
  const SIZE = 20;
  const SUMMARY_COLUMNS = 3;
  const REFRESH_MS = 5000;
  const byId = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  let page = Math.max(0, Number.parseInt(params.get('page'), 10) || 0);
  let timer = null;
  byId('filter').value = params.get('status') ?? '';

  function cell(text, className) {
    return el('td', { className: className ?? '', textContent: text });
  }

  /** The summary's first numbers, the verdict first, as the stages name them. */
  function columns() {
    return Runs.summaryMetrics().slice(0, SUMMARY_COLUMNS);
  }

  function row(run) {
    const summary = Object.fromEntries(Runs.summary(run.summary ?? {}).map(([key, , text]) => [key, text]));
    const tr = el('tr', {},
      el('td', {}, el('a', { className: 'run-link', href: `run.html?id=${encodeURIComponent(run.id)}`, textContent: run.name }),
        el('div', { className: 'id', textContent: run.id })),
      el('td', {}, Runs.badge(run.status)),
      cell(Runs.where(run)),
      cell(Runs.when(run.created_at)),
      cell(Runs.duration(Runs.elapsed(run)), 'num'),
      ...columns().map((m) => cell(summary[m.summary] ?? '', 'num')));
    tr.dataset.run = run.id;
    return tr;
  }

  async function load() {
    clearTimeout(timer);
    const head = byId('columns');
    if (!head.querySelector('.summary')) {
      head.append(...columns().map((m) => el('th', { className: 'num summary', textContent: m.summary_label })));
    }
    const status = byId('filter').value;
    const query = new URLSearchParams({ page, size: SIZE });
    if (status) {
      query.set('status', status);
    }
    const list = await App.api('GET', `/api/v1/runs?${query}`);
    const runs = await Promise.all(list.runs.map((r) => App.api('GET', `/api/v1/runs/${encodeURIComponent(r.id)}`)));
    App.hideError();
    byId('runs').tBodies[0].replaceChildren(...runs.map(row));
    const from = list.total === 0 ? 0 : page * SIZE + 1;
    byId('count').textContent = `${from}–${page * SIZE + runs.length} of ${list.total} run${list.total === 1 ? '' : 's'}`;
    byId('newer').disabled = page === 0;
    byId('older').disabled = (page + 1) * SIZE >= list.total;
    byId('list').hidden = false;
    const address = new URLSearchParams();
    if (page > 0) {
      address.set('page', page);
    }
    if (status) {
      address.set('status', status);
    }
    const shown = address.toString();
    history.replaceState(null, '', `${location.pathname}${shown ? `?${shown}` : ''}`);
    if (list.total === 0) {
      App.showStatus(status ? `No ${status} runs` : 'No runs yet', [el('span', {}, 'Start one with ',
        el('code', { textContent: './instructflow runs submit --name my-run' }), ' or ',
        el('code', { textContent: 'POST /api/v1/runs {"name": "my-run"}' }), '.')]);
    } else {
      App.hideStatus();
    }
    clearTimeout(timer);
    if (runs.some((r) => r.status === 'running')) {
      timer = setTimeout(() => load().catch(App.showError), REFRESH_MS);
    }
  }

  function go(to) {
    page = to;
    load().catch(App.showError);
  }

  byId('filter').addEventListener('change', () => go(0));
  byId('newer').addEventListener('click', () => go(Math.max(0, page - 1)));
  byId('older').addEventListener('click', () => go(page + 1));

  Runs.page(load);
})();
