// For teachers: the embed builder, the host-page API (postMessage, from another
// origin), the guided tour, SVG figures and print, dark mode, and axe-core's
// accessibility rules on every page shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import { serve, launch, open, ready, inked, screenshotPath, assertFinite, settled, axe, AXE_RULES } from './harness.mjs';

let server, host, browser;
let hostPage = '';
before(async () => {
  server = await serve('/');
  host = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hostPage));
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => host?.close(r));
});


/** Waits until `check()` (which may ask the page) is true, asking every 200 ms. */
async function until(check, what = 'a state that never came') {
  for (let i = 0; i < 1500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`waited five minutes for ${what}`);
}

const ticked = (page, group) => page.$$eval(`#builder input[data-group="${group}"]:checked`, (els) => els.map((e) => e.value));

test('the embed builder: panels, controls, caption and size, a live preview, code that reproduces the experiment', async () => {
  const { page, log } = await open(browser, server.url + '#k=4&n=500&steps=300&seed=7', { width: 1280, height: 900 });
  await ready(page);
  await page.click('#embedcode');
  assert.equal(await page.$eval('#builder', (d) => d.open), true, 'the builder opens');
  assert.deepEqual(await ticked(page, 'panel'), ['main']);
  await page.uncheck('#builder input[value="main"]');
  await page.check('#builder input[value="slice"]');
  await page.check('#builder input[value="loss"]');
  await page.check('#builder input[data-group="control"][value="k"]');
  await page.check('#builder input[data-group="control"][value="sigma_min"]');
  const caption = 'Move K: <img src=x onerror="window.hacked=1"> & see "both" peaks';
  await page.fill('#builder-caption', caption);
  await page.fill('#builder-w', '560');
  await page.fill('#builder-h', '99999');
  const code = await page.$eval('#builder-code', (t) => t.value);
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#[^"<>]*&amp;embed=1&amp;panels=slice,loss&amp;controls=k,sigma_min&amp;caption=Move%20K%3A%20%3Cimg/);
  assert.match(code, /[#;]n=500&amp;seed=7&amp;k=4&amp;/, 'the experiment');
  assert.match(code, /width="560" height="2000"/, 'the height clamped');
  assert.match(code, /title="MDN Playground: Move K: &lt;img src=x onerror=&quot;window\.hacked=1&quot;&gt; &amp; see &quot;both&quot; peaks"/);
  // The preview is the snippet's iframe: the chosen panels and fields, the caption as text.
  await page.waitForFunction(() => /caption=Move/.test(document.getElementById('builder-frame').src));
  const frame = page.frameLocator('#builder-frame');
  await frame.locator('#status[data-ready="1"]').waitFor({ timeout: 60_000 });
  assert.equal(await frame.locator('#caption').textContent(), caption);
  assert.equal(await frame.locator('#caption img').count(), 0, 'never HTML');
  const panels = await frame.locator('#embed-shape > [data-panel]:visible').evaluateAll((els) => els.map((e) => e.dataset.panel));
  assert.deepEqual(panels, ['slice', 'loss']);
  const fields = await frame.locator('#spec label:visible select, #spec label:visible input').evaluateAll((els) => els.map((e) => e.name));
  assert.deepEqual(fields, ['k', 'sigma_min']);
  assert.equal(await frame.locator('#spec-k').inputValue(), '4', 'the same experiment');
  assert.deepEqual(await axe(page), [], 'the builder, open');
  await page.screenshot({ path: screenshotPath('builder.png') });
  // The snippet, pasted into a page of another origin, runs the same experiment.
  hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title></head><body><h1>Pasted</h1>${code}</body></html>`;
  const pasted = await browser.newPage();
  await pasted.goto(`http://127.0.0.1:${host.address().port}/`);
  const f = await (await pasted.$('iframe')).contentFrame();
  await f.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  assert.equal(await f.evaluate(() => window.mdn.spec()), await page.evaluate(() => window.mdn.spec()));
  assert.equal(await pasted.evaluate(() => window.hacked), undefined);
  await pasted.close();
  await page.click('#builder-close');
  assert.equal(await page.$eval('#builder', (d) => d.open), false);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** A host page from another origin with one embed; `window.heard` collects its events. */
async function hostWith(link) {
  hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title></head><body>
<h1>An exercise</h1><iframe id="e" src="${server.url}${link}" width="640" height="400" title="Exercise"></iframe>
<script>window.heard = []; addEventListener('message', (e) => { if (e.source === document.getElementById('e').contentWindow) heard.push(e.data); });
window.send = (m) => document.getElementById('e').contentWindow.postMessage(m, '*');</script></body></html>`;
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${host.address().port}/`);
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:ready'), null, { timeout: 60_000 });
  const frame = await (await page.$('#e')).contentFrame();
  return { page, frame, errors };
}

const heard = (page, type) => page.evaluate((t) => window.heard.filter((m) => m.type === t), type);
const clearHeard = (page) => page.evaluate(() => { window.heard.length = 0; });

test('a host page drives an embed with postMessage and hears ready, metrics and halted', async () => {
  const { page, frame, errors } = await hostWith('#n=500&k=3&steps=100000&embed=1');
  const [ready0] = await heard(page, 'mdn:ready');
  assert.match(ready0.spec, /n=500/);
  // step n, then metrics: the answer is the state after exactly n steps.
  await page.evaluate(() => window.send({ type: 'mdn:step', n: 40 }));
  await frame.waitForFunction(() => window.mdn && document.getElementById('status').textContent.startsWith('step 40 '));
  await page.evaluate(() => window.send({ type: 'mdn:metrics' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:metrics'));
  const [m] = await heard(page, 'mdn:metrics');
  assert.equal(m.step, 40);
  assertFinite(m.metrics, 'metrics');
  // play: fresh metrics as they come (each with its own step); pause: no more.
  await clearHeard(page);
  await page.evaluate(() => window.send({ type: 'mdn:play' }));
  await page.waitForFunction(() => window.heard.filter((m) => m.type === 'mdn:metrics').length >= 3, null, { timeout: 120_000 });
  await page.evaluate(() => window.send({ type: 'mdn:pause' }));
  const during = await heard(page, 'mdn:metrics');
  assert.ok(during.at(-1).step > during[0].step, 'the steps advance');
  for (const e of during) assert.equal(e.step, e.metrics.step, 'an event\'s step is its metrics\' step');
  // Once the pause has reached the training worker (a metrics command is answered after
  // it), the embed is quiet.
  await page.evaluate(() => window.send({ type: 'mdn:metrics' }));
  await page.waitForFunction((n) => window.heard.filter((m) => m.type === 'mdn:metrics').length > n, during.length);
  const [paused] = (await heard(page, 'mdn:metrics')).slice(-1);
  await clearHeard(page);
  // A second round trip through the worker: only its answer comes, at the same step.
  await page.evaluate(() => window.send({ type: 'mdn:metrics' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:metrics'));
  const quiet = await heard(page, 'mdn:metrics');
  assert.equal(quiet.length, 1, 'paused: quiet but for the answer');
  assert.equal(quiet[0].step, paused.step, 'paused: no step taken');
  // spec: a new experiment, the embed keeps its shape.
  await page.evaluate(() => window.send({ type: 'mdn:spec', spec: 'k=2&n=300&steps=50' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:ready' && /k=2&/.test(m.spec)));
  assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
  // reset: back to step 0.
  await page.evaluate(() => window.send({ type: 'mdn:step', n: 10 }));
  await frame.waitForFunction(() => document.getElementById('status').textContent.startsWith('step 10 '));
  await page.evaluate(() => window.send({ type: 'mdn:reset' }));
  await frame.waitForFunction(() => document.getElementById('status').textContent.startsWith('step 0 '));
  // Hostile or wrong messages: a clear error back, nothing run, nothing inserted.
  await clearHeard(page);
  const bad = [
    'play',
    { type: 'mdn:launch' },
    { type: 'mdn:step', n: 'lots' },
    { type: 'mdn:step', n: 2.5 },
    { type: 'mdn:spec', spec: 'k=<img src=x onerror=window.hacked=1>&n=abc' },
    { type: 'mdn:spec' },
    { type: 'mdn:spec', spec: 'x'.repeat(70_000) },
    { type: 'mdn:step', n: 1e300 },
    { type: 'mdn:pause' }, // (the million steps 1e300 was taken as stop at once)
  ];
  for (const msg of bad) await page.evaluate((m) => window.send(m), msg);
  // Commands are carried out in order: once a metrics command is answered, all were read.
  await page.evaluate(() => window.send({ type: 'mdn:metrics' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:metrics'));
  const errs = (await heard(page, 'mdn:error')).map((e) => e.message);
  assert.ok(errs.some((e) => /must be an object/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => /unknown message type 'mdn:launch'/.test(e)), errs.join('\n'));
  assert.ok(errs.some((e) => /n must be a number/.test(e)));
  assert.ok(errs.some((e) => /n = 2\.5 taken as 3/.test(e)));
  assert.ok(errs.some((e) => /^k: /.test(e) && /^n: /m.test(errs.join('\n'))), errs.join('\n'));
  assert.ok(errs.some((e) => /"spec" must be a link's text/.test(e)));
  assert.ok(errs.some((e) => /at most 65536 bytes/.test(e)));
  assert.ok(errs.some((e) => e === 'mdn:step: n = 1e300 taken as 1000000 (a whole number from 1 to 1000000)'), errs.join('\n'));
  assert.equal(await frame.evaluate(() => window.hacked), undefined);
  assert.equal(await frame.evaluate(() => document.querySelectorAll('img').length), 0);
  // A message that does not come from the host page is not read.
  await clearHeard(page);
  await frame.evaluate(() => window.postMessage({ type: 'mdn:play' }, '*'));
  await page.evaluate(() => window.send({ type: 'mdn:metrics' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:metrics'));
  assert.equal(await frame.evaluate(() => document.getElementById('play').getAttribute('aria-pressed')), 'false');
  // halted: a run that blows up says so once.
  await page.evaluate(() => window.send({ type: 'mdn:spec', spec: 'opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:ready' && /opt=sgd/.test(m.spec)));
  await page.evaluate(() => window.send({ type: 'mdn:play' }));
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:halted'), null, { timeout: 120_000 });
  const halted = await heard(page, 'mdn:halted');
  assert.equal(halted.length, 1);
  assert.match(halted[0].reason, /not a finite number|not finite/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the README's example host page checks an exercise", async () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = readme.split('A small host page')[1].split('```html\n')[1].split('```')[0];
  hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Exercise</title></head><body><h1>Exercise</h1>${example.replace('https://example.org/mdn/', server.url)}</body></html>`;
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${host.address().port}/`);
  const frame = await (await page.$('#lab')).contentFrame();
  await frame.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  const send = (m) => page.evaluate((m) => document.getElementById('lab').contentWindow.postMessage(m, '*'), m);
  await send({ type: 'mdn:step', n: 2000 });
  await frame.waitForFunction(() => document.getElementById('status').textContent.startsWith('step 2000 '));
  // The host's own listener (registered first) has read the answer once ours hears it.
  await page.evaluate(() => { window.answers = 0; window.addEventListener('message', (e) => { if (e.data?.type === 'mdn:metrics') window.answers++; }); });
  await send({ type: 'mdn:metrics' });
  await page.waitForFunction(() => window.answers > 0);
  assert.equal(await page.textContent('#verdict'), 'Change K, then press play.', 'K = 1 does not solve it');
  await send({ type: 'mdn:spec', spec: 'k=3&n=2000&steps=2000' });
  await frame.waitForFunction(() => /k=3&/.test(window.mdn.spec()));
  await send({ type: 'mdn:step', n: 2000 });
  // Once the new experiment has trained its 2000 steps (the status line may still show
  // the old one's step 2000), the host asks for its metrics.
  await until(() => frame.evaluate(async () => /k=3&/.test(window.mdn.spec()) && (await window.mdn.metrics())?.step === 2000));
  await send({ type: 'mdn:metrics' });
  await page.waitForFunction(() => document.getElementById('verdict').textContent.startsWith('Solved at step 2000'));
  await page.close();
});

test('the guided tour: nine steps with links, what to look at, one thing to try, and "Done" when done', async () => {
  const { page, log } = await open(browser, server.url + '#', { width: 1280, height: 900 });
  await ready(page);
  await page.click('#tourbtn');
  await page.waitForFunction(() => !document.getElementById('tour').hidden);
  assert.match(await page.textContent('#tour-title'), /^Tour, step 1 of 9: The average is no answer$/);
  assert.deepEqual(await axe(page), [], 'tour step 1');
  const titles = [];
  for (let n = 1; n <= 9; n++) {
    await page.goto(server.url + `#tour=${n}`);
    await page.waitForFunction((n) => document.getElementById('tour-count')?.textContent === `${n} / 9`, n);
    await ready(page);
    titles.push(await page.textContent('#tour-title'));
    assert.ok((await page.textContent('#tour-look')).length > 80);
    assert.ok((await page.textContent('#tour-try')).length > 40);
    assert.deepEqual(await axe(page), [], `tour step ${n}`);
    if (n === 8) assert.equal(await page.isVisible('#ensemble'), true, 'the step about the ensemble shows its panel');
    if (n === 9) {
      assert.equal(await page.$eval('#tour-next', (a) => a.hidden), true);
      assert.match(await page.textContent('#loss-level'), /kernel density estimate/, 'the step about real data has its level');
    }
  }
  assert.equal(new Set(titles).size, 9);
  // Step 4: K = 1 (A) beside K = 3 (B). The page says "Done" once A has K ≥ 3 and its
  // NLL has fallen.
  await page.goto(server.url + '#tour=4');
  await page.waitForFunction(() => document.getElementById('tour-count')?.textContent === '4 / 9');
  await ready(page);
  assert.equal(await page.inputValue('#spec-k'), '1');
  assert.equal(await page.textContent('#compare-title'), 'B: k=3');
  assert.equal(await page.textContent('#main-title'), 'A: k=1');
  await page.fill('#spec-k', '5');
  await page.dispatchEvent('#spec-k', 'change');
  await page.waitForFunction(() => /k=5&/.test(window.mdn.spec()));
  assert.match(page.url(), /tour=4/, 'the step stays in the link');
  assert.match(page.url(), /compare=k%3D3/, 'and so does its comparison');
  assert.equal(await page.textContent('#tour-done'), '');
  await page.evaluate(() => window.mdn.step(2000));
  await page.waitForFunction(() => document.getElementById('tour-done').textContent.startsWith('Done: with K = 5'), null, { timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('tour-step4-done.png') });
  // "Next" goes to step 5, which opens its own experiment.
  await page.click('#tour-next');
  await page.waitForFunction(() => document.getElementById('tour-count')?.textContent === '5 / 9');
  await page.waitForFunction(() => /k=30&/.test(window.mdn.spec()));
  // A step in an embed: the tour box above the chosen panels.
  await page.goto(server.url + '#tour=3&embed=1&panels=main,slice');
  await page.reload();
  await ready(page);
  assert.equal(await page.$eval('#tour', (e) => e.offsetParent !== null), true);
  assert.equal(await page.$eval('#tour-close', (e) => e.offsetParent === null), true, 'an embed cannot leave the tour');
  await page.setViewportSize({ width: 640, height: 700 });
  await page.evaluate(() => window.mdn.step(1500));
  await settled(page);
  await page.screenshot({ path: screenshotPath('tour-step3-embed.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('every plot as SVG, in the page; a printed page without controls', async () => {
  const { page, log } = await open(browser, server.url + '#n=600&k=3&steps=200', { width: 1280, height: 900 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(200));
  for (const which of ['main', 'slice', 'params', 'loss']) {
    const svg = await page.evaluate((w) => window.mdn.svg(w), which);
    assert.match(svg, /^<svg[^>]*width="\d+"/, which);
    assert.ok(svg.includes('<text'), `${which} has text`);
    assert.equal(svg.includes('<image'), which === 'main', `${which}: a heatmap only in the main plot`);
    // The browser reads it as an image.
    const size = await page.evaluate(async (text) => {
      const img = new Image();
      img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, svg);
    assert.ok(size[0] >= 600 && size[1] >= 200, `${which}: ${size}`);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-save="loss"][data-as="svg"]')]);
  assert.equal(download.suggestedFilename(), 'mdn-loss.svg');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('button[data-save="slice"][data-as="png"]')]);
  assert.equal(png.suggestedFilename(), 'mdn-slice.png');
  // Print: plots and their captions, no controls; dark paper turns light.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => window.mdn.dark());
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.$eval('.controls', (e) => getComputedStyle(e).display), 'none');
  assert.equal(await page.$eval('.toolbar', (e) => getComputedStyle(e).display), 'none');
  assert.equal(await page.evaluate(() => window.mdn.dark()), false, 'printed light');
  await page.screenshot({ path: screenshotPath('printed.png'), fullPage: true });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await page.evaluate(() => window.mdn.dark()), true, 'dark again after printing');
  // In the arm's views: both planes as one SVG.
  await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
  await page.goto(server.url + '#data=arm&n=300&steps=30');
  await page.reload();
  await ready(page);
  const planes = await page.evaluate(() => window.mdn.svg('planes'));
  assert.equal((planes.match(/<image/g) || []).length, 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** The loss panel's corner pixel: the plots' paper. */
const paper = (page) => page.evaluate(() => {
  const c = document.getElementById('loss');
  return Array.from(c.getContext('2d').getImageData(2, c.height - 2, 1, 1).data.slice(0, 3));
});

test('dark mode follows the system, plots included; theme= overrides it', async () => {
  const { page, log } = await open(browser, server.url + '#n=500&steps=300', { width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await ready(page);
  await page.evaluate(() => window.mdn.step(100));
  await settled(page);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true);
  assert.deepEqual(await paper(page), [24, 26, 30]);
  assert.equal(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor), 'rgb(24, 26, 30)');
  assert.ok((await inked(page)) > 0.3, 'the heatmap is drawn');
  assert.deepEqual(await axe(page), [], 'dark full page');
  await page.screenshot({ path: screenshotPath('dark-desktop.png'), fullPage: true });
  // The system turns light: the page follows.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
  await page.waitForTimeout(400);
  assert.deepEqual(await paper(page), [255, 255, 255]);
  // theme=dark in the link wins over a light system, and stays in the link.
  await page.goto(server.url + '#n=500&steps=300&theme=dark');
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.mdn.dark()), true);
  assert.match(page.url(), /theme=dark/);
  // A fresh load: a hash change on the open page would be read and written back in its
  // canonical form (without the bad key) before a reload could read it.
  await page.goto('about:blank');
  await page.goto(server.url + '#n=500&steps=300&theme=purple');
  await ready(page);
  assert.match(await page.textContent('#issues'), /theme: 'purple' is not one of light \| dark/);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url + '#theme=dark&embed=1&panels=main,slice&caption=Dark%20slides');
  await page.reload();
  await ready(page);
  await page.screenshot({ path: screenshotPath('dark-phone-embed.png'), fullPage: true });
  assert.deepEqual(log.errors.filter((e) => !/purple/.test(e)), []);
  await page.close();
});

test('axe-core finds no violations in the full page and in every embed shape, light and dark', async () => {
  const shapes = [
    '#',
    '#data=arm',
    '#embed=1',
    '#embed=1&panels=main,slice,params,loss,diagnostics,sampling,sweep&controls=k,sigma_min,lr&caption=Every%20panel',
    '#n=30&k=12&hidden=32,32&sigma_min=0&batch=all&steps=3000&embed=1&panels=loss,main&controls=sigma_min&caption=The%20floor',
    '#data=arm&embed=1&panels=main,sampling&controls=k',
    '#lock=k,lr&caption=Locked',
  ];
  const counts = [];
  for (const dark of [false, true]) {
    for (const shape of shapes) {
      const { page } = await open(browser, server.url + shape, { width: shape.includes('embed') ? 640 : 1280, height: 800 });
      if (dark) await page.emulateMedia({ colorScheme: 'dark' });
      await ready(page);
      await page.evaluate(() => window.mdn.step(50));
      const v = await axe(page);
      counts.push(v.length);
      assert.deepEqual(v, [], `${shape} (${dark ? 'dark' : 'light'})`);
      await page.close();
    }
  }
  console.log(`axe-core ${JSON.parse(fs.readFileSync(new URL('./node_modules/axe-core/package.json', import.meta.url))).version}: ${counts.length} page shapes, violations ${counts.reduce((a, b) => a + b, 0)} (rules: ${AXE_RULES.join(', ')})`);
});
