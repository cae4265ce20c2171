// In headless Chromium: the handwriting page writes a typed text on arrival with the model
// shipped with the page, bit for bit as `mdn strokes write` does; the letter under the
// window follows the alignment; bad text gets a message (never HTML); the link carries
// the text; the embed fits its frame; "train your own" trains a synthesis network from
// scratch or from the shipped model in the worker and writes with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, ink, screenshotPath, drawStroke, axe } from './harness.mjs';

let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const root = path.resolve(import.meta.dirname, '../..');
const PAGE = 'www/handwriting.html';
const MODEL = path.join(root, 'www/models/synthesis.json');

/** Waits until the typed text is written and all of it shown. */
const written = (frame) => frame.waitForFunction(() => window.mdnHand?.textDone(), null, { polling: 50, timeout: 60_000 });

/** What `mdn strokes write` writes with the shipped model. */
function cli(text, bias, seed) {
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'strokes', 'write', '--model', MODEL,
    '--text', text, '--bias', String(bias), '--seed', String(seed), '--json'], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out);
}

test('on arrival the shipped model writes the text, bit for bit as mdn strokes write, and the window\'s letter is marked', { timeout: 180_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}`);
  await written(page);
  const line = await page.evaluate(() => window.mdnHand.textLine());
  const want = cli('Mixture density', 1, 2);
  assert.deepEqual(line.moves, want.moves.flat(), 'the same moves, to the last bit');
  assert.deepEqual(line.phi_argmax, want.phi_argmax);
  assert.match(await page.textContent('#hw-line-note'), /Written by the model shipped with the page in \d+ pen moves .*passed the last character/);
  assert.ok((await ink(page, 'hw-line')).black > 300, 'the line is drawn');
  assert.ok((await ink(page, 'hw-align')).any > 1000, 'the alignment is drawn');
  assert.ok((await ink(page, 'hw-blind')).black > 300, 'the unconditional model writes beside it');
  // Scrub to a move: the marked letter is the one φ weighs most there.
  const n = want.moves.length;
  for (const at of [0, Math.floor(n / 2), n - 1]) {
    await page.$eval('#hw-at', (e, v) => { e.value = String(v); e.dispatchEvent(new Event('input')); }, at);
    await page.waitForFunction(() => window.mdnHand.textDone(), null, { polling: 50 });
    const on = await page.$$eval('#hw-letters span', (s) => s.findIndex((x) => x.classList.contains('on')));
    assert.equal(on, want.phi_argmax[at], `the letter marked at move ${at}`);
    // A screen reader hears it as the slider's value.
    const letter = [...'Mixture density'][on];
    assert.equal(await page.$eval('#hw-at', (e) => e.getAttribute('aria-valuetext')), `pen move ${at} of ${n}: the window reads “${letter}”, character ${on + 1} of 15`);
  }
  assert.equal(await page.textContent('#hw-at-out'), `${n - 1} of ${n}`);
  // Another draw: the pen is revealed as it goes, and the text stays in the link.
  await page.fill('#hw-text', 'Hello world');
  await page.click('#hw-say');
  await written(page);
  const hello = (await page.evaluate(() => window.mdnHand.textLine())).moves;
  assert.deepEqual(hello, cli('Hello world', 1, 3).moves.flat());
  assert.match(page.url(), /[#&]text=Hello%20world&draw=3(&|$)/);
  // The link reproduces the line: the same text, bias and draws.
  const shared = await page.context().newPage();
  await shared.goto(page.url());
  await written(shared);
  assert.deepEqual((await shared.evaluate(() => window.mdnHand.textLine())).moves, hello);
  await shared.close();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: screenshotPath('writing-1280.png') });
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a link writes its own text and bias; characters the pen cannot write get a message, never HTML', { timeout: 180_000 }, async () => {
  const bad = '#text=Hi%20%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20there&bias=9';
  const { page, log } = await open(browser, `${server.url}${PAGE}${bad}`);
  await written(page);
  const issues = await page.$$eval('#issues li', (e) => e.map((x) => x.textContent));
  assert.ok(issues.some((t) => /the pen cannot write '<' '=' '\(' '\)' '>'/.test(t)), issues.join('\n'));
  assert.ok(issues.some((t) => /bias/.test(t)), issues.join('\n'));
  assert.equal(await page.inputValue('#hw-text'), 'Hi img srcx onerroralert1 there');
  assert.equal(await page.inputValue('#hw-bias'), '4');
  assert.equal(await page.$$eval('img', (e) => e.length), 0, 'no HTML from the link');
  // Typed: the message names the characters, and the line shown stays.
  const before = await page.evaluate(() => window.mdnHand.textLine().moves.length);
  await page.fill('#hw-text', 'naïve <b>x</b>');
  await page.click('#hw-say');
  assert.match(await page.textContent('#hw-line-note'), /cannot write 'ï' '<' '>' '\/'/);
  assert.equal(await page.$$eval('#hw-letters b, #hw-line-note b', (e) => e.length), 0);
  assert.equal(await page.evaluate(() => window.mdnHand.textLine().moves.length), before);
  await page.$eval('#hw-text', (e) => { e.value = 'x'.repeat(121); });
  await page.click('#hw-say');
  assert.match(await page.textContent('#hw-line-note'), /121 characters: the pen writes at most 120/);
  await page.fill('#hw-text', '');
  await page.click('#hw-say');
  assert.match(await page.textContent('#hw-line-note'), /Type something/);
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.errors, []);
  await page.close();
});

for (const [w, h] of [[480, 320], [640, 400], [860, 420]]) {
  test(`embedded in a ${w}×${h} frame, the writer fits without scrolling`, { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: w + 40, height: h + 60 } });
    await page.setContent(`<p>Lecture</p><iframe title="writer" src="${server.url}${PAGE}#embed=1&text=Hello%20world" width="${w}" height="${h}"></iframe>`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await written(frame);
    const fit = await frame.evaluate(() => {
      const d = document.documentElement;
      const inView = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.height > 20 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1; };
      return { scroll: d.scrollHeight - d.clientHeight, wide: d.scrollWidth - d.clientWidth, line: inView('hw-line'), align: inView('hw-align'), text: inView('hw-text') };
    });
    assert.deepEqual(fit, { scroll: 0, wide: 0, line: true, align: true, text: true });
    assert.ok((await ink(frame, 'hw-line')).black > 100, 'the line is drawn in the frame');
    await page.screenshot({ path: screenshotPath(`writing-embed-${w}x${h}.png`) });
    await page.close();
  });
}

test('train your own: from scratch, and from the shipped model, in the worker, then it writes', { timeout: 300_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}`);
  await written(page);
  const stepAtLeast = (n) => page.waitForFunction((n) => { const m = /^step (\d+)/.exec(document.getElementById('hw-status').textContent); return m && +m[1] >= n; }, n, { polling: 100, timeout: 240_000 });
  const pause = async () => {
    await page.click('#hw-play');
    await page.waitForFunction(() => document.getElementById('hw-play').getAttribute('aria-pressed') === 'false');
  };
  // NLLs of the status line: the synthesis network's, then the unconditional one's.
  const nlls = async () => (await page.textContent('#hw-status')).match(/synthesis LSTM-MDN (-?[\d.]+), unconditional LSTM-MDN (-?[\d.]+)/).slice(1).map(Number);

  await page.click('#hw-tune');
  for (const key of ['data=lines', 'window=10', 'steps=300', 'lr=0.001']) assert.match(page.url(), new RegExp(`[#&]${key}(&|$)`));
  await stepAtLeast(1);
  await pause();
  await page.waitForFunction(() => /your model at step [1-9]/.test(document.getElementById('hw-line-note').textContent), null, { timeout: 120_000 });
  const [tuned, one] = await nlls();
  assert.ok(tuned < one - 0.5, `from the shipped model, the writer starts far ahead of a fresh LSTM (${tuned} against ${one})`);
  // The loss curves' numbers as a table: the latest reading is the status line's.
  await page.click('#hw-loss-numbers summary');
  await page.waitForFunction(() => document.querySelector('#hw-loss-numbers tbody')?.rows.length > 0);
  const losses = await page.$$eval('#hw-loss-numbers tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
  console.log('handwriting loss table:', JSON.stringify(losses));
  assert.equal(losses[0][0], 'step');
  const [synthesis, unconditional] = losses.at(-1).slice(1, 3).map((v) => Number(v.replace('−', '-')));
  assert.ok(Math.abs(synthesis - tuned) < 0.0051 && Math.abs(unconditional - one) < 0.0051, `${losses.at(-1)} against ${tuned}, ${one}`);
  assert.equal(await page.inputValue('#hw-by'), 'yours');

  await page.click('#hw-own');
  assert.doesNotMatch(page.url(), /steps=300/);
  await stepAtLeast(2);
  await pause();
  await page.waitForFunction(() => /your model at step [1-9]/.test(document.getElementById('hw-line-note').textContent), null, { timeout: 120_000 });
  await written(page);
  const [fresh] = await nlls();
  assert.ok(fresh > tuned + 0.5, `from scratch it starts far behind (${fresh} against ${tuned})`);
  // The shipped model can be chosen again, and writes what it wrote at first.
  await page.selectOption('#hw-by', 'shipped');
  await written(page);
  assert.match(await page.textContent('#hw-line-note'), /model shipped with the page/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** A word of two strokes on the pad, starting at the fraction x0 of its width. */
async function drawWord(page, x0) {
  await drawStroke(page, Array.from({ length: 14 }, (_, i) => [x0 + 0.008 * i, 0.55 - 0.18 * Math.sin((Math.PI * i) / 13)]));
  await drawStroke(page, Array.from({ length: 10 }, (_, i) => [x0 + 0.12 + 0.006 * i, 0.4 + 0.015 * i]));
}

test('drawn words keep what they say (link and storage); the writer writes in your hand and fine-tunes on them', { timeout: 300_000 }, async () => {
  const { page, log } = await open(browser, `${server.url}${PAGE}`);
  await written(page);
  const unprimed = (await page.evaluate(() => window.mdnHand.textLine())).moves;
  // Write in my hand: the pad's word with what it says is read first.
  await page.check('#hw-primed');
  assert.match(await page.textContent('#hw-line-note'), /draw a word on the pad|type what your word/);
  await drawWord(page, 0.05);
  await page.fill('#hw-said', 'an');
  await page.click('#hw-say');
  await written(page);
  assert.match(await page.textContent('#hw-line-note'), /after reading your word on the pad/);
  assert.notDeepEqual((await page.evaluate(() => window.mdnHand.textLine())).moves, unprimed.slice(0, 3));
  await page.uncheck('#hw-primed');
  // Keep it with its text, then a second one; a transcript the pen cannot write is refused.
  await page.click('#hw-keep');
  assert.match(page.url(), /[#&]said=an(&|$)/);
  await drawWord(page, 0.3);
  await page.fill('#hw-said', 'mañana');
  await page.click('#hw-keep');
  assert.match(await page.textContent('#hw-note'), /Nothing kept: .*cannot write 'ñ'/);
  await page.fill('#hw-said', 'on');
  await page.click('#hw-keep');
  assert.match(page.url(), /[#&]said=an%7Con(&|$)/);
  await page.click('#hw-keep');
  assert.match(await page.textContent('#hw-note'), /Nothing kept: Draw a word first/);
  assert.deepEqual(await page.evaluate(() => [localStorage.getItem('mdn-hand-said'), Boolean(localStorage.getItem('mdn-hand-drawn'))]), ['an|on', true]);
  assert.match(await page.textContent('#hw-words'), /2 drawn words kept, 2 of them with what they say/);
  // Fine-tune the shipped writer on them, in the worker.
  await page.click('#hw-tune');
  for (const key of ['data=drawn', 'window=10', 'said=an%7Con', 'lr=0.001']) assert.match(page.url(), new RegExp(`[#&]${key}(&|$)`));
  assert.deepEqual(await page.$$eval('#issues li', (e) => e.map((x) => x.textContent)), []);
  await page.waitForFunction(() => /^step [1-9]/.test(document.getElementById('hw-status').textContent), null, { timeout: 240_000 });
  await page.click('#hw-play');
  await page.waitForFunction(() => /your model at step [1-9]/.test(document.getElementById('hw-line-note').textContent), null, { timeout: 120_000 });
  assert.match(await page.textContent('#hw-status'), /2 training and 1 validation|training and \d+ validation lines/);
  // A fresh visit to a drawn link without its words takes them from storage.
  const again = await page.context().newPage();
  await again.goto(`${server.url}${PAGE}#data=drawn&window=10`);
  await again.waitForFunction(() => document.getElementById('hw-status').dataset.ready);
  assert.match(again.url(), /said=an%7Con/);
  await again.close();
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('fine-tuning from the shipped model in the page has the bits of mdn strokes train --from', { timeout: 300_000 }, async () => {
  const spec = JSON.parse(fs.readFileSync(MODEL, 'utf8')).spec;
  const { page, log } = await open(browser, `${server.url}${PAGE}#${spec}&n=40&batch=4&steps=2&lr=0.001`);
  await written(page);
  await page.evaluate(() => window.mdnHand.startFromShipped());
  const snap = await page.evaluate(() => window.mdnHand.step(2));
  const link = await page.evaluate(() => window.mdnHand.link());
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'strokes', 'train', link, '--from', MODEL], { cwd: root, encoding: 'utf8' });
  const cli = JSON.parse(out.trim().split('\n').pop());
  assert.equal(snap.step, 2);
  assert.deepEqual(snap.val, [cli.val_nll.synthesis, cli.val_nll.lstm, cli.val_nll.feed_forward], 'validation NLLs bit for bit');
  assert.ok(cli.val_nll.synthesis < cli.val_nll.lstm - 0.5, `the tuned writer is far ahead (${cli.val_nll.synthesis} against ${cli.val_nll.lstm})`);
  assert.deepEqual(log.errors, []);
  await page.close();
});
