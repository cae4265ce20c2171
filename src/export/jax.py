#!/usr/bin/env python3
"""A mixture density network exported from MDN Playground, in JAX.

    python experiment.py check                 # the playground's weights, checked here
    python experiment.py train [--steps N]     # retrain from scratch with the same recipe
    python experiment.py train --devices 2     # data parallel over 2 devices (sharded jit)

Everything the experiment needs is in this folder: the data exactly as the playground drew
it (data/, with SHA-256 sums), the trained weights (model.json, the playground's model
file), the recipe (recipe.json) and points with the playground's own ln p(y|x) to check
against (probes.json). See README.md for what is exact and what is not.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


def read_csv(name, din, dout):
    """A data file: one row per point, the inputs then the outputs."""
    import numpy as np
    rows = np.loadtxt(os.path.join(HERE, "data", name), delimiter=",", skiprows=1, ndmin=2)
    return rows[:, :din], rows[:, din:din + dout]


def verify_data():
    """The data files must be the playground's, byte for byte."""
    for line in open(os.path.join(HERE, "data", "SHA256SUMS")):
        digest, name = line.split()
        with open(os.path.join(HERE, "data", name), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                sys.exit(f"data/{name} is not the file the playground wrote (SHA-256 differs)")


# --- The model -------------------------------------------------------------------------

def forward(layers, act, h):
    """A multilayer perceptron: every layer but the last applies the activation."""
    import jax.numpy as jnp
    for i, (w, b) in enumerate(layers):
        h = h @ w + b
        if i + 1 < len(layers):
            h = jnp.tanh(h) if act == "tanh" else jnp.maximum(h, 0.0)
    return h


def head(out, r):
    """The network's last layer read as a mixture (see the model file's layout):
    K mixing logits, K·D means, then per component its scales (and, for a full covariance,
    the entries below the diagonal of its Cholesky factor, relative to their row's scale).
    Returns log π (K), μ (K, D) and the Cholesky factors L (K, D, D)."""
    import jax
    import jax.numpy as jnp
    K, D, full = r["components"], r["output_dim"], r["covariance"] == "full"
    T = D * (D + 1) // 2 if full else D
    n = out.shape[0]
    logits = out[:, :K]
    log_pi = jax.nn.log_softmax(logits, axis=-1)
    if r["pi_floor"] > 0:
        # π = (1 − ε) softmax + ε/K: every component keeps a little weight.
        eps = r["pi_floor"]
        log_pi = jnp.logaddexp(jnp.log1p(-eps) + log_pi, jnp.log(eps / K))
    mu = out[:, K:K + K * D].reshape(n, K, D)
    raw = out[:, K + K * D:K + K * D + K * T].reshape(n, K, T)
    # The σ map, and the floor: σ = σ_min + exp(r) or σ_min + softplus(r). The floor is what
    # keeps a component from collapsing onto a single point (the NLL → −∞ there).
    scale = jax.nn.softplus(raw[..., :D]) if r["sigma_map"] == "softplus" else jnp.exp(raw[..., :D])
    scale = r["sigma_min"] + scale
    L = jnp.zeros((n, K, D, D), out.dtype)
    L = L.at[..., jnp.arange(D), jnp.arange(D)].set(scale)
    if full:
        t = D
        for a in range(1, D):
            for b in range(a):
                L = L.at[..., a, b].set(raw[..., t] * scale[..., a])
                t += 1
    return log_pi, mu, L


def log_prob(log_pi, mu, L, y):
    """ln p(y|x) = ln Σ_k π_k N(y; μ_k, L_k L_kᵀ), by log-sum-exp: never a product of
    densities, which underflows to 0 (and its log to −∞) as soon as a point is far from
    every component."""
    import jax
    import jax.numpy as jnp
    D = mu.shape[-1]
    diff = y[:, None, :] - mu
    # z = L⁻¹ (y − μ) by forward substitution, row by row (D is small; for a diagonal
    # covariance this is just (y − μ) / σ).
    rows = []
    for a in range(D):
        s = diff[..., a]
        for b in range(a):
            s = s - L[..., a, b] * rows[b]
        rows.append(s / L[..., a, a])
    z = jnp.stack(rows, axis=-1)
    log_det = jnp.sum(jnp.log(jnp.diagonal(L, axis1=-2, axis2=-1)), axis=-1)
    comp = log_pi - 0.5 * jnp.sum(z * z, axis=-1) - log_det - 0.5 * D * jnp.log(2 * jnp.pi)
    return jax.nn.logsumexp(comp, axis=-1)


def params_from_file(net):
    import jax.numpy as jnp
    return [(jnp.asarray(l["weights"]), jnp.asarray(l["bias"])) for l in net["layers"]]


def standardise(x, model):
    import jax.numpy as jnp
    return (x - jnp.asarray(model["input_mean"])) / jnp.asarray(model["input_std"])


# --- check ---------------------------------------------------------------------------------

def check():
    """The playground's weights, evaluated here in float64, against its own ln p(y|x)."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    verify_data()
    model, recipe, probes = load("model.json"), load("recipe.json"), load("probes.json")
    layers = params_from_file(model["mdn"])
    r = recipe["head"]

    def lp(x, y):
        h = standardise(jnp.asarray(x), model)
        return log_prob(*head(forward(layers, model["mdn"]["activation"], h), r), jnp.asarray(y))

    got = lp([p["x"] for p in probes], [p["y"] for p in probes])
    want = jnp.asarray([p["log_p"] for p in probes])
    rel = float(jnp.max(jnp.abs(got - want) / jnp.maximum(1.0, jnp.abs(want))))
    x, y = read_csv("val.csv", model["input_dim"], model["output_dim"])
    val_nll = float(-jnp.mean(lp(x, y)))
    # The MSE regressor read as a Gaussian whose σ is its training error, per output.
    base = forward(params_from_file(model["baseline"]), model["baseline"]["activation"],
                   standardise(jnp.asarray(x), model))
    sigma = jnp.asarray(model["baseline"]["sigma"])
    z = (jnp.asarray(y) - base) / sigma
    base_nll = float(jnp.mean(jnp.sum(0.5 * z * z + jnp.log(sigma) + 0.5 * jnp.log(2 * jnp.pi), axis=-1)))
    out = {"check": "ok" if rel <= 1e-5 else "failed", "probes": len(probes), "max_rel_error": rel,
           "val_nll": val_nll, "playground_val_nll": recipe["playground"]["val_nll"],
           "baseline_val_nll": base_nll,
           "playground_baseline_val_nll": recipe["playground"]["baseline_val_nll"]}
    print(json.dumps(out))
    return 0 if rel <= 1e-5 else 1


# --- train ---------------------------------------------------------------------------------

def init_layers(sizes, act, key, zero_rows=()):
    """Glorot-uniform weights for tanh (He-uniform for relu; Glorot for the last layer),
    zero biases, as the playground initialises. `zero_rows`: outputs of the last layer
    that start at 0 (a full covariance starts diagonal)."""
    import jax
    import jax.numpy as jnp
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        key, k = jax.random.split(key)
        last = i + 2 == len(sizes)
        limit = math.sqrt(6 / (a + b)) if (act == "tanh" or last) else math.sqrt(6 / a)
        w = jax.random.uniform(k, (a, b), jnp.float32, -limit, limit)
        if last and zero_rows:
            w = w.at[:, list(zero_rows)].set(0.0)
        layers.append((w, jnp.zeros(b, jnp.float32)))
    return layers


def lr_at(step, rec):
    """The learning-rate schedule: constant, or cosine down to lr/100 at the last step."""
    if rec["schedule"] == "constant" or rec["steps"] == 0:
        return rec["lr"]
    f = min(step, rec["steps"]) / rec["steps"]
    return rec["lr"] * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * f)))


def batches(n, b, seed):
    """Indices of each step's batch: the whole set, or a reshuffled pass in batches of b."""
    import numpy as np
    rng, order, cursor = np.random.default_rng(seed), np.arange(n), n
    while True:
        if b >= n:
            yield order
            continue
        if cursor + b > n:
            rng.shuffle(order)
            cursor = 0
        yield order[cursor:cursor + b]
        cursor += b


def train(steps, devices, seed):
    import jax
    import jax.numpy as jnp
    import numpy as np
    verify_data()
    model, recipe = load("model.json"), load("recipe.json")
    rec, r = recipe["train"], recipe["head"]
    din, dout = model["input_dim"], model["output_dim"]
    xt, yt = read_csv("train.csv", din, dout)
    xv, yv = read_csv("val.csv", din, dout)
    mean, std = xt.mean(axis=0), xt.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    xt, xv = (xt - mean) / std, (xv - mean) / std
    sizes = [din, *rec["hidden"]]
    K, D = r["components"], dout
    T = D * (D + 1) // 2 if r["covariance"] == "full" else D
    off_rows = [K + K * D + k * T + t for k in range(K) for t in range(D, T)]
    key = jax.random.PRNGKey(seed)
    k1, k2 = jax.random.split(key)
    params = {"mdn": init_layers(sizes + [K + K * D + K * T], rec["activation"], k1, off_rows),
              "base": init_layers(sizes + [D], rec["activation"], k2)}
    act = rec["activation"]

    def loss(p, x, y, noise_key):
        if rec["noise_x"] > 0 or rec["noise_y"] > 0:
            # Noise regularisation: fresh noise on the standardised inputs and on the targets.
            ka, kb = jax.random.split(noise_key)
            x = x + rec["noise_x"] * jax.random.normal(ka, x.shape)
            y = y + rec["noise_y"] * jax.random.normal(kb, y.shape)
        nll = -jnp.mean(log_prob(*head(forward(p["mdn"], act, x), r), y))
        mse = jnp.mean(jnp.sum((forward(p["base"], act, x) - y) ** 2, axis=-1))
        return nll + mse, (nll, mse)

    def update(p, m, v, g, t, lr):
        # Global-norm clipping, decoupled weight decay, then Adam or SGD with momentum.
        if rec["clip"] > 0:
            # Each network's gradient clipped to the norm on its own, as the playground does.
            def clip(net):
                norm = jnp.sqrt(sum(jnp.sum(a * a) for a in jax.tree_util.tree_leaves(net)))
                return jax.tree_util.tree_map(lambda a: a * jnp.minimum(1.0, rec["clip"] / norm), net)
            g = {name: clip(net) for name, net in g.items()}
        if rec["weight_decay"] > 0:
            p = jax.tree_util.tree_map(lambda a: a * (1 - lr * rec["weight_decay"]), p)
        if rec["optimizer"] == "adam":
            m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
            v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
            c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
            p = jax.tree_util.tree_map(lambda a, b, c: a - lr * (b / c1) / (jnp.sqrt(c / c2) + 1e-8), p, m, v)
        else:
            m = jax.tree_util.tree_map(lambda a, b: rec["momentum"] * a + b, m, g)
            p = jax.tree_util.tree_map(lambda a, b: a - lr * b, p, m)
        return p, m, v

    grad = jax.value_and_grad(loss, has_aux=True)

    @jax.jit
    def step(p, m, v, xs, ys, idx, key, t, lr):
        # The batch is gathered on the device (the data are copied there once), and the
        # noise key is derived from the step number: no work on the host between steps.
        (_, aux), g = grad(p, xs[idx], ys[idx], jax.random.fold_in(key, t))
        p, m, v = update(p, m, v, g, t, lr)
        return p, m, v, aux[0]

    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    p, m, v = params, zeros, zeros
    xs, ys = jnp.asarray(xt, jnp.float32), jnp.asarray(yt, jnp.float32)
    place = lambda idx: idx
    if devices > 1:
        # Data parallel, by sharding: the batch's indices are split over the devices and
        # everything else is replicated. jit compiles the same step for the mesh; each
        # device computes its slice of the batch, and the gradient (a mean over the whole
        # batch) is summed across devices by the collectives XLA inserts.
        if len(jax.devices()) < devices:
            sys.exit(f"--devices {devices}: only {len(jax.devices())} device(s) here")
        from jax.sharding import Mesh, NamedSharding, PartitionSpec
        mesh = Mesh(np.array(jax.devices()[:devices]), ("batch",))
        everywhere = NamedSharding(mesh, PartitionSpec())
        p, m, v, xs, ys = jax.device_put((p, m, v, xs, ys), everywhere)
        split = NamedSharding(mesh, PartitionSpec("batch"))
        place = lambda idx: jax.device_put(idx[:(len(idx) // devices) * devices], split)
    n = len(xt)
    b = n if rec["batch"] == "all" else min(int(rec["batch"]), n)
    order = batches(n, b, seed)
    key = jax.random.PRNGKey(seed + 1)
    # Several CPU devices (XLA_FLAGS=--xla_force_host_platform_device_count=N, a stand-in
    # for GPUs) share one small thread pool: letting the next step start before this one's
    # collectives finish can deadlock them (seen with 2 devices on 2 cores), so each step
    # is waited for there. GPUs keep JAX's asynchronous dispatch.
    wait = devices > 1 and jax.devices()[0].platform == "cpu"
    t0 = time.time()
    for s in range(steps):
        p, m, v, _ = step(p, m, v, xs, ys, place(next(order)), key, s + 1, lr_at(s, rec))
        if wait:
            jax.block_until_ready(p)
    jax.block_until_ready(p)
    seconds = time.time() - t0
    # Validation NLL of the MDN, and of the MSE regressor read as a Gaussian whose variance
    # is its training error (how the playground scores it).
    xv32, yv32 = jnp.asarray(xv, jnp.float32), jnp.asarray(yv, jnp.float32)
    val_nll = float(-jnp.mean(log_prob(*head(forward(p["mdn"], act, xv32), r), yv32)))
    xt32, yt32 = jnp.asarray(xt, jnp.float32), jnp.asarray(yt, jnp.float32)
    var = jnp.mean((forward(p["base"], act, xt32) - yt32) ** 2, axis=0)
    resid = forward(p["base"], act, xv32) - yv32
    base = float(jnp.mean(jnp.sum(0.5 * resid ** 2 / var + 0.5 * jnp.log(2 * jnp.pi * var), axis=-1)))
    band = recipe["band"]
    inside = band["val_nll"][0] <= val_nll <= band["val_nll"][1] if steps == rec["steps"] else None
    print(json.dumps({"steps": steps, "val_nll": val_nll, "baseline_val_nll": base, "seconds": seconds,
                      "steps_per_s": steps / seconds if seconds > 0 else 0.0,
                      "band": band["val_nll"], "inside_band": inside}))
    return 0 if inside in (True, None) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["check", "train"])
    ap.add_argument("--steps", type=int, default=None, help="training steps (default: the recipe's)")
    ap.add_argument("--devices", type=int, default=1, help="data parallel over this many devices")
    ap.add_argument("--seed", type=int, default=0, help="seed of this framework's random streams")
    a = ap.parse_args()
    if a.command == "check":
        return check()
    steps = load("recipe.json")["train"]["steps"] if a.steps is None else a.steps
    return train(steps, a.devices, a.seed)


if __name__ == "__main__":
    sys.exit(main())
