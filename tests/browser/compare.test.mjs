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
