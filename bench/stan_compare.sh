#!/usr/bin/env bash
# Side-by-side speed of bnn's NUTS and Stan's (rstan 2.21) on the seed's posteriors, in one run.
#
#   bash bench/stan_compare.sh [--with-bnn] [--stan-only | --go-only]
#
# Needs: apt-get install -y r-cran-rstan r-cran-posterior r-cran-jsonlite, and Boost's headers
# where Debian's BH package expects them (this script links them if it may write there).
# Protocol (issue 11): the same model and data, 4 chains × (1,000 warm-up + 1,000 draws),
# diagonal metric, target acceptance 0.8, max tree depth 10. Speed is the minimum bulk ESS over
# the parameters per second of total sampler time (warm-up + sampling, compilation excluded);
# the gradient cost is total sampler time per leapfrog step (one gradient each).
#   Stan: bench/stan/run_stan.R on bench/stan/{oscillator_exact,oscillator,bnn}.stan; the bnn
#         model (about 15 min) only with --with-bnn.
#   bnn:  the Go benchmarks NUTSOscillatorExact, NUTSOscillatorODE (NUTSBNN with --with-bnn),
#         which report the custom metrics "ess_bulk/s" and "us/grad".
# Wall-clock timings: run on an otherwise idle machine, and repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

with_bnn=0 run_stan=1 run_go=1
for arg in "$@"; do
  case "$arg" in
    --with-bnn) with_bnn=1 ;;
    --stan-only) run_go=0 ;;
    --go-only) run_stan=0 ;;
    *) echo "usage: $0 [--with-bnn] [--stan-only | --go-only]" >&2; exit 2 ;;
  esac
done
models=(oscillator_exact oscillator)
benches=(NUTSOscillatorExact NUTSOscillatorODE)
if [ "$with_bnn" = 1 ]; then
  models+=(bnn)
  benches+=(NUTSBNN)
fi
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
python=${PYTHON:-/usr/bin/python3}

if [ "$run_stan" = 1 ]; then
  command -v Rscript >/dev/null || { echo "Rscript not found: apt-get install -y r-cran-rstan r-cran-posterior r-cran-jsonlite" >&2; exit 1; }
  # Debian's r-cran-bh ships without its include directory; Stan needs Boost's headers there.
  bh=$(Rscript -e 'cat(find.package("BH"))')
  if [ ! -e "$bh/include/boost" ]; then
    if [ -w "$bh" ] && [ ! -e "$bh/include" ]; then
      ln -s /usr/include "$bh/include"
      echo "linked /usr/include to $bh/include for Stan's Boost headers" >&2
    else
      echo "Stan needs Boost's headers in $bh/include; run once (as root):" >&2
      echo "  ln -s /usr/include \"$bh/include\"" >&2
      exit 1
    fi
  fi
  for m in "${models[@]}"; do
    echo "Stan: $m (4 chains × 2,000 iterations; the first run compiles the model, about a minute)…" >&2
    Rscript bench/stan/run_stan.R "$m" "$out/stan_$m.json" 4 2000 >&2
  done
fi

if [ "$run_go" = 1 ]; then
  pattern=$(IFS='|'; echo "${benches[*]}")
  echo "bnn: go test -run '^\$' -bench '$pattern' -benchtime 1x ." >&2
  go test -run '^$' -bench "$pattern" -benchtime 1x . | tee "$out/go.txt" >&2
  if ! grep -q '^Benchmark' "$out/go.txt"; then
    echo "no Go benchmarks matching '$pattern' yet (the NUTS sampler's benchmarks); skipping bnn" >&2
  fi
fi

"$python" - "$out" "${models[@]}" <<'PY'
import json, os, re, sys
out, models = sys.argv[1], sys.argv[2:]
bench_of = {"oscillator_exact": "NUTSOscillatorExact", "oscillator": "NUTSOscillatorODE", "bnn": "NUTSBNN"}
go = {}
path = os.path.join(out, "go.txt")
if os.path.exists(path):
    for line in open(path):
        m = re.match(r"Benchmark(\w+?)(?:-\d+)?\s+\d+\s+(.*)", line)
        if not m:
            continue
        metrics = {unit: float(val) for val, unit in re.findall(r"([-+\d.eE]+)\s+(\S+)", m[2])}
        go[m[1]] = metrics
def cell(v, width, prec, suffix=""):
    text = "—" if v is None else f"{v:.{prec}f}{suffix}"
    return text.rjust(width)
print(f"{'model':18s} {'Stan ESS/s':>11s} {'bnn ESS/s':>11s} {'ratio':>7s} {'Stan µs/grad':>13s} {'bnn µs/grad':>12s} {'grad ratio':>11s}")
for model in models:
    stan_ess = stan_us = None
    p = os.path.join(out, f"stan_{model}.json")
    if os.path.exists(p):
        s = json.load(open(p))
        stan_ess = s["ess_bulk_per_second"]
        stan_us = s["seconds_per_leapfrog"] * 1e6
    g = go.get(bench_of[model], {})
    go_ess, go_us = g.get("ess_bulk/s"), g.get("us/grad")
    ratio = go_ess / stan_ess if go_ess and stan_ess else None
    gratio = stan_us / go_us if go_us and stan_us else None
    print(f"{model:18s} {cell(stan_ess, 11, 0)} {cell(go_ess, 11, 0)} {cell(ratio, 7, 1, '×')}"
          f" {cell(stan_us, 13, 2)} {cell(go_us, 12, 2)} {cell(gratio, 11, 1, '×')}")
print(f"(ratio: bnn ESS/s ÷ Stan ESS/s; grad ratio: Stan µs ÷ bnn µs; raw results in {out})")
PY
