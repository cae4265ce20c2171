// One pace for work a reader follows (a sentence for a screen reader, a figure's table):
// at most once every `ms` for each thing while the page is busy (training), and the work
// held back done when its time is over, so that the last state of a run that stops is
// never left out.

/** A pace of `ms` per key; `rerun()` is called once when held-back work is due. */
export function pace(ms, rerun) {
  const at = {}; // key → when its work last ran
  let later = null;
  return {
    /** Whether `key`'s work runs now: always when `now` is asked for or the page is not
     * `busy`, else when `ms` have passed since it last ran (and if not, it is held back). */
    due(key, { now: force = false, busy = true } = {}) {
      const now = performance.now();
      const since = now - (at[key] ?? -Infinity);
      if (!force && busy && since < ms) {
        later ??= setTimeout(() => {
          later = null;
          rerun();
        }, ms - since);
        return false;
      }
      at[key] = now;
      return true;
    },
  };
}
