// First-run setup: suggest this page's own address as the public address.
(function () {
  'use strict';
  var field = document.getElementById('public-url');
  if (field && !field.value) {
    field.value = window.location.origin;
  }
  var code = document.getElementById('code');
  if (code) {
    code.addEventListener('input', function () {
      var start = code.selectionStart;
      code.value = code.value.toUpperCase();
      code.setSelectionRange(start, start);
    });
  }
})();
