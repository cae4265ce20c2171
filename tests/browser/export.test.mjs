// Issue 13 (first part): "Export as code (JAX)" in the page downloads the same project as
// `mdn export`, and its check passes where JAX is installed (make test installs it).
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

test('Export as code (JAX) downloads the project mdn export writes, and its check passes', async () => {
  const spec = 'n=1000&k=4&hidden=16&steps=300';
  const { page, log } = await open(browser, server.url + '#' + spec, { width: 1280, height: 900 });
  await ready(page);
  await page.evaluate(() => window.mdn.step(300));
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#exportjax')]);
  assert.equal(dl.suggestedFilename(), 'mdn-jax.zip');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdn-page-export-'));
  const zip = path.join(dir, 'mdn-jax.zip');
  await dl.saveAs(zip);
  await page.waitForFunction(() => /^Exported mdn-jax\.zip/.test(document.getElementById('exportnote').textContent));
  // Unzipped by Python's zipfile (an independent reader: CRCs checked).
  execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zip, dir]);
  const cli = path.join(dir, 'cli');
  execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'mdn', '--', 'export', spec, '--to', 'jax', '--out', cli], { cwd: root, stdio: 'ignore' });
  for (const f of ['data/train.csv', 'data/val.csv', 'data/SHA256SUMS', 'model.json', 'probes.json', 'experiment.py', 'README.md']) {
    assert.ok(fs.readFileSync(path.join(dir, 'mdn-jax', f)).equals(fs.readFileSync(path.join(cli, f))), `${f}: the page's equals mdn export's`);
  }
  const rp = JSON.parse(fs.readFileSync(path.join(dir, 'mdn-jax', 'recipe.json'), 'utf8'));
  const rc = JSON.parse(fs.readFileSync(path.join(cli, 'recipe.json'), 'utf8'));
  assert.deepEqual(rp.band, rc.band);
  assert.equal(rp.playground.val_nll, rc.playground.val_nll);
  let jax = true;
  try { execFileSync('python3', ['-c', 'import jax'], { stdio: 'ignore' }); } catch { jax = false; }
  if (jax) {
    const out = JSON.parse(execFileSync('python3', [path.join(dir, 'mdn-jax', 'experiment.py'), 'check'], { encoding: 'utf8' }).trim().split('\n').pop());
    assert.equal(out.check, 'ok');
    assert.ok(out.max_rel_error <= 1e-5);
  } else {
    console.log('(JAX not installed: the check of the download is in make test, which installs it)');
  }
  // A spec the export cannot reproduce: a clear message, no download.
  await page.goto(server.url + '#reinit_dead=100&n=300&steps=50');
  await page.reload();
  await ready(page);
  await page.click('#exportjax');
  await page.waitForFunction(() => /^Not exported: /.test(document.getElementById('exportnote').textContent));
  assert.match(await page.textContent('#exportnote'), /reinit_dead/);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(log.errors, []);
  await page.close();
});
