// A monkey test: a few hundred random clicks, field edits and key presses, from a fixed
// seed, on the full page at desktop and at phone width. Afterwards the page must still
// train and show finite numbers; no error, no NaN, Infinity, null or undefined on the page
// at any moment (harness.mjs watches every change of its text), no dialog box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, ready, inked, assertFinite, screenshotPath, settled } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** mulberry32: a small seeded generator, so that a failure replays the same actions. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values typed into the form: good ones, limits, and hostile ones. Kept to networks that
// train in well under a second a step, so that the run stays short.
const VALUES = ['', '0', '-1', '1', '2', '3', '7', '12', '1e3', '3.0', '-0', '0.5', '1e-9', '1e308', 'NaN', 'inf',
  'abc', '<b>x</b>', '"><img src=x onerror=alert(1)>', '8,8', '4,4,4,4,4', '0,0', 'all', 'tanh', 'relu', 'full',
  '200', '500', '0.01', '0.999', '%zz', '１２', '9007199254740993'];
const KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter', ' ', 'Tab', 'Escape', 'Home', 'End', 'PageDown', 'a', '9'];
const FIELD_LIMITS = { n: 3000, hidden: 32, batch: 3000 };

async function act(page, next, pick) {
  // A dialog opened by a key on its button (the embed builder) is closed as a user would.
  if (await page.$('dialog[open]')) {
    await page.keyboard.press('Escape');
    return;
  }
  const r = next();
  if (r < 0.35) {
    // Click something a user can click: a button, a checkbox, a lab link, a canvas.
    const targets = await page.$$('button:visible, input[type=checkbox]:visible, #lab a:visible, canvas:visible, summary:visible');
    const el = pick(targets);
    const box = el && (await el.boundingBox());
    if (!box) return;
    const id = await el.evaluate((e) => e.id);
    if (['savepng', 'savesvg', 'savemodel', 'savecsv', 'savecsvpts', 'copy', 'embedcode', 'exportcode'].includes(id)) return; // downloads, clipboard
    await page.mouse.click(box.x + next() * box.width, box.y + next() * box.height);
  } else if (r < 0.65) {
    // Type a value into a spec field or the sweep fields, then leave it (change event).
    const fields = await page.$$('#spec input:visible, #spec select:visible, #sweep-k, #sweep-seeds');
    const el = pick(fields);
    if (!el) return;
    const [tag, name] = await el.evaluate((e) => [e.tagName, e.name]);
    if (tag === 'SELECT') {
      const opts = await el.evaluate((e) => Array.from(e.options, (o) => o.value));
      await el.selectOption(pick(opts));
    } else {
      let v = pick(VALUES);
      const cap = FIELD_LIMITS[name];
      if (cap && /^\d+(\.\d+)?(e\d+)?$/.test(v) && Number(v) > cap) v = String(cap);
      if (name === 'hidden' && /^\d/.test(v)) v = v.split(',').map((w) => String(Math.min(32, Number(w) || 1))).join(',');
      // As typed or pasted (a number field takes what it can of it).
      await el.evaluate((e, value) => { e.value = value; }, v);
      await el.dispatchEvent('input');
      await el.dispatchEvent('change');
    }
  } else if (r < 0.8) {
    // Sampling controls: ranges, the sample count.
    const el = pick(await page.$$('input[type=range]:visible, #samp-n:visible'));
    if (!el) return;
    if (await el.evaluate((e) => e.tagName === 'SELECT')) {
      const opts = await el.evaluate((e) => Array.from(e.options, (o) => o.value));
      await el.selectOption(pick(opts));
    } else {
      await el.fill(String(Math.round(next() * 60) / 20));
    }
  } else if (r < 0.95) {
    // Keys, on whatever has the focus (the plots take arrows).
    const focus = pick(await page.$$('#stack:visible, #instack:visible, button:visible'));
    if (focus) await focus.focus();
    await page.keyboard.press(pick(KEYS));
  } else {
    // Paste a small CSV, or garbage.
    const csv = next() < 0.5 ? Array.from({ length: 20 + Math.floor(next() * 40) }, (_, i) => `${i / 40},${Math.sin(i)}`).join('\n') : 'x,y\n<script>alert(1)</script>\nNaN,NaN\n1,2,3';
    await page.fill('#csvtext', csv);
    await page.click('#usecsv');
  }
}

for (const [label, width, height, seed] of [['desktop', 1280, 900, 20261124], ['phone', 390, 844, 7]]) {
  test(`monkey (${label}): 150 random actions, then training still works and shows finite numbers`, async () => {
    const { page, log } = await open(browser, server.url + '#n=600&hidden=8,8&k=4&steps=3000', { width, height });
    await ready(page);
    const next = rng(seed);
    const pick = (list) => (list.length ? list[Math.floor(next() * list.length)] : null);
    for (let i = 0; i < 150; i++) {
      await act(page, next, pick);
      if (i % 10 === 0) await page.waitForTimeout(30);
    }
    await page.screenshot({ path: screenshotPath(`monkey-${label}.png`) });
    // The page still works: a known experiment trains and shows finite numbers.
    await page.evaluate(() => { location.hash = '#n=400&hidden=8&k=3&steps=1000&batch=all'; });
    await page.waitForFunction(() => /n=400&/.test(window.mdn.spec()));
    if (await page.getAttribute('#play', 'aria-pressed') === 'true') await page.click('#play');
    const m = await page.evaluate(() => window.mdn.step(100));
    assertFinite(m, 'metrics');
    assert.equal(m.step, 100);
    assert.ok(m.val_nll < 0.5, `trains: ${m.val_nll}`);
    await page.waitForFunction(() => /step 100 of 1000/.test(document.getElementById('status').textContent));
    assert.match(await page.textContent('#status'), /validation NLL: MDN −?\d+\.\d{3}/);
    await settled(page);
    assert.ok((await inked(page)) > 0.3, 'the plot is drawn');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    await page.close();
  });
}
