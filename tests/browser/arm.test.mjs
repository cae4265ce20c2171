// Two outputs in headless Chromium: the robot arm's views (pick a target by click and
// drag, the arms and the density drawn), sampling, exact share links for arm
// experiments, and the refusal of models with more than two outputs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, screenshotPath, ready, ink, settled } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');



const ARM = '#data=arm&n=2000&seed=1&k=6&hidden=16,16&lr=0.02&steps=1500';

test('robot arm: click and drag a target; the arms, their misses and the density are drawn', async () => {
  for (const [name, width, height] of [['desktop', 1280, 1000], ['phone-360', 360, 900]]) {
    const { page, log } = await open(browser, server.url + ARM, { width, height });
    await ready(page);
    assert.equal(await page.isVisible('.plane-plot'), true);
    assert.equal(await page.isVisible('.main-plot'), false, 'the 1-D plot is hidden for two outputs');
    assert.match(await page.textContent('#outputs'), /30 numbers: 6 mixing logits \+ 12 means \+ 12 scales/);
    const m = await page.evaluate(() => window.mdn.step(1500));
    assert.ok(m.mdn_fk_error * 5 <= m.baseline_fk_error, `misses: MDN ${m.mdn_fk_error}, MSE ${m.baseline_fk_error}`);
    assert.match(await page.textContent('#status'), /end effector misses by: MDN 0\.0\d\d, MSE 0\.0\d\d/);
    // Click on the left and on the right of the input plane: the target follows.
    const box = await page.locator('#in-live').boundingBox();
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.4);
    const t1 = await page.evaluate(() => window.mdn.target());
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.4);
    const t2 = await page.evaluate(() => window.mdn.target());
    assert.ok(t2[0] > t1[0] + 0.1 && Math.abs(t2[1] - t1[1]) < 0.02, `click: ${t1} then ${t2}`);
    // Drag: the target moves with the pointer while the button is down.
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.5, { steps: 5 });
    const t3 = await page.evaluate(() => window.mdn.target());
    await page.mouse.up();
    assert.ok(t3[1] < t2[1] - 0.05, `drag down: ${t2} then ${t3}`);
    // Keyboard: the arrows move it too.
    await page.focus('#instack');
    await page.keyboard.press('ArrowUp');
    const t4 = await page.evaluate(() => window.mdn.target());
    assert.ok(t4[1] > t3[1], `ArrowUp: ${t3} then ${t4}`);
    // At a target with two solutions: the MSE arm misses, the component arms do not,
    // and they bend both ways.
    await page.evaluate(() => window.mdn.target([0.78, 0.53]));
    await settled(page);
    const r = await page.evaluate(() => window.mdn.targetReport());
    const mse = r.arms.find((a) => a.component == null);
    const comps = r.arms.filter((a) => a.component != null);
    assert.ok(mse.miss > 0.02, `MSE arm misses by ${mse.miss}`);
    assert.ok(comps.length >= 2, `${comps.length} component arms`);
    assert.ok(comps.some((a) => a.theta[1] < Math.PI) && comps.some((a) => a.theta[1] > Math.PI), 'elbow up and down');
    for (const a of comps.filter((a) => a.pi > 0.2)) assert.ok(a.miss < 0.02, `component ${a.component} misses by ${a.miss}`);
    // The list beside the plot says the same, one line per arm.
    const items = await page.$$eval('#targetreport li', (l) => l.map((e) => e.textContent));
    assert.equal(items.filter((t) => /misses the target by/.test(t)).length, r.arms.length);
    // Drawn: arms (near-black MSE arm) on the live layer, the density on the output plane.
    const arms = await ink(page, 'in-live');
    assert.ok(arms.black > 200, `MSE arm pixels: ${arms.black}`);
    const heat = await ink(page, 'out-heat');
    assert.ok(heat.any > 0.3 * heat.total, 'the output-plane heatmap is drawn');
    // Sampling: points over the density and sampled arms, and the mode.
    await page.evaluate(() => window.mdn.setSampling({ tempPi: 1, tempSigma: 1, n: 300, mode: true }));
    await settled(page);
    const rs = await page.evaluate(() => window.mdn.targetReport());
    assert.equal(rs.samples, 300);
    assert.equal(rs.mode.length, 2);
    await page.screenshot({ path: screenshotPath(`arm-${name}.png`), fullPage: true });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), true, `${name}: horizontal scroll`);
    assert.deepEqual(log.errors, [], name);
    assert.deepEqual(log.foreign, [], name);
    await page.close();
  }
});

