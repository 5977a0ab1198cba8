#!/usr/bin/env bash
# Side-by-side speed of bnn and the seed's PyTorch pipeline on this machine, in one run.
#
#   bash bench/pytorch_compare.sh            # needs: apt-get install -y python3-torch python3-scipy
#
# It runs the Go benchmarks of each seed section, then ../shared/reference/seed_pipeline.py with
# two threads on the same sections, and prints one ratio per section (PyTorch seconds / Go seconds).
# Run it on an otherwise idle machine: both sides are wall-clock timings.
set -euo pipefail
cd "$(dirname "$0")/.."
pipeline=${PIPELINE:-../shared/reference/seed_pipeline.py}
python=${PYTHON:-/usr/bin/python3}
out=$(mktemp -d)

echo "Go benchmarks (best of 3)…" >&2
go test -run '^$' -bench '^Benchmark(GridSeed|EnsembleFit|DropoutFit|BBBSeedFit|BBBSeedPredict)$' \
  -benchtime 3x -count 3 . | tee "$out/go.txt" >&2

echo "PyTorch pipeline (grid, bnn, ens, dropout; about 90 s)…" >&2
"$python" "$pipeline" --threads 2 --sections grid,bnn,ens,dropout >"$out/torch.json"

"$python" - "$out/go.txt" "$out/torch.json" <<'PY'
import json, re, sys
best = {}
for line in open(sys.argv[1]):
    m = re.match(r"Benchmark(\w+)-\d+\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        best[m[1]] = min(best.get(m[1], float("inf")), float(m[2]) / 1e9)
s = json.load(open(sys.argv[2]))["sections"]
rows = [
    ("60×60 grid posterior (3,600 ODE solves)", s["grid"]["seconds"], "GridSeed"),
    ("BNN training, 3,500 epochs", s["bnn"]["seconds"], "BBBSeedFit"),
    ("BNN prediction, 300 samples × 300 points", s["bnn"]["predict_300_samples_seconds"], "BBBSeedPredict"),
    ("deep ensemble, 5 × 3,500 epochs", s["ens"]["seconds"], "EnsembleFit"),
    ("MC dropout training, 3,500 epochs", s["dropout"]["seconds"], "DropoutFit"),
]
print(f"{'section':44s} {'PyTorch s':>10s} {'bnn s':>10s} {'speed-up':>9s}")
for name, torch_s, bench in rows:
    go_s = best.get(bench)
    if go_s is None:
        print(f"{name:44s} {torch_s:10.3f} {'—':>10s}")
        continue
    print(f"{name:44s} {torch_s:10.3f} {go_s:10.5f} {torch_s / go_s:8.0f}×")
PY
