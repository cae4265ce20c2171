#!/usr/bin/env python3
"""The handwriting engine's reference point: the same LSTM-MDN in JAX (jit, CPU, float32).

Matched to `mdn strokes train SPEC`: the same words (`mdn strokes data SPEC`), the same
three models trained in one step on the same batch (the LSTM-MDN, the same LSTM with one
component, and the feed-forward MDN whose memory is cut), the same shape (layers, cells,
skip connections; the parameter counts are checked equal to the engine's), the same pen
head (π by softmax, σ = exp(σ̂) held at or above σ_min, ρ = tanh(ρ̂) with |ρ̂| ≤ 5, the
end of stroke by softplus), Graves' clipping (the derivatives at the outputs held to
±100, at the gates' inputs to ±10, by a custom VJP) and Adam at the spec's rate.

Bucketed by length, so that it does no wasted work: the training words are grouped by
length rounded up to a multiple of 8, and each step draws its batch from one group (each
group's share of the steps its share of the words), padded only to that group's length
and masked; every group's step is compiled before timing. Steps of bucketed batches hold
about as many moves as the engine's random batches; benches/report.py compares moves per
second. The feed-forward model runs as one matrix
product over all moves (it needs no scan). The loss is read back every step.

Steps per second over the best of five 1-second windows after warm-up, printed as JSON
lines. benches/report.py (make bench) runs it on every core and on one core.
"""
import json
import subprocess
import sys
import time
import os

import jax
import jax.numpy as jnp
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RHO_MAX = 5.0


@jax.custom_vjp
def clip_grad(x, bound):
    return x


def _clip_fwd(x, bound):
    return x, bound


def _clip_bwd(bound, g):
    return (jnp.clip(g, -bound, bound), None)


clip_grad.defvjp(_clip_fwd, _clip_bwd)


def init(key, shape):
    """Uniform ±1/√fan-in weights, zero biases but the forget gates' at 1 (as the engine)."""
    inp, h, layers, skip, out = shape
    ps = []
    for l in range(layers):
        n_in = (inp if l == 0 else (inp + h if skip else h)) + h
        key, k = jax.random.split(key)
        a = 1 / np.sqrt(n_in)
        b = jnp.zeros(4 * h, jnp.float32).at[h:2 * h].set(1.0)
        ps.append((jax.random.uniform(k, (n_in, 4 * h), jnp.float32, -a, a), b))
    n_out = h * layers if skip else h
    key, k = jax.random.split(key)
    a = 1 / np.sqrt(n_out)
    ps.append((jax.random.uniform(k, (n_out, out), jnp.float32, -a, a), jnp.zeros(out, jnp.float32)))
    return ps


def count(ps):
    return sum(int(np.prod(w.shape)) + int(np.prod(b.shape)) for w, b in ps)


def cell(w, b, v, c, h_dim, clip):
    a = clip_grad(v @ w + b, clip)
    i, f, g, o = (jax.nn.sigmoid(a[..., :h_dim]), jax.nn.sigmoid(a[..., h_dim:2 * h_dim]),
                  jnp.tanh(a[..., 2 * h_dim:3 * h_dim]), jax.nn.sigmoid(a[..., 3 * h_dim:]))
    c = f * c + i * g
    return o * jnp.tanh(c), c


def network(ps, x, shape, memory):
    """Raw outputs for inputs x of [T, B, 3]."""
    inp, h, layers, skip, out = shape
    tops = []
    below = None
    for l in range(layers):
        w, b = ps[l]
        feed = x if l == 0 else (jnp.concatenate([x, below], -1) if skip else below)
        if memory:
            def step(carry, f, w=w, b=b):
                hp, cp = carry
                hn, cn = cell(w, b, jnp.concatenate([f, hp], -1), cp, h, 10.0)
                return (hn, cn), hn
            zero = jnp.zeros(feed.shape[1:-1] + (h,), jnp.float32)
            _, hs = jax.lax.scan(step, (zero, zero), feed)
        else:
            # The memory cut: h₋₁ = c₋₁ = 0 at every move, so one product over all moves.
            hs, _ = cell(w[:feed.shape[-1]], b, feed, 0.0, h, 10.0)
        tops.append(hs)
        below = hs
    top = jnp.concatenate(tops, -1) if skip else tops[-1]
    w, b = ps[-1]
    return clip_grad(top @ w + b, 100.0)


def pen_nll(y, d, end, m, ln_floor):
    """−ln p of each move (Graves' eqs. 18–25 as the engine's head)."""
    e = y[..., 0]
    logpi = jax.nn.log_softmax(y[..., 1:1 + m])
    mx, my = y[..., 1 + m:1 + 2 * m], y[..., 1 + 2 * m:1 + 3 * m]
    lsx = jnp.maximum(y[..., 1 + 3 * m:1 + 4 * m], ln_floor)
    lsy = jnp.maximum(y[..., 1 + 4 * m:1 + 5 * m], ln_floor)
    r = jnp.tanh(jnp.clip(y[..., 1 + 5 * m:1 + 6 * m], -RHO_MAX, RHO_MAX))
    zx = (d[..., 0:1] - mx) / jnp.exp(lsx)
    zy = (d[..., 1:2] - my) / jnp.exp(lsy)
    one_r2 = (1 - r) * (1 + r)
    q = zx * zx + zy * zy - 2 * r * zx * zy
    ln = -np.log(2 * np.pi) - lsx - lsy - 0.5 * jnp.log(one_r2) - 0.5 * q / one_r2
    mix = jax.nn.logsumexp(logpi + ln, -1)
    eos = jnp.where(end > 0, jax.nn.softplus(-e), jax.nn.softplus(e))
    return eos - mix


