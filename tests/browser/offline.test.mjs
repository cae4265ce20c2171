// In headless Chromium: the playground once opened works without a network (the page, the
// engine, the handwriting page and its models, from the service worker's cache), it is
// installable (Chromium's own installability check), and a newly deployed build is
// fetched beside the old one and takes over only when no open page would go on running
// the old one: a page and the files it loads always come from one build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, launch, open, ready, dist, CHROMIUM } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LINK = '#n=400&k=3&hidden=16&steps=300&seed=4';

/** Waits until the service worker is active (its cache filled) and controls `page`. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
    await page.reload();
    await ready(page);
  }
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the page is served by the worker');
}

/** The build whose worker answers `page`. */
const buildOf = (page) => page.evaluate(() => new Promise((resolve) => {
  navigator.serviceWorker.addEventListener('message', (e) => { if (e.data?.type === 'BUILD') resolve(e.data.build); });
  navigator.serviceWorker.controller.postMessage({ type: 'BUILD' });
}));

/** Looks for a new build as the browser does on a visit: what became of its worker,
 * 'installed' (it waits) or 'redundant' (its install failed). */
const newWorker = (page) => page.evaluate(async () => {
  const r = await navigator.serviceWorker.getRegistration();
  const found = new Promise((resolve) => r.addEventListener('updatefound', () => resolve(r.installing), { once: true }));
  await r.update();
  const worker = r.installing ?? await found;
  return new Promise((resolve) => {
    const settled = () => { if (worker.state === 'installed' || worker.state === 'redundant') resolve(worker.state); };
    worker.addEventListener('statechange', settled);
    settled();
  });
});

test('once opened, the page trains and the handwriting page writes without a network, with the same numbers', { timeout: 240_000 }, async () => {
  const server = await serve('/sub/');
  try {
    const { page, log } = await open(browser, server.url + LINK);
    await ready(page);
    await page.evaluate(() => window.mdn.step(120));
    const online = await page.evaluate(() => window.mdn.metrics());
    await controlled(page);

    await page.context().setOffline(true);
    const before = [...server.served.values()].reduce((a, s) => a + s.count, 0);
    await page.reload();
    await ready(page);
    await page.evaluate(() => window.mdn.step(120));
    const offline = await page.evaluate(() => window.mdn.metrics());
    assert.equal(offline.step, 120);
    assert.deepEqual(offline, online, 'the same numbers offline, to the last bit');
    assert.match(await page.textContent('#status'), /^step 120/);

    // The handwriting page, never opened before, and its model: from the cache too.
    await page.goto(`${server.url}www/handwriting.html#text=offline`);
    await page.waitForFunction(() => window.mdnHand?.textDone(), null, { polling: 50, timeout: 60_000 });
    assert.match(await page.textContent('#hw-line-note'), /Written by the model shipped with the page/);
    const after = [...server.served.values()].reduce((a, s) => a + s.count, 0);
    assert.equal(after, before, 'nothing reached the server while offline');
    assert.deepEqual(log.errors, []);
  } finally {
    await server.close();
  }
});

test('the page is installable: Chromium finds nothing in the way (a profile of its own: incognito windows never install)', { timeout: 120_000 }, async () => {
  const server = await serve('/sub/');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mdn-profile-'));
  const context = await chromium.launchPersistentContext(profile, CHROMIUM);
  try {
    const page = await context.newPage();
    await page.goto(server.url + LINK);
    await ready(page);
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], 'the manifest parses');
    assert.match(manifest.url, /\/sub\/www\/manifest\.webmanifest$/);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'installable');
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('a new build waits beside the old one: open pages keep the old files, and it takes over only when the last page asks', { timeout: 240_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mdn-offline-'));
  fs.cpSync(dist, root, { recursive: true });
  const server = await serve('/', root);
  try {
    const { page, log } = await open(browser, server.url + LINK);
    await ready(page);
    await controlled(page);
    const first = await buildOf(page);
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`mdn-playground-${first}`]);

    // A half-deployed build, its worker there but a file still the old one: the worker
    // finds the file is not its build's and is not installed; the old one goes on.
    const sw = path.join(root, 'sw.js');
    const stamped = fs.readFileSync(sw, 'utf8');
    const stateFile = path.join(root, 'www/state.js');
    const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const oldSha = sha(stateFile);
    const marker = '\nglobalThis.mdnTestBuild = 2;\n';
    const next = 'b2'.padEnd(16, '0');
    fs.writeFileSync(sw, stamped.replace(first, next).replace(oldSha, '0'.repeat(64)));
    assert.equal(await newWorker(page), 'redundant', 'a build whose files do not match is not installed');
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`mdn-playground-${first}`]);
    assert.equal(await buildOf(page), first);

    // The whole new build: a changed module, and the worker's stamp with it.
    fs.appendFileSync(stateFile, marker);
    fs.writeFileSync(sw, stamped.replace(first, next).replace(oldSha, sha(stateFile)));
    assert.equal(await newWorker(page), 'installed');
    await page.waitForSelector('#update:not([hidden])');
    assert.match(await page.textContent('#update'), /newer version .* downloaded/);

    // The open page still gets its own build's files, though the server has the new ones.
    const state = () => fetch('./www/state.js', { cache: 'no-store' }).then((r) => r.text());
    assert.ok(!(await page.evaluate(state)).includes('mdnTestBuild'), 'the old page is not given the new build');
    // A page opened now is the old build too, whole.
    const second = await page.context().newPage();
    await second.goto(server.url + LINK);
    await ready(second);
    assert.equal(await second.evaluate(() => globalThis.mdnTestBuild), undefined);
    assert.equal(await buildOf(second), first);

    // With another page open, updating would leave it on the old page against new files.
    await page.click('#update button');
    await page.waitForFunction(() => /open in 1 other tab or frame/.test(document.getElementById('update').textContent));
    assert.equal(await page.evaluate(() => globalThis.mdnTestBuild), undefined);
    await second.close();

    // Alone, it may: the page reloads as the new build, whose cache is the only one left.
    await Promise.all([page.waitForEvent('load'), page.click('#update button')]);
    await ready(page);
    assert.equal(await page.evaluate(() => globalThis.mdnTestBuild), 2);
    assert.equal(await buildOf(page), next);
    assert.ok((await page.evaluate(state)).includes('mdnTestBuild'));
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`mdn-playground-${next}`]);
    assert.ok(await page.isHidden('#update'));

    // And the new build works offline.
    await page.context().setOffline(true);
    await page.reload();
    await ready(page);
    assert.equal(await page.evaluate(() => globalThis.mdnTestBuild), 2);
    assert.deepEqual(log.errors, []);
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
