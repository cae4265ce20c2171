// The plots in words, for a reader who cannot see them: the slice's peaks and where the
// MSE prediction falls, the main plot's branches, read as a screen reader reads the page
// (its accessibility tree).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, axe } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the slice in words: its peaks with their weights, and the MSE prediction among them, in the accessibility tree', async () => {
  const { page, log } = await open(browser, `${server.url}#n=2000&k=3&steps=1500`);
  await ready(page);
  await page.evaluate(() => window.mdn.step(1500));
  await page.waitForFunction(() => window.mdn.drawn());
  // Three branches at x₀ = 0.5: three peaks, and the regressor's average on the middle one.
  await page.waitForFunction(() => /has 3 peaks/.test(document.getElementById('slice-words').textContent), null, { timeout: 30_000 });
  const said = await page.textContent('#slice-words');
  assert.match(said, /^At x₀ = 0\.50 the density has 3 peaks: t = 0\.\d\d \(weight 0\.\d\d\), t = 0\.\d\d \(weight 0\.\d\d\), t = 0\.\d\d \(weight 0\.\d\d\); the MSE prediction 0\.\d\d lies /);
  const weights = [...said.matchAll(/weight (0\.\d\d)/g)].map((m) => Number(m[1]));
  assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 0.05, `the weights add up to about 1: ${weights}`);
  // The main plot: one branch at either end, three in the middle.
  await page.waitForFunction(() => /3 branches/.test(document.getElementById('main-words').textContent), null, { timeout: 30_000 });
  const main = await page.textContent('#main-words');
  assert.match(main, /^p\(y \| x\) has one branch for x from −0\.20 to 0\.\d\d; (2 branches[^;]*; )?3 branches for x from 0\.\d\d to 0\.\d\d; (2 branches[^;]*; )?one branch for x from 0\.\d\d to 1\.20\./);
  assert.match(await page.locator('.main-plot').ariaSnapshot(), /3 branches for x from/);
  // Where one branch is left (x₀ near 0), one peak.
  await page.focus('#stack');
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /one peak/.test(document.getElementById('slice-words').textContent));
  // A screen reader's reading: the slice's image is described by the words, and the
  // words are a live region it reads when they change.
  const tree = await page.locator('.slice-plot').ariaSnapshot();
  assert.match(tree, /img "The conditional density at one input"/);
  assert.match(tree, /the density has one peak: t = /);
  assert.equal(await page.$eval('#slice', (c) => c.getAttribute('aria-describedby')), 'slice-words');
  assert.equal(await page.$eval('#slice-words', (p) => p.getAttribute('aria-live')), 'polite');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('each figure\'s numbers as a table: the slice\'s components, the loss readings, the branches', async () => {
  const { page, log } = await open(browser, `${server.url}#n=2000&k=3&steps=600`);
  await ready(page);
  await page.evaluate(() => window.mdn.step(600));
  await page.waitForFunction(() => window.mdn.drawn());
  for (const figure of ['main', 'slice', 'loss']) await page.click(`details[data-figure="${figure}"] summary`);
  const read = (figure) => page.$eval(`details[data-figure="${figure}"] table`, (t) => ({
    caption: t.caption?.textContent,
    head: [...t.tHead.rows[0].cells].map((c) => c.textContent),
    rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
  }));
  const slice = await read('slice');
  assert.match(slice.caption, /^p\(y \| x₀ = 0\.500\)/);
  assert.deepEqual(slice.head, ['which', 'weight π', 'mean μ', 'scale σ']);
  const weights = slice.rows.filter((r) => r[0].startsWith('component')).map((r) => Number(r[1]));
  assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 0.01, `π add up to 1: ${weights}`);
  assert.deepEqual(slice.rows.slice(-2).map((r) => r[0]), ['MSE prediction', 'mixture mean']);
  const loss = await read('loss');
  assert.deepEqual(loss.head, ['step', 'MDN', 'MSE regressor']);
  assert.equal(loss.rows.at(-1)[0], '600');
  const m = await page.evaluate(() => window.mdn.metrics());
  assert.equal(loss.rows.at(-1)[1], m.val_nll.toFixed(3).replace('-', '−'));
  const main = await read('main');
  assert.deepEqual(main.head, ['x from', 'x to', 'branches']);
  assert.equal(main.rows[0][0], '−0.20');
  // The slice's table follows x₀.
  await page.focus('#stack');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /x₀ = 0\.47/.test(document.querySelector('details[data-figure="slice"] caption').textContent));
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});
