// mecam web UI: shared helpers, service worker registration and the live dashboard.
'use strict';
(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  /** Calls the API with the session cookie and CSRF token; resolves to the JSON answer or throws Error(message). */
  async function api(method, url, body) {
    const opts = { method, headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET') {
      opts.headers['X-CSRF-Token'] = csrf();
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body || {});
    }
    const r = await fetch(url, opts);
    if (r.status === 401) { location.href = '/login?next=' + encodeURIComponent(location.pathname); throw new Error('login required'); }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!r.ok) { throw new Error((json && json.error) || ('HTTP ' + r.status)); }
    return json;
  }

  let toastTimer = null;
  function toast(message) {
    const t = document.getElementById('toast');
    if (!t) { return; }
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
  }

  function localTimes(root) {
    (root || document).querySelectorAll('time[datetime]').forEach((el) => {
      const v = el.getAttribute('datetime');
      if (v) { const d = new Date(v); if (!isNaN(d)) { el.textContent = d.toLocaleString(); } }
    });
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) { return; }
      if (k === 'text') { e.textContent = v; } else if (k === 'dataset') { Object.assign(e.dataset, v); } else { e.setAttribute(k, v === true ? '' : v); }
    });
    (children || []).forEach((c) => { if (c) { e.append(c); } });
    return e;
  }

  /**
   * Fills a form with one input per setting (checkbox for booleans, number for numbers, text otherwise)
   * and saves only changed values through save(changes).
   */
  function settingsForm(form, data, save, readOnly) {
    form.textContent = '';
    const keys = Object.keys(data || {}).filter((k) => !(readOnly || []).includes(k));
    keys.forEach((k) => {
      const v = data[k];
      const id = form.id + '-' + k;
      let input;
      if (typeof v === 'boolean') {
        input = el('input', { type: 'checkbox', id, name: k });
        input.checked = v;
        form.append(el('label', { class: 'switch', for: id }, [input, document.createTextNode(' ' + k.replace(/_/g, ' '))]));
      } else {
        const type = typeof v === 'number' ? 'number' : (/^quiet_(start|end)$/.test(k) ? 'time' : 'text');
        input = el('input', { type, id, name: k, step: typeof v === 'number' ? 'any' : null });
        input.value = v === null || v === undefined ? '' : v;
        form.append(el('label', { for: id }, [document.createTextNode(k.replace(/_/g, ' ')), input]));
      }
      input.dataset.kind = typeof v;
      input.dataset.original = input.type === 'checkbox' ? String(input.checked) : input.value;
    });
    const button = el('button', { type: 'submit', class: 'primary', id: form.id + '-save', text: 'Save' });
    form.append(button);
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      const changes = {};
      form.querySelectorAll('input[name]').forEach((i) => {
        const now = i.type === 'checkbox' ? String(i.checked) : i.value;
        if (now === i.dataset.original) { return; }
        if (i.type === 'checkbox') { changes[i.name] = i.checked; } else if (i.dataset.kind === 'number') { changes[i.name] = i.value === '' ? null : Number(i.value); } else { changes[i.name] = i.value === '' ? null : i.value; }
      });
      if (Object.keys(changes).length === 0) { toast('Nothing changed'); return; }
      button.disabled = true;
      try { await save(changes); toast('Saved'); } catch (e) { toast('Not saved: ' + e.message); } finally { button.disabled = false; }
    };
  }

  window.mecam = { api, toast, localTimes, el, settingsForm };

  document.addEventListener('DOMContentLoaded', () => {
    localTimes();
    const logout = document.getElementById('logout');
    if (logout) {
      logout.addEventListener('click', async () => {
        try { await api('POST', '/logout'); } catch (e) { /* ends at the login page either way */ }
        location.href = '/login';
      });
    }
    if ('serviceWorker' in navigator && document.body.dataset.page) {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e) => console.warn('service worker not registered: ' + e.message));
    }
    if (document.body.dataset.page === 'dashboard') { dashboard(); }
  });

  // ---- dashboard -------------------------------------------------------------------------------
  function dashboard() {
    document.querySelectorAll('#cameras').forEach((grid) => grid.addEventListener('click', onArmClick));
    document.getElementById('arm-all').addEventListener('click', () => arm('/api/cameras/arm-all', 'All cameras arming…'));
    document.getElementById('disarm-all').addEventListener('click', () => arm('/api/cameras/disarm-all', 'All cameras disarming…'));
    connectLive();
  }

  function onArmClick(ev) {
    const b = ev.target.closest('button[data-camera]');
    if (!b) { return; }
    const cam = b.dataset.camera;
    const on = b.dataset.armed === 'true';
    arm('/api/cameras/' + encodeURIComponent(cam) + (on ? '/arm' : '/disarm'), (on ? 'Arming ' : 'Disarming ') + cam + '…');
  }

  async function arm(url, message) {
    try { await api('POST', url); toast(message); } catch (e) { toast('Failed: ' + e.message); }
  }

  function connectLive() {
    const dot = document.getElementById('live-dot');
    const text = document.getElementById('live-text');
    const source = new EventSource('/api/live');
    source.onopen = () => { dot.classList.add('on'); text.textContent = 'live'; };
    source.onerror = () => { dot.classList.remove('on'); text.textContent = 'reconnecting…'; };
    source.onmessage = (m) => {
      let u;
      try { u = JSON.parse(m.data); } catch (e) { return; }
      if (u.type === 'hello') { dot.classList.add('on'); text.textContent = 'live'; }
      if (u.type === 'session-ended') {
        // The session was logged out or expired: stop reconnecting and go to the login page.
        source.close();
        dot.classList.remove('on');
        text.textContent = 'signed out';
        window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname));
      }
      if (u.type === 'event') { upsertEvent(u.data); }
      if (u.type === 'camera') { upsertCamera(u.data); }
      if (u.type === 'alert' && u.data && u.data.active) { toast('Alert: ' + u.data.message); }
    };
  }

  function upsertEvent(e) {
    const list = document.getElementById('events');
    const existing = document.getElementById('event-' + e.eventId);
    const thumb = el('span', { class: 'thumb small' }, [e.snapshotMediaId
      ? el('img', { src: '/media/' + encodeURIComponent(e.snapshotMediaId) + '/snapshot', alt: 'snapshot', loading: 'lazy' })
      : el('span', { class: 'muted', text: '—' })]);
    const textSpan = el('span', { class: 'event-text' }, [el('strong', { text: e.camera }), document.createTextNode(' · '),
      el('span', { 'data-field': 'phase', text: e.phase }), document.createTextNode(' · score ' + Math.round(e.score * 100) + '%'),
      el('br'), el('time', { class: 'muted small', datetime: e.startedAt, text: new Date(e.startedAt).toLocaleString() })]);
    const li = el('li', { class: 'event new', id: 'event-' + e.eventId, dataset: { event: e.eventId } },
      [el('a', { href: '/events/' + encodeURIComponent(e.eventId), class: 'event-link' }, [thumb, textSpan])]);
    if (existing) { existing.replaceWith(li); } else { list.prepend(li); }
    while (list.children.length > 12) { list.lastElementChild.remove(); }
    const none = document.getElementById('no-events');
    if (none) { none.hidden = true; }
  }

  function upsertCamera(c) {
    const grid = document.getElementById('cameras');
    const existing = document.getElementById('camera-' + c.camera);
    const avail = el('span', { class: 'badge ' + (c.online ? 'ok' : 'bad'), 'data-field': 'availability', text: c.online ? 'online' : c.availability });
    const armedText = c.armed === null || c.armed === undefined ? 'armed?' : (c.armed ? 'armed' : 'disarmed');
    const armed = el('span', { class: 'badge ' + (c.armed ? 'armed' : 'muted'), 'data-field': 'armed', text: armedText });
    const thumb = el('div', { class: 'thumb' }, [c.latestSnapshotMediaId
      ? el('img', { src: '/media/' + encodeURIComponent(c.latestSnapshotMediaId) + '/snapshot', alt: 'latest snapshot of ' + c.camera })
      : el('span', { class: 'muted', text: 'no snapshot yet' })]);
    const last = el('time', { 'data-field': 'last-motion', datetime: c.lastMotionAt || '', text: c.lastMotionAt ? new Date(c.lastMotionAt).toLocaleString() : '—' });
    const card = el('article', { class: 'camera card', id: 'camera-' + c.camera, dataset: { camera: c.camera } }, [thumb,
      el('div', { class: 'camera-body' }, [el('h3', { text: c.camera }), el('p', {}, [avail, document.createTextNode(' '), armed]),
        el('p', { class: 'muted small' }, [document.createTextNode('Last motion: '), last]),
        el('div', { class: 'actions' }, [
          el('button', { type: 'button', class: 'arm', dataset: { camera: c.camera, armed: 'true' }, text: 'Arm' }),
          el('button', { type: 'button', class: 'disarm', dataset: { camera: c.camera, armed: 'false' }, text: 'Disarm' })])])]);
    if (existing) { existing.replaceWith(card); } else { grid.append(card); }
    const none = document.getElementById('no-cameras');
    if (none) { none.hidden = true; }
  }
})();
