/*
 * One run: its header and summary, the stage timeline (status, attempts, durations, progress), charts of the stored
 * per-step metrics, the labeling counts, the artifacts with download links, and Cancel / Resume for admins and
 * operators. While the run is running the page refreshes itself; the stored history and the artifacts are fetched
 * again only when a stage checkpoints or changes status, the only times they change.
 */
'use strict';

(() => {
  const el = App.el;
  const byId = (id) => document.getElementById(id);
  const REFRESH_MS = 2000;
  const RESUMABLE = ['failed', 'cancelled', 'interrupted'];
  const LABELING = { 'collect-demonstrations': 'Demonstrations', 'collect-comparisons': 'Comparisons' };
  const id = new URLSearchParams(location.search).get('id');
  const path = `/api/v1/runs/${encodeURIComponent(id ?? '')}`;
  let run = null;
  let stored = null;
  let timer = null;

  /* ------------------------------------------------------------------ header */

  function renderHead() {
    document.title = `${run.name} · InstructFlow`;
    byId('run-name').textContent = run.name;
    byId('run-status').replaceChildren(Runs.badge(run.status));
    const meta = [`run ${run.id}`, `created ${Runs.when(run.created_at)}`];
    if (run.executions > 1) {
      meta.push(`${run.executions} executions`);
    }
    if (run.timing) {
      const overhead = run.timing.orchestration_overhead;
      meta.push(`${run.status === 'running' ? 'running for' : 'took'} ${Runs.duration(run.timing.wall_seconds)}`
        + (overhead === undefined || overhead === null ? ''
          : ` (${Runs.duration(run.timing.activity_seconds)} in stages, orchestration ${(100 * overhead).toFixed(2)}%)`));
    }
    byId('run-meta').textContent = meta.join(' · ');
    const failure = byId('run-failure');
    failure.hidden = !run.error;
    if (run.error) {
      failure.replaceChildren(el('strong', { textContent: run.failed_stage ? `${run.status} in ${run.failed_stage}: ` : `${run.status}: ` }),
        run.error);
    }
    const summary = Runs.summary(run.summary);
    byId('summary').hidden = summary.length === 0;
    byId('summary').replaceChildren(...summary.map(([key, label, text]) => {
      const item = el('div', {}, el('dt', { textContent: label }), el('dd', { textContent: text }));
      item.dataset.key = key;
      return item;
    }));
    byId('cancel').disabled = run.status !== 'running';
    byId('cancel').title = run.status === 'running' ? 'The running stage checkpoints and stops; the run can be resumed'
      : 'Only a running run can be cancelled';
    byId('resume').disabled = !RESUMABLE.includes(run.status);
    byId('resume').title = RESUMABLE.includes(run.status) ? 'Finished stages are reused; an unfinished one continues from its checkpoint'
      : 'Only a failed, cancelled or interrupted run can be resumed';
    byId('spec-json').textContent = JSON.stringify(run.spec, null, 2);
  }

  /* ------------------------------------------------------------------ stage timeline */

  /** The span the timeline draws: from the first attempt's start to the last one's end, or now while running. */
  function span() {
    const attempts = run.stages.flatMap((s) => s.attempts);
    const now = Date.now();
    const starts = attempts.map((a) => Date.parse(a.started_at));
    const ends = attempts.map((a) => (a.finished_at ? Date.parse(a.finished_at) : now));
    const from = starts.length ? Math.min(...starts) : Date.parse(run.created_at);
    return { from, to: Math.max(from + 1000, ...ends) };
  }

  function track(stage, { from, to }) {
    const bar = el('div', { className: 'track' });
    for (const a of stage.attempts) {
      const start = Date.parse(a.started_at);
      const end = a.finished_at ? Date.parse(a.finished_at) : Date.now();
      const segment = el('span', { className: `segment ${a.status ?? 'running'}`,
        title: `attempt ${a.number}: ${Runs.clock(a.started_at)} – ${a.finished_at ? Runs.clock(a.finished_at) : 'now'}` });
      segment.style.left = `${(100 * (start - from)) / (to - from)}%`;
      segment.style.width = `${(100 * (end - start)) / (to - from)}%`;
      bar.append(segment);
    }
    return bar;
  }

  function seconds(stage) {
    if (stage.attempts.length === 0) {
      return null;
    }
    return stage.attempts.reduce((sum, a) => sum + (a.seconds ?? (a.finished_at ? 0 : (Date.now() - Date.parse(a.started_at)) / 1000)), 0);
  }

  function highlights(stage) {
    const shown = new Set();
    const parts = [];
    // the numbers that say how a stage went, as the stage names them; the first of equal labels wins
    const metrics = Runs.stages().find((s) => s.stage === stage.stage)?.metrics ?? [];
    for (const metric of metrics.filter((m) => m.highlighted)) {
      const value = stage.metrics?.[metric.key];
      if (value !== undefined && value !== null && !shown.has(metric.label)) {
        shown.add(metric.label);
        parts.push(`${metric.label} ${Runs.format(metric, value)}`);
      }
    }
    return parts.join(' · ');
  }

  function progress(stage) {
    const cell = el('td', { className: 'detail' });
    if (stage.status === 'running' && stage.total > 0) {
      const what = stage.labeling ? 'tasks labeled' : 'steps';
      cell.append(el('div', { className: 'progress' },
        el('progress', { max: stage.total, value: Math.min(stage.step, stage.total) }),
        el('span', { textContent: `${stage.step} of ${stage.total} ${what}` })));
    } else if (stage.status === 'running') {
      cell.append(el('div', { className: 'note', textContent: stage.stage === 'collect-comparisons' ? 'sampling responses for the tasks…' : 'starting…' }));
    }
    const text = highlights(stage);
    if (text) {
      cell.append(el('div', { textContent: text }));
    }
    if (stage.early_stop) {
      cell.append(el('div', { className: 'early-stop', textContent: earlyStop(stage.early_stop) }));
    }
    if (stage.reused_from) {
      cell.append(el('div', { className: 'note' }, 'reused from ',
        el('a', { href: `run.html?id=${encodeURIComponent(stage.reused_from)}`, textContent: stage.reused_from })));
    } else if (stage.checkpoint_step && stage.status !== 'succeeded') {
      cell.append(el('div', { className: 'note', textContent: `checkpoint at step ${stage.checkpoint_step}` }));
    }
    return cell;
  }

  const STOP_REASONS = {
    REWARD_HACKING: (s) => `reward above SFT's while the held-out score fell to ${s.heldout_score.toFixed(3)}`,
    KL_BUDGET: (s) => `KL to the SFT policy at ${s.kl.toFixed(2)} nats, over its budget`,
  };

  /** The reward-hacking guard's verdict, as the manifest's early_stop records it. */
  function earlyStop(s) {
    const kept = s.best_heldout_score !== undefined ? ` (held-out score ${s.best_heldout_score.toFixed(3)})` : '';
    return `Stopped early at iteration ${s.iteration}: ${STOP_REASONS[s.reason](s)}; handed on the policy of iteration ${s.handed_on_iteration}${kept}`;
  }

  function attempts(stage) {
    if (stage.attempts.length === 0) {
      return el('td', { className: 'note', textContent: stage.reused_from ? 'none: outputs copied' : '' });
    }
    return el('td', {}, el('ol', { className: 'attempts' }, ...stage.attempts.map((a) => {
      const item = el('li', {},
        el('span', { className: 'attempt-head', textContent: `#${a.number} ${a.worker ?? ''}` }), ' ',
        el('span', { className: 'when', textContent: `${Runs.clock(a.started_at)}–${a.finished_at ? Runs.clock(a.finished_at) : 'now'}` }),
        a.seconds !== undefined ? el('span', { className: 'when', textContent: ` · ${Runs.duration(a.seconds)}` }) : '');
      if (a.status && a.status !== 'succeeded') {
        item.append(' ', Runs.badge(a.status));
      }
      if (a.resumed_from_step > 0) {
        item.append(el('div', { className: 'note', textContent: `resumed from step ${a.resumed_from_step}` }));
      }
      if (a.error) {
        item.append(el('div', { className: 'attempt-error', textContent: a.error }));
      }
      return item;
    })));
  }

  function renderStages() {
    const range = span();
    byId('timeline-from').textContent = Runs.clock(new Date(range.from).toISOString());
    byId('timeline-to').textContent = Runs.clock(new Date(range.to).toISOString());
    byId('stages').tBodies[0].replaceChildren(...run.stages.map((stage) => {
      const row = el('tr', { className: stage.stage === run.stage ? 'current' : '' },
        el('th', { scope: 'row', textContent: stage.stage }),
        el('td', {}, Runs.badge(stage.status)),
        el('td', {}, track(stage, range)),
        el('td', { className: 'num', textContent: Runs.duration(seconds(stage)) }),
        progress(stage),
        attempts(stage));
      row.dataset.stage = stage.stage;
      row.dataset.status = stage.status;
      return row;
    }));
  }

  /* ------------------------------------------------------------------ labeling */

  function labelingCard(stage) {
    const stat = (name, value) => el('div', {}, el('dt', { textContent: name }), el('dd', { textContent: value }));
    const card = el('article', { className: 'card labeling' },
      el('div', { className: 'card-head' }, el('h3', { textContent: LABELING[stage.stage] }), Runs.badge(stage.status)));
    card.dataset.stage = stage.stage;
    const m = stage.metrics ?? {};
    const dataset = stage.stage === 'collect-demonstrations' ? run.spec?.demonstrations?.dataset : run.spec?.comparisons?.dataset;
    if (stage.labeling) {
      const q = stage.labeling;
      const people = Object.entries(q.labelers ?? {}).sort((a, b) => b[1] - a[1]);
      card.append(Queues.summary(q), el('dl', { className: 'stats' },
        stat('Leased', String(q.leased)), stat('Available', String(q.available)), stat('Overlap', String(q.overlap)),
        stat('Labelers', String(people.length))));
      if (people.length) {
        card.append(el('p', { className: 'note', textContent: `by labeler: ${people.slice(0, 12).map(([who, n]) => `${who} ${n}`).join(', ')}`
          + (people.length > 12 ? `, and ${people.length - 12} more` : '') }));
      }
    } else if (m.labels !== undefined) {
      const stats = [stat('Labels', Runs.number(m.labels)), stat('Labelers', Runs.number(m.labelers)),
        stat('Tasks done', m.tasks !== undefined ? `${Runs.number(m.completed_tasks)} of ${Runs.number(m.tasks)}` : Runs.number(m.completed_tasks))];
      if (m.agreement !== undefined) {
        stats.push(stat('Agreement', Runs.percent(m.agreement)));
      }
      card.append(el('dl', { className: 'stats' }, ...stats));
    } else if (dataset) {
      card.append(el('p', { className: 'note' }, 'imported from ', el('code', { textContent: dataset })));
    } else {
      card.append(el('p', { className: 'note', textContent: stage.status === 'pending' ? 'not started' : 'no labels counted yet' }));
    }
    return card;
  }

  function renderLabeling() {
    byId('labeling').replaceChildren(...run.stages.filter((s) => LABELING[s.stage]).map(labelingCard));
  }

  /* ------------------------------------------------------------------ artifacts */

  function size(bytes) {
    const units = ['B', 'KB', 'MB', 'GB'];
    let n = bytes;
    let unit = 0;
    while (n >= 1024 && unit < units.length - 1) {
      n /= 1024;
      unit++;
    }
    return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
  }

  function renderArtifacts(artifacts) {
    const prefix = `runs/${run.id}/`;
    byId('artifacts').tBodies[0].replaceChildren(...artifacts.map((a) => {
      const row = el('tr', {},
        el('td', { textContent: a.stage }),
        el('td', { textContent: a.name }),
        el('td', {}, el('code', { title: a.key, textContent: a.key.startsWith(prefix) ? a.key.slice(prefix.length) : a.key })),
        el('td', { className: 'num', textContent: size(a.size) }),
        el('td', { className: 'num', textContent: a.count ? Runs.number(a.count) : '' }),
        el('td', {}, el('code', { title: a.sha256, textContent: a.sha256.slice(0, 12) })),
        el('td', {}, el('a', { className: 'download', href: a.url, rel: 'noopener', textContent: 'Download' })));
      row.dataset.key = a.key;
      return row;
    }));
    if (artifacts.length === 0) {
      byId('artifacts').tBodies[0].append(el('tr', {}, el('td', { colSpan: 7, className: 'note', textContent: 'none yet: a stage stores its artifacts when it ends' })));
    }
  }

  /* ------------------------------------------------------------------ loading */

  async function refresh() {
    clearTimeout(timer);
    run = await App.api('GET', path);
    renderHead();
    renderStages();
    renderLabeling();
    byId('run').hidden = false;
    const changes = run.stages.map((s) => `${s.status}:${s.checkpoint_step ?? ''}`).join();
    if (changes !== stored) {
      const [metrics, artifacts] = await Promise.all([App.api('GET', `${path}/metrics`), App.api('GET', `${path}/artifacts`)]);
      Charts.draw(metrics);
      renderArtifacts(artifacts);
      stored = changes;
    }
    // a refresh may overlap another (a button pressed while a timed one is under way): one timer survives
    clearTimeout(timer);
    if (run.status === 'running') {
      timer = setTimeout(tick, REFRESH_MS);
    }
  }

  /** A refresh that fails shows why and tries again, more slowly: the server may be restarting. */
  function tick() {
    refresh().then(App.hideError, (e) => {
      App.showError(e);
      timer = setTimeout(tick, 5 * REFRESH_MS);
    });
  }

  async function act(action, question) {
    if (question && !confirm(question)) {
      return;
    }
    const controls = byId('controls');
    controls.setAttribute('aria-busy', 'true');
    try {
      await App.api('POST', `${path}/${action}`);
      App.hideError();
      await refresh();
    } catch (e) {
      App.showError(e);
    } finally {
      controls.removeAttribute('aria-busy');
    }
  }

  async function main(me) {
    if (!id) {
      App.showStatus('Which run?', [el('span', {}, 'This page shows one run, named by ', el('code', { textContent: '?id=' }),
        ' in its address: open one from ', el('a', { href: './', textContent: 'the runs list' }), '.')]);
      return;
    }
    byId('controls').hidden = !Runs.canManage(me);
    byId('cancel').addEventListener('click', () => act('cancel',
      `Cancel run ${run.name}? Its running stage checkpoints and stops; the run can be resumed later.`));
    byId('resume').addEventListener('click', () => act('resume'));
    Charts.create(byId('charts'));
    await refresh();
  }

  Runs.page(main);
})();
