// Numbers as the page writes them: a fixed number of decimals, the true minus sign (as the
// figures and the engine's texts write it), no "−0.000", a dash for what is not a number,
// and the decimal mark of the page's language.
import { decimalCommaUsed } from './lang.js';

/** `v` with `digits` decimals. */
export function fixed(v, digits) {
  if (!Number.isFinite(v)) return '—';
  const text = v.toFixed(digits);
  const signed = /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
  return decimalCommaUsed() ? signed.replace('.', ',') : signed;
}
