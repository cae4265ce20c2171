// A gap in the training data and an ensemble in a link: the page says what each does
// here, trains with the gap, and its numbers are those of `mdn train` on the same link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, open, ready, inked, screenshotPath } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const LINK = 'n=400&hidden=8&k=3&steps=40&batch=100&ensemble=3&gap=0.35,0.55';

test('a gap and an ensemble in a link: the page says what they do, and trains member 1 with the bits of mdn train', async () => {
  const { page, log } = await open(browser, `${server.url}#${LINK}`);
  await ready(page);
  const note = await page.textContent('#datanote');
  assert.match(note, /No training point has x from 0\.35 to 0\.55 \(gap=\)/);
  assert.match(note, /ensemble=3: Play trains member 1; the panel "Two kinds of uncertainty" trains the other 2/);
  assert.match(page.url(), /&ensemble=3&gap=0\.35,0\.55/);
  assert.deepEqual(await page.$$eval('#issues li', (e) => e.map((x) => x.textContent)), []);
  // The form shows both keys; a wrong gap gets its message and is dropped.
  assert.equal(await page.inputValue('#spec-gap'), '0.35,0.55');
  assert.equal(await page.inputValue('#spec-ensemble'), '3');
  const m = await page.evaluate(() => window.mdn.step(40));
  const root = path.resolve(import.meta.dirname, '../..');
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', LINK, '--every', '40'], { cwd: root, encoding: 'utf8' });
  const last = JSON.parse(out.trim().split('\n').at(-1));
  for (const k of ['step', 'train_nll', 'val_nll', 'baseline_val_mse']) assert.equal(m[k], last[k], `${k}: member 1 is the single run of the link`);
  assert.equal(last.members_val_nll.length, 3);
  assert.equal(last.members_val_nll[0], last.val_nll);
  await page.goto(`${server.url}#gap=0.5`);
  await page.waitForFunction(() => document.querySelectorAll('#issues li').length > 0);
  assert.match(await page.textContent('#issues'), /gap: two different numbers/);
  assert.doesNotMatch(page.url(), /gap=/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

const MEMBERS = 'n=400&hidden=8&k=3&steps=60&batch=100&ensemble=4&gap=0.35,0.55';

test("an ensemble's other members train on the pool with the bits of mdn train, whatever the pool; the plots show all", async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'mdn', '--', 'train', MEMBERS, '--every', '60'], { cwd: root, encoding: 'utf8' });
  const last = JSON.parse(out.trim().split('\n').at(-1));
  const cli = last.members_val_nll.slice(1);
  const seen = [];
  for (const cores of [2, 4]) {
    const { page, log } = await open(browser, `${server.url}#${MEMBERS}`, { cores });
    await ready(page);
    assert.equal(await page.isVisible('#ensemble'), true);
    assert.match(await page.textContent('#ens-train'), /Train the other 3 members/);
    const before = await page.evaluate(() => window.mdn.step(60));
    await page.click('#ens-train');
    await page.waitForFunction(() => document.getElementById('ens-status').dataset.done === 'true', null, { timeout: 120_000 });
    const vals = JSON.parse(await page.$eval('#ens-status', (e) => e.dataset.vals));
    assert.deepEqual(vals, cli, `pool of ${cores - 1}: the members' validation NLL are mdn train's`);
    seen.push(vals);
    assert.match(await page.textContent('#ens-status'), /All 3 other members trained .* even mixture of all 4/);
    // The panel of the two uncertainties is drawn, and the main plot still shows member 1's numbers.
    assert.ok(await inked(page, 'split') > 0.01);
    assert.equal((await page.evaluate(() => window.mdn.metrics())).val_nll, before.val_nll);
    // The calibration panel scores the even mixture of all four, as mdn train does.
    const cal = await page.evaluate(() => window.mdn.calibrationFresh());
    assert.equal(cal.mdn.crps, last.ensemble_calibration.val_crps);
    assert.deepEqual(cal.mdn.hpd, last.ensemble_calibration.val_hpd_coverage);
    await page.waitForFunction(() => /Ensemble of 4 MDNs: CRPS/.test(document.getElementById('cal-text').textContent));
    // Any member's own (Choi) split can be drawn.
    assert.deepEqual(await page.$$eval('#ens-member option', (o) => o.map((x) => x.textContent)), ['member 1', 'member 2', 'member 3', 'member 4']);
    await page.selectOption('#ens-member', '3');
    await page.waitForFunction(() => window.mdn.drawn());
    // Its numbers as a table: both variances and member 3's split at 11 inputs, the gap named.
    await page.click('details[data-figure="split"] summary');
    await page.waitForFunction(() => document.querySelector('details[data-figure="split"] tbody')?.rows.length === 11);
    const split = await page.$eval('details[data-figure="split"] table', (t) => ({
      caption: t.caption.textContent,
      head: [...t.tHead.rows[0].cells].map((c) => c.textContent),
      rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
    }));
    assert.match(split.caption, /of the ensemble's 4 members in, and member 3's split$/);
    assert.deepEqual(split.head, ['x', 'aleatoric', 'epistemic', 'member 3: within', 'member 3: between']);
    for (const r of split.rows) {
      const x = parseFloat(r[0].replace('−', '-'));
      assert.equal(r[0].endsWith('(in the gap)'), x >= 0.35 && x <= 0.55, r[0]);
      for (const v of r.slice(1)) assert.ok(Number(v) >= 0 && Number.isFinite(Number(v)), `${r[0]}: ${v}`);
    }
    if (cores === 4) await page.screenshot({ path: screenshotPath('ensemble-1280.png'), fullPage: true });
    assert.deepEqual(log.errors, []);
    await page.close();
  }
  assert.deepEqual(seen[0], seen[1]);
});

test('a new experiment stops the members under way: none of theirs is shown, and the panel starts afresh', async () => {
  const long = 'n=400&hidden=8&k=3&steps=50000&batch=100&ensemble=3';
  const { page, log } = await open(browser, `${server.url}#${long}`, { cores: 3 });
  await ready(page);
  await page.click('#ens-train');
  // Some member's parameters are in: the plots show more than member 1.
  await page.waitForFunction(() => /the plots show all [23] as they are/.test(document.getElementById('ens-status').textContent));
  await page.goto(`${server.url}#${long.replace('ensemble=3', 'ensemble=2')}`);
  await page.waitForFunction(() => /Train the other member$/.test(document.getElementById('ens-train').textContent));
  await ready(page);
  await page.evaluate(() => window.mdn.step(20));
  assert.match(await page.textContent('#ens-status'), /^Member 1 is the network the page trains\. The other 1 start/);
  assert.equal(await page.isDisabled('#ens-train'), false);
  assert.equal(await page.isHidden('#ens-progress'), true);
  assert.deepEqual(log.errors, []);
  await page.close();
});
