// The host-page API of an embed (README, "Embedding: messages"): a course page sends
// commands with postMessage and hears events back. Commands are read by the engine
// (Viewer::host_command: checked and clamped like link values); nothing in a message is
// evaluated or inserted as HTML. Only messages from the embedding page are read.
import { S } from './state.js';
import { E } from './engine.js';
import { ask } from './worker-client.js';
import { rebuild } from './links.js';
import { setPlaying, step } from './controls.js';

const METRICS_MS = 500;

/** Posts an event to the embedding page (nothing when there is none). */
function post(event) {
  if (window.parent !== window) window.parent.postMessage(event, '*');
}

function plain(metrics) {
  return metrics ? JSON.parse(JSON.stringify(metrics)) : null;
}

async function run(cmd) {
  switch (cmd.action) {
    case 'play': return setPlaying(true);
    case 'pause': return setPlaying(false);
    case 'step': return step(cmd.n);
    case 'reset': return rebuild('#' + S.viewer.link(true));
    case 'spec': return rebuild(cmd.hash);
    case 'metrics': return post({ type: 'mdn:metrics', step: S.viewer.steps(), metrics: plain(await ask({ type: 'metrics' })) });
    default: return undefined;
  }
}

async function onMessage(e) {
  if (e.source !== window.parent || window.parent === window || !S.viewer) return;
  let text;
  try {
    text = JSON.stringify(e.data);
  } catch {
    text = undefined;
  }
  let cmd;
  try {
    cmd = S.viewer.host_command(typeof text === 'string' ? text : 'null');
  } catch (err) {
    post({ type: 'mdn:error', message: String(err) });
    return;
  }
  for (const message of cmd.issues) post({ type: 'mdn:error', message });
  await run(cmd);
  if (cmd.action === 'spec' || cmd.action === 'reset') post({ type: 'mdn:ready', spec: S.viewer.spec() });
}

/** In an embed: listens to the host page (from the start: a command sent before the
 * embed is ready is still carried out). */
export function listenToHost() {
  if (window.parent === window) return;
  window.addEventListener('message', (e) => {
    onMessage(e).catch((err) => post({ type: 'mdn:error', message: String(err) }));
  });
}

/** Tells the host page the embed is ready. */
export function announceReady() {
  post({ type: 'mdn:ready', spec: S.viewer.spec(), version: E().version() });
}

/** After each snapshot: metrics every half second while training, and halted once. */
export function hostTick() {
  if (window.parent === window) return;
  const now = performance.now();
  if (S.playing && now - S.host.lastMetricsAt >= METRICS_MS) {
    S.host.lastMetricsAt = now;
    post({ type: 'mdn:metrics', step: S.viewer.steps(), metrics: plain(S.viewer.metrics()) });
  }
  const reason = S.viewer.halted_reason();
  if (reason && !S.host.halted) post({ type: 'mdn:halted', step: S.viewer.steps(), reason });
  S.host.halted = Boolean(reason);
}
