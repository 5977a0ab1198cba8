package bnn

import (
	"fmt"
	"math"
)

// The damped oscillator with its forward sensitivities in θ = (ζ, ωₙ) is the
// linear autonomous system z' = B·z, z = (x, v, ∂x/∂ζ, ∂x/∂ω, ∂v/∂ζ, ∂v/∂ω):
//
//	B·z = (v, −c₁v − c₂x, ∂v/∂ζ, ∂v/∂ω, −c₁·∂v/∂ζ − c₂·∂x/∂ζ − 2ωv,
//	       −c₁·∂v/∂ω − c₂·∂x/∂ω − 2ζv − 2ωx),  c₁ = 2ζω, c₂ = ω².
//
// Any explicit Runge–Kutta step of such a system is a polynomial in Z = hB
// (Hairer, Nørsett & Wanner, Solving ODEs I, §IV.2: the stages are
// Yⱼ = Σₘ (Aᵐ𝟙)ⱼ·Zᵐz, so h·Σⱼ cⱼkⱼ = Σₘ≥₁ (cᵀAᵐ⁻¹𝟙)·Zᵐz for any weights c).
// For the Dormand–Prince 5(4) pair with uₘ = Zᵐz:
//
//   - the 5th-order solution is Σₘ₌₀⁶ uₘ/m! with 1/6! replaced by 1/600
//     (the pair's stability polynomial);
//   - the error estimate h·Σⱼ Eⱼkⱼ (the FSAL stage included) is
//     (97/120000)·u₅ − (13/40000)·u₆ + (1/24000)·u₇;
//   - the continuous extension at fraction s of the step is
//     z + s·u₁ + s²/2·u₂ + s³/6·u₃ + s⁴/24·u₄ + Σₘ₌₅⁷ γₘ(s)·uₘ with the
//     quartics γₘ of dpLinG.
//
// (The coefficients are bᵀAᵐ⁻¹𝟙, EᵀAᵐ⁻¹𝟙 and bⱼ(s)ᵀAᵐ⁻¹𝟙 of the tableau in
// ode_dopri.go, in exact rational arithmetic.) With uₘ = hᵐ·Bᵐz, the
// powers Bᵐz do not depend on h: they are computed once per step (a retry
// after a rejection only re-weights them), and the processor overlaps them
// with the previous step's controller. So the same step, error estimate and
// dense output cost seven products with B (about 100 flops) instead of six
// right-hand sides and the stage sums (about 400 flops), and the results
// equal the stage form's up to rounding. What remains is the controller's
// chain from h to the error norm to the next h, which the code keeps short:
// products of depth ≤ 3 from h, pairwise sums, no divider but the norm's, no
// square root, branches instead of Go's NaN-aware min/max, and a table-based
// root (invTenthRoot).
const dpLinE5, dpLinE6, dpLinE7 = 97.0 / 120000, -13.0 / 40000, 1.0 / 24000

// dpLinG[m−5] holds γₘ(s)/s² = g₀ + g₁s + g₂s² of the continuous extension,
// m = 5, 6, 7.
var dpLinG = [3][3]float64{
	{5112093.0 / 587608460, -90725539.0 / 3525650760, 22358351.0 / 881412690},
	{-17546271.0 / 2938042300, 181174829.0 / 17628253800, -2325839.0 / 881412690},
	{6769587.0 / 2938042300, -110615467.0 / 17628253800, 13999589.0 / 3525650760},
}

