// Your own data in headless Chromium: pasted and uploaded CSV (bad lines reported by
// number, never as HTML), drawing points on the plot, links that carry the points and
// reproduce exactly (fresh load and mdn train), storage across reloads, and the refusal
// to share a link for a set too large for one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, screenshotPath, ready } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');


function wave(n) {
  let csv = 'x,y\n';
  for (let i = 0; i < n; i++) {
    const x = i / n;
    csv += `${x},${(Math.sin(6 * x) + (i % 2 ? 0.4 : -0.4)).toFixed(6)}\n`;
  }
  return csv;
}

test('pasted CSV: bad lines reported by number, the link carries the points and reproduces exactly', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push('dialog ' + d.message()); d.dismiss(); });
  await page.goto(server.url + '#k=3&hidden=12&steps=300&lr=0.02&batch=100');
  await ready(page);
  await page.fill('#csvtext', wave(150) + 'oops,1\n<img src=x onerror=alert(1)>\n2,3,4\n');
  await page.click('#usecsv');
  await page.waitForFunction(() => /data=custom/.test(window.mdn.spec()));
  await ready(page);
  const msg = await page.textContent('#dataerror');
  assert.match(msg, /150 points with 2 columns/);
  assert.match(msg, /line 152: 'oops' is not a number/);
  assert.match(msg, /line 153: /);
  assert.match(msg, /line 154: 3 values, but the first point had 2/);
  assert.equal(await page.$$eval('#dataerror img, #issues img', (e) => e.length), 0);
  assert.match(await page.evaluate(() => window.mdn.spec()), /&n=120&.*&pts=z2\./);
  const m1 = await page.evaluate(() => window.mdn.step(300));
  const link = page.url();
  await page.screenshot({ path: screenshotPath('data-pasted.png'), fullPage: true });
  // The link in another browser (no storage): the same points, the same numbers.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(link);
  await ready(p2);
  const m2 = await p2.evaluate(() => window.mdn.step(300));
  assert.deepEqual(m2, m1);
  await other.close();
  const cli = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', link, '--every', '1000'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
  for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_nll']) assert.equal(m1[k], cli[k], k);
  // Reload, and even #data=custom alone: the points come back from this browser's storage.
  await page.reload();
  await ready(page);
  assert.match(await page.evaluate(() => window.mdn.spec()), /data=custom&n=120&/);
  const fresh = await ctx.newPage();
  await fresh.goto(server.url + '#data=custom&k=3');
  await ready(fresh);
  assert.match(await fresh.evaluate(() => window.mdn.spec()), /data=custom&n=120&.*&pts=z2\./);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('drawing adds and erases points; an upload with three columns gives the 2-D views', async () => {
  const { page, log } = await open(browser, server.url + '#n=400', { width: 1280, height: 900 });
  await ready(page);
  const count = () => page.evaluate(() => window.mdn.spec()).then((s) => Number(/&n=(\d+)/.exec(s)[1]));
  await page.check('#draw-on');
  const box = await page.locator('#points').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.waitForFunction(() => /data=custom/.test(window.mdn.spec()));
  const n1 = await count();
  const before = await page.evaluate(() => window.mdn.spec());
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.15);
  await page.waitForFunction((b) => window.mdn.spec() !== b, before);
  assert.ok((await count()) >= n1, 'a click adds a point');
  const csvBefore = await page.evaluate(() => window.mdn.spec());
  await page.selectOption('#draw-mode', 'erase');
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.waitForFunction((b) => window.mdn.spec() !== b, csvBefore); // erasing changes the points
  await page.uncheck('#draw-on');
  // Upload: three columns (x, y1, y2).
  let csv = 'x\ty1\ty2\n';
  for (let i = 0; i < 300; i++) {
    const x = i / 300;
    const s = i % 2 ? 1 : -1;
    csv += `${x}\t${(s * Math.cos(3 * x)).toFixed(5)}\t${Math.sin(3 * x).toFixed(5)}\n`;
  }
  await page.setInputFiles('#loadcsv', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('.plane-plot') && !document.querySelector('.plane-plot').hidden);
  await ready(page);
  assert.match(await page.textContent('#dataerror'), /three\.csv: 300 points with 3 columns/);
  await page.evaluate(() => window.mdn.step(300));
  const r = await page.evaluate(() => window.mdn.targetReport());
  assert.equal(r.target.length, 1);
  assert.equal(r.baseline.length, 2);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a set too large for a link: Copy link says so instead of sharing another experiment', async () => {
  const { page, log } = await open(browser, server.url, { width: 1280, height: 900 });
  await ready(page);
  let csv = '';
  for (let i = 0; i < 3000; i++) csv += `${Math.random()},${Math.random()}\n`;
  await page.evaluate((c) => window.mdn.usePoints(c), csv);
  await page.waitForFunction(() => /data=custom&n=2400&/.test(window.mdn.spec()));
  await page.click('#copy');
  await page.waitForFunction(() => /too many for a link/.test(document.getElementById('dataerror').textContent));
  assert.match(await page.textContent('#dataerror'), /characters compressed; the limit is 6000/);
  assert.equal(await page.textContent('#copy'), 'Copy link', 'nothing was copied');
  // Too many points at all: a clear message, the experiment unchanged.
  let huge = '';
  for (let i = 0; i < 20001; i++) huge += `${i},1\n`;
  const spec = await page.evaluate(() => window.mdn.spec());
  assert.equal(await page.evaluate((c) => window.mdn.usePoints(c), huge), false);
  assert.match(await page.textContent('#dataerror'), /more than 20000 points/);
  assert.equal(await page.evaluate(() => window.mdn.spec()), spec);
  assert.deepEqual(log.errors, []);
  await page.close();
});
