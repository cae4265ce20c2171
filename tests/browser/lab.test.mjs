// The pathology lab in headless Chromium: the presets are links that load their
// experiment, the diagnostics and alarms show what went wrong, and a run that blows up
// stops with a message — never a NaN on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, screenshotPath, ready, inked } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });


test('a preset link loads its experiment; the collapse shows in the alarms, the fix clears it', async () => {
  const { page, log } = await open(browser, server.url, { width: 1280, height: 900 });
  await ready(page);
  const links = await page.$$eval('#lab li', (l) => l.map((e) => e.dataset.preset));
  assert.deepEqual(links, ['collapse', 'dead', 'one', 'stretched', 'blowup']);
  await page.click('#lab li[data-preset="collapse"] > a:first-child');
  await page.waitForFunction(() => /&n=30&/.test(window.mdn.spec()));
  await ready(page);
  assert.equal(await page.inputValue('#spec-sigma_min'), '0');
  const bad = await page.evaluate(() => window.mdn.step(3000));
  assert.ok(bad.alarms.some((a) => a.startsWith('variance collapse')), JSON.stringify(bad.alarms));
  await page.waitForFunction(() => /variance collapse/.test(document.getElementById('alarms').textContent));
  assert.match(await page.textContent('#diag'), /Components: \d+ of 12 in use/);
  await page.screenshot({ path: screenshotPath('lab-collapse.png'), fullPage: true });
  // The fix: noise regularization.
  await page.click('#lab li[data-preset="collapse"] a:nth-of-type(2)');
  await page.waitForFunction(() => /noise_x=0.2/.test(window.mdn.spec()));
  await ready(page);
  const good = await page.evaluate(() => window.mdn.step(3000));
  assert.ok(!good.alarms.some((a) => a.startsWith('variance collapse')), JSON.stringify(good.alarms));
  assert.ok(good.val_nll < 0, `${good.val_nll}`);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a run that blows up stops, says why, and shows no NaN; play goes on after a fix', async () => {
  const { page, log } = await open(browser, server.url + '#opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500');
  await ready(page);
  await page.click('#play');
  await page.waitForFunction(() => /halted/.test(document.getElementById('alarms').textContent), null, { timeout: 20_000 });
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false', 'paused');
  const text = await page.textContent('body');
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN or Infinity on the page');
  const m = await page.evaluate(() => window.mdn.metrics());
  assert.ok(m.step < 100 && Number.isFinite(m.val_nll), JSON.stringify(m));
  assert.match(m.halted, /not a finite number|overflow/);
  // The plot is still drawn from the last finite state.
  const drawn = await inked(page);
  assert.ok(drawn > 0.3, `heatmap drawn: ${drawn}`);
  await page.screenshot({ path: screenshotPath('lab-halted.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a K sweep runs on a pool of workers, shows its progress, matches mdn sweep exactly, and is plotted', async () => {
  const spec = 'n=1000&hidden=20&steps=1500&lr=0.02&batch=all';
  // Four cores: three sweep workers (one per core but one).
  const { page, log } = await open(browser, server.url + '#' + spec, { width: 1280, height: 900, cores: 4 });
  await ready(page);
  await page.click('#play');
  await page.evaluate(() => window.mdn.resetStats());
  const started = Date.now();
  const report = await page.evaluate(async () => {
    const seen = [];
    const look = setInterval(() => seen.push([document.getElementById('sweep-progress').value, document.getElementById('sweep-left').textContent]), 20);
    const r = await window.mdn.sweep({ kMax: 4, seeds: 2 });
    clearInterval(look);
    window.__seen = seen;
    return r;
  });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(report.rows.length, 8);
  // Training paused for the sweep; the bar moved forward and a time left was shown.
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  const seen = await page.evaluate(() => window.__seen);
  const values = seen.map(([v]) => v);
  assert.ok(values.some((v) => v > 0.1 && v < 0.9), `the bar in between: ${values.slice(0, 50)}`);
  assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1] - 1e-12), 'the bar never goes back');
  assert.ok(seen.some(([, t]) => /^about \d+ s left$/.test(t)), JSON.stringify(seen.slice(-5)));
  assert.equal(await page.isHidden('#sweep-progress'), true, 'the bar goes once the sweep is done');
  // (The sweep runs in workers: a figure, not a test, of the page meanwhile.)
  const stats = await page.evaluate(() => window.mdn.stats());
  console.log(`a ${seconds} s sweep: slowest draw ${stats.maxMainMs} ms`);
  assert.match(await page.textContent('#sweep-status'), /8 of 8 runs trained \(3 workers\)\. Lowest BIC at K = \d, lowest validation NLL at K = \d\. P \(the MDN's weights and biases\) = \d+ at K = 1, \d+ more per component\./);
  assert.equal(await page.isVisible('#sweep-plot'), true);
  const root = path.resolve(import.meta.dirname, '../..');
  const cli = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'sweep', spec, '--k', '1..4', '--seeds', '2'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  assert.deepEqual(report.rows, cli.rows, 'page and CLI sweeps agree to the bit');
  assert.equal(report.chosen_by_bic, cli.chosen_by_bic);
  // Its numbers as a table: a row per K, the means of mdn sweep's summary, the chosen K marked.
  await page.click('#sweep-numbers summary');
  await page.waitForFunction(() => document.querySelectorAll('#sweep-numbers tbody tr').length === 4);
  const rows = await page.$$eval('#sweep-numbers tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => Number(r[0])), [1, 2, 3, 4]);
  for (const [i, s] of cli.summary.entries()) {
    assert.equal(rows[i][1], String(s.params));
    assert.ok(rows[i][2].startsWith(s.val_nll_mean.toFixed(3).replace('-', '−')), `${rows[i][2]} against ${s.val_nll_mean}`);
  }
  assert.match(rows[cli.chosen_by_bic - 1][4], /\(lowest\)$/);
  await page.locator('#sweep-plot').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('lab-sweep.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});
