package bnn

import (
	"fmt"
	"math"
)

// Dormand–Prince 5(4) coefficients (Dormand & Prince 1980; Shampine 1986 for
// the continuous extension), in SciPy RK45's layout.
const (
	dpC1, dpC2, dpC3, dpC4 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA10                      = 1.0 / 5
	dpA20, dpA21               = 3.0 / 40, 9.0 / 40
	dpA30, dpA31, dpA32        = 44.0 / 45, -56.0 / 15, 32.0 / 9
	dpA40, dpA41, dpA42, dpA43 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729
	dpA50, dpA51, dpA52, dpA53 = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176
	dpA54                      = -5103.0 / 18656

	dpB0, dpB2, dpB3, dpB4, dpB5 = 35.0 / 384, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84

	dpE0, dpE2, dpE3, dpE4 = -71.0 / 57600, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200
	dpE5, dpE6             = -22.0 / 525, 1.0 / 40

	dpSafety, dpMinFactor, dpMaxFactor = 0.9, 0.2, 10.0
)

// dpP holds the coefficients of the quartic continuous extension: stage j's
// weight at fraction x of the step is Σ_k dpP[j][k]·x^(k+1).
var dpP = [7][4]float64{
	{1, -8048581381.0 / 2820520608, 8663915743.0 / 2820520608, -12715105075.0 / 11282082432},
	{},
	{0, 131558114200.0 / 32700410799, -68118460800.0 / 10900136933, 87487479700.0 / 32700410799},
	{0, -1754552775.0 / 470086768, 14199869525.0 / 1410260304, -10690763975.0 / 1880347072},
	{0, 127303824393.0 / 49829197408, -318862633887.0 / 49829197408, 701980252875.0 / 199316789632},
	{0, -282668133.0 / 205662961, 2019193451.0 / 616988883, -1453857185.0 / 822651844},
	{0, 40617522.0 / 29380423, -110615467.0 / 29380423, 69997945.0 / 29380423},
}

// odeLinear2 describes the linear system x' = v, v' = −c1·v − c2·x (the
// damped oscillator with c1 = 2ζωₙ, c2 = ωₙ²), whose steps are computed
// inline instead of through the ODEFunc.
type odeLinear2 struct {
	on     bool
	c1, c2 float64
}

// step advances from (t, s.y) towards tf with SciPy RK45's controller and
// returns the new time and the next step magnitude; the new state is in
// s.yNew and f(tNew, yNew) in s.k[6].
func (s *ODESolver) step(f ODEFunc, lin odeLinear2, t, tf, dir, hAbs float64, st *ODEStats) (tNew, hNext float64, err error) {
	minStep := math.Max(s.minStep, 10*math.Abs(math.Nextafter(t, dir*math.Inf(1))-t))
	if hAbs > s.maxStep {
		hAbs = s.maxStep
	} else if hAbs < minStep {
		hAbs = minStep
	}
	rejected := false
	for {
		if st.Accepted+st.Rejected >= s.maxSteps {
			return 0, 0, fmt.Errorf("bnn: ode: %d step attempts reached t = %g of %g: %w", s.maxSteps, t, tf, ErrTooManySteps)
		}
		if hAbs < minStep {
			return 0, 0, fmt.Errorf("bnn: ode: step %g at t = %g is below the minimum %g: %w", hAbs, t, minStep, ErrStepSizeTooSmall)
		}
		tNew = t + hAbs*dir
		if dir*(tNew-tf) > 0 {
			tNew = tf
		}
		h := tNew - t
		hAbs = math.Abs(h)
		var errNorm float64
		if lin.on {
			errNorm = s.attemptLinear2(lin.c1, lin.c2, h)
		} else {
			errNorm = s.attempt(f, t, tNew, h)
		}
		st.NFev += 6

		if errNorm < 1 {
			if i := odeFirstNonFinite(s.yNew[:s.n]); i >= 0 {
				return 0, 0, fmt.Errorf("bnn: ode: solution component %d overflowed to %g at t = %g: %w", i, s.yNew[i], tNew, ErrNonFinite)
			}
			st.Accepted++
			factor := dpMaxFactor
			if errNorm > 1e-6 { // below, 0.9·err^(−1/5) > 14 is clamped anyway
				factor = min(dpMaxFactor, dpSafety*invFifthRoot(errNorm))
			}
			if rejected {
				factor = min(1, factor)
			}
			return tNew, hAbs * factor, nil
		}
		st.Rejected++
		if errNorm != errNorm || math.IsInf(errNorm, 0) {
			if err := s.checkStages(t, h); err != nil {
				return 0, 0, err
			}
			hAbs *= dpMinFactor
		} else if errNorm > 1e4 { // above, 0.9·err^(−1/5) < 0.15 is clamped anyway
			hAbs *= dpMinFactor
		} else {
			hAbs *= max(dpMinFactor, dpSafety*invFifthRoot(errNorm))
		}
		rejected = true
	}
}

