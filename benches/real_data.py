"""The real data sets' figures in the README: for each set and seeds 1-3, the K that
`mdn sweep` chooses by validation NLL (K = 1..6), then `mdn train` at that K with its
5-fold cross-validation: held-out NLL and CRPS of the MDN, the MDN with K = 1, the MSE
regressor and the conditional kernel density estimate.
Run: cargo build --release --bin mdn && python3 benches/real_data.py
"""
import json
import subprocess

MDN = "target/release/mdn"
SETTINGS = "hidden=8,8&steps=2000&noise_x=0.1&noise_y=0.15"


def last_json(args):
    out = subprocess.run([MDN, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().split("\n")[-1])


print("| set | seed | K (sweep: val NLL / BIC) | MDN | K = 1 | MSE regressor | kernel estimate |")
print("|---|---|---|---|---|---|---|")
for data in ["faithful", "mcycle"]:
    for seed in [1, 2, 3]:
        base = f"data={data}&seed={seed}&{SETTINGS}"
        sweep = last_json(["sweep", base, "--k", "1..6", "--seeds", "1", "--threads", "2"])
        k = sweep["chosen_by_val_nll"]
        cv = last_json(["train", f"{base}&k={k}", "--every", "100000", "--threads", "2"])["cv"]
        cell = lambda s: f"{s['nll']:.3f} / {s['crps']:.4f}"
        one = cv.get("one_component", cv["mdn"])
        print(f"| {data} | {seed} | {k} / {sweep['chosen_by_bic']} | {cell(cv['mdn'])} | {cell(one)} "
              f"| {cell(cv['baseline'])} | {cell(cv['kernel'])} |", flush=True)
