#!/usr/bin/env bash
# Side-by-side speed of bnn's NUTS and Stan's (rstan 2.21) on the seed's posteriors, in one run.
#
#   bash bench/stan_compare.sh [--with-bnn [--rerun-stan-bnn]] [--stan-only | --go-only]
#
# Needs: apt-get install -y r-cran-rstan r-cran-posterior r-cran-jsonlite, and Boost's headers
# where Debian's BH package expects them (this script links them if it may write there).
# Protocol (issue 11): the same model and data, 4 chains × (1,000 warm-up + 1,000 draws),
# diagonal metric, target acceptance 0.8, max tree depth 10. Speed is the minimum bulk ESS over
# the parameters per second of total sampler time (warm-up + sampling, compilation excluded);
# the gradient cost is total sampler time per leapfrog step (one gradient each).
#   Stan: bench/stan/run_stan.R on bench/stan/{oscillator_exact,oscillator,bnn}.stan. The bnn
#         model (1-16-16-1, about 15 min) runs only with --rerun-stan-bnn; otherwise --with-bnn
#         takes Stan's bnn row from STAN_RESULTS or from the recorded run in
#         ../shared/reference/stan/stan_reference.json ("bnn_h16"; STAN_REFERENCE=file
#         overrides), and the table says so.
#   bnn:  the Go benchmarks NUTSOscillatorExact, NUTSOscillatorODE (HMCBNN16 with --with-bnn:
#         NUTS over the 1-16-16-1 network's weights, ESS of the predictions at Stan's 33 times),
#         which report the custom metrics "ess_bulk/s" (wall clock; bnn runs its chains in
#         parallel), "ess_bulk/chain-s" (each chain's seconds summed, as Stan's times are),
#         "ess_bulk/cpu-s" (CPU seconds), "us/grad-cpu" (CPU time per log density + gradient) and
#         "us/leapfrog-cpu" (CPU time per leapfrog step, sampler included; the µs/grad column falls
#         back to it where a benchmark does not time the gradient alone).
# Environment: STAN_RESULTS=dir reuses stan_<model>.json files of an earlier run (then the two
# sides are not measured in one run); BENCHTIME (default 1x) is go test's -benchtime; OUT=dir
# keeps the raw results.
# Wall-clock timings: run on an otherwise idle machine, and repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

with_bnn=0 rerun_stan_bnn=0 run_stan=1 run_go=1
for arg in "$@"; do
  case "$arg" in
    --with-bnn) with_bnn=1 ;;
    --rerun-stan-bnn) with_bnn=1 rerun_stan_bnn=1 ;;
    --stan-only) run_go=0 ;;
    --go-only) run_stan=0 ;;
    *) echo "usage: $0 [--with-bnn [--rerun-stan-bnn]] [--stan-only | --go-only]" >&2; exit 2 ;;
  esac
done
models=(oscillator_exact oscillator)
benches=(NUTSOscillatorExact NUTSOscillatorODE)
if [ "$with_bnn" = 1 ]; then
  models+=(bnn)
  benches+=(HMCBNN16)
fi
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
python=${PYTHON:-/usr/bin/python3}
stan_models=("${models[@]}")
if [ "$with_bnn" = 1 ] && [ "$rerun_stan_bnn" = 0 ]; then
  stan_models=(oscillator_exact oscillator)
fi

if [ -n "${STAN_RESULTS:-}" ]; then
  for m in "${models[@]}"; do cp "$STAN_RESULTS/stan_$m.json" "$out/" 2>/dev/null || echo "no $STAN_RESULTS/stan_$m.json" >&2; done
  run_stan=0
fi
if [ "$with_bnn" = 1 ] && [ "$rerun_stan_bnn" = 0 ] && [ ! -e "$out/stan_bnn.json" ]; then
  # Stan's bnn run takes about 15 minutes: use the recorded one.
  ref=${STAN_REFERENCE:-../shared/reference/stan/stan_reference.json}
  if [ -e "$ref" ]; then
    "$python" - "$ref" "$out/stan_bnn.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["bnn_h16"]
r["recorded"] = sys.argv[1]
json.dump(r, open(sys.argv[2], "w"), indent=1)
PY
    echo "Stan: bnn from the recorded run in $ref (--rerun-stan-bnn reruns it, about 15 min)" >&2
  else
    echo "no $ref: the bnn row has no Stan numbers (--rerun-stan-bnn runs Stan, about 15 min)" >&2
  fi
fi
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
  for m in "${stan_models[@]}"; do
    echo "Stan: $m (4 chains × 2,000 iterations; the first run compiles the model, about a minute)…" >&2
    Rscript bench/stan/run_stan.R "$m" "$out/stan_$m.json" 4 2000 >&2
  done
fi

