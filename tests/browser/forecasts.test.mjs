// Intervals on the plots (central and HPD, main plot, slice, 2-D contour), and
// the calibration panel, whose numbers equal mdn train's final line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, ready, screenshotPath, settled } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Pixels of canvas `id` close to an RGB colour. */
const near = (page, id, rgb) => page.evaluate(([id, rgb]) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 200 && Math.abs(d[i] - rgb[0]) < 12 && Math.abs(d[i + 1] - rgb[1]) < 12 && Math.abs(d[i + 2] - rgb[2]) < 12) n++;
  }
  return n;
}, [id, rgb]);

test('the 90% intervals: central and HPD over the heatmap and on the slice, stated in words; the link keeps the toggle', async () => {
  const { page, log } = await open(browser, server.url + '#steps=2000', { width: 1280, height: 900 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(2000));
  assert.equal(await near(page, 'curves', [255, 110, 199]), 0, 'off by default');
  await page.check('#intervals-on');
  await settled(page);
  assert.match(page.url(), /intervals=1/);
  assert.ok((await near(page, 'curves', [255, 110, 199])) > 200, 'the central interval\'s dashes');
  const said = await page.textContent('#slice-intervals');
  assert.match(said, /^At x₀ = 0\.500: 90% central interval \[0\.\d{3}, 0\.\d{3}\]: length 0\.\d{3}\. 90% HPD region: 3 pieces of total length 0\.\d{3} \(mass 0\.900\)\.$/);
  const [central, hpd] = said.match(/length (0\.\d{3})/g).map((s) => Number(s.slice(7)));
  assert.ok(hpd < central, `HPD ${hpd} shorter than central ${central}`);
  assert.equal(await page.$eval('#intervals-text', (e) => e.hidden), false, 'the teaching text');
  const svg = await page.evaluate(() => window.mdn.svg('main'));
  assert.ok(svg.includes('#FF6EC7') || svg.includes('#ff6ec7'), 'the SVG has the intervals too');
  await page.locator('.main-plot').screenshot({ path: screenshotPath('intervals-main.png') });
  // A fresh load of the link draws them.
  await page.reload();
  await ready(page);
  assert.equal(await page.isChecked('#intervals-on'), true);
  // Two outputs: the HPD contour on the output plane.
  await page.goto(server.url + '#data=arm&n=2000&steps=800&intervals=1');
  await page.reload();
  await ready(page);
  await page.evaluate(() => window.mdn.step(800));
  await settled(page);
  assert.ok((await near(page, 'out-heat', [255, 255, 255])) > 20, 'the contour');
  assert.equal(await page.$eval('.calibration', (e) => e.hidden), true, 'no calibration for two outputs');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the calibration panel scores the validation set while the page is idle; its numbers equal mdn train\'s', async () => {
  const spec = '#n=2000&k=5&steps=600&seed=3';
  const { page, log } = await open(browser, server.url + spec, { width: 1280, height: 900 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(600));
  const t0 = Date.now();
  const r = await page.evaluate(() => window.mdn.calibrationFresh());
  const ms = Date.now() - t0;
  const out = execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'mdn', '--', 'train', spec.slice(1)], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(out.trim().split('\n').pop());
  assert.equal(r.mdn.crps, cli.val_crps);
  assert.equal(r.baseline.crps, cli.baseline_val_crps);
  assert.equal(r.truth.crps, cli.bayes_val_crps);
  assert.deepEqual(r.mdn.pit_hist, cli.val_pit_hist);
  assert.deepEqual(r.baseline.pit_hist, cli.baseline_val_pit_hist);
  assert.deepEqual({ central: r.mdn.central, hpd: r.mdn.hpd }, cli.val_coverage);
  assert.deepEqual({ central: r.truth.central, hpd: r.truth.hpd }, cli.bayes_val_coverage);
  assert.equal(r.mdn.n, 10000);
  await page.waitForFunction(() => /^At step 600,/.test(document.getElementById('cal-text').textContent));
  const text = await page.textContent('#cal-text');
  assert.match(text, /^At step 600, on 10000 validation points\. MDN: CRPS 0\.\d{4}, NLL −?\d\.\d{3} nats; 90% regions hold \d+\.\d% \(central\) and \d+\.\d% \(HPD\) of the outcomes\. MSE regressor: .* Truth: /);
  const inked = await page.evaluate(() => {
    const c = document.getElementById('cal-plot');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
    return n / (c.width * c.height);
  });
  assert.ok(inked > 0.05, `the panel is drawn (${inked})`);
  const svg = await page.evaluate(() => window.mdn.svg('calibration'));
  assert.match(svg, /^<svg/);
  await page.locator('.calibration').screenshot({ path: screenshotPath('calibration.png') });
  console.log(`calibration of 10000 validation points in the page: ${ms} ms (while idle, a few ms per frame)`);
  assert.deepEqual(log.errors, []);
  await page.close();
});
