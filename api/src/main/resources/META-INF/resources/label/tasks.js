/*
 * A task page's conversation with its queue: lease a task, show it, submit the labeler's answer, lease the next.
 * Each task gets one submission id, kept across retries, so a submit whose answer got lost can be sent again
 * without counting twice. "No task right now" and "stage over" are states shown in #status, not errors.
 */
'use strict';

/**
 * @param stage the queue's stage (collect-demonstrations, collect-comparisons, evaluate)
 * @param show  show(task, queue) renders a newly leased task into #task
 * @return submit(answer): sends {completion}, {ranks} or {choice, ratings} for the task on screen
 */
Label.taskLoop = function (stage, show) {
  const run = new URLSearchParams(location.search).get('run');
  const queuePath = `/api/v1/runs/${encodeURIComponent(run)}/labeling/${stage}`;
  const taskSection = document.getElementById('task');
  let subject;
  let current = null; // {task, submissionId}
  let busy = false;

  const checkAgain = () => Object.assign(App.button('Check again', () => {
    App.hideError();
    next();
  }), { id: 'check-again' });

  /** Nothing to label here now: the task goes, #status says why. */
  function noTask(title, lines, action) {
    current = null;
    taskSection.hidden = true;
    App.showStatus(title, lines, action);
  }

  async function lease() {
    const answer = await App.api('POST', `${queuePath}/lease`);
    Label.showProgress(answer.queue, subject);
    if (!answer.task) {
      noTask('No task for you right now', [answer.reason], checkAgain());
      return;
    }
    App.hideStatus();
    taskSection.hidden = false;
    // the same task again (a reload, or a lease renewed after it lapsed) keeps what the labeler had done
    if (current?.task.id !== answer.task.id) {
      current = { task: answer.task, submissionId: Label.uuid() };
      show(answer.task, answer.queue);
    }
  }

  /** The queue refused a lease (409): over for good, or not open yet. */
  async function closed(refusal) {
    let queue = null;
    try {
      queue = await App.api('GET', queuePath);
      Label.showProgress(queue, subject);
    } catch (e) {
      App.showError(e);
    }
    if (queue && (queue.completed >= queue.quota || Date.parse(queue.deadline) <= Date.now())) {
      noTask('This stage is over', [refusal.message,
        `${queue.completed} of ${queue.quota} tasks were completed with ${queue.labels} labels, `
          + `${queue.labelers?.[subject] ?? 0} of them yours. Thank you!`],
      App.el('a', { href: './', textContent: 'Back to all queues' }));
    } else {
      noTask('This queue is not taking labels', [refusal.message], checkAgain());
    }
  }

  async function next() {
    try {
      await lease();
    } catch (e) {
      if (e.status === 409) {
        await closed(e);
      } else if (e.status === 403) {
        noTask('These tasks are not for you', [e.message],
          App.el('a', { href: './', textContent: 'Back to all queues' }));
      } else {
        App.showError(e);
        noTask('No task', ['The error above says why.'], checkAgain());
      }
    }
  }

  async function submit(answer) {
    if (!current || busy) {
      return;
    }
    busy = true;
    taskSection.setAttribute('aria-busy', 'true');
    App.hideError();
    try {
      const result = await App.api('POST', `${queuePath}/submissions`,
        { task_id: current.task.id, submission_id: current.submissionId, ...answer });
      Label.showProgress(result.queue, subject);
      await next();
    } catch (e) {
      App.showError(e);
      if (e.status === 409) {
        await next(); // the lease was lost or the stage closed: the next lease says which
      }
    } finally {
      busy = false;
      taskSection.removeAttribute('aria-busy');
    }
  }

  Label.page(async (me) => {
    subject = me;
    if (!run) {
      throw new Error('no run in the address: open this page from the list of queues');
    }
    await next();
  });
  return submit;
};
