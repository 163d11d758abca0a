/* pestle search client: a classic script, no modules, no fetch, so it works
   over http and from file://. Index files are scripts that call back into
   window.pestleSearch (see src/search/write.rs for their format). The
   tokeniser must stay identical to src/search/tokens.rs: tests/search/
   checks both against golden.json and the site's whole vocabulary. */
(function (W) {
  'use strict';
  var D = W.document;
  var S = W.pestleSearch = W.pestleSearch || {};
  var me = D.currentScript;
  var BASE = ((me && me.src) || '').replace(/[^/]*$/, '');

  /* ---- Tokeniser (mirror of src/search/tokens.rs) ---- */
  var STOP = new Set(('a about am an and are as at be but by can do does for from how i if in into is it its me my ' +
    'no not of on or our such that the their then there these they this to us was we what when where which who why ' +
    'will with you your').split(' '));
  var SPELL = Object.create(null);
  ('behavior behaviour behaviors behaviours catalog catalogue catalogs catalogues center centre centers centres ' +
    'color colour colors colours defense defence enroll enrol enrollment enrolment fulfill fulfil fulfillment ' +
    'fulfilment license licence licenses licences pediatric paediatric practise practice practised practiced ' +
    'program programme programs programmes').replace(/(\S+) (\S+)/g, function (_, a, b) { SPELL[a] = b; });
  var OVER = Object.assign(Object.create(null), { authorities: 'authority', authority: 'authority', news: 'news' });
  var WORD = /[\p{Alphabetic}\p{N}]+(?:['\u2019][\p{Alphabetic}\p{N}]+)*/gu;
  var UP = /\p{Uppercase}/u, NUM = /\p{N}/u, APOS = /['\u2019]/g;
  var CODE = 0, ACRO = 1, WORDC = 2;
  var gloss = new Set();

  function normalize(s) { return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''); }

  function fold(w) {
    if (SPELL[w]) return SPELL[w];
    var m = /^(.{4,}?)(i|y)z(e|es|ed|ing|er|ers|ation|ations)$/.exec(w);
    return m && Array.from(m[1]).length >= 4 ? m[1] + m[2] + 's' + m[3] : w;
  }

  /* Snowball English (Porter2), as rust-stemmers 1.2.0 implements it. */
  var EX1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
    ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
    atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
  var EX2 = /^(inning|outing|canning|herring|earring|proceed|exceed|succeed)$/;
  var S2 = [['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'],
    ['entli', 'ent'], ['ization', 'ize'], ['izer', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'],
    ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'], ['ousli', 'ous'], ['ousness', 'ous'],
    ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'], ['bli', 'ble'], ['ogi', 'og'], ['fulli', 'ful'],
    ['lessli', 'less'], ['li', '']];
  var S3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'],
    ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', '']];
  var S4 = 'al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion'.split(' ');
  function isV(c) { return 'aeiouy'.indexOf(c) >= 0 && c !== ''; }
  function longest(w, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var s = typeof list[i] === 'string' ? list[i] : list[i][0];
      if (w.endsWith(s) && (!best || s.length > (typeof best === 'string' ? best : best[0]).length)) best = list[i];
    }
    return best;
  }
  function shortv(w) {
    var n = w.length;
    if (n >= 3 && 'aeiouywxY'.indexOf(w[n - 1]) < 0 && isV(w[n - 2]) && !isV(w[n - 3])) return true;
    return n === 2 && !isV(w[1]) && isV(w[0]);
  }
  function stem(w) {
    if (Object.prototype.hasOwnProperty.call(EX1, w)) return EX1[w];
    if (w.length < 3) return w;
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    w = w.replace(/([aeiouy])y/g, '$1Y');
    var p1 = w.length, p2 = w.length, i, m = /^(gener|commun|arsen)/.exec(w);
    for (i = 1; i < w.length; i++) if (isV(w[i - 1]) && !isV(w[i])) { p1 = i + 1; break; }
    if (m) p1 = m[1].length;
    for (i = p1 + 1; i < w.length; i++) if (isV(w[i - 1]) && !isV(w[i])) { p2 = i + 1; break; }
    var s;
    // Step 1a
    if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (/ie[sd]$/.test(w)) w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
    else if (/(us|ss)$/.test(w)) { /* keep */ }
    else if (w.endsWith('s') && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
    if (!EX2.test(w)) {
      // Step 1b
      s = longest(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
      if (s === 'eed' || s === 'eedly') {
        if (w.length - s.length >= p1) w = w.slice(0, -s.length) + 'ee';
      } else if (s && /[aeiouy]/.test(w.slice(0, -s.length))) {
        w = w.slice(0, -s.length);
        if (/(at|bl|iz)$/.test(w)) w += 'e';
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (w.length === p1 && shortv(w)) w += 'e';
      }
      // Step 1c
      if (/[yY]$/.test(w) && w.length > 2 && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';
      // Step 2
      s = longest(w, S2);
      if (s && w.length - s[0].length >= p1) {
        var c = w[w.length - s[0].length - 1];
        if (s[0] === 'ogi' ? c === 'l' : s[0] === 'li' ? 'cdeghkmnrt'.indexOf(c) >= 0 && c : true) {
          w = w.slice(0, -s[0].length) + s[1];
        }
      }
      // Step 3
      s = longest(w, S3);
      if (s && w.length - s[0].length >= (s[0] === 'ative' ? p2 : p1)) w = w.slice(0, -s[0].length) + s[1];
      // Step 4
      s = longest(w, S4);
      if (s && w.length - s.length >= p2 && (s !== 'ion' || /[st]$/.test(w.slice(0, -3)))) w = w.slice(0, -s.length);
      // Step 5
      var n = w.length;
      if (w[n - 1] === 'e' && (n - 1 >= p2 || (n - 1 >= p1 && !shortv(w.slice(0, -1))))) w = w.slice(0, -1);
      else if (w[n - 1] === 'l' && n - 1 >= p2 && w[n - 2] === 'l') w = w.slice(0, -1);
    }
    return w.replace(/Y/g, 'y');
  }
  var stems = new Map();
  function stemWord(w) {
    var f = fold(w), r = stems.get(f);
    if (r === undefined) { r = OVER[f] || stem(f); stems.set(f, r); }
    return r;
  }

  /* One word's [class, term]; term null for a stop word; null if too long. */
  function term(word) {
    var w = word.replace(APOS, ''), chars = Array.from(w);
    if (!w || chars.length > 40) return null;
    var lower = w.toLowerCase();
    if (NUM.test(w)) return [CODE, lower];
    var up = 0;
    chars.forEach(function (c) { if (UP.test(c)) up++; });
    if (up >= 2 && up === chars.length) return [ACRO, lower];
    if (up >= 2 && up + 1 === chars.length && w.endsWith('s')) return [ACRO, lower.slice(0, -1)];
    if (STOP.has(lower)) return [WORDC, null];
    if (gloss.has(lower)) return [ACRO, lower];
    return [WORDC, stemWord(lower)];
  }
  /* Tokens of normalised text: {s, e, w (word), c (class), t (term)}. */
  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var r = term(m[0]);
      if (r) out.push({ s: m.index, e: m.index + m[0].length, w: m[0], c: r[0], t: r[1] });
    }
    return out;
  }
  S.terms = function (text) {
    return tokens(normalize(text)).map(function (t) { return t.t; }).filter(function (t) { return t !== null; });
  };
  S.stem = stemWord;

  /* ---- Loading index files by <script src> ---- */
  var meta = null, shards = {}, pages = {}, vocab = {}, glossText = null, waiting = {};
  function arrive(key, value) {
    var w = waiting[key];
    if (w) w.ok(value);
  }
  function load(path, key) {
    if (!waiting[key]) {
      var w = waiting[key] = {};
      w.p = new Promise(function (ok, fail) {
        w.ok = ok;
        var tries = 0;
        (function attempt() {
          var el = D.createElement('script');
          var timer = setTimeout(retry, 10000);
          function retry() {
            clearTimeout(timer);
            el.onerror = null;
            if (++tries < 2) attempt();
            else { delete waiting[key]; fail(new Error('cannot load ' + path)); }
          }
          el.onerror = retry;
          el.onload = function () { clearTimeout(timer); };
          el.src = BASE + path;
          D.head.appendChild(el);
        })();
      });
    }
    return waiting[key].p;
  }
  S.meta = function (m) {
    meta = m;
    m.glossary.forEach(function (g) { gloss.add(normalize(g[0]).toLowerCase()); });
    m.common = m.common || {};
    arrive('meta', m);
  };
  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  var utf8 = new TextDecoder();
  S.shard = function (name, data) {
    var bytes = b64(data), pos = 0, terms = new Map(), prev = new Uint8Array(0);
    function vi() {
      var v = 0, mul = 1, b;
      do { b = bytes[pos++]; v += (b & 127) * mul; mul *= 128; } while (b & 128);
      return v;
    }
    while (pos < bytes.length) {
      var shared = vi(), len = vi(), key = new Uint8Array(shared + len);
      key.set(prev.subarray(0, shared));
      key.set(bytes.subarray(pos, pos + len), shared);
      pos += len;
      var df = vi(), size = vi();
      terms.set(utf8.decode(key), { df: df, at: pos, end: pos + size, list: null });
      pos += size;
      prev = key;
    }
    shards[name] = { bytes: bytes, terms: terms };
    arrive('t/' + name, shards[name]);
  };
  S.page = function (doc, part, data) {
    pages[doc + '-' + part] = data;
    arrive('p/' + doc + '-' + part, data);
  };
  S.vocab = function (key, words) {
    vocab[key] = words.split(' ');
    arrive('v/' + key, vocab[key]);
  };
  S.gloss = function (list) { glossText = list; arrive('g', list); };

  function postings(shard, entry) {
    if (!entry.list) {
      var b = shard.bytes, pos = entry.at, doc = 0, docs = [], imp = [], parts = [];
      while (pos < entry.end) {
        var v = 0, mul = 1, x;
        do { x = b[pos++]; v += (x & 127) * mul; mul *= 128; } while (x & 128);
        doc += Math.floor(v / 2);
        docs.push(doc);
        imp.push(b[pos++]);
        var part = 0;
        if (v & 1) { mul = 1; do { x = b[pos++]; part += (x & 127) * mul; mul *= 128; } while (x & 128); }
        parts.push(part);
      }
      entry.list = { docs: docs, imp: imp, parts: parts };
    }
    return entry.list;
  }
  function shardIndex(t) {
    var lo = 0, hi = meta.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.shards[mid][0] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function needShards(list) {
    var names = [];
    list.forEach(function (i) {
      var n = meta.shards[i] && meta.shards[i][1];
      if (n && names.indexOf(n) < 0) names.push(n);
    });
    return Promise.all(names.map(function (n) { return load('t/' + n + '.js', 't/' + n); }));
  }
  function lookup(t) {
    if (!meta.shards.length) return null;
    var sh = shards[meta.shards[shardIndex(t)][1]];
    var e = sh && sh.terms.get(t);
    return e ? { sh: sh, e: e } : null;
  }
  /* ---- Queries ---- */
  var secOf = null, regOf = null, forms = [];
  S.ready = function () {
    return load('meta.js', 'meta').then(function (m) {
      if (!secOf) {
        secOf = new Int16Array(m.pages).fill(-1);
        regOf = new Uint32Array(m.pages);
        m.sections.forEach(function (s, k) {
          s[2].forEach(function (r) { for (var d = r[0]; d < r[1]; d++) secOf[d] = k; });
        });
        m.regions.forEach(function (r, bit) {
          var d = 0;
          r[2].forEach(function (g) { d += g; regOf[d] |= 1 << bit; });
        });
        forms = m.glossary.map(function (g) { return g[4].map(function (f) { return f.split(' '); }); });
      }
      return m;
    });
  };
  function keysOf(w) {
    var k = [w.t], l = w.w.replace(APOS, '').toLowerCase();
    if (w.c === WORDC) {
      k.push(l);
      if (l.length > 3 && l.endsWith('s')) k.push(l.slice(0, -1));
    }
    return k;
  }
  /* The words of a query, in order: {w, c, t, lower, phrase}. */
  function words(q) {
    var out = [], phrases = [];
    q.split('"').forEach(function (seg, i) {
      var inside = i % 2 === 1 && seg.trim();
      if (inside) phrases.push(seg);
      tokens(normalize(seg)).forEach(function (t) {
        t.lower = t.w.replace(APOS, '').toLowerCase();
        t.phrase = inside ? phrases.length - 1 : -1;
        out.push(t);
      });
    });
    return { list: out, phrases: phrases };
  }
  /* Groups of alternatives, one per query word or glossary phrase. */
  function groups(ws, typing) {
    var list = ws.filter(function (w) { return w.t !== null; }), out = [];
    for (var i = 0; i < list.length; i++) {
      var best = -1, blen = 0;
      for (var c = 0; c < forms.length; c++) {
        forms[c].forEach(function (f) {
          if (f.length <= blen || i + f.length > list.length) return;
          for (var j = 0; j < f.length; j++) if (keysOf(list[i + j]).indexOf(f[j]) < 0) return;
          best = c; blen = f.length;
        });
      }
      if (best >= 0) {
        out.push({ label: list.slice(i, i + blen).map(function (w) { return w.w; }).join(' '), concept: best,
          alts: [{ t: meta.glossary[best][3], m: 1.2 }] });
        i += blen - 1;
        continue;
      }
      var w = list[i], g = { label: w.w, word: w.lower, cls: w.c, phrase: w.phrase, concept: -1, alts: [] };
      keysOf(w).forEach(function (k, n) {
        if (!g.alts.some(function (a) { return a.t === k; })) g.alts.push({ t: k, m: n === 2 ? 0.9 : 1 });
      });
      g.prefix = typing && i === list.length - 1 && w.c === WORDC && w.lower.length >= 3 && w.phrase < 0;
      out.push(g);
    }
    return out;
  }
  function shardsFor(g) {
    var idx = g.alts.map(function (a) { return shardIndex(a.t); });
    if (g.prefix) {
      var lo = shardIndex(g.word.slice(0, Math.max(3, g.word.length - 3))), hi = shardIndex(g.word + '\uffff');
      for (var i = lo; i <= hi && i < lo + 4; i++) idx.push(i);
    }
    return idx;
  }
  function addHits(g, t, m) {
    var e = lookup(t);
    if (!e) return false;
    var l = postings(e.sh, e.e);
    for (var k = 0; k < l.docs.length; k++) {
      var s = l.imp[k] * m, h = g.hits.get(l.docs[k]);
      if (!h || h.s < s) g.hits.set(l.docs[k], { s: s, p: l.parts[k] });
    }
    g.terms.push(t);
    return true;
  }
  function resolve(g) {
    g.hits = new Map();
    g.terms = [];
    g.alts.forEach(function (a) { addHits(g, a.t, a.m); });
    if (g.prefix) {
      var w = g.word, cands = [], min = Math.max(3, w.length - 3), seen = {};
      shardsFor(g).forEach(function (i) {
        var sh = shards[meta.shards[i][1]];
        if (sh && !seen[i]) {
          seen[i] = 1;
          sh.terms.forEach(function (e, t) {
            if (g.terms.indexOf(t) >= 0) return;
            if (t.startsWith(w)) cands.push([t, e.df, Math.max(0.4, 0.7 - 0.03 * (t.length - w.length))]);
            else if (t.length >= min && w.startsWith(t)) cands.push([t, e.df, 0.8]);
          });
        }
      });
      cands.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
      cands.slice(0, 30).forEach(function (c) { addHits(g, c[0], c[2]); });
    }
    return g.hits.size > 0;
  }
  /* Optimal string alignment distance, giving up beyond max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var cur = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + c);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }
  function correct(g) {
    var key = g.word[0], file = meta.vocab[/[a-z0-9]/.test(key) ? key : '_'];
    if (!file) return Promise.resolve(null);
    return load('v/' + file + '.js', 'v/' + (/[a-z0-9]/.test(key) ? key : '_')).then(function (list) {
      var max = g.word.length >= 8 ? 2 : 1, best = null, bd = max + 1;
      for (var i = 0; i < list.length && bd > 1; i++) {
        var d = distance(g.word, list[i], max);
        if (d < bd) { bd = d; best = list[i]; }
      }
      return best;
    }).catch(function () { return null; });
  }
  function loadFor(gs) {
    var idx = [];
    gs.forEach(function (g) { idx = idx.concat(shardsFor(g)); });
    return needShards(idx);
  }

  /* Runs a query: {q, section: [slugs], region: [slugs], exact (no typo fixes)}. */
  S.search = function (opts) {
    var q = opts.q || '';
    return S.ready().then(function () {
      var ws = words(q), gs = groups(ws.list, !/[\s"]$/.test(q));
      var res = { q: q, groups: gs, results: [], total: 0, mode: 'and', corrections: [], skipped: [],
        phrases: ws.phrases, concept: -1, counts: { section: {}, region: {} } };
      if (!gs.length) { res.mode = ws.list.length ? 'stop' : 'empty'; return res; }
      if (gs.length === 1 && gs[0].concept >= 0) res.concept = gs[0].concept;
      var rare = gs.filter(function (g) {
        return g.prefix || g.alts.some(function (a) { return !meta.common[a.t]; });
      });
      var active = rare.length ? rare : gs;
      res.skipped = gs.filter(function (g) { return active.indexOf(g) < 0; });
      return loadFor(active).then(function () {
        active.forEach(resolve);
        // Two words that are one in the index: "smart card" is "smartcard".
        var pairs = [];
        for (var i = 0; i + 1 < active.length; i++) {
          var a = active[i], b = active[i + 1];
          if (a.concept < 0 && b.concept < 0 && a.cls === WORDC && b.cls === WORDC && a.phrase < 0 && b.phrase < 0) {
            pairs.push([i, { word: a.word + b.word, alts: [{ t: stemWord(a.word + b.word), m: 1 }], concept: -1 }]);
          }
        }
        return loadFor(pairs.map(function (p) { return p[1]; })).then(function () {
          for (var k = pairs.length - 1; k >= 0; k--) {
            var i = pairs[k][0], j = pairs[k][1], a = active[i], b = active[i + 1];
            if (!b || !resolve(j)) continue;
            a.hits.forEach(function (h, d) {
              var o = b.hits.get(d), cur = j.hits.get(d);
              if (o && (!cur || cur.s < h.s + o.s)) j.hits.set(d, { s: h.s + o.s, p: h.p });
            });
            j.label = a.label + ' ' + b.label;
            j.terms = j.terms.concat(a.terms, b.terms);
            active.splice(i, 2, j);
          }
          var fixes = active.filter(function (g) {
            return !g.hits.size && !opts.exact && g.concept < 0 && g.word.length >= 4 && g.phrase < 0;
          });
          return Promise.all(fixes.map(correct));
        }).then(function (found) {
          var todo = [];
          active.filter(function (g) {
            return !g.hits.size && !opts.exact && g.concept < 0 && g.word.length >= 4 && g.phrase < 0;
          }).forEach(function (g, i) {
            if (!found[i]) return;
            res.corrections.push({ from: g.label, to: found[i] });
            g.label = g.word = found[i];
            g.alts = [{ t: term(found[i])[1] || found[i], m: 0.9 }, { t: found[i], m: 0.9 }];
            g.prefix = false;
            todo.push(g);
          });
          return loadFor(todo).then(function () {
            todo.forEach(resolve);
            return rank(active, res, opts);
          });
        });
      });
    });
  };

  function rank(active, res, opts) {
    res.groups = active.concat(res.skipped);
    var live = active.filter(function (g) { return g.hits && g.hits.size; });
    var docs = new Map();
    live.forEach(function (g) {
      g.hits.forEach(function (h, d) {
        var r = docs.get(d);
        if (!r) docs.set(d, r = { doc: d, score: 0, n: 0, part: h.p, best: 0 });
        r.score += h.s; r.n++;
        if (h.s > r.best) { r.best = h.s; r.part = h.p; }
      });
    });
    var all = Array.from(docs.values());
    var and = all.filter(function (r) { return r.n === active.length; });
    if (!and.length && all.length) {
      res.mode = 'or';
      and = all;
    }
    and.sort(function (a, b) { return b.n - a.n || b.score - a.score || a.doc - b.doc; });
    var check = res.phrases.length ? phraseFilter(and.slice(0, 40), res.phrases) : Promise.resolve(and);
    return check.then(function (list) {
      var secs = opts.section || [], regs = opts.region || [];
      var inSec = function (r) { return !secs.length || secs.indexOf((meta.sections[secOf[r.doc]] || [])[0]) >= 0; };
      var regMask = 0;
      meta.regions.forEach(function (r, bit) { if (regs.indexOf(r[0]) >= 0) regMask |= 1 << bit; });
      var inReg = function (r) { return !regs.length || (regOf[r.doc] & regMask) !== 0; };
      list.forEach(function (r) {
        var s = meta.sections[secOf[r.doc]];
        if (s && inReg(r)) res.counts.section[s[0]] = (res.counts.section[s[0]] || 0) + 1;
        if (inSec(r)) meta.regions.forEach(function (g, bit) {
          if (regOf[r.doc] & (1 << bit)) res.counts.region[g[0]] = (res.counts.region[g[0]] || 0) + 1;
        });
      });
      res.results = list.filter(function (r) { return inSec(r) && inReg(r); });
      res.total = res.results.length;
      if (!res.total && res.mode === 'and' && !list.length) res.mode = 'none';
      return res;
    });
  }

  function fragment(r) {
    var key = r.doc + '-' + r.part;
    return load('p/' + r.doc + (r.part ? '-' + r.part : '') + '.js', 'p/' + key);
  }
  function keyOf(word) {
    var t = term(normalize(word));
    return t ? (t[1] === null ? '#' + word.toLowerCase() : t[1]) : null;
  }
  function seq(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push({ s: m.index, e: m.index + m[0].length, k: keyOf(m[0]), w: m[0] });
    return out;
  }
  function hasSeq(hay, needle) {
    outer: for (var i = 0; i + needle.length <= hay.length; i++) {
      for (var j = 0; j < needle.length; j++) if (hay[i + j].k !== needle[j]) continue outer;
      return true;
    }
    return false;
  }
  function phraseFilter(list, phrases) {
    var needles = phrases.map(function (p) { return seq(p).map(function (t) { return t.k; }); });
    return Promise.all(list.map(function (r) { return fragment(r).catch(function () { return null; }); }))
      .then(function (frags) {
        return list.filter(function (r, i) {
          var f = frags[i];
          if (!f) return false;
          var hay = [f.t].concat(f.s.map(function (s) { return s[1] + '\n' + s[2]; })).map(seq);
          return needles.every(function (n) { return hay.some(function (h) { return hasSeq(h, n); }); });
        });
      });
  }

  /* Title, link and snippet of a result: {url, hash, title, desc, heading, snippet: [[text, marked]]}. */
  S.describe = function (r, res) {
    return fragment(r).then(function (f) {
      var mark = new Set(), group = new Map();
      res.groups.forEach(function (g, gi) {
        var ts = (g.terms || []).slice();
        if (g.concept >= 0) forms[g.concept].forEach(function (fm) { ts = ts.concat(fm); });
        ts.forEach(function (t) { mark.add(t); if (!group.has(t)) group.set(t, gi); });
      });
      var best = null;
      f.s.forEach(function (s, si) {
        var toks = seq(s[2]), head = seq(s[1]).some(function (t) { return mark.has(t.k); }) ? 5 : 0;
        for (var i = 0; i < toks.length; i++) {
          if (!mark.has(toks[i].k)) continue;
          var seen = new Set(), hits = 0;
          for (var j = i; j < toks.length && j < i + 24; j++) {
            if (mark.has(toks[j].k)) { seen.add(group.get(toks[j].k)); hits++; }
          }
          var score = seen.size * 100 + head * 10 + Math.min(hits, 3) - si / 100;
          if (!best || score > best.score) best = { score: score, si: si, toks: toks, i: i };
        }
        if (!best && head) best = { score: head, si: si, toks: toks, i: 0 };
      });
      var out = { url: f.u, hash: '', title: f.t, desc: f.d || '', heading: null, snippet: [] };
      var sec = best ? f.s[best.si] : f.s[0];
      if (best && sec[0]) { out.hash = sec[0]; out.heading = sec[1]; }
      if (!sec) return out;
      var toks = best ? best.toks : seq(sec[2]), text = sec[2];
      if (!toks.length) { if (out.desc) out.snippet = [[out.desc, false]]; return out; }
      var from = best ? Math.max(0, best.i - 6) : 0, to = Math.min(toks.length, from + 30);
      // Start at the sentence or line the window is in, when it is close.
      var start = toks[from].s, lb = Math.max(text.lastIndexOf('\n', start), text.lastIndexOf('. ', start));
      if (lb >= 0 && start - lb < 60) start = lb + (text[lb] === '\n' ? 1 : 2);
      else if (from === 0) start = 0;
      var end = toks[to - 1].e, pos = start;
      if (start > 0) out.snippet.push(['… ', false]);
      for (var i = 0; i < toks.length && toks[i].s < end; i++) {
        var t = toks[i];
        if (t.s < start || !mark.has(t.k)) continue;
        if (t.s > pos) out.snippet.push([text.slice(pos, t.s), false]);
        out.snippet.push([t.w, true]);
        pos = t.e;
      }
      if (end > pos) out.snippet.push([text.slice(pos, end), false]);
      if (end < text.length) out.snippet.push([' …', false]);
      return out;
    });
  };
  S.glossary = function (c) {
    return load(meta.glossaryFile + '.js', 'g').then(function (d) {
      var g = meta.glossary[c];
      return { term: g[0], expansion: g[1], id: g[2], description: d[c] || '', url: meta.glossaryUrl };
    });
  };
  S.internals = { normalize: normalize, tokens: tokens, stem: stem, fold: fold, term: term, distance: distance };

  /* ---- The results page ---- */
  function el(tag, cls, text) {
    var e = D.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function ui() {
    var box = D.getElementById('search-results'), form = D.querySelector('form.search-page');
    if (!box || !form || !W.history) return;
    var input = form.querySelector('[name=q]'), fallback = D.getElementById('search-fallback');
    var root = box.getAttribute('data-root') || '', index = box.hasAttribute('data-file-urls') ? 'index.html' : '';
    var status = el('p', 'search-status'), note = el('div', 'search-note'), card = el('div', 'search-card');
    var facets = el('div', 'search-facets'), head = el('h2', 'visually-hidden', 'Results');
    var list = el('ol', 'search-list'), more = el('button', 'search-more', 'Show more results');
    status.setAttribute('role', 'status');
    more.type = 'button';
    [status, note, card, facets, head, list, more].forEach(function (e) { box.appendChild(e); });
    var seq = 0, timer = 0, statusTimer = 0, last = null, shown = 0, boxes = {};
    var href = function (u, hash) { return root + u + index + (hash ? '#' + hash : ''); };
    var state = function () {
      var p = new URLSearchParams(W.location.search);
      return { q: p.get('q') || '', section: p.getAll('section'), region: p.getAll('region'), exact: p.has('exact') };
    };
    function url(s) {
      var p = new URLSearchParams();
      if (s.q) p.set('q', s.q);
      s.section.forEach(function (v) { p.append('section', v); });
      s.region.forEach(function (v) { p.append('region', v); });
      if (s.exact) p.set('exact', '1');
      var q = p.toString();
      return q ? '?' + q : W.location.pathname.replace(/.*\//, '') || './';
    }
    function current() {
      var s = { q: input.value, section: [], region: [], exact: cur.exact && input.value === cur.q };
      Object.keys(boxes).forEach(function (k) { if (boxes[k].checked) s[k.split(':')[0]].push(k.split(':')[1]); });
      return s;
    }
    var cur = state();
    function hide(e, yes) { e.hidden = yes; }
    function facetSet(name, title, values, counts, chosen) {
      var fs = facets.querySelector('[data-facet=' + name + ']');
      if (!fs) {
        fs = el('fieldset', 'search-facet');
        fs.setAttribute('data-facet', name);
        fs.appendChild(el('legend', null, title));
        values.forEach(function (v) {
          var id = 'f-' + name + '-' + v[0], lab = el('label'), cb = el('input');
          cb.type = 'checkbox'; cb.id = id; cb.value = v[0]; cb.name = name;
          lab.htmlFor = id;
          lab.appendChild(el('span', null, v[1]));
          lab.appendChild(el('span', 'count'));
          var row = el('div', 'search-option');
          row.appendChild(cb); row.appendChild(lab);
          fs.appendChild(row);
          boxes[name + ':' + v[0]] = cb;
          cb.addEventListener('change', function () { go(current(), true); });
        });
        facets.appendChild(fs);
      }
      values.forEach(function (v) {
        var cb = boxes[name + ':' + v[0]];
        cb.checked = chosen.indexOf(v[0]) >= 0;
        cb.parentNode.querySelector('.count').textContent = ' (' + (counts[v[0]] || 0) + ')';
      });
    }
    function item(d, r) {
      var li = el('li', 'search-result'), h = el('h3'), a = el('a', null, d.title);
      a.href = href(d.url);
      h.appendChild(a);
      li.appendChild(h);
      var where = [], s = meta.sections[secOf[r.doc]];
      if (s) where.push(s[1]);
      meta.regions.forEach(function (g, bit) { if (regOf[r.doc] & (1 << bit)) where.push(g[1]); });
      if (where.length) li.appendChild(el('p', 'search-meta', where.join(' · ')));
      var p = el('p', 'search-snippet');
      d.snippet.forEach(function (x) { p.appendChild(x[1] ? el('mark', null, x[0]) : D.createTextNode(x[0])); });
      if (d.snippet.length) li.appendChild(p);
      if (d.heading) {
        var inp = el('p', 'search-in', 'Section: '), ha = el('a', null, d.heading);
        ha.href = href(d.url, d.hash);
        inp.appendChild(ha);
        li.appendChild(inp);
      }
      return li;
    }
    function page(res, n, focus) {
      var slice = res.results.slice(shown, shown + n), id = seq;
      return Promise.all(slice.map(function (r) { return S.describe(r, res).catch(function () { return null; }); }))
        .then(function (ds) {
          if (id !== seq) return;
          var first = null;
          ds.forEach(function (d, i) {
            if (!d) return;
            var li = item(d, slice[i]);
            list.appendChild(li);
            first = first || li;
          });
          shown += slice.length;
          hide(more, shown >= res.results.length);
          if (focus && first) first.querySelector('a').focus();
        });
    }
    function say(text, now) {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { status.textContent = text; }, now ? 0 : 400);
    }
    function render(res, s, now) {
      last = res;
      list.textContent = '';
      note.textContent = '';
      card.textContent = '';
      shown = 0;
      var q = '\u201c' + s.q.trim() + '\u201d', filtered = s.section.length + s.region.length > 0;
      hide(fallback, !!s.q.trim() && res.total > 0);
      hide(head, !res.total);
      hide(more, true);
      hide(facets, !s.q.trim() || (!res.total && !filtered));
      if (res.mode === 'empty') { say('', true); hide(facets, true); return; }
      if (res.mode === 'stop') {
        say('Your search has only very common words. Try a more specific word, such as nomination or Smartcard.', now);
        return;
      }
      var places = [];
      s.section.concat(s.region).forEach(function (v) {
        meta.sections.concat(meta.regions).forEach(function (f) { if (f[0] === v && places.indexOf(f[1]) < 0) places.push(f[1]); });
      });
      var scope = filtered ? ' in ' + places.join(', ') : '';
      say(res.total ? res.total + (res.total === 1 ? ' result for ' : ' results for ') + q + scope :
        'No results for ' + q + scope + '. Check the spelling, try fewer or other words' + (filtered ? ', or clear the filters.' : '.'), now);
      if (res.corrections.length) {
        var p = el('p', null, 'Showing results for '), a = el('a', null, 'Search instead for ' + s.q);
        p.appendChild(el('strong', null, res.corrections.map(function (c) { return c.to; }).join(', ')));
        p.appendChild(D.createTextNode('. '));
        a.href = url({ q: s.q, section: s.section, region: s.region, exact: true });
        a.addEventListener('click', function (e) { e.preventDefault(); go({ q: s.q, section: s.section, region: s.region, exact: true }, true); });
        p.appendChild(a);
        note.appendChild(p);
      }
      if (res.mode === 'or' && res.total) {
        note.appendChild(el('p', null, 'No page has all of your words, so these pages have some of them.'));
      }
      if (res.concept >= 0) {
        S.glossary(res.concept).then(function (g) {
          if (last !== res) return;
          var h = el('h2', null, g.term + ': ' + g.expansion);
          card.appendChild(h);
          if (g.description) card.appendChild(el('p', null, g.description));
          if (g.url !== null && g.url !== undefined) {
            var a = el('a', null, 'See ' + g.term + ' in the glossary');
            a.href = href(g.url, g.id);
            card.appendChild(el('p')).appendChild(a);
          }
        });
      }
      facetSet('section', 'Section', meta.sections.filter(function (v) { return v[2].length; }), res.counts.section, s.section);
      facetSet('region', 'Region', meta.regions, res.counts.region, s.region);
      return page(res, 10);
    }
    function go(s, push, now) {
      clearTimeout(timer);
      var id = ++seq;
      cur = s;
      var u = url(s);
      if (push) W.history.pushState(null, '', u); else W.history.replaceState(null, '', u);
      if (s.q.trim()) say('Searching\u2026', true);
      return S.search(s).then(function (res) {
        if (id === seq) return render(res, s, now || push);
      }, function () {
        if (id === seq) say('Search could not load its index. Browse the sections below instead.', true);
        hide(fallback, false);
      });
    }
    S.go = go;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(current(), false); }, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && input.value) { e.preventDefault(); input.value = ''; go(current(), false, true); }
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); go(current(), false, true); });
    more.addEventListener('click', function () { if (last) page(last, 10, true); });
    W.addEventListener('popstate', function () {
      var s = state();
      input.value = s.q;
      Object.keys(boxes).forEach(function (k) { boxes[k].checked = s[k.split(':')[0]].indexOf(k.split(':')[1]) >= 0; });
      go(s, false, true);
    });
    input.value = cur.q;
    box.className += ' is-live';
    hide(more, true);
    hide(head, true);
    S.ready().then(function () { return go(cur, false, true); }, function () {
      say('Search could not load its index. Browse the sections below instead.', true);
    });
  }
  if (D.readyState === 'loading') D.addEventListener('DOMContentLoaded', ui); else ui();
})(window);
