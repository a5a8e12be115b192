/* A labeling queue's progress as people read it: the labeling pages show it to labelers, the run page to operators. */
'use strict';

const Queues = (() => {
  const el = App.el;

  function deadline(iso) {
    if (!iso) {
      return 'none';
    }
    const at = new Date(iso);
    const minutes = Math.round((at - Date.now()) / 60000);
    const when = at.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    if (minutes <= 0) {
      return `${when} (passed)`;
    }
    const left = minutes < 60 ? `${minutes} min` : minutes < 2880 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
    return `${when} (in ${left})`;
  }

  /** The progress bar and counts; with a subject (a labeler's page), that labeler's own count first. */
  function summary(queue, subject) {
    const stat = (name, value, className) => el('div', {}, el('dt', { textContent: name }), el('dd', { className, textContent: value }));
    const percent = queue.quota ? Math.floor((100 * queue.completed) / queue.quota) : 0;
    const stats = [
      stat('All labels', String(queue.labels)),
      stat('Pace', `${(queue.labels_per_minute ?? 0).toFixed(1)} / min`),
      stat('Deadline', deadline(queue.deadline)),
    ];
    if (subject !== undefined) {
      stats.unshift(stat('Yours', String(queue.labelers?.[subject] ?? 0), 'mine'));
    }
    return el('div', { className: 'summary' },
      el('div', { className: 'progress' },
        el('progress', { max: queue.quota, value: Math.min(queue.completed, queue.quota) }),
        el('span', { textContent: `${queue.completed} of ${queue.quota} tasks complete (${percent}%)` })),
      el('dl', { className: 'stats' }, ...stats));
  }

  return { summary };
})();
