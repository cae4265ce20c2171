// The documented API for embedding pages and automation: window.mdn (see the README).
import { S, $ } from './state.js';
import { E, engineBytes } from './engine.js';
import { MSG } from './protocol.js';
import { ask, workerRestart } from './worker-client.js';
import { importModel, embedCode } from './links.js';
import { usePoints } from './points.js';
import { startSweep } from './sweep.js';
import { step, applySampling } from './controls.js';
import { setTarget } from './pointer.js';
import { resetStats } from './draw.js';
import { recoverEngine } from './recovery.js';
import { svgOf } from './figures.js';

export function installApi(first) {
  window.mdn = {
    version: E().version(),
    ready: first.then(() => undefined),
    ...experimentApi(),
    ...viewApi(),
    ...testApi(),
  };
}

/** The experiment: its spec, training, model, data and sweep. */
function experimentApi() {
  return {
    spec: () => S.viewer.spec(),
    metrics: () => ask({ type: MSG.METRICS }),
    step,
    /** Loads a model file's text (the CLI's format). */
    loadModel: (text) => importModel(text),
    /** The model in the CLI's JSON format. */
    modelJson: () => S.viewer.model_json(),
    /** Runs a K sweep (K = 1…kMax, `seeds` seeds) in the background; a promise of its report. */
    sweep: ({ kMax = 8, seeds = 3 } = {}) => startSweep(kMax, seeds),
    /** Uses CSV text (2 or 3 columns) as the data; false with a message if it cannot. */
    usePoints: (text) => usePoints(text, 'Points'),
    /** The iframe snippet for this experiment. */
    embedCode: () => embedCode(),
    /** The loss histories as CSV (`step,series,nll`), as "Loss history (CSV)" saves them. */
    lossHistory: () => S.viewer.history_csv(),
    /** How this experiment trains: on one worker (`helper` null, also before it has
     * trained), or with a helper worker for the regressor ({slices, replays}: slices of
     * steps so far, and those trained again alone after a halt or a failed helper). */
    training: () => ({ helper: S.worker.helper ? { ...S.worker.helper } : null }),
  };
}

/** What the page shows: the views' target and sampling, figures, calibration, the tour. */
function viewApi() {
  return {
    /** The 2-D views' input: get it, or move it (clamped to the data's range). */
    target: (x) => (x === undefined ? Array.from(S.viewer.target()) : setTarget(x)),
    /** What the 2-D views show at the target (components, poses and miss distances). */
    targetReport: () => S.viewer.target_report(),
    /** Sampling settings of the views: temperatures, number of samples, mode. */
    setSampling: ({ tempPi = 1, tempSigma = 1, n = 0, mode = false } = {}) => {
      $('samp-tpi').value = tempPi;
      $('samp-ts').value = tempSigma;
      $('samp-n').value = String(n);
      $('samp-mode').checked = mode;
      applySampling();
    },
    /** Plot `which` (main, slice, params, loss, planes, sweep) as SVG text. */
    svg: (which) => svgOf(which),
    /** The last finished calibration report ({mdn, baseline, truth?}), or undefined. */
    calibration: () => S.viewer.calibration(),
    /** Resolves with the calibration report of the current parameters, once scored
     * (undefined at once for data with more than one input or output). */
    calibrationFresh: () => new Promise((resolve) => {
      const [din, dout] = S.viewer.dims();
      if (din !== 1 || dout !== 1) return resolve(undefined); // one input and one output only
      const poll = () => {
        if (S.viewer.calibration_fresh()) {
          S.calWanted = false;
          resolve(S.viewer.calibration());
        } else {
          S.calWanted = true; // scored even when the panel is not shown
          setTimeout(poll, 100);
        }
      };
      poll();
    }),
    /** What the tour step says is done (plain text), or undefined. */
    tourCheck: () => S.viewer.tour_check(),
    /** The page is dark (theme= or the system). */
    dark: () => S.dark,
  };
}

/** For screenshots, tests and benchmarks: drawing state and statistics, and hooks. */
function testApi() {
  return {
    /** Drawing statistics: plot updates so far and the slowest ones, in ms; the
     * engine's memory in bytes. */
    stats: () => ({ ...S.stats, engineBytes: engineBytes() }),
    /** Whether everything of the latest snapshot is drawn (for screenshots and tests:
     * wait for this rather than for a time). */
    drawn: () => Boolean(S.viewer) && !S.dirty && !S.panelsDue && !S.viewer.intervals_pending(),
    /** Whether the page is seen (in view, its tab shown): only then does it train and draw. */
    seen: () => S.seen,
    resetStats,
    /** For the tests: the longest step the page trains on two workers (default 50 ms;
     * the helper's own tests pass a large value, so as not to depend on the machine). */
    helperStepMs: (ms) => {
      S.worker.helperStepMs = ms; // kept for a worker started anew
      return ask({ type: MSG.HELPER_LIMIT, ms });
    },
    /** For the tests: make the engine trap, as a bug in it would (the page recovers). */
    trapForTest: ({ worker = false, helper = false } = {}) => {
      if (helper) return ask({ type: MSG.DEBUG_TRAP, helper: true });
      if (worker) return ask({ type: MSG.DEBUG_TRAP }).catch(() => workerRestart());
      try {
        E().debug_trap();
      } catch (err) {
        return recoverEngine(err);
      }
    },
  };
}
