// Embeds a teacher shapes with the link (panels, controls, caption) and locked
// fields in the full page. Captions are plain text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, inked, screenshotPath, settled } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The chosen panels as the page lays them out: [data-panel, top] of each shown one, in order. */
const shown = (page) => page.$$eval('#embed-shape > [data-panel]', (els) => els
  .filter((e) => e.offsetParent !== null)
  .map((e) => [e.dataset.panel, Math.round(e.getBoundingClientRect().top)]));
const visibleFields = (page) => page.$$eval('#spec label', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.querySelector('input,select').name));

test('panels=, controls= and caption= shape an embed; the panels in the link\'s order', async () => {
  const lesson = '#n=30&k=12&hidden=32,32&sigma_min=0&batch=all&steps=3000&embed=1&panels=loss,main&controls=sigma_min,k&caption=Raise%20the%20floor%20until%20the%20validation%20NLL%20stops%20climbing';
  const { page, log } = await open(browser, server.url + lesson, { width: 640, height: 800 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(200));
  const panels = await shown(page);
  assert.deepEqual(panels.map((p) => p[0]), ['loss', 'main']);
  assert.ok(panels[0][1] < panels[1][1], 'in the order of the link');
  assert.deepEqual(await visibleFields(page), ['k', 'sigma_min']);
  assert.equal(await page.textContent('#caption'), 'Raise the floor until the validation NLL stops climbing');
  for (const id of ['slice', 'components', 'sweep-run', 'lab']) {
    assert.equal(await page.$eval('#' + id, (e) => e.offsetParent === null), true, `${id} is hidden`);
  }
  assert.ok((await inked(page)) > 0.3);
  await page.screenshot({ path: screenshotPath('embed-shaped-lesson.png'), fullPage: true });
  // A field the embed shows works: the experiment follows it, and so does the embed code.
  await page.fill('#spec-sigma_min', '0.05');
  await page.dispatchEvent('#spec-sigma_min', 'change');
  await page.waitForFunction(() => /sigma_min=0\.05&/.test(window.mdn.spec()));
  const code = await page.evaluate(() => window.mdn.embedCode());
  assert.match(code, /sigma_min=0\.05&.*embed=1&amp;panels=loss,main&amp;controls=sigma_min,k&amp;caption=Raise%20the%20floor/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the arm\'s views, sampling and diagnostics in an embed; a hostile caption is text', async () => {
  const { page, log } = await open(browser, server.url + '#data=arm&embed=1&panels=main,sampling,diagnostics&controls=k,cov&caption=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E', { width: 640, height: 900 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(100));
  // The diagnostics: the per-component summary, and the alarms list only when it has an alarm.
  const alarms = await page.$$eval('#alarms li', (e) => e.length);
  const diag = alarms ? ['diagnostics', 'diagnostics'] : ['diagnostics'];
  assert.deepEqual((await shown(page)).map((p) => p[0]), ['main', 'sampling', ...diag]);
  assert.equal(await page.textContent('#caption'), '<img src=x onerror=window.__pwned=1>');
  assert.equal(await page.$$eval('#caption img', (e) => e.length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.ok((await inked(page, 'out-heat')) > 0.3);
  await page.screenshot({ path: screenshotPath('embed-shaped-arm.png'), fullPage: true });
  // Unknown panels and keys are left out, and said.
  const { page: p2, log: log2 } = await open(browser, server.url + '#embed=1&panels=slice,bogus&controls=k,colour', { width: 640, height: 600 });
  await ready(p2);
  assert.deepEqual((await shown(p2)).map((p) => p[0]), ['slice']);
  const issues = await p2.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => t.startsWith("panels: 'bogus' is not one of main | slice")), issues.join('\n'));
  assert.ok(issues.some((t) => t.startsWith("controls: 'colour' is not one of")), issues.join('\n'));
  await p2.screenshot({ path: screenshotPath('embed-shaped-slice.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log2.errors, []);
  await p2.close();
  await page.close();
});

test('lock= greys out fields in the full page; the others still work', async () => {
  const { page, log } = await open(browser, server.url + '#n=500&hidden=8&lock=k,lr&caption=K%20and%20the%20learning%20rate%20are%20fixed', { width: 1280, height: 900 });
  await ready(page);
  assert.equal(await page.isDisabled('#spec-k'), true);
  assert.equal(await page.isDisabled('#spec-lr'), true);
  assert.equal(await page.isDisabled('#spec-n'), false);
  await page.click('#all-settings > summary'); // n is among all the settings
  assert.equal(await page.textContent('#caption'), 'K and the learning rate are fixed');
  await page.fill('#spec-n', '600');
  await page.dispatchEvent('#spec-n', 'change');
  await page.waitForFunction(() => /&n=600&/.test(window.mdn.spec()));
  assert.match(page.url(), /&lock=k,lr/, 'the lock stays in the link');
  assert.equal(await page.isDisabled('#spec-k'), true);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the arm\'s two views one by one: panels=outputs,inputs; a panel for the other kind of data is left out', async () => {
  const { page, log } = await open(browser, server.url + '#data=arm&n=1000&embed=1&panels=outputs,slice,inputs&caption=Two%20views', { width: 640, height: 1400 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(200));
  await settled(page);
  const panels = await shown(page);
  assert.deepEqual(panels.map((p) => p[0]), ['outputs', 'inputs'], 'the slice has nothing to show for two outputs');
  assert.ok(panels[0][1] < panels[1][1], 'in the order of the link');
  assert.ok((await inked(page, 'out-heat')) > 0.3, 'the output plane is drawn');
  assert.ok((await inked(page, 'in-static')) > 0.001, 'the workspace is drawn');
  const w = await page.$eval('#instack', (e) => e.getBoundingClientRect().width);
  assert.ok(w > 500, `the workspace fills the embed's width: ${w}`);
  await page.screenshot({ path: screenshotPath('embed-shaped-views.png'), fullPage: true });
  // The main plot of a curve keeps its inner panels out of the way.
  await page.goto(server.url + '#embed=1&panels=main,inputs');
  await page.reload();
  await ready(page);
  assert.deepEqual((await shown(page)).map((p) => p[0]), ['main']);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('an embed with the sweep panel runs the sweep on its pool and keeps its line', async () => {
  const { page, log } = await open(browser, server.url + '#n=200&hidden=8&steps=60&embed=1&panels=sweep,main', { width: 600, height: 700, cores: 3 });
  await ready(page);
  const r = await page.evaluate(() => window.mdn.sweep({ kMax: 2, seeds: 1 }));
  assert.equal(r.rows.length, 2);
  assert.equal(await page.isVisible('#sweep-status'), true, 'the line shows in the embed');
  assert.match(await page.textContent('#sweep-status'), /^2 of 2 runs trained \(2 workers\)\. Lowest BIC at K = \d/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('an embed shows the toolbar\'s intervals toggle and speed only where controls= names them', async () => {
  const visible = (page) => page.evaluate(() => ({
    intervals: document.querySelector('.intervals-toggle').offsetParent !== null,
    speed: document.querySelector('label.speed').offsetParent !== null,
  }));
  const plain = await open(browser, server.url + '#n=400&embed=1&controls=k', { width: 860, height: 420 });
  await ready(plain.page);
  assert.deepEqual(await visible(plain.page), { intervals: false, speed: false }, 'not named: not shown');
  const named = await open(browser, server.url + '#n=400&embed=1&controls=k,intervals,speed', { width: 860, height: 420 });
  await ready(named.page);
  assert.deepEqual(await visible(named.page), { intervals: true, speed: true }, 'named: shown');
  const full = await open(browser, server.url + '#n=400', { width: 1280, height: 800 });
  await ready(full.page);
  assert.deepEqual(await visible(full.page), { intervals: true, speed: true }, 'the full page shows both');
  for (const p of [plain, named, full]) {
    assert.deepEqual(p.log.errors, []);
    await p.page.close();
  }
});

/** What of an embed lies outside its frame: the document's scroll size, and the shown
 * elements that reach past the frame's edges (outside any element that scrolls). */
const overflow = (page) => page.evaluate(() => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.offsetParent === null || e.closest('header, details:not([open]), .embed-text')) continue;
    const b = e.getBoundingClientRect();
    if (b.width && (b.bottom > innerHeight + 0.5 || b.right > innerWidth + 0.5)) out.push(`${e.tagName.toLowerCase()}#${e.id} ${Math.round(b.right)}×${Math.round(b.bottom)}`);
  }
  const d = document.documentElement;
  return { scroll: [d.scrollWidth, d.scrollHeight], out };
});

test('an embed fits its frame whatever it shows, down to 480×320; smaller, the main plot alone with a note', async () => {
  const shapes = [
    ['panels=main,slice&controls=k', 860, 420],
    ['panels=loss,diagnostics&controls=k,lr,sigma_min&n=30&sigma_min=0&batch=all', 640, 480],
    ['panels=main,slice&controls=k&caption=Find%20the%20K%20that%20shows%20three%20peaks', 480, 320],
    ['data=arm&n=500&panels=main,sampling,diagnostics&controls=k,cov', 640, 400],
    ['panels=main,slice,params,loss&controls=k,intervals,speed&caption=All%20four', 860, 420],
    ['panels=calibration,main,sweep', 640, 480],
    ['tour=3&panels=main,slice', 640, 400],
    ['panels=outputs,inputs&data=arm&n=500', 480, 320],
  ];
  for (const [hash, width, height] of shapes) {
    const { page, log } = await open(browser, `${server.url}#${hash}&embed=1`, { width, height });
    await ready(page);
    await page.evaluate(() => window.mdn.step(150));
    await settled(page);
    const r = await overflow(page);
    assert.ok(r.scroll[0] <= width && r.scroll[1] <= height, `${hash} in ${width}×${height} scrolls: ${r.scroll}`);
    assert.deepEqual(r.out, [], `${hash} in ${width}×${height}`);
    // Every chosen plot has room to be read.
    const heights = await page.$$eval('#embed-shape > .chosen:not(.embed-text)', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect().height));
    for (const h of heights) assert.ok(h >= 90, `${hash}: a panel ${h}px tall`);
    assert.deepEqual(log.errors, []);
    await page.close();
  }
  const { page, log } = await open(browser, `${server.url}#panels=main,slice&controls=k&embed=1&caption=Small`, { width: 400, height: 300 });
  await ready(page);
  await settled(page);
  assert.equal(await page.isVisible('#embed-small'), true, 'the note');
  assert.equal(await page.isVisible('#slice'), false, 'the slice left out');
  assert.equal(await page.isVisible('#stack'), true, 'the main plot kept');
  const r = await overflow(page);
  assert.ok(r.scroll[0] <= 400 && r.scroll[1] <= 300, `scrolls: ${r.scroll}`);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('the builder reorders panels, sets the height the choice needs, and starts from a clean embed', async () => {
  const { page, log } = await open(browser, `${server.url}#tour=3`, { width: 1280, height: 900 });
  await ready(page);
  await page.click('#embedcode');
  await page.check('#builder input[value="slice"]');
  const one = Number(await page.inputValue('#builder-h'));
  await page.click('button[aria-label="Move slice up"]');
  await page.check('#builder input[data-group="control"][value="k"]');
  await page.check('#builder input[value="loss"]');
  await page.check('#builder input[value="params"]');
  const three = Number(await page.inputValue('#builder-h'));
  assert.ok(three > one, `more panels need more height: ${one} → ${three}`);
  assert.match(await page.textContent('#builder-need'), new RegExp(`about ${three} px`));
  const code = await page.$eval('#builder-code', (t) => t.value);
  assert.match(code, /panels=slice,main,params,loss&amp;controls=k/, 'in the order chosen');
  assert.doesNotMatch(code, /tour=/, 'a clean embed, not the tour step');
  assert.match(code, new RegExp(`height="${three}"`));
  await page.check('#builder-tour');
  assert.match(await page.$eval('#builder-code', (t) => t.value), /tour=3/, 'the tour step when asked for');
  await page.uncheck('#builder-tour');
  // The preview at the height set: nothing outside the frame.
  await page.waitForFunction(() => /panels=slice,main,params,loss/.test(document.getElementById('builder-frame').src) && !/tour=/.test(document.getElementById('builder-frame').src));
  await page.waitForFunction(() => document.getElementById('builder-frame').contentDocument?.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  const size = await page.evaluate(() => {
    const w = document.getElementById('builder-frame').contentWindow;
    return [w.innerWidth, w.innerHeight, w.document.documentElement.scrollWidth, w.document.documentElement.scrollHeight];
  });
  assert.ok(size[2] <= size[0] && size[3] <= size[1], `the preview fits: ${size}`);
  // The height was worked out for the columns the embed's layout then chooses: each plot
  // comes out near its best shape (width / height 1.4), neither squeezed nor stretched.
  const shapes = await page.evaluate(() => [...document.getElementById('builder-frame').contentDocument.querySelectorAll('#embed-shape > .chosen:not(.embed-text)')]
    .filter((e) => e.getBoundingClientRect().height > 0).map((e) => e.getBoundingClientRect()).map((b) => b.width / b.height));
  assert.equal(shapes.length, 4, `four plots: ${shapes}`);
  assert.ok(shapes.every((a) => a > 1 && a < 2), `the plots' shapes: ${shapes.map((a) => a.toFixed(2))}`);
  assert.deepEqual(log.errors, []);
  await page.close();
});
