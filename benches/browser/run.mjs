// make bench: serves dist/ and the TF.js packages on loopback, runs bench.html in headless
// Chromium, prints the JSON report (steps/s and ratios).
import { chromium } from 'playwright-core';
import { serveBench } from './serve.mjs';

const { server, url } = await serveBench();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
const seconds = process.env.BENCH_SECONDS ?? 3;
await page.goto(`${url}/bench.html?seconds=${seconds}`);
await page.waitForFunction(() => window.__report, null, { timeout: 300_000 });
const report = await page.evaluate(() => window.__report);
console.log(JSON.stringify(report));
await browser.close();
server.close();
if (report.error) process.exit(1);
