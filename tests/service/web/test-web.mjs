// SPDX-License-Identifier: LGPL-2.1-or-later
//
// semblanced's web page in Debian's headless Chromium, through the
// DevTools protocol (puppeteer-core; no browser is downloaded), at a
// phone's size: search, "more like this", play the first result and hear
// time pass, the queue, and nothing loaded from elsewhere.
//
//   node test-web.mjs URL SCREENSHOT PROFILE_DIR
import puppeteer from 'puppeteer-core';

const [url, screenshot, profile] = process.argv.slice(2);
const base = new URL(url).origin;
let n = 0;
let failed = false;

function ok (condition, what, detail = '') {
  n++;
  console.log(`${condition ? 'ok' : 'not ok'} ${n} - ${what}`);
  if (!condition) {
    failed = true;
    if (detail)
      console.log(`# ${detail}`);
  }
}

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  // The flags the project starts Chromium with, --headless among them.
  headless: false,
  userDataDir: profile,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    '--autoplay-policy=user-gesture-required'],
});

try {
  const page = await browser.newPage();
  const problems = [];
  const elsewhere = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error')
      problems.push(`console: ${m.text()}`);
  });
  // data: URLs are the browser's own (its media controls' icons).
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.origin !== base)
      elsewhere.push(r.url());
  });
  // A phone: 390 by 844 CSS pixels, twice as dense, touch.
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2,
    isMobile: true, hasTouch: true });
  await page.goto(url, { waitUntil: 'networkidle0' });

  // Search by description.
  await page.type('#q', 'calm piano');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#list li');
  const searched = await page.$$eval('#list li', (items) => items.length);
  const heading = await page.$eval('#list-title', (h) => h.textContent);
  ok(searched > 0 && heading.includes('calm piano'),
    `search lists tracks (${searched}) under “${heading}”`);

  // "More like this" on the first result.
  const seed = await page.$eval('#list li .title', (t) => t.textContent);
  await page.click('#list li .more');
  await page.waitForFunction(() =>
    document.querySelector('#list-title').textContent.startsWith('More like'));
  const similar = await page.$$eval('#list li .title',
    (titles) => titles.map((t) => t.textContent));
  const focused = await page.evaluate(() => document.activeElement.id);
  ok(similar.length > 0 && !similar.includes(seed),
    `“more like ${seed}” lists ${similar.length} other tracks`);
  ok(focused === 'list-title', 'the reader is taken to the new list',
    `focus is on “${focused}”`);

  // Play the first result: the audio element's time must advance.
  await page.click('#list li .play');
  await page.waitForFunction(() => {
    const a = document.getElementById('audio');
    return !a.paused && a.currentTime > 1.0;
  }, { timeout: 20000 });
  const playing = await page.evaluate(() => {
    const a = document.getElementById('audio');
    return { src: new URL(a.src).pathname, time: a.currentTime,
      now: document.getElementById('now').textContent };
  });
  ok(/^\/api\/tracks\/\d+\/audio$/.test(playing.src) &&
    playing.now.includes(similar[0]),
  `the first result plays (${playing.now}, ${playing.time.toFixed(2)} s)`);
  const t1 = playing.time;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const t2 = await page.$eval('#audio', (a) => a.currentTime);
  ok(t2 > t1 + 0.5, `its time advances: ${t1.toFixed(2)} s, then ` +
    `${t2.toFixed(2)} s a second later`);

  // The rest of the list waits in the queue; Next plays the following one.
  const waiting = await page.$eval('#queue-count', (c) => Number(c.textContent));
  await page.click('#next');
  await page.waitForFunction((first) =>
    !document.getElementById('now').textContent.includes(first) &&
    document.getElementById('audio').currentTime > 0.3, { timeout: 20000 },
  similar[0]);
  const next = await page.$eval('#now', (e) => e.textContent);
  ok(waiting >= similar.length - 1 && next.includes(similar[1]),
    `the queue holds ${waiting} tracks, and Next plays “${similar[1]}”`);

  // Usable on a phone, and accessible.
  const layout = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    small: [...document.querySelectorAll('button')]
      .filter((b) => b.offsetParent !== null)
      .filter((b) => b.getBoundingClientRect().height < 44).length,
    unnamed: [...document.querySelectorAll('button')]
      .filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim()))
      .length,
    labelled: document.getElementById('q').labels.length === 1,
    status: document.getElementById('status').getAttribute('role'),
  }));
  ok(!layout.overflow, 'nothing is wider than the phone');
  ok(layout.small === 0, 'every button is at least 44 px high',
    `${layout.small} smaller`);
  ok(layout.unnamed === 0 && layout.labelled && layout.status === 'status',
    'buttons have names, the field a label, the status a live role');

  await page.screenshot({ path: screenshot });
  ok(true, `screenshot saved as ${screenshot}`);
  ok(problems.length === 0, 'no script error, no refused resource',
    problems.join('; '));
  ok(elsewhere.length === 0, 'nothing is loaded from elsewhere',
    elsewhere.join(' '));
} catch (e) {
  ok(false, 'the page test ran to its end', e.stack);
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
