// "Export as code" in the page downloads the same project as `mdn export`, for
// JAX and for PyTorch, and its check passes where the framework is installed (make test
// installs JAX; make test-export also PyTorch, in its own environment: MDN_TORCH_PYTHON).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, ready } from './harness.mjs';

const root = path.resolve(import.meta.dirname, '../..');
let server, browser;
before(async () => { server = await serve('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Clicks Export as code for `to`, unzips the download (Python's zipfile, an independent
 * reader: CRCs checked) into `dir`, and returns the project's folder. */
async function exportFrom(page, to, dir) {
  await page.selectOption('#exportto', to);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#exportcode')]);
  assert.equal(dl.suggestedFilename(), `mdn-${to}.zip`);
  const zip = path.join(dir, `mdn-${to}.zip`);
  await dl.saveAs(zip);
  await page.waitForFunction((to) => document.getElementById('exportnote').textContent.startsWith(`Exported mdn-${to}.zip`), to);
  execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zip, dir]);
  return path.join(dir, `mdn-${to}`);
}

/** `python experiment.py check` in `project` with `python`, if it has the framework. */
function check(python, module, project) {
  try { execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }); } catch {
    console.log(`(${module} not installed here: the check of this download runs in make test-export)`);
    return;
  }
  const out = JSON.parse(execFileSync(python, [path.join(project, 'experiment.py'), 'check'], { encoding: 'utf8' }).trim().split('\n').pop());
  assert.equal(out.check, 'ok');
  assert.ok(out.max_rel_error <= 1e-10, JSON.stringify(out));
}

test('Export as code downloads the project mdn export writes, for JAX and PyTorch, and its check passes', async () => {
  const spec = 'n=1000&k=4&hidden=16&steps=300';
  const { page, log } = await open(browser, server.url + '#' + spec, { width: 1280, height: 900 });
  await ready(page);
  assert.deepEqual(await page.$$eval('#exportto option', (os) => os.map((o) => [o.value, o.textContent])), [['jax', 'JAX'], ['pytorch', 'PyTorch']]);
  await page.evaluate(() => window.mdn.step(300));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdn-page-export-'));
  for (const [to, python, module] of [['jax', 'python3', 'jax'], ['pytorch', process.env.MDN_TORCH_PYTHON ?? 'python3', 'torch']]) {
    const project = await exportFrom(page, to, dir);
    const cli = path.join(dir, `cli-${to}`);
    execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'mdn', '--', 'export', spec, '--to', to, '--out', cli], { cwd: root, stdio: 'ignore' });
    for (const f of ['data/train.csv', 'data/val.csv', 'data/SHA256SUMS', 'model.json', 'probes.json', 'experiment.py', 'requirements.txt', 'README.md']) {
      assert.ok(fs.readFileSync(path.join(project, f)).equals(fs.readFileSync(path.join(cli, f))), `${to} ${f}: the page's equals mdn export's`);
    }
    const rp = JSON.parse(fs.readFileSync(path.join(project, 'recipe.json'), 'utf8'));
    const rc = JSON.parse(fs.readFileSync(path.join(cli, 'recipe.json'), 'utf8'));
    assert.deepEqual(rp.band, rc.band);
    assert.equal(rp.playground.val_nll, rc.playground.val_nll);
    check(python, module, project);
  }
  assert.match(fs.readFileSync(path.join(dir, 'mdn-pytorch', 'experiment.py'), 'utf8'), /import torch/);
  // A spec the export cannot reproduce: a clear message, no download.
  await page.goto(server.url + '#reinit_dead=100&n=300&steps=50');
  await page.reload();
  await ready(page);
  await page.click('#exportcode');
  await page.waitForFunction(() => /^Not exported: /.test(document.getElementById('exportnote').textContent));
  assert.match(await page.textContent('#exportnote'), /reinit_dead/);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** The `val_nll` band of the recipe in a zip the engine wrote (stored, not deflated: read
 * as text). */
function bandOf(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.indexOf('"val_nll": [');
  return JSON.parse(text.slice(at + 11, text.indexOf(']', at) + 1));
}

test('the band takes every run: its extremes at each of the five positions, in the shipped build', async () => {
  // The page's engine folds the five runs' NLLs into [min, max]; an optimizer option once
  // made the release build drop the last one. The same inputs natively: tests/native/export.rs.
  const { page, log } = await open(browser, server.url + '#data=ring&n=200&k=2&hidden=4&steps=3');
  await ready(page);
  const bands = await page.evaluate(async () => {
    const engine = await import(new URL('mdn-playground.js', location.href).href);
    const out = [];
    for (let pos = 0; pos < 5; pos++) {
      for (const extreme of [-9, 9]) {
        const vals = new Float64Array([0.25, 0.5, 0.125, 0.375, 0.0625]);
        vals[pos] = extreme;
        const t = new engine.Trainer('#data=ring&n=200&k=2&hidden=4&steps=3');
        const sorted = Array.from(vals).sort((a, b) => a - b);
        out.push([pos, extreme, [sorted[0] - 0.1, sorted[4] + 0.1], Array.from(t.export_zip('jax', vals, undefined))]);
        t.free();
      }
    }
    return out;
  });
  for (const [pos, extreme, want, bytes] of bands) {
    const [lo, hi] = bandOf(bytes);
    assert.ok(Math.abs(lo - want[0]) < 1e-12 && Math.abs(hi - want[1]) < 1e-12, `extreme ${extreme} at ${pos}: band [${lo}, ${hi}], want [${want}]`);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('an export whose experiment changes while its band trains is refused, never mixed', async () => {
  const { page, log } = await open(browser, server.url + '#n=4000&k=6&hidden=24,24&steps=400', { width: 1280, height: 900 });
  await ready(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.click('#exportcode');
  await page.waitForFunction(() => /\(\d+%\)/.test(document.getElementById('exportnote').textContent));
  // Another experiment while the band trains (as a new link, or a host's mdn:spec, would).
  await page.evaluate(() => { location.hash = '#n=500&k=2&hidden=8&steps=100'; });
  await page.waitForFunction(() => /^Not exported: /.test(document.getElementById('exportnote').textContent));
  assert.match(await page.textContent('#exportnote'), /experiment changed/);
  // The worker too refuses a band of another experiment.
  const refused = await page.evaluate(async () => {
    const engine = await import(new URL('mdn-playground.js', location.href).href);
    const t = new engine.Trainer('#n=500&k=2&hidden=8&steps=100');
    try {
      t.export_zip('jax', new Float64Array([0, 0, 0, 0, 0]), 'n=4000&k=6');
      return 'exported';
    } catch (err) {
      return String(err);
    } finally {
      t.free();
    }
  });
  assert.match(refused, /experiment changed/);
  // Exporting the new experiment works, with its own band.
  await page.click('#exportcode');
  await page.waitForFunction(() => /^(Exported|Not exported)/.test(document.getElementById('exportnote').textContent), null, { timeout: 120_000 });
  assert.match(await page.textContent('#exportnote'), /^Exported /);
  assert.equal(downloads, 1);
  assert.deepEqual(log.errors, []);
  await page.close();
});
