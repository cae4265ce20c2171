// The host-page API of an embed (README, "Embedding: messages"): a course page sends
// commands with postMessage and hears events back. Commands are read by the engine
// (Viewer::host_command: checked and clamped like link values); nothing in a message is
// evaluated or inserted as HTML. Only messages from the embedding page are read.
//
// The page listens from its first moment: commands that arrive while the engine loads
// wait in a queue (at most QUEUE_MAX) and are carried out in order once it is ready. A
// command is taken after the one before it has been answered (a new experiment built, the
// metrics sent back); steps are only started, so that a pause can stop them.
import { S } from './state.js';
import { E } from './engine.js';
import { ask } from './worker-client.js';
import { rebuild } from './links.js';
import { step } from './controls.js';
import { requestPlaying } from './visibility.js';

const METRICS_MS = 500;
const QUEUE_MAX = 100;

const H = {
  ready: false,
  queue: [], // messages received before the engine was ready
  chain: Promise.resolve(), // the command being carried out
  given: '', // the link the host gave (the iframe's, or the last mdn:spec)
  lastMetricsStep: -1,
};

/** Posts an event to the embedding page (nothing when there is none). */
function post(event) {
  if (window.parent !== window) window.parent.postMessage(event, '*');
}

/** Tells the embedding page an event of the page's own (an exercise's goal met). */
export const tellHost = (event) => post(event);

function plain(metrics) {
  return metrics ? JSON.parse(JSON.stringify(metrics)) : null;
}

/** The spec as the host may hear it: points kept in this browser (or drawn here) are the
 * user's, and go only where the user sends them. */
const hostSpec = () => S.viewer.host_spec(H.given);

async function run(cmd) {
  switch (cmd.action) {
    case 'play': return requestPlaying(true);
    case 'pause': return requestPlaying(false);
    case 'step':
      step(cmd.n).catch((err) => post({ type: 'mdn:error', message: String(err?.message ?? err) }));
      return undefined;
    case 'reset':
    case 'spec': {
      if (cmd.action === 'spec') H.given = cmd.hash;
      const built = rebuild(cmd.action === 'spec' ? cmd.hash : '#' + S.viewer.link(true));
      const spec = hostSpec(); // of the experiment this command built, not of a later one
      await built;
      return post({ type: 'mdn:ready', spec });
    }
    case 'metrics': {
      const m = plain(await ask({ type: 'metrics' }));
      return post({ type: 'mdn:metrics', step: m?.step ?? S.viewer.steps(), metrics: m });
    }
    default: return undefined;
  }
}

/** Whether `data` is small enough to read: its strings and keys counted, without making a
 * copy of it, and given up on past `max` characters. */
function fits(data, max) {
  let size = 0;
  const stack = [data];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length;
    else if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) size += v.byteLength * 4;
    else if (v && typeof v === 'object') {
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        size += key.length + 4;
        if (size > max) return false;
        stack.push(v[key]);
      }
    } else size += 8;
    if (size > max) return false;
  }
  return true;
}

async function handle(data) {
  const max = E().host_message_max();
  let text = 'null';
  if (!fits(data, max)) {
    post({ type: 'mdn:error', message: `a message of at most ${max} bytes is read` });
    return;
  }
  try {
    text = JSON.stringify(data) ?? 'null';
  } catch {
    text = 'null';
  }
  let cmd;
  try {
    cmd = S.viewer.host_command(text);
  } catch (err) {
    post({ type: 'mdn:error', message: String(err) });
    return;
  }
  for (const message of cmd.issues) post({ type: 'mdn:error', message });
  await run(cmd);
}

function enqueue(data) {
  H.chain = H.chain
    .then(() => handle(data))
    .catch((err) => post({ type: 'mdn:error', message: String(err?.message ?? err) }));
}

/** In an embed: listens to the host page from the start; commands sent before the
 * engine is ready wait for it. */
export function listenToHost() {
  if (window.parent === window) return;
  H.given = location.hash; // before the page adds points kept in this browser
  window.addEventListener('message', (e) => {
    if (e.source !== window.parent) return;
    if (H.ready) return enqueue(e.data);
    if (H.queue.length < QUEUE_MAX) H.queue.push(e.data);
    else if (H.queue.length === QUEUE_MAX) {
      H.queue.push(null); // said once
      post({ type: 'mdn:error', message: `more than ${QUEUE_MAX} messages before the embed was ready: the rest were dropped` });
    }
  });
}

/** Tells the host page the embed is ready, then carries out what it sent meanwhile. */
export function announceReady() {
  post({ type: 'mdn:ready', spec: hostSpec(), version: E().version() });
  H.ready = true;
  for (const data of H.queue.splice(0)) if (data !== null) enqueue(data);
}

/** After each snapshot: fresh metrics at most every half second while training (each
 * with the step it was measured at), and halted once. */
export function hostTick() {
  if (window.parent === window) return;
  const now = performance.now();
  const m = S.viewer.metrics();
  if (S.playing && m && m.step !== H.lastMetricsStep && now - S.host.lastMetricsAt >= METRICS_MS) {
    S.host.lastMetricsAt = now;
    H.lastMetricsStep = m.step;
    post({ type: 'mdn:metrics', step: m.step, metrics: plain(m) });
  }
  const reason = S.viewer.halted_reason();
  if (reason && !S.host.halted) post({ type: 'mdn:halted', step: S.viewer.steps(), reason });
  S.host.halted = Boolean(reason);
}
