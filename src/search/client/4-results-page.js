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
    // Filters: a disclosure under the status line on a phone, open beside the results on a
    // wide screen (CSS puts it in its own column).
    var filters = el('details', 'search-filters'), sum = el('summary', null, 'Filter results');
    var facets = el('div', 'search-facets'), head = el('h2', 'visually-hidden', 'Results');
    var list = el('ol', 'search-list'), more = el('button', 'search-more', 'Show more results');
    var wide = W.matchMedia ? W.matchMedia('(min-width: 48rem)') : { matches: true };
    filters.appendChild(sum);
    filters.appendChild(facets);
    filters.open = wide.matches;
    if (wide.addEventListener) wide.addEventListener('change', () => { filters.open = wide.matches; });
    status.setAttribute('role', 'status');
    more.type = 'button';
    [status, note, card, filters, head, list, more].forEach((e) => { box.appendChild(e); });
    var seq = 0, timer = 0, statusTimer = 0, last = null, shown = 0, boxes = {}, counts_ = {};
    var href = (u, hash) => root + u + index + (hash ? '#' + hash : '');
    var state = () => {
      var p = new URLSearchParams(W.location.search);
      return { q: p.get('q') || '', section: p.getAll('section'), region: p.getAll('region'), exact: p.has('exact') };
    };
    function url(s) {
      var p = new URLSearchParams();
      if (s.q) p.set('q', s.q);
      s.section.forEach((v) => { p.append('section', v); });
      s.region.forEach((v) => { p.append('region', v); });
      if (s.exact) p.set('exact', '1');
      var q = p.toString();
      return q ? '?' + q : W.location.pathname.replace(/.*\//, '') || './';
    }
    function current() {
      var s = { q: input.value, section: [], region: [], exact: cur.exact && input.value === cur.q };
      Object.keys(boxes).forEach((k) => { if (boxes[k].checked) s[k.split(':')[0]].push(k.split(':')[1]); });
      return s;
    }
    var cur = state();
    // DOM writes only when something changes: each one costs a style and layout pass.
    function hide(e, yes) { if (e.hidden !== yes) e.hidden = yes; }
    function setText(e, t) { if (e.textContent !== t) e.textContent = t; }
    function facetSet(name, title, values, counts, chosen) {
      var fs = facets.querySelector('[data-facet=' + name + ']');
      if (!fs) {
        fs = el('fieldset', 'search-facet');
        fs.setAttribute('data-facet', name);
        fs.appendChild(el('legend', null, title));
        values.forEach((v) => {
          var id = 'f-' + name + '-' + v[0], lab = el('label'), cb = el('input');
          cb.type = 'checkbox'; cb.id = id; cb.value = v[0]; cb.name = name;
          lab.htmlFor = id;
          lab.appendChild(el('span', null, v[1]));
          lab.appendChild(counts_[name + ':' + v[0]] = el('span', 'count'));
          var row = el('div', 'search-option');
          row.appendChild(cb); row.appendChild(lab);
          fs.appendChild(row);
          boxes[name + ':' + v[0]] = cb;
          cb.addEventListener('change', () => { go(current(), true); });
        });
        facets.appendChild(fs);
      }
      var any = false;
      values.forEach((v) => {
        var cb = boxes[name + ':' + v[0]], n = counts[v[0]] || 0;
        var on = chosen.indexOf(v[0]) >= 0;
        if (cb.checked !== on) cb.checked = on;
        setText(counts_[name + ':' + v[0]], ' (' + n + ')');
        // A filter that would leave nothing is not offered (unless it is the one chosen).
        hide(cb.parentNode, !n && !cb.checked);
        any = any || n > 0 || cb.checked;
      });
      hide(fs, !any);
      return any;
    }
    function item(d, r) {
      var li = el('li', 'search-result'), h = el('h3'), a = el('a', null, d.title);
      a.href = href(d.url);
      h.appendChild(a);
      li.appendChild(h);
      var where = [], s = meta.sections[secOf[r.doc]];
      if (s) where.push(s[1]);
      meta.regions.forEach((g, bit) => { if (regOf[r.doc] & (1 << bit)) where.push(g[1]); });
      if (where.length) li.appendChild(el('p', 'search-meta', where.join(' · ')));
      var p = el('p', 'search-snippet');
      d.snippet.forEach((x) => { p.appendChild(x[1] ? el('mark', null, x[0]) : D.createTextNode(x[0])); });
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
      if (shown + n > res.results.length) S.more(res, shown + n - res.results.length);
      var slice = res.results.slice(shown, shown + n), id = seq;
      return Promise.all(slice.map((r) => { return S.describe(r, res).catch(() => null); }))
        .then((ds) => {
          if (id !== seq) return;
          var first = null;
          ds.forEach((d, i) => {
            if (!d) return;
            var li = item(d, slice[i]);
            list.appendChild(li);
            first = first || li;
          });
          shown += slice.length;
          hide(more, shown >= res.total);
          if (focus && first) first.querySelector('a').focus();
        });
    }
    function say(t, now) {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(() => { setText(status, t); }, now ? 0 : 400);
    }
    function render(res, s, now) {
      last = res;
      list.textContent = '';
      if (note.firstChild) note.textContent = '';
      if (card.firstChild) card.textContent = '';
      hide(card, true);
      hide(note, true);
      shown = 0;
      var q = '\u201c' + s.q.trim() + '\u201d', filtered = s.section.length + s.region.length > 0;
      hide(fallback, !!s.q.trim() && res.total > 0);
      hide(head, !res.total);
      hide(more, true);
      hide(filters, !s.q.trim() || (!res.total && !filtered));
      if (res.mode === 'empty') { say('', true); hide(filters, true); return; }
      if (res.mode === 'stop') {
        say('Your search has only very common words. Try a more specific word, such as nomination or Smartcard.', now);
        return;
      }
      var places = [];
      s.section.concat(s.region).forEach((v) => {
        meta.sections.concat(meta.regions).forEach((f) => { if (f[0] === v && places.indexOf(f[1]) < 0) places.push(f[1]); });
      });
      var scope = filtered ? ' in ' + places.join(', ') : '';
      var text = res.total ? res.total + (res.total === 1 ? ' result for ' : ' results for ') + q + scope :
        'No results for ' + q + scope + '. Check the spelling, try fewer or other words' + (filtered ? ', or clear the filters.' : '.');
      if (res.corrections.length) {
        var p = el('p', null, 'Showing results for '), a = el('a', null, 'Search instead for ' + s.q);
        p.appendChild(el('strong', null, res.corrected));
        p.appendChild(D.createTextNode('. '));
        a.href = url({ q: s.q, section: s.section, region: s.region, exact: true });
        a.addEventListener('click', (e) => { e.preventDefault(); go({ q: s.q, section: s.section, region: s.region, exact: true }, true); });
        p.appendChild(a);
        note.appendChild(p);
      }
      if (res.mode === 'or' && res.total) {
        note.appendChild(el('p', null, 'No page has all of your words, so these pages have some of them.'));
      }
      hide(note, !note.firstChild);
      if (res.concept >= 0) {
        S.glossary(res.concept).then((g) => {
          if (last !== res) return;
          var h = el('h2', null, g.term + ': ' + g.expansion);
          card.appendChild(h);
          hide(card, false);
          if (g.description) card.appendChild(el('p', 'search-card-desc', g.description));
          if (g.url !== null && g.url !== undefined) {
            var a = el('a', null, 'See ' + g.term + ' in the glossary');
            a.href = href(g.url, g.id);
            card.appendChild(el('p')).appendChild(a);
          }
        });
      }
      var offered = facetSet('section', 'Section', meta.sections.filter((v) => v[2].length), res.counts.section, s.section);
      offered = facetSet('region', 'Region', meta.regions, res.counts.region, s.region) || offered;
      var chosen = s.section.length + s.region.length;
      setText(sum, 'Filter results' + (chosen ? ' (' + chosen + ')' : ''));
      if (!offered) hide(filters, true);
      return page(res, 10).then(() => say(text, now));
    }
    function go(s, push, now) {
      clearTimeout(timer);
      var id = ++seq;
      cur = s;
      var u = url(s);
      if (push) W.history.pushState(null, '', u); else W.history.replaceState(null, '', u);
      if (s.q.trim()) say('Searching\u2026', true);
      return S.search(s).then((res) => {
        if (id === seq) return render(res, s, now || push);
      }, () => {
        if (id === seq) say('Search could not load its index. Browse the sections below instead.', true);
        hide(fallback, false);
      });
    }
    S.go = go;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { go(current(), false); }, 120);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && input.value) { e.preventDefault(); input.value = ''; go(current(), false, true); }
    });
    form.addEventListener('submit', (e) => { e.preventDefault(); go(current(), false, true); });
    more.addEventListener('click', () => { if (last) page(last, 10, true); });
    W.addEventListener('popstate', () => {
      var s = state();
      input.value = s.q;
      Object.keys(boxes).forEach((k) => { boxes[k].checked = s[k.split(':')[0]].indexOf(k.split(':')[1]) >= 0; });
      go(s, false, true);
    });
    input.value = cur.q;
    box.className += ' is-live';
    [more, head, card, note, filters].forEach((e) => { hide(e, true); });
    S.ready().then(() => go(cur, false, true), () => {
      say('Search could not load its index. Browse the sections below instead.', true);
    });
  }
  if (D.readyState === 'loading') D.addEventListener('DOMContentLoaded', ui); else ui();
})(window);
