// The plots in words, for a reader who cannot see them: the slice's peaks and where the
// MSE prediction falls, the main plot's branches, read as a screen reader reads the page
// (its accessibility tree).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready } from './harness.mjs';

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
