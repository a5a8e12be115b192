/*
 * What the labeling pages add to the app's shared pieces (/common/app.js, /common/queue.js): how a labeler signs
 * in, the task pages' progress box, and a submission id per task.
 */
'use strict';

const Label = (() => {
  function showNoToken() {
    App.showStatus('You need a labeling link', [
      App.el('span', {}, 'Open the link an admin gave you; it looks like ',
        App.el('code', { textContent: `${location.origin}/label/?token=…` }), '.'),
      App.el('span', {}, 'Admins mint a labeler token with ',
        App.el('code', { textContent: 'POST /api/v1/tokens {"subject": "your-name", "role": "labeler"}' }),
        ' and hand out the link with it.'),
    ]);
  }

  /** The task pages' one queue, in #queue; #progress and #mine are the ids tests and people look for. */
  function showProgress(queue, subject) {
    const summary = Queues.summary(queue, subject);
    summary.querySelector('.progress').id = 'progress';
    summary.querySelector('.mine').id = 'mine';
    document.getElementById('queue').replaceChildren(summary);
    document.getElementById('queue').hidden = false;
  }

  /** Runs a labeling page: main(subject) once the labeler is signed in. */
  function page(main) {
    return App.page((me) => main(me.subject), showNoToken);
  }

  /** A fresh UUID per task; crypto.randomUUID exists only on https or localhost, getRandomValues everywhere. */
  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  return { showProgress, page, uuid };
})();
