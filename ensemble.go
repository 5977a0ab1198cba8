package bnn

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Ensemble is a deep ensemble (Lakshminarayanan et al., 2017): M networks
// trained independently from different initialisations. Its predictive
// distribution is the equal-weight mixture of the members' Gaussians,
// reported by PredictTo as its mean and standard deviation. An Ensemble is
// safe for concurrent use.
type Ensemble struct {
	members []*Network
	spare   atomic.Pointer[ensembleWork]
}

// nnMemberSeed derives member k's seed from the ensemble seed (SplitMix64
// finaliser of seed + (k+1)·golden ratio), so members are independent and
// the result does not depend on scheduling.
func nnMemberSeed(seed uint64, k int) uint64 {
	z := seed + uint64(k+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// TrainEnsemble trains members networks with the settings in cfg, member k
// with the random seed derived from (cfg.Seed, k), all members at once (one
// worker each, the caller's goroutine included; no goroutine is left when it
// returns). With cfg.Validation every member holds out the same rows (drawn
// from cfg.Seed) and stops early on them; the members' noise variances are
// then multiplied by one factor that maximises the held-out likelihood of the
// mixture's predictive N(mean, epistemic + aleatoric). The trained weights
// depend only on the data, cfg and members, never on GOMAXPROCS or
// scheduling. Errors are those of Train (the first failing member's, or the
// one whose failure stopped the others), an error wrapping context.Cause(ctx)
// when ctx is done before every member started, or ErrInvalidParameter if
// members < 1.
func TrainEnsemble(ctx context.Context, x []float64, dim int, y []float64, cfg TrainConfig, members int) (*Ensemble, error) {
	if members < 1 {
		return nil, fmt.Errorf("bnn: ensemble: %d members: %w", members, ErrInvalidParameter)
	}
	sc, xs, ys, err := prepareTrainingData(x, dim, y, &cfg)
	if err != nil {
		return nil, err
	}
	n := len(ys)

	var progress func(int, float64)
	if cfg.Progress != nil {
		var mu sync.Mutex
		progress = func(epoch int, loss float64) {
			mu.Lock()
			defer mu.Unlock()
			cfg.Progress(epoch, loss)
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	nets := make([]*Network, members)
	helds := make([]nnHeldOut, members)
	errs := make([]error, members)
	// One worker per member: the scheduler time-slices them, so M members
	// on P cores finish together after M/P member-times (a pool of P workers
	// would need ⌈M/P⌉). The body records errors itself so that the one
	// reported is the cause of the cancellation, as below.
	stopped := parallelFor(ctx, members, members, func(_, k int) error {
		mc := cfg
		mc.Seed = nnMemberSeed(cfg.Seed, k)
		// Every member holds out the same rows (seeded by cfg.Seed), so
		// that the mixture's noise can be set on rows none of them fitted.
		nets[k], helds[k], errs[k] = trainNetworkHeld(ctx, &mc, cfg.Seed, sc, xs, ys, n, dim, progress)
		if errs[k] != nil {
			errs[k] = fmt.Errorf("bnn: ensemble member %d: %w", k, errs[k])
			cancel(errs[k])
		}
		return nil
	})
	for _, err := range errs {
		if err != nil && context.Cause(ctx) == err {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if stopped != nil { // ctx was done before some member started
		return nil, fmt.Errorf("bnn: ensemble: stopped before training every member: %w", stopped)
	}
	e := &Ensemble{members: nets}
	if helds[0].n > 0 && (cfg.Loss == LossGaussian || cfg.NoiseStd == 0) {
		e.fitHeldOutNoise(helds[0])
	}
	if cfg.Validation.refit() {
		if err := cfg.Validation.beforeRefit("ensemble", e); err != nil {
			return nil, err
		}
		xs, ys = refitRows(&cfg.Validation, &sc, xs, ys)
		return e.refit(ctx, &cfg, sc, xs, ys, len(ys), dim, progress)
	}
	return e, nil
}

// Members returns a new slice of the ensemble's networks. The networks
// themselves are shared with the ensemble, not copied: they are safe for
// concurrent prediction but must not be modified.
func (e *Ensemble) Members() []*Network { return slices.Clone(e.members) }

// InputDim returns the number of features per row.
func (e *Ensemble) InputDim() int { return e.members[0].InputDim() }

// ensembleWork is a prediction workspace shared by all members (they have the same shape).
type ensembleWork struct {
	nnPredictWork
	mu, v [nnPredictChunk]float64
}

// PredictTo writes the mixture's predictive mean and total standard
// deviation (member spread plus mean noise) of each row of x (row-major,
// InputDim columns) into mean and std, in target units. It returns
// ErrShape for inconsistent lengths and ErrNonFinite naming the row.
func (e *Ensemble) PredictTo(mean, std, x []float64) error {
	return finiteOutputs(e.predict(mean, std, nil, x), mean, std)
}

// predict writes means and, when ale is nil, the total std into epi;
// otherwise the epistemic and aleatoric stds into epi and ale.
func (e *Ensemble) predict(mean, epi, ale, x []float64) error {
	d := e.InputDim()
	n, err := checkPredictArgs(d, mean, epi, x)
	if err == nil && ale != nil && len(ale) != n {
		err = fmt.Errorf("bnn: predict: %d aleatoric stds for %d rows: %w", len(ale), n, ErrShape)
	}
	if err != nil {
		return err
	}
	w := e.spare.Swap(nil)
	if w == nil {
		w = &ensembleWork{nnPredictWork: *e.members[0].getWork()}
	}
	defer e.spare.Store(w)
	sc := &e.members[0].scale
	for s := 0; s < n; s += nnPredictChunk {
		c := min(s+nnPredictChunk, n) - s
		sc.inputs(w.xs, x[s*d:(s+c)*d])
		var acc nnMixtureMoments
		acc.reset(mean[s:s+c], epi[s:s+c])
		for _, net := range e.members {
			net.heads(w.mu[:], w.v[:], w.wk, w.xs, c, false)
			acc.add(w.mu[:c], w.v[:c])
		}
		acc.finish(sc, ale, s)
	}
	return nil
}

// nnMixtureMoments accumulates, by Welford's method, the moments of an
// equal-weight mixture of Gaussians N(muₖ, vₖ) over components k (ensemble
// members or MC-dropout passes) for up to nnPredictChunk rows, in
// standardised units: mean holds the running mean of mu, ss the running
// sum of squared deviations and noise the running sum of v.
type nnMixtureMoments struct {
	mean, ss []float64
	noise    [nnPredictChunk]float64
	k        int
}

// reset starts an accumulation into mean and ss (which the caller owns:
// finish turns them into the outputs in place).
func (a *nnMixtureMoments) reset(mean, ss []float64) {
	a.mean, a.ss, a.k = mean, ss, 0
	clear(mean)
	clear(ss)
	clear(a.noise[:len(mean)])
}

// add accumulates one component's means mu and noise variances v.
func (a *nnMixtureMoments) add(mu, v []float64) {
	a.k++
	kk := float64(a.k)
	for i, x := range mu {
		delta := x - a.mean[i]
		a.mean[i] += delta / kk
		a.ss[i] += delta * (x - a.mean[i])
		a.noise[i] += v[i]
	}
}

// finish converts the accumulators to target units in place: mean becomes
// the mixture mean and, when ale is nil, ss the total std; otherwise ss the
// epistemic std (population std of the component means) and ale[off+i] the
// aleatoric std (square root of the mean of the noise variances).
func (a *nnMixtureMoments) finish(sc *nnScaler, ale []float64, off int) {
	K := float64(a.k)
	for i := range a.mean {
		a.mean[i] = sc.yMean + sc.yScale*a.mean[i]
		epiVar := a.ss[i] / K * sc.yScale * sc.yScale
		aleVar := a.noise[i] / K * sc.yScale * sc.yScale
		if ale != nil {
			a.ss[i], ale[off+i] = math.Sqrt(epiVar), math.Sqrt(aleVar)
		} else {
			a.ss[i] = math.Sqrt(epiVar + aleVar)
		}
	}
}

func (e *Ensemble) modelKind() string { return modelKindEnsemble }

// appendModelPayload writes the member count and each member's network payload.
func (e *Ensemble) appendModelPayload(w *modelWriter) {
	w.u32(uint32(len(e.members)))
	for _, m := range e.members {
		m.appendModelPayload(w)
	}
}

func decodeEnsemble(r *modelReader) (Regressor, error) {
	n := int(r.u32())
	if r.err != nil {
		return nil, r.err
	}
	if n < 1 || !r.fits(n, 1) {
		return nil, fmt.Errorf("%d members: %w", n, ErrCorruptModel)
	}
	e := &Ensemble{members: make([]*Network, n)}
	for k := range e.members {
		net, err := decodeNetwork(r)
		if err != nil {
			return nil, fmt.Errorf("member %d: %w", k, err)
		}
		if k > 0 && !net.sameShape(e.members[0]) {
			return nil, fmt.Errorf("member %d differs in shape or scaling from member 0: %w", k, ErrCorruptModel)
		}
		e.members[k] = net
	}
	return e, nil
}
