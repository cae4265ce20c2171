// A gap in the training data and an ensemble in a link: the page says what each does
// here, trains with the gap, and its numbers are those of `mdn train` on the same link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, ready } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const LINK = 'n=400&hidden=8&k=3&steps=40&batch=100&ensemble=3&gap=0.35,0.55';

test('a gap and an ensemble in a link: the page says what they do, and trains member 1 with the bits of mdn train', async () => {
  const { page, log } = await open(browser, `${server.url}#${LINK}`);
  await ready(page);
  const note = await page.textContent('#datanote');
  assert.match(note, /No training point has x from 0\.35 to 0\.55 \(gap=\)/);
  assert.match(note, /ensemble=3: the page trains and shows member 1 only/);
  assert.match(page.url(), /&ensemble=3&gap=0\.35,0\.55/);
  assert.deepEqual(await page.$$eval('#issues li', (e) => e.map((x) => x.textContent)), []);
  // The form shows both keys; a wrong gap gets its message and is dropped.
  assert.equal(await page.inputValue('#spec-gap'), '0.35,0.55');
  assert.equal(await page.inputValue('#spec-ensemble'), '3');
  const m = await page.evaluate(() => window.mdn.step(40));
  const root = path.resolve(import.meta.dirname, '../..');
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', LINK, '--every', '40'], { cwd: root, encoding: 'utf8' });
  const last = JSON.parse(out.trim().split('\n').at(-1));
  for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_mse']) assert.equal(m[k], last[k], `${k}: member 1 is the single run of the link`);
  assert.equal(last.members_val_nll.length, 3);
  assert.equal(last.members_val_nll[0], last.val_nll);
  await page.goto(`${server.url}#gap=0.5`);
  await page.waitForFunction(() => document.querySelectorAll('#issues li').length > 0);
  assert.match(await page.textContent('#issues'), /gap: two different numbers/);
  assert.doesNotMatch(page.url(), /gap=/);
  assert.deepEqual(log.errors, []);
  await page.close();
});
