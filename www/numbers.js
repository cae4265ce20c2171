// Numbers as the page writes them: a fixed number of decimals, the true minus sign (as the
// figures and the engine's texts write it), no "−0.000", and a dash for what is not a number.

/** `v` with `digits` decimals. */
export function fixed(v, digits) {
  if (!Number.isFinite(v)) return '—';
  const text = v.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
}
