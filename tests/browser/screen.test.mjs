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
