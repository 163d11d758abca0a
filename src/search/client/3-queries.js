  /* ---- Queries ---- */
  var secOf = null, regOf = null, forms = [];
  S.ready = () => {
    return load('meta.js', 'meta').then((m) => {
      if (!secOf) {
        secOf = new Int16Array(m.pages).fill(-1);
        regOf = new Uint32Array(m.pages);
        m.sections.forEach((s, k) => {
          s[2].forEach((r) => { for (var d = r[0]; d < r[1]; d++) secOf[d] = k; });
        });
        m.regions.forEach((r, bit) => {
          var d = 0;
          r[2].forEach((g) => { d += g; regOf[d] |= 1 << bit; });
        });
        forms = m.glossary.map((g) => { return g[4].map((f) => f.split(' ')); });
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
    q.split('"').forEach((seg, i) => {
      var inside = i % 2 === 1 && seg.trim();
      if (inside) phrases.push(seg);
      tokens(normalize(seg)).forEach((t) => {
        t.lower = t.w.replace(APOS, '').toLowerCase();
        t.phrase = inside ? phrases.length - 1 : -1;
        out.push(t);
      });
    });
    return { list: out, phrases: phrases };
  }
  /* Groups of alternatives, one per query word or glossary phrase. */
  function groups(ws, typing) {
    var list = ws.filter((w) => w.t !== null), out = [];
    for (var i = 0; i < list.length; i++) {
      var best = -1, blen = 0;
      for (var c = 0; c < forms.length; c++) {
        forms[c].forEach((f) => {
          if (f.length <= blen || i + f.length > list.length) return;
          for (var j = 0; j < f.length; j++) if (keysOf(list[i + j]).indexOf(f[j]) < 0) return;
          best = c; blen = f.length;
        });
      }
      if (best >= 0) {
        out.push({ label: list.slice(i, i + blen).map((w) => w.w).join(' '), concept: best,
          alts: [{ t: meta.glossary[best][3], m: 1.2 }] });
        i += blen - 1;
        continue;
      }
      var w = list[i], g = { label: w.w, word: w.lower, cls: w.c, phrase: w.phrase, concept: -1, alts: [] };
      keysOf(w).forEach((k, n) => {
        if (!g.alts.some((a) => a.t === k)) g.alts.push({ t: k, m: n === 2 ? 0.9 : 1 });
      });
      // A word in capitals (SMARTCARDS) may be a word, not an acronym.
      if (w.c === ACRO && w.lower.length >= 4 && !gloss.has(w.lower)) g.alts.push({ t: stemWord(w.lower), m: 0.9 });
      g.prefix = typing && i === list.length - 1 && w.c === WORDC && w.lower.length >= 3 && w.phrase < 0;
      out.push(g);
    }
    return out;
  }
  function shardsFor(g) {
    var idx = g.alts.map((a) => shardIndex(a.t));
    if (g.prefix) {
      var lo = shardIndex(g.word), hi = shardIndex(g.word + '\uffff');
      idx.push(shardIndex(g.word.slice(0, Math.max(3, g.word.length - 3))));
      for (var i = lo; i <= hi && i < lo + 3; i++) idx.push(i);
    }
    return idx;
  }
  function addHits(g, t, m) {
    var e = lookup(t);
    if (!e) return false;
    var l = postings(e.sh, e.e), h = g.hits;
    for (var k = 0; k < l.docs.length; k++) {
      var d = l.docs[k], v = l.imp[k] * m;
      if (!h.sc[d]) h.docs.push(d);
      if (h.sc[d] < v) { h.sc[d] = v; h.pt[d] = l.parts[k]; }
    }
    g.terms.push(t);
    return true;
  }
  // The pages a group matches: best score and part per page, and the list of pages.
  function hitSet() { return { sc: new Float32Array(meta.pages), pt: new Uint16Array(meta.pages), docs: [] }; }
  function hit(h, d, v, p) {
    if (!h.sc[d]) h.docs.push(d);
    if (h.sc[d] < v) { h.sc[d] = v; h.pt[d] = p; }
  }
  function resolve(g) {
    g.hits = hitSet();
    g.terms = [];
    g.alts.forEach((a) => { addHits(g, a.t, a.m); });
    if (g.prefix) {
      var w = g.word, cands = [], min = Math.max(3, w.length - 3), seen = {};
      shardsFor(g).forEach((i) => {
        var sh = shards[meta.shards[i][1]];
        if (sh && !seen[i]) {
          seen[i] = 1;
          sh.terms.forEach((e, t) => {
            if (g.terms.indexOf(t) >= 0) return;
            if (t.startsWith(w)) cands.push([t, e.df, Math.max(0.4, 0.7 - 0.03 * (t.length - w.length))]);
            else if (t.length >= min && w.startsWith(t)) cands.push([t, e.df, 0.8]);
          });
        }
      });
      cands.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      // A word that is already a term needs few completions; a fragment needs more.
      cands.slice(0, g.hits.docs.length ? 3 : 30).forEach((c) => { addHits(g, c[0], c[2]); });
    }
    return g.hits.docs.length > 0;
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
  /* The closest word of the site's vocabulary to a word it does not have (Damerau: a swap of two
     neighbouring letters is one edit); null for a word it has. */
  function correct(g) {
    var key = /[a-z0-9]/.test(g.word[0]) ? g.word[0] : '_', file = meta.vocab[key];
    if (!file) return Promise.resolve(null);
    return load('v/' + file + '.js', 'v/' + key).then((list) => {
      var max = g.word.length >= 8 ? 2 : 1, best = null, bd = max + 1;
      for (var i = 0; i < list.length && bd > 0; i++) {
        var d = distance(g.word, list[i], max);
        if (d < bd) { bd = d; best = list[i]; }
      }
      return bd > 0 ? best : null;
    }).catch(() => null);
  }
  function loadFor(gs) {
    var idx = [];
    gs.forEach((g) => { idx = idx.concat(shardsFor(g)); });
    return needShards(idx);
  }

  var BIG = 1500;
  function idf(df) { return Math.log(1 + (meta.pages - df + 0.5) / (df + 0.5)); }
  // A word worth correcting: long enough, not in a phrase or a glossary term; a short word
  // (4 letters) only when nothing else in the query matches, as "ring" is a word the site lacks.
  function fixable(g, opts, others) {
    return !g.hits.docs.length && !opts.exact && g.concept < 0 && g.phrase < 0 && g.word.length >= (others ? 5 : 4);
  }
  /* The query as shown after corrections: every word, with the corrected ones replaced. */
  function shown(q, fixes) {
    fixes.forEach((c) => {
      var done = false;
      q = q.replace(WORD, (w) => { if (done || normalize(w) !== c.from) return w; done = true; return c.to; });
    });
    return q.trim();
  }

  /* Runs a query: {q, section: [slugs], region: [slugs], exact (no typo fixes)}. */
  S.search = (opts) => {
    var q = opts.q || '';
    return S.ready().then(() => {
      var ws = words(q), gs = groups(ws.list, !/[\s"]$/.test(q));
      var res = { q: q, groups: gs, words: ws.list, results: [], total: 0, mode: 'and', corrections: [], corrected: q,
        skipped: [], phrases: ws.phrases, concept: -1, counts: { section: {}, region: {} } };
      if (!gs.length) { res.mode = ws.list.length ? 'stop' : 'empty'; return res; }
      if (gs.length === 1 && gs[0].concept >= 0) res.concept = gs[0].concept;
      // Words on most pages of a big site load no postings (their lists are long) when rarer
      // words are there: the fragments of the best pages count them instead (rerank).
      var rare = gs.filter((g) => {
        return g.prefix || g.alts.some((a) => !(meta.common[a.t] > BIG));
      });
      var active = rare.length ? rare : gs;
      res.skipped = gs.filter((g) => active.indexOf(g) < 0);
      return loadFor(active).then(() => {
        active.forEach(resolve);
        // Two words that are one in the index: "smart card" is "smartcard".
        var pairs = [];
        for (var i = 0; i + 1 < active.length; i++) {
          var a = active[i], b = active[i + 1];
          if (a.concept < 0 && b.concept < 0 && a.cls === WORDC && b.cls === WORDC && a.phrase < 0 && b.phrase < 0) {
            pairs.push([i, { word: a.word + b.word, alts: [{ t: stemWord(a.word + b.word), m: 1 }], concept: -1 }]);
          }
        }
        return loadFor(pairs.map((p) => p[1])).then(() => {
          for (var k = pairs.length - 1; k >= 0; k--) {
            var i = pairs[k][0], j = pairs[k][1], a = active[i], b = active[i + 1];
            if (!b || !resolve(j)) continue;
            a.hits.docs.forEach((d) => {
              if (b.hits.sc[d]) hit(j.hits, d, a.hits.sc[d] + b.hits.sc[d], a.hits.pt[d]);
            });
            j.label = a.label + ' ' + b.label;
            j.terms = j.terms.concat(a.terms, b.terms);
            j.phrase = -1;
            active.splice(i, 2, j);
          }
          var others = active.some((g) => g.hits.docs.length) || res.skipped.length > 0;
          res.fixes = active.filter((g) => fixable(g, opts, others));
          return Promise.all(res.fixes.map(correct));
        }).then((found) => {
          var todo = [];
          res.fixes.forEach((g, i) => {
            if (!found[i]) return;
            res.corrections.push({ from: g.label, to: found[i] });
            g.label = g.word = found[i];
            g.alts = [{ t: term(found[i])[1] || found[i], m: 0.9 }, { t: found[i], m: 0.9 }];
            g.prefix = false;
            todo.push(g);
          });
          res.corrected = shown(q, res.corrections);
          return loadFor(todo).then(() => {
            todo.forEach(resolve);
            return rank(active, res, opts);
          });
        });
      });
    });
  };

  /* First pass, over the postings: each page's impacts summed, times the square of the share
     of the query's weight (idf) that it covers, so a page with more of the words comes first
     unless another has the rarer ones far more strongly. */
  function rank(active, res, opts) {
    res.groups = active.concat(res.skipped);
    var live = active.filter((g) => g.hits && g.hits.docs.length), N = meta.pages;
    var score = new Float64Array(N), n = new Uint8Array(N), cov = new Float64Array(N), best = new Float32Array(N);
    var part = new Uint16Array(N), seen = [], all = 0;
    live.forEach((g) => {
      var h = g.hits, docs = h.docs, w = g.idf = idf(docs.length);
      all += w;
      for (var i = 0; i < docs.length; i++) {
        var d = docs[i], v = h.sc[d];
        if (!n[d]) seen.push(d);
        score[d] += v; n[d]++; cov[d] += w;
        if (v > best[d]) { best[d] = v; part[d] = h.pt[d]; }
      }
    });
    res.skipped.forEach((g) => {
      g.idf = idf(Math.max.apply(null, g.alts.map((a) => meta.common[a.t] || 0)) || N);
    });
    if (!seen.some((d) => n[d] === active.length)) res.mode = 'or';
    var base = score.slice(), keys = scoreKeys(seen, score, cov, all);
    var make = (d) => ({ doc: d, part: part[d], score: score[d], base: base[d] });
    var check = !res.phrases.length ? Promise.resolve(keys) :
      phraseFilter(Array.from(docs(topFirst(keys.slice(), 20), 20), make), res.phrases)
        .then((l) => scoreKeys(l.map((r) => r.doc), score, null, 1));
    return check.then((keys) => {
      // Filters and their counts over page numbers; result objects only for the first page.
      var secs = opts.section || [], regs = opts.region || [], chosen = new Uint8Array(meta.sections.length + 1);
      meta.sections.forEach((f, k) => { if (secs.indexOf(f[0]) >= 0) chosen[k] = 1; });
      var regMask = 0;
      meta.regions.forEach((r, bit) => { if (regs.indexOf(r[0]) >= 0) regMask |= 1 << bit; });
      var secN = new Int32Array(meta.sections.length), regN = new Int32Array(meta.regions.length);
      var keep = new Float64Array(keys.length), k = 0;
      for (var i = 0; i < keys.length; i++) {
        var d = KEY - 1 - keys[i] % KEY, sc = secOf[d], rg = regOf[d], inSec = !secs.length || (sc >= 0 && chosen[sc]);
        var inReg = !regs.length || (rg & regMask) !== 0;
        if (sc >= 0 && inReg) secN[sc]++;
        if (inSec) for (var bit = 0; rg >> bit; bit++) if (rg & (1 << bit)) regN[bit]++;
        if (inSec && inReg) keep[k++] = keys[i];
      }
      secN.forEach((n, j) => { if (n) res.counts.section[meta.sections[j][0]] = n; });
      regN.forEach((n, j) => { if (n) res.counts.region[meta.regions[j][0]] = n; });
      res.total = k;
      keep = topFirst(keep.subarray(0, k), PAGE);
      res.results = Array.from(docs(keep, PAGE), make);
      res.rest = keep.subarray(res.results.length);
      res.make = make;
      if (!res.total && res.mode === 'and' && !keys.length) res.mode = 'none';
      return rerank(res, regMask);
    });
  }
  // Result objects are made a page at a time: the first PAGE, then S.more (which sorts the
  // rest the first time it is asked).
  var PAGE = 50, KEY = 2097152;
  S.more = (res, n) => {
    if (!res.rest.sorted) { res.rest.sort().reverse(); res.rest.sorted = true; }
    var next = docs(res.rest, n);
    res.rest = res.rest.subarray(next.length);
    res.rest.sorted = true;
    res.results = res.results.concat(Array.from(next, res.make));
    return res.results;
  };
  // One number per page, score then page number, so that a typed array orders pages
  // (much faster than sorting objects); each score times its coverage squared.
  function scoreKeys(list, score, cov, all) {
    var n = list.length, keys = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var d = list[i], v = score[d];
      if (cov) { var c = cov[d] / all; v *= c * c; score[d] = v; }
      keys[i] = (v > 4e4 ? 4e6 : Math.floor(v * 100)) * KEY + (KEY - 1 - d);
    }
    return keys;
  }
  // The page numbers of the first n keys.
  function docs(keys, n) {
    n = Math.min(n, keys.length);
    var out = new Int32Array(n);
    for (var i = 0; i < n; i++) out[i] = KEY - 1 - keys[i] % KEY;
    return out;
  }
  // Puts the k largest keys first, largest first, and leaves the rest in any order: a
  // quickselect, then a sort of the k.
  function topFirst(a, k) {
    var lo = 0, hi = a.length - 1;
    k = Math.min(k, a.length);
    while (lo < hi) {
      var pivot = a[(lo + hi) >> 1], i = lo, j = hi;
      while (i <= j) {
        while (a[i] > pivot) i++;
        while (a[j] < pivot) j--;
        if (i <= j) { var t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
      }
      if (k - 1 <= j) hi = j; else if (k - 1 >= i) lo = i; else break;
    }
    a.subarray(0, k).sort().reverse();
    return a;
  }

  var RERANK = 10, W2 = { cover: 2, title: 1.5, head: 1, near: 0.5, pairs: 1, region: 1 };
  /* Second pass, over the fragments of the first page of results (the ones shown, so it loads
     nothing more): every word of the query counts, common and stop words included. A page
     gains for covering more of the query's weight, for a title or heading that says what the
     query says, for the query's words close together, and for the query's word pairs
     ("who do I", "business continuity") as written; with a region chosen, a page about that
     region alone gains over one about them all. */
  function rerank(res, regMask) {
    var top = res.results.slice(0, RERANK);
    if (top.length < 2) return Promise.resolve(res);
    return Promise.all(top.map((r) => fragment(r).catch(() => null))).then((frags) => {
      var m = matcher(res);
      top.forEach((r, i) => {
        var f = frags[i];
        if (!f) return;
        var x = features(words2(f), m);
        // The fragment's coverage (every word counted) stands in for the first pass's.
        r.score = r.base * Math.pow(x.cov, W2.cover) *
          (1 + W2.title * x.title + W2.head * x.head + W2.near * x.near + W2.pairs * x.pairs);
        if (regMask) r.score *= 1 + W2.region * bits(regOf[r.doc] & regMask) / bits(regOf[r.doc]);
      });
      top.sort((a, b) => b.score - a.score || a.doc - b.doc);
      res.results = top.concat(res.results.slice(RERANK));
      return res;
    });
  }
  function bits(x) { var n = 0; for (; x; x &= x - 1) n++; return n || 1; }
  /* What the second pass looks for: each group's terms (and glossary forms) with its weight,
     and the query's words in order, stop words as themselves. */
  function matcher(res) {
    var one = new Map(), multi = [], weight = [], total = 0;
    res.groups.forEach((g, gi) => {
      weight[gi] = g.hits && !g.hits.docs.length && g.alts.length ? 0 : g.idf || 0;
      total += weight[gi];
      var ts = (g.terms && g.terms.length ? g.terms : g.alts.map((a) => a.t));
      ts.forEach((t) => { if (t[0] !== '~' && !one.has(t)) one.set(t, gi); });
      if (g.concept >= 0) forms[g.concept].forEach((f) => {
        if (f.length === 1) { if (!one.has(f[0])) one.set(f[0], gi); } else multi.push([f, gi]);
      });
    });
    var order = [];
    res.words.forEach((w) => {
      var k = w.t === null ? '#' + w.lower : null, gi = -1;
      if (k === null) {
        res.groups.forEach((g, i) => { if (gi < 0 && g.label.split(' ').indexOf(w.w) >= 0) gi = i; });
        if (gi < 0) return;
      }
      var prev = order[order.length - 1];
      if (gi >= 0 && prev && prev.g === gi) return;
      order.push({ k: k, g: gi });
    });
    return { one: one, multi: multi, weight: weight, total: total || 1, order: order };
  }
  // For each token of a run of text, the query group it belongs to (-1: none).
  function tag(toks, m) {
    var out = new Int16Array(toks.length).fill(-1);
    for (var i = 0; i < toks.length; i++) {
      var g = m.one.get(toks[i].k);
      if (g !== undefined) out[i] = g;
      for (var j = 0; j < m.multi.length; j++) {
        var f = m.multi[j][0], ok = i + f.length <= toks.length;
        for (var k = 0; ok && k < f.length; k++) ok = toks[i + k].k === f[k];
        if (ok) for (k = 0; k < f.length; k++) out[i + k] = m.multi[j][1];
      }
    }
    return out;
  }
  function features(w, m) {
    var got = new Float64Array(m.weight.length), title = 0, head = 0, near = 0, pairSet = new Set();
    var runs = [[w.t, 2]].concat(w.d ? [[w.d, 0]] : []);
    w.s.forEach((s) => { runs.push([s[0], 1], [s[1], 0]); });
    runs.forEach((run) => {
      var toks = run[0];
      if (!toks.length) return;
      var tags = tag(toks, m), seen = new Uint8Array(m.weight.length), sum = 0;
      for (var i = 0; i < toks.length; i++) {
        var g = tags[i];
        if (g >= 0 && !seen[g]) { seen[g] = 1; got[g] = m.weight[g]; sum += m.weight[g]; }
        // The query's neighbouring words, next to each other here too.
        if (i + 1 < toks.length) for (var p = 0; p + 1 < m.order.length; p++) {
          var a = m.order[p], b = m.order[p + 1];
          if ((a.g >= 0 ? g === a.g : toks[i].k === a.k) && (b.g >= 0 ? tags[i + 1] === b.g : toks[i + 1].k === b.k)) pairSet.add(p);
        }
      }
      // A title or heading that says what the query says; text with the words close together.
      if (run[1] === 2) title = sum / m.total;
      else if (run[1]) head = Math.max(head, sum / m.total);
      else near = Math.max(near, window(tags, m));
    });
    var cov = 0;
    got.forEach((v) => { cov += v; });
    return { cov: Math.max(cov / m.total, 0.05), title: title, head: head, near: near,
      pairs: m.order.length > 1 ? pairSet.size / (m.order.length - 1) : 0 };
  }
  // The largest share of the query's weight within any 12 words of a run.
  function window(tags, m) {
    var best = 0, count = new Int16Array(m.weight.length), sum = 0;
    for (var i = 0, j = 0; i < tags.length; i++) {
      if (tags[i] >= 0 && !count[tags[i]]++) sum += m.weight[tags[i]];
      if (i - j >= 12) { var g = tags[j++]; if (g >= 0 && !--count[g]) sum -= m.weight[g]; }
      if (sum > best) best = sum;
    }
    return best / m.total;
  }

  function fragment(r) {
    var key = r.doc + '-' + r.part;
    return load('p/' + meta.numbering + '/' + r.doc + (r.part ? '-' + r.part : '') + '.js', 'p/' + key);
  }
  var keys = new Map();
  function keyOf(word) {
    var k = keys.get(word);
    if (k === undefined) {
      var t = term(normalize(word));
      k = t ? (t[1] === null ? '#' + word.replace(APOS, '').toLowerCase() : t[1]) : null;
      if (keys.size < 50000) keys.set(word, k);
    }
    return k;
  }
  // A fragment's words, tokenised once: title, description, then heading and text per section.
  function words2(f) {
    if (!f.w) f.w = { t: seq(f.t), d: f.d ? seq(f.d) : null, s: f.s.map((s) => [seq(s[1]), seq(s[2])]) };
    return f.w;
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
    var needles = phrases.map((p) => { return seq(p).map((t) => t.k); });
    return Promise.all(list.map((r) => { return fragment(r).catch(() => null); }))
      .then((frags) => {
        return list.filter((r, i) => {
          var f = frags[i];
          if (!f) return false;
          var w = words2(f), hay = [w.t].concat(w.s.map((x) => x[0].concat(x[1])));
          return needles.every((n) => { return hay.some((h) => hasSeq(h, n)); });
        });
      });
  }

  /* Title, link and snippet of a result: {url, hash, title, desc, heading, snippet: [[text, marked]]}. */
  S.describe = (r, res) => {
    return fragment(r).then((f) => {
      var mark = new Set(), group = new Map();
      res.groups.forEach((g, gi) => {
        var ts = (g.terms || []).slice();
        if (g.concept >= 0) forms[g.concept].forEach((fm) => { ts = ts.concat(fm); });
        ts.forEach((t) => { mark.add(t); if (!group.has(t)) group.set(t, gi); });
      });
      var best = null;
      var fw = words2(f);
      f.s.forEach((s, si) => {
        var toks = fw.s[si][1], head = fw.s[si][0].some((t) => mark.has(t.k)) ? 5 : 0;
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
      var toks = best ? best.toks : fw.s[0][1], text = sec[2];
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
  S.glossary = (c) => {
    return load(meta.glossaryFile + '.js', 'g').then((d) => {
      var g = meta.glossary[c];
      return { term: g[0], expansion: g[1], id: g[2], description: d[c] || '', url: meta.glossaryUrl };
    });
  };

