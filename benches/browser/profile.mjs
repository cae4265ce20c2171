// make profile (the wasm half): Chromium's sampling profiler (DevTools protocol) over this
// engine's training steps in the page, the small or medium configuration of bench.mjs;
// prints the functions with the most self time. Usage: node profile.mjs [small|medium]
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const which = process.argv[2] ?? 'medium';
const { server, url } = await serveBench();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.goto(`${url}/bench.html?profile=${which}&seconds=${process.env.BENCH_SECONDS ?? 4}`);
await page.waitForFunction(() => window.__ready, null, { timeout: 120_000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.evaluate(() => window.__go());
await page.waitForFunction(() => window.__report, null, { timeout: 300_000 });
const { profile } = await cdp.send('Profiler.stop');
const rate = await page.evaluate(() => window.__report.steps_per_s);
// Self time per function: each sample is charged to the node it landed in.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const f = byId.get(id).callFrame;
  const name = f.functionName || `(${f.url.split('/').pop() || 'program'})`;
  self.set(name, (self.get(name) ?? 0) + (dt[i + 1] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
console.log(JSON.stringify({ profile: which, steps_per_s: Math.round(rate), top: top.map(([f, us]) => ({ function: f.slice(0, 100), self_percent: +((100 * us) / total).toFixed(1) })) }, null, 1));
await browser.close();
server.close();
