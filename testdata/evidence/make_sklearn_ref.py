"""scikit-learn BayesianRidge references for bnn's evidence maximisation.

Two designs on the same fixed data (40 points x on [0, 1], evenly spaced;
y = sin(2*pi*x) + 0.1*noise from numpy's RandomState(14)):

  poly11:     the columns x, x^2, ..., x^11 (an ill-conditioned Gram matrix);
  rankdef:    the columns x, x^2, x^3 and x^2 again (rank 3 of 4).

Both fitted with BayesianRidge(tol=1e-10) and its defaults otherwise (Gamma
hyperpriors 1e-6, intercept, at most 300 steps). Writes sklearn_ref.json with
x, y and for each design coef_, intercept_, alpha_ (noise precision),
lambda_ (weight precision), sigma_ (posterior covariance, row-major) and
n_iter_.

usage (from the module root): python3 testdata/evidence/make_sklearn_ref.py
"""
import json
import numpy as np
import sklearn
from sklearn.linear_model import BayesianRidge

rng = np.random.RandomState(14)
x = np.linspace(0.0, 1.0, 40)
y = np.sin(2 * np.pi * x) + 0.1 * rng.standard_normal(40)
designs = {
    "poly11": np.column_stack([x ** k for k in range(1, 12)]),
    "rankdef": np.column_stack([x, x ** 2, x ** 3, x ** 2]),
}
out = {"sklearn": sklearn.__version__, "x": x.tolist(), "y": y.tolist(), "tol": 1e-10}
for name, X in designs.items():
    m = BayesianRidge(tol=1e-10)
    m.fit(X, y)
    out[name] = {"coef": m.coef_.tolist(), "intercept": float(m.intercept_), "alpha": float(m.alpha_),
                 "lambda": float(m.lambda_), "sigma": m.sigma_.ravel().tolist(), "n_iter": int(m.n_iter_)}
with open("testdata/evidence/sklearn_ref.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
