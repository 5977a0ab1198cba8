//go:build (amd64 || arm64) && !purego

package bnn

import "sync"

// The blocked matrix multiply shared by the assembly paths. C is computed in
// mr×nr tiles by a register-blocked micro-kernel (gemmMicro). Step p of a
// tile reads mr elements of op(A) — element i at a[i·rsa + p·csa] — and the
// nr contiguous floats b[p·ldb : p·ldb+nr] of op(B). Row strips of A are
// therefore read in place whether A is transposed (rsa = 1, csa = lda) or not
// (rsa = lda, csa = 1), and so are row strips of op(B) when B is not
// transposed. Transposed B and the partial strips at the edges (zero-padded)
// are packed into a scratch buffer, except partial column strips on paths
// with masked loads and stores (gemmMasked), which are read in place. Tiles
// with fewer than mr rows (or, unmasked, nr columns) are computed into a
// scratch tile and merged into C. k is split into gemmKC blocks so a B strip
// (gemmKC×nr floats) stays in L1 while the A strips stream past it, and m
// into gemmMC blocks so those A strips (gemmMC×gemmKC floats) stay in L2
// across the B strips.

const (
	gemmKC    = 256
	gemmMC    = 240 // a multiple of every mr
	gemmMRMax = 8
	gemmNRMax = 32
)

// gemmScratch holds the packing buffers of one sgemm call.
type gemmScratch struct {
	a    [gemmMRMax * gemmKC]float32
	b    [gemmKC * gemmNRMax]float32
	tile [gemmMRMax * gemmNRMax]float32
}

// gemmScratchFree is a free list of scratch buffers. Unlike a sync.Pool it is
// never emptied by the garbage collector, so once it holds as many buffers
// as there are concurrent sgemm calls, sgemm never allocates (and never pays
// for zeroing a large stack frame or growing a goroutine stack).
var gemmScratchFree struct {
	sync.Mutex
	list []*gemmScratch
}

// getGemmScratch takes a scratch buffer from the free list, allocating one
// only if the list is empty; putGemmScratch returns it.
func getGemmScratch() *gemmScratch {
	f := &gemmScratchFree
	f.Lock()
	defer f.Unlock()
	if n := len(f.list); n > 0 {
		s := f.list[n-1]
		f.list = f.list[:n-1]
		return s
	}
	return new(gemmScratch)
}

func putGemmScratch(s *gemmScratch) {
	f := &gemmScratchFree
	f.Lock()
	f.list = append(f.list, s)
	f.Unlock()
}

// sgemmBlocked is sgemm (kernels.go) on the assembly path kernelPath, for
// m, n, k ≥ 1.
func sgemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if n == 1 && !transA && (transB || ldb == 1) {
		// A matrix-vector product: one dot product per row of C.
		x := b[:k]
		for i := range m {
			d := alpha * sdotArch(a[i*lda:i*lda+k], x)
			if beta != 0 {
				d += beta * c[i*ldc]
			}
			c[i*ldc] = d
		}
		return
	}
	path := kernelPath
	mr, nr := gemmTile(path, m)
	masked := gemmMasked(path)
	s := getGemmScratch()
	defer putGemmScratch(s)
	rsa, csa := lda, 1
	if transA {
		rsa, csa = 1, lda
	}
	mFull := m - m%mr // rows covered by full strips
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		bet := beta
		if p0 > 0 {
			bet = 1
		}
		if mFull < m {
			if transA {
				packStrip(s.a[:kc*mr], a, lda, mFull, m-mFull, p0, kc, mr)
			} else {
				packTransposed(s.a[:kc*mr], a, lda, mFull, m-mFull, p0, kc, mr)
			}
		}
		for ic := 0; ic < m; ic += gemmMC {
			mEnd := min(m, ic+gemmMC)
			for j0 := 0; j0 < n; j0 += nr {
				nrr := min(nr, n-j0)
				var bp *float32
				bs := nr
				switch {
				case transB:
					packBT(s.b[:kc*nr], b, ldb, j0, nrr, p0, kc, nr)
					bp = &s.b[0]
				case nrr < nr && !masked:
					packStrip(s.b[:kc*nr], b, ldb, j0, nrr, p0, kc, nr)
					bp = &s.b[0]
				default:
					bp, bs = &b[p0*ldb+j0], ldb
				}
				for i0 := ic; i0 < mEnd; i0 += mr {
					mrr := min(mr, mEnd-i0)
					var ap *float32
					ars, acs := rsa, csa
					if mrr == mr {
						ap = &a[i0*rsa+p0*csa]
					} else {
						ap, ars, acs = &s.a[0], 1, mr
					}
					if mrr == mr && (nrr == nr || masked) {
						gemmMicro(path, mr, kc, ap, ars, acs, bp, bs, &c[i0*ldc+j0], ldc, alpha, bet, nrr)
						continue
					}
					gemmMicro(path, mr, kc, ap, ars, acs, bp, bs, &s.tile[0], nr, 1, 0, nrr)
					for i := range mrr {
						ci := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+nrr]
						ti := s.tile[i*nr : i*nr+nrr]
						if bet == 0 {
							for j := range ci {
								ci[j] = alpha * ti[j]
							}
						} else {
							for j := range ci {
								ci[j] = alpha*ti[j] + bet*ci[j]
							}
						}
					}
				}
			}
		}
	}
}

// packTransposed packs rows r0…r0+rows−1, columns p0…p0+kc−1 of the
// row-major src into dst as dst[p·w+r], zero-padding r ≥ rows: a row strip of
// A, or of B stored n×k (op(B) = Bᵀ).
func packTransposed(dst, src []float32, ld, r0, rows, p0, kc, w int) {
	if rows < w {
		clear(dst)
	}
	for r := range rows {
		row := src[(r0+r)*ld+p0 : (r0+r)*ld+p0+kc]
		for p, v := range row {
			dst[p*w+r] = v
		}
	}
}

// packStrip packs columns c0…c0+cols−1 of rows p0…p0+kc−1 of the row-major
// src into dst as dst[p·w+c], zero-padding c ≥ cols: a column strip of A
// stored k×m, or of B stored k×n.
func packStrip(dst, src []float32, ld, c0, cols, p0, kc, w int) {
	for p := range kc {
		d := dst[p*w : p*w+w]
		copy(d, src[(p0+p)*ld+c0:(p0+p)*ld+c0+cols])
		clear(d[cols:])
	}
}
