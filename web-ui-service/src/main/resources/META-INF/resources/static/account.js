// Account page: API tokens (list, make, revoke).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast, el } = window.mecam;
  async function load() {
    const list = document.getElementById('tokens');
    list.textContent = '';
    (await api('GET', '/api/tokens')).forEach((t) => {
      const b = el('button', { type: 'button', text: 'Revoke' });
      b.addEventListener('click', async () => { try { await api('DELETE', '/api/tokens/' + encodeURIComponent(t.id)); load(); } catch (e) { toast('Failed: ' + e.message); } });
      list.append(el('li', {}, [el('span', { text: t.name + ' · ' + new Date(t.createdAt).toLocaleDateString() }), b]));
    });
  }
  document.getElementById('token-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/tokens', { name: document.getElementById('token-name').value });
      const box = document.getElementById('new-token');
      box.textContent = 'New token (copy it now, it is not shown again): ' + r.token;
      box.hidden = false;
      load();
    } catch (e) { toast('Failed: ' + e.message); }
  });
  load().catch((e) => toast(e.message));
});
