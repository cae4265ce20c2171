// What the main plot shows a student: the slice's x₀ on the plot, following the pointer
// and the keyboard; a colour scale that stays put over training (scale=fixed) unless the
// link asks for one that follows the model (scale=auto).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, settled } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const lineLeft = (page) => page.evaluate(() => {
  const l = document.getElementById('x0-line');
  return l.hidden ? null : l.getBoundingClientRect().left;
});

test('the slice\'s x₀ is a line on the main plot that follows the pointer and the keys', async () => {
  const { page, log } = await open(browser, `${server.url}#n=400&k=3&hidden=8`);
  await ready(page);
  await settled(page);
  const start = await lineLeft(page);
  assert.ok(start !== null, 'drawn beside a shown slice');
  await page.focus('#stack');
  await page.keyboard.press('ArrowRight');
  const right = await lineLeft(page);
  assert.ok(right > start, `→ moves it right (${start} → ${right})`);
  const box = await page.locator('#stack').boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  const left = await lineLeft(page);
  assert.ok(Math.abs(left - (box.x + box.width * 0.25)) < 3, `under the pointer (${left} vs ${box.x + box.width * 0.25})`);
  // The arm's data have no slice: no line.
  await page.evaluate(() => { location.hash = '#data=arm&n=300'; });
  await page.waitForFunction(() => document.getElementById('x0-line').hidden);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the colour scale is fixed by default, with whole-number ticks named on the bar; scale=auto follows the model', async () => {
  const ticks = (svg) => [...svg.matchAll(/<text[^>]*>\s*(−?-?\d+(?:\.\d+)?)\s*<\/text>/g)].map((m) => m[1]);
  const fixed = await open(browser, `${server.url}#n=400&k=3&hidden=8&seed=2`);
  await ready(fixed.page);
  const before = await fixed.page.evaluate(() => window.mdn.svg('main'));
  await fixed.page.evaluate(() => window.mdn.step(200));
  const after = await fixed.page.evaluate(() => window.mdn.svg('main'));
  assert.match(before, />\s*fixed\s*</, 'the bar says the scale is fixed');
  // The same colour bar before and after training: the scale does not move with the model.
  const barOf = (svg) => ticks(svg).slice(-5);
  assert.deepEqual(barOf(before), barOf(after));
  for (const t of barOf(after)) assert.match(t, /^−?-?\d+$/, `whole-number tick ${t}`);
  const auto = await open(browser, `${server.url}#n=400&k=3&hidden=8&seed=2&scale=auto`);
  await ready(auto.page);
  const a0 = await auto.page.evaluate(() => window.mdn.svg('main'));
  await auto.page.evaluate(() => window.mdn.step(200));
  const a1 = await auto.page.evaluate(() => window.mdn.svg('main'));
  assert.match(a0, />\s*auto\s*</);
  assert.notDeepEqual(barOf(a0), barOf(a1), 'auto follows the densest cell as the model sharpens');
  assert.match(await auto.page.evaluate(() => location.hash), /scale=auto/);
  assert.deepEqual(fixed.log.errors, []);
  assert.deepEqual(auto.log.errors, []);
  await fixed.page.close();
  await auto.page.close();
});

test('pressing Play moves nothing: the plot stays where it was, on a desktop and a phone', async () => {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { page, log } = await open(browser, `${server.url}#steps=100000`, { width, height });
    await ready(page);
    await settled(page);
    const top = () => page.evaluate(() => document.getElementById('stack').getBoundingClientRect().top);
    const before = await top();
    await page.click('#play');
    // Training has written its longest status line (steps a second and the NLLs).
    await page.waitForFunction(() => /steps\/s/.test(document.getElementById('status').textContent) && /step [1-9]\d{2,}/.test(document.getElementById('status').textContent), null, { timeout: 120_000 });
    assert.equal(await top(), before, `${width}×${height}: the plot moved when training started`);
    await page.click('#play');
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

/** The box of an element, in the page's viewport. */
const boxOf = (page, id) => page.evaluate((i) => {
  const b = document.getElementById(i).getBoundingClientRect();
  return { top: b.top, bottom: b.bottom, left: b.left, right: b.right };
}, id);

test('one screen at 1280×800: the main plot, the slice and the controls a student needs in view; on a phone the plot first', async () => {
  const { page, log } = await open(browser, `${server.url}#n=400&k=3&hidden=8`, { width: 1280, height: 800 });
  await ready(page);
  await settled(page);
  for (const id of ['stack', 'slice', 'play', 'stepbtn', 'reset', 'speed', 'spec-data', 'spec-k', 'spec-lr', 'spec-steps']) {
    const b = await boxOf(page, id);
    assert.ok(b.top >= 0 && b.bottom <= 800 && b.left >= 0 && b.right <= 1280, `${id} in view at 1280×800: ${JSON.stringify(b)}`);
  }
  const [plot, slice] = [await boxOf(page, 'stack'), await boxOf(page, 'slice')];
  assert.ok(slice.left >= plot.right && slice.top < plot.bottom, 'the slice beside the plot');
  // The rest of the form behind "All settings", with plain labels and the key in small type.
  assert.equal(await page.isVisible('#spec-sigma_min'), false);
  await page.click('#all-settings > summary');
  assert.equal(await page.isVisible('#spec-sigma_min'), true);
  assert.match(await page.textContent('label:has(#spec-sigma_min) .key-name'), /^σ floorsigma_min$/);
  // The tour box beside the plot, the plot where it was.
  await page.evaluate(() => { location.hash = '#tour=3'; });
  await page.waitForFunction(() => !document.getElementById('tour').hidden);
  const tour = await boxOf(page, 'tour');
  const plot2 = await boxOf(page, 'stack');
  assert.ok(tour.left >= plot2.right && tour.bottom <= 800, `the tour beside the plot: ${JSON.stringify(tour)}`);
  assert.equal(plot2.top, plot.top, 'opening the tour moves the plot nowhere');
  assert.deepEqual(log.errors, []);
  await page.close();
  const phone = await open(browser, `${server.url}#n=400&k=3&hidden=8`, { width: 390, height: 844 });
  await ready(phone.page);
  const p = await boxOf(phone.page, 'stack');
  const s = await boxOf(phone.page, 'slice');
  assert.ok(p.bottom <= 844, `the whole plot above the fold on a phone: ${JSON.stringify(p)}`);
  assert.ok(s.top >= p.bottom, 'the slice under it');
  assert.deepEqual(phone.log.errors, []);
  await phone.page.close();
});

/** Pixels of a canvas within 40 of `rgb` in every channel. */
async function near(page, id, rgb) {
  return page.evaluate(([id, rgb]) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && rgb.every((v, j) => Math.abs(d[i + j] - v) < 40)) n++;
    }
    return n;
  }, [id, rgb]);
}
const TRUTH_GREEN = [100, 206, 167];

