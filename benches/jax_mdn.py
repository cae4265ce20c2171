#!/usr/bin/env python3
"""The bench's reference point: the same MDN in JAX (jit, CPU, float32), timed the same way.

Full-batch Adam on Bishop's inverse problem, the loss read back every step (float(loss)),
steps per second over the best of five 1-second windows after warm-up. Printed as JSON
lines like benches/train.rs. `make bench` runs it when `import jax` works.
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


def bench(name, n, hidden, k):
    x, y = data(n)
    ps = init([1, *hidden, 3 * k], jax.random.PRNGKey(0))
    m = jax.tree_util.tree_map(jnp.zeros_like, ps)
    v = jax.tree_util.tree_map(jnp.zeros_like, ps)

    @jax.jit
    def step(ps, m, v, t):
        loss, g = jax.value_and_grad(nll)(ps, x, y, k)
        m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
        ps = jax.tree_util.tree_map(lambda p, a, b: p - 0.01 * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), ps, m, v)
        return ps, m, v, loss

    t = 1.0
    for _ in range(20):
        ps, m, v, loss = step(ps, m, v, t)
        float(loss)
        t += 1
    best = 0.0
    for _ in range(5):
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < 1.0:
            ps, m, v, loss = step(ps, m, v, t)
            float(loss)
            t += 1
            steps += 1
        best = max(best, steps / (time.perf_counter() - start))
    print(json.dumps({"config": name, "models": "jax-float32", "steps_per_s": round(best, 1), "jax": jax.__version__}))


if __name__ == "__main__":
    jax.config.update("jax_platform_name", "cpu")
    bench("small", 1000, [20], 5)
    bench("medium", 4096, [64, 64], 10)
    sys.stdout.flush()
