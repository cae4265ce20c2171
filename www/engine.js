// The engine: the wasm-bindgen module, loaded once, and again if its instance ever traps
// (its memory is then in an unknown state and every later call fails).
import * as first from '../mdn-playground.js';

let current = first;
let loads = 0;
let compiled = null;

/** The engine module now in use (its exports: Viewer, spec_keys, parse_points, ...). */
export const E = () => current;

/** The compiled WebAssembly module: fetched and compiled once, then shared with the
 * training worker and with any fresh instance (one download for the page and its worker). */
export const wasmModule = () => compiled;

async function compile() {
  const url = new URL('../mdn-playground_bg.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that does not say application/wasm: compile from the bytes.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

let exports = null;

/** Bytes of the engine's memory (a WebAssembly memory grows and is never given back). */
export const engineBytes = () => exports?.memory?.buffer.byteLength ?? 0;

export async function loadEngine() {
  compiled = await compile();
  exports = await current.default({ module_or_path: compiled });
  return current;
}

/** A fresh instance of the engine: a new copy of the module, with memory of its own. */
export async function reloadEngine() {
  loads++;
  const fresh = await import(`../mdn-playground.js?engine=${loads}`);
  exports = await fresh.default({ module_or_path: compiled });
  current = fresh;
  return current;
}
