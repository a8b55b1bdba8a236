// Cloud backup page: uploader settings, Drive link, live statistics with a throughput chart, queue.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast, el, settingsForm } = window.mecam;
  const err = document.getElementById('cloud-error');
  const showError = (e) => { err.textContent = e.message; err.hidden = false; };
  const enabled = document.getElementById('backup-enabled');
  const enabledText = document.getElementById('backup-enabled-text');
  const samples = [];

  async function loadSettings() {
    try {
      const r = await api('GET', '/api/cloud/settings');
      const s = r.data || {};
      enabled.checked = !!s.enabled;
      enabled.disabled = false;
      enabledText.textContent = s.enabled ? 'on' : 'off';
      const form = document.getElementById('cloud-settings');
      const save = async (changes) => {
        const saved = await api('POST', '/api/cloud/settings', changes);
        settingsForm(form, saved.data && Object.keys(saved.data).length ? saved.data : Object.assign(s, changes), save, ['queueCap', 'backend']);
      };
      settingsForm(form, s, save, ['queueCap', 'backend']);
    } catch (e) { showError(e); enabledText.textContent = 'unavailable'; }
  }

  async function loadDrive() {
    try {
      const r = await api('GET', '/api/cloud/oauth/status');
      const d = r.data || {};
      document.getElementById('drive-status').textContent = d.linked ? ('linked' + (d.account ? ' (' + d.account + ')' : '')) : 'not linked';
    } catch (e) { document.getElementById('drive-status').textContent = 'unknown: ' + e.message; }
  }

  enabled.addEventListener('change', async () => {
    try { const r = await api('POST', '/api/cloud/toggle', { enabled: enabled.checked }); enabledText.textContent = enabled.checked ? 'on' : 'off'; toast(r.message || 'Saved'); } catch (e) { enabled.checked = !enabled.checked; toast('Failed: ' + e.message); }
  });
  document.getElementById('drive-link').addEventListener('click', async () => {
    try {
      const r = await api('POST', '/api/cloud/oauth/authorize', {});
      const d = r.data || {};
      if (d.authorizeUrl) { window.open(d.authorizeUrl, '_blank', 'noopener'); }
      document.getElementById('drive-hint').textContent = d.message || 'Allow access in the new tab, then paste the address it ended on.';
      document.getElementById('drive-finish').hidden = false;
    } catch (e) { toast('Failed: ' + e.message); }
  });
  document.getElementById('drive-finish').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await api('POST', '/api/cloud/oauth/authorize', { redirectUrl: document.getElementById('drive-redirect').value }); toast('Linked'); loadDrive(); } catch (e) { toast('Failed: ' + e.message); }
  });
  document.getElementById('drive-unlink').addEventListener('click', async () => {
    if (!confirm('Unlink Google Drive? Uploads stop until it is linked again.')) { return; }
    try { await api('POST', '/api/cloud/oauth/disconnect'); toast('Unlinked'); loadDrive(); } catch (e) { toast('Failed: ' + e.message); }
  });
  document.getElementById('test-upload').addEventListener('click', async () => {
    try { const r = await api('POST', '/api/cloud/test_upload'); toast(r.message || 'Test upload done'); } catch (e) { toast('Test upload failed: ' + e.message); }
  });
  document.getElementById('clear-queue').addEventListener('click', async () => {
    const discard = document.getElementById('clear-discard').checked;
    if (!confirm(discard ? 'Clear the queue and delete staged files?' : 'Clear the upload queue?')) { return; }
    try { const r = await api('POST', '/api/cloud/clear_queue', { discard }); toast(r.message || 'Queue cleared'); } catch (e) { toast('Failed: ' + e.message); }
  });

  function renderStats(s) {
    const box = document.getElementById('stats');
    if (!s || s.available === false) { return; }
    const mb = (b) => (b / 1e6).toFixed(1) + ' MB';
    box.textContent = '';
    [['Queued', s.queued], ['Uploaded', s.uploaded], ['Failed', s.failed], ['Retrying', s.retrying],
      ['Sent', mb(s.bytesOut || 0)], ['Backend', s.backend], ['Schedule', s.schedule]].forEach(([k, v]) => {
      box.append(el('div', { class: 'stat' }, [el('span', { class: 'muted small', text: k }), el('b', { text: v === undefined || v === null ? '—' : String(v) })]));
    });
    if (s.blockedReason) { box.append(el('p', { class: 'error', text: 'Blocked: ' + s.blockedReason })); }
    const queue = document.getElementById('queue');
    queue.textContent = '';
    (s.inProgress || []).forEach((p) => {
      const bar = el('progress', { max: p.total || 1, value: p.sent || 0 });
      queue.append(el('div', {}, [el('span', { class: 'small', text: p.camera + ' · ' + p.mediaId }), bar]));
    });
    if (!(s.inProgress || []).length) { queue.append(el('p', { class: 'muted', text: 'Nothing uploading right now.' })); }
    const lv = s.queuedByLevel || {};
    queue.append(el('p', { class: 'small muted', text: 'Waiting: ' + (lv.emergency || 0) + ' urgent, ' + (lv.normal || 0) + ' normal, ' + (lv.low || 0) + ' low priority' }));
    samples.push({ t: Date.now(), bytes: s.bytesOut || 0 });
    while (samples.length > 120) { samples.shift(); }
    drawChart();
  }

  function drawChart() {
    const c = document.getElementById('throughput');
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const dt = (samples[i].t - samples[i - 1].t) / 1000;
      rates.push(dt > 0 ? Math.max(0, (samples[i].bytes - samples[i - 1].bytes) / dt / 1e6) : 0);
    }
    const max = Math.max(0.1, ...rates);
    g.strokeStyle = '#2f6fde';
    g.lineWidth = 2;
    g.beginPath();
    rates.forEach((r, i) => {
      const x = rates.length < 2 ? 0 : (i / (rates.length - 1)) * (c.width - 10) + 5;
      const y = c.height - 10 - (r / max) * (c.height - 20);
      if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
    });
    g.stroke();
    g.fillStyle = '#667085';
    g.font = '12px system-ui';
    g.fillText(max.toFixed(2) + ' MB/s', 6, 14);
  }

  async function loadStats() { try { renderStats(await api('GET', '/api/cloud/stats')); } catch (e) { /* shown by the settings call */ } }
  const live = new EventSource('/api/live');
  live.onmessage = (m) => { try { const u = JSON.parse(m.data); if (u.type === 'stats') { renderStats(u.data); } } catch (e) { /* ignore */ } };

  loadSettings();
  loadDrive();
  loadStats();
});
