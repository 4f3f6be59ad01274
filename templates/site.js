// rota's site script: no framework, no network. It answers "who is on call" in the
// browser from the shift data embedded in the home page and switches review banners on
// once their date passes. Search and the alert filter are in search.js.
(function () {
  'use strict';

  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function pad(n) { return (n < 10 ? '0' : '') + n; }

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

  // Review banners: shown once the review date has passed, even on an old build.
  function reviewBanners() {
    var now = new Date();
    var today = now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
    document.querySelectorAll('[data-review-due]').forEach(function (banner) {
      var due = banner.getAttribute('data-review-due');
      if (due && today > due) banner.hidden = false;
    });
  }

  // ---- Time in the site's zone, from the UTC offsets the build embedded ----
  function Zone(offsets) { this.offsets = offsets; }
  Zone.prototype.offsetAt = function (ms) {
    var off = this.offsets[0][1];
    for (var i = 0; i < this.offsets.length && this.offsets[i][0] <= ms; i++) off = this.offsets[i][1];
    return off;
  };
  Zone.prototype.format = function (ms) {
    var d = new Date(ms + this.offsetAt(ms) * 60000);
    return DAYS[d.getUTCDay()] + ' ' + d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' +
      d.getUTCFullYear() + ', ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  };
  // A local wall-clock time to an instant: in a spring-forward gap, the first instant
  // that exists; in an autumn overlap, the earlier instant (as `rota` does).
  Zone.prototype.instant = function (y, mo, d, h, mi) {
    var wall = Date.UTC(y, mo - 1, d, h, mi);
    var self = this, found = null;
    this.offsets.forEach(function (entry) {
      var t = wall - entry[1] * 60000;
      if (self.offsetAt(t) === entry[1] && (found === null || t < found)) found = t;
    });
    if (found !== null) return found;
    for (var i = 1; i < this.offsets.length; i++) {
      var T = this.offsets[i][0], before = this.offsets[i - 1][1], after = this.offsets[i][1];
      if (after > before && wall >= T + before * 60000 && wall < T + after * 60000) return T;
    }
    return wall - this.offsetAt(wall) * 60000;
  };

  function holdAt(holds, t) {
    var lo = 0, hi = holds.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (holds[mid][1] <= t) lo = mid + 1; else hi = mid;
    }
    return lo < holds.length && holds[lo][0] <= t ? holds[lo] : null;
  }

  function nextChange(holds, t) {
    var lo = 0, hi = holds.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (holds[mid][1] <= t) lo = mid + 1; else hi = mid;
    }
    if (lo >= holds.length) return null;
    return holds[lo][0] > t ? holds[lo][0] : holds[lo][1];
  }

  function onDuty(duty, t) {
    return duty.some(function (d) { return d[0] <= t && t < d[1]; });
  }

  function personLink(d, id, cls) {
    var attrs = { href: (d.root || '') + 'people/' + id + '.html', text: d.people[id] || id };
    if (cls) attrs['class'] = cls;
    return el('a', attrs);
  }

  function timeEl(zone, ms) {
    return el('time', { datetime: new Date(ms).toISOString().replace('.000Z', 'Z'), text: zone.format(ms) });
  }

  function holdersList(d, zone, rota, t) {
    var list = el('dl', { 'class': 'holders' });
    rota.positions.forEach(function (p) {
      var hold = holdAt(p.holds, t);
      if (!hold) return;
      var dt = el('dt', { text: p.name }, p.shadow ? [' ', el('span', { 'class': 'tag', text: 'shadow' })] : []);
      var until = el('span', { 'class': 'until' });
      if (hold[2] && hold[1] < d.end) {
        until.appendChild(document.createTextNode('until '));
        until.appendChild(timeEl(zone, hold[1]));
      } else if (hold[2]) {
        until.textContent = 'no end planned';
      }
      var who = hold[2] ? personLink(d, hold[2], 'person') : el('span', { 'class': 'unfilled', text: 'nobody (unfilled)' });
      var dd = el('dd', { 'data-position': p.name }, [who, ' ', until]);
      list.appendChild(el('div', { 'class': 'holder' }, [dt, dd]));
    });
    return list;
  }

  function rotaCard(d, zone, rota, t) {
    var on = onDuty(rota.duty, t);
    var list = holdersList(d, zone, rota, t);
    return el('article', { 'class': 'card rota-card' + (on ? '' : ' off-duty'), 'data-rota': rota.id }, [
      el('h3', {}, [el('a', { href: 'rotas/' + rota.id + '.html', text: rota.name })]),
      el('p', { 'class': 'duty ' + (on ? 'on' : 'off'), text: on ? 'On duty' : 'Off duty' }),
      list
    ]);
  }

  function handover(d, zone, rota, t) {
    var next = null;
    rota.positions.forEach(function (p) {
      var c = nextChange(p.holds, t);
      if (c !== null && c < rota.active_end && (next === null || c < next)) next = c;
    });
    if (next === null) return null;
    var li = el('li', {}, [timeEl(zone, next), ' · ', el('a', { href: 'rotas/' + rota.id + '.html', text: rota.name }), ': ']);
    var parts = [];
    rota.positions.forEach(function (p) {
      var hold = holdAt(p.holds, next);
      parts.push(p.name + ' ' + (hold && hold[2] ? (d.people[hold[2]] || hold[2]) : 'nobody'));
    });
    li.appendChild(document.createTextNode(parts.join(', ')));
    return { at: next, li: li };
  }

  // A rota's own page: its "Now" box and the "(now NAME)" of its escalation steps,
  // from the same data and code as the home page.
  function rotaNow(d, zone, t, asked) {
    var box = document.getElementById('now-card');
    var rota = d.rotas.filter(function (r) { return r.id === box.getAttribute('data-rota'); })[0];
    if (!rota) return;
    var title = document.getElementById('now-heading');
    if (asked && title && title.firstChild && title.firstChild.nodeType === 3) {
      title.firstChild.textContent = 'At ' + zone.format(t) + ' ';
    }
    var on = onDuty(rota.duty, t);
    var badge = box.querySelector('.duty');
    badge.className = 'duty ' + (on ? 'on' : 'off');
    badge.textContent = on ? 'On duty' : 'Off duty';
    var old = box.querySelector('dl.holders');
    old.parentNode.replaceChild(holdersList(d, zone, rota, t), old);
    document.querySelectorAll('.esc-now').forEach(function (span) {
      var name = span.getAttribute('data-position');
      var pos = rota.positions.filter(function (p) { return p.name === name; })[0];
      var hold = pos ? holdAt(pos.holds, t) : null;
      span.textContent = '';
      if (hold && hold[2]) {
        span.appendChild(document.createTextNode(' (now '));
        span.appendChild(personLink(d, hold[2]));
        span.appendChild(document.createTextNode(')'));
      }
    });
  }

  // Whether a wall-clock date and time exists in the calendar (no 13th month, no
  // 30 February, no 25 o'clock); Date.UTC would quietly roll such values over.
  function validWall(y, mo, d, h, mi) {
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return false;
    var probe = new Date(Date.UTC(y, mo - 1, d, h, mi));
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
  }

  function home(d) {
    var zone = new Zone(d.offsets);
    var params = new URLSearchParams(window.location.search);
    var asked = params.get('at');
    var t = Date.now();
    var note = document.getElementById('at-note') || el('span');
    var input = document.getElementById('at');
    var rotaPage = document.getElementById('now-card');
    if (asked) {
      var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(asked);
      if (m && validWall(+m[1], +m[2], +m[3], +m[4], +m[5])) {
        t = zone.instant(+m[1], +m[2], +m[3], +m[4], +m[5]);
        if (input) input.value = asked;
      } else {
        note.textContent = ' Not a valid moment: “' + asked + '” (use YYYY-MM-DDTHH:MM); showing now instead.';
        asked = null;
      }
    }
    if (t < d.from || t >= d.to) {
      note.textContent = ' This site knows the shifts from ' + zone.format(d.from) + ' to ' + zone.format(d.to) +
        '; showing the answer at build time instead.';
      return;
    }
    if (rotaPage) { rotaNow(d, zone, t, !!asked); return; }
    var heading = document.getElementById('at-heading');
    if (heading && asked) {
      heading.textContent = 'On call at ' + zone.format(t);
      document.title = document.title.replace(/on call now$/, 'on call at ' + zone.format(t));
    }
    if (input && !asked) {
      var local = new Date(t + zone.offsetAt(t) * 60000);
      input.value = local.getUTCFullYear() + '-' + pad(local.getUTCMonth() + 1) + '-' + pad(local.getUTCDate()) +
        'T' + pad(local.getUTCHours()) + ':' + pad(local.getUTCMinutes());
    }
    var label = document.getElementById('at-time');
    label.textContent = zone.format(t);
    label.setAttribute('datetime', new Date(t).toISOString().replace('.000Z', 'Z'));
    var cards = document.getElementById('now-cards');
    cards.textContent = '';
    // The rotas on duty first (as the page was built): the answer above the fold.
    d.rotas.map(function (rota, i) { return { rota: rota, i: i, on: onDuty(rota.duty, t) }; })
      .sort(function (a, b) { return (b.on - a.on) || (a.i - b.i); })
      .forEach(function (x) { cards.appendChild(rotaCard(d, zone, x.rota, t)); });
    var list = document.getElementById('handovers');
    var items = d.rotas.map(function (rota) { return handover(d, zone, rota, t); })
      .filter(function (h) { return h !== null; })
      .sort(function (a, b) { return a.at - b.at; });
    list.textContent = '';
    items.forEach(function (h) { list.appendChild(h.li); });
    if (!items.length) list.appendChild(el('li', { text: 'No handovers planned.' }));
  }

  reviewBanners();
  var data = document.getElementById('rota-data');
  if (data) home(JSON.parse(data.textContent));
})();
