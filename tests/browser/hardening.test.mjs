// In the page: each finding of the adversarial review, kept fixed. Every page
// here also watches its text for NaN, Infinity, null and undefined (harness.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, inked, assertFinite, screenshotPath, settled } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SMALL = '#n=300&hidden=8&k=3&steps=400&batch=all';

/** CSV of n points on two wavy branches. */
function wave(n) {
  let csv = 'x,y\n';
  for (let i = 0; i < n; i++) csv += `${i / n},${(Math.sin(6 * i / n) + (i % 2 ? 0.4 : -0.4)).toFixed(6)}\n`;
  return csv;
}

const specN = (page) => page.evaluate(() => Number(/(?:^|&)n=(\d+)/.exec(window.mdn.spec())[1]));
const storedCount = (page) => page.evaluate(() => (localStorage.getItem('mdn-playground-points') ?? '').trim().split('\n').length - 1);

/** `p`, or a rejection after `ms`: a guard against a hang, not a speed test. */
function within(ms, p, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

test('9.1 a model file whose outputs overflow is refused; a trap restarts the engine, never a dead page', async () => {
  const { page, log } = await open(browser, server.url + SMALL);
  await ready(page);
  await page.evaluate(() => window.mdn.step(50));
  const good = await page.evaluate(() => window.mdn.modelJson());
  const v = JSON.parse(good);
  let i = 0;
  for (const layer of v.mdn.layers) {
    layer.weights = layer.weights.map((row) => row.map(() => (i++ % 2 ? 1e38 : -1e38)));
    layer.bias = layer.bias.map(() => 1e38);
  }
  await page.evaluate((t) => window.mdn.loadModel(t), JSON.stringify(v));
  const msg = await page.textContent('#fileerror');
  assert.match(msg, /Not loaded: .*not finite numbers.*too large/, msg);
  // The page goes on, and a good file still loads.
  await page.evaluate((t) => window.mdn.loadModel(t), good);
  assert.equal(await page.textContent('#fileerror'), '');
  assertFinite(await page.evaluate(() => window.mdn.step(20)), 'metrics');
  // A trap (as a bug in the engine would cause): a fresh engine, the experiment rebuilt.
  await within(30_000, page.evaluate(() => window.mdn.trapForTest()), 'recovery');
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /engine stopped .* restarted/.test(t)), issues.join('\n'));
  const m = await page.evaluate(() => window.mdn.step(30));
  assertFinite(m, 'metrics after recovery');
  assert.equal(m.step, 30);
  await settled(page);
  assert.ok((await inked(page)) > 0.3, 'the plot is drawn again');
  // The same in the training worker: a new worker takes the experiment on.
  await within(30_000, page.evaluate(() => window.mdn.trapForTest({ worker: true })), 'worker recovery');
  const w = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(w.some((t) => /training engine stopped .* restarted/.test(t)), w.join('\n'));
  const m3 = await page.evaluate(() => window.mdn.step(25));
  assertFinite(m3, 'metrics after the worker was restarted');
  assert.equal(m3.step, 25);
  assert.deepEqual(log.errors.filter((e) => !/debug_trap|unreachable|RuntimeError/.test(e)), []);
  await page.close();
});

