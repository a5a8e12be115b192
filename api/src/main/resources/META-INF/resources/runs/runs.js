/* What the two run pages share: how to sign in, and how a run's status, times, durations and numbers read. */
'use strict';

const Runs = (() => {
  const el = App.el;
  /** The roles the runs API answers; anyone else gets 403 from it. */
  const MANAGERS = ['admin', 'operator'];
  /** The run summary's numbers, in the order people look at them. */
  const SUMMARY = [
    ['win_rate', 'Win rate vs SFT', (s) => `${percent(s.win_rate)}${s.win_rate_ci_low === undefined ? ''
      : ` (${percent(s.win_rate_ci_low)} – ${percent(s.win_rate_ci_high)})`}`],
    ['rm_accuracy', 'RM held-out accuracy', (s) => percent(s.rm_accuracy)],
    ['labeler_agreement', 'Labeler agreement', (s) => percent(s.labeler_agreement)],
    ['ppo_reward', 'PPO reward', (s) => number(s.ppo_reward)],
    ['ppo_kl', 'PPO KL', (s) => number(s.ppo_kl)],
    ['sft_eval_loss', 'SFT eval loss', (s) => number(s.sft_eval_loss)],
  ];

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

  /** The summary's numbers a run has so far, as [key, label, text]. */
  function summary(values) {
    return SUMMARY.filter(([key]) => values?.[key] !== undefined).map(([key, label, text]) => [key, label, text(values)]);
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

  return { page, canManage, badge, when, clock, duration, elapsed, number, percent, summary, where };
})();
