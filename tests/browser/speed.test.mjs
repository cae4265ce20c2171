// Play's pace (`speed=`): the selector and the link agree; Play keeps to the pace; the
// numbers at a step are the same at any speed, and a step is never paced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SPEC = 'n=400&k=3&hidden=8&batch=50&seed=5&steps=90';
const stepOf = (page) => page.evaluate(() => Number(/step (\d+)/.exec(document.getElementById('status').textContent)?.[1] ?? 0));

test('the speed selector writes speed= into the link, and a link sets it', async () => {
  const { page, log } = await open(browser, `${server.url}#${SPEC}`);
  await ready(page);
  assert.equal(await page.inputValue('#speed'), 'normal', 'the default');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /speed=/, 'the default is not written');
  await page.selectOption('#speed', 'slow');
  await page.waitForFunction(() => /&speed=slow/.test(location.hash));
  // A link that changes only the speed keeps the experiment and its step.
  await page.evaluate(() => window.mdn.step(10));
  await page.evaluate(() => { location.hash = location.hash.replace('speed=slow', 'speed=max'); });
  await page.waitForFunction(() => document.getElementById('speed').value === 'max');
  assert.equal(await stepOf(page), 10);
  // A bad value: a message, and the default.
  await page.evaluate(() => { location.hash = '#n=400&speed=warp'; });
  await page.waitForFunction(() => /speed: 'warp' is not one of normal \| slow \| fast \| max/.test(document.getElementById('issues').textContent));
  assert.equal(await page.inputValue('#speed'), 'normal');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('Play keeps to its pace, and the numbers at a step are those of a step at full speed', async () => {
  // Slow: 40 steps a second. A busy machine only trains slower, so an upper bound on the
  // steps per second of wall clock holds on any machine.
  const { page, log } = await open(browser, `${server.url}#${SPEC}&speed=slow`);
  await ready(page);
  const t0 = await page.evaluate(() => performance.now());
  await page.click('#play');
  await page.waitForFunction(() => /planned steps done/.test(document.getElementById('status').textContent), null, { timeout: 120_000 });
  const seconds = (await page.evaluate(() => performance.now()) - t0) / 1000;
  assert.ok(90 <= 40 * seconds + 10 + 2, `90 steps in ${seconds.toFixed(2)} s at 40 steps/s`);
  const played = await page.evaluate(() => window.mdn.metrics());
  const curve = await page.evaluate(() => window.mdn.lossHistory());
  // The same link at full speed, by steps.
  const fast = await open(browser, `${server.url}#${SPEC}&speed=max`);
  await ready(fast.page);
  await fast.page.evaluate(() => window.mdn.step(90));
  const stepped = await fast.page.evaluate(() => window.mdn.metrics());
  assert.equal(stepped.step, 90);
  for (const key of ['train_nll', 'val_nll', 'baseline_val_nll']) assert.equal(played[key], stepped[key], key);
  assert.equal(curve, await fast.page.evaluate(() => window.mdn.lossHistory()), 'the same loss curves');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(fast.log.errors, []);
  await page.close();
  await fast.page.close();
});

test('a step is never paced: Step trains at the engine\'s speed at speed=slow', async () => {
  const { page, log } = await open(browser, `${server.url}#${SPEC}&steps=100000&speed=slow`);
  await ready(page);
  // 2,000 steps at 40 a second would take 50 s; stepped they are done at once (the wait
  // is generous: this checks that no pace applies, not how fast the machine is).
  const t0 = Date.now();
  await page.evaluate(() => window.mdn.step(2000));
  assert.equal(await stepOf(page), 2000);
  assert.ok(Date.now() - t0 < 49_000, "not paced (paced, 2,000 steps take at least 49.75 s)");
  assert.deepEqual(log.errors, []);
  await page.close();
});
