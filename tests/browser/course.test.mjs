// Many embeds on one course page (issue 11, point 3): six iframes of the playground with
// play=1 on a host page from another origin. An embed out of view neither trains nor
// draws, and goes on where it was when it comes back, with the same bits as a run never
// interrupted. Prints the figures: CPU time with none in view, time to first plot, bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, dist } from './harness.mjs';

let server, host, browser;
const LINK = '#n=1000&hidden=16,16&k=3&steps=1000000&batch=all&play=1&embed=1';
before(async () => {
  server = await serve('/');
  const frames = Array.from({ length: 6 }, (_, i) => `<h2>Embed ${i + 1}</h2><iframe id="f${i}" src="${server.url}${LINK}&seed=${i + 1}" width="640" height="400" title="Embed ${i + 1}"></iframe><div style="height:1600px"></div>`).join('\n');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A lecture</title></head><body><h1>A lecture with six embeds</h1>${frames}</body></html>`;
  host = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => host?.close(r));
});

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

const steps = (frame) => frame.evaluate(() => window.mdn.metrics().then((m) => m.step));

test('six embeds: only those in view train and draw; one comes back where it was, bit for bit', async () => {
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
  await page.goto(`http://127.0.0.1:${host.address().port}/`);
  const frames = await Promise.all(Array.from({ length: 6 }, (_, i) => page.$(`#f${i}`).then((e) => e.contentFrame())));
  const firstPlot = await Promise.all(frames.map((f) => f.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 }).then(() => Date.now() - t0)));
  await page.waitForTimeout(2500);
  const before = await Promise.all(frames.map(steps));
  assert.ok(before[0] > 0, `the embed in view trains: ${before}`);
  assert.deepEqual(before.slice(1), [0, 0, 0, 0, 0], 'the embeds out of view do not start');
  const cpuOne = await cpuOver(2000);
  // None in view: training stops.
  await page.evaluate(() => window.scrollTo(0, 1000));
  await page.waitForTimeout(800);
  const paused = await steps(frames[0]);
  const cpuNone = await cpuOver(3000);
  assert.equal(await steps(frames[0]), paused, 'out of view, it does not train');
  // The third in view: it starts; the first goes on from where it was when it is back.
  await page.$eval('#f2', (e) => e.scrollIntoView());
  await page.waitForTimeout(1500);
  assert.ok((await steps(frames[2])) > 0, 'the third trains once in view');
  await page.evaluate(() => window.scrollTo(0, 0));
  await frames[0].waitForFunction(() => document.getElementById('play').getAttribute('aria-pressed') === 'true', null, { timeout: 10_000 });
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 1000));
  await page.waitForTimeout(800);
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
  assert.ok(cpuNone < 0.5 * cpuOne, `CPU with none in view ${cpuNone} vs ${cpuOne} with one training`);
  // The engine is fetched once for six embeds and their workers (then from the cache;
  // the fresh page above, in a context of its own, fetched it once more).
  assert.ok(server.served.get('mdn-playground_bg.wasm').count <= 2, JSON.stringify(figures.servedByPlayground));
  await page.close();
});
