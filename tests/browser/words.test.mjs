// The plots in words, for a reader who cannot see them: the slice's peaks and where the
// MSE prediction falls, the main plot's branches, the loss panel's readings, the robot
// arm's poses, read as a screen reader reads the page (its accessibility tree); and each
// figure's numbers as a table.
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

/** Figure `figure`'s table as {caption, head, rows} of text. */
const readTable = (page, figure) => page.$eval(`details[data-figure="${figure}"] table`, (t) => ({
  caption: t.caption?.textContent,
  head: [...t.tHead.rows[0].cells].map((c) => c.textContent),
  rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
}));
const minus = (v, d = 3) => v.toFixed(d).replace('-', '−');

test('each figure\'s numbers as a table: the slice\'s components, the loss readings, the branches, the parameters over x, the calibration', async () => {
  const { page, log } = await open(browser, `${server.url}#n=2000&k=3&steps=600`);
  await ready(page);
  await page.evaluate(() => window.mdn.step(600));
  await page.waitForFunction(() => window.mdn.drawn());
  for (const figure of ['main', 'slice', 'loss', 'params', 'calibration']) await page.click(`details[data-figure="${figure}"] summary`);
  // Each table is filled when its <details> opens (the toggle event comes after the click).
  await page.waitForFunction(() => ['main', 'slice', 'loss', 'params'].every((f) => document.querySelector(`details[data-figure="${f}"] tbody`)?.rows.length > 0));
  const read = (figure) => readTable(page, figure);
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
  // The parameters at 11 inputs: at each, the listed π (those ≥ 0.01) add up to about 1.
  const params = await read('params');
  assert.deepEqual(params.head, ['x', 'component', 'weight π', 'mean μ', 'scale σ']);
  const byX = new Map();
  for (const r of params.rows) byX.set(r[0], [...(byX.get(r[0]) ?? []), r]);
  assert.equal(byX.size, 11);
  for (const [x, rows] of byX) {
    const sum = rows.reduce((a, r) => a + Number(r[2]), 0);
    assert.ok(sum > 0.97 && sum < 1.002, `π at x = ${x} add up to ${sum}`); // three π rounded to 0.001
  }
  // The calibration's coverages, as its report has them.
  const cal = await page.evaluate(() => window.mdn.calibrationFresh());
  await page.waitForFunction(() => document.querySelector('details[data-figure="calibration"] tbody')?.rows.length > 0);
  const calTable = await read('calibration');
  assert.match(calTable.caption, /^At step 600: the share of the \d+ validation outcomes/);
  assert.deepEqual(calTable.head.slice(0, 3), ['nominal mass', 'MDN: central', 'MDN: HPD']);
  const at90 = calTable.rows.find((r) => r[0] === '90.0%');
  const want = cal.mdn.central.find((p) => p[0] === 0.9)[1];
  assert.ok(Math.abs(parseFloat(at90[1]) - 100 * want) <= 0.05 + 1e-9, `${at90[1]} against ${want}`);
  // The loss panel in words: the latest reading, as its table and the metrics have it.
  await page.waitForFunction(() => /^At step 600,/.test(document.getElementById('loss-words').textContent));
  const lossSaid = await page.textContent('#loss-words');
  assert.match(lossSaid, new RegExp(`^At step 600, validation NLL in nats per point: the MDN ${minus(m.val_nll)}, the MSE regressor ${minus(m.baseline_val_nll)}; the best possible −?\\d\\.\\d{3}, the MDN \\d\\.\\d{3} above it\\. The MDN's NLL has (fallen by \\d\\.\\d{3}|risen by \\d\\.\\d{3}|stayed level) since step \\d+\\.`));
  assert.match(await page.locator('.loss-plot').ariaSnapshot(), /img "Loss curves"/);
  assert.equal(await page.$eval('#loss', (c) => c.getAttribute('aria-describedby')), 'loss-words');
  // The slice's table follows x₀.
  await page.focus('#stack');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /x₀ = 0\.47/.test(document.querySelector('details[data-figure="slice"] caption').textContent));
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the robot arm in words: each likely pose, elbow up and elbow down, and where the hands land; its table; the target moved by keyboard is said at once', async () => {
  const { page, log } = await open(browser, `${server.url}#data=arm&steps=1500`);
  await ready(page);
  await page.evaluate(() => window.mdn.step(1500));
  await page.waitForFunction(() => window.mdn.drawn());
  await page.waitForFunction(() => /elbow up/.test(document.getElementById('pose-words').textContent), null, { timeout: 30_000 });
  const said = await page.textContent('#pose-words');
  assert.match(said, /^Target \(0\.780, 0\.530\)\. 2 likely poses: elbow (up|down), component \d+ with weight 0\.\d\d, θ = \([^)]*\), its hand 0\.0\d\d from the target; elbow (up|down), /);
  assert.match(said, /elbow down/);
  assert.match(said, /The MSE regressor's angles θ = \([^)]*\) put the hand 0\.\d{3} from it/);
  assert.match(await page.locator('.plane-plot').ariaSnapshot(), /img "The inputs of the data[^"]*"/);
  assert.equal(await page.$eval('#in-live', (c) => c.getAttribute('aria-describedby')), 'pose-words');
  // The same numbers as the list beside the views, as a table.
  await page.click('details[data-figure="planes"] summary');
  await page.waitForFunction(() => document.querySelector('details[data-figure="planes"] tbody')?.rows.length > 0);
  const t = await readTable(page, 'planes');
  assert.deepEqual(t.head, ['pose', 'weight π', 'θ1', 'θ2', 'bend', "hand's miss"]);
  const report = await page.evaluate(() => window.mdn.targetReport());
  assert.equal(t.rows.length, report.arms.length);
  const mse = t.rows.find((r) => r[0] === 'MSE regressor');
  assert.equal(mse[5], minus(report.arms.find((a) => a.component == null).miss, 4));
  // The target moved with the keyboard: the words follow at once.
  await page.focus('#instack');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((was) => {
    const now = document.getElementById('pose-words').textContent;
    return now !== was && now.startsWith('Target (0.7');
  }, said);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});