// oscSensResiduals integrates the oscillator z' = B·z (above) from
// z(t0) = (x0, v0, 0, 0, 0, 0) by the Dormand–Prince 5(4) pair in its
// polynomial form, with SciPy RK45's step-size controller and first step
// (as step and initialStep) and the error norm over (x, v) only (s.errN must
// be 2, s.n 6). At every ts[i] (increasing, ≥ t0) it takes x, ∂x/∂ζ and
// ∂x/∂ω from the continuous extension and accumulates the residual
// rᵢ = xs[i] − x(ts[i]): it returns ss = Σ rᵢ², gz = Σ rᵢ·∂x/∂ζ and
// gw = Σ rᵢ·∂x/∂ω. The statistics count right-hand sides as the stage form
// would (6 per attempt, 2 for the start). The errors are step's and solve's:
// ErrNonFinite, ErrTooManySteps, ErrStepSizeTooSmall.
func (s *ODESolver) oscSensResiduals(zeta, omega, t0, x0, v0 float64, ts, xs []float64) (ss, gz, gw float64, st ODEStats, err error) {
	c1, c2, zz, ww := 2*zeta*omega, omega*omega, 2*zeta, 2*omega
	rtol, atol0, atol1 := s.rtol, s.atol[0], s.atol[1]
	// f(t0, z0): only (x, v) are non-zero.
	f0, f1 := v0, -c1*v0-c2*x0
	st.NFev++
	if f1-f1 != 0 {
		return 0, 0, 0, st, s.rhsError(1, t0, f1)
	}
	next := 0
	if ts[0] == t0 {
		r := xs[0] - x0
		ss = r * r
		next = 1
	}
	if next == len(ts) {
		return ss, gz, gw, st, nil
	}
	tf := ts[len(ts)-1]

	hAbs := s.firstStep
	if hAbs == 0 { // initialStep on (x, v), which do not depend on the sensitivities
		sc0, sc1 := atol0+rtol*math.Abs(x0), atol1+rtol*math.Abs(v0)
		d0 := math.Sqrt(((x0/sc0)*(x0/sc0) + (v0/sc1)*(v0/sc1)) / 2)
		d1 := math.Sqrt(((f0/sc0)*(f0/sc0) + (f1/sc1)*(f1/sc1)) / 2)
		h0 := 1e-6
		if d0 >= 1e-5 && d1 >= 1e-5 {
			h0 = 0.01 * d0 / d1
		}
		x1, v1 := x0+h0*f0, v0+h0*f1
		g0, g1 := v1, -c1*v1-c2*x1
		st.NFev++
		if g1-g1 != 0 {
			return 0, 0, 0, st, s.rhsError(1, t0+h0, g1)
		}
		e0, e1 := (g0-f0)/sc0, (g1-f1)/sc1
		d2 := math.Sqrt((e0*e0+e1*e1)/2) / h0
		var h1 float64
		if d1 <= 1e-15 && d2 <= 1e-15 {
			h1 = math.Max(1e-6, h0*1e-3)
		} else {
			h1 = math.Pow(0.01/math.Max(d1, d2), 1.0/5)
		}
		hAbs = math.Min(100*h0, h1)
	}

	x, v, xz, xw, vz, vw := x0, v0, 0.0, 0.0, 0.0, 0.0
	t := t0
	for {
		// wₘ = Bᵐz does not depend on h (uₘ = hᵐwₘ), so it is computed once
		// per step, and the processor overlaps it with the previous step's
		// controller. By the structure of B, wₘ = (Vₘ₋₁, Vₘ, Zₘ₋₁, Wₘ₋₁, Zₘ,
		// Wₘ) with V₋₁ = x, V₀ = v, Z₋₁ = ∂x/∂ζ, Z₀ = ∂v/∂ζ, W₋₁ = ∂x/∂ω,
		// W₀ = ∂v/∂ω and
		//   Vₘ = −(c₁Vₘ₋₁ + c₂Vₘ₋₂),
		//   Zₘ = −(c₁Zₘ₋₁ + c₂Zₘ₋₂ + 2ω·Vₘ₋₁),
		//   Wₘ = −(c₁Wₘ₋₁ + c₂Wₘ₋₂ + 2ζ·Vₘ₋₁ + 2ω·Vₘ₋₂).
		v1 := -(c1*v + c2*x)
		v2 := -(c1*v1 + c2*v)
		v3 := -(c1*v2 + c2*v1)
		v4 := -(c1*v3 + c2*v2)
		v5 := -(c1*v4 + c2*v3)
		v6 := -(c1*v5 + c2*v4)
		v7 := -(c1*v6 + c2*v5)

		// The floor of 10 ulps of t matters only for steps near it.
		minStep := s.minStep
		if hAbs <= s.minStep+1e-14*math.Abs(t)+1e-300 {
			minStep = math.Max(s.minStep, 10*(math.Nextafter(t, math.Inf(1))-t))
		}
		if hAbs > s.maxStep {
			hAbs = s.maxStep
		}
		if hAbs < minStep {
			hAbs = minStep
		}
		rejected := false
		var h, tNew, hNext, h2, h3, h4, h5, h6, h7 float64
		var b2, b3, b4, b5, b6 float64
		var nx, nv float64
		for {
			if st.Accepted+st.Rejected >= s.maxSteps {
				return 0, 0, 0, st, fmt.Errorf("bnn: ode: %d step attempts reached t = %g of %g: %w", s.maxSteps, t, tf, ErrTooManySteps)
			}
			if hAbs < minStep {
				return 0, 0, 0, st, fmt.Errorf("bnn: ode: step %g at t = %g is below the minimum %g: %w", hAbs, t, minStep, ErrStepSizeTooSmall)
			}
			tNew = t + hAbs
			if tNew > tf {
				tNew = tf
			}
			h = tNew - t
			hAbs = h
			h2 = h * h
			h3, h4 = h2*h, h2*h2
			h5, h6, h7 = h4*h, h4*h2, h4*h3
			st.NFev += 6
			// The 5th-order solution of (x, v), the smallest terms first, and
			// the error estimate.
			// (Pairwise sums: the step's latency is the processor's limit.)
			// (No divider, and products of depth ≤ 3 from h.)
			b2, b3, b4, b5, b6 = h2*0.5, h2*(h*(1.0/6)), h2*(h2*(1.0/24)), h4*(h*(1.0/120)), h4*(h2*(1.0/600))
			nx = x + ((h*v + b2*v1) + ((b3*v2 + b4*v3) + (b5*v4 + b6*v5)))
			nv = v + ((h*v1 + b2*v2) + ((b3*v3 + b4*v4) + (b5*v5 + b6*v6)))
			e5, e6, e7 := h4*(h*dpLinE5), h4*(h2*dpLinE6), h4*(h3*dpLinE7)
			sx, sv := math.Abs(x), math.Abs(v)
			if a := math.Abs(nx); a > sx {
				sx = a
			}
			if a := math.Abs(nv); a > sv {
				sv = a
			}
			r0 := (e5*v4 + (e6*v5 + e7*v6)) / (atol0 + rtol*sx)
			r1 := (e5*v5 + (e6*v6 + e7*v7)) / (atol1 + rtol*sv)
			// The squared RMS norm: err < 1 ⇔ err² < 1, and the controller's
			// err^(−1/5) is (err²)^(−1/10), which spares the square root.
			err2 := (r0*r0 + r1*r1) / 2
			if err2 < 1 {
				st.Accepted++
				// (Clamps as predictable branches, off the latency path.)
				factor := dpMaxFactor
				if err2 > 1e-12 { // err > 1e-6, as step
					if f := dpSafety * invTenthRoot(err2); f < dpMaxFactor {
						factor = f
					}
				}
				if rejected && factor > 1 {
					factor = 1
				}
				hNext = hAbs * factor
				break
			}
			st.Rejected++
			switch {
			case err2 != err2 || err2 > 1e8: // err > 1e4, or NaN/+Inf: overflow in a too-long step
				hAbs *= dpMinFactor
			default:
				hAbs *= max(dpMinFactor, dpSafety*invTenthRoot(err2))
			}
			rejected = true
			minStep = math.Max(s.minStep, 10*(math.Nextafter(t, math.Inf(1))-t))
		}
		// The sensitivities' powers, off the step-size controller's path.
		z1 := -(c1*vz + c2*xz + ww*v)
		z2 := -(c1*z1 + c2*vz + ww*v1)
		z3 := -(c1*z2 + c2*z1 + ww*v2)
		z4 := -(c1*z3 + c2*z2 + ww*v3)
		z5 := -(c1*z4 + c2*z3 + ww*v4)
		z6 := -(c1*z5 + c2*z4 + ww*v5)
		w1 := -(c1*vw + c2*xw + zz*v + ww*x)
		w2 := -(c1*w1 + c2*vw + zz*v1 + ww*v)
		w3 := -(c1*w2 + c2*w1 + zz*v2 + ww*v1)
		w4 := -(c1*w3 + c2*w2 + zz*v3 + ww*v2)
		w5 := -(c1*w4 + c2*w3 + zz*v4 + ww*v3)
		w6 := -(c1*w5 + c2*w4 + zz*v5 + ww*v4)
		b1 := h
		nxz := xz + (b1*vz + (b2*z1 + (b3*z2 + (b4*z3 + (b5*z4 + b6*z5)))))
		nxw := xw + (b1*vw + (b2*w1 + (b3*w2 + (b4*w3 + (b5*w4 + b6*w5)))))
		nvz := vz + (b1*z1 + (b2*z2 + (b3*z3 + (b4*z4 + (b5*z5 + b6*z6)))))
		nvw := vw + (b1*w1 + (b2*w2 + (b3*w3 + (b4*w4 + (b5*w5 + b6*w6)))))
		if nx-nx+nv-nv+nxz-nxz+nxw-nxw+nvz-nvz+nvw-nvw != 0 { // NaN iff one is NaN or ±Inf
			i := odeFirstNonFinite([]float64{nx, nv, nxz, nxw, nvz, nvw})
			return 0, 0, 0, st, fmt.Errorf("bnn: ode: solution component %d overflowed at t = %g: %w", i, tNew, ErrNonFinite)
		}

		for next < len(ts) && ts[next] <= tNew {
			q := (ts[next] - t) / h
			q2 := q * q
			// γₘ(q)·hᵐ.
			g1, g2, g3, g4 := q*h, q2*b2, q2*q*b3, q2*q2*b4
			g5 := q2 * h5 * (dpLinG[0][0] + q*(dpLinG[0][1]+q*dpLinG[0][2]))
			g6 := q2 * h6 * (dpLinG[1][0] + q*(dpLinG[1][1]+q*dpLinG[1][2]))
			g7 := q2 * h7 * (dpLinG[2][0] + q*(dpLinG[2][1]+q*dpLinG[2][2]))
			px := x + (g1*v + g2*v1 + g3*v2 + g4*v3 + g5*v4 + g6*v5 + g7*v6)
			pz := xz + (g1*vz + g2*z1 + g3*z2 + g4*z3 + g5*z4 + g6*z5 + g7*z6)
			pw := xw + (g1*vw + g2*w1 + g3*w2 + g4*w3 + g5*w4 + g6*w5 + g7*w6)
			if px-px+pz-pz+pw-pw != 0 {
				return 0, 0, 0, st, fmt.Errorf("bnn: ode: solution is not finite at t = %g: %w", ts[next], ErrNonFinite)
			}
			r := xs[next] - px
			ss += r * r
			gz += r * pz
			gw += r * pw
			next++
		}
		x, v, xz, xw, vz, vw = nx, nv, nxz, nxw, nvz, nvw
		t, hAbs = tNew, hNext
		if next == len(ts) || t >= tf {
			return ss, gz, gw, st, nil
		}
	}
}

