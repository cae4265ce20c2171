// The worker protocol, written down once: every message between the page
// (worker-client.js) and the training worker (worker.js), with its fields.
//
// Page → worker (each may carry an `id`; the worker answers it, see SNAPSHOT):
//   MODULE    {module}                  first: the compiled engine (a WebAssembly.Module)
//   SPEC      {hash, generation}        a new experiment from a link (Trainer::new)
//   IMPORT    {text, generation}        a new experiment from a model file
//   PLAY      {on}                      start or pause training
//   STEP      {n}                       train n steps, then pause
//   METRICS   {}                        fresh metrics (answered at once, even while training)
//   SWEEP     {hash, kMax, seeds, sweepGen}  a K sweep of the spec (training pauses)
//   SWEEP_CANCEL {sweepGen}
//   EXPORT    {to}                      the experiment as a zipped project in framework `to` (training
//                                       pauses; the band trains the spec over 5 seeds)
//   DEBUG_TRAP {}                       for the tests: the engine traps
// Worker → page:
//   SNAPSHOT  {ids, gen, playing, bytes}  `bytes`: a Snapshot (src/snapshot.rs, read by
//             Viewer::apply); `ids`: the messages it answers (sent once their work is
//             done and the metrics are fresh); `gen`: the generation of the experiment
//   SWEEP     {gen, done, progress: [done, all], report (JSON)}
//             or {gen, done: true, cancelled: true, reason}: why a sweep stopped
//   EXPORTED  {ids, bytes}              the zip of an EXPORT
//   ERROR     {ids, fatal, message}     `fatal`: the engine trapped (start a new worker)
export const MSG = Object.freeze({
  MODULE: 'module',
  SPEC: 'spec',
  IMPORT: 'import',
  PLAY: 'play',
  STEP: 'step',
  METRICS: 'metrics',
  SWEEP: 'sweep',
  SWEEP_CANCEL: 'sweep-cancel',
  EXPORT: 'export',
  EXPORTED: 'exported',
  DEBUG_TRAP: 'debug-trap',
  SNAPSHOT: 'snapshot',
  ERROR: 'error',
});

/** Work per slice in the worker: about 30 snapshots a second. */
export const SLICE_MS = 30;
/** Validation metrics cost several milliseconds: about once a second while training,
 * more often at the start (100, 200, 400, 800 ms), where the curves fall fastest. */
export const METRICS_MS = 1000;
export const METRICS_FIRST_MS = 100;
/** The most steps one STEP message trains. */
export const STEP_MAX = 1_000_000;
