// A second experiment in the link (compare=): the page trains it beside the first on a
// worker of its own, with the first one's Play, Step and pace, and shows its main plot
// and numbers; both sides' numbers are those of `mdn train` on the same link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, ready, inked, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');
const LINK = 'n=400&k=3&hidden=8&steps=60&batch=100&compare=k%3D1';

test('compare=: one Step trains both sides, each with the bits of mdn train, and the page shows B', async () => {
  const { page, log } = await open(browser, `${server.url}#${LINK}`);
  await ready(page);
  assert.equal(await page.isVisible('#compare'), true);
  assert.equal(await page.textContent('#compare-title'), 'B: k=1');
  assert.deepEqual(await page.$$eval('#issues li', (e) => e.map((x) => x.textContent)), []);
  assert.match(page.url(), /&compare=k%3D1$/);
  const a = await page.evaluate(() => window.mdn.step(60));
  await page.waitForFunction(() => /^B at step 60:/.test(document.getElementById('compare-status').textContent));
  await page.waitForFunction(() => window.mdn.drawn());
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', LINK, '--every', '60'], { cwd: root, encoding: 'utf8' });
  const [lineA, lineB] = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.step === 60);
  assert.equal(a.val_nll, lineA.val_nll);
  const b = lineB.val_nll.toFixed(3).replace('-', '−');
  assert.ok((await page.textContent('#compare-status')).includes(`validation NLL MDN ${b},`));
  assert.ok((await page.textContent('#status')).includes(`B (k=1): MDN ${b} at step 60`));
  assert.ok(await inked(page, 'heat-b') > 0.5, 'B has its heatmap');
  // In words, A's and then B's: B's loss reading is its own.
  await page.waitForFunction(() => / B \(k=1\): At step 60, /.test(document.getElementById('loss-words').textContent));
  assert.match(await page.textContent('#loss-words'), new RegExp(`^A \\(k=3\\): At step 60, validation NLL in nats per point: the MDN ${a.val_nll.toFixed(3).replace('-', '−')}.* B \\(k=1\\): At step 60, validation NLL in nats per point: the MDN ${b},`));
  assert.match(await page.textContent('#slice-words'), /^A \(k=3\): At x₀ = 0\.50 the density has .* B \(k=1\): At x₀ = 0\.50 the density has one peak/);
  await page.$eval('#compare', (e) => e.scrollIntoView());
  await page.screenshot({ path: screenshotPath('compare-1280.png') });
  // A bad change gets its message and no comparison; a link without compare= hides B.
  await page.goto(`${server.url}#k=3&compare=seed%3D2`);
  await page.waitForFunction(() => /seed cannot change/.test(document.getElementById('issues').textContent));
  assert.doesNotMatch(page.url(), /compare=/);
  assert.equal(await page.isVisible('#compare'), false);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** Pixels of canvas `id` left of its colour bar that are clearly red and clearly blue. */
const redBlue = (page, id) => page.$eval(`#${id}`, (c) => {
  const d = c.getContext('2d').getImageData(0, 0, Math.floor(c.width * 0.7), c.height).data;
  let red = 0;
  let blue = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] > d[i + 1] + 60 && d[i] > d[i + 2] + 60) red++;
    if (d[i + 2] > d[i] + 60) blue++;
  }
  return { red, blue };
});

test('compare=: B trains to A\'s step, shares the slice x₀, and the difference view tells them apart', async () => {
  const { page, log } = await open(browser, `${server.url}#n=400&k=3&hidden=8&steps=2000&batch=100&compare=lr%3D0.001`);
  await ready(page);
  assert.equal(await page.textContent('#main-title'), 'A: lr=0.01');
  assert.equal(await page.isVisible('#difference'), true);
  await page.waitForFunction(() => window.mdn.drawn());
  // The same shapes start from the same weights: at step 0 there is nothing to tell apart.
  assert.deepEqual(await redBlue(page, 'diff'), { red: 0, blue: 0 });
  // Its table says so: at each of the 11 inputs, neither puts more anywhere.
  await page.click('details[data-figure="difference"] summary');
  const table = () => page.$$eval('details[data-figure="difference"] tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
  await page.waitForFunction(() => document.querySelector('details[data-figure="difference"] tbody')?.rows.length === 11);
  assert.deepEqual((await table()).map((r) => [r[1], r[3]]), Array(11).fill(['nowhere', 'nowhere']));
  // Play, then Pause: B ends at A's step, whatever either worker's pace was.
  await page.click('#play');
  await page.waitForFunction(() => Number(/^step (\d+)/.exec(document.getElementById('status').textContent)?.[1]) >= 300, null, { timeout: 120_000 });
  await page.click('#play');
  await page.waitForFunction(() => {
    const a = /^step (\d+)/.exec(document.getElementById('status').textContent)?.[1];
    const b = /^B at step (\d+):/.exec(document.getElementById('compare-status').textContent)?.[1];
    return a !== undefined && a === b && document.getElementById('play').getAttribute('aria-pressed') === 'false';
  }, null, { timeout: 120_000 });
  await page.waitForFunction(() => window.mdn.drawn());
  const after = await redBlue(page, 'diff');
  assert.ok(after.red > 50 && after.blue > 50, JSON.stringify(after));
  await page.waitForFunction(() => [...document.querySelectorAll('details[data-figure="difference"] tbody tr')].some((r) => r.cells[1].textContent !== 'nowhere'));
  const apart = await table();
  // B's plot has its table too: its own branches over x (K = 3: one to three).
  await page.click('details[data-figure="compare"] summary');
  await page.waitForFunction(() => document.querySelector('details[data-figure="compare"] tbody')?.rows.length > 0);
  const bBranches = await page.$$eval('details[data-figure="compare"] tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(bBranches.every((r) => Number(r[2]) >= 1 && Number(r[2]) <= 3), JSON.stringify(bBranches));
  assert.ok(apart.some((r) => /^(≥ )?\d\.\d\d$/.test(r[2])) && apart.some((r) => /^(≥ )?\d\.\d\d$/.test(r[4])), JSON.stringify(apart));
  // The slice draws B's density (pink, dashed) at the x₀ both plots mark.
  const pink = await page.$eval('#slice', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) n += Math.abs(d[i] - 204) < 20 && Math.abs(d[i + 1] - 121) < 25 && Math.abs(d[i + 2] - 167) < 25;
    return n;
  });
  assert.ok(pink > 30, `B's density in the slice: ${pink} pixels`);
  await page.hover('#stack-b', { position: { x: 200, y: 100 } });
  const [la, lb] = await page.$$eval('.x0-line', (ls) => ls.map((l) => (l.hidden ? null : l.style.left)));
  assert.ok(la && la === lb, `x₀ on both plots: ${la} ${lb}`);
  await page.$eval('#difference', (e) => e.scrollIntoView());
  await page.screenshot({ path: screenshotPath('compare-difference.png') });
  assert.deepEqual(log.errors, []);
  await page.close();
});
