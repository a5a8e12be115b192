/*
 * What every page of the app shares: the bearer token (moved from ?token= into sessionStorage), the fetch wrapper
 * whose failures all end in the page's error box (#error), the status box (#status) for states to explain, and who
 * is signed in (#who). Server, user and model text is only ever set as textContent: prompts, responses, run names
 * and error messages are user and model output.
 */
'use strict';

const App = (() => {
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

  /** A state the user should know about (no token, nothing to do), with an optional button or link. */
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

  /**
   * Runs a page: without a token noToken() says how to get one; otherwise whoami fills the header and
   * main({subject, roles}) runs. Whatever fails ends in the error box.
   */
  async function page(main, noToken) {
    try {
      if (!token()) {
        noToken();
        return;
      }
      const me = await api('GET', '/api/v1/whoami');
      byId('who').textContent = me.subject;
      byId('signed-in').hidden = false;
      await main(me);
    } catch (e) {
      showError(e);
    }
  }

  // A bug in a page must show too, not die in the console.
  window.addEventListener('error', (e) => showError(new Error(`the page failed: ${e.message}`)));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason instanceof Error ? e.reason : new Error(String(e.reason))));

  return { el, api, showError, hideError, showStatus, hideStatus, button, page };
})();
