//go:build unix

package bnn

import "syscall"

// processCPUSeconds returns the process's user + system CPU time, which
// unlike wall-clock time does not grow when other processes share the cores.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)*1e-6
}
