// Demo only: writes the Feedpulse script tag for the configuration in the address bar (?scale=nps&…),
// and shows that tag on the page so it can be copied. A real site pastes the tag itself; no code needed.
(function () {
  'use strict';
  // Every attribute the demo lets the address bar set (docs/notes/embed.md lists them all).
  var allowed = ['scale', 'question', 'position', 'theme', 'accent', 'locale', 'trigger', 'pages', 'once',
    'autocapture', 'follow-up-low', 'follow-up-mid', 'follow-up-high', 'custom-locale', 'consent', 'debug',
    // A write key for project demo-shop when the server has FEEDPULSE_KEYS (its banner shows /?key=…).
    'key'];
  var attrs = [['endpoint', '/v1/events'], ['project', 'demo-shop']];
  var query = new URLSearchParams(location.search);
  allowed.forEach(function (name) {
    if (query.has(name)) attrs.push([name, query.get(name)]);
  });
  // The demo's own follow-up is English, also in the German and Arabic variants: the tag says so, so
  // the widget gives it lang="en" there (it reads left to right in any case, by dir="auto").
  if (!query.has('follow-up-low')) {
    attrs.push(['follow-up-low', 'Sorry to hear that. What went wrong?']);
    if (!query.has('custom-locale')) attrs.push(['custom-locale', 'en']);
  }

  var script = document.createElement('script');
  script.src = '/feedpulse.min.js';
  script.async = true;
  attrs.forEach(function (pair) { script.setAttribute('data-' + pair[0], pair[1]); });
  document.head.appendChild(script);

  // The same tag as text, for the "The tag on this page" box.
  var quote = function (v) { return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;'); };
  var source = '<script src="/feedpulse.min.js" async\n' + attrs.map(function (pair) {
    return '        data-' + pair[0] + '="' + quote(pair[1]) + '"';
  }).join('\n') + '></' + 'script>';
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('tag-source');
    if (box) box.textContent = source;
    var links = document.querySelectorAll('#variants a');
    var here = location.pathname + location.search;
    for (var i = 0; i < links.length; i++) {
      var target = new URL(links[i].href);
      if (target.pathname + target.search === here) links[i].setAttribute('aria-current', 'page');
    }
  });
})();
