// rota's search script: no framework, no network beyond the site's own files. It
// searches runbooks, alerts, rotas, people and services from the header of every page
// (and `/` as a shortcut) and on the search page, filters the alert catalogue, fills in
// who holds a rota now where a page names one (`data-rota-now`), and opens the runbook
// navigation on wide screens. Results are built from text nodes, never from markup.
(function () {
  'use strict';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  // ---- Search ----
  function tokens(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  function escapeRe(w) { return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  // `text` as a fragment of text nodes, each match of `words` in a <mark>.
  function highlighted(text, words) {
    var frag = document.createDocumentFragment();
    if (!words.length) { frag.appendChild(document.createTextNode(text)); return frag; }
    var re = new RegExp(words.map(escapeRe).sort(function (a, b) { return b.length - a.length; }).join('|'), 'giu');
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      frag.appendChild(el('mark', { text: m[0] }));
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  // Up to ~180 characters of `text` around the first of `words` found in it.
  function snippet(text, words) {
    if (!text) return '';
    var lower = text.toLowerCase(), at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var from = at < 0 ? 0 : Math.max(0, at - 60);
    if (from > 0) {
      var space = text.indexOf(' ', from);
      if (space >= 0 && space < at) from = space + 1;
    }
    var to = Math.min(text.length, from + 180);
    // End at a word's end, not in the middle of one.
    if (to < text.length) {
      var last = text.lastIndexOf(' ', to);
      if (last > from + 60) to = last;
    }
    return (from > 0 ? '… ' : '') + text.slice(from, to).trim() + (to < text.length ? ' …' : '');
  }

  // Whether every word is found in one of `fields` ([text, weight]); the score if so.
  function score(words, fields) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var best = 0;
      for (var j = 0; j < fields.length; j++) {
        var f = fields[j][0];
        if (f && f.indexOf(words[i]) >= 0 && fields[j][1] > best) best = fields[j][1];
      }
      if (!best) return 0;
      total += best;
    }
    return total;
  }

  function lower(s) { return (s || '').toLowerCase(); }

  function search(index, query) {
    var words = tokens(query);
    if (!words.length) return { words: words, results: [] };
    var results = [];
    (index.people || []).forEach(function (p) {
      var s = score(words, [[lower(p.name), 12], [lower(p.handle), 10], [lower(p.id), 8], [lower((p.rotas || []).join(' ')), 2]]);
      if (s) {
        var about = (p.handle ? p.handle + ' · ' : '') + ((p.rotas || []).length ? 'on ' + p.rotas.join(', ') : 'on no rota');
        results.push({ score: s, kind: 'Person', title: p.name, url: p.url, snippet: about });
      }
    });
    (index.rotas || []).forEach(function (r) {
      var s = score(words, [[lower(r.name), 12], [lower(r.id), 10], [lower(r.text), 2]]);
      if (s) results.push({ score: s, kind: 'Rota', title: r.name, url: r.url, snippet: r.text || (r.kind === 'in-hours' ? 'In hours' : 'Out of hours') });
    });
    (index.services || []).forEach(function (v) {
      var s = score(words, [[lower(v.name), 10], [lower(v.id), 8], [lower(v.text), 2]]);
      if (s) results.push({ score: s, kind: 'Service', title: v.name, url: v.url, snippet: v.text || 'Its alerts in the catalogue' });
    });
    (index.alerts || []).forEach(function (a) {
      var s = score(words, [[lower(a.id), 11], [lower(a.name), 11], [lower(a.summary), 8], [a.severity, 4],
        [lower(a.service), 3], [lower((a.rotas || []).join(' ')), 2]]);
      if (s) {
        var about = a.id + (a.name && a.name.toLowerCase() !== a.id ? ' (' + a.name + ')' : '') +
          ' · pages ' + ((a.rotas || []).length ? a.rotas.join(', ') : 'nobody') + (a.service ? ' · ' + a.service : '');
        results.push({ score: s, kind: 'Alert · ' + a.severity, title: a.summary, url: a.url, snippet: about });
      }
    });
    (index.runbooks || []).forEach(function (rb) {
      var title = lower(rb.title), heading = null, anchor = null, total = 0;
      var body = ' ' + rb.words, text = lower(rb.text);
      var all = words.every(function (w) {
        if (title.indexOf(w) >= 0) { total += 10; return true; }
        for (var i = 0; i < rb.headings.length; i++) {
          if (rb.headings[i][0].toLowerCase().indexOf(w) >= 0) {
            total += 5;
            if (anchor === null) { anchor = rb.headings[i][1]; heading = rb.headings[i][0]; }
            return true;
          }
        }
        if (lower(rb.owner).indexOf(w) >= 0) { total += 3; return true; }
        if (body.indexOf(' ' + w) >= 0 || text.indexOf(w) >= 0) { total += 1; return true; }
        return false;
      });
      if (all) {
        results.push({ score: total, kind: 'Runbook', title: rb.title, url: rb.url + (anchor ? '#' + anchor : ''),
          section: heading, snippet: snippet(rb.text, words) });
      }
    });
    results.sort(function (x, y) { return y.score - x.score || (x.title < y.title ? -1 : x.title > y.title ? 1 : 0); });
    return { words: words, results: results };
  }

  // Lists `found` in `list` (links prefixed with `root`), says how many in `status`.
  function showResults(list, status, found, query, root, limit) {
    list.textContent = '';
    found.results.slice(0, limit).forEach(function (r) {
      var link = el('a', { href: root + r.url });
      link.appendChild(highlighted(r.title, found.words));
      var li = el('li', {}, [el('span', { 'class': 'kind', text: r.kind }), ' ', link]);
      if (r.section) {
        var section = el('span', { 'class': 'section' }, ['Section: ']);
        section.appendChild(highlighted(r.section, found.words));
        li.appendChild(section);
      }
      if (r.snippet) {
        var text = el('span', { 'class': 'snippet' });
        text.appendChild(highlighted(r.snippet, found.words));
        li.appendChild(text);
      }
      list.appendChild(li);
    });
    var n = found.results.length;
    if (!query.trim()) status.textContent = '';
    else if (!n) status.textContent = 'Nothing matches “' + query + '”.';
    else status.textContent = n + ' result' + (n === 1 ? '' : 's') + (n > limit ? ', showing the first ' + limit : '') + '.';
  }

  // Arrow keys from `input` into the links of `list` and between them; Escape back.
  function arrowKeys(input, list, onEscape) {
    function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') {
        var first = links()[0];
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === 'Escape' && onEscape) {
        onEscape();
      }
    });
    list.addEventListener('keydown', function (e) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === 'ArrowDown' && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); input.focus(); if (onEscape) onEscape(); }
    });
    return links;
  }

  function searchPage(form, index) {
    var input = document.getElementById('q');
    var list = document.getElementById('results');
    var status = document.getElementById('search-status');
    function show() { showResults(list, status, search(index, input.value), input.value, '', 50); }
    var links = arrowKeys(input, list, null);
    input.addEventListener('input', show);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var first = links()[0];
      if (first) first.focus();
    });
    var q = new URLSearchParams(window.location.search).get('q');
    if (q) { input.value = q; }
    show();
  }

  // The header's search box: the index is loaded the first time it is used, results
  // show under the box as you type.
  function headerSearch(form) {
    var input = form.querySelector('input[type=search]');
    var panel = form.querySelector('.search-panel');
    var list = panel.querySelector('.results');
    var status = panel.querySelector('.search-status');
    var root = form.getAttribute('data-root') || '';
    // What to do once the index has loaded: the latest request wins, so typing while
    // it loads (the box was focused first) still shows results.
    var requested = false, waiting = null;
    function load(then) {
      if (window.rotaSearchIndex) return then();
      waiting = then;
      if (!requested) {
        requested = true;
        var script = el('script', { src: root + 'assets/search-index.js' });
        script.addEventListener('load', function () { var w = waiting; waiting = null; if (w) w(); });
        document.body.appendChild(script);
      }
    }
    function show() {
      if (!input.value.trim()) { panel.hidden = true; list.textContent = ''; status.textContent = ''; return; }
      load(function () {
        if (!input.value.trim()) return;
        panel.hidden = false;
        showResults(list, status, search(window.rotaSearchIndex, input.value), input.value, root, 8);
        if (list.children.length && status.textContent.indexOf('showing') >= 0) {
          var more = el('li', { 'class': 'more' }, [el('a', { href: root + 'search.html?q=' + encodeURIComponent(input.value), text: 'All results' })]);
          list.appendChild(more);
        }
      });
    }
    function close() { panel.hidden = true; }
    input.addEventListener('input', show);
    input.addEventListener('focus', function () { load(function () {}); if (input.value.trim()) show(); });
    arrowKeys(input, list, close);
    form.addEventListener('focusout', function (e) {
      if (!form.contains(e.relatedTarget)) close();
    });
    form.addEventListener('submit', function (e) {
      var first = list.querySelector('a');
      if (first && !panel.hidden) { e.preventDefault(); first.focus(); }
    });
    // `/` anywhere but in a field jumps to the box.
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target, tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // ---- Alert catalogue filters (alerts.html?rota=ID&severity=S&service=ID preselects) ----
  function alertFilter(form) {
    var rows = Array.prototype.slice.call(document.querySelectorAll('#alerts tbody tr'));
    var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
    var count = document.getElementById('filter-count');
    var params = new URLSearchParams(window.location.search);
    var names = { rotas: 'rota', severity: 'severity', service: 'service' };
    form.hidden = false;
    selects.forEach(function (s) {
      var want = params.get(names[s.getAttribute('data-filter')]);
      if (want && Array.prototype.some.call(s.options, function (o) { return o.value === want; })) s.value = want;
    });
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) {
          if (!s.value) return true;
          var have = (row.getAttribute('data-' + s.getAttribute('data-filter')) || '').split(' ');
          return have.indexOf(s.value) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = 'Showing ' + shown + ' of ' + rows.length + ' alerts.';
    }
    selects.forEach(function (s) { s.addEventListener('change', apply); });
    apply();
  }

  // ---- Who holds a rota now, wherever a page names one (data-rota-now="ID") ----
  function holdAt(holds, t) {
    var lo = 0, hi = holds.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (holds[mid][1] <= t) lo = mid + 1; else hi = mid;
    }
    return lo < holds.length && holds[lo][0] <= t ? holds[lo] : null;
  }

  function personName(d, id) {
    var p = d.people && d.people[id];
    // The shift data names a person as [name, work handle].
    if (Array.isArray(p)) return p[0] || id;
    return typeof p === 'string' ? p : (p && p.name) || id;
  }

  function rotaNowSpans(d) {
    var spans = document.querySelectorAll('[data-rota-now]');
    if (!spans.length || !d || !d.rotas) return;
    var byId = {};
    d.rotas.forEach(function (r) { byId[r.id] = r; });
    function fill() {
      var t = Date.now();
      // Outside the published data the build-time text stays.
      if (t < d.from || t >= d.to) return;
      var texts = {};
      spans.forEach(function (span) {
        var id = span.getAttribute('data-rota-now');
        if (!(id in texts)) {
          var rota = byId[id];
          var on = rota && rota.duty.some(function (w) { return w[0] <= t && t < w[1]; });
          texts[id] = rota && !on ? 'off duty' : rota ? rota.positions.filter(function (p) { return !p.shadow; }).map(function (p) {
            var hold = holdAt(p.holds, t);
            return p.name + ' ' + (hold && hold[2] ? personName(d, hold[2]) : 'nobody');
          }).join(', ') : '';
        }
        span.textContent = texts[id] ? '(now ' + texts[id] + ')' : '';
      });
    }
    fill();
    window.setInterval(fill, 60000);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) fill(); });
    window.addEventListener('focus', fill);
  }

  // ---- The runbook navigation: open beside the page on wide screens ----
  function runbookNav(details) {
    var wide = window.matchMedia('(min-width: 60rem)');
    function follow() { details.open = wide.matches; }
    follow();
    if (wide.addEventListener) wide.addEventListener('change', follow);
  }

  var header = document.querySelector('form.header-search');
  if (header) headerSearch(header);
  var searchForm = document.getElementById('search-form');
  if (searchForm && window.rotaSearchIndex) searchPage(searchForm, window.rotaSearchIndex);
  if (searchForm && !header) {
    // The search page has no box in its header: `/` goes to its own.
    document.addEventListener('keydown', function (e) {
      var tag = e.target && e.target.tagName;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
      e.preventDefault();
      document.getElementById('q').focus();
    });
  }
  var filter = document.getElementById('alert-filter');
  if (filter) alertFilter(filter);
  if (window.rotaNowData) rotaNowSpans(window.rotaNowData);
  var nav = document.getElementById('runbook-nav');
  if (nav) runbookNav(nav);
})();
