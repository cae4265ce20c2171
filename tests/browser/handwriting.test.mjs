// In headless Chromium: the handwriting page trains in its worker with the bits of
// `mdn strokes train`, writes on from a stroke drawn on the pad (ellipses and all), keeps
// drawn words in the link and in localStorage and trains on them, refuses a hostile link
// with messages (never as HTML), and passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, screenshotPath, ink, drawStroke, axe } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');
const PAGE = 'www/handwriting.html';

async function handReady(page) {
  await page.waitForFunction(() => document.getElementById('hw-status').dataset.ready, null, { timeout: 60_000 });
  assert.equal(await page.$eval('#hw-status', (e) => e.dataset.ready), 'true');
}

/** Waits until the page has drawn what it was asked to. */
const handDrawn = (page) => page.waitForFunction(() => window.mdnHand.drawn(), null, { polling: 50 });


/** Pixels of the pad in colour (the ellipses and rings; ink and paper are grey). */
const coloured = (page) => page.$eval('#hw-pad', (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
  return n;
});

/** Whether the pad has ink (not paper) within 4 pixels of the fraction (u, v) of it. */
const inkNear = (page, u, v) => page.$eval('#hw-pad', (c, [u, v]) => {
  const [x, y] = [Math.round(u * c.width), Math.round(v * c.height)];
  const d = c.getContext('2d').getImageData(x - 4, y - 4, 9, 9).data;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return true;
  return false;
}, [u, v]);

const hump = (x0) => Array.from({ length: 16 }, (_, i) => [x0 + 0.006 * i, 0.55 - 0.2 * Math.sin((Math.PI * i) / 15)]);

