/* pestle search client (source, in four parts joined in name order:
   tokeniser, loading, queries, results page; the theme ships it minified as
   themes/default/static/search/search.js: run node tests/search/build-client.mjs
   after editing). A classic script, no modules, no fetch, so it works
   over http and from file://. Index files are scripts that call back into
   window.pestleSearch (see src/search/write.rs for their format). The
   tokeniser must stay identical to src/search/tokens.rs: tests/search/
   checks both against golden.json and the site's whole vocabulary. */
((W) => {
  'use strict';
  var D = W.document;
  var S = W.pestleSearch = W.pestleSearch || {};
  var me = D.currentScript;
  var BASE = ((me && me.src) || '').replace(/[^/]*$/, '');

  /* ---- Tokeniser (mirror of src/search/tokens.rs) ---- */
  function pairs(s) { return s.split(' ').map((p) => p.split(':')); }
  var STOP = new Set(('a about am an and are arent as at be but by can cant couldnt didnt do does doesnt dont for from ' +
    'hasnt havent he her him his how i if im in into is isnt it its ive me my no not of on or our she ' +
    'shouldnt such that the their them then there these they this to us was wasnt we what when where ' +
    'which who why will with wont wouldnt you your').split(' '));
  var SPELL = Object.create(null);
  pairs('behavior:behaviour behaviors:behaviours catalog:catalogue catalogs:catalogues center:centre ' +
    'centers:centres color:colour colors:colours defense:defence enroll:enrol enrollment:enrolment fulfill:fulfil ' +
    'fulfillment:fulfilment license:licence licenses:licences pediatric:paediatric practise:practice ' +
    'practised:practiced program:programme programs:programmes').forEach((p) => { SPELL[p[0]] = p[1]; });
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
  var EX1 = Object.create(null);
  pairs('skis:ski skies:sky dying:die lying:lie tying:tie idly:idl gently:gentl ugly:ugli early:earli only:onli ' +
    'singly:singl sky:sky news:news howe:howe atlas:atlas cosmos:cosmos bias:bias andes:andes')
    .forEach((p) => { EX1[p[0]] = p[1]; });
  var EX2 = /^(inning|outing|canning|herring|earring|proceed|exceed|succeed)$/;
  // Each table as a regex: anchored at the end, the earliest match is the longest suffix.
  function table(s) {
    var map = {};
    pairs(s).forEach((p) => { map[p[0]] = p[1]; });
    return { map: map, re: new RegExp('(' + Object.keys(map).join('|') + ')$') };
  }
  var T2 = table('ational:ate tional:tion enci:ence anci:ance abli:able entli:ent ization:ize izer:ize ' +
    'ation:ate ator:ate alism:al aliti:al alli:al fulness:ful ousli:ous ousness:ous iveness:ive iviti:ive ' +
    'biliti:ble bli:ble ogi:og fulli:ful lessli:less li:');
  var T3 = table('ational:ate tional:tion alize:al icate:ic iciti:ic ical:ic ful: ness: ative:');
  var T4 = /(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ism|ate|iti|ous|ive|ize|ion)$/;
  var V = /[aeiouy]/;
  function isV(c) { return !!c && V.test(c); }
  function shortv(w) {
    var n = w.length;
    return n >= 3 ? /[^aeiouywxY]/.test(w[n - 1]) && isV(w[n - 2]) && !isV(w[n - 3]) :
      n === 2 && !isV(w[1]) && isV(w[0]);
  }
  function region(w, from) {
    for (var i = from + 1; i < w.length; i++) if (isV(w[i - 1]) && !isV(w[i])) return i + 1;
    return w.length;
  }
  function stem(w) {
    if (EX1[w]) return EX1[w];
    if (w.length < 3) return w;
    w = w.replace(/^y/, 'Y').replace(/([aeiouy])y/g, '$1Y');
    var m = /^(gener|commun|arsen)/.exec(w), p1 = m ? m[1].length : region(w, 0), p2 = region(w, p1), s, n;
    // Step 1a
    if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/ie[sd]$/.test(w)) w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
    else if (/[^us]s$/.test(w) && V.test(w.slice(0, -2))) w = w.slice(0, -1);
    if (EX2.test(w)) return w.replace(/Y/g, 'y');
    // Step 1b
    m = /(eed|eedly|ed|edly|ing|ingly)$/.exec(w);
    if (m && m[1][1] === 'e' && m[1][0] === 'e') {
      if (m.index >= p1) w = w.slice(0, m.index) + 'ee';
    } else if (m && V.test(w.slice(0, m.index))) {
      w = w.slice(0, m.index);
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
      else if (w.length === p1 && shortv(w)) w += 'e';
    }
    // Step 1c
    if (/.[^aeiouy][yY]$/.test(w)) w = w.slice(0, -1) + 'i';
    // Steps 2, 3, 4 (each on the longest suffix, in R1 or R2)
    m = T2.re.exec(w);
    if (m && m.index >= p1) {
      s = m[1];
      n = w[m.index - 1];
      if (s === 'ogi' ? n === 'l' : s !== 'li' || /[cdeghkmnrt]/.test(n || '')) w = w.slice(0, m.index) + T2.map[s];
    }
    m = T3.re.exec(w);
    if (m && m.index >= (m[1] === 'ative' ? p2 : p1)) w = w.slice(0, m.index) + T3.map[m[1]];
    m = T4.exec(w);
    if (m && m.index >= p2 && (m[1] !== 'ion' || /[st]$/.test(w.slice(0, m.index)))) w = w.slice(0, m.index);
    // Step 5
    n = w.length - 1;
    if (w[n] === 'e' && (n >= p2 || (n >= p1 && !shortv(w.slice(0, n))))) w = w.slice(0, n);
    else if (w[n] === 'l' && n >= p2 && w[n - 1] === 'l') w = w.slice(0, n);
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
    chars.forEach((c) => { if (UP.test(c)) up++; });
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
  S.terms = (text) => {
    return tokens(normalize(text)).map((t) => t.t).filter((t) => t !== null);
  };

