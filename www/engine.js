// The engine: the wasm-bindgen module, loaded once, and again if its instance ever traps
// (its memory is then in an unknown state and every later call fails).
import * as first from '../mdn-playground.js';

let current = first;
let loads = 0;

/** The engine module now in use (its exports: Viewer, spec_keys, parse_points, ...). */
export const E = () => current;

export async function loadEngine() {
  await current.default();
  return current;
}

/** A fresh instance of the engine: a new copy of the module, with memory of its own. */
export async function reloadEngine() {
  loads++;
  const fresh = await import(`../mdn-playground.js?engine=${loads}`);
  await fresh.default();
  current = fresh;
  return current;
}
