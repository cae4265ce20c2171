// Exercises with a goal (goal=): the task above the plot, "Done" with the numbers, and
// mdn:goal to the host page; the README's course page with three exercises, run as it is
// written, reads each result back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import { serve, launch, open, ready, screenshotPath, axe } from './harness.mjs';

let server, host, browser;
let hostPage = '';
before(async () => {
  server = await serve();
  browser = await launch();
  host = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hostPage));
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => host?.close(r));
});

test('goal=: the task, Done with the numbers once met, and bad goals refused with a reason', async () => {
  const { page, log } = await open(browser, `${server.url}#n=400&k=3&hidden=8&steps=300&batch=100&goal=step%3E%3D100,val_nll%3C0.5`);
  await ready(page);
  assert.equal(await page.isVisible('#goal'), true);
  assert.equal(await page.textContent('#goal-task'), 'Train until the steps trained is at least 100, and the MDN\'s validation NLL (nats per point) is below 0.5.');
  assert.equal(await page.textContent('#goal-done'), '', 'not at step 0');
  const m = await page.evaluate(() => window.mdn.step(100));
  await page.waitForFunction(() => document.getElementById('goal-done').textContent !== '');
  const nll = m.val_nll.toFixed(3).replace(/0+$/, '').replace('-', '−');
  assert.equal(await page.textContent('#goal-done'), `Done at step 100: step = 100, val_nll = ${nll}.`);
  assert.match(page.url(), /goal=step%3E%3D100%2Cval_nll%3C0\.5/);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: screenshotPath('goal-1280.png') });
  for (const [goal, said] of [['loss%3C1', /"loss" is not a measure/], ['val_nll', /has no comparison/], ['val_nll%3Cabc', /"abc" is not a number/]]) {
    await page.goto(`${server.url}#goal=${goal}`);
    await page.waitForFunction((s) => new RegExp(s).test(document.getElementById('issues').textContent), said.source);
    assert.equal(await page.isVisible('#goal'), false);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

test("the README's course page: three exercises, each result read back by the host", async () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = readme.split('<!-- example: course page -->')[1].split('```html\n')[1].split('```')[0];
  hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title></head><body><h1>Course</h1>${example.replaceAll('https://example.org/mdn/', server.url)}</body></html>`;
  const page = await browser.newPage({ viewport: { width: 700, height: 1400 } });
  await page.goto(`http://127.0.0.1:${host.address().port}/`);
  const frames = await Promise.all((await page.$$('iframe.ex')).map((f) => f.contentFrame()));
  for (const f of frames) await f.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  assert.match(await frames[0].textContent('#goal-task'), /outputs 30 numbers/);
  assert.match(await frames[1].textContent('#goal-task'), /K = 1.*which loss/);
  assert.deepEqual(await page.$$eval('#results li', (l) => l.map((x) => x.textContent)), [], 'nothing done yet');
  // Exercise 1: K = 10 gives 10 logits, 10 means and 10 scales.
  await frames[0].fill('#spec-k', '10');
  await frames[0].dispatchEvent('#spec-k', 'change');
  await page.waitForFunction(() => document.querySelectorAll('#results li').length === 1, null, { timeout: 60_000 });
  // Exercises 2 and 3: trained to their planned steps.
  await frames[1].evaluate(() => window.mdn.step(300));
  await frames[2].evaluate(() => window.mdn.step(400));
  await page.waitForFunction(() => document.querySelectorAll('#results li').length === 3, null, { timeout: 120_000 });
  const results = (await page.$$eval('#results li', (l) => l.map((x) => x.textContent))).sort();
  assert.match(results[0], /^Exercise 1 \(outputs\): Done at step 0: outputs = 30\.$/);
  assert.match(results[1], /^Exercise 2 \(k1\): Done at step 300: k = 1, step = 300, beat = 0\.\d+\.$/);
  assert.match(results[2], /^Exercise 3 \(val_nll<-0\.5\): Done at step \d+: val_nll = −\d\.\d+\.$/);
  await page.screenshot({ path: screenshotPath('goal-course-page.png'), fullPage: true });
  await page.close();
});

test('the embed builder offers the exercise and keeps the comparison', async () => {
  const { page, log } = await open(browser, `${server.url}#k=3&n=500&steps=300&compare=k%3D1`, { width: 1280, height: 900 });
  await ready(page);
  await page.click('#embedcode');
  const before = Number(await page.inputValue('#builder-h'));
  await page.fill('#builder-goal', 'val_nll<-1.0');
  await page.waitForFunction(() => /goal=val_nll%3C-1"/.test(document.getElementById("builder-code").value));
  const code = await page.$eval('#builder-code', (t) => t.value);
  assert.match(code, /&amp;compare=k%3D1&amp;/, 'the second experiment goes with it');
  assert.ok(Number(await page.inputValue('#builder-h')) > before, 'room for the exercise');
  await page.waitForFunction(() => /goal=val_nll/.test(document.getElementById('builder-frame').src));
  const frame = page.frameLocator('#builder-frame');
  await frame.locator('#goal-task').waitFor();
  assert.match(await frame.locator('#goal-task').textContent(), /validation NLL \(nats per point\) is below −1/);
  await page.fill('#builder-goal', 'loss<1');
  await page.waitForFunction(() => /"loss" is not a measure/.test(document.getElementById('builder-issues').textContent));
  assert.deepEqual(log.errors, []);
  await page.close();
});
