/* What the two run pages share: how to sign in, and how a run's status, times, durations and numbers read. */
'use strict';

const Runs = (() => {
  const el = App.el;
  /** The roles the runs API answers; anyone else gets 403 from it. */
  const MANAGERS = ['admin', 'operator'];
  /** The stages and the metrics each reports (GET /api/v1/stages), loaded once a page is signed in. */
  let catalogue = [];

  function showNoToken() {
    App.showStatus('You need a sign-in link', [
      el('span', {}, 'Open the runs with an admin or operator token in the link: ',
        el('code', { textContent: `${location.origin}/runs/?token=…` }), '.'),
      el('span', {}, 'On the machine that runs the platform the admin token is in ',
        el('code', { textContent: '~/.instructflow/admin-token' }), '; ',
        el('code', { textContent: './instructflow serve' }), ' and ', el('code', { textContent: './instructflow demo' }),
        ' print it when they start.'),
      el('span', {}, 'An admin mints an operator token with ',
        el('code', { textContent: 'POST /api/v1/tokens {"subject": "your-name", "role": "operator"}' }), '.'),
    ]);
  }

  /** Runs a run page: main({subject, roles}) once signed in; the API itself answers anyone else with 403. */
  function page(main) {
    return App.page(async (me) => {
      catalogue = await App.api('GET', '/api/v1/stages');
      if (!canManage(me)) {
        App.showStatus('Runs are for admins and operators', [el('span', {}, 'Labelers find their work at ',
          el('a', { href: '/label/', textContent: '/label/' }), '.')]);
      }
      await main(me);
    }, showNoToken);
  }

  function canManage(me) {
    return me.roles.some((role) => MANAGERS.includes(role));
  }

  function badge(status) {
    return el('span', { className: `badge ${status}`, textContent: status });
  }

  // 24-hour times: they line up in columns and never need AM/PM
  function when(iso) {
    return iso ? new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }) : '';
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }) : '';
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
      return '';
    }
    if (seconds < 10) {
      return `${seconds.toFixed(1)} s`;
    }
    const s = Math.round(seconds);
    if (s < 60) {
      return `${s} s`;
    }
    if (s < 3600) {
      return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    }
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  }

  /** Seconds of the latest execution: to its end, or to now while it runs. */
  function elapsed(run) {
    if (!run.started_at) {
      return null;
    }
    const end = run.finished_at ? Date.parse(run.finished_at) : Date.now();
    return (end - Date.parse(run.started_at)) / 1000;
  }

  /** Four significant digits, without trailing zeros or exponents for everyday magnitudes. */
  function number(x) {
    if (x === null || x === undefined || !Number.isFinite(x)) {
      return '';
    }
    if (Number.isInteger(x)) {
      return x.toLocaleString('en');
    }
    return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
  }

  function percent(x) {
    return x === null || x === undefined || !Number.isFinite(x) ? '' : `${(100 * x).toFixed(1)}%`;
  }

  function stages() {
    return catalogue;
  }

  /** A metric's value as its stage says it reads (format: percent, count or number). */
  function format(metric, value) {
    return metric.format === 'percent' ? percent(value) : number(value);
  }

  /** The metrics a run's summary shows, the verdict first: the stages' own, in reverse run order. */
  function summaryMetrics() {
    return catalogue.slice().reverse().flatMap((stage) => stage.metrics.filter((m) => m.summary_label));
  }

  /** The summary's numbers a run has so far, as [key, label, text]; a value with its _ci_low and _ci_high shows them. */
  function summary(values) {
    return summaryMetrics().filter((m) => values?.[m.summary] !== undefined).map((m) => {
      const [low, high] = [values[`${m.summary}_ci_low`], values[`${m.summary}_ci_high`]];
      const text = format(m, values[m.summary]);
      return [m.summary, m.summary_label, low === undefined || high === undefined ? text
        : `${text} (${format(m, low)} – ${format(m, high)})`];
    });
  }

  /** Where the run is: the running stage with its step, or where it stopped. */
  function where(run) {
    if (run.status === 'running' && run.stage) {
      const stage = run.stages?.find((s) => s.stage === run.stage);
      return stage?.total ? `${run.stage} · ${stage.step}/${stage.total}` : run.stage;
    }
    if (run.status === 'succeeded') {
      return 'done';
    }
    return run.failed_stage ?? run.stages?.find((s) => s.status !== 'succeeded')?.stage ?? '';
  }

  return { page, canManage, badge, when, clock, duration, elapsed, number, percent, stages, format, summaryMetrics, summary,
    where };
})();
