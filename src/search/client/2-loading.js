  /* ---- Loading index files by <script src> ---- */
  var meta = null, shards = {}, pages = {}, vocab = {}, glossText = null, waiting = {};
  function arrive(key, value) {
    var w = waiting[key];
    if (w) w.ok(value);
  }
  function load(path, key) {
    if (!waiting[key]) {
      var w = waiting[key] = {};
      w.p = new Promise((ok, fail) => {
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
          el.onload = () => { clearTimeout(timer); };
          el.src = BASE + path;
          D.head.appendChild(el);
        })();
      });
    }
    return waiting[key].p;
  }
  S.meta = (m) => {
    meta = m;
    m.glossary.forEach((g) => { gloss.add(normalize(g[0]).toLowerCase()); });
    m.common = m.common || {};
    arrive('meta', m);
  };
  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  var utf8 = new TextDecoder();
  S.shard = (name, data) => {
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
  S.page = (doc, part, data) => {
    pages[doc + '-' + part] = data;
    arrive('p/' + doc + '-' + part, data);
  };
  S.vocab = (key, words) => {
    vocab[key] = words.split(' ');
    arrive('v/' + key, vocab[key]);
  };
  S.gloss = (list) => { glossText = list; arrive('g', list); };

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
    list.forEach((i) => {
      var n = meta.shards[i] && meta.shards[i][1];
      if (n && names.indexOf(n) < 0) names.push(n);
    });
    return Promise.all(names.map((n) => load('t/' + n + '.js', 't/' + n)));
  }
  function lookup(t) {
    if (!meta.shards.length) return null;
    var sh = shards[meta.shards[shardIndex(t)][1]];
    var e = sh && sh.terms.get(t);
    return e ? { sh: sh, e: e } : null;
  }
