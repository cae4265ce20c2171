// The component families in headless Chromium: each family trains in the page with the
// bits of `mdn train`, its control and teaching text show, rain is compared on one
// measure, the wind is drawn on a circle, and a family a data set cannot take is
// refused with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, screenshotPath, ready, inked } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');

test('every family trains in the page with the bits of mdn train, and says what it is for', { timeout: 240_000 }, async () => {
  for (const [spec, family, note] of [
    ['data=rain&family=hurdle', 'hurdle', /point mass at exactly zero/],
    ['data=wind&family=vonmises', 'vonmises', /density on the circle/],
    ['data=regimes&family=student&nu=3', 'student', /heavy tails/],
    ['data=arm&family=laplace', 'laplace', /Laplace components/],
  ]) {
    const link = `#${spec}&n=500&k=3&hidden=10&batch=100&steps=150`;
    const { page, log } = await open(browser, server.url + link);
    await ready(page);
    assert.equal(await page.inputValue('#spec-family'), family);
    assert.match(await page.textContent('#familynote'), note);
    const m = await page.evaluate(() => window.mdn.step(150));
    const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', link.slice(1), '--every', '1000'], { cwd: root, encoding: 'utf8' });
    const cli = JSON.parse(out.trim().split('\n').pop());
    for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_mse']) {
      assert.equal(m[k], cli[k], `${spec} ${k}: page ${m[k]} vs mdn train ${cli[k]}`);
    }
    if (family === 'hurdle') {
      assert.deepEqual(m.point_mass, cli.point_mass);
      await page.waitForFunction(() => /on one measure/.test(document.getElementById('status').textContent));
    }
    const body = await page.textContent('body');
    assert.ok(!/NaN|Infinity/.test(body), `${spec}: no NaN on the page`);
    if (family !== 'laplace') assert.ok(await inked(page) > 0.3, `${spec}: heatmap drawn`);
    await page.screenshot({ path: screenshotPath(`family-${family}.png`), fullPage: true });
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

test('the family is a control; a family the data cannot take is refused with a message', { timeout: 120_000 }, async () => {
  const { page, log } = await open(browser, server.url + '#n=300&k=2&hidden=6');
  await ready(page);
  assert.equal(await page.inputValue('#spec-family'), 'gaussian');
  assert.ok(!/family=/.test(await page.evaluate(() => window.mdn.spec())), 'a Gaussian link has no family key');
  await page.click('#all-settings > summary'); // the family is among all the settings
  await page.selectOption('#spec-family', 'student');
  await page.waitForFunction(() => /family=student&nu=4/.test(window.mdn.spec()));
  await ready(page);
  assert.match(await page.textContent('#familynote'), /Student-t/);
  await page.goto(server.url + '#data=ring&family=hurdle&n=300');
  await ready(page);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /family=hurdle needs one output that is never negative/.test(t)), issues.join('\n'));
  assert.equal(await page.inputValue('#spec-family'), 'gaussian');
  assert.deepEqual(log.errors, []);
  await page.close();
});
