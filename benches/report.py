#!/usr/bin/env python3
"""make bench: the engine's speed as ratios, each measured in one run on this machine.

1. `cargo bench --bench train`: steps/s natively at one thread and at every core (the
   MDN alone, and with its MSE regressor as `mdn train` runs them).
2. benches/jax_mdn.py: the same networks in JAX (jit, float32) on every core, and on one
   (taskset -c 0, XLA's one-thread flags). Skipped, and said so, when JAX is missing.
3. `mdn sweep` of the default spec (K = 1…8, 3 seeds) at --threads 1 and at every core;
   the two reports must be equal.
4. benches/browser/run.mjs: the page's engine against TF.js 4.22 (wasm and cpu backends)
   in one headless Chromium session.
5. benches/browser/two-workers-run.mjs: the page's training on a second worker without
   shared memory, split by samples (exchanging every step), and split by model as the
   page does it (its training worker with and without its helper).
6. Handwriting: `mdn strokes train` natively at one thread and at every core, and the
   handwriting page's worker in Chromium (benches/browser/hand-run.mjs), at the default
   spec (32 cells, batch 8) and at 128 cells, batch 32: steps per second of the LSTM-MDN
   and both baselines.
8. The handwriting engine against benches/jax_lstm.py (the same three models in JAX,
   bucketed by length) at 32 cells × batch 8, 128 × 32 and 400 × 32 in 3 layers, each the
   better of one core and every core.
7. The page while it trains (benches/browser/live-run.mjs): plot updates per second,
   main-thread tasks over 50 ms, training speed while drawing against the engine's.

Prints every measurement as a JSON line, then a table of the ratios against the goals
the README states. Speeds are noisy on shared machines: compare within one run.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORES = os.cpu_count() or 1


def json_lines(cmd, env=None):
    out = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    for r in rows:
        print(json.dumps(r), flush=True)
    return rows


def pick(rows, config, models, **kw):
    for r in rows:
        if r.get("config") == config and r.get("models") == models and all(r.get(k) == v for k, v in kw.items()):
            return r["steps_per_s"]
    return None


def timed_sweep(threads):
    start = time.perf_counter()
    out = subprocess.run([os.path.join(ROOT, "target/release/mdn"), "sweep", "", "--k", "1..8", "--seeds", "3", "--threads", str(threads)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    print(json.dumps({"sweep": "default spec, K = 1..8, 3 seeds", "threads": threads, "seconds": round(seconds, 2)}), flush=True)
    return seconds, json.loads(out)


def table(rows):
    print()
    print(f"{'ratio':<78} {'value':>7}  goal")
    for what, value, goal in rows:
        v = f"{value:7.2f}" if value else "    n/a"
        g = "" if goal is None else (f">= {goal:g}: " + ("met" if value and value >= goal else "not met"))
        print(f"{what:<78} {v}  {g}")


# The handwriting configurations: name, spec, steps timed natively (a few seconds each).
HAND = [
    ("32x8", "hidden=32&batch=8", 600),
    ("128x32", "hidden=128&batch=32", 60),
    ("400x32x3", "hidden=400&layers=3&skip=1&batch=32", 6),
]


def has_jax():
    try:
        import jax  # noqa: F401
        return True
    except ImportError:
        print("(JAX not installed: no JAX ratios; pip install jax)")
        return False


def handwriting(have_jax, ratio):
    """Sections 6 and 8: the handwriting engine natively, in the page, and against JAX."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "mdn"], cwd=ROOT, check=True)
    hand = {}
    for name, spec, steps in HAND:
        for threads in sorted({1, CORES}):
            r = json_lines([os.path.join(ROOT, "target/release/mdn"), "strokes", "train", f"{spec}&steps={steps}",
                            "--every", "1000000", "--threads", str(threads)])
            hand[(name, threads)] = r[-1]["steps_per_second"] if r else None
            hand[(name, threads, "moves")] = r[-1]["moves_per_second"] if r else None
    hand_page = {}
    for name, spec, steps in HAND[:2]:
        r = json_lines(["node", "benches/browser/hand-run.mjs"], env={"BENCH_HAND_SPEC": spec, "BENCH_HAND_STEPS": str(steps // 2)})
        hand_page[name] = r[0]["steps_per_s"] if r else None
    one = {"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
    jax_lstm = json_lines([sys.executable, "benches/jax_lstm.py", "all"]) if have_jax else []
    jax_lstm += json_lines(["taskset", "-c", "0", sys.executable, "benches/jax_lstm.py", "one"], env=one) if have_jax else []
    for (name, spec, _), goal in zip(HAND, [2.0, 1.0, 1.0]):
        best = max((v for k, v in hand.items() if k[0] == name and k[2:] == ("moves",) and v), default=None)
        jx = [r["moves_per_s"] for r in jax_lstm if r.get("config") == name]
        ratio(f"handwriting {name}: engine / JAX bucketed, moves/s (each the better of 1 and {CORES} cores)", best, max(jx, default=None), goal)
        ratio(f"handwriting {name}: engine, {CORES} threads / 1 thread", hand.get((name, CORES)), hand.get((name, 1)))
        if name in hand_page:
            ratio(f"handwriting {name}: page (Chromium worker) / native, 1 thread", hand_page[name], hand.get((name, 1)), 0.7)
            ratio(f"handwriting {name}: page (Chromium worker) / native, {CORES} threads", hand_page[name], hand.get((name, CORES)))


def main():
    if sys.argv[1:] == ["handwriting"]:
        rows = []
        handwriting(has_jax(), lambda what, a, b, goal=None: rows.append((what, a / b if a and b else None, goal)))
        table(rows)
        return
    engine = json_lines(["cargo", "bench", "--quiet", "--bench", "train"])
    have_jax = has_jax()
    jax_all = json_lines([sys.executable, "benches/jax_mdn.py"]) if have_jax else []
    one = {"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
    jax_one = json_lines(["taskset", "-c", "0", sys.executable, "benches/jax_mdn.py"], env=one) if have_jax else []
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "mdn"], cwd=ROOT, check=True)
    t1, r1 = timed_sweep(1)
    tn, rn = timed_sweep(CORES)
    browser = json_lines(["node", "benches/browser/run.mjs"])
    page = {r["config"]: r for r in (browser[0]["results"] if browser else [])}
    two = json_lines(["node", "benches/browser/two-workers-run.mjs"])
    split = {r["config"]: r for r in (two[0]["results"] if two else [])}
    json_lines(["node", "benches/browser/live-run.mjs"])

    rows = []

    def ratio(what, a, b, goal=None):
        value = a / b if a and b else None
        rows.append((what, value, goal))

    for config, goal in [("medium", 1.0), ("small", 2.0)]:
        for models in ["mdn", "mdn+baseline"]:
            e = pick(engine, config, models, threads=CORES)
            ratio(f"{config} {models}: engine ({CORES} threads) / JAX ({CORES} cores)", e, pick(jax_all, config, models), goal)
            ratio(f"{config} {models}: engine / JAX, both on 1 core", pick(engine, config, models, threads=1), pick(jax_one, config, models))
            ratio(f"{config} {models}: engine, {CORES} threads / 1 thread", e, pick(engine, config, models, threads=1))
            ratio(f"{config} {models}: JAX, {CORES} cores / 1 core", pick(jax_all, config, models), pick(jax_one, config, models))
    for config, goal in [("small", 12.0), ("medium", None)]:
        if config in page:
            p = page[config]
            ratio(f"page {config} (Chromium): engine / TF.js {browser[0]['tfjs']} wasm", p["engine"]["steps_per_s"], p["tfjs_wasm"]["steps_per_s"], goal)
    for config, r in split.items():
        rows.append((f"page {config}, MDN + regressor: 2 workers split by samples / 1 worker", r["speedup"], None))
        rows.append((f"page {config}: training worker with its helper / alone (split by model)", r["model_split_speedup"], None))
    ratio(f"mdn sweep of the default spec: 1 thread / {CORES} threads (time)", t1, tn)
    handwriting(have_jax, ratio)
    same = r1 == rn
    table(rows)
    print(f"sweep reports at 1 and {CORES} threads equal: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
