// The handwriting page's training speed: handwriting.html in headless Chromium,
// its worker training the LSTM-MDN and both baselines (the default spec, or BENCH_HAND_SPEC),
// the page drawing as it trains. Prints one JSON line: steps per second over STEPS steps,
// after a warm-up.
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const STEPS = Number(process.env.BENCH_HAND_STEPS ?? 400);
const SPEC = process.env.BENCH_HAND_SPEC ?? '';
const WARM = Math.max(2, Math.round(STEPS / 20));
const { server, url } = await serveBench();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.goto(`${url}/dist/www/handwriting.html#${SPEC ? SPEC + '&' : ''}steps=${STEPS + WARM}`);
await page.waitForFunction(() => document.getElementById('hw-status').dataset.ready, null, { timeout: 120_000 });
await page.evaluate((n) => window.mdnHand.step(n), WARM);
const ms = await page.evaluate(async (n) => {
  const t0 = performance.now();
  await window.mdnHand.step(n);
  return performance.now() - t0;
}, STEPS);
console.log(JSON.stringify({ handwriting: 'page (Chromium, worker, drawing)', spec: SPEC, steps: STEPS, steps_per_s: Math.round((10 * STEPS * 1000) / ms) / 10 }));
await browser.close();
server.close();
