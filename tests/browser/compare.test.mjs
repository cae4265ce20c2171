// A link with a second experiment (compare=): the page keeps it in the link it writes
// (so the link given to `mdn train` trains both) and says what it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('compare= stays in the link and the page says what it shows; a bad change gets its message', async () => {
  const { page, log } = await open(browser, `${server.url}#k=3&n=500&compare=k%3D1`);
  await ready(page);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.equal(issues.length, 1, String(issues));
  assert.match(issues[0], /compare=: this page shows the first experiment only; `mdn train` with this link trains both/);
  assert.match(page.url(), /&compare=k%3D1$/);
  await page.goto(`${server.url}#k=3&compare=seed%3D2`);
  await page.waitForFunction(() => /seed cannot change/.test(document.getElementById('issues').textContent));
  assert.doesNotMatch(page.url(), /compare=/);
  assert.deepEqual(log.errors, []);
  await page.close();
});