// invTenthRoot returns s^(−1/10) within 2e-15 relative for s in
// [1e-300, 1e300] (the controller passes the squared error norm, in
// [1e-12, 1e8]). With s = 2^(10q+r)·m, m ∈ [1, 2), it is
// 2^(−q)·2^(−r/10)·c^(−1/10)·(1 + u)^(−1/10), where c is the midpoint of
// m's 1/64-wide bin and u = m/c − 1, |u| ≤ 1/129, so the binomial series to
// u⁷ leaves 2e-19. Its latency is a third of a Newton-iterated root's, and
// that is what counts: the step size is the ODE step's critical path.
func invTenthRoot(s float64) float64 {
	b := math.Float64bits(s)
	k := int(b>>52&0x7ff) + 1000 - 1023 // ≥ 0 in the domain
	bin := &invTenthRootBins[b>>46&63]
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	u := (m - bin.mid) * bin.inv
	u2 := u * u
	p := (1 + itrC1*u + u2*(itrC2+itrC3*u)) + (u2*u2)*((itrC4+itrC5*u)+u2*(itrC6+itrC7*u))
	q := k / 10
	r := k - 10*q
	return p * (bin.root * (invTenthRootPow2[r] * math.Float64frombits(uint64(1023+100-q)<<52)))
}

// The binomial coefficients of (1 + u)^(−1/10).
const (
	itrC1 = -1.0 / 10
	itrC2 = itrC1 * (-1.0/10 - 1) / 2
	itrC3 = itrC2 * (-1.0/10 - 2) / 3
	itrC4 = itrC3 * (-1.0/10 - 3) / 4
	itrC5 = itrC4 * (-1.0/10 - 4) / 5
	itrC6 = itrC5 * (-1.0/10 - 5) / 6
	itrC7 = itrC6 * (-1.0/10 - 6) / 7
)

// invTenthRootBins[j] describes mantissas in [1 + j/64, 1 + (j+1)/64): the
// midpoint c, 1/c and c^(−1/10).
var invTenthRootBins = func() (t [64]struct{ mid, inv, root float64 }) {
	for j := range t {
		c := 1 + (float64(j)+0.5)/64
		t[j].mid, t[j].inv, t[j].root = c, 1/c, math.Pow(c, -0.1)
	}
	return t
}()

// invTenthRootPow2[r] = 2^(−r/10).
var invTenthRootPow2 = func() (t [10]float64) {
	for r := range t {
		t[r] = math.Pow(2, -float64(r)/10)
	}
	return t
}()
