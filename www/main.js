// Loads the wasm engine, runs a short experiment from the URL hash, and shows the result.
import init, { version, Playground } from '../mdn-playground.js';

const status = document.getElementById('status');
const issuesList = document.getElementById('issues');

async function main() {
  await init();
  const pg = new Playground(location.hash);
  for (const msg of pg.issues()) {
    const li = document.createElement('li');
    li.textContent = msg; // user text: never innerHTML
    issuesList.appendChild(li);
  }
  pg.step(200);
  const m = pg.metrics();
  status.textContent = `Engine ${version()} loaded. After ${m.step} steps: validation NLL ${m.val_nll.toFixed(3)} nats (MSE baseline ${m.baseline_val_nll.toFixed(3)}).`;
  status.dataset.ready = '1';
  window.mdn = { version: version(), spec: () => pg.spec(), metrics: () => pg.metrics(), step: (n) => { pg.step(n); return pg.metrics(); } };
}

main().catch((e) => {
  status.textContent = `The engine failed to load: ${e}`;
  status.dataset.ready = 'error';
});
