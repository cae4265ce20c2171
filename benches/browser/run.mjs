// make bench: serves dist/ and the TF.js packages on loopback, runs bench.html in headless
// Chromium, prints the JSON report (steps/s and ratios).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const roots = { '/dist/': path.resolve(here, '../../dist'), '/node_modules/': path.join(here, 'node_modules'), '/': here };
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
  const base = roots[prefix];
  const file = path.resolve(base, decodeURIComponent(url.pathname.slice(prefix.length)) || 'bench.html');
  if (!file.startsWith(base) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
page.on('pageerror', (e) => console.error('page error:', e));
const seconds = process.env.BENCH_SECONDS ?? 3;
await page.goto(`http://127.0.0.1:${server.address().port}/bench.html?seconds=${seconds}`);
await page.waitForFunction(() => window.__report, null, { timeout: 300_000 });
const report = await page.evaluate(() => window.__report);
console.log(JSON.stringify(report));
await browser.close();
server.close();
if (report.error) process.exit(1);
