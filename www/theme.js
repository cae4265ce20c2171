// Light or dark: the link's `theme=` if it has one, else the system's preference
// (`prefers-color-scheme`), followed live. The engine draws the plots in the same theme.
import { S, redraw } from './state.js';
import { drawAll } from './draw.js';

const query = window.matchMedia('(prefers-color-scheme: dark)');

/** Applies the theme of the current Viewer (and the system's preference) to the page. */
export function applyTheme() {
  S.viewer.set_system_dark(query.matches);
  S.dark = S.viewer.dark();
  document.documentElement.classList.toggle('dark', S.dark);
  document.documentElement.style.colorScheme = S.dark ? 'dark' : 'light';
  redraw({ panels: true });
}

/** Follows the system's preference; prints on light paper (plots redrawn light first). */
export function watchTheme(onChange) {
  query.addEventListener('change', () => {
    if (!S.viewer) return;
    applyTheme();
    onChange();
  });
  const printing = (on) => {
    if (!S.viewer) return;
    S.viewer.set_printing(on);
    applyTheme();
    drawAll();
    onChange();
  };
  window.addEventListener('beforeprint', () => printing(true));
  window.addEventListener('afterprint', () => printing(false));
}
