/*
 * app.js -- the arbiter review page: login, the queue, one case at a time,
 * claim / verdict, keyboard shortcuts.
 *
 * Post text is hostile input.  This file never uses innerHTML, outerHTML,
 * insertAdjacentHTML, document.write or eval: every piece of data reaches
 * the DOM through textContent / createTextNode.  Direction controls
 * (U+202A..U+202E, U+2066..U+2069, LRM/RLM/ALM) are not passed to the
 * page; each is replaced by a visible marker.  Highlights use the byte
 * spans of the decision record, applied to the ORIGINAL bytes of the post
 * (sent base64-encoded), so what is marked is exactly what the engine saw.
 */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: '', me: '', queue: [], cur: -1, view: null };

  const BIDI = {
    '\u202A': 'LRE', '\u202B': 'RLE', '\u202C': 'PDF', '\u202D': 'LRO', '\u202E': 'RLO',
    '\u2066': 'LRI', '\u2067': 'RLI', '\u2068': 'FSI', '\u2069': 'PDI',
    '\u200E': 'LRM', '\u200F': 'RLM', '\u061C': 'ALM'
  };
  const BIDI_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  /* Appends untrusted text: plain text nodes, direction controls as markers. */
  function appendText(parent, text) {
    let buf = '';
    for (const ch of String(text)) {
      if (BIDI_RE.test(ch)) {
        if (buf) parent.appendChild(document.createTextNode(buf));
        buf = '';
        const m = el('span', 'bidi-marker', '\u27E6' + BIDI[ch] + '\u27E7');
        m.title = 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0') +
          ' (direction control, neutralized)';
        parent.appendChild(m);
      } else {
        buf += ch;
      }
    }
    if (buf) parent.appendChild(document.createTextNode(buf));
    return parent;
  }
  function textEl(tag, cls, text) {
    return appendText(el(tag, cls), text === undefined || text === null ? '' : text);
  }
  function say(msg, isError) {
    const s = $('status');
    s.textContent = msg;
    s.className = isError ? 'error' : '';
  }

  async function api(method, path, body) {
    const opt = { method: method, headers: {}, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') opt.headers['X-CSRF-Token'] = state.csrf;
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    let j = null;
    try { j = await r.json(); } catch (e) { j = null; }
    if (r.status === 401 && path !== '/login') showLogin();
    if (!r.ok) {
      const m = j && j.error && j.error.message ? j.error.message : 'HTTP ' + r.status;
      const err = new Error(m);
      err.status = r.status;
      throw err;
    }
    return j;
  }

  /* ---------------- login ---------------- */
  function showLogin() {
    state.csrf = '';
    state.me = '';
    $('login-view').hidden = false;
    $('review-view').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    $('login-name').focus();
  }
  function showReview() {
    if (document.activeElement && document.activeElement !== document.body) {
      document.activeElement.blur(); /* keys go to the shortcuts, not a hidden field */
    }
    $('login-view').hidden = true;
    $('review-view').hidden = false;
    $('logout').hidden = false;
    $('who').textContent = 'Signed in as ' + state.me;
    loadQueue(0);
  }
  async function login(ev) {
    ev.preventDefault();
    try {
      const j = await api('POST', '/login',
        { name: $('login-name').value, password: $('login-password').value });
      $('login-password').value = '';
      state.csrf = j.csrf;
      state.me = j.moderator;
      say('Logged in.');
      showReview();
    } catch (e) {
      say('Login failed: ' + e.message, true);
    }
  }
  async function logout() {
    try {
      await api('POST', '/logout');
      say('Logged out.');
    } catch (e) {
      say('Logout: ' + e.message, true);
    }
    clear($('queue'));
    $('case').hidden = true;
    state.queue = [];
    state.cur = -1;
    state.view = null;
    showLogin();
  }

  /* ---------------- queue ---------------- */
  async function loadQueue(keepIndex) {
    let j;
    try {
      j = await api('GET', '/v1/cases?status=pending&limit=200');
    } catch (e) {
      say('Queue: ' + e.message, true);
      return;
    }
    state.queue = j.cases || [];
    const q = $('queue');
    clear(q);
    state.queue.forEach((c, i) => {
      const li = el('li');
      li.dataset.caseId = String(c.id);
      const meta = el('span', 'meta');
      meta.appendChild(el('span', 'badge ' + c.status, c.status));
      meta.appendChild(document.createTextNode(
        ' #' + c.id + ' \u00B7 ' + c.country + ' \u00B7 ' + c.rule +
        (c.claimed_by ? ' \u00B7 ' + c.claimed_by : '')));
      li.appendChild(meta);
      li.appendChild(textEl('span', 'excerpt', c.excerpt));
      li.addEventListener('click', () => select(i));
      q.appendChild(li);
    });
    $('queue-empty').hidden = state.queue.length > 0;
    if (!state.queue.length) {
      state.cur = -1;
      $('case').hidden = true;
      return;
    }
    const idx = Math.min(Math.max(keepIndex, 0), state.queue.length - 1);
    await select(idx);
  }

  async function select(i) {
    if (i < 0 || i >= state.queue.length) return;
    state.cur = i;
    Array.from($('queue').children).forEach((li, k) => li.classList.toggle('current', k === i));
    const id = state.queue[i].id;
    try {
      const c = await api('GET', '/v1/cases/' + id);
      if (state.cur !== i || !state.queue[i] || state.queue[i].id !== id) return; /* stale */
      state.view = c;
      renderCase(c);
    } catch (e) {
      say('Case ' + id + ': ' + e.message, true);
    }
  }

  /* ---------------- one case ---------------- */
  function b64bytes(b64) {
    const bin = atob(b64 || '');
    const u = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    return u;
  }

  function collectSpans(decision) {
    const out = [];
    const add = (sp, kind, label) => {
      if (Array.isArray(sp) && sp.length === 2 && Number.isInteger(sp[0]) &&
          Number.isInteger(sp[1]) && sp[1] > sp[0]) {
        out.push({ start: sp[0], end: sp[1], kind: kind, label: label || kind });
      }
    };
    const stmts = decision && Array.isArray(decision.statements) ? decision.statements : [];
    for (const s of stmts) {
      if (s.trigger) add(s.trigger.span, 'trigger', 'trigger: ' + (s.trigger.label || s.type));
      for (const t of s.targets || []) add(t.span, 'target', 'target: ' + t.class + ' ' + t.label);
      for (const c of s.credibility || []) add(c.span, 'cred', 'credibility: ' + c.kind);
      for (const m of s.modifiers || []) add(m.span, 'mod', 'modifier: ' + m.kind);
    }
    return out;
  }

  /* Renders the original bytes with highlights; every segment as text. */
  function renderPost(node, bytes, spans) {
    clear(node);
    const dec = new TextDecoder('utf-8');
    const cuts = new Set([0, bytes.length]);
    for (const s of spans) {
      s.start = Math.min(s.start, bytes.length);
      s.end = Math.min(s.end, bytes.length);
      cuts.add(s.start);
      cuts.add(s.end);
    }
    const pts = Array.from(cuts).sort((a, b) => a - b);
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      if (a === b) continue;
      const seg = dec.decode(bytes.subarray(a, b));
      const cover = spans.filter((s) => s.start <= a && s.end >= b);
      if (cover.length) {
        const m = el('mark');
        m.className = Array.from(new Set(cover.map((s) => 'hl-' + s.kind))).join(' ');
        m.title = cover.map((s) => s.label).join('; ');
        m.dataset.span = a + '-' + b;
        appendText(m, seg);
        node.appendChild(m);
      } else {
        appendText(node, seg);
      }
    }
  }

  function fact(dl, name, value) {
    dl.appendChild(el('dt', null, name));
    dl.appendChild(textEl('dd', null, value === undefined || value === null ? '\u2014' : value));
  }

  function renderCase(c) {
    $('case').hidden = false;
    $('case-title').textContent = 'Case #' + c.id + ' (' + c.status + ')';
    const post = c.post || {};
    const d = c.decision || {};
    const facts = $('case-facts');
    clear(facts);
    fact(facts, 'status', c.status + (c.claimed_by ? ' by ' + c.claimed_by : ''));
    fact(facts, 'post id', post.id);
    fact(facts, 'author country', post.author_country);
    fact(facts, 'viewer country', post.viewer_country || '');
    fact(facts, 'posted', post.created_at);
    fact(facts, 'decided', c.decided_at);
    fact(facts, 'machine action', c.action);

    renderPost($('post-text'), b64bytes(post.text_b64), collectSpans(d));

    $('machine-reason').textContent = d.reason || '';
    const tb = $('statements').tBodies[0];
    clear(tb);
    (d.statements || []).forEach((s, i) => {
      const tr = el('tr');
      tr.appendChild(el('td', null, i + 1));
      tr.appendChild(el('td', null, s.type));
      tr.appendChild(el('td', null, s.severity));
      tr.appendChild(textEl('td', null,
        s.trigger ? (s.trigger.span_text || '') + ' [' + (s.trigger.label || '') + ']' : ''));
      tr.appendChild(textEl('td', null, (s.targets || []).map((t) =>
        (t.span_text || '') + ' (' + t.class + (t.affiliation ? ', ' + t.affiliation : '') +
        ': ' + t.label + ')').join('; ')));
      tr.appendChild(textEl('td', null, (s.credibility || []).map((x) =>
        x.kind + ': ' + (x.span_text || '')).join('; ')));
      tr.appendChild(textEl('td', null, (s.modifiers || []).map((x) =>
        x.kind + ': ' + (x.span_text || '')).join('; ')));
      tr.appendChild(el('td', null, (s.obfuscation || []).join(', ')));
      tb.appendChild(tr);
    });

    const pf = $('policy-facts');
    clear(pf);
    const pol = c.policy || {};
    fact(pf, 'rule', c.rule);
    fact(pf, 'overlay', d.overlay ? d.overlay.id + ' version ' + d.overlay.version : 'none');
    fact(pf, 'policy', (pol.id || '') + ' version ' + (pol.version || ''));
    fact(pf, 'policy hash', pol.hash);
    fact(pf, 'in force for', (post.author_country || '') + ' at ' + (post.created_at || ''));
    const brief = $('brief');
    if (c.brief_url) {
      if (brief.getAttribute('src') !== c.brief_url) brief.setAttribute('src', c.brief_url);
      brief.hidden = false;
    } else {
      brief.hidden = true;
    }

    const h = $('history');
    clear(h);
    for (const a of c.audit || []) {
      let line = a.at + ' \u00B7 ' + a.actor + ' \u00B7 ' + a.action;
      const p = a.payload || {};
      if (p.verdict) line += ': ' + p.verdict;
      if (p.reason) line += ' \u2014 ' + p.reason;
      h.appendChild(textEl('li', 'audit-' + a.action, line));
    }

    const mine = c.status === 'claimed' && c.claimed_by === state.me;
    $('claim').disabled = mine || c.status === 'decided';
    $('uphold').disabled = !mine;
    $('overturn').disabled = !mine;
  }

  /* ---------------- actions ---------------- */
  async function claim() {
    const c = state.view;
    if (!c) return;
    try {
      await api('POST', '/v1/cases/' + c.id + '/claim');
      say('Claimed case #' + c.id + '.');
      await select(state.cur);
    } catch (e) {
      say('Claim: ' + e.message, true);
    }
  }
  async function verdict(kind) {
    const c = state.view;
    if (!c) return;
    const reason = $('reason').value.trim();
    if (!reason) {
      say('Write a reason before you ' + kind + '.', true);
      $('reason').focus();
      return;
    }
    try {
      await api('POST', '/v1/cases/' + c.id + '/verdict', { verdict: kind, reason: reason });
      $('reason').value = '';
      say('Case #' + c.id + ': ' + (kind === 'uphold' ? 'upheld' : 'overturned') + '.');
      await loadQueue(state.cur);
    } catch (e) {
      say('Verdict: ' + e.message, true);
    }
  }

  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA');
    if (typing) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    if ($('review-view').hidden) return;
    const help = $('help');
    if (help.open) {
      if (ev.key === '?' || ev.key === 'Escape') help.close();
      return;
    }
    switch (ev.key) {
    case 'j': select(state.cur + 1); break;
    case 'k': select(state.cur - 1); break;
    case 'c': claim(); break;
    case 'u': verdict('uphold'); break;
    case 'o': verdict('overturn'); break;
    case 'r': loadQueue(state.cur); break;
    case '?': help.showModal(); break;
    default: return;
    }
    ev.preventDefault();
  }

  async function start() {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('refresh').addEventListener('click', () => loadQueue(state.cur));
    $('claim').addEventListener('click', claim);
    $('uphold').addEventListener('click', () => verdict('uphold'));
    $('overturn').addEventListener('click', () => verdict('overturn'));
    document.addEventListener('keydown', onKey);
    try {
      const j = await api('GET', '/login');
      state.csrf = j.csrf;
      state.me = j.moderator;
      showReview();
    } catch (e) {
      showLogin();
    }
  }
  document.addEventListener('DOMContentLoaded', start);
})();
