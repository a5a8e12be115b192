/*
 * A blind pairwise verdict: two answers to one prompt, left and right in an order only the platform knows.
 * 1 picks left, 2 picks right, = says they are equally good; each pick submits. The 1-7 ratings are optional,
 * and go with the pick only when both answers are rated.
 */
'use strict';

(() => {
  const byId = (id) => document.getElementById(id);
  const hint = byId('hint');
  const ratings = [byId('left-rating'), byId('right-rating')];
  for (const select of ratings) {
    select.append(App.el('option', { value: '', textContent: '–' }),
      ...[1, 2, 3, 4, 5, 6, 7].map((r) => App.el('option', { value: String(r), textContent: String(r) })));
  }

  const submit = Label.taskLoop('evaluate', (task) => {
    byId('prompt').textContent = task.prompt;
    byId('left-text').textContent = task.responses[0];
    byId('right-text').textContent = task.responses[1];
    ratings.forEach((select) => { select.value = ''; });
    hint.textContent = 'Press 1 if the left answer is better, 2 if the right one is, = if they are equally good.';
  });

  function choose(choice) {
    const rated = ratings.map((select) => select.value);
    if (rated.some((r) => r !== '') && rated.some((r) => r === '')) {
      hint.textContent = 'Rate both answers, or neither.';
      return;
    }
    submit(rated[0] === '' ? { choice } : { choice, ratings: rated.map(Number) });
  }

  document.addEventListener('keydown', (e) => {
    if (byId('task').hidden || e.ctrlKey || e.metaKey || e.altKey || e.target.closest('select')) {
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && e.target.closest('button, a')) {
      return; // a focused button or link does what it says
    }
    const choice = { 1: 'left', 2: 'right', '=': 'tie' }[e.key];
    if (!choice) {
      return;
    }
    e.preventDefault();
    choose(choice);
  });
  byId('left').addEventListener('click', () => choose('left'));
  byId('right').addEventListener('click', () => choose('right'));
  byId('tie').addEventListener('click', () => choose('tie'));
})();
