/*
 * Ranking K responses best to worst, by keyboard or mouse: digit n places response n next, = ties the next pick
 * with the previous one (when the queue allows ties), Backspace undoes, Enter submits a complete order.
 */
'use strict';

(() => {
  const byId = (id) => document.getElementById(id);
  const prompt = byId('prompt');
  const cards = byId('cards');
  const order = byId('order');
  const hint = byId('hint');
  const tie = byId('tie');
  const submitButton = byId('submit');
  let ranking = null;
  let tieNext = false;
  let instructions = '';

  const submit = Label.taskLoop('collect-comparisons', (task, queue) => {
    prompt.textContent = task.prompt;
    ranking = new RankOrder(task.responses.length, Boolean(queue.ties));
    tieNext = false;
    tie.hidden = !ranking.ties;
    cards.replaceChildren(...task.responses.map(card));
    instructions = `Press 1–${ranking.k} for the best response first, then the next best`
      + `${ranking.ties ? '; = before a digit ties it with the previous pick' : ''}; Backspace undoes.`;
    render();
  });

  function card(text, index) {
    const pick = App.button('Pick', () => place(index));
    pick.setAttribute('aria-label', `Place response ${index + 1} next`);
    const node = App.el('article', { className: 'response-card' },
      App.el('header', {}, App.el('kbd', { textContent: String(index + 1) }), App.el('span', { className: 'place' }), pick),
      App.el('div', { className: 'text', textContent: text }));
    node.dataset.index = String(index);
    return node;
  }

  function place(index) {
    if (ranking.pick(index, tieNext)) {
      tieNext = false;
      render(ranking.complete() ? 'All placed: Enter submits, Backspace undoes the last pick.' : null);
      if (ranking.complete()) {
        submitButton.focus();
      }
    } else {
      render(index >= ranking.k ? `There are only ${ranking.k} responses.` : `Response ${index + 1} is already placed; Backspace undoes the last pick.`);
    }
  }

  function toggleTie() {
    if (ranking.picks.length === 0) {
      render('Pick the first response before tying another with it.');
    } else if (ranking.complete()) {
      render('Every response is placed already.');
    } else {
      tieNext = !tieNext;
      render(tieNext ? 'The next pick ties with the previous one.' : null);
    }
  }

  function undo() {
    if (tieNext) {
      tieNext = false;
    } else {
      ranking.undo();
    }
    render();
  }

  function send() {
    if (ranking.complete()) {
      submit({ ranks: ranking.ranks() });
    } else {
      render(`Place every response first: ${ranking.k - ranking.picks.length} to go.`);
    }
  }

  function render(message) {
    const ranks = ranking.ranks();
    for (const node of cards.children) {
      const rank = ranks[Number(node.dataset.index)];
      node.classList.toggle('placed', rank !== null);
      node.querySelector('button').disabled = rank !== null;
      node.querySelector('.place').textContent = rank === null ? '' : `#${rank + 1}`;
    }
    order.textContent = ranking.toString() + (tieNext ? ' =' : '');
    hint.textContent = message || instructions;
    tie.setAttribute('aria-pressed', String(tieNext));
    submitButton.disabled = !ranking.complete();
  }

  document.addEventListener('keydown', (e) => {
    if (!ranking || byId('task').hidden || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && e.target.closest('button, a')) {
      return; // a focused button or link does what it says
    }
    if (/^[1-9]$/.test(e.key)) {
      place(Number(e.key) - 1);
    } else if (e.key === '=' && ranking.ties) {
      toggleTie();
    } else if (e.key === 'Backspace') {
      undo();
    } else if (e.key === 'Enter') {
      send();
    } else {
      return;
    }
    e.preventDefault();
  });
  tie.addEventListener('click', toggleTie);
  byId('undo').addEventListener('click', undo);
  submitButton.addEventListener('click', send);
})();
