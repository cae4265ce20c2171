// The page's events. A module announces what happened; main.js wires who reacts. So no
// module calls back into one that calls it, and who reacts to what is read in one place.

/** The events, with what each carries. */
export const EVENT = Object.freeze({
  /** A new experiment is on the page (a link built, or a model file loaded): { imported }. */
  EXPERIMENT: 'experiment',
  /** The same experiment, seen otherwise (a link that changed only the view). */
  VIEW: 'view',
  /** A training snapshot was applied to the Viewer. */
  SNAPSHOT: 'snapshot',
  /** A snapshot of the second experiment (compare=) was applied to its Viewer. */
  SECOND_SNAPSHOT: 'second-snapshot',
  /** A message is about to go to the training worker: the message. */
  SENDING: 'sending',
  /** The training worker stopped with an error: { message, fatal } (fatal: it was restarted). */
  WORKER_ERROR: 'worker-error',
});

const listeners = new Map();

/** Calls `fn(detail)` whenever `name` is announced, in the order of the calls to `on`. */
export function on(name, fn) {
  if (!Object.values(EVENT).includes(name)) throw new Error(`no event ${name}`);
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

/** Tells every listener of `name`, now, in order. */
export function announce(name, detail) {
  for (const fn of listeners.get(name) ?? []) fn(detail);
}
