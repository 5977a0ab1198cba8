// Package bench holds side-by-side benchmarks of bnn against other Go
// libraries (gonum). It is a separate module so that bnn itself stays
// standard-library only; nothing in bnn imports it.
package bench
