// Enhancements only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so keyboard and screen reader users hear what went wrong.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
  // Links in the error summary focus the field itself, not just scroll to it.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    event.preventDefault();
    var input = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea');
    (input || target).focus();
    target.scrollIntoView({ block: 'center' });
  });
})();