// attempt computes one Dormand–Prince step of signed length h from (t, s.y)
// with stage derivatives in s.k (s.k[0] = f(t, y) on entry), the 5th-order
// solution in s.yNew and f(tNew, yNew) in s.k[6]. It returns the RMS norm of
// the scaled error estimate.
func (s *ODESolver) attempt(f ODEFunc, t, tNew, h float64) float64 {
	n := s.n
	y, yn, yt := s.y[:n], s.yNew[:n], s.yTmp[:n]
	k0, k1, k2, k3, k4, k5, k6 := s.k[0][:n], s.k[1][:n], s.k[2][:n], s.k[3][:n], s.k[4][:n], s.k[5][:n], s.k[6][:n]
	atol := s.atol[:n]
	rtol := s.rtol
	for i := range yt {
		yt[i] = y[i] + h*(dpA10*k0[i])
	}
	f(t+dpC1*h, yt, k1)
	for i := range yt {
		yt[i] = y[i] + h*(dpA20*k0[i]+dpA21*k1[i])
	}
	f(t+dpC2*h, yt, k2)
	for i := range yt {
		yt[i] = y[i] + h*(dpA30*k0[i]+dpA31*k1[i]+dpA32*k2[i])
	}
	f(t+dpC3*h, yt, k3)
	for i := range yt {
		yt[i] = y[i] + h*(dpA40*k0[i]+dpA41*k1[i]+dpA42*k2[i]+dpA43*k3[i])
	}
	f(t+dpC4*h, yt, k4)
	for i := range yt {
		yt[i] = y[i] + h*(dpA50*k0[i]+dpA51*k1[i]+dpA52*k2[i]+dpA53*k3[i]+dpA54*k4[i])
	}
	f(t+h, yt, k5)
	for i := range yn {
		yn[i] = y[i] + h*(dpB0*k0[i]+dpB2*k2[i]+dpB3*k3[i]+dpB4*k4[i]+dpB5*k5[i])
	}
	f(tNew, yn, k6)

	sum := 0.0
	ne := s.errN
	for i := range yn[:ne] {
		e := h * (dpE0*k0[i] + dpE2*k2[i] + dpE3*k3[i] + dpE4*k4[i] + dpE5*k5[i] + dpE6*k6[i])
		r := e / (atol[i] + rtol*max(math.Abs(y[i]), math.Abs(yn[i])))
		sum += r * r
	}
	return math.Sqrt(sum / float64(ne))
}

// attemptLinear2 is attempt for the 2-D system of odeLinear2, with the
// right-hand side inlined; it performs the same operations in the same
// order as attempt with that system's ODEFunc.
func (s *ODESolver) attemptLinear2(c1, c2, h float64) float64 {
	y, yn, yt := s.y[:2], s.yNew[:2], s.yTmp[:2]
	k0, k1, k2, k3, k4, k5, k6 := s.k[0][:2], s.k[1][:2], s.k[2][:2], s.k[3][:2], s.k[4][:2], s.k[5][:2], s.k[6][:2]
	x, v := y[0], y[1]
	a0, b0 := k0[0], k0[1]
	rhs := func(x, v float64) (float64, float64) { return v, -c1*v - c2*x }

	xt, vt := x+h*(dpA10*a0), v+h*(dpA10*b0)
	a1, b1 := rhs(xt, vt)
	xt, vt = x+h*(dpA20*a0+dpA21*a1), v+h*(dpA20*b0+dpA21*b1)
	a2, b2 := rhs(xt, vt)
	xt, vt = x+h*(dpA30*a0+dpA31*a1+dpA32*a2), v+h*(dpA30*b0+dpA31*b1+dpA32*b2)
	a3, b3 := rhs(xt, vt)
	xt, vt = x+h*(dpA40*a0+dpA41*a1+dpA42*a2+dpA43*a3), v+h*(dpA40*b0+dpA41*b1+dpA42*b2+dpA43*b3)
	a4, b4 := rhs(xt, vt)
	xt, vt = x+h*(dpA50*a0+dpA51*a1+dpA52*a2+dpA53*a3+dpA54*a4), v+h*(dpA50*b0+dpA51*b1+dpA52*b2+dpA53*b3+dpA54*b4)
	a5, b5 := rhs(xt, vt)
	xn := x + h*(dpB0*a0+dpB2*a2+dpB3*a3+dpB4*a4+dpB5*a5)
	vn := v + h*(dpB0*b0+dpB2*b2+dpB3*b3+dpB4*b4+dpB5*b5)
	a6, b6 := rhs(xn, vn)

	yt[0], yt[1] = xt, vt
	yn[0], yn[1] = xn, vn
	k1[0], k1[1], k2[0], k2[1], k3[0], k3[1] = a1, b1, a2, b2, a3, b3
	k4[0], k4[1], k5[0], k5[1], k6[0], k6[1] = a4, b4, a5, b5, a6, b6

	ex := h * (dpE0*a0 + dpE2*a2 + dpE3*a3 + dpE4*a4 + dpE5*a5 + dpE6*a6)
	ev := h * (dpE0*b0 + dpE2*b2 + dpE3*b3 + dpE4*b4 + dpE5*b5 + dpE6*b6)
	rx := ex / (s.atol[0] + s.rtol*max(math.Abs(x), math.Abs(xn)))
	rv := ev / (s.atol[1] + s.rtol*max(math.Abs(v), math.Abs(vn)))
	return math.Sqrt((rx*rx + rv*rv) / 2)
}

