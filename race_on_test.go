//go:build race

package bnn

// raceEnabled reports a -race build, where sync.Pool drops a random share of
// what is put back, so allocation counts of pooled code are not fixed.
const raceEnabled = true
