// The worker protocol, written down once: every message between the page
// (worker-client.js) and the training worker (worker.js), between the training worker
// (baseline-client.js) and its helper (baseline-worker.js), and between the page's pool
// (sweep-pool.js) and its sweep workers (sweep-worker.js), with their fields.
//
// Page → worker (each may carry an `id`; the worker answers it, see SNAPSHOT). A link with
// compare= has a second training worker for its second experiment (compare.js): sent its
// own SPEC, then STEP {to} with the first experiment's step at each of its snapshots, so
// that it trains to where the first one is, never past it:
//   MODULE    {module, helper}          first: the compiled engine (a WebAssembly.Module);
//                                       `helper`: train the regressor on a second worker
//   SPEC      {hash, generation}        a new experiment from a link (Trainer::new)
//   IMPORT    {text, generation}        a new experiment from a model file
//   PLAY      {on}                      start or pause training
//   SPEED     {rate}                    Play's pace: steps a second (0: as fast as the engine
//                                       goes); STEP is never paced
//   STEP      {n} or {to}               train n steps (or up to step `to`; a halted run then
//                                       stays halted), then pause
//   METRICS   {}                        fresh metrics (answered at once, even while training)
//   EXPORT    {to, band, spec}          the experiment as a zipped project in framework `to` (training
//                                       pauses); `band`: the validation NLLs of the band's runs
//                                       (export_band_links, trained on the sweep pool), a
//                                       Float64Array; without it the worker trains them itself;
//                                       `spec`: the experiment the band is of (refused if the
//                                       worker holds another)
//   DEBUG_TRAP {helper}                 for the tests: the engine traps (`helper`: the helper's)
//   HELPER_LIMIT {ms}                    for the tests: the longest step trained on two workers
//                                       (default HELPED_STEP_MS), so that a test of the helper
//                                       does not depend on how fast the machine is
// Worker → page:
//   SNAPSHOT  {ids, gen, playing, training, bytes, helper}  `training`: playing or steps
//             asked for still to train; `bytes`: a Snapshot (src/train/snapshot.rs,
//             read by Viewer::apply); `ids`: the messages it answers (sent once their work
//             is done and the metrics are fresh); `gen`: the generation of the experiment;
//             `helper`: null, or {slices, replays} trained with the helper, and trained
//             again alone (a halt, a failed helper)
//   EXPORTED  {ids, bytes}              the zip of an EXPORT
//   ERROR     {ids, fatal, message}     `fatal`: the engine trapped (start a new worker)
//
// Training worker → its helper (trains the MSE regressor, src/train/helper.rs):
//   MODULE    {module}                  first: the compiled engine
//   BASELINE  {link, order, tag}        train the regressor of the experiment of `link` as
//                                       `order` says (bytes of Trainer::lead_begin)
//   DEBUG_TRAP {}                       for the tests: the helper's engine traps on its next order
// Helper → training worker:
//   BASELINE_DONE {tag, report}         done: `report`, bytes for Trainer::lead_finish
//   ERROR     {message}                 the order failed (the training worker goes on alone)
//
// Page → sweep worker (a K sweep trains on the pool while training pauses):
//   MODULE    {module}                  first: the compiled engine
//   RUN       {link, index}             train run `index` of the sweep (SweepRun::job_links)
// Sweep worker → page:
//   RUN_PROGRESS {index, fraction}      about every RUN_SLICE_MS while the run trains
//   RUN_ROW   {index, row (JSON)}       the run's row (for SweepRun::add_row); then the next RUN
//   ERROR     {message}                 the run failed (the pool stops the sweep)
// Page → sweep worker (an ensemble's other members train on the same pool):
//   MEMBER    {link, index}             train member `index` (1 … ensemble − 1) of the
//                                       link's spec to its planned steps (MemberJob)
// Sweep worker → page:
//   MEMBER_PROGRESS {index, step, fraction, params, done, val_nll}
//                                       about every RUN_SLICE_MS: `params` the MDN's
//                                       (Float64Array, for Viewer::set_member); `val_nll`
//                                       once `done`
//
// The handwriting page (hand.js) → its worker (hand-worker.js, a HandTrainer):
//   MODULE    {module}                  first: the compiled engine
//   HAND_SPEC {link, gen}               a new run from the page's canonical link
//   PLAY      {on}                      start or pause training
//   STEP      {n}                       train n steps (at most STEP_MAX), then pause
//   HAND_START {gen, model}             run `gen`'s LSTM-MDN starts from this model file's
//                                       text (before its first step): fine-tuning
// Hand worker → page:
//   HAND_SNAPSHOT {gen, playing, validating, snap}  `snap`: a HandSnapshot (src/web/strokes.rs,
//                                       read by HandViewer::apply), about every SLICE_MS;
//                                       `validating`: fresh validation NLLs are on their way
//   ERROR     {message}                 the run failed
export const MSG = Object.freeze({
  MODULE: 'module',
  SPEC: 'spec',
  IMPORT: 'import',
  PLAY: 'play',
  SPEED: 'speed',
  STEP: 'step',
  METRICS: 'metrics',
  RUN: 'run',
  RUN_PROGRESS: 'run-progress',
  RUN_ROW: 'run-row',
  MEMBER: 'member',
  MEMBER_PROGRESS: 'member-progress',
  BASELINE: 'baseline',
  BASELINE_DONE: 'baseline-done',
  EXPORT: 'export',
  EXPORTED: 'exported',
  DEBUG_TRAP: 'debug-trap',
  HELPER_LIMIT: 'helper-limit',
  SNAPSHOT: 'snapshot',
  HAND_SPEC: 'hand-spec',
  HAND_SNAPSHOT: 'hand-snapshot',
  HAND_START: 'hand-start',
  ERROR: 'error',
});

/** Work per slice in the worker: about 30 snapshots a second. */
export const SLICE_MS = 30;
/** The helper trains the regressor only for networks whose step takes at most this (as
 * measured training alone first): a slice on two workers ends on a whole step, and a
 * pause waits for it. */
export const HELPED_STEP_MS = 50;
/** A sweep worker's progress reports: ten a second. */
export const RUN_SLICE_MS = 100;
/** The handwriting page's validation: about once a second while training. (The
 * playground measures by step: Trainer::steps_to_due.) */
export const METRICS_MS = 1000;
/** The most steps one STEP message trains. */
export const STEP_MAX = 1_000_000;
