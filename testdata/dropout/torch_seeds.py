"""MC dropout on the seed's recipe over many seeds, with PyTorch.

The seed pipeline's dropout section (reference/seed_pipeline.py): tanh 64-64
MLP with nn.Dropout(0.1) after each hidden layer, Adam lr 5e-3 weight decay
1e-4, full-batch MSE for 3,500 epochs on the seed's 60 noisy observations
(time normalised to [-1, 1], raw x as target); prediction keeps dropout on
and averages 300 passes. One run per seed (torch.manual_seed(seed) before
building the network); prints JSON with each seed's interpolation RMSE
(t <= 6) of the MC mean against the closed-form truth.

With --init-from go.json (written by Go's TestMCDropoutSeedDump) each run
starts from the Go run's initial weights instead of PyTorch's, for a paired
comparison; --p 0 trains without dropout (deterministic prediction).

usage: python3 torch_seeds.py --seeds 0:60 > torch_seeds.json
"""
import argparse, json, math, sys
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

p = argparse.ArgumentParser()
p.add_argument("--seeds", default="0:60")
p.add_argument("--epochs", type=int, default=3500)
p.add_argument("--samples", type=int, default=300)
p.add_argument("--data", default="testdata/seed_torch_cpu.json")
p.add_argument("--init-from", default="")
p.add_argument("--p", type=float, default=0.1)
args = p.parse_args()
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
lo, hi = (int(s) for s in args.seeds.split(":"))

x_train = json.load(open(args.data))["data"]["x_train"]
t_train = torch.linspace(0.0, 6.0, steps=60)
norm = lambda t: 2 * (t - 0.0) / 6.0 - 1
tx = norm(t_train).unsqueeze(-1)
ty = torch.tensor(x_train, dtype=torch.float32).unsqueeze(-1)
t_eval = torch.linspace(0.0, 8.0, steps=300, dtype=torch.float64)
te = norm(t_eval).float().unsqueeze(-1)
interp = t_eval <= 6.0
zeta, wn = 0.08, 1.1
wd = wn * math.sqrt(1 - zeta ** 2)
truth = torch.exp(-zeta * wn * t_eval) * (torch.cos(wd * t_eval) + zeta * wn / wd * torch.sin(wd * t_eval))


def mlp(h=64, p=0.1):
    if p == 0:
        return nn.Sequential(nn.Linear(1, h), nn.Tanh(), nn.Linear(h, h), nn.Tanh(), nn.Linear(h, 1))
    return nn.Sequential(nn.Linear(1, h), nn.Tanh(), nn.Dropout(p), nn.Linear(h, h), nn.Tanh(), nn.Dropout(p), nn.Linear(h, 1))


def load_go_params(m, flat):
    """Go's layout: per layer W (fan-in x fan-out, row-major) then b."""
    off = 0
    with torch.no_grad():
        for lin in [l for l in m if isinstance(l, nn.Linear)]:
            o, i = lin.weight.shape
            lin.weight.copy_(torch.tensor(flat[off:off + i * o], dtype=torch.float32).reshape(i, o).t())
            off += i * o
            lin.bias.copy_(torch.tensor(flat[off:off + o], dtype=torch.float32))
            off += o
    assert off == len(flat)


inits = {}
if args.init_from:
    for r in json.load(open(args.init_from))["runs"]:
        inits[r["seed"]] = r["init_params"]
    lo, hi = min(inits), max(inits) + 1

rmse = []
for seed in range(lo, hi):
    torch.manual_seed(seed)
    m = mlp(p=args.p)
    if args.init_from:
        load_go_params(m, inits[seed])
    opt = optim.Adam(m.parameters(), lr=5e-3, weight_decay=1e-4)
    for epoch in range(args.epochs):
        opt.zero_grad(); loss = F.mse_loss(m(tx), ty); loss.backward(); opt.step()
    m.train()
    with torch.no_grad():
        preds = torch.stack([m(te) for _ in range(args.samples if args.p else 1)])
    mean = preds.mean(0).squeeze(-1).double()
    r = float((mean - truth)[interp].pow(2).mean().sqrt())
    rmse.append(r)
    print(f"seed {seed} rmse {r:.6f}", file=sys.stderr, flush=True)
n = len(rmse)
mu = sum(rmse) / n
sd = math.sqrt(sum((r - mu) ** 2 for r in rmse) / max(n - 1, 1))
json.dump({"torch": torch.__version__, "seeds": [lo, hi], "p": args.p, "init_from": args.init_from, "epochs": args.epochs, "samples": args.samples,
           "interp_rmse": rmse, "mean": mu, "sd": sd, "se": sd / math.sqrt(n)}, sys.stdout, indent=1)
print()
