#!/usr/bin/env bash
# How tests/data/stored_links.jsonl was made: share links as the page wrote them before
# the key table and Link (issue 10), each trained by that version's `mdn train` (its
# view and page keys, which that CLI refused, stripped). tests/native/links.rs checks that they
# open to the same experiment today, bit for bit.
#   git worktree add /tmp/old b7def99 && (cd /tmp/old && cargo build --release --bin mdn)
#   bash tests/reference/stored_links.sh /tmp/old/target/release/mdn > tests/data/stored_links.jsonl
set -euo pipefail
OLD=$1
PTS=$(python3 - <<'PY'
import zlib, base64, math
rows = ["x,y"] + [f"{i/60},{math.sin(6*i/60) + (0.4 if i % 2 else -0.4):.6f}" for i in range(60)]
c = zlib.compressobj(9, zlib.DEFLATED, -15)
raw = c.compress(("\n".join(rows) + "\n").encode()) + c.flush()
print("z1." + base64.urlsafe_b64encode(raw).decode().rstrip("="))
PY
)
links=(
  "http://127.0.0.1:8080/#data=bishop-inverse&n=500&seed=3&k=4&hidden=12&steps=150"
  "#data=arm&n=600&seed=1&k=4&hidden=12&steps=100&cov=full&target=0.7%2C0.45&tpi=0.5&tsigma=2&samples=300&mode=1"
  "#data=custom&k=3&hidden=8&steps=120&lr=0.02&pts=$PTS"
  "#k=3&play=1&embed=1&n=300&hidden=8,8&steps=100&opt=sgd&momentum=0.5&schedule=constant&batch=all"
  "#data=ring&n=400&k=2&hidden=10&steps=80&sigma=softplus&pi_floor=0.1&noise_x=0.05&noise_y=0.02&weight_decay=0.01&reinit_dead=20&init=diverse"
)
for l in "${links[@]}"; do
  spec=$(python3 -c "import sys; h = sys.argv[1].split('#', 1)[1]; print('&'.join(p for p in h.split('&') if p.split('=')[0] not in ('play', 'embed', 'target', 'tpi', 'tsigma', 'samples', 'mode')))" "$l")
  "$OLD" train "$spec" | tail -1 | python3 -c "import json, sys; o = json.load(sys.stdin); print(json.dumps({'link': sys.argv[1], **{k: o[k] for k in ('spec', 'step', 'train_nll', 'val_nll', 'baseline_val_nll')}}))" "$l"
done