test('9.2 drawing starts from every one of your points; a link never replaces your saved set', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url + SMALL);
  await ready(page);
  for (const [n, train] of [[1000, 800], [40, 32]]) {
    await page.evaluate((csv) => window.mdn.usePoints(csv), wave(n));
    assert.equal(await specN(page), train);
    await page.check('#draw-on');
    const box = await page.locator('#points').boundingBox();
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
    await page.waitForFunction((want) => /data=custom&n=(\d+)/.exec(window.mdn.spec())?.[1] === String(want), n + 1 - Math.floor((n + 1) / 5));
    assert.equal(await storedCount(page), n + 1, `${n} points and one click`);
    await page.uncheck('#draw-on');
    await page.reload();
    await ready(page);
    assert.equal(await specN(page), n + 1 - Math.floor((n + 1) / 5), 'after a reload');
  }
  // Someone else's link with 15 points: your 41 stay saved, and are offered back.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(server.url + SMALL);
  await ready(p2);
  await p2.evaluate((csv) => window.mdn.usePoints(csv), wave(15));
  const link = p2.url();
  await other.close();
  await page.goto(link);
  await ready(page);
  assert.equal(await specN(page), 12);
  assert.equal(await storedCount(page), 41, 'the saved set is kept');
  assert.match(await page.textContent('#restorepts'), /Your saved set of 41 points is kept/);
  await page.click('#restorepts-use');
  await page.waitForFunction(() => /data=custom&n=33&/.test(window.mdn.spec()));
  // Pasting a new set keeps the one it replaces, offered back too.
  await page.evaluate((csv) => window.mdn.usePoints(csv), wave(100));
  assert.match(await page.textContent('#restorepts'), /Your previous set of 41 points/);
  // data=Custom in any case takes the saved points.
  await page.goto(server.url + '#data=Custom&k=3&hidden=8');
  await ready(page);
  assert.equal(await specN(page), 80);
  await page.screenshot({ path: screenshotPath('hardening-points.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('9.3 a run that blows up shows finite numbers: no NaN, null or dash in the status', async () => {
  const { page, log } = await open(browser, server.url + '#data=rain&opt=sgd&lr=1&momentum=0.999&sigma_min=0&n=200&act=relu&play=1');
  await ready(page);
  await page.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'false' && /halted/.test(document.getElementById('alarms').textContent), null, { timeout: 30_000 });
  const m = await page.evaluate(() => window.mdn.metrics());
  assertFinite(m, 'metrics');
  assert.match(m.halted, /rolled back to step/);
  const status = await page.textContent('#status');
  assert.match(status, /validation NLL: MDN −?\d+\.\d{3}, MSE regressor −?\d+\.\d{3} nats/, status);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('9.4 a sweep with a blow-up settles and names K; play, reset or a new spec stop a sweep and say so', async () => {
  const { page, log } = await open(browser, server.url + '#opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=300');
  await ready(page);
  const r = await within(120_000, page.evaluate(() => window.mdn.sweep({ kMax: 2, seeds: 1 })), 'sweep');
  assert.ok(Number.isInteger(r.chosen_by_bic) && Number.isInteger(r.chosen_by_val_nll), JSON.stringify(r));
  assert.match(await page.textContent('#sweep-status'), /Lowest BIC at K = \d/);
  assert.equal(await page.isDisabled('#sweep-run'), false);
  for (const [what, act] of [
    ['training started', () => page.click('#play')],
    ['the experiment changed', () => page.click('#reset')],
    ['the experiment changed', () => page.evaluate(() => { location.hash = '#n=300&hidden=8&k=2&steps=50000'; })],
  ]) {
    await page.evaluate(() => { window.__sweep = window.mdn.sweep({ kMax: 8, seeds: 3 }).then(() => 'done', (e) => e.message); });
    await page.waitForFunction(() => /runs trained/.test(document.getElementById('sweep-status').textContent));
    await act();
    const outcome = await within(20_000, page.evaluate(() => window.__sweep), what);
    assert.equal(outcome, what);
    assert.equal(await page.textContent('#sweep-status'), `Stopped: ${what}.`);
    assert.equal(await page.isHidden('#sweep-cancel'), true);
    assert.equal(await page.isDisabled('#sweep-run'), false);
    if (await page.getAttribute('#play', 'aria-pressed') === 'true') await page.click('#play');
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('9.8 pause, reset and cancel act within a step, however long the step', async () => {
  // All in range: one full-batch step of this network takes many seconds.
  const HUGE = '#hidden=256,256,256,256&k=30&n=50000&batch=all';
  const { page, log } = await open(browser, server.url + HUGE);
  await ready(page);
  const figures = {};
  await page.click('#play');
  await page.waitForTimeout(1000);
  let t = Date.now();
  await page.click('#play'); // pause
  const m = await within(60_000, page.evaluate(() => window.mdn.metrics()), 'pause');
  figures.pauseAndFreshMetricsMs = Date.now() - t;
  assert.equal(m.step, 0, 'paused in the middle of the first step, not after it');
  // Reset while a step is under way.
  await page.click('#play');
  await page.waitForTimeout(1000);
  t = Date.now();
  await page.click('#reset');
  const m2 = await within(60_000, page.evaluate(() => window.mdn.metrics()), 'reset');
  figures.resetAndFreshMetricsMs = Date.now() - t;
  assert.equal(m2.step, 0);
  // Cancel a sweep of this network.
  await page.evaluate(() => { window.__sweep = window.mdn.sweep({ kMax: 2, seeds: 1 }).then(() => 'done', (e) => e.message); });
  await page.waitForTimeout(1000);
  t = Date.now();
  await page.click('#sweep-cancel');
  assert.equal(await within(30_000, page.evaluate(() => window.__sweep), 'cancel'), 'cancelled');
  figures.cancelMs = Date.now() - t;
  assert.equal(await page.textContent('#sweep-status'), 'Cancelled.');
  console.log('responsiveness with a step of many seconds:', JSON.stringify(figures));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('9.5, 9.12, 9.13: whole numbers, a damaged points link, repeated keys, CSV drops by reason', async () => {
  const { page, log } = await open(browser, server.url + '#n=1e3&k=3.0&steps=1e2&seed=1.0&hidden=8.0');
  await ready(page);
  assert.equal(await page.$$eval('#issues li', (e) => e.length), 0);
  assert.match(await page.evaluate(() => window.mdn.spec()), /^data=bishop-inverse&n=1000&seed=1&k=3&hidden=8&.*&steps=100&/);
  // CSV: a byte-order mark, NaN and infinity lines counted.
  await page.evaluate(() => window.mdn.usePoints('\uFEFFx,y\n' + Array.from({ length: 30 }, (_, i) => `${i / 30},${i % 3}`).join('\n') + '\nNaN,1\n0.5,Infinity\n1,2,3\n'));
  const msg = await page.textContent('#dataerror');
  assert.match(msg, /30 points with 2 columns/);
  assert.match(msg, /3 lines were dropped: 2 with a value that is not a finite number \(nan or inf\), 1 with 3 values where the first point had 2/, msg);
  // One character changed in the points: refused with the reason, not other points.
  const spec = await page.evaluate(() => window.mdn.spec());
  const at = spec.indexOf('pts=z2.') + 20;
  const damaged = spec.slice(0, at) + (spec[at] === 'A' ? 'B' : 'A') + spec.slice(at + 1);
  await page.evaluate((h) => { location.hash = '#' + h; }, damaged);
  await page.waitForFunction(() => document.querySelectorAll('#issues li').length > 0);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /^pts: damaged/.test(t)), issues.join('\n'));
  // A key given many times: one message, with the value in use.
  await page.evaluate(() => { location.hash = '#' + 'k=1&'.repeat(300) + 'k=2&n=300&hidden=8'; });
  await page.waitForFunction(() => /k=2&/.test(window.mdn.spec()));
  const rep = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.deepEqual(rep, ['k: given 301 times; using the last value, 2'], rep.join('\n'));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('small things said, not silent: an embed of panels the data cannot show, a tour step over other data, calibration of two outputs', async () => {
  const { page, log } = await open(browser, server.url + '#data=bishop-inverse&n=500&embed=1&panels=inputs,outputs', { width: 640, height: 400 });
  await ready(page);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /panels: inputs, outputs are for data with two outputs/.test(t)), issues.join('\n'));
  assert.ok((await inked(page)) > 0.3, 'the main plot instead of an empty embed');
  assert.deepEqual(log.errors, []);
  await page.close();
  // (Fresh pages: a link's canonical form, written back at once, no longer holds what
  // was refused.)
  const tour = await open(browser, server.url + '#tour=7&data=ring&n=500');
  await ready(tour.page);
  assert.equal(await tour.page.$eval('#tour', (e) => e.hidden), true, 'the arm\'s step is not shown over the ring');
  assert.ok((await tour.page.$$eval('#issues li', (e) => e.map((x) => x.textContent))).some((t) => /tour=7: this step is about data=arm/.test(t)));
  assert.deepEqual(tour.log.errors, []);
  await tour.page.close();
  const arm = await open(browser, server.url + '#data=arm&n=300&steps=20');
  await ready(arm.page);
  assert.equal(await arm.page.evaluate(() => window.mdn.calibrationFresh()), undefined, 'two outputs: no calibration, said at once');
  assert.deepEqual(arm.log.errors, []);
  await arm.page.close();
});
