/* The open queues, each with its progress and a link to the page that labels it. */
'use strict';

(() => {
  const PAGES = {
    demonstration: { href: 'demonstrations.html', title: 'Write demonstrations', action: 'Start writing' },
    ranking: { href: 'rankings.html', title: 'Rank responses', action: 'Start ranking' },
    verdict: { href: 'verdict.html', title: 'Judge two answers', action: 'Start judging' },
  };
  const list = document.getElementById('queues');

  function card(entry, subject) {
    const page = PAGES[entry.kind];
    const title = App.el('h2', { textContent: `${page?.title ?? entry.kind} · ${entry.run_name ?? entry.run_id}` });
    const link = page
      ? App.el('a', { className: 'button primary', href: `${page.href}?run=${encodeURIComponent(entry.run_id)}`, textContent: page.action })
      : App.el('span', { textContent: `no page labels ${entry.kind} tasks` });
    return App.el('article', { className: 'queue-card' },
      App.el('div', { className: 'queue-head' }, title, link),
      App.el('p', { className: 'meta', textContent: `run ${entry.run_id} · stage ${entry.stage}` }),
      Queues.summary(entry.queue, subject));
  }

  async function load(subject) {
    App.hideError();
    App.hideStatus();
    const queues = await App.api('GET', '/api/v1/labeling');
    list.replaceChildren(...queues.map((q) => card(q, subject)));
    if (queues.length === 0) {
      App.showStatus('No open queues right now', ['A queue opens when a run reaches a collect stage with human labelers.'],
        Object.assign(App.button('Check again', () => load(subject).catch(App.showError)), { id: 'check-again' }));
    }
  }

  Label.page(load);
})();
