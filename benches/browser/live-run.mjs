// The page while it trains (make bench): the default experiment and a heavy one (30 von
// Mises components with the intervals drawn), each played for SECONDS in headless
// Chromium. Prints one JSON line each: plot updates per second, the main thread's tasks
// over 50 ms, training speed while drawing against the engine's speed in the same
// browser with nothing drawn. Figures, not pass or fail: they move with the machine.
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
// Play at full speed (speed=max): the page's own pace would hide what it can do; and the
// default pace, for the plot updates a student sees.
const CASES = [
  ['default, speed=max', 'steps=1000000&speed=max'],
  ['default, paced (speed=normal)', 'steps=1000000'],
  ['wind, K = 30 von Mises, intervals, speed=max', 'data=wind&family=vonmises&k=30&steps=1000000&intervals=1&speed=max'],
];
const { server, url } = await serveBench();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, spec] of CASES) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${url}/dist/index.html#${spec}`);
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 120_000 });
  // The engine alone: one long step command (its metrics at the end are a small part).
  const raw = await page.evaluate(async () => {
    await window.mdn.step(20); // the engine's tier-up
    let t0 = performance.now();
    await window.mdn.step(50);
    const n = Math.max(50, Math.round((50 * 4000) / (performance.now() - t0)));
    t0 = performance.now();
    await window.mdn.step(n);
    return (n / (performance.now() - t0)) * 1000;
  });
  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1');
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    window.mdn.resetStats();
  });
  const step = () => page.evaluate(() => Number(/step (\d+)/.exec(document.getElementById('status').textContent)[1]));
  await page.click('#play');
  await page.waitForTimeout(1000); // the first metrics and the engine's tier-up
  await page.evaluate(() => { window.__long.length = 0; window.mdn.resetStats(); });
  const [s0, t0] = [await step(), Date.now()];
  await page.waitForTimeout(SECONDS * 1000);
  const [s1, t1] = [await step(), Date.now()];
  const r = await page.evaluate(() => ({ long: window.__long, stats: window.mdn.stats() }));
  const secs = (t1 - t0) / 1000;
  const rate = (s1 - s0) / secs;
  console.log(JSON.stringify({
    live: name,
    plot_updates_per_s: +(r.stats.draws / secs).toFixed(1),
    tasks_over_50ms: r.long.length,
    longest_task_ms: Math.round(Math.max(0, ...r.long)),
    steps_per_s_drawing: Math.round(rate),
    steps_per_s_raw: Math.round(raw),
    share_of_raw: +(rate / raw).toFixed(2),
  }));
  await page.close();
}
await browser.close();
server.close();
