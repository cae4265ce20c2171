// The real data sets in the page: chosen in the form they bring the settings that suit
// their few points, say where they come from and that no truth is known, and measure the
// MDN against the kernel density estimate; the numbers are those of `mdn train`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, ready, inked, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');

test('Old Faithful from the form: its story, settings for few points, the kernel estimate beside the MDN, the bits of mdn train', async () => {
  const { page, log } = await open(browser, `${server.url}#k=5&steps=300`);
  await ready(page);
  assert.match(await page.textContent('#loss-level'), /the best any model can do/);
  await page.selectOption('#spec-data', 'faithful');
  await page.waitForFunction(() => /Old Faithful/.test(document.getElementById('datanote').textContent));
  await ready(page);
  const note = await page.textContent('#datanote');
  assert.match(note, /272 eruptions/);
  assert.match(note, /no true density is known, so there is no Bayes line/);
  assert.match(note, /MIT licence/);
  // The link chose k=5 and 300 steps: those stay; the rest gets the few points' settings.
  const link = decodeURIComponent(page.url().split('#')[1]);
  assert.match(link, /data=faithful/);
  assert.match(link, /&k=5&hidden=8,8&/);
  assert.match(link, /noise_x=0\.1&noise_y=0\.15/);
  // Beside it, the same network with K = 1 (a heteroscedastic Gaussian).
  assert.match(link, /&compare=k=1$/);
  assert.equal(await page.textContent('#compare-title'), 'B: k=1');
  assert.equal(await page.isDisabled('#truth-on'), true, 'no truth to show');
  assert.equal(await page.isChecked('#truth-on'), false);
  assert.match(await page.textContent('#loss-level'), /kernel density estimate's validation NLL.*no known best/);
  const m = await page.evaluate(() => window.mdn.step(300));
  await page.waitForFunction(() => /^B at step 300:/.test(document.getElementById('compare-status').textContent));
  await page.waitForFunction(() => window.mdn.drawn());
  const status = await page.textContent('#status');
  assert.match(status, /B \(k=1\): MDN −?[0-9.]+ at step 300/);
  const kernel = Number(/kernel estimate (-?[0-9.]+)/.exec(status)?.[1]);
  assert.ok(Number.isFinite(kernel), status);
  assert.ok(await inked(page, 'loss') > 0.01);
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', link, '--every', '300'], { cwd: root, encoding: 'utf8' });
  const finals = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.cv);
  const [last, lastB] = ['A', 'B'].map((side) => finals.find((l) => l.side === side));
  for (const k of ['val_nll', 'train_nll', 'baseline_val_nll']) assert.equal(m[k], last[k], k);
  assert.ok(status.includes(`B (k=1): MDN ${lastB.val_nll.toFixed(3).replace('-', '−')} at step 300`), status);
  // The page's held-out fifth is the first of mdn train's five folds.
  assert.ok(Math.abs(last.cv.kernel.fold_nll[0] - kernel) < 5e-4, `${last.cv.kernel.fold_nll[0]} against the page's ${kernel}`);
  await page.screenshot({ path: screenshotPath('faithful-1280.png') });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the motorcycle data in a link: its story and a kernel estimate', async () => {
  const { page, log } = await open(browser, `${server.url}#data=mcycle&k=3&hidden=8,8&steps=200&noise_x=0.1&noise_y=0.15`);
  await ready(page);
  assert.match(await page.textContent('#datanote'), /133 accelerations.*Apache-2\.0 licence/);
  await page.evaluate(() => window.mdn.step(200));
  await page.waitForFunction(() => window.mdn.drawn());
  assert.match(await page.textContent('#status'), /MSE regressor -?[0-9.]+, kernel estimate -?[0-9.]+ nats/);
  assert.deepEqual(log.errors, []);
  await page.close();
});
