"""MC dropout on the seed's recipe for many independent networks at once.

The same computation as torch_seeds.py (and the seed pipeline's dropout
section): S tanh 64-64 networks with dropout 0.1 after each hidden layer,
PyTorch's nn.Linear initialisation (weights and biases U(-1/sqrt(fan_in),
1/sqrt(fan_in))), torch.optim.Adam lr 5e-3 weight decay 1e-4, full-batch MSE
for 3,500 epochs on the seed's 60 observations, 300 dropout passes at
prediction. The networks are stacked along a batch dimension so one Python
step trains all of them: every operation (bmm, tanh, F.dropout, elementwise
Adam) acts on each network independently, and the summed loss gives each
network exactly the gradient of its own MSE. That makes 60 seeds affordable
on a shared 2-core machine. --check compares one stacked network with
nn.Sequential from the same weights without dropout (must agree to float32
rounding). --init-from go.json starts network s from the Go run's initial
weights (TestMCDropoutSeedDump).

usage: python3 torch_batched.py --nets 60 --seed 1 > torch_batched.json
"""
import argparse, json, math, sys
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

p = argparse.ArgumentParser()
p.add_argument("--nets", type=int, default=60)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--epochs", type=int, default=3500)
p.add_argument("--samples", type=int, default=300)
p.add_argument("--p", type=float, default=0.1)
p.add_argument("--data", default="testdata/seed_torch_cpu.json")
p.add_argument("--init-from", default="")
p.add_argument("--check", action="store_true")
args = p.parse_args()
torch.set_num_threads(1)
torch.manual_seed(args.seed)

x_train = json.load(open(args.data))["data"]["x_train"]
t_train = torch.linspace(0.0, 6.0, steps=60)
norm = lambda t: 2 * (t - 0.0) / 6.0 - 1
tx = norm(t_train).unsqueeze(-1)                     # (60, 1)
ty = torch.tensor(x_train, dtype=torch.float32).unsqueeze(-1)
t_eval = torch.linspace(0.0, 8.0, steps=300, dtype=torch.float64)
te = norm(t_eval).float().unsqueeze(-1)              # (300, 1)
interp = t_eval <= 6.0
zeta, wn = 0.08, 1.1
wd_ = wn * math.sqrt(1 - zeta ** 2)
truth = torch.exp(-zeta * wn * t_eval) * (torch.cos(wd_ * t_eval) + zeta * wn / wd_ * torch.sin(wd_ * t_eval))
H = 64
sizes = [1, H, H, 1]


def init_params(S):
    ps = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        b = 1 / math.sqrt(i)
        ps.append(torch.empty(S, i, o).uniform_(-b, b))
        ps.append(torch.empty(S, 1, o).uniform_(-b, b))
    return [q.requires_grad_() for q in ps]


def forward(ps, x, drop):
    h = x.expand(ps[0].shape[0], -1, -1)
    for l in range(3):
        h = torch.baddbmm(ps[2 * l + 1], h, ps[2 * l])
        if l < 2:
            h = torch.tanh(h)
            if drop:
                h = F.dropout(h, args.p, training=True)
    return h                                         # (S, rows, 1)


def train(ps):
    opt = optim.Adam(ps, lr=5e-3, weight_decay=1e-4)
    for _ in range(args.epochs):
        opt.zero_grad()
        out = forward(ps, tx, args.p > 0)
        loss = ((out - ty) ** 2).mean(dim=(1, 2)).sum()
        loss.backward()
        opt.step()


def rmse_of(mean):                                   # mean: (S, 300)
    err = (mean.double() - truth)[:, interp]
    return err.pow(2).mean(dim=1).sqrt().tolist()


if args.check:  # one stacked network against nn.Sequential from the same weights, no dropout
    args.p, args.epochs = 0.0, 300
    ps = init_params(1)
    seq = nn.Sequential(nn.Linear(1, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, 1))
    with torch.no_grad():
        lins = [l for l in seq if isinstance(l, nn.Linear)]
        for l, lin in enumerate(lins):
            lin.weight.copy_(ps[2 * l][0].t()); lin.bias.copy_(ps[2 * l + 1][0, 0])
    train(ps)
    opt = optim.Adam(seq.parameters(), lr=5e-3, weight_decay=1e-4)
    for _ in range(args.epochs):
        opt.zero_grad(); F.mse_loss(seq(tx), ty).backward(); opt.step()
    with torch.no_grad():
        a = forward(ps, te, False)[0]; b = seq(te)
    print(json.dumps({"max_abs_diff_after_300_epochs": float((a - b).abs().max())}))
    sys.exit(0)

S = args.nets
ps = init_params(S)
seeds = list(range(S))
if args.init_from:
    runs = json.load(open(args.init_from))["runs"][:S]
    S = len(runs)
    seeds = [r["seed"] for r in runs]
    ps = init_params(S)
    with torch.no_grad():
        for s, r in enumerate(runs):
            flat, off = r["init_params"], 0
            for l, (i, o) in enumerate(zip(sizes[:-1], sizes[1:])):
                ps[2 * l][s].copy_(torch.tensor(flat[off:off + i * o]).reshape(i, o)); off += i * o
                ps[2 * l + 1][s, 0].copy_(torch.tensor(flat[off:off + o])); off += o
train(ps)
with torch.no_grad():
    if args.p > 0:
        acc = torch.zeros(S, 300, 1)
        for _ in range(args.samples):
            acc += forward(ps, te, True)
        mean = (acc / args.samples).squeeze(-1)
    else:
        mean = forward(ps, te, False).squeeze(-1)
rmse = rmse_of(mean)
n = len(rmse)
mu = sum(rmse) / n
sd = math.sqrt(sum((r - mu) ** 2 for r in rmse) / max(n - 1, 1))
json.dump({"torch": torch.__version__, "nets": n, "seed": args.seed, "p": args.p, "init_from": args.init_from,
           "epochs": args.epochs, "samples": args.samples, "go_seeds": seeds if args.init_from else None,
           "interp_rmse": rmse, "mean": mu, "sd": sd, "se": sd / math.sqrt(n)}, sys.stdout)
print()