def batch_arrays(words, idx, length):
    """Inputs [T, B, 3] (the start move, then every move but the last), targets and mask."""
    b = len(idx)
    x = np.zeros((length, b, 3), np.float32)
    t = np.zeros((length, b, 3), np.float32)
    mask = np.zeros((length, b), np.float32)
    for j, i in enumerate(idx):
        w = np.asarray(words[i], np.float32)
        n = len(w)
        x[0, j] = (0, 0, 1)
        x[1:n, j] = w[:n - 1]
        t[:n, j] = w
        mask[:n, j] = 1
    return jnp.asarray(x), jnp.asarray(t), jnp.asarray(mask)


def bench(name, spec, threads_label):
    data = json.loads(subprocess.run([os.path.join(ROOT, "target/release/mdn"), "strokes", "data", spec],
                                     check=True, capture_output=True, text=True).stdout)
    keys = dict(kv.split("=") for kv in data["spec"].split("&"))
    h, layers, skip = int(keys["hidden"]), int(keys["layers"]), keys["skip"] == "1"
    m, batch, lr = int(keys["m"]), int(keys["batch"]), float(keys["lr"])
    ln_floor = float(np.log(float(keys["sigma_min"])))
    words = data["train"]
    buckets = {}
    for i, w in enumerate(words):
        buckets.setdefault(-(-len(w) // 8) * 8, []).append(i)
    lengths = sorted(buckets)
    weights = np.array([len(buckets[k]) for k in lengths], float)
    weights /= weights.sum()
    models = [(m, True), (1, True), (m, False)]
    shapes = [(3, h, layers, skip, 1 + 6 * k) for k, _ in models]
    params = [init(jax.random.PRNGKey(i), s) for i, s in enumerate(shapes)]

    def loss(ps, x, t, mask, j):
        k, memory = models[j]
        y = network(ps, x, shapes[j], memory)
        nll = pen_nll(y, t[..., :2], t[..., 2], k, ln_floor)
        return jnp.sum(nll * mask) / jnp.sum(mask)

    def adam(p, mo, v, g, step):
        mo = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, mo, g)
        v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9 ** step, 1 - 0.999 ** step
        p = jax.tree_util.tree_map(lambda q, a, b: q - lr * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), p, mo, v)
        return p, mo, v

    @jax.jit
    def step(state, x, t, mask, n):
        out, losses = [], []
        for j, (p, mo, v) in enumerate(state):
            l, g = jax.value_and_grad(loss)(p, x, t, mask, j)
            out.append(adam(p, mo, v, g, n))
            losses.append(l)
        return out, jnp.stack(losses)

    zeros = lambda p: jax.tree_util.tree_map(jnp.zeros_like, p)
    state = [(p, zeros(p), zeros(p)) for p in params]
    rng = np.random.default_rng(1)
    n = 1.0
    for length in lengths:  # compile every bucket's step before timing
        x, t, mask = batch_arrays(words, buckets[length][:batch] * batch, length)
        x, t, mask = x[:, :batch], t[:, :batch], mask[:, :batch]
        state, l = step(state, x, t, mask, n)
        l.block_until_ready()
        n += 1
    # The batches, drawn before timing (as the engine draws indices, not arrays).
    # Each group's share of the batches is its share of the words (so the moves per step
    # average the engine's), in a shuffled order.
    pool = []
    for length, share in zip(lengths, weights):
        for _ in range(max(1, round(512 * share))):
            pool.append(batch_arrays(words, rng.choice(buckets[length], batch), length))
    pool = [pool[i] for i in rng.permutation(len(pool))]
    best, moves = 0.0, 0
    for _ in range(5):
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < 1.0:
            x, t, mask = pool[steps % len(pool)]
            state, l = step(state, x, t, mask, n)
            np.asarray(l).tolist()
            n += 1
            steps += 1
        best = max(best, steps / (time.perf_counter() - start))
    moves = float(np.mean([float(np.sum(p[2])) for p in pool]))
    print(json.dumps({"config": name, "engine": "jax-float32", "threads": threads_label,
                      "steps_per_s": round(best, 2), "moves_per_s": round(best * moves),
                      "params": [count(p) for p in params],
                      "moves_per_step": round(moves, 1), "jax": jax.__version__}), flush=True)


CONFIGS = [
    ("32x8", "hidden=32&batch=8"),
    ("128x32", "hidden=128&batch=32"),
    ("400x32x3", "hidden=400&layers=3&skip=1&batch=32"),
]

if __name__ == "__main__":
    jax.config.update("jax_platform_name", "cpu")
    label = sys.argv[1] if len(sys.argv) > 1 else "all"
    only = sys.argv[2:] or [c for c, _ in CONFIGS]
    for name, spec in CONFIGS:
        if name in only:
            bench(name, spec, label)
