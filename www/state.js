// The page's state, in one object, and the one way to ask for a redraw.
export const $ = (id) => document.getElementById(id);

export const S = {
  viewer: null, // the Viewer: what the page shows (src/web/viewer/)
  lang: 'en', // the page's language, chosen as it opens (lang.js)
  keys: [], // the spec's keys, with their kinds (spec_keys)
  generation: 0, // which experiment the worker's snapshots belong to
  snapshots: 0, // snapshots taken in (A's and B's): what the plots show has changed
  playing: false,
  training: false, // the worker is training (playing, or steps asked for)
  stepsWindow: [], // [time, steps] samples for steps/s
  twoD: false, // two output dimensions: the input and output planes instead of the main plot
  embedObserved: false, // the embed's grid is laid out again when its size changes
  dark: false, // the page and its plots are dark (theme.js)
  calDue: false, // a new calibration report to draw
  calWanted: false, // a report is awaited (window.mdn.calibrationFresh), panel shown or not
  // Drawing
  dirty: true, // the main plot is due
  panelsDue: true, // the panels (loss, slice, parameters) are due
  lastLossAt: 0,
  lastMainAt: 0,
  plotRect: null, // the main plot's area in canvas pixels
  staticKey: '', // what the main plot's static layer was drawn for
  planeKey: '',
  inRect: null, // input plane: [x0, y0, x1, y1] in canvas pixels and [vx0, vx1, vy0, vy1]
  outRect: null,
  sliceX: null, // x0 of the slice panel, in data units (null: the middle)
  stats: { draws: 0, maxMainMs: 0, maxLossMs: 0, totalMainMs: 0 },
  shownDiag: '',
  // Your own points
  userPoints: null, // [[x, y], ...] while drawing on the plot
  lastEdit: 0,
  ownPoints: null, // the CSV of the set this page last kept or took from storage
  // The K sweep: the report drawn, the promise's settlers, and while one runs the engine's
  // SweepRun, the pool of workers and when it started
  sweep: { report: null, waiter: null, run: null, pool: null, started: 0 },
  // The training worker: its handle, the next message id, the answers awaited, the
  // rebuild after its engine failed, and its helper's counts (null: no helper)
  worker: { handle: null, nextId: 1, pending: new Map(), restarting: null, helper: null, helperStepMs: 0 },
  recovering: null, // the engine being replaced after a trap
  // An embed out of view (visibility.js): not trained, not drawn
  inView: true,
  seen: true,
  resumeOnShow: false,
  // A host page's API (host.js): when metrics were last posted, and whether halted was
  host: { lastMetricsAt: 0, halted: false },
};

/** Asks for a redraw of the main plot in the next frame, and of the panels too. */
export function redraw({ panels = false } = {}) {
  S.dirty = true;
  if (panels) S.panelsDue = true;
}
