// The built page loads the wasm engine in headless Chromium, trains, and reports metrics;
// hostile hashes are shown as text, never run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, screenshotPath, inked } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/sub/path/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function ready(page) {
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready, null, { timeout: 60_000 });
  return page.$eval('#status', (e) => e.dataset.ready);
}

test('the page loads the engine from a sub-path, trains, and shows metrics', async () => {
  const { page, log } = await open(browser, server.url + '#n=300&hidden=8&k=3&steps=200');
  assert.equal(await ready(page), '1');
  await page.evaluate(() => window.mdn.step(200));
  const text = await page.textContent('#status');
  assert.match(text, /validation NLL: MDN −?\d+\.\d{3}, MSE regressor −?\d+\.\d{3} nats/);
  const m = await page.evaluate(() => window.mdn.metrics());
  for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_mse', 'baseline_val_nll']) assert.ok(k in m, k);
  assert.equal(m.step, 200);
  assert.ok(Number.isFinite(m.val_nll) && m.val_nll < m.baseline_val_nll + 1);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.foreign, []);
  await page.screenshot({ path: screenshotPath('smoke-desktop.png') });
});

test('hostile hashes are reported as escaped text and never execute', async () => {
  const hashes = [
    '#data=<script>window.__pwned=1</script>',
    '#k=<img src=x onerror="window.__pwned=1">',
    '#"><svg onload=window.__pwned=1>=1',
    '#n=-5&lr=NaN&hidden=999999,0&%zz=%',
    '#' + 'k=1&'.repeat(5000),
  ];
  for (const h of hashes) {
    const { page, log } = await open(browser, server.url + h);
    assert.equal(await ready(page), '1', h);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, h);
    assert.deepEqual(log.dialogs, [], h);
    assert.equal(await page.$$eval('#issues img, #issues svg, #issues script', (e) => e.length), 0, h);
    const items = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
    assert.ok(items.length > 0, `no message for ${h}`);
    // Not a blank page: the plot is drawn.
    const drawn = await inked(page);
    assert.ok(drawn > 0.3, `${h}: the plot is blank`);
    assert.deepEqual(log.errors, [], h);
    await page.close();
  }
});