test('the page trains with the bits of mdn strokes train, and writes on from a drawn stroke', { timeout: 240_000 }, async () => {
  const spec = 'seed=4&n=60&hidden=12&m=3&batch=4&steps=60';
  const { page, log } = await open(browser, `${server.url}${PAGE}#${spec}`);
  await handReady(page);
  const snap = await page.evaluate(() => window.mdnHand.step(60));
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'strokes', 'train', spec], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(out.trim().split('\n').pop());
  assert.equal(snap.step, 60);
  assert.deepEqual(snap.val, [cli.val_nll.lstm, cli.val_nll.one_component, cli.val_nll.feed_forward], 'validation NLLs bit for bit');
  assert.match(await page.textContent('#hw-status'), /step 60 of 60 · validation NLL per pen move: LSTM-MDN \d/);
  const blank = (await ink(page, 'hw-pad')).black;
  await drawStroke(page, hump(0.05));
  await handDrawn(page);
  // The pad keeps its scale: the stroke stays where it was drawn (its top, its foot).
  assert.ok(await inkNear(page, 0.05 + 0.006 * 7.5, 0.35), 'the stroke is drawn where the pointer went');
  assert.ok(await inkNear(page, 0.05, 0.55));
  assert.ok(!(await inkNear(page, 0.5, 0.35)), 'and nowhere else');
  await page.click('#hw-write');
  await page.waitForFunction(() => window.mdnHand.writing());
  const early = (await ink(page, 'hw-pad')).black;
  await page.waitForFunction(() => !window.mdnHand.writing(), null, { timeout: 120_000 });
  await handDrawn(page);
  const after = await ink(page, 'hw-pad');
  assert.ok(after.black > blank + 200, `the model wrote on (${blank} → ${after.black} black pixels)`);
  assert.ok(early < after.black, `the writing is revealed as it goes (${early} then ${after.black})`);
  const withEllipses = await coloured(page);
  assert.ok(withEllipses > 300, `ellipses and rings drawn (${withEllipses} coloured pixels)`);
  await page.uncheck('#hw-ellipses');
  await handDrawn(page);
  assert.equal(await coloured(page), 0, 'the ellipses can be hidden');
  assert.ok((await ink(page, 'hw-loss')).any > 1000, 'the loss curves are drawn');
  await page.screenshot({ path: screenshotPath('handwriting.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** Dark (ink) pixels in each third of the comparison canvas, left to right. */
const thirds = (page) => page.$eval('#hw-compare', (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const n = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 200 && d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) n[Math.min(2, Math.floor(((i / 4) % c.width) / (c.width / 3)))]++;
  }
  return n;
});

test('the untrained writing is labelled and written again as training goes; the three models write side by side', { timeout: 180_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}#seed=4&n=60&hidden=12&m=3&batch=4&steps=40`);
  await handReady(page);
  // The untrained models' snapshot (validated at step 0).
  await page.waitForFunction(() => /^step 0 of 40 · validation NLL per pen move: LSTM-MDN \d/.test(document.getElementById('hw-status').textContent));
  await page.click('#hw-write');
  await page.waitForFunction(() => !window.mdnHand.writing(), null, { timeout: 120_000 });
  await handDrawn(page);
  assert.match(await page.textContent('#hw-written'), /untrained model \(step 0\)/);
  await page.evaluate(() => window.mdnHand.step(40));
  await page.waitForFunction(() => /model at step 40\./.test(document.getElementById('hw-written').textContent));
  await handDrawn(page);
  const ink3 = await thirds(page);
  assert.ok(ink3.every((n) => n > 30), `each model wrote in its own panel: ${ink3}`);
  // Clearing the pad clears what was written from it.
  await page.click('#hw-clear');
  await handDrawn(page);
  assert.equal(await page.textContent('#hw-written'), '');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('drawn words are kept in the link and in localStorage, and train', { timeout: 180_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}#n=40&hidden=6&m=2&batch=2&steps=20`);
  await handReady(page);
  for (const x of [0.05, 0.3, 0.55]) {
    await drawStroke(page, hump(x));
    await drawStroke(page, hump(x + 0.1));
    await page.click('#hw-keep');
  }
  assert.match(await page.textContent('#hw-words'), /^3 drawn words kept/);
  const link = await page.evaluate(() => location.hash);
  assert.match(link, /&drawn=[0-9._~-]+/);
  assert.ok(await page.evaluate(() => localStorage.getItem('mdn-hand-drawn')?.length > 20));
  await page.selectOption('#hw-spec-data', 'drawn');
  await page.waitForFunction(() => /data=drawn/.test(location.hash));
  const snap = await page.evaluate(() => window.mdnHand.step(20));
  assert.equal(snap.step, 20);
  assert.ok(snap.val.every(Number.isFinite), String(snap.val));
  assert.match(await page.textContent('#hw-status'), /40 training and 20 validation words/);
  // The CLI takes the page's link, drawn words and all, and gives its numbers.
  const here = await page.evaluate(() => location.href);
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'strokes', 'train', here], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(out.trim().split('\n').pop());
  assert.deepEqual(snap.val, [cli.val_nll.lstm, cli.val_nll.one_component, cli.val_nll.feed_forward], 'drawn words: the same bits');
  // A fresh page from the link has the same words; a link asking for drawn words without
  // them takes the browser's.
  const fresh = await browser.newPage();
  await fresh.goto(`${server.url}${PAGE}${link}`);
  await handReady(fresh);
  assert.match(await fresh.textContent('#hw-words'), /^3 drawn words kept/);
  await fresh.close();
  await page.goto(`${server.url}${PAGE}#data=drawn`);
  await handReady(page);
  assert.match(await page.evaluate(() => location.hash), /data=drawn&drawn=/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a hostile link gets messages as text, clamped values, and no script', { timeout: 120_000 }, async () => {
  const bad = '#hidden=99999&m=abc&lr=NaN&data=drawn&drawn=%3Cimg%20src=x%20onerror=alert(1)%3E&%3Cb%3E=1';
  const { page, log } = await open(browser, `${server.url}${PAGE}${bad}`);
  await handReady(page);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /hidden/.test(t)), issues.join('\n'));
  assert.ok(issues.some((t) => /data=drawn needs at least 2 drawn words/.test(t)), issues.join('\n'));
  assert.ok(issues.some((t) => /unknown key/.test(t)), issues.join('\n'));
  assert.equal(await page.$$eval('#issues img, #issues b', (e) => e.length), 0, 'no HTML from the link');
  assert.equal(await page.inputValue('#hw-spec-hidden'), '400');
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('in an iframe whose storage is refused, the page still loads and trains', { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 700, height: 480 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setContent(`<iframe src="${server.url}${PAGE}#n=40&hidden=6&steps=10" width="660" height="440"></iframe>`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForFunction(() => document.getElementById('hw-status').dataset.ready, null, { timeout: 60_000 });
  assert.equal(await frame.$eval('#hw-status', (e) => e.dataset.ready), 'true');
  const snap = await frame.evaluate(() => window.mdnHand.step(10));
  assert.equal(snap.step, 10);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a large network pauses and resets at once: a step under way is cut short, not finished', { timeout: 240_000 }, async () => {
  const big = '#n=5000&hidden=400&layers=3&m=20&batch=64&skip=1';
  const { page, log } = await open(browser, `${server.url}${PAGE}${big}`);
  await handReady(page);
  // Building the run and measuring it both go in slices: the status line has a step
  // before any validation is done.
  await page.waitForFunction(() => /^step 0 of/.test(document.getElementById('hw-status').textContent));
  const status = () => page.textContent('#hw-status');
  await page.click('#hw-play');
  await page.waitForFunction(() => document.getElementById('hw-play').getAttribute('aria-pressed') === 'true');
  await page.click('#hw-play');
  await page.waitForFunction(() => document.getElementById('hw-play').getAttribute('aria-pressed') === 'false');
  // A step of 64 words through 3 × 400 cells takes far longer than a slice: the pause
  // came within it, and no step was finished first.
  assert.match(await status(), /^step 0 of/);
  await page.click('#hw-reset');
  await page.waitForFunction(() => /^step 0 of/.test(document.getElementById('hw-status').textContent));
  await page.click('#hw-play');
  await page.waitForFunction(() => document.getElementById('hw-play').getAttribute('aria-pressed') === 'true');
  await page.click('#hw-reset');
  await page.waitForFunction(() => document.getElementById('hw-play').getAttribute('aria-pressed') === 'false' && /^step 0 of/.test(document.getElementById('hw-status').textContent));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the pad says when it keeps no more strokes', { timeout: 120_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}#n=40&hidden=6&steps=10`);
  await handReady(page);
  for (let i = 0; i < 41; i++) await drawStroke(page, [[0.05 + 0.02 * (i % 40), 0.4], [0.06 + 0.02 * (i % 40), 0.6]]);
  assert.match(await page.textContent('#hw-note'), /at most 40 strokes: this stroke was not kept/);
  await page.click('#hw-clear');
  await drawStroke(page, [[0.1, 0.4], [0.2, 0.6]]);
  assert.equal(await page.textContent('#hw-note'), '');
  assert.deepEqual(log.errors, []);
  await page.close();
});
