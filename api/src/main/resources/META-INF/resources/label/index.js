/* The open queues, each with its progress and a link to the page that labels it. */
'use strict';

(() => {
  const PAGES = {
    demonstration: { href: 'demonstrations.html', title: 'Write demonstrations', action: 'Start writing' },
    ranking: { href: 'rankings.html', title: 'Rank responses', action: 'Start ranking' },
  };
  const list = document.getElementById('queues');

  function card(entry, subject) {
    const page = PAGES[entry.kind];
    const title = Label.el('h2', { textContent: `${page?.title ?? entry.kind} · ${entry.run_name ?? entry.run_id}` });
    const link = page
      ? Label.el('a', { className: 'button primary', href: `${page.href}?run=${encodeURIComponent(entry.run_id)}`, textContent: page.action })
      : Label.el('span', { textContent: `no page labels ${entry.kind} tasks` });
    return Label.el('article', { className: 'queue-card' },
      Label.el('div', { className: 'queue-head' }, title, link),
      Label.el('p', { className: 'meta', textContent: `run ${entry.run_id} · stage ${entry.stage}` }),
      Label.queueSummary(entry.queue, subject));
  }

  async function load(subject) {
    Label.hideError();
    Label.hideStatus();
    const queues = await Label.api('GET', '/api/v1/labeling');
    list.replaceChildren(...queues.map((q) => card(q, subject)));
    if (queues.length === 0) {
      Label.showStatus('No open queues right now', ['A queue opens when a run reaches a collect stage with human labelers.'],
        Object.assign(Label.button('Check again', () => load(subject).catch(Label.showError)), { id: 'check-again' }));
    }
  }

  Label.page(load);
})();
