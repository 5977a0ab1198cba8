//go:build !unix

package bnn

// processCPUSeconds is unavailable here; the CPU-time metrics read 0.
func processCPUSeconds() float64 { return 0 }
