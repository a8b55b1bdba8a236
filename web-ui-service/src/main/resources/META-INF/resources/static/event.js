// Event page: play the clip from the encrypted archive after unlocking the owner key with the passphrase.
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
    try { await api('POST', '/api/archive/unlock', { passphrase: input.value }); input.value = ''; await refresh(); } catch (e) { toast('Not unlocked: ' + e.message); }
  });
  play.addEventListener('click', () => {
    const video = document.getElementById('clip');
    video.src = '/media/' + encodeURIComponent(media) + '/archive';
    video.play().catch(() => {});
  });
  lock.addEventListener('click', async () => { try { await api('POST', '/api/archive/lock'); await refresh(); } catch (e) { toast(e.message); } });
  refresh().catch(() => {});
});
