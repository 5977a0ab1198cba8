package bnn

import "errors"

// Sentinel errors. Every error returned by this package wraps one of these
// (test with errors.Is) and adds context such as the offending index.
var (
	// ErrShape reports mismatched dimensions or lengths.
	ErrShape = errors.New("shape mismatch")
	// ErrEmpty reports an empty data set, grid or slice where data are required.
	ErrEmpty = errors.New("empty input")
	// ErrNonFinite reports a NaN or ±Inf in caller data; the wrapping error names the index.
	ErrNonFinite = errors.New("non-finite value")
	// ErrInvalidParameter reports a setting outside its domain (a non-positive scale, rate, tolerance, …).
	ErrInvalidParameter = errors.New("invalid parameter")
	// ErrNotPositiveDefinite reports a matrix whose Cholesky factorisation fails.
	ErrNotPositiveDefinite = errors.New("matrix is not positive definite")
	// ErrSingular reports an exactly singular matrix in an LU factorisation.
	ErrSingular = errors.New("matrix is singular")
	// ErrNotConverged reports an iteration that reached its cap before converging.
	ErrNotConverged = errors.New("did not converge")
	// ErrNonIncreasing reports output times that are not strictly monotone in the direction of integration.
	ErrNonIncreasing = errors.New("times are not strictly monotone")
	// ErrTooManySteps reports an ODE solve that reached its step cap.
	ErrTooManySteps = errors.New("too many steps")
	// ErrStepSizeTooSmall reports an ODE step size that fell below the minimum (typically stiffness).
	ErrStepSizeTooSmall = errors.New("step size too small")
	// ErrDiverged reports a training loss that became NaN or ±Inf.
	ErrDiverged = errors.New("training diverged")
	// ErrCorruptModel reports a model file that fails its checksum, is truncated or malformed.
	ErrCorruptModel = errors.New("corrupt model file")
	// ErrModelVersion reports a model file written by an unsupported format version.
	ErrModelVersion = errors.New("unsupported model file version")
)
