// Account page: everyone's own password, two-step login and sessions; for owners also API tokens
// (list, make, revoke) and the household's users (list, add, reset password, remove).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast, el } = window.mecam;
  const passwordForm = document.getElementById('password-form');
  if (passwordForm) {
    passwordForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const current = document.getElementById('current-password');
      const next = document.getElementById('new-password');
      try {
        await api('POST', '/api/account/password', { current: current.value, password: next.value });
        current.value = '';
        next.value = '';
        toast('Password changed; your other sessions ended.');
        loadSessions();
      } catch (e) { toast('Failed: ' + e.message); }
    });
  }
  let totpOn = false;
  async function loadAccount() {
    const a = await api('GET', '/api/account');
    totpOn = a.secondFactor;
    document.getElementById('totp-state').textContent = totpOn
      ? 'On: logging in needs a code from your app (' + a.recoveryCodesLeft + ' recovery codes left).'
      : 'Off: only your password is needed to log in.';
    document.getElementById('totp-toggle').textContent = totpOn ? 'Turn off' : 'Turn on';
  }
  async function loadSessions() {
    const list = document.getElementById('sessions');
    list.textContent = '';
    (await api('GET', '/api/account/sessions')).forEach((s) => {
      const text = (s.current ? 'This session · ' : '') + (s.userAgent || 'unknown browser') + ' · ' + (s.address || '?')
        + ' · last used ' + new Date(s.lastSeenAt).toLocaleString();
      const item = el('li', {}, [el('span', { text })]);
      if (!s.current) {
        const b = el('button', { type: 'button', text: 'End' });
        b.addEventListener('click', async () => { try { await api('DELETE', '/api/account/sessions/' + encodeURIComponent(s.id)); loadSessions(); } catch (e) { toast('Failed: ' + e.message); } });
        item.append(b);
      }
      list.append(item);
    });
  }
  const setup = document.getElementById('totp-setup-form');
  if (setup) {
    setup.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const password = document.getElementById('totp-password');
      try {
        if (totpOn) {
          await api('POST', '/api/account/totp/disable', { password: password.value });
          toast('Two-step login is off.');
        } else {
          const r = await api('POST', '/api/account/totp/setup', { password: password.value });
          document.getElementById('totp-secret').textContent = r.secret;
          document.getElementById('totp-uri').href = r.uri;
          document.getElementById('totp-enrol').hidden = false;
        }
        password.value = '';
        loadAccount();
      } catch (e) { toast('Failed: ' + e.message); }
    });
    document.getElementById('totp-enable-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api('POST', '/api/account/totp/enable', { code: document.getElementById('totp-code').value });
        document.getElementById('totp-enrol').hidden = true;
        const codes = document.getElementById('recovery-codes');
        codes.textContent = '';
        r.recoveryCodes.forEach((c) => codes.append(el('li', { text: c })));
        document.getElementById('recovery').hidden = false;
        loadAccount();
      } catch (e) { toast('Failed: ' + e.message); }
    });
    loadAccount().catch((e) => toast(e.message));
    loadSessions().catch((e) => toast(e.message));
  }
  if (!document.getElementById('token-form')) { return; }
  async function loadUsers() {
    const list = document.getElementById('users');
    list.textContent = '';
    (await api('GET', '/api/users')).forEach((u) => {
      const reset = el('button', { type: 'button', text: 'Reset password' });
      reset.addEventListener('click', async () => {
        const password = window.prompt('New password for ' + u.username + ' (at least 10 characters). Their sessions end.');
        if (!password) { return; }
        const factorOff = window.confirm('Also turn off their two-step login (if they lost their phone)?');
        try { await api('POST', '/api/users/' + encodeURIComponent(u.username) + '/password', { password, turnOffSecondFactor: factorOff }); toast('Password reset'); } catch (e) { toast('Failed: ' + e.message); }
      });
      const b = el('button', { type: 'button', text: 'Remove' });
      b.addEventListener('click', async () => {
        if (!window.confirm('Remove ' + u.username + '? Their sessions and API tokens end at once.')) { return; }
        try { await api('DELETE', '/api/users/' + encodeURIComponent(u.username)); loadUsers(); } catch (e) { toast('Failed: ' + e.message); }
      });
      list.append(el('li', { dataset: { user: u.username } }, [el('span', { text: u.username + ' · ' + u.role }), reset, b]));
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
