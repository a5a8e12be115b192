/*
 * The run page's charts: series of one stage's per-step history (GET /api/v1/runs/{id}/metrics, read from object
 * storage, so no metrics server is needed), drawn with uPlot. After drawing, each chart's figure carries
 * data-points: how many values it plotted (0 while its stage has no history).
 */
'use strict';

const Charts = (() => {
  const el = App.el;
  const HEIGHT = 190;
  const COLORS = ['#2457c5', '#d97706', '#15803d'];
  const STEP_TICKS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10000, 100000].map((p) => m * p)).sort((a, b) => a - b);
  /** The charts the stages declare: metrics of one stage sharing a chart id are drawn together, in their order. */
  let specs = [];
  const plots = new Map();
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => {
    plots.get(entry.target.parentElement.id)?.setSize({ width: entry.contentRect.width, height: HEIGHT });
  }));

  function declared() {
    const charts = new Map();
    for (const stage of Runs.stages()) {
      for (const metric of stage.metrics.filter((m) => m.chart)) {
        const id = `chart-${metric.chart.id}`;
        if (!charts.has(id)) {
          charts.set(id, { id, stage: stage.stage, title: metric.chart.title, series: [] });
        }
        charts.get(id).series.push([metric.key, metric.label]);
      }
    }
    return [...charts.values()];
  }

  /** The empty figures, in order, into the container. */
  function create(container) {
    specs = declared();
    container.replaceChildren(...specs.map((spec) => el('figure', { className: 'chart', id: spec.id },
      el('figcaption', { textContent: spec.title }), el('div', { className: 'plot' }))));
    container.querySelectorAll('.plot').forEach((plot) => resized.observe(plot));
  }

  function options(series, width) {
    const axis = { stroke: '#5b6475', font: '12px system-ui, sans-serif', grid: { stroke: '#eceff4' }, ticks: { stroke: '#d9dee7' } };
    return {
      width,
      height: HEIGHT,
      scales: { x: { time: false } },
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      // steps are whole numbers: no ticks between them however few there are
      axes: [{ ...axis, label: 'step', labelSize: 18, labelFont: '12px system-ui, sans-serif', incrs: STEP_TICKS },
        { ...axis, size: 58, values: (u, splits) => splits.map(Runs.number) }],
      series: [{ label: 'step' }, ...series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        // eval and held-out values come every few steps: join them rather than leave lone points
        spanGaps: true,
        points: { show: s.count <= 60, size: 5 },
        value: (u, v) => (v === null ? '–' : Runs.number(v)),
      }))],
    };
  }

  /** Draws every chart from the history ({stage: [{step, ...}]}); a chart whose stage has none says so. */
  function draw(history) {
    for (const spec of specs) {
      const figure = document.getElementById(spec.id);
      const plot = figure.querySelector('.plot');
      const rows = history[spec.stage] ?? [];
      const series = spec.series
        .map(([key, label]) => ({ label, values: rows.map((row) => row[key] ?? null) }))
        .map((s) => ({ ...s, count: s.values.filter((v) => v !== null).length }))
        .filter((s) => s.count > 0);
      plots.get(spec.id)?.destroy();
      plots.delete(spec.id);
      plot.replaceChildren();
      const points = series.reduce((n, s) => n + s.count, 0);
      if (points === 0) {
        plot.append(el('p', { className: 'empty', textContent: `no ${spec.stage} history yet` }));
      } else {
        plots.set(spec.id, new uPlot(options(series, plot.clientWidth), [rows.map((row) => row.step), ...series.map((s) => s.values)], plot));
      }
      figure.dataset.points = String(points);
    }
  }

  return { create, draw };
})();
