#!/usr/bin/env bash
# Side-by-side speed of bnn's NUTS and Stan's on the same model and data, in one run.
#
#   bash bench/stan_compare.sh
#
# Needs rstan 2.21 (apt-get install -y r-cran-rstan r-cran-posterior r-cran-jsonlite) and, once,
# the Boost headers Debian's r-cran-bh leaves out:
#   ln -s /usr/include "$(Rscript -e 'cat(find.package("BH"))')/include"
#
# Model: the seed's oscillator with its closed-form trajectory
# (../shared/reference/stan/oscillator_exact.stan; BenchmarkNUTSOscillatorExact is the same
# likelihood, priors and data), 4 chains × (1,000 warm-up + 1,000 draws), diagonal metric,
# target acceptance 0.8. Stan's time is its own warm-up + sampling seconds summed over its
# chains (run one after another, compilation excluded); bnn's chains run in parallel, so the
# script reports bnn per wall-clock second and per CPU second (chains summed, like Stan's).
# Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
stan_dir=${STAN_DIR:-../shared/reference/stan}
out=$(mktemp -d)

echo "bnn: BenchmarkNUTSOscillatorExact (10 runs)…" >&2
go test -run '^$' -bench '^BenchmarkNUTSOscillatorExact$' -benchtime 10x . | tee "$out/go.txt" >&2

if [[ -n "${STAN_JSON:-}" ]]; then
  # Reuse an earlier run_stan.R result (then the two sides are not measured in one run).
  cp "$STAN_JSON" "$out/stan.json"
else
  echo "Stan: run_stan.R oscillator_exact (compiles the model first: minutes on a busy machine)…" >&2
  Rscript "$stan_dir/run_stan.R" oscillator_exact "$out/stan.json" 4 2000 >&2
  cp "$out/stan.json" "${STAN_OUT:-/tmp/stan_oscillator_exact.json}"
fi

/usr/bin/python3 - "$out/go.txt" "$out/stan.json" <<'PY'
import json, re, sys
go = {}
for line in open(sys.argv[1]):
    if line.startswith("BenchmarkNUTSOscillatorExact"):
        for v, unit in re.findall(r"([\d.e+-]+) ([\w/-]+)", line):
            go[unit] = float(v)
s = json.load(open(sys.argv[2]))
stan_secs = s["warmup_seconds"] + s["sample_seconds"]
stan_ess_s = s["min_ess_bulk"] / stan_secs
stan_us_leap = stan_secs / s["leapfrog_steps"] * 1e6
print(f"{'oscillator_exact, 4 × (1000 + 1000)':40s} {'Stan ' + s['stan']:>12s} {'bnn':>12s} {'ratio':>8s}")
g = lambda k: go.get(k, float("nan"))
rows = [
    ("min bulk ESS", s["min_ess_bulk"], go.get("min_ess_bulk"), None),
    ("leapfrog steps", s["leapfrog_steps"], go.get("n_leapfrog"), None),
    ("min bulk ESS / s (Stan: chain-summed s)", stan_ess_s, g("ess_bulk/s"), g("ess_bulk/s") / stan_ess_s),
    ("min bulk ESS / CPU s (chains summed)", stan_ess_s, g("ess_bulk/cpu-s"), g("ess_bulk/cpu-s") / stan_ess_s),
    ("µs per leapfrog step (chain time)", stan_us_leap, g("us/leapfrog"), stan_us_leap / g("us/leapfrog")),
    ("µs per leapfrog step (CPU time)", stan_us_leap, g("us/leapfrog-cpu"), stan_us_leap / g("us/leapfrog-cpu")),
    ("µs per gradient (bnn: log density alone)", stan_us_leap, g("us/grad"), stan_us_leap / g("us/grad")),
]
for name, a, b, r in rows:
    if b is None:
        continue
    print(f"{name:40s} {a:12.4g} {b:12.4g} {'' if r is None else f'{r:7.1f}×':>8s}")
PY
