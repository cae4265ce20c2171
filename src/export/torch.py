#!/usr/bin/env python3
"""A mixture density network exported from MDN Playground, in PyTorch.

    python experiment.py check                     # the playground's weights, checked here
    python experiment.py train [--steps N]         # retrain from scratch with the same recipe
    python experiment.py train --device cuda       # on a GPU
    torchrun --nproc_per_node 4 experiment.py train --device cuda   # 4 GPUs, data parallel (DDP)

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

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


def read_csv(name, din, dout):
    """A data file: one row per point, the inputs then the outputs."""
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

class MLP(nn.Module):
    """A multilayer perceptron: every layer but the last applies the activation."""

    def __init__(self, sizes, act):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.act = torch.tanh if act == "tanh" else torch.relu

    def forward(self, h):
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i + 1 < len(self.layers):
                h = self.act(h)
        return h


def head(out, r):
    """The network's last layer read as a mixture (see the model file's layout):
    K mixing logits, K·D means, then per component its scales (and, for a full covariance,
    the entries below the diagonal of its Cholesky factor, relative to their row's scale).
    Returns log π (n, K), μ (n, K, D) and the Cholesky factors L (n, K, D, D)."""
    K, D, full = r["components"], r["output_dim"], r["covariance"] == "full"
    T = D * (D + 1) // 2 if full else D
    n = out.shape[0]
    # Logits, not probabilities: log_softmax keeps log π exact where π underflows.
    log_pi = torch.log_softmax(out[:, :K], dim=-1)
    if r["pi_floor"] > 0:
        # π = (1 − ε) softmax + ε/K: every component keeps a little weight.
        eps = r["pi_floor"]
        log_pi = torch.logaddexp(math.log1p(-eps) + log_pi, torch.full_like(log_pi, math.log(eps / K)))
    mu = out[:, K:K + K * D].reshape(n, K, D)
    raw = out[:, K + K * D:K + K * D + K * T].reshape(n, K, T)
    # The σ map, and the floor: σ = σ_min + exp(r) or σ_min + softplus(r). The floor is what
    # keeps a component from collapsing onto a single point (the NLL → −∞ there).
    scale = F.softplus(raw[..., :D]) if r["sigma_map"] == "softplus" else torch.exp(raw[..., :D])
    scale = r["sigma_min"] + scale
    L = torch.diag_embed(scale)
    if full:
        # Below the diagonal, row by row: (1,0), (2,0), (2,1), …
        rows, cols = torch.tril_indices(D, D, offset=-1, device=out.device)
        below = torch.zeros_like(L)
        below[..., rows, cols] = raw[..., D:] * scale[..., rows]
        L = L + below
    return log_pi, mu, L


def log_prob(log_pi, mu, L, y):
    """ln p(y|x) = ln Σ_k π_k N(y; μ_k, L_k L_kᵀ), by log-sum-exp: never a product of
    densities, which underflows to 0 (and its log to −∞) as soon as a point is far from
    every component."""
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
    z = torch.stack(rows, dim=-1)
    log_det = torch.log(torch.diagonal(L, dim1=-2, dim2=-1)).sum(-1)
    comp = log_pi - 0.5 * (z * z).sum(-1) - log_det - 0.5 * D * math.log(2 * math.pi)
    return torch.logsumexp(comp, dim=-1)


class Experiment(nn.Module):
    """The mixture density network and, beside it, the MSE regressor it is compared with."""

    def __init__(self, sizes, act, r):
        super().__init__()
        K, D = r["components"], r["output_dim"]
        T = D * (D + 1) // 2 if r["covariance"] == "full" else D
        self.r = r
        self.mdn = MLP(sizes + [K + K * D + K * T], act)
        self.base = MLP(sizes + [D], act)

    def log_prob(self, x, y):
        return log_prob(*head(self.mdn(x), self.r), y)

    def forward(self, x, y):
        """The training loss: the MDN's mean NLL plus the regressor's mean squared error
        (two separate networks, so each gets only its own gradient)."""
        nll = -self.log_prob(x, y).mean()
        mse = ((self.base(x) - y) ** 2).sum(-1).mean()
        return nll + mse, nll


def load_weights(mlp, net):
    """The model file stores each layer's weights as (inputs × outputs); nn.Linear keeps
    the transpose."""
    with torch.no_grad():
        for layer, saved in zip(mlp.layers, net["layers"]):
            layer.weight.copy_(torch.tensor(saved["weights"]).T)
            layer.bias.copy_(torch.tensor(saved["bias"]))


def baseline_nll(pred, y, sigma):
    """The MSE regressor read as a Gaussian whose σ is its training error, per output
    (how the playground scores it)."""
    return (0.5 * ((y - pred) / sigma) ** 2 + torch.log(sigma) + 0.5 * math.log(2 * math.pi)).sum(-1)


# --- check ---------------------------------------------------------------------------------

def check():
    """The playground's weights, evaluated here in float64, against its own ln p(y|x)."""
    torch.set_default_dtype(torch.float64)
    verify_data()
    model, recipe, probes = load("model.json"), load("recipe.json"), load("probes.json")
    din, dout = model["input_dim"], model["output_dim"]
    sizes = [din] + [len(layer["bias"]) for layer in model["mdn"]["layers"][:-1]]
    exp = Experiment(sizes, model["mdn"]["activation"], recipe["head"])
    load_weights(exp.mdn, model["mdn"])
    load_weights(exp.base, model["baseline"])
    mean, std = torch.tensor(model["input_mean"]), torch.tensor(model["input_std"])
    with torch.no_grad():
        x = (torch.tensor([p["x"] for p in probes]) - mean) / std
        got = exp.log_prob(x, torch.tensor([p["y"] for p in probes]))
        want = torch.tensor([p["log_p"] for p in probes])
        rel = float(((got - want).abs() / want.abs().clamp(min=1.0)).max())
        xv, yv = (torch.tensor(a) for a in read_csv("val.csv", din, dout))
        xv = (xv - mean) / std
        val_nll = float(-exp.log_prob(xv, yv).mean())
        sigma = torch.tensor(model["baseline"]["sigma"])
        base = float(baseline_nll(exp.base(xv), yv, sigma).mean())
    ok = rel <= 1e-5
    print(json.dumps({"check": "ok" if ok else "failed", "probes": len(probes), "max_rel_error": rel,
                      "val_nll": val_nll, "playground_val_nll": recipe["playground"]["val_nll"],
                      "baseline_val_nll": base,
                      "playground_baseline_val_nll": recipe["playground"]["baseline_val_nll"]}))
    return 0 if ok else 1


# --- train ---------------------------------------------------------------------------------

def init_weights(mlp, act, zero_rows=()):
    """Glorot-uniform weights for tanh (He-uniform for relu; Glorot for the last layer),
    zero biases, as the playground initialises. `zero_rows`: outputs of the last layer
    that start at 0 (a full covariance starts diagonal)."""
    with torch.no_grad():
        for i, layer in enumerate(mlp.layers):
            a, b = layer.in_features, layer.out_features
            last = i + 1 == len(mlp.layers)
            limit = math.sqrt(6 / (a + b)) if (act == "tanh" or last) else math.sqrt(6 / a)
            nn.init.uniform_(layer.weight, -limit, limit)
            nn.init.zeros_(layer.bias)
            if last and zero_rows:
                layer.weight[list(zero_rows)] = 0.0


def lr_at(step, rec):
    """The learning-rate schedule: constant, or cosine down to lr/100 at the last step."""
    if rec["schedule"] == "constant" or rec["steps"] == 0:
        return rec["lr"]
    f = min(step, rec["steps"]) / rec["steps"]
    return rec["lr"] * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * f)))


