// mecam service worker: push notifications with image and actions, an offline page, re-subscription.
'use strict';
const CACHE = 'mecam-shell-v1';
const SHELL = ['/offline.html', '/static/app.css', '/favicon.svg', '/icons/icon-192.png', '/icons/badge-96.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Pages come from the network; when it is unreachable, the offline page stands in.
self.addEventListener('fetch', (event) => {
  if (event.request.mode === 'navigate') {
    event.respondWith(fetch(event.request).catch(() => caches.match('/offline.html')));
  }
});

/** Reads the push payload (JSON from the notifier); anything unreadable still shows a notification. */
function readPush(event) {
  if (!event.data) { return {}; }
  try { return event.data.json(); } catch (e) { return { body: event.data.text() }; }
}

self.addEventListener('push', (event) => {
  const p = readPush(event);
  const data = Object.assign({}, p.data || {});
  ['url', 'camera', 'eventId', 'event_id', 'category'].forEach((k) => { if (p[k] !== undefined && data[k] === undefined) { data[k] = p[k]; } });
  const camera = data.camera;
  // Clicking the notification itself opens the event and closing it dismisses it, so when the
  // platform shows few buttons (Chromium: 2) the camera actions come first.
  const actions = [];
  if (camera) {
    actions.push({ action: 'snooze', title: 'Snooze 1 h' });
    actions.push({ action: 'disarm', title: 'Disarm' });
  }
  actions.push({ action: 'view', title: 'View' });
  actions.push({ action: 'dismiss', title: 'Dismiss' });
  const maxActions = (self.Notification && Notification.maxActions) || 2;
  // One audible notification per event: an update of it (the snapshot arriving under the same tag,
  // "update": true from the notifier) replaces it silently instead of alerting a second time.
  const update = p.update === true || p.renotify === false;
  const options = {
    body: p.body || 'Something happened at home.',
    icon: p.icon || '/icons/icon-192.png',
    badge: p.badge || '/icons/badge-96.png',
    image: p.image || undefined,
    tag: p.tag || (camera ? 'camera-' + camera : 'mecam'),
    renotify: !update,
    silent: update,
    requireInteraction: p.category === 'security' || p.urgency === 'high',
    timestamp: p.timestamp ? Date.parse(p.timestamp) || Date.now() : Date.now(),
    data,
    actions: actions.slice(0, maxActions)
  };
  // waitUntil keeps the worker alive until the notification is shown (Safari revokes silent pushes).
  event.waitUntil(self.registration.showNotification(p.title || 'mecam', options));
});

/** Calls the web UI's API from the worker with the session cookie and CSRF token of an open page, if any. */
async function callApi(path, body) {
  const csrf = await csrfFromPage();
  const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf || '' }, body: JSON.stringify(body || {}) });
  if (!r.ok) { throw new Error('HTTP ' + r.status); }
}

async function csrfFromPage() {
  const r = await fetch('/api/session', { credentials: 'same-origin' });
  if (!r.ok) { return null; }
  return (await r.json()).csrfToken;
}

function eventUrl(data) {
  if (data.url && data.url.startsWith('/')) { return data.url; }
  const id = data.eventId || data.event_id;
  return id ? '/events/' + encodeURIComponent(id) : '/';
}

async function openWindow(url) {
  const all = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const c of all) {
    if ('focus' in c) {
      await c.focus();
      if ('navigate' in c) { return c.navigate(url); }
      return c;
    }
  }
  return self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  const n = event.notification;
  const data = n.data || {};
  n.close();
  let work;
  if (event.action === 'dismiss') {
    work = Promise.resolve();
  } else if (event.action === 'snooze' && data.camera) {
    work = callApi('/api/notifications/snooze', { camera: data.camera, minutes: 60 }).catch(() => openWindow('/notification_settings'));
  } else if (event.action === 'disarm' && data.camera) {
    // Disarmed: say so, with "Arm" to undo it from the same place (a locked screen included).
    work = callApi('/api/cameras/' + encodeURIComponent(data.camera) + '/disarm')
      .then(() => confirmState(data.camera, false))
      .catch(() => openWindow('/'));
  } else if (event.action === 'arm' && data.camera) {
    work = callApi('/api/cameras/' + encodeURIComponent(data.camera) + '/arm')
      .then(() => confirmState(data.camera, true))
      .catch(() => openWindow('/'));
  } else {
    work = openWindow(eventUrl(data));
  }
  event.waitUntil(work);
});

/** A quiet notification confirming an arm/disarm action, offering the opposite one. */
function confirmState(camera, armed) {
  return self.registration.showNotification('Camera ' + camera + (armed ? ' armed' : ' disarmed'), {
    body: armed ? 'Motion alerts are on again.' : 'No motion alerts from this camera until it is armed again.',
    icon: '/icons/icon-192.png',
    badge: '/icons/badge-96.png',
    tag: 'arming-' + camera,
    silent: true,
    data: { camera, url: '/' },
    actions: armed ? [{ action: 'disarm', title: 'Disarm' }] : [{ action: 'arm', title: 'Arm' }]
  });
}

self.addEventListener('notificationclose', (event) => {
  event.waitUntil(Promise.resolve());
});

// The push service rotated or expired the subscription: subscribe again and tell the server.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const old = event.oldSubscription;
    let key = old && old.options && old.options.applicationServerKey;
    if (!key) {
      const r = await fetch('/api/notifications/vapid_key', { credentials: 'same-origin' });
      const b64 = (await r.json()).data.public_key;
      const pad = '='.repeat((4 - (b64.length % 4)) % 4);
      key = Uint8Array.from(atob((b64 + pad).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    }
    const sub = event.newSubscription || await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    if (old) { await callApi('/api/notifications/webpush/unsubscribe', { endpoint: old.endpoint }).catch(() => {}); }
    await callApi('/api/notifications/webpush/subscribe', Object.assign(sub.toJSON(), { device_name: 'browser (renewed)' }));
  })());
});