test('the truth: dashed on the slice, its 90% region outlined on the heatmap; truth=off hides both', async () => {
  const { page, log } = await open(browser, `${server.url}#n=400&k=3&hidden=8&data=ring`);
  await ready(page);
  await settled(page);
  assert.equal(await page.isChecked('#truth-on'), true);
  assert.match(await page.evaluate(() => window.mdn.svg('slice')), /true density/);
  assert.match(await page.evaluate(() => window.mdn.svg('main')), /true 90% region/);
  const outlined = await near(page, 'points', TRUTH_GREEN);
  assert.ok(outlined > 200, `the outline's pixels on the heatmap: ${outlined}`);
  await page.uncheck('#truth-on');
  await page.waitForFunction(() => /truth=off/.test(location.hash));
  await settled(page);
  assert.doesNotMatch(await page.evaluate(() => window.mdn.svg('slice')), /true density/);
  assert.doesNotMatch(await page.evaluate(() => window.mdn.svg('main')), /true 90% region/);
  assert.ok((await near(page, 'points', TRUTH_GREEN)) < outlined / 10, 'the outline is gone');
  // The link keeps the choice.
  await page.reload();
  await ready(page);
  assert.equal(await page.isChecked('#truth-on'), false);
  // Rain: its dry days' probability is a dashed bar beside the wet days' density.
  await page.evaluate(() => { location.hash = '#n=400&k=3&hidden=8&data=rain&truth=on'; });
  await page.waitForFunction(() => /true P\(y = 0\)/.test(window.mdn.svg('slice')));
  // The arm: its two exact poses ringed on the output plane.
  await page.evaluate(() => { location.hash = '#n=300&k=3&hidden=8&data=arm'; });
  await page.waitForFunction(() => /true poses/.test(window.mdn.svg('planes')));
  // Your own points have no known truth: the toggle says so.
  const pts = 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i / 30},${(i % 3) / 3}`).join('\n');
  await page.evaluate((p) => window.mdn.usePoints(p), pts);
  await page.waitForFunction(() => document.getElementById('truth-on').disabled);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the arm: a target away from the data says so; one on the data does not', async () => {
  const { page, log } = await open(browser, `${server.url}#data=arm&n=300&hidden=8`);
  await ready(page);
  await settled(page);
  assert.doesNotMatch(await page.textContent('#targetreport'), /outside the training data/);
  await page.evaluate(() => { location.hash = '#data=arm&n=300&hidden=8&target=0.1,0.1'; });
  await page.waitForFunction(() => /outside the training data/.test(document.getElementById('targetreport').textContent));
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a small set of your own points starts with settings that suit it, and the page says so', async () => {
  const { page, log } = await open(browser, `${server.url}#seed=2`);
  await ready(page);
  // 60 points on Bishop's curve (a fixed sequence, no randomness).
  let u = 0.5;
  const rows = Array.from({ length: 60 }, (_, i) => {
    u = (u * 9301 + 49297 + i) % 233280 / 233280;
    const t = (i + 0.5) / 60;
    return `${t + 0.3 * Math.sin(2 * Math.PI * t) + 0.2 * (u - 0.5)},${t}`;
  });
  await page.evaluate((csv) => window.mdn.usePoints(csv), 'x,y\n' + rows.join('\n'));
  await page.waitForFunction(() => /are few for the defaults/.test(document.getElementById('dataerror').textContent));
  const hash = await page.evaluate(() => location.hash);
  for (const kv of ['k=3', 'hidden=8,8', 'steps=2000', 'noise_x=0.1']) assert.ok(hash.includes(kv), `${kv} in ${hash}`);
  assert.match(await page.textContent('#datanote'), /60 points are few/);
  // Trained, it generalises (the defaults gave a validation NLL of about +6 here).
  await page.evaluate(() => window.mdn.step(2000));
  const m = await page.evaluate(() => window.mdn.metrics());
  assert.ok(m.val_nll < 1, `validation NLL ${m.val_nll}`);
  // A K of the link's own is kept, and the note says what it trains with.
  await page.evaluate(() => { location.hash = location.hash.replace('k=3', 'k=5'); });
  await page.waitForFunction(() => /train with K = 5, hidden layers 8,8/.test(document.getElementById('datanote').textContent));
  // Without the noise the note no longer describes the run: it goes.
  await page.evaluate(() => { location.hash = location.hash.replace(/noise_[xy]=[^&]*&?/g, ''); });
  await page.waitForFunction(() => !/are few/.test(document.getElementById('datanote').textContent));
  assert.deepEqual(log.errors, []);
  await page.close();
});
