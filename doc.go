// Package bnn takes a reader from Bayes' rule to Bayesian-neural-network
// surrogates with the Go standard library only. It answers one physical
// question end to end — how uncertain are the damping ratio ζ and the natural
// frequency ωₙ of a noisy damped oscillator, and how far can predictions
// beyond the measured window be trusted — and every step is a reusable piece:
// probability distributions, an adaptive ODE solver, exact grid posteriors,
// Bayesian linear regression, variational inference, Bayes-by-Backprop
// networks, deep ensembles and Monte-Carlo dropout, with their metrics and a
// model file format.
//
// # The seed notebook
//
// Throughout the documentation, "the seed" is the notebook this package
// ports: a PyTorch/torchdiffeq/SciPy notebook that fits a damped oscillator
// (ζ = 0.08, ωₙ = 1.1) from 60 noisy position measurements on 0–6 s and
// extrapolates to 8 s. Functions named Notebook… (NotebookBNNConfig,
// NotebookBBBConfig, NotebookVIConfig, NotebookOscillatorData,
// NotebookOscillatorGrid) return the notebook's settings, so that its
// numbers can be reproduced. A field named Seed (TrainConfig.Seed,
// BBBConfig.Seed, VIConfig.Seed, …) is always a random seed: the same value
// gives bit-identical results at any GOMAXPROCS.
//
// # Conventions
//
//   - Errors: every function that takes caller data returns an error
//     wrapping one of the sentinels in errors.go (ErrShape, ErrEmpty,
//     ErrNonFinite, ErrInvalidParameter, ErrNotConverged, ErrDiverged, …),
//     prefixed "bnn: <area>:"; test them with errors.Is. Panics are kept for
//     programming errors such as an index out of range.
//   - Units: inputs and outputs are in the caller's units; models that
//     standardise their data internally (see Scaling) undo it on output.
//   - Cancellation: long computations (training, grid posteriors, grid
//     predictives, variational inference) take a context.Context, check it
//     between steps and return an error wrapping context.Cause(ctx).
//   - Parallelism: parallel work runs on the calling goroutine plus helpers
//     that block rather than spin and have all exited when the call returns
//     (parallel.go). Results never depend on GOMAXPROCS or the Workers
//     setting.
//   - Allocation: hot loops (ODE steps, training steps, predictive draws)
//     allocate nothing; …To(dst, …) forms write into caller buffers.
//   - Settings: every settings struct is named …Config. Default…Config
//     returns the package's recommended settings, Notebook…Config the seed
//     notebook's. A zero field means its documented default, as in
//     log/slog (Default…Config writes those defaults out); negative or
//     NaN values are errors naming the field. The only fields without a
//     default are data shapes (MLPConfig.Inputs, BNNConfig.Inputs), and a
//     field whose zero would be a meaningful value says how to ask for it.
//   - Ownership: methods that return slices return new ones the caller
//     owns (BayesLinear.Mean, EigenSym.Values, Ensemble.Members); the
//     …To forms write into the caller's buffers instead. Objects reached
//     through a returned slice (an ensemble's networks) are shared and must
//     not be modified. Result structs with exported fields (GridPosterior,
//     GridPredictive, VIResult) belong to the caller; see GridPosterior for
//     the invariants its methods assume.
//   - Numerics: float64 for exact Bayes and samplers, float32 for network
//     arithmetic; Cholesky or eigendecompositions instead of inverses; sums
//     of exponentials by log-sum-exp.
//
// # Files by concept
//
// Foundations:
//
//   - errors.go: the error sentinels.
//   - linalg.go, linalg_chol.go, linalg_lu.go, eigen.go: Dense matrices,
//     Cholesky, LU and the symmetric eigendecomposition.
//   - special.go: regularised incomplete gamma functions.
//   - rng.go: the package's fast seeded generators (Gaussian fills).
//   - dist.go, dist_gamma.go, dist_mvn.go: Normal, Uniform, Gamma,
//     InverseGamma and MultivariateNormal.
//   - parallel.go: the one parallel-loop primitive everything uses.
//
// The oscillator and exact inference:
//
//   - ode.go, ode_dopri.go: ODESolver (Dormand–Prince 5(4), SciPy RK45's
//     controller).
//   - oscillator.go: the damped oscillator, its closed form and solver.
//   - oscillator_posterior.go: the seed's data, priors and grid.
//   - grid.go, grid_refine.go, grid_predictive.go: exact posteriors on a
//     grid, self-refining grids, and their posterior predictive.
//
// Bayesian linear regression:
//
//   - bayes.go, bayes_basis.go, bayes_evidence.go: BayesLinear, basis
//     functions and evidence maximisation.
//   - bayes_ridge.go, bayes_ridge_model.go: BayesianRidge (scikit-learn's).
//
// Variational inference and Bayesian networks:
//
//   - vi.go: mean-field Gaussian VI for any log joint (FitGaussianVI).
//   - prior.go: weight priors (Gaussian, scale mixture).
//   - bbb.go, bbb_train.go, bbb_predict.go: BayesianMLP trained by Bayes by
//     Backprop, and its predictive; bbb_gemm.go, bbb_softplus.go: its
//     kernels; bbb_codec.go: its model-file payload.
//   - bnn_posterior.go, bnn_hmc.go: the BNN weight posterior and SampleBNN
//     (NUTS with function-space diagnostics); bnn_mlp2*: the fused gradient
//     of its 1-h-h-1 tanh networks.
//
// Point-estimate networks and their uncertainty:
//
//   - nn.go, activation.go, optim.go, scaler.go, train.go: MLPs, activations,
//     Adam/SGD, standardisation and Train.
//   - ensemble.go: deep ensembles; dropout.go: Monte-Carlo dropout.
//   - nn_codec.go: the networks' model-file payload.
//
// Evaluation and persistence:
//
//   - model.go: the Regressor interface every trained model implements.
//   - metrics.go: RMSE, Gaussian NLL, coverage, calibration, CRPS.
//   - modelfile.go: SaveModel and LoadModel.
//
// Float32 kernels:
//
//   - kernels.go: Sgemm and the kernel dispatch (KernelPath);
//     kernels_amd64.*, kernels_arm64.*, cpu_amd64.*: AVX-512, AVX2+FMA and
//     NEON paths; kernels_generic.go, kernels_other.go: the pure-Go path
//     (forced by the purego build tag); kernels_gemm.go: blocking.
//
// The command cmd/bnn runs the whole seed notebook (bnn oscillator) and fits
// and applies models to CSV data (bnn fit, bnn predict).
package bnn
