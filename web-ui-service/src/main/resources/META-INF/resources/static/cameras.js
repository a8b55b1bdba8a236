// Cameras page: add a camera (shows its install command and settings file), remove one.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var form = document.getElementById('add-camera-form');
  var errorBox = document.getElementById('add-camera-error');
  var nameField = document.getElementById('camera-name');
  var idField = document.getElementById('camera-id');
  var idTouched = false;

  function slug(text) {
    return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
  }
  if (nameField && idField) {
    idField.addEventListener('input', function () { idTouched = true; });
    nameField.addEventListener('input', function () { if (!idTouched) { idField.value = slug(nameField.value); } });
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: Object.assign({'X-CSRF-Token': csrf, 'Accept': 'application/json'},
        body ? {'Content-Type': 'application/json'} : {}),
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      if (r.status === 204) { return {}; }
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { throw new Error(j.error || ('HTTP ' + r.status)); }
        return j;
      });
    });
  }

  if (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      showError('');
      var button = document.getElementById('add-camera-submit');
      button.disabled = true;
      api('POST', '/api/cameras', {id: idField.value.trim(), name: nameField.value.trim(),
        mediaUrl: document.getElementById('camera-media-url').value.trim()})
        .then(function (added) {
          document.getElementById('install-command').textContent = added.command;
          document.getElementById('agent-config').textContent = added.agentConfig;
          var link = document.getElementById('download-config');
          link.href = URL.createObjectURL(new Blob([added.agentConfig], {type: 'text/plain'}));
          document.getElementById('camera-added').hidden = false;
          document.getElementById('add-camera').hidden = true;
          document.getElementById('camera-added').scrollIntoView({behavior: 'smooth'});
        })
        .catch(function (err) { showError(err.message); })
        .then(function () { button.disabled = false; });
    });
  }

  var copy = document.getElementById('copy-command');
  if (copy) {
    copy.addEventListener('click', function () {
      var text = document.getElementById('install-command').textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copy.textContent = 'Copied'; });
      } else {
        var range = document.createRange();
        range.selectNodeContents(document.getElementById('install-command'));
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        copy.textContent = 'Selected: press Ctrl+C';
      }
    });
  }

  document.querySelectorAll('.remove-camera').forEach(function (b) {
    b.addEventListener('click', function () {
      if (!window.confirm('Remove ' + b.dataset.name + '? It is disconnected at once and can no longer'
          + ' send events or footage. Its recordings stay.')) {
        return;
      }
      b.disabled = true;
      api('DELETE', '/api/cameras/' + encodeURIComponent(b.dataset.camera))
        .then(function () { window.location.reload(); })
        .catch(function (err) { b.disabled = false; window.alert(err.message); });
    });
  });
})();
