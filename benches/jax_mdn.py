#!/usr/bin/env python3
"""The bench's reference point: the same MDN in JAX (jit, CPU, float32), timed the same way.

Full-batch Adam on Bishop's inverse problem, the loss read back every step, steps per
second over the best of five 1-second windows after warm-up: the MDN alone, and with an
MSE regressor of the same hidden layers trained in the same step (what `mdn train` runs).
Printed as JSON lines like benches/train.rs. benches/report.py (make bench) runs it on
every core, and on one (taskset -c 0 with XLA's one-thread flags).
"""
import json
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np


def data(n, seed=1):
    r = np.random.default_rng(seed)
    t = r.uniform(0, 1, n)
    x = t + 0.3 * np.sin(2 * np.pi * t) + r.uniform(-0.1, 0.1, n)
    return jnp.asarray(x[:, None], jnp.float32), jnp.asarray(t, jnp.float32)


def init(sizes, key):
    ps = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        key, k1 = jax.random.split(key)
        lim = np.sqrt(6 / (a + b))
        ps.append((jax.random.uniform(k1, (a, b), jnp.float32, -lim, lim), jnp.zeros(b, jnp.float32)))
    return ps


def nll(ps, x, y, k):
    h = x
    for w, b in ps[:-1]:
        h = jnp.tanh(h @ w + b)
    w, b = ps[-1]
    o = h @ w + b
    logpi = jax.nn.log_softmax(o[:, :k])
    mu, ls = o[:, k:2 * k], o[:, 2 * k:]
    s = jnp.exp(ls) + 1e-3
    lp = logpi - 0.5 * ((y[:, None] - mu) / s) ** 2 - jnp.log(s) - 0.5 * jnp.log(2 * jnp.pi)
    return -jnp.mean(jax.nn.logsumexp(lp, axis=1))


def mse(ps, x, y):
    h = x
    for w, b in ps[:-1]:
        h = jnp.tanh(h @ w + b)
    w, b = ps[-1]
    return jnp.mean(((h @ w + b)[:, 0] - y) ** 2)


def adam(ps, m, v, g, t):
    m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
    v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
    c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
    ps = jax.tree_util.tree_map(lambda p, a, b: p - 0.01 * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), ps, m, v)
    return ps, m, v


def bench(name, n, hidden, k, with_baseline):
    """Steps per second of the MDN alone, or with an MSE regressor of the same hidden
    layers trained in the same step (as `mdn train` does); both losses read back."""
    x, y = data(n)
    zeros = lambda p: jax.tree_util.tree_map(jnp.zeros_like, p)
    mdn = init([1, *hidden, 3 * k], jax.random.PRNGKey(0))
    base = init([1, *hidden, 1], jax.random.PRNGKey(1))
    state = (mdn, zeros(mdn), zeros(mdn), base, zeros(base), zeros(base))

    @jax.jit
    def step(state, t):
        ps, m, v, pb, mb, vb = state
        loss, g = jax.value_and_grad(nll)(ps, x, y, k)
        ps, m, v = adam(ps, m, v, g, t)
        if with_baseline:
            lb, gb = jax.value_and_grad(mse)(pb, x, y)
            pb, mb, vb = adam(pb, mb, vb, gb, t)
            return (ps, m, v, pb, mb, vb), jnp.stack([loss, lb])
        return (ps, m, v, pb, mb, vb), loss[None]

    t = 1.0
    for _ in range(20):
        state, loss = step(state, t)
        loss.block_until_ready()
        t += 1
    best = 0.0
    for _ in range(5):
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < 1.0:
            state, loss = step(state, t)
            np.asarray(loss).tolist()  # the losses read back, as the engine does
            t += 1
            steps += 1
        best = max(best, steps / (time.perf_counter() - start))
    models = "mdn+baseline" if with_baseline else "mdn"
    print(json.dumps({"config": name, "models": models, "engine": "jax-float32", "steps_per_s": round(best, 1), "jax": jax.__version__}))


if __name__ == "__main__":
    jax.config.update("jax_platform_name", "cpu")
    for name, n, hidden, k in [("small", 1000, [20], 5), ("medium", 4096, [64, 64], 10)]:
        for with_baseline in (False, True):
            bench(name, n, hidden, k, with_baseline)
    sys.stdout.flush()
