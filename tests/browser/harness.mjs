// Shared by the browser tests: serve dist/ on loopback and drive Debian's Chromium.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.resolve(here, '../../dist');
export const artifacts = path.resolve(here, 'artifacts');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png', '.json': 'application/json', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

/** A static server for dist/ (or a copy of it, `root`) under `prefix` (to test that the
 * page works from a sub-path). */
export async function serve(prefix = '/', root = dist) {
  const served = new Map(); // file name → { count, bytes } sent by this server
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    // As a static host would (GitHub Pages: ten minutes): pages embedding the playground
    // several times fetch the engine once and take it from the cache after.
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=600' });
    const name = path.basename(file);
    const was = served.get(name) ?? { count: 0, bytes: 0 };
    served.set(name, { count: was.count + 1, bytes: was.bytes + fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}${prefix}`, served, close: () => new Promise((r) => server.close(r)) };
}

/** How Debian's Chromium is started for the tests. */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

/** Debian's Chromium; every page of every context it opens watches its text (BAD_TEXT). */
export async function launch() {
  const browser = await chromium.launch(CHROMIUM);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    await ctx.addInitScript(watchText, BAD_TEXT.source);
    return ctx;
  };
  browser.newPage = async (options) => {
    const ctx = await browser.newContext(options);
    const page = await ctx.newPage();
    page.on('close', () => ctx.close().catch(() => {}));
    return page;
  };
  return browser;
}

/** Words that must never reach the screen: a number that is not one, or a value that is
 * missing. Every page opened here reports any text that shows one as a console error, so
 * every test that checks `log.errors` checks this too. User text quoted back in a message
 * ('NaN' is not a finite number) is what the user wrote, and is not counted. */
export const BAD_TEXT = /\b(NaN|Infinity|undefined|null)\b/;

function watchText(bad) {
  const re = new RegExp(bad);
  const check = (node) => {
    const text = node.nodeType === Node.TEXT_NODE ? node.data : node.textContent;
    if (text && re.test(text.replace(/'[^'\n]*'/g, "''"))) console.error(`bad text on the page: ${text.slice(0, 300)}`);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') check(r.target);
      for (const n of r.addedNodes) check(n);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Throws if a JSON-like value holds a number that is not finite, null or undefined. */
export function assertFinite(value, where = 'value') {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where} is ${value}`);
  } else if (value === null || value === undefined) {
    throw new Error(`${where} is ${value}`);
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertFinite(v, `${where}.${k}`);
  }
}

/** A page that records console errors, page errors, dialogs and requests to other origins. */
/** A new page at `url`; `cores` pretends the machine has that many (navigator.hardwareConcurrency). */
export async function open(browser, url, { width = 1280, height = 800, scale = 1, cores, locale } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale, locale });
  if (cores) await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
  const log = { errors: [], dialogs: [], foreign: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:')) log.foreign.push(r.url()); });
  await page.goto(url);
  return { page, log };
}

export function screenshotPath(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

/** Waits until the page has loaded the engine and built its experiment. */
export async function ready(page) {
  await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1', null, { timeout: 60_000 });
  await page.evaluate(() => window.mdn.ready);
}

/** Waits until the page has drawn everything of its latest snapshot (in `frame`, a
 * page or an iframe's frame; polled by a timer, which runs where animation frames don't). */
export async function settled(frame) {
  await frame.waitForFunction(() => window.mdn?.drawn(), null, { polling: 50, timeout: 120_000 });
}

/** Pixels of canvas `id` with any ink (alpha > 0), and of them the opaque near-black ones. */
export async function ink(page, id = 'heat') {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let any = 0;
    let black = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0) any++;
      if (d[i + 3] > 200 && d[i] < 40 && d[i + 1] < 40 && d[i + 2] < 40) black++;
    }
    return { any, black, total: d.length / 4 };
  }, id);
}

/** The fraction of canvas `id` that is drawn on: not a blank plot. */
export async function inked(page, id = 'heat') {
  const r = await ink(page, id);
  return r.any / r.total;
}

/** Draws a stroke on the handwriting pad through `pts`, fractions of its box. */
export async function drawStroke(page, pts) {
  await page.$eval('#hw-pad', (e) => e.scrollIntoView({ block: 'center' }));
  const box = await (await page.$('#hw-pad')).boundingBox();
  const at = ([u, v]) => [box.x + box.width * u, box.y + box.height * v];
  await page.mouse.move(...at(pts[0]));
  await page.mouse.down();
  for (const p of pts.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

const AXE = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
export const AXE_RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe-core's violations on the page as it is now: [rule: targets]. */
export async function axe(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_RULES);
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}
