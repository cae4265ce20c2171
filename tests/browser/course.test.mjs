// Course pages from another origin: six embeds with play=1, of which only those in view
// train and draw (and one comes back where it was, bit for bit); a host page that talks
// to its embeds from the moment they load, pauses and resets them while they are out of
// view, sends a message far too large, and never hears points the user kept. Every wait
// is for a state (a step reached, the embed seen or not), never for a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, dist } from './harness.mjs';

let server, host, browser;
const pages = new Map(); // path on the host → HTML
const LINK = '#n=1000&hidden=16,16&k=3&steps=1000000&batch=all&play=1&embed=1';
before(async () => {
  server = await serve('/');
  host = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(req.url) ?? ''));
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => host?.close(r));
});

/** Serves `body` on the host (another origin than the playground) at `at`; its URL. */
function hostPage(at, body, script = '') {
  pages.set(at, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A lecture</title></head><body>${body}<script>${script}</script></body></html>`);
  return `http://127.0.0.1:${host.address().port}${at}`;
}

/** CPU seconds used by the browser's processes (from /proc), for the figures. */
function browserCpu() {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/.test(cmd)) continue;
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks / 100;
}

async function cpuOver(ms) {
  const c0 = browserCpu();
  await new Promise((r) => setTimeout(r, ms));
  return (browserCpu() - c0) / (ms / 1000);
}

// Polled by a timer: requestAnimationFrame does not run in a cross-origin frame out of view.
const POLL = { polling: 100, timeout: 120_000 };
const steps = (frame) => frame.evaluate(() => window.mdn.metrics().then((m) => m.step));
const statusStep = (frame) => frame.evaluate(() => Number(/step (\d+)/.exec(document.getElementById('status').textContent)?.[1] ?? -1));
const playing = (frame) => frame.evaluate(() => document.getElementById('play').getAttribute('aria-pressed') === 'true');
/** Waits until the embed knows whether it is seen, and that it is `seen`. */
const seenIs = (frame, seen) => frame.waitForFunction((s) => window.mdn?.seen() === s, seen, POLL);
const readyIn = (frame) => frame.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, POLL);
/** Waits until the embed's status line shows a step above `n`. */
const pastStep = (frame, n) => frame.waitForFunction((n) => Number(/step (\d+)/.exec(document.getElementById('status').textContent)?.[1] ?? -1) > n, n, POLL);
const pausedIn = (frame) => frame.waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'false', null, POLL);