test('an arm share link with a full covariance reproduces exactly: a fresh load, and mdn train', async () => {
  const spec = '#data=arm&n=600&seed=4&k=3&hidden=12&cov=full&lr=0.02&batch=100&steps=200';
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const { page, log } = await open(browser, server.url + spec);
    await ready(page);
    assert.match(await page.textContent('#outputs'), /18 numbers: 3 mixing logits \+ 6 means \+ 9 Cholesky entries \(6 on the diagonal, the scales; 3 below it/);
    runs.push(await page.evaluate(() => window.mdn.step(200)));
    assert.deepEqual(log.errors, []);
    await page.close();
  }
  assert.deepEqual(runs[0], runs[1]);
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', server.url + spec, '--every', '1000'], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(out.trim().split('\n').pop());
  for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_mse', 'mdn_fk_error', 'baseline_fk_error']) {
    assert.equal(runs[0][k], cli[k], `${k}: page ${runs[0][k]} vs mdn train ${cli[k]}`);
  }
});

test('a model with three outputs is refused with a clear message; the page keeps working', async () => {
  const row = (n) => Array.from({ length: n }, (_, i) => 0.1 * (i + 1));
  const model = {
    format: 'mdn-playground-model', version: 1, spec: 'data=bishop-inverse&k=1&hidden=',
    input_dim: 1, output_dim: 3, input_mean: [0], input_std: [1],
    mdn: { activation: 'tanh', layers: [{ inputs: 1, outputs: 7, weights: [row(7)], bias: row(7) }], head: { components: 1, sigma_map: 'exp', sigma_min: 0.01 } },
    baseline: { activation: 'tanh', layers: [{ inputs: 1, outputs: 3, weights: [row(3)], bias: row(3) }], sigma: [1, 1, 1] },
  };
  const { page, log } = await open(browser, server.url);
  await ready(page);
  await page.setInputFiles('#loadmodel', { name: 'd3.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
  await page.waitForFunction(() => document.getElementById('fileerror').textContent.length > 0);
  assert.match(await page.textContent('#fileerror'), /^Not loaded: this model has 1 input and 3 output dimensions; the page shows models with at most 2/);
  assert.match(await page.evaluate(() => window.mdn.spec()), /^data=bishop-inverse&n=8000/);
  await page.evaluate(() => window.mdn.step(10));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the view travels in the link: target and sampling; hostile view values are clamped', async () => {
  const base = '#data=arm&n=600&seed=1&k=4&hidden=12&steps=100';
  const { page, log } = await open(browser, server.url + base + '&target=0.6,0.5&tpi=0.5&tsigma=2&samples=300&mode=1', { width: 1280, height: 900 });
  await ready(page);
  const t = await page.evaluate(() => window.mdn.target());
  assert.ok(Math.abs(t[0] - 0.6) < 1e-12 && Math.abs(t[1] - 0.5) < 1e-12, `${t}`);
  assert.equal(await page.inputValue('#samp-tpi'), '0.5');
  assert.equal(await page.inputValue('#samp-ts'), '2');
  assert.equal(await page.inputValue('#samp-n'), '300');
  assert.equal(await page.isChecked('#samp-mode'), true);
  const r = await page.evaluate(() => window.mdn.targetReport());
  assert.equal(r.samples, 300);
  // Moving the target rewrites the link; a fresh load of it shows the same view.
  await page.evaluate(() => window.mdn.target([0.7, 0.45]));
  const link = page.url();
  assert.match(link, /&target=0\.7,0\.45&tpi=0\.5&tsigma=2&samples=300&mode=1$/);
  const p2 = await browser.newPage();
  await p2.goto(link);
  await ready(p2);
  assert.deepEqual(await p2.evaluate(() => window.mdn.target()), [0.7, 0.45]);
  await p2.close();
  // Hostile or out-of-range view values: clamped, defaulted, never a NaN.
  const { page: p3, log: log3 } = await open(browser, server.url + base + '&target=abc,1e308&tpi=NaN&tsigma=-5&samples=99999&mode=<b>x</b>');
  await ready(p3);
  const t3 = await p3.evaluate(() => window.mdn.target());
  assert.ok(t3.every(Number.isFinite) && t3[1] <= 1.1, `${t3}`);
  assert.equal(await p3.inputValue('#samp-tpi'), '1');
  assert.equal(await p3.inputValue('#samp-ts'), '0');
  assert.equal(await p3.inputValue('#samp-n'), '1000');
  assert.equal(await p3.isChecked('#samp-mode'), false);
  assert.deepEqual(await p3.$$eval('b', (e) => e.length), 0);
  assert.deepEqual(log3.errors, []);
  assert.deepEqual(log.errors, []);
  await p3.close();
  await page.close();
});
