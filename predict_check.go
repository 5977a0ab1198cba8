package bnn

import (
	"fmt"
	"math"
)

// finiteOutputs passes err through, and otherwise checks that a prediction
// produced finite values: a model whose parameters are finite can still
// overflow float32 on finite input (a model file with huge weights, a
// diverged fit), and callers must get an error, not a NaN. It returns an
// error wrapping ErrNonFinite naming the first row with a NaN or ±Inf in
// mean or in any of spreads (nil spreads are skipped).
func finiteOutputs(err error, mean []float64, spreads ...[]float64) error {
	if err != nil {
		return err
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	for i, v := range mean {
		if bad(v) {
			return fmt.Errorf("bnn: predict: row %d: predictive mean %g overflows: %w", i, v, ErrNonFinite)
		}
		for _, s := range spreads {
			if s != nil && bad(s[i]) {
				return fmt.Errorf("bnn: predict: row %d: predictive spread %g overflows: %w", i, s[i], ErrNonFinite)
			}
		}
	}
	return nil
}
