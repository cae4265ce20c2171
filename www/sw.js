// The playground's service worker: once the page has been opened, the page, the engine
// and the handwriting models come from a cache, so the playground works without a network.
//
// This file is a template. The build (Trunk.toml's post-build hook) copies it to the root
// of dist/, so that its scope is the whole playground, with FILES set to every file of
// that build and its SHA-256, and BUILD to a hash of that list. Each build is one cache,
// filled in full (every file checked against its hash) before its worker takes over, and
// answered from only by its own worker: a page and the engine, the workers and the models
// it loads later always come from the same build.
//
// A new build is found when the browser checks this file (on each visit, never from the
// HTTP cache: the page registers it with updateViaCache 'none'). It is fetched and cached
// beside the old one and waits: the old build keeps serving every open tab and frame until
// they are all closed, or until the one page that is open asks to update (UPDATE below).
// Then the new build takes over and the old cache is deleted.

const BUILD = '@BUILD@';
const FILES = {/*@FILES@*/};
const PREFIX = 'mdn-playground-';
const CACHE = PREFIX + BUILD;

self.addEventListener('install', (event) => {
  event.waitUntil(fill().catch(async (e) => {
    await caches.delete(CACHE); // nothing half-filled is left behind
    throw e;
  }));
});

async function fill() {
  const cache = await caches.open(CACHE);
  await Promise.all(Object.entries(FILES).map(([file, sha]) => keep(cache, file, sha)));
}

/** Caches this build's `file`: the HTTP cache's copy when it is this build's (the page
 * has just downloaded the engine: not twice), else one from the server; a file that is
 * still not this build's (a newer build deployed meanwhile) fails the install, which the
 * next visit tries again. */
async function keep(cache, file, sha) {
  let response = await fetch(file);
  if (!(await isBuilds(response, sha))) response = await fetch(file, { cache: 'reload' });
  if (!(await isBuilds(response, sha))) throw new Error(`${file} is not of build ${BUILD}`);
  await cache.put(file, response);
}

async function isBuilds(response, sha) {
  if (!response.ok) return false;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') === sha;
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
    )),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(answer(request));
});

/** This build's copy of a file: a page whatever its query (the link is in the hash), a
 * folder as its index.html. Anything the build does not hold goes to the network. */
async function answer(request) {
  const cache = await caches.open(CACHE);
  const navigation = request.mode === 'navigate';
  const url = new URL(request.url);
  if (navigation && url.pathname.endsWith('/')) url.pathname += 'index.html';
  const hit = await cache.match(navigation ? url.href : request, { ignoreSearch: navigation });
  return hit ?? fetch(request);
}

// The page's questions (www/offline.js): which build answers it, and whether a waiting
// build may take over. It may only when at most one window of the playground is open,
// since the others would go on running the old page against the new build's files.
self.addEventListener('message', (event) => {
  const ask = event.data?.type;
  if (ask === 'BUILD') {
    event.source?.postMessage({ type: 'BUILD', build: BUILD });
  } else if (ask === 'UPDATE') {
    event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      if (windows.length <= 1) return self.skipWaiting();
      event.source?.postMessage({ type: 'BUSY', windows: windows.length });
      return undefined;
    }));
  }
});