// invFifthRoot returns e^(−1/5) to within a few ulps for e in [1e-6, 1e4],
// three times faster than math.Pow: with e = m·2^k (1 ≤ m < 2) and
// k = 5q + r, it is m^(−1/5)·2^(−r/5)·2^(−q), where m^(−1/5) comes from a
// quartic fit (relative error 2e-5) and two division-free Newton steps
// y ← y·(6 − m·y⁵)/5 for m·y⁵ = 1 (error 2e-5 → 1e-9 → below 1 ulp).
func invFifthRoot(e float64) float64 {
	b := math.Float64bits(e)
	k := int(b>>52&0x7ff) - 1023
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	y := 1.3797298635177881 + m*(-0.645276919112782+m*(0.364823227915814+m*(-0.11385287214236861+m*0.01455743000539811)))
	for range 2 {
		y2 := y * y
		y = y * (6 - m*y2*y2*y) * 0.2
	}
	q := (k + 100) / 5 // floor((k+100)/5) = floor(k/5) + 20 for k > −100
	r := k + 100 - 5*q
	q -= 20
	return y * invFifthRootPow2[r] * math.Float64frombits(uint64(1023-q)<<52)
}

// invFifthRootPow2[r] = 2^(−r/5).
var invFifthRootPow2 = [5]float64{1, 0.8705505632961241, 0.7578582832551990, 0.6597539553864471, 0.5743491774985174}

// checkStages runs after a step attempt whose error estimate is not finite.
// If some stage derivative is NaN/±Inf although that stage's state was
// finite, the right-hand side itself failed and an ErrNonFinite naming the
// stage time is returned; otherwise the blow-up came from a too-large step
// (overflow) and the caller shrinks the step.
func (s *ODESolver) checkStages(t, h float64) error {
	n := s.n
	y, yt := s.y[:n], s.yTmp[:n]
	k := &s.k
	a := [6][5]float64{
		{},
		{dpA10},
		{dpA20, dpA21},
		{dpA30, dpA31, dpA32},
		{dpA40, dpA41, dpA42, dpA43},
		{dpA50, dpA51, dpA52, dpA53, dpA54},
	}
	c := [7]float64{0, dpC1, dpC2, dpC3, dpC4, 1, 1}
	for st := 1; st < 7; st++ {
		state := yt
		if st == 6 {
			state = s.yNew[:n]
		} else {
			for i := range yt {
				acc := 0.0
				for j := 0; j < st; j++ {
					acc += a[st][j] * k[j][i]
				}
				yt[i] = y[i] + h*acc
			}
		}
		if odeFirstNonFinite(state) >= 0 {
			return nil
		}
		if i := odeFirstNonFinite(k[st][:n]); i >= 0 {
			return s.rhsError(i, t+c[st]*h, k[st][i])
		}
	}
	return nil
}

// denseTo writes the continuous extension at fraction x ∈ [0, 1] of the last
// step (of signed length h, from s.y with stages s.k) into dst.
func (s *ODESolver) denseTo(dst []float64, x, h float64) {
	var w [7]float64
	for j := range w {
		p := &dpP[j]
		w[j] = h * x * (p[0] + x*(p[1]+x*(p[2]+x*p[3])))
	}
	n := s.n
	y := s.y[:n]
	k0, k2, k3, k4, k5, k6 := s.k[0][:n], s.k[2][:n], s.k[3][:n], s.k[4][:n], s.k[5][:n], s.k[6][:n]
	dst = dst[:n]
	for i := range dst {
		dst[i] = y[i] + (w[0]*k0[i] + w[2]*k2[i] + w[3]*k3[i] + w[4]*k4[i] + w[5]*k5[i] + w[6]*k6[i])
	}
}
