//go:build purego || !amd64

package bnn

// bbbFusedArch reports false: only AVX-512 has a fused forward pass.
func bbbFusedArch(int, []float32, []float32, []float32, []float32) bool { return false }
