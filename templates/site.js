// rota's site script: no framework, no network. It answers "who is on call" in the
// browser from the shift data embedded in the home and rota pages — and again every
// minute — and switches review banners and "now" markers as the organisation's clock
// moves. Search and the alert filter are in search.js.
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

  // ---- The organisation's date ----
  // The site's zone (a <meta> every page carries): review banners and overdue lists go by
  // the organisation's date, not the browser's.
  function siteZone() {
    var meta = document.querySelector('meta[name="rota-timezone"]');
    return meta ? meta.getAttribute('content') : null;
  }
  function orgToday(ms) {
    var zone = siteZone();
    try {
      var parts = {};
      new Intl.DateTimeFormat('en-GB', { timeZone: zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
      return parts.year + '-' + parts.month + '-' + parts.day;
    } catch (e) {
      var d = new Date(ms);
      return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
    }
  }

  // Review banners: shown once the review date has passed (in the organisation's zone),
  // even on an old build.
  function reviewBanners(ms) {
    var today = orgToday(ms);
    document.querySelectorAll('[data-review-due]').forEach(function (banner) {
      var due = banner.getAttribute('data-review-due');
      if (due && today > due) banner.hidden = false;
    });
  }

  // ---- Time in a zone, from the UTC offsets (and abbreviations) the build embedded ----
  function Zone(offsets) { this.offsets = offsets; }
  Zone.prototype.entryAt = function (ms) {
    var e = this.offsets[0];
    for (var i = 0; i < this.offsets.length && this.offsets[i][0] <= ms; i++) e = this.offsets[i];
    return e;
  };
  Zone.prototype.offsetAt = function (ms) { return this.entryAt(ms)[1]; };
  Zone.prototype.abbr = function (ms) { return this.entryAt(ms)[2] || ''; };
  Zone.prototype.local = function (ms) { return new Date(ms + this.offsetAt(ms) * 60000); };
  Zone.prototype.clock = function (ms) {
    var d = this.local(ms);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' ' + this.abbr(ms);
  };
  // `Fri 8 Jan 2027`
  function dayText(d) {
    return DAYS[d.getUTCDay()] + ' ' + d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }
  Zone.prototype.day = function (ms) { return dayText(this.local(ms)); };
  // `Wed 23 Dec 2026, 10:00 GMT`
  Zone.prototype.format = function (ms) { return this.day(ms) + ', ' + this.clock(ms); };
  // `2026-12-23 10:00`: the moment picker's value.
  Zone.prototype.input = function (ms) {
    var d = this.local(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  };
  // `18:00 GMT` on the day of `at`, `Wed 6 Jan, 10:00 GMT` another day of its year,
  // `Wed 6 Jan 2027, 10:00 GMT` another year (as src/oncall.rs `moment`).
  Zone.prototype.moment = function (at, t) {
    var a = this.local(at), l = this.local(t);
    if (a.getUTCFullYear() === l.getUTCFullYear() && a.getUTCMonth() === l.getUTCMonth() && a.getUTCDate() === l.getUTCDate()) {
      return this.clock(t);
    }
    if (a.getUTCFullYear() === l.getUTCFullYear()) {
      return DAYS[l.getUTCDay()] + ' ' + l.getUTCDate() + ' ' + MONTHS[l.getUTCMonth()] + ', ' + this.clock(t);
    }
    return dayText(l) + ', ' + this.clock(t);
  };
  // Every instant whose wall-clock time here is `wall` (UTC fields standing for local
  // ones): none in a spring-forward gap, two in an autumn repeated hour.
  Zone.prototype.instants = function (wall) {
    var self = this, found = [];
    this.offsets.forEach(function (entry) {
      var t = wall - entry[1] * 60000;
      if (self.offsetAt(t) === entry[1] && found.indexOf(t) < 0) found.push(t);
    });
    return found.sort(function (a, b) { return a - b; });
  };
  // The first instant after a spring-forward gap that `wall` falls in, with the change.
  Zone.prototype.gap = function (wall) {
    for (var i = 1; i < this.offsets.length; i++) {
      var T = this.offsets[i][0], before = this.offsets[i - 1], after = this.offsets[i];
      if (after[1] > before[1] && wall >= T + before[1] * 60000 && wall < T + after[1] * 60000) {
        return { at: T, before: before, after: after };
      }
    }
    return null;
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

  // ---- Who to call: the words of src/oncall.rs, for any moment the data covers ----
  function Answer(d) { this.d = d; this.zones = {}; }
  Answer.prototype.zone = function (name) {
    if (!this.zones[name]) this.zones[name] = new Zone((this.d.zones || {})[name] || this.d.offsets);
    return this.zones[name];
  };
  Answer.prototype.rota = function (id) {
    return this.d.rotas.filter(function (r) { return r.id === id; })[0] || null;
  };
  Answer.prototype.person = function (id) {
    var p = this.d.people[id];
    return { id: id, name: p ? p[0] : id, handle: p ? p[1] : null, leave: this.leave(id) };
  };
  Answer.prototype.leave = function (id) {
    var t = this.t, found = null;
    ((this.d.leave || {})[id] || []).forEach(function (l) {
      if (l[0] <= t && t < l[1] && (found === null || l[1] > found[1])) found = l;
    });
    return found ? 'on leave to ' + found[2] : null;
  };
  function nameAndHandle(c) { return c.handle ? c.name + ' ' + c.handle : c.name; }
  function afterWords(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    if (!h && !m) return 'at once';
    if (!h) return 'after ' + m + ' min';
    if (!m) return 'after ' + h + ' h';
    return 'after ' + h + ' h ' + m + ' min';
  }
  // The positions of the block in force at t (every position between turns).
  Answer.prototype.positionNames = function (rota, t) {
    var block = (rota.blocks || []).filter(function (b) { return b[0] <= t && t < b[1]; })[0];
    return block ? block[2] : rota.positions.map(function (p) { return p.name; });
  };
  Answer.prototype.holderAt = function (rota, name, t) {
    var pos = rota.positions.filter(function (p) { return p.name === name; })[0];
    var hold = pos ? holdAt(pos.holds, t) : null;
    return hold && hold[2] ? this.person(hold[2]) : null;
  };
  Answer.prototype.edge = function (rota, t) {
    var on = onDuty(rota.duty, t), edge = null;
    rota.duty.forEach(function (w) {
      var e = on ? (w[0] <= t && t < w[1] ? w[1] : null) : (w[0] > t ? w[0] : null);
      if (e !== null && (edge === null || e < edge)) edge = e;
    });
    return edge !== null && edge < this.d.to ? edge : null;
  };
  Answer.prototype.dutySentence = function (rota, t) {
    var on = onDuty(rota.duty, t), edge = this.edge(rota, t);
    if (edge === null) return on ? 'on duty' : 'off duty';
    // Who takes over: the build indexed every rota's duty windows by their ends.
    var others = (on ? ((rota.handoff || {})[edge] || [])
      : ((rota.handback || {})[edge] || []).filter(function (x) { return x[1] <= t; })
        .map(function (x) { return x[0]; })).join(' and ');
    var when = this.zone(rota.timezone).moment(t, edge);
    if (on) return 'on duty until ' + when + (others ? ', then ' + others + ' takes over' : '');
    return 'off duty — from ' + when + (others ? ' (' + others + ' until then)' : '');
  };
  // One step: { text, person, offDuty }.
  Answer.prototype.step = function (rota, step, t) {
    var kind = step[1], target = step[2], self = this, c, words;
    if (kind === 'position') {
      c = this.holderAt(rota, target, t);
      words = (c ? nameAndHandle(c) : 'nobody') + ' (' + target + (c && c.leave ? ', ' + c.leave : '') + ')';
      return { text: afterWords(step[0]) + ': ' + words, person: c };
    }
    if (kind === 'person') {
      c = this.person(target);
      return { text: afterWords(step[0]) + ': ' + nameAndHandle(c) + (c.leave ? ' (' + c.leave + ')' : ''), person: c };
    }
    var other = this.rota(target);
    if (!other) return { text: afterWords(step[0]) + ': rota ' + target, person: null };
    if (!onDuty(other.duty, t)) {
      return { text: afterWords(step[0]) + ': ' + other.name + ' (off duty)', person: null, offDuty: true };
    }
    var first = (other.escalation || [])[0];
    if (first && first[1] === 'rota') {
      var next = self.rota(first[2]);
      return { text: afterWords(step[0]) + ': ' + other.name + ' → ' + (next ? next.name : first[2]), person: null };
    }
    if (first && first[1] === 'person') c = this.person(first[2]);
    else if (first) c = this.holderAt(other, first[2], t);
    else c = other.positions.length ? this.holderAt(other, other.positions[0].name, t) : null;
    words = other.name + ' → ' + (c ? nameAndHandle(c) + (c.leave ? ' (' + c.leave + ')' : '') : 'nobody');
    return { text: afterWords(step[0]) + ': ' + words, person: c };
  };
  Answer.prototype.at = function (t) { this.t = t; return this; };

  function personLink(d, id, cls, text) {
    var p = d.people[id];
    var attrs = { href: (d.root || '') + 'people/' + id + '.html', text: text || (p ? p[0] : id) };
    if (cls) attrs['class'] = cls;
    return el('a', attrs);
  }

  function timeEl(zone, ms) {
    return el('time', { datetime: new Date(ms).toISOString().replace('.000Z', 'Z'), text: zone.format(ms) });
  }

  function holdersList(ans, zone, rota, t) {
    var d = ans.d, list = el('dl', { 'class': 'holders' });
    ans.positionNames(rota, t).forEach(function (name) {
      var p = rota.positions.filter(function (x) { return x.name === name; })[0];
      if (!p) return;
      var hold = holdAt(p.holds, t);
      var dt = el('dt', { text: p.name }, p.shadow ? [' ', el('span', { 'class': 'tag', text: 'shadow' })] : []);
      var until = el('span', { 'class': 'until' });
      if (hold && hold[2] && hold[1] < d.end) {
        until.appendChild(document.createTextNode('until '));
        var end = timeEl(zone, hold[1]);
        end.textContent = zone.moment(t, hold[1]);
        until.appendChild(end);
        // Who takes over then, as `rota now` says it ("then Bob Byrne").
        var next = holdAt(p.holds, hold[1]);
        if (next && next[2]) {
          until.appendChild(document.createTextNode(', then '));
          until.appendChild(personLink(d, next[2], 'next'));
        }
      } else if (hold && hold[2]) {
        until.textContent = 'no end planned';
      }
      var who;
      var parts = [];
      if (hold && hold[2]) {
        var c = ans.person(hold[2]);
        parts.push(personLink(d, hold[2], 'person'));
        if (c.handle) parts.push(' ', el('span', { 'class': 'handle', text: c.handle }));
        if (c.leave) parts.push(' ', el('span', { 'class': 'leave', text: '(' + c.leave + ')' }));
      } else {
        parts.push(el('span', { 'class': 'unfilled', text: 'nobody (unfilled)' }));
      }
      parts.push(' ', until);
      list.appendChild(el('div', { 'class': 'holder' }, [dt, el('dd', { 'data-position': p.name }, parts)]));
    });
    return list;
  }

  function chain(ans, rota, t) {
    var steps = (rota.escalation || []).map(function (s) { return ans.step(rota, s, t); });
    if (!steps.length) return null;
    return el('div', { 'class': 'chain' }, [
      el('p', { 'class': 'chain-title', text: 'If nobody acknowledges:' }),
      el('ol', { 'class': 'chain-steps' }, steps.map(function (s) { return el('li', { text: s.text }); }))
    ]);
  }

  // Fills a card (home or rota page) for moment t: badge, duty edge, holders, chain.
  function fillCard(card, ans, rota, t) {
    var zone = ans.zone(ans.d.timezone);
    var on = onDuty(rota.duty, t);
    var badge = card.querySelector('.duty');
    badge.className = 'duty ' + (on ? 'on' : 'off');
    badge.textContent = on ? 'On duty' : 'Off duty';
    // A sentence that only repeats the badge ("on duty", no edge planned) is not shown.
    var sentence = ans.dutySentence(rota, t), edgeLine = card.querySelector('.duty-edge');
    edgeLine.textContent = sentence;
    edgeLine.hidden = sentence === 'on duty' || sentence === 'off duty';
    var old = card.querySelector('dl.holders');
    old.parentNode.replaceChild(holdersList(ans, zone, rota, t), old);
    var oldChain = card.querySelector('.chain');
    var fresh = chain(ans, rota, t);
    if (oldChain && fresh) oldChain.parentNode.replaceChild(fresh, oldChain);
    else if (oldChain) oldChain.parentNode.removeChild(oldChain);
    else if (fresh) card.appendChild(fresh);
    if (card.classList.contains('rota-card')) card.classList.toggle('off-duty', !on);
  }

  function rotaCard(ans, rota, t) {
    var card = el('article', { 'class': 'card rota-card', 'data-rota': rota.id }, [
      el('h3', {}, [el('a', { href: 'rotas/' + rota.id + '.html', text: rota.name })]),
      el('p', { 'class': 'duty' }),
      el('p', { 'class': 'duty-edge' }),
      el('dl', { 'class': 'holders' })
    ]);
    fillCard(card, ans, rota, t);
    return card;
  }

  function handover(ans, zone, rota, t) {
    var d = ans.d, next = null;
    rota.positions.forEach(function (p) {
      var c = nextChange(p.holds, t);
      if (c !== null && c < rota.active_end && (next === null || c < next)) next = c;
    });
    if (next === null) return null;
    var li = el('li', {}, [timeEl(zone, next), ' · ', el('a', { href: 'rotas/' + rota.id + '.html', text: rota.name }), ': ']);
    var parts = [];
    rota.positions.forEach(function (p) {
      var hold = holdAt(p.holds, next);
      parts.push(p.name + ' ' + (hold && hold[2] ? (d.people[hold[2]] ? d.people[hold[2]][0] : hold[2]) : 'nobody'));
    });
    li.appendChild(document.createTextNode(parts.join(', ')));
    return { at: next, li: li };
  }

  // Turns and shifts marked "now" (rota and person pages): for the moment shown.
  function nowMarkers(t) {
    document.querySelectorAll('[data-start][data-end]').forEach(function (item) {
      var current = Date.parse(item.getAttribute('data-start')) <= t && t < Date.parse(item.getAttribute('data-end'));
      item.classList.toggle('current', current);
      var tag = item.querySelector('.now-tag');
      if (tag) tag.hidden = !current;
    });
  }

  // Runbooks overdue for review on the home page, for the organisation's date.
  function overdueList(d, ms) {
    var list = document.getElementById('overdue');
    if (!list || !d.reviews) return;
    var today = orgToday(ms);
    var due = d.reviews.filter(function (r) { return today > r[2]; });
    var none = document.getElementById('overdue-none');
    list.textContent = '';
    due.forEach(function (r) {
      var parts = Date.parse(r[2] + 'T12:00:00Z');
      list.appendChild(el('li', {}, [
        el('a', { href: 'runbooks/' + r[0] + '.html', text: r[1] }), ' ',
        el('span', { 'class': 'muted', text: '(due ' + dayText(new Date(parts)) + (r[3] ? ', ' + r[3] : '') + ')' })
      ]));
    });
    list.hidden = !due.length;
    if (none) none.hidden = due.length > 0;
  }

  // Whether a wall-clock date and time exists in the calendar (no 13th month, no
  // 30 February, no 25 o'clock); Date.UTC would quietly roll such values over.
  function validWall(y, mo, d, h, mi) {
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return false;
    var probe = new Date(Date.UTC(y, mo - 1, d, h, mi));
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
  }

  // `?at=` as the reader typed it: { t, note, choices } or { error }.
  function askedMoment(zone, asked) {
    var m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(Z|[+-]\d{2}:?\d{2})?$/.exec(asked.trim());
    if (!m || !validWall(+m[1], +m[2], +m[3], +m[4], +m[5])) return { error: true };
    var wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    var hhmm = m[4] + ':' + m[5];
    var all = zone.instants(wall);
    var t;
    if (m[6]) {
      var off = 0;
      if (m[6] !== 'Z') {
        var sign = m[6][0] === '-' ? -1 : 1, digits = m[6].slice(1).replace(':', '');
        off = sign * (+digits.slice(0, 2) * 60 + +digits.slice(2));
      }
      t = wall - off * 60000;
    } else if (all.length) {
      t = all[0];
    } else {
      var gap = zone.gap(wall);
      if (!gap) return { error: true };
      return {
        t: gap.at,
        note: ' ' + hhmm + ' does not exist on ' + dayText(new Date(wall)) + ': the clocks went forward from ' +
          wallClock(gap.at + gap.before[1] * 60000) + ' ' + gap.before[2] + ' to ' +
          zone.clock(gap.at) + ', so this shows ' + zone.clock(gap.at) + '.'
      };
    }
    var out = { t: t };
    if (all.length > 1) {
      var base = asked.trim().slice(0, 16).replace(' ', 'T');
      out.note = ' ' + hhmm + ' happens twice on ' + dayText(new Date(wall)) + ' (the clocks go back); this shows ' +
        zone.clock(t) + '. Choose:';
      out.choices = all.map(function (instant) {
        var o = zone.offsetAt(instant), sign = o < 0 ? '-' : '+', a = Math.abs(o);
        return {
          label: hhmm + ' ' + zone.abbr(instant),
          href: '?at=' + base + encodeURIComponent(sign + pad(Math.floor(a / 60)) + ':' + pad(a % 60)),
          current: instant === t
        };
      });
    }
    return out;
  }

  function wallClock(ms) {
    var d = new Date(ms);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  function showChoices(note, choices) {
    var box = document.getElementById('at-choices');
    if (!box) return;
    box.textContent = '';
    (choices || []).forEach(function (c, i) {
      if (i) box.appendChild(document.createTextNode(' or '));
      var a = el('a', { href: c.href, text: c.label, 'class': 'at-choice' });
      if (c.current) a.setAttribute('aria-current', 'true');
      box.appendChild(a);
    });
    box.hidden = !(choices && choices.length);
  }

  // The home page and a rota's page: who is on call at the moment asked (?at=), or now —
  // recomputed every minute and whenever the page comes back into view.
  function live(d) {
    var ans = new Answer(d);
    var zone = ans.zone(d.timezone);
    var params = new URLSearchParams(window.location.search);
    var asked = params.get('at');
    var note = document.getElementById('at-note') || el('span');
    var input = document.getElementById('at');
    var rotaPage = document.getElementById('now-card');
    var fixed = null, noteText = '', choices = null;
    if (asked) {
      var got = askedMoment(zone, asked);
      if (got.error) {
        noteText = ' Not a valid moment: “' + asked + '” (use YYYY-MM-DD HH:MM); showing now instead.';
      } else {
        fixed = got.t;
        noteText = got.note || '';
        choices = got.choices;
      }
    }
    var heading = document.getElementById(rotaPage ? 'now-heading' : 'at-heading');
    var originalTitle = document.title;

    function render(t) {
      ans.at(t);
      var outside = t < d.from || t >= d.to;
      var label = document.getElementById('at-time');
      if (label) {
        label.textContent = zone.format(t);
        label.setAttribute('datetime', new Date(t).toISOString().replace('.000Z', 'Z'));
      }
      var updated = document.getElementById('at-updated');
      if (updated) updated.textContent = fixed === null ? 'updated ' + zone.clock(Date.now()) : '';
      note.textContent = noteText;
      showChoices(note, choices);
      if (input && document.activeElement !== input) input.value = zone.input(t);
      var title;
      if (outside) {
        title = t >= d.to
          ? 'No rota published for ' + zone.day(t) + ' — published up to ' + zone.format(d.to)
          : 'No rota on this page for ' + zone.day(t) + ' — it holds ' + zone.format(d.from) + ' to ' + zone.format(d.to);
      } else if (rotaPage) {
        title = fixed === null ? 'Now' : 'At ' + zone.format(t);
      } else {
        title = fixed === null ? 'On call now' : 'On call at ' + zone.format(t);
      }
      if (heading) {
        var text = heading.firstChild && heading.firstChild.nodeType === 3 ? heading.firstChild : null;
        if (rotaPage && text) text.textContent = title + ' ';
        else if (!rotaPage) heading.textContent = title;
      }
      if (!rotaPage) document.title = originalTitle.replace(/on call now$/, fixed === null && !outside ? 'on call now' : title);
      // Outside the published data: the heading says so, and no names are shown.
      var answerParts = rotaPage
        ? Array.prototype.slice.call(rotaPage.querySelectorAll('.duty, dl.holders, .chain'))
        : [document.getElementById('now-cards'), document.getElementById('next-section')];
      answerParts.forEach(function (part) { if (part) part.hidden = outside; });
      var edgeLine = rotaPage && rotaPage.querySelector('.duty-edge');
      if (edgeLine && outside) edgeLine.hidden = true;
      nowMarkers(t);
      if (outside) return;
      if (rotaPage) {
        var rota = ans.rota(rotaPage.getAttribute('data-rota'));
        if (!rota) return;
        fillCard(rotaPage, ans, rota, t);
        document.querySelectorAll('.esc-now').forEach(function (span) {
          var step = (rota.escalation || [])[+span.getAttribute('data-step')];
          if (!step || step[1] === 'person') return;
          var s = ans.step(rota, step, t);
          span.textContent = '';
          if (s.person) {
            span.appendChild(document.createTextNode(' (now '));
            span.appendChild(personLink(d, s.person.id));
            span.appendChild(document.createTextNode(')'));
          } else if (s.offDuty) {
            span.appendChild(document.createTextNode(' (off duty)'));
          }
        });
        return;
      }
      var cards = document.getElementById('now-cards');
      cards.textContent = '';
      // The rotas on duty first: the answer above the fold.
      d.rotas
        .map(function (rota, i) { return { rota: rota, i: i, on: onDuty(rota.duty, t) }; })
        .sort(function (a, b) { return (b.on - a.on) || (a.i - b.i); })
        .forEach(function (x) { cards.appendChild(rotaCard(ans, x.rota, t)); });
      var list = document.getElementById('handovers');
      var items = d.rotas
        .map(function (rota) { return handover(ans, zone, rota, t); })
        .filter(function (h) { return h !== null; })
        .sort(function (a, b) { return a.at - b.at; });
      list.textContent = '';
      items.forEach(function (h) { list.appendChild(h.li); });
      if (!items.length) list.appendChild(el('li', { text: 'No handovers planned.' }));
    }

    function tick() {
      var now = Date.now();
      render(fixed === null ? now : fixed);
      overdueList(d, now);
      reviewBanners(now);
    }
    tick();
    if (fixed === null) {
      // On the minute, then every minute; and as soon as the page is looked at again.
      window.setTimeout(function () {
        tick();
        window.setInterval(tick, 60000);
      }, 60000 - (Date.now() % 60000));
      window.addEventListener('focus', tick);
      document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
    }
  }

  // Pages without shift data (person, runbook pages): their "now" markers and review
  // banners follow the clock too.
  function clockOnly() {
    function tick() { var now = Date.now(); nowMarkers(now); reviewBanners(now); }
    tick();
    window.setInterval(tick, 60000);
    window.addEventListener('focus', tick);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) tick(); });
  }

  // The 404 page is served at any missing address. Its links are written relative (right
  // when it is opened as a file, or served at the site's root); served deeper, they are
  // made relative to the site's root: the path this script was loaded from, when the
  // page's address is under it, or else the host's root.
  function notFoundLinks() {
    var links = document.querySelectorAll('a[data-site-path]');
    if (!links.length || window.location.protocol === 'file:') return;
    var script = document.querySelector('script[src$="assets/site.js"]');
    var from = script ? new URL(script.getAttribute('src'), window.location.href).pathname : '/assets/site.js';
    var base = from.slice(0, from.length - 'assets/site.js'.length) || '/';
    var root = window.location.pathname.indexOf(base) === 0 ? base : '/';
    links.forEach(function (a) { a.setAttribute('href', root + a.getAttribute('data-site-path')); });
  }

  // The home page embeds its shift data; a rota's page loads the site's one copy
  // (assets/now-data.js, as `<script id="rota-data" src=… data-root=…>`), its links
  // made relative to the page's folder.
  var data = document.getElementById('rota-data');
  if (data && data.hasAttribute('src') && window.rotaNowData) {
    live(Object.assign({}, window.rotaNowData, { root: data.getAttribute('data-root') || '' }));
  } else if (data && !data.hasAttribute('src')) live(JSON.parse(data.textContent));
  else clockOnly();
  notFoundLinks();
})();
