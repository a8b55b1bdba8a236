// Event page: the clip plays from the camera while it keeps the file, then from the encrypted archive
// (read through the uploader, whatever the backend) after the owner unlocks the key with the passphrase.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const { api, toast } = window.mecam;
  const box = document.getElementById('archive');
  if (!box) { return; }
  const media = box.dataset.media;
  const state = document.getElementById('archive-state');
  const form = document.getElementById('archive-unlock');
  const play = document.getElementById('archive-play');
  const lock = document.getElementById('archive-lock');
  const note = document.getElementById('clip-note');
  const video = document.getElementById('clip');
  let clipFailed = false;

  // A <video> cannot show why it failed: ask the server with a one-byte range and say it in words.
  async function explainClipError() {
    clipFailed = true;
    try {
      const r = await fetch('/media/' + encodeURIComponent(media) + '/clip', { headers: { Range: 'bytes=0-0' }, credentials: 'same-origin' });
      if (r.ok) { return; }
      let message = 'HTTP ' + r.status;
      try { message = (await r.json()).error || message; } catch (e) { /* not JSON */ }
      note.textContent = r.status === 423
        ? 'The camera no longer has this clip. Unlock the archive below to play the stored copy.'
        : 'The clip cannot be played: ' + message;
      if (r.status === 423) { box.hidden = false; }
    } catch (e) {
      note.textContent = 'The clip cannot be played: the server cannot be reached.';
    }
  }
  if (video) { video.addEventListener('error', () => { explainClipError(); }); }

  async function refresh() {
    const s = await api('GET', '/api/archive');
    box.hidden = !s.configured;
    if (!s.configured) { return; }
    form.hidden = s.unlocked;
    play.hidden = !s.unlocked;
    lock.hidden = !s.unlocked;
    state.textContent = s.unlocked
      ? 'Unlocked until ' + new Date(s.unlockedUntil).toLocaleTimeString() + '; the key is kept in the server\'s memory only.'
      : 'Locked. The passphrase opens the archive key for a limited time.';
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = document.getElementById('archive-passphrase');
    try {
      await api('POST', '/api/archive/unlock', { passphrase: input.value });
      input.value = '';
      await refresh();
      if (clipFailed) {
        // Same address: the server now falls back to the archive.
        clipFailed = false;
        note.textContent = 'Playing the stored copy from the archive.';
        video.src = '/media/' + encodeURIComponent(media) + '/clip';
        video.load();
      }
    } catch (e) { toast('Not unlocked: ' + e.message); }
  });
  play.addEventListener('click', () => {
    video.src = '/media/' + encodeURIComponent(media) + '/archive';
    video.play().catch(() => {});
  });
  lock.addEventListener('click', async () => { try { await api('POST', '/api/archive/lock'); await refresh(); } catch (e) { toast(e.message); } });
  refresh().catch(() => {});
});
