// Canvases drawn by the engine: their backing store sized to their CSS box.

/** Sizes a canvas's backing store to its CSS size times the pixel ratio; returns the ratio. */
export function sizeCanvas(c) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(c.clientWidth * dpr));
  const h = Math.max(1, Math.round(c.clientHeight * dpr));
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  return dpr;
}
