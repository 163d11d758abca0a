// Keyboard-only use: from the top of a page, Tab reaches the skip link first,
// then the search box, then the section menu, in the order they are shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAGES, useSite } from '../lib/site.mjs';

let server;
let b;
let page;
useSite((s) => ({ server, browser: b, page } = s));

/** Describes the focused element: what it is and where it sits. */
const focused = () => page.evaluate(async () => {
  // Let style and layout catch up with the focus change.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const where = el.closest('.site-nav') ? 'menu' : el.closest('header') ? 'header' : el.closest('main') ? 'main' : 'other';
  const kind = el.classList.contains('skip-link') ? 'skip-link'
    : el.matches('input[type=search]') ? 'search-box'
      : el.matches('button') ? 'button'
        : el.localName === 'summary' ? 'menu-button'
          : el.localName === 'a' ? 'link' : el.localName;
  return {
    kind, where, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' '),
    href: el.getAttribute('href'), visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight,
    outline: getComputedStyle(el).outlineStyle, background: getComputedStyle(el).backgroundColor, shadow: getComputedStyle(el).boxShadow,
  };
});

async function tabs(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    out.push(await focused());
  }
  return out;
}

async function start(width, path = PAGES.guidance) {
  await page.setViewportSize({ width, height: 800 });
  await page.goto(server.origin + path, { waitUntil: 'load' });
  // Start like a keyboard user arriving at the page: nothing focused yet.
  await page.evaluate(() => document.activeElement?.blur());
}

test('desktop: Tab goes skip link, home link, search box, search button, then every menu link in order', async () => {
  await start(1280);
  const menuLinks = await page.$$eval('.site-nav a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(menuLinks.length >= 5, 'the menu has links');
  const seq = await tabs(4 + menuLinks.length + 1);
  assert.equal(seq[0].kind, 'skip-link', 'first Tab: the skip link');
  assert.ok(seq[0].visible, 'the focused skip link is on screen');
  assert.equal(seq[0].text, 'Skip to main content');
  assert.deepEqual([seq[1].kind, seq[1].where], ['link', 'header'], 'then the site title, a link home');
  assert.equal(seq[2].kind, 'search-box', 'then the search box');
  assert.equal(seq[3].kind, 'button', 'then the search button');
  const menu = seq.slice(4, 4 + menuLinks.length);
  assert.ok(menu.every((f) => f.where === 'menu' && f.kind === 'link' && f.visible), `then the menu links: ${JSON.stringify(menu)}`);
  assert.deepEqual(menu.map((f) => f.href), menuLinks, 'menu links in the order they are shown');
  assert.equal(seq.at(-1).where, 'main', 'after the menu, the page itself');
});

test('phone: Tab goes skip link, home link, search box, search button, then the menu button, which opens the menu', async () => {
  await start(375);
  const seq = await tabs(5);
  assert.deepEqual(seq.map((f) => f.kind), ['skip-link', 'link', 'search-box', 'button', 'menu-button']);
  assert.equal(await page.$eval('.site-nav details', (d) => d.open), false, 'the menu starts closed on a phone');
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('.site-nav details', (d) => d.open), true, 'Enter opens the menu');
  const [first] = await tabs(1);
  assert.deepEqual([first.kind, first.where], ['link', 'menu'], 'the next Tab is the first menu link');
  const current = await page.$eval('.site-nav [aria-current="page"]', (a) => a.textContent);
  assert.equal(current, 'Registration Authorities', 'the menu marks the current page');
});

test('the skip link moves focus to the main content', async () => {
  await start(1280);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'maincontent');
  const [next] = await tabs(1);
  assert.equal(next.where, 'main', 'the next Tab stays in the main content');
});

test('focus is always visible: a yellow highlight or outline on every stop', async () => {
  await start(1280);
  const seq = await tabs(8);
  for (const f of seq) {
    const highlighted = f.background === 'rgb(255, 235, 59)' || (f.outline !== 'none' && f.outline !== '') || (f.shadow && f.shadow !== 'none');
    assert.ok(highlighted, `no visible focus style on ${f.kind} "${f.text}": ${JSON.stringify(f)}`);
  }
});

test('the search form submits with GET to the search page', async () => {
  await start(1280);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('smartcard');
  await Promise.all([page.waitForURL(/\/search\/(index\.html)?\?q=smartcard$/), page.keyboard.press('Enter')]);
});
