//go:build !purego

package bnn

// cpuid executes CPUID with EAX = leaf and ECX = subleaf.
//
//go:noescape
func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// xgetbv0 reads extended control register XCR0 (XGETBV with ECX = 0); only
// valid when CPUID reports OSXSAVE.
//
//go:noescape
func xgetbv0() (eax, edx uint32)

// x86Features are the instruction-set extensions the kernels use, each
// reported only if the OS also saves the register state it needs.
type x86Features struct {
	avx2FMA bool // AVX2 and FMA3, YMM state enabled in XCR0
	avx512F bool // AVX-512 Foundation, opmask/ZMM state enabled in XCR0
}

// CPUID and XCR0 bits.
const (
	cpuid1ECXFMA     = 1 << 12
	cpuid1ECXOSXSAVE = 1 << 27
	cpuid1ECXAVX     = 1 << 28
	cpuid7EBXAVX2    = 1 << 5
	cpuid7EBXAVX512F = 1 << 16
	xcr0SSE          = 1 << 1
	xcr0AVX          = 1 << 2 // upper halves of YMM0–15
	xcr0Opmask       = 1 << 5 // K0–7
	xcr0ZMMHi256     = 1 << 6 // upper halves of ZMM0–15
	xcr0HiZMM        = 1 << 7 // ZMM16–31
	xcr0YMM          = xcr0SSE | xcr0AVX
	xcr0ZMM          = xcr0YMM | xcr0Opmask | xcr0ZMMHi256 | xcr0HiZMM
)

// detectX86 queries CPUID and XCR0.
func detectX86() x86Features {
	var f x86Features
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return f
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&cpuid1ECXOSXSAVE == 0 || ecx1&cpuid1ECXAVX == 0 {
		return f
	}
	xcr0, _ := xgetbv0()
	_, ebx7, _, _ := cpuid(7, 0)
	f.avx2FMA = xcr0&xcr0YMM == xcr0YMM && ecx1&cpuid1ECXFMA != 0 && ebx7&cpuid7EBXAVX2 != 0
	f.avx512F = f.avx2FMA && xcr0&xcr0ZMM == xcr0ZMM && ebx7&cpuid7EBXAVX512F != 0
	return f
}
