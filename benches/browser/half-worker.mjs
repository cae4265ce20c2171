// One of the two workers of two-workers.mjs: trains its half of the samples, then swaps
// the step's payloads with the other worker, in lockstep, for a few seconds.
import init, { Trainer } from './dist/mdn-playground.js';

onmessage = async (e) => {
  const { port, spec, sizes, seconds, train, leader } = e.data;
  await init();
  const t = new Trainer(spec);
  // Stand-ins for the wasm memory the payloads are copied out of and into.
  const mine = { blocks: new Float32Array(sizes.blocks).fill(1), grads: new Float32Array(sizes.grads).fill(1) };
  const theirs = { blocks: new Float32Array(sizes.blocks), grads: new Float32Array(sizes.grads) };
  const inbox = [];
  let waiting = null;
  port.onmessage = (m) => {
    inbox.push(m.data);
    if (waiting) waiting();
  };
  const receive = () => (inbox.length ? Promise.resolve() : new Promise((r) => { waiting = r; })).then(() => { waiting = null; return inbox.shift(); });
  // The leader says when to stop; both stop after the same swap.
  // Buffers go back and forth (each side sends on the one it last received), so that no
  // step allocates: only the copies out of and into wasm memory remain.
  const spare = { blocks: new Float32Array(sizes.blocks), grads: new Float32Array(sizes.grads) };
  const swap = async (what, stop) => {
    const out = spare[what];
    out.set(mine[what]); // out of wasm memory
    port.postMessage({ out, stop }, [out.buffer]);
    const got = await receive();
    theirs[what].set(got.out); // into wasm memory
    spare[what] = got.out;
    return stop || got.stop;
  };
  let steps = 0;
  let t0 = 0;
  for (let i = 0; ; i++) {
    if (i === 5) t0 = performance.now();
    if (train) t.step(1);
    await swap('blocks', false);
    const late = leader && i >= 5 && performance.now() - t0 > seconds * 1000;
    const stop = await swap('grads', late);
    if (i >= 5) steps++;
    if (stop) break;
  }
  postMessage({ steps, seconds: (performance.now() - t0) / 1000 });
};
