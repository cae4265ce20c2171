// Runs two-workers.html in headless Chromium (as the page runs: no cross-origin isolation,
// so no SharedArrayBuffer) and prints its JSON report.
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const { server, url } = await serveBench();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.goto(`${url}/two-workers.html?seconds=${process.env.BENCH_SECONDS ?? 3}`);
await page.waitForFunction(() => window.__report, null, { timeout: 300_000 });
const report = await page.evaluate(() => ({ ...window.__report, shared_array_buffer: typeof SharedArrayBuffer !== 'undefined' && crossOriginIsolated }));
console.log(JSON.stringify(report));
await browser.close();
server.close();
if (report.error) process.exit(1);
