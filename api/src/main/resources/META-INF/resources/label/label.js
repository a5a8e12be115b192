/*
 * What every labeling page shares: the bearer token (moved from ?token= into sessionStorage), the fetch wrapper
 * whose failures all end in the page's error box, who the labeler is, and how a queue's progress reads.
 * Server and model text is only ever set as textContent: prompts and responses are model and user output.
 */
'use strict';

const Label = (() => {
  const TOKEN_KEY = 'instructflow.token';
  const byId = (id) => document.getElementById(id);

  /** A call that failed: its HTTP status (0 when the server was not reached), the server's message and fields. */
  class ApiError extends Error {
    constructor(status, message, fields) {
      super(message);
      this.status = status;
      this.fields = fields || [];
    }
  }

  /** A DOM element with properties (className, href, textContent ...) and children (strings become text). */
  function el(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function token() {
    const url = new URL(location.href);
    const fromLink = url.searchParams.get('token');
    if (fromLink) {
      sessionStorage.setItem(TOKEN_KEY, fromLink);
      // out of the address bar, so it is not bookmarked, copied or shoulder-surfed along with the page
      url.searchParams.delete('token');
      history.replaceState(null, '', url);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** JSON in, JSON out; anything but a 2xx with a JSON body throws an ApiError. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, `could not reach the server (${e.message})`);
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      // not JSON (a proxy's error page, say): the status line says enough
    }
    if (!response.ok) {
      throw new ApiError(response.status, json?.error || response.statusText || 'request failed', json?.fields);
    }
    if (json === null) {
      throw new ApiError(response.status, `${method} ${path} answered without a JSON body`);
    }
    return json;
  }

  function showError(error) {
    const status = error.status ? `Error ${error.status}` : error instanceof ApiError ? 'Network error' : 'Error';
    const box = byId('error');
    box.replaceChildren(el('strong', { textContent: `${status}: ` }), error.message);
    if (error.fields?.length) {
      box.append(el('ul', {}, ...error.fields.map((f) => el('li', {}, el('code', { textContent: f.field }), `: ${f.reason}`))));
    }
    if (error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      box.append(el('p', { textContent: 'Your link is no longer valid: ask an admin for a new one.' }));
    }
    box.hidden = false;
  }

  function hideError() {
    byId('error').hidden = true;
  }

  /** A state the labeler should know about (no token, no task, stage over), with an optional button or link. */
  function showStatus(title, lines, action) {
    const box = byId('status');
    box.replaceChildren(el('h2', { textContent: title }), ...lines.map((line) => el('p', {}, line)));
    if (action) {
      box.append(action);
    }
    box.hidden = false;
    action?.focus();
  }

  function hideStatus() {
    byId('status').hidden = true;
  }

  function button(label, onClick) {
    const b = el('button', { type: 'button', textContent: label });
    b.addEventListener('click', onClick);
    return b;
  }

  function showNoToken() {
    showStatus('You need a labeling link', [
      el('span', {}, 'Open the link an admin gave you; it looks like ',
        el('code', { textContent: `${location.origin}/label/?token=…` }), '.'),
      el('span', {}, 'Admins mint a labeler token with ',
        el('code', { textContent: 'POST /api/v1/tokens {"subject": "your-name", "role": "labeler"}' }),
        ' and hand out the link with it.'),
    ]);
  }

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

  /** A queue's progress bar and counts, the subject's own count among them. */
  function queueSummary(queue, subject) {
    const stat = (name, value, className) => el('div', {}, el('dt', { textContent: name }), el('dd', { className, textContent: value }));
    const percent = queue.quota ? Math.floor((100 * queue.completed) / queue.quota) : 0;
    return el('div', { className: 'summary' },
      el('div', { className: 'progress' },
        el('progress', { max: queue.quota, value: Math.min(queue.completed, queue.quota) }),
        el('span', { textContent: `${queue.completed} of ${queue.quota} tasks complete (${percent}%)` })),
      el('dl', { className: 'stats' },
        stat('Yours', String(queue.labelers?.[subject] ?? 0), 'mine'),
        stat('All labels', String(queue.labels)),
        stat('Pace', `${(queue.labels_per_minute ?? 0).toFixed(1)} / min`),
        stat('Deadline', deadline(queue.deadline))));
  }

  /** The task pages' one queue, in #queue; #progress and #mine are the ids tests and people look for. */
  function showProgress(queue, subject) {
    const summary = queueSummary(queue, subject);
    summary.querySelector('.progress').id = 'progress';
    summary.querySelector('.mine').id = 'mine';
    byId('queue').replaceChildren(summary);
    byId('queue').hidden = false;
  }

  /** Runs a page: no token shows how to get one; otherwise whoami fills the header and main(subject) runs. */
  async function page(main) {
    try {
      if (!token()) {
        showNoToken();
        return;
      }
      const me = await api('GET', '/api/v1/whoami');
      byId('who').textContent = me.subject;
      byId('signed-in').hidden = false;
      await main(me.subject);
    } catch (e) {
      showError(e);
    }
  }

  /** A fresh UUID per task; crypto.randomUUID exists only on https or localhost, getRandomValues everywhere. */
  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // A bug in a page must show too, not die in the console.
  window.addEventListener('error', (e) => showError(new Error(`the page failed: ${e.message}`)));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason instanceof Error ? e.reason : new Error(String(e.reason))));

  return { el, api, showError, hideError, showStatus, hideStatus, button, queueSummary, showProgress, page, uuid };
})();
