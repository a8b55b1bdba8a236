// Account page (owners): API tokens (list, make, revoke) and the household's users (list, add, remove).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast, el } = window.mecam;
  if (!document.getElementById('token-form')) { return; }
  async function loadUsers() {
    const list = document.getElementById('users');
    list.textContent = '';
    (await api('GET', '/api/users')).forEach((u) => {
      const b = el('button', { type: 'button', text: 'Remove' });
      b.addEventListener('click', async () => {
        if (!window.confirm('Remove ' + u.username + '? Their sessions and API tokens end at once.')) { return; }
        try { await api('DELETE', '/api/users/' + encodeURIComponent(u.username)); loadUsers(); } catch (e) { toast('Failed: ' + e.message); }
      });
      list.append(el('li', { dataset: { user: u.username } }, [el('span', { text: u.username + ' · ' + u.role }), b]));
    });
  }
  document.getElementById('user-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = document.getElementById('user-name');
    const password = document.getElementById('user-password');
    try {
      await api('POST', '/api/users', { username: name.value, password: password.value, role: document.getElementById('user-role').value });
      toast('Added ' + name.value);
      name.value = '';
      password.value = '';
      loadUsers();
    } catch (e) { toast('Failed: ' + e.message); }
  });
  loadUsers().catch((e) => toast(e.message));
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
