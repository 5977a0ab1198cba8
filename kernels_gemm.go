//go:build (amd64 || arm64) && !purego

package bnn

// The blocked matrix multiply shared by the assembly paths. C is computed in
// mr×nr tiles by a register-blocked micro-kernel (gemmMicro) that reads an
// mr-wide column strip of op(A) and an nr-wide row strip of op(B) one k-step
// at a time, each step being a contiguous run of mr (resp. nr) floats at a
// fixed stride. op(A) strips are contiguous in memory when A is transposed
// and op(B) strips when B is not, so those are read in place; everything
// else (and every partial edge strip, zero-padded) is packed into fixed
// buffers on the stack. k is split into gemmKC blocks so a B strip stays in
// L1, and m into gemmMC blocks so the packed A block stays in L2.

const (
	gemmKC    = 256
	gemmMC    = 48 // a multiple of every mr
	gemmMRMax = 8
	gemmNRMax = 32
)

func sgemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	path := kernelPath
	mr, nr := gemmTile(path)
	var abuf [gemmMC * gemmKC]float32
	var bbuf [gemmKC * gemmNRMax]float32
	var tile [gemmMRMax * gemmNRMax]float32
	for p0 := 0; p0 < k; p0 += gemmKC {
		kc := min(gemmKC, k-p0)
		bet := beta
		if p0 > 0 {
			bet = 1
		}
		for i0 := 0; i0 < m; i0 += gemmMC {
			mc := min(gemmMC, m-i0)
			if !transA {
				for ii := 0; ii < mc; ii += mr {
					packARows(abuf[ii*kc:(ii+mr)*kc], a, lda, i0+ii, min(mr, mc-ii), p0, kc, mr)
				}
			} else if rem := mc % mr; rem != 0 {
				ii := mc - rem
				packACols(abuf[ii*kc:(ii+mr)*kc], a, lda, i0+ii, rem, p0, kc, mr)
			}
			for j0 := 0; j0 < n; j0 += nr {
				nrr := min(nr, n-j0)
				var bp *float32
				bs := nr
				switch {
				case transB:
					packBRows(bbuf[:kc*nr], b, ldb, j0, nrr, p0, kc, nr)
					bp = &bbuf[0]
				case nrr < nr:
					packBCols(bbuf[:kc*nr], b, ldb, j0, nrr, p0, kc, nr)
					bp = &bbuf[0]
				default:
					bp, bs = &b[p0*ldb+j0], ldb
				}
				for ii := 0; ii < mc; ii += mr {
					mrr := min(mr, mc-ii)
					ap, as := &abuf[ii*kc], mr
					if transA && mrr == mr {
						ap, as = &a[p0*lda+i0+ii], lda
					}
					if mrr == mr && nrr == nr {
						gemmMicro(path, kc, ap, as, bp, bs, &c[(i0+ii)*ldc+j0], ldc, alpha, bet)
						continue
					}
					gemmMicro(path, kc, ap, as, bp, bs, &tile[0], nr, 1, 0)
					for i := range mrr {
						ci := c[(i0+ii+i)*ldc+j0 : (i0+ii+i)*ldc+j0+nrr]
						ti := tile[i*nr : i*nr+nrr]
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

// packARows packs rows i0…i0+rows−1, columns p0…p0+kc−1 of the row-major A
// into dst as dst[p·mr+i], zero-padding rows ≥ rows.
func packARows(dst, a []float32, lda, i0, rows, p0, kc, mr int) {
	if rows < mr {
		clear(dst)
	}
	for i := range rows {
		src := a[(i0+i)*lda+p0 : (i0+i)*lda+p0+kc]
		for p, v := range src {
			dst[p*mr+i] = v
		}
	}
}

// packACols packs columns i0…i0+cols−1 of rows p0…p0+kc−1 of the row-major
// A (stored k×m) into dst as dst[p·mr+i], zero-padding columns ≥ cols.
func packACols(dst, a []float32, lda, i0, cols, p0, kc, mr int) {
	for p := range kc {
		d := dst[p*mr : p*mr+mr]
		copy(d, a[(p0+p)*lda+i0:(p0+p)*lda+i0+cols])
		clear(d[cols:])
	}
}

// packBRows packs op(B) = Bᵀ for B stored n×k: rows j0…j0+cols−1, columns
// p0…p0+kc−1 into dst as dst[p·nr+j], zero-padding j ≥ cols.
func packBRows(dst, b []float32, ldb, j0, cols, p0, kc, nr int) {
	if cols < nr {
		clear(dst)
	}
	for j := range cols {
		src := b[(j0+j)*ldb+p0 : (j0+j)*ldb+p0+kc]
		for p, v := range src {
			dst[p*nr+j] = v
		}
	}
}

// packBCols packs columns j0…j0+cols−1 of rows p0…p0+kc−1 of the row-major B
// (stored k×n) into dst as dst[p·nr+j], zero-padding j ≥ cols.
func packBCols(dst, b []float32, ldb, j0, cols, p0, kc, nr int) {
	for p := range kc {
		d := dst[p*nr : p*nr+nr]
		copy(d, b[(p0+p)*ldb+j0:(p0+p)*ldb+j0+cols])
		clear(d[cols:])
	}
}