def batches(n, b, seed):
    """Indices of each step's batch: the whole set, or a reshuffled pass in batches of b."""
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


def distributed(device):
    """Under torchrun (several processes, one per device): join the process group.
    Returns (rank, world size, this process's device)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1, device
    import torch.distributed as dist
    dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    if device.startswith("cuda"):
        device = f"cuda:{int(os.environ['LOCAL_RANK'])}"
        torch.cuda.set_device(device)
    return dist.get_rank(), world, device


def train(steps, device, seed):
    rank, world, device = distributed(device)
    verify_data()
    model, recipe = load("model.json"), load("recipe.json")
    rec, r = recipe["train"], recipe["head"]
    din, dout = model["input_dim"], model["output_dim"]
    xt, yt = read_csv("train.csv", din, dout)
    xv, yv = read_csv("val.csv", din, dout)
    mean, std = xt.mean(axis=0), xt.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    tensor = lambda a: torch.tensor(a, dtype=torch.float32, device=device)
    xt, yt, xv, yv = tensor((xt - mean) / std), tensor(yt), tensor((xv - mean) / std), tensor(yv)

    torch.manual_seed(seed)
    exp = Experiment([din, *rec["hidden"]], rec["activation"], r).to(device)
    K, D = r["components"], dout
    T = D * (D + 1) // 2 if r["covariance"] == "full" else D
    init_weights(exp.mdn, rec["activation"], [K + K * D + k * T + t for k in range(K) for t in range(D, T)])
    init_weights(exp.base, rec["activation"])
    net = exp
    if world > 1:
        # Data parallel: every process takes a slice of each batch; DDP averages the
        # gradients across processes during backward(), so every copy takes the same step.
        net = nn.parallel.DistributedDataParallel(exp, device_ids=[device] if device.startswith("cuda") else None)
    wd = rec["weight_decay"]
    if rec["optimizer"] == "adam":
        # AdamW's decay is the playground's: p ← p − lr·wd·p, apart from the gradient.
        opt = torch.optim.AdamW(exp.parameters(), lr=rec["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
    else:
        opt = torch.optim.SGD(exp.parameters(), lr=rec["lr"], momentum=rec["momentum"])
    n = len(xt)
    b = n if rec["batch"] == "all" else min(int(rec["batch"]), n)
    order = batches(n, b, seed)
    t0 = time.time()
    for s in range(steps):
        idx = torch.as_tensor(next(order), device=device)
        if world > 1:
            idx = idx[:(len(idx) // world) * world].reshape(world, -1)[rank]
        x, y = xt[idx], yt[idx]
        if rec["noise_x"] > 0 or rec["noise_y"] > 0:
            # Noise regularisation: fresh noise on the standardised inputs and on the targets.
            x = x + rec["noise_x"] * torch.randn_like(x)
            y = y + rec["noise_y"] * torch.randn_like(y)
        lr = lr_at(s, rec)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss, _ = net(x, y)
        loss.backward()
        if rec["clip"] > 0:
            # Each network's gradient clipped to the norm on its own, as the playground does.
            nn.utils.clip_grad_norm_(exp.mdn.parameters(), rec["clip"])
            nn.utils.clip_grad_norm_(exp.base.parameters(), rec["clip"])
        if wd > 0 and rec["optimizer"] != "adam":
            with torch.no_grad():
                for p in exp.parameters():
                    p.mul_(1 - lr * wd)
        opt.step()
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.time() - t0
    if world > 1:
        torch.distributed.destroy_process_group()
    if rank != 0:
        return 0
    with torch.no_grad():
        val_nll = float(-exp.log_prob(xv, yv).mean())
        sigma = ((exp.base(xt) - yt) ** 2).mean(0).sqrt()
        base = float(baseline_nll(exp.base(xv), yv, sigma).mean())
    band = recipe["band"]
    inside = band["val_nll"][0] <= val_nll <= band["val_nll"][1] if steps == rec["steps"] else None
    print(json.dumps({"steps": steps, "val_nll": val_nll, "baseline_val_nll": base, "seconds": seconds,
                      "steps_per_s": steps / seconds if seconds > 0 else 0.0, "processes": world,
                      "band": band["val_nll"], "inside_band": inside}))
    return 0 if inside in (True, None) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["check", "train"])
    ap.add_argument("--steps", type=int, default=None, help="training steps (default: the recipe's)")
    ap.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1, mps, …")
    ap.add_argument("--seed", type=int, default=0, help="seed of this framework's random streams")
    a = ap.parse_args()
    if a.command == "check":
        return check()
    steps = load("recipe.json")["train"]["steps"] if a.steps is None else a.steps
    return train(steps, a.device, a.seed)


if __name__ == "__main__":
    sys.exit(main())
