#!/usr/bin/env bash
# BNN prediction (300 weight draws × the seed's 300-point grid), bnn against the seed's PyTorch code, as a
# distribution rather than one timing each: ROUNDS rounds (default 9) alternate one PyTorch timing
# (../shared/reference/seed_pipeline.py --sections bnn --epochs 1 --threads 2: its
# predict_300_samples_seconds, a fresh process each round) and one Go timing (BenchmarkBBBSeedPredict,
# 20 predictions averaged), so both sides see the same machine load. It prints every round, then the
# median and the minimum of each side and the ratios median/median and min/min.
#
#   bash bench/predict_compare.sh            # needs: apt-get install -y python3-torch python3-scipy
#   ROUNDS=15 bash bench/predict_compare.sh
#
# pytorch_compare.sh times PyTorch once, after 3,500 training epochs, against Go's best of three: that
# single PyTorch timing ranges from about 0.33 to 0.51 s on the same machine, so its ratio does too.
set -euo pipefail
cd "$(dirname "$0")/.."
pipeline=${PIPELINE:-../shared/reference/seed_pipeline.py}
python=${PYTHON:-/usr/bin/python3}
rounds=${ROUNDS:-9}
out=$(mktemp -d)
go test -c -o "$out/bnn.test" .

for ((r = 1; r <= rounds; r++)); do
  torch_s=$("$python" "$pipeline" --threads 2 --sections bnn --epochs 1 |
    "$python" -c 'import json, sys; print(json.load(sys.stdin)["sections"]["bnn"]["predict_300_samples_seconds"])')
  go_ns=$("$out/bnn.test" -test.run '^$' -test.bench '^BenchmarkBBBSeedPredict$' -test.benchtime 20x |
    awk '/^BenchmarkBBBSeedPredict/ {print $3}')
  echo "$r $torch_s $go_ns" | tee -a "$out/rounds.txt" >&2
done

"$python" - "$out/rounds.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
torch = [float(r[1]) for r in rows]
go = [float(r[2]) / 1e9 for r in rows]
print(f"{'':10s} {'PyTorch s':>10s} {'bnn ms':>8s} {'ratio':>7s}")
for name, f in (("median", statistics.median), ("minimum", min)):
    t, g = f(torch), f(go)
    print(f"{name:10s} {t:10.3f} {g * 1e3:8.3f} {t / g:6.0f}×")
print(f"rounds: {len(rows)}; PyTorch {min(torch):.3f}–{max(torch):.3f} s, bnn {min(go) * 1e3:.3f}–{max(go) * 1e3:.3f} ms")
PY
