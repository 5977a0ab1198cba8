//go:build unix

package bnn

import "syscall"

// processCPUSeconds returns the user + system CPU time of this process, so
// that benchmarks on a loaded machine can report throughput per CPU second.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + 1e-6*float64(ru.Utime.Usec+ru.Stime.Usec)
}
