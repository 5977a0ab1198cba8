package bnn

import "math"

// attemptOscSens is attempt for the damped oscillator with its forward
// sensitivities, z = (x, v, ∂x/∂ζ, ∂x/∂ω, ∂v/∂ζ, ∂v/∂ω) and
//
//	z' = (v, −c₁v − c₂x, ∂v/∂ζ, ∂v/∂ω, −c₁·∂v/∂ζ − c₂·∂x/∂ζ − 2ωv,
//	      −c₁·∂v/∂ω − c₂·∂x/∂ω − 2ζv − 2ωx), c₁ = 2ζω, c₂ = ω²,
//
// with the right-hand side inlined and the error norm over (x, v) only
// (s.errN must be 2). It performs the same operations in the same order as
// attempt with that system's ODEFunc (OscillatorODELik's).
func (s *ODESolver) attemptOscSens(zeta, omega, h float64) float64 {
	c1, c2 := 2*zeta*omega, omega*omega
	y, yn, yt := (*[6]float64)(s.y[:6]), (*[6]float64)(s.yNew[:6]), (*[6]float64)(s.yTmp[:6])
	k0, k1, k2, k3 := (*[6]float64)(s.k[0][:6]), (*[6]float64)(s.k[1][:6]), (*[6]float64)(s.k[2][:6]), (*[6]float64)(s.k[3][:6])
	k4, k5, k6 := (*[6]float64)(s.k[4][:6]), (*[6]float64)(s.k[5][:6]), (*[6]float64)(s.k[6][:6])
	rhs := func(u, d *[6]float64) {
		x, v, xz, xw, vz, vw := u[0], u[1], u[2], u[3], u[4], u[5]
		d[0] = v
		d[1] = -c1*v - c2*x
		d[2] = vz
		d[3] = vw
		d[4] = -c1*vz - c2*xz - 2*omega*v
		d[5] = -c1*vw - c2*xw - 2*zeta*v - 2*omega*x
	}
	for i := range yt {
		yt[i] = y[i] + h*(dpA10*k0[i])
	}
	rhs(yt, k1)
	for i := range yt {
		yt[i] = y[i] + h*(dpA20*k0[i]+dpA21*k1[i])
	}
	rhs(yt, k2)
	for i := range yt {
		yt[i] = y[i] + h*(dpA30*k0[i]+dpA31*k1[i]+dpA32*k2[i])
	}
	rhs(yt, k3)
	for i := range yt {
		yt[i] = y[i] + h*(dpA40*k0[i]+dpA41*k1[i]+dpA42*k2[i]+dpA43*k3[i])
	}
	rhs(yt, k4)
	for i := range yt {
		yt[i] = y[i] + h*(dpA50*k0[i]+dpA51*k1[i]+dpA52*k2[i]+dpA53*k3[i]+dpA54*k4[i])
	}
	rhs(yt, k5)
	for i := range yn {
		yn[i] = y[i] + h*(dpB0*k0[i]+dpB2*k2[i]+dpB3*k3[i]+dpB4*k4[i]+dpB5*k5[i])
	}
	rhs(yn, k6)

	sum := 0.0
	for i := range 2 {
		e := h * (dpE0*k0[i] + dpE2*k2[i] + dpE3*k3[i] + dpE4*k4[i] + dpE5*k5[i] + dpE6*k6[i])
		r := e / (s.atol[i] + s.rtol*max(math.Abs(y[i]), math.Abs(yn[i])))
		sum += r * r
	}
	return math.Sqrt(sum / 2)
}
