// Notification settings page: this browser's push subscription, preferences, devices, tests, snooze.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast, el, settingsForm } = window.mecam;
  const err = document.getElementById('notify-error');
  const showError = (e) => { err.textContent = e.message; err.hidden = false; };
  const pushSupported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

  function keyBytes(base64url) {
    const pad = '='.repeat((4 - (base64url.length % 4)) % 4);
    const raw = atob((base64url + pad).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  async function registration() {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    return navigator.serviceWorker.ready;
  }

  async function showState() {
    document.getElementById('permission-state').textContent = pushSupported ? Notification.permission : 'not supported by this browser';
    if (!pushSupported) { document.getElementById('push-state').textContent = 'not supported'; return; }
    try {
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      document.getElementById('push-state').textContent = sub ? 'subscribed' : 'not subscribed';
    } catch (e) { document.getElementById('push-state').textContent = 'unknown'; }
  }

  document.getElementById('device-name').value = localStorage.getItem('mecam.deviceName') || (navigator.userAgentData && navigator.userAgentData.platform) || 'browser';

  document.getElementById('push-subscribe').addEventListener('click', async () => {
    if (!pushSupported) { toast('This browser cannot receive push notifications'); return; }
    try {
      const permission = await Notification.requestPermission();
      document.getElementById('permission-state').textContent = permission;
      if (permission !== 'granted') { toast('Notifications are blocked for this site; allow them in the browser settings'); return; }
      const key = (await api('GET', '/api/notifications/vapid_key')).data.public_key;
      const reg = await registration();
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      const name = document.getElementById('device-name').value || 'browser';
      localStorage.setItem('mecam.deviceName', name);
      await api('POST', '/api/notifications/webpush/subscribe', Object.assign(sub.toJSON(), { device_name: name }));
      toast('Notifications enabled on this browser');
      showState();
      loadDevices();
    } catch (e) { toast('Could not subscribe: ' + e.message); showState(); }
  });

  document.getElementById('push-unsubscribe').addEventListener('click', async () => {
    try {
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      if (sub) {
        await api('POST', '/api/notifications/webpush/unsubscribe', { endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
      toast('Notifications disabled on this browser');
      showState();
      loadDevices();
    } catch (e) { toast('Failed: ' + e.message); }
  });

  const action = (id, url, body) => document.getElementById(id).addEventListener('click', async () => {
    try { const r = await api('POST', url, body ? body() : {}); toast(r.message || 'Done'); loadDevices(); } catch (e) { toast('Failed: ' + e.message); }
  });
  action('test-webpush', '/api/notifications/test/webpush');
  action('test-fcm', '/api/notifications/test/fcm');
  action('test-broadcast', '/api/notifications/test/broadcast');
  document.getElementById('clear-all').addEventListener('click', async () => {
    if (!confirm('Clear the notification history?')) { return; }
    try { const r = await api('POST', '/api/notifications/clear_all', { what: 'notifications' }); toast(r.message || 'Cleared'); } catch (e) { toast('Failed: ' + e.message); }
  });

  document.getElementById('fcm-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/notifications/fcm/register', { token: document.getElementById('fcm-token').value.trim(),
        platform: document.getElementById('fcm-platform').value, device_name: document.getElementById('fcm-name').value || 'phone' });
      toast('Phone registered');
      loadDevices();
    } catch (e) { toast('Failed: ' + e.message); }
  });

  document.getElementById('snooze-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/notifications/snooze', { camera: document.getElementById('snooze-camera').value,
        minutes: Number(document.getElementById('snooze-minutes').value) });
      toast(r.message || 'Snoozed');
    } catch (e) { toast('Failed: ' + e.message); }
  });

  async function loadSettings() {
    try {
      const r = await api('GET', '/api/notifications/settings');
      const form = document.getElementById('notify-settings');
      const save = async (changes) => {
        const saved = await api('POST', '/api/notifications/settings', changes);
        settingsForm(form, saved.data, save, ['user']);
      };
      settingsForm(form, r.data, save, ['user']);
    } catch (e) { showError(e); document.getElementById('notify-settings').textContent = 'unavailable'; }
  }

  async function loadDevices() {
    const body = document.getElementById('devices');
    try {
      const r = await api('GET', '/api/notifications/devices');
      body.textContent = '';
      const list = (r.data && r.data.devices) || [];
      if (!list.length) { body.append(el('tr', {}, [el('td', { colspan: '6', class: 'muted', text: 'No devices yet.' })])); }
      list.forEach((d) => {
        const remove = el('button', { type: 'button', text: 'Remove' });
        remove.addEventListener('click', async () => {
          try {
            if (d.channel === 'fcm') {
              await api('POST', '/api/notifications/fcm/unregister', { token: d.id });
            } else if (d.channel === 'webhook') {
              await api('POST', '/api/notifications/webhook/remove', { user: d.user });
            } else {
              await api('POST', '/api/notifications/webpush/unsubscribe', { endpoint: d.id });
            }
            loadDevices();
          } catch (e) { toast('Failed: ' + e.message); }
        });
        const buttons = [remove];
        if (d.channel === 'webhook') {
          // A signed test post to the webhook(s), so the receiver's signature check can be tried.
          const test = el('button', { type: 'button', text: 'Test' });
          test.addEventListener('click', async () => {
            try {
              const r = await api('POST', '/api/notifications/test/webhook', {});
              toast('Test sent to ' + ((r.data && r.data.queued) || 0) + ' webhook(s)');
            } catch (e) { toast('Failed: ' + e.message); }
          });
          buttons.unshift(test);
        }
        body.append(el('tr', {}, [el('td', { text: d.device_name || '—' }), el('td', { text: d.channel + (d.platform ? ' (' + d.platform + ')' : '') }),
          el('td', { text: d.user || '' }), el('td', { text: String(d.sent_count || 0) }),
          el('td', { text: d.last_used ? new Date(d.last_used).toLocaleString() : 'never' }), el('td', {}, buttons)]));
      });
    } catch (e) { body.textContent = ''; body.append(el('tr', {}, [el('td', { colspan: '6', class: 'muted', text: 'unavailable: ' + e.message })])); }
  }

  showState();
  loadSettings();
  loadDevices();
});
