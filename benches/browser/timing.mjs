// The one timing loop of the browser benches: a few warm-up steps, then steps per second
// over `seconds` of calling `step` (bench.mjs, two-workers.mjs).
export function timeLoop(step, seconds) {
  for (let i = 0; i < 5; i++) step(); // warm up
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < seconds * 1000) {
    step();
    steps++;
  }
  return { steps, seconds: (performance.now() - t0) / 1000, steps_per_s: steps / ((performance.now() - t0) / 1000) };
}