if [ "$run_go" = 1 ]; then
  pattern=$(IFS='|'; echo "${benches[*]}")
  benchtime=${BENCHTIME:-1x}
  echo "bnn: go test -run '^\$' -bench '$pattern' -benchtime $benchtime ." >&2
  go test -run '^$' -bench "$pattern" -benchtime "$benchtime" . | tee "$out/go.txt" >&2
  if ! grep -q '^Benchmark' "$out/go.txt"; then
    echo "no Go benchmarks matching '$pattern' yet (the NUTS sampler's benchmarks); skipping bnn" >&2
  fi
fi

"$python" - "$out" "${models[@]}" <<'PY'
import json, os, re, sys
out, models = sys.argv[1], sys.argv[2:]
bench_of = {"oscillator_exact": "NUTSOscillatorExact", "oscillator": "NUTSOscillatorODE", "bnn": "HMCBNN16"}
go = {}
path = os.path.join(out, "go.txt")
if os.path.exists(path):
    for line in open(path):
        m = re.match(r"Benchmark(\w+?)(?:-\d+)?\s+\d+\s+(.*)", line)
        if not m:
            continue
        metrics = {unit: float(val) for val, unit in re.findall(r"([-+\d.eE]+)\s+(\S+)", m[2])}
        if "ess_bulk/s_wall" in metrics and "ess_bulk/cpu-s" not in metrics:
            # reportSamplerMetrics' names: "ess_bulk/s" is per CPU second there.
            metrics["ess_bulk/cpu-s"] = metrics.pop("ess_bulk/s")
            metrics["ess_bulk/s"] = metrics.pop("ess_bulk/s_wall")
        go[m[1]] = metrics
def cell(v, width, prec, suffix=""):
    text = "—" if v is None else f"{v:.{prec}f}{suffix}"
    return text.rjust(width)
def ess(v, width):
    # Three significant digits at least: Stan's bnn run is 2.6 ESS/s.
    return cell(v, width, 0 if v is None or v >= 100 else 1 if v >= 10 else 2)
def ratio(a, b):
    return a / b if a and b else None
cols = [("model", 17), ("Stan ESS/s", 10), ("bnn ESS/s", 10), ("ESS/chain-s", 11), ("ESS/CPU-s", 10),
        ("ratio", 7), ("CPU ratio", 9), ("Stan µs/grad", 12), ("bnn µs/grad", 11), ("ratio", 7)]
recorded = []
print(" ".join(name.rjust(w) if i else name.ljust(w) for i, (name, w) in enumerate(cols)))
for model in models:
    stan_ess = stan_us = None
    p = os.path.join(out, f"stan_{model}.json")
    if os.path.exists(p):
        s = json.load(open(p))
        secs = s["warmup_seconds"] + s["sample_seconds"]
        stan_ess = s["min_ess_bulk"] / secs
        stan_us = secs / s["leapfrog_steps"] * 1e6
        if s.get("recorded"):
            recorded.append(f"{model} (Stan {s.get('stan', '?')}, {secs:.0f} s, recorded in {s['recorded']})")
    g = go.get(bench_of[model], {})
    go_ess, go_chain, go_cpu = (g.get(k) for k in ("ess_bulk/s", "ess_bulk/chain-s", "ess_bulk/cpu-s"))
    go_us = g.get("us/grad-cpu", g.get("us/leapfrog-cpu"))  # CPU time, like Stan's clock()
    print(f"{model:17s} {ess(stan_ess, 10)} {ess(go_ess, 10)} {ess(go_chain, 11)} {ess(go_cpu, 10)}"
          f" {cell(ratio(go_chain, stan_ess), 7, 1, '×')} {cell(ratio(go_cpu, stan_ess), 9, 1, '×')}"
          f" {cell(stan_us, 12, 2)} {cell(go_us, 11, 2)} {cell(ratio(stan_us, go_us), 7, 1, '×')}")
print("ESS/s: minimum bulk ESS over the parameters per second of sampler time. Stan: warm-up + sampling")
print("seconds of each chain, summed (its chains run one after another). bnn: wall clock of the parallel")
print("chains (ESS/s), each chain's seconds summed like Stan's (ESS/chain-s) and CPU seconds (ESS/CPU-s).")
print("ratio: bnn ESS/chain-s ÷ Stan ESS/s; CPU ratio: bnn ESS/CPU-s ÷ Stan ESS/s, the like-for-like one:")
print("Stan 2.21 times its chains with clock(), the process's CPU time, on one core, and bnn's chain")
print("seconds are wall clock, which other load on the machine inflates. µs/grad: Stan's CPU time per")
print("leapfrog step, bnn's CPU time per log density + gradient (us/grad-cpu), ratio Stan ÷ bnn.")
print("For the bnn row, µs/grad is bnn's CPU time per leapfrog step with the sampler included, and bnn's ESS")
print("is that of the network's predictions at Stan's 33 evaluation times (function space), as in Stan's run.")
for r in recorded:
    print(f"Stan numbers not measured in this run: {r}.")
print(f"Raw results: {out}")
PY