test('six embeds: only those in view train and draw; one comes back where it was, bit for bit', async () => {
  const body = '<h1>A lecture with six embeds</h1>' + Array.from({ length: 6 }, (_, i) => `<h2>Embed ${i + 1}</h2><iframe id="f${i}" src="${server.url}${LINK}&seed=${i + 1}" width="640" height="400" title="Embed ${i + 1}"></iframe><div style="height:1600px"></div>`).join('\n');
  const url = hostPage('/six', body);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const bytes = new Map();
  page.on('response', async (r) => {
    if (!r.url().startsWith(server.url)) return;
    const name = new URL(r.url()).pathname.split('/').pop() || 'index.html';
    const len = (await r.body().catch(() => Buffer.alloc(0))).length;
    const b = bytes.get(name) ?? { count: 0, bytes: 0 };
    bytes.set(name, { count: b.count + 1, bytes: b.bytes + len });
  });
  const t0 = Date.now();
  await page.goto(url);
  const frames = await Promise.all(Array.from({ length: 6 }, (_, i) => page.$(`#f${i}`).then((e) => e.contentFrame())));
  const firstPlot = await Promise.all(frames.map((f) => readyIn(f).then(() => Date.now() - t0)));
  // The first is in view and trains; the others know they are out of view, and wait.
  await pastStep(frames[0], 0);
  for (const f of frames.slice(1)) await seenIs(f, false);
  assert.deepEqual(await Promise.all(frames.slice(1).map(steps)), [0, 0, 0, 0, 0], 'the embeds out of view do not start');
  assert.deepEqual(await Promise.all(frames.slice(1).map(playing)), [false, false, false, false, false]);
  const cpuOne = await cpuOver(2000);
  // None in view: training stops, and stays stopped.
  await page.evaluate(() => window.scrollTo(0, 1000));
  await seenIs(frames[0], false);
  await pausedIn(frames[0]);
  const paused = await steps(frames[0]);
  const cpuNone = await cpuOver(3000);
  assert.equal(await steps(frames[0]), paused, 'out of view, it does not train');
  // The third in view: it starts; the first goes on from where it was when it is back.
  await page.$eval('#f2', (e) => e.scrollIntoView());
  await pastStep(frames[2], 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await pastStep(frames[0], paused);
  await page.evaluate(() => window.scrollTo(0, 1000));
  await seenIs(frames[0], false);
  await pausedIn(frames[0]);
  const m = await frames[0].evaluate(() => window.mdn.metrics());
  assert.ok(m.step > paused, 'it went on');
  // The same number of steps in one go, in a fresh page: the same bits.
  const fresh = await browser.newPage();
  await fresh.goto(server.url + LINK.replace('&play=1', '') + '&seed=1');
  await fresh.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1');
  const m2 = await fresh.evaluate((n) => window.mdn.step(n), m.step);
  assert.equal(m2.val_nll, m.val_nll);
  assert.equal(m2.train_nll, m.train_nll);
  await fresh.close();
  const wasm = fs.readFileSync(path.join(dist, 'mdn-playground_bg.wasm'));
  const figures = {
    cpuCoresOneInView: +cpuOne.toFixed(2),
    cpuCoresNoneInView: +cpuNone.toFixed(2),
    firstPlotMs: firstPlot,
    responsesCacheIncluded: Object.fromEntries(bytes),
    servedByPlayground: Object.fromEntries(server.served),
    wasmBytes: wasm.length,
    wasmGzipBytes: zlib.gzipSync(wasm, { level: 9 }).length,
  };
  console.log('six embeds:', JSON.stringify(figures));
  // The engine is fetched once for six embeds and their workers (then from the cache;
  // the fresh page above, in a context of its own, fetched it once more).
  assert.ok(server.served.get('mdn-playground_bg.wasm').count <= 2, JSON.stringify(figures.servedByPlayground));
  await page.close();
});

/** A host page with one embed in view (`near`) and one far below it (`far`): it records
 * every event per embed in `window.heard`, and sends five commands to `near` from its
 * iframe's load event on. */
function twoEmbeds(near, far) {
  const body = `<h1>Exercises</h1>
<iframe id="near" src="${server.url}${near}" width="640" height="400" title="Near"></iframe>
<div style="height:2400px"></div>
<iframe id="far" src="${server.url}${far}" width="640" height="400" title="Far"></iframe>`;
  const script = `window.heard = { near: [], far: [] };
const frameOf = (id) => document.getElementById(id).contentWindow;
addEventListener('message', (e) => {
  for (const id of ['near', 'far']) if (e.source === frameOf(id)) heard[id].push(e.data);
});
window.send = (id, m) => frameOf(id).postMessage(m, '*');
document.getElementById('near').addEventListener('load', () => {
  send('near', { type: 'mdn:step', n: 5 });
  for (let i = 0; i < 4; i++) send('near', { type: 'mdn:metrics' });
});`;
  return hostPage('/two', body, script);
}

const heardOf = (page, id, type) => page.evaluate(([id, t]) => window.heard[id].filter((m) => m.type === t), [id, type]);
const waitHeard = (page, id, test, arg) => page.waitForFunction(([id, test, arg]) => new Function('h', 'arg', `return (${test})(h, arg)`)(window.heard[id], arg), [id, test.toString(), arg], POLL);

test('a host page: commands at load carried out, pause and reset kept while out of view, metrics with their own step, a huge message refused cheaply', { timeout: 300_000 }, async () => {
  const near = '#n=500&k=3&hidden=8&steps=100000&embed=1';
  const far = '#n=500&k=3&hidden=8&steps=100000&play=1&embed=1&seed=3';
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(twoEmbeds(near, far));
  const frameOf = async (id) => (await page.$(`#${id}`)).contentFrame();
  const [nearF, farF] = [await frameOf('near'), await frameOf('far')];
  // Sent at the iframe's load event, before the engine was ready: none is lost (the four
  // metrics are answered, each with its own step, and the steps are trained).
  await waitHeard(page, 'near', (h) => h.filter((m) => m.type === 'mdn:metrics').length >= 4);
  const answers = await heardOf(page, 'near', 'mdn:metrics');
  assert.equal(answers.length, 4);
  for (const a of answers) assert.equal(a.metrics.step, a.step, JSON.stringify(a).slice(0, 200));
  await nearF.waitForFunction(() => /^step 5 of/.test(document.getElementById('status').textContent), null, POLL);
  assert.equal((await heardOf(page, 'near', 'mdn:error')).length, 0);

  // The far embed was asked to play by its link; paused by its host while out of view, it
  // stays paused when it comes into view.
  await seenIs(farF, false);
  await page.evaluate(() => window.send('far', { type: 'mdn:pause' }));
  await page.evaluate(() => window.send('far', { type: 'mdn:metrics' }));
  await waitHeard(page, 'far', (h) => h.some((m) => m.type === 'mdn:metrics'));
  await page.$eval('#far', (e) => e.scrollIntoView());
  await seenIs(farF, true);
  assert.equal(await playing(farF), false, 'paused by its host, it does not play when seen');
  assert.equal(await statusStep(farF), 0);
  // Played in view, then out of view (it sleeps), then reset by its host: back in view
  // it is at step 0 and paused.
  await page.evaluate(() => window.send('far', { type: 'mdn:play' }));
  await pastStep(farF, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await seenIs(farF, false);
  await page.evaluate(() => { window.heard.far.length = 0; window.send('far', { type: 'mdn:reset' }); });
  await waitHeard(page, 'far', (h) => h.some((m) => m.type === 'mdn:ready'));
  await page.$eval('#far', (e) => e.scrollIntoView());
  await seenIs(farF, true);
  assert.equal(await playing(farF), false, 'reset while asleep: paused on return');
  assert.equal(await statusStep(farF), 0);
  // Asked to play while out of view: it does not train there, and starts when seen.
  await page.evaluate(() => window.scrollTo(0, 0));
  await seenIs(farF, false);
  await page.evaluate(() => { window.heard.far.length = 0; window.send('far', { type: 'mdn:play' }); window.send('far', { type: 'mdn:metrics' }); });
  await waitHeard(page, 'far', (h) => h.some((m) => m.type === 'mdn:metrics'));
  assert.equal((await heardOf(page, 'far', 'mdn:metrics'))[0].step, 0, 'out of view, it does not train');
  assert.equal(await playing(farF), false);
  await page.$eval('#far', (e) => e.scrollIntoView());
  await pastStep(farF, 0);
  // While it trains: every metrics event pairs a step with that step's metrics.
  await page.evaluate(() => { window.heard.far.length = 0; });
  await waitHeard(page, 'far', (h) => h.filter((m) => m.type === 'mdn:metrics').length >= 3);
  for (const e of await heardOf(page, 'far', 'mdn:metrics')) assert.equal(e.step, e.metrics.step);
  await page.evaluate(() => window.send('far', { type: 'mdn:pause' }));

  // A huge message: refused with a message before it is copied anywhere; the engine's
  // memory does not grow, and the embed goes on answering.
  await page.evaluate(() => window.scrollTo(0, 0));
  const before = await nearF.evaluate(() => window.mdn.stats().engineBytes);
  await page.evaluate(() => { window.heard.near.length = 0; window.send('near', { type: 'mdn:spec', spec: 'k=3&'.repeat(5_000_000) }); window.send('near', { type: 'mdn:metrics' }); });
  await waitHeard(page, 'near', (h) => h.some((m) => m.type === 'mdn:metrics'));
  const [err] = await heardOf(page, 'near', 'mdn:error');
  assert.match(err.message, /at most \d+ bytes/);
  const after = await nearF.evaluate(() => window.mdn.stats().engineBytes);
  assert.ok(after <= before + (1 << 20), `the engine's memory grew from ${before} to ${after} bytes`);
  // A burst of specs: each ready names the experiment its command built, in order.
  await page.evaluate(() => {
    window.heard.near.length = 0;
    for (const k of [2, 4, 5]) window.send('near', { type: 'mdn:spec', spec: `k=${k}&n=300&steps=50` });
  });
  await waitHeard(page, 'near', (h) => h.filter((m) => m.type === 'mdn:ready').length >= 3);
  const readies = (await heardOf(page, 'near', 'mdn:ready')).map((m) => /(?:^|&)k=(\d+)/.exec(m.spec)[1]);
  assert.deepEqual(readies, ['2', '4', '5']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('points kept in this browser stay in it: an embed tells its host only the points the host gave', { timeout: 180_000 }, async () => {
  // The user's own points, kept by the playground (its origin's storage).
  const own = await browser.newContext();
  const direct = await own.newPage();
  await direct.goto(server.url + '#n=300&steps=10');
  await direct.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  const mine = 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i / 40},${((i * 7) % 11) / 11}`).join('\n');
  await direct.evaluate((csv) => window.mdn.usePoints(csv), mine);
  const minePts = /pts=([^&]+)/.exec(await direct.evaluate(() => window.mdn.spec()))[1];
  // A course page of another origin (the same site) embeds data=custom without points.
  const url = hostPage('/points', `<iframe id="e" src="${server.url}#data=custom&embed=1" width="640" height="400" title="Your data"></iframe>`,
    `window.heard = []; addEventListener('message', (e) => heard.push(e.data)); window.send = (m) => document.getElementById('e').contentWindow.postMessage(m, '*');`);
  const page = await own.newPage();
  await page.goto(url);
  const frame = await (await page.$('#e')).contentFrame();
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'mdn:ready'), null, { timeout: 60_000 });
  assert.ok((await frame.evaluate(() => window.mdn.spec())).includes(minePts), 'the embed shows the kept points');
  const spoken = () => page.evaluate(() => JSON.stringify(window.heard));
  assert.ok(!(await spoken()).includes('pts='), 'ready names no points');
  assert.match(await spoken(), /data=custom/);
  await page.evaluate(() => window.send({ type: 'mdn:reset' }));
  await page.waitForFunction(() => window.heard.filter((m) => m.type === 'mdn:ready').length >= 2);
  assert.ok(!(await spoken()).includes('pts='), 'nor after a reset');
  // Points the host gives travel back to it.
  const theirs = await direct.evaluate(() => window.mdn.usePoints('x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 3}`).join('\n')).then(() => window.mdn.spec()));
  const theirPts = /pts=([^&]+)/.exec(theirs)[1];
  await page.evaluate((p) => window.send({ type: 'mdn:spec', spec: `data=custom&pts=${p}` }), theirPts);
  await page.waitForFunction(() => window.heard.filter((m) => m.type === 'mdn:ready').length >= 3);
  const last = await page.evaluate(() => window.heard.filter((m) => m.type === 'mdn:ready').at(-1).spec);
  assert.ok(last.includes(`pts=${theirPts}`), last);
  await own.close();
});
