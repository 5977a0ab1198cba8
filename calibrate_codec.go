package bnn

import (
	"fmt"
	"math"
)

// The calibration wrappers plug into the model-file container (modelfile.go)
// as four payload kinds that embed the wrapped model's own kind and payload,
// so any savable model (a wrapper too, up to calibMaxNesting deep) can be
// wrapped and files written before the wrappers existed still load. Layouts
// (little-endian):
//
//	inner model          kind length uint32, kind, payload length uint64, payload
//	"calibrated-scale"     inner; s float64; rows uint64
//	"calibrated-isotonic"  inner; rows uint64; k uint32; z [k]float64; R [k]float64
//	"conformal"            inner; n uint32; ascending scores [n]float64
//	"cross-conformal"      K uint32; K × (inner; count uint32; ascending scores [count]float64)
const (
	modelKindScaled         = "calibrated-scale"
	modelKindIsotonic       = "calibrated-isotonic"
	modelKindConformal      = "conformal"
	modelKindCrossConformal = "cross-conformal"

	// calibMaxNesting bounds how deep wrappers may wrap wrappers in a file.
	calibMaxNesting = 4
	// calibMaxKindLen bounds a decoded inner kind name.
	calibMaxKindLen = 64
	// calibMaxRows bounds a decoded calibration row count.
	calibMaxRows = 1 << 40
)

func init() {
	for _, kind := range []string{modelKindScaled, modelKindIsotonic, modelKindConformal, modelKindCrossConformal} {
		registerModelKind(kind, func(r *modelReader) (Regressor, error) { return decodeCalibrated(kind, r, 0) })
	}
}

// decodeCalibrated decodes a wrapper payload of kind at nesting depth.
func decodeCalibrated(kind string, r *modelReader, depth int) (Regressor, error) {
	switch kind {
	case modelKindScaled:
		return decodeScaled(r, depth)
	case modelKindIsotonic:
		return decodeIsotonic(r, depth)
	case modelKindConformal:
		return decodeConformal(r, depth)
	case modelKindCrossConformal:
		return decodeCrossConformal(r, depth)
	}
	return nil, fmt.Errorf("unknown wrapper kind %q: %w", kind, ErrCorruptModel)
}

func isCalibratedKind(kind string) bool {
	switch kind {
	case modelKindScaled, modelKindIsotonic, modelKindConformal, modelKindCrossConformal:
		return true
	}
	return false
}

// checkInnerSavable reports whether SaveModel can write m as a wrapped
// model at nesting depth.
func checkInnerSavable(m Regressor, depth int) error {
	if _, ok := m.(savableModel); !ok {
		return fmt.Errorf("bnn: save model: wrapped model %T cannot be saved: %w", m, ErrInvalidParameter)
	}
	if c, ok := m.(calibratedModel); ok {
		if depth+1 > calibMaxNesting {
			return fmt.Errorf("bnn: save model: calibration wrappers nested more than %d deep: %w", calibMaxNesting, ErrInvalidParameter)
		}
		return c.checkSavable(depth + 1)
	}
	return nil
}

// calibratedModel is a wrapper whose savability depends on what it wraps.
type calibratedModel interface {
	checkSavable(depth int) error
}

// appendInnerModel writes m's kind and payload (m is savable: checked by
// SaveModel through checkSavable).
func appendInnerModel(w *modelWriter, m Regressor) {
	sm := m.(savableModel)
	kind := sm.modelKind()
	var p modelWriter
	sm.appendModelPayload(&p)
	w.u32(uint32(len(kind)))
	w.b = append(w.b, kind...)
	w.u64(uint64(len(p.b)))
	w.b = append(w.b, p.b...)
}

// decodeInnerModel reads a wrapped model written by appendInnerModel.
func decodeInnerModel(r *modelReader, depth int) (Regressor, error) {
	kl := int(r.u32())
	if r.err == nil && kl > calibMaxKindLen {
		r.corrupt("inner kind of %d bytes", kl)
	}
	kind := string(r.take(kl))
	plen := r.u64()
	if r.err == nil && plen > uint64(len(r.b)) {
		r.corrupt("inner payload of %d bytes, %d left", plen, len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	sub := &modelReader{b: r.take(int(plen))}
	var m Regressor
	var err error
	if isCalibratedKind(kind) {
		if depth+1 > calibMaxNesting {
			return nil, fmt.Errorf("wrappers nested more than %d deep: %w", calibMaxNesting, ErrCorruptModel)
		}
		m, err = decodeCalibrated(kind, sub, depth+1)
	} else if dec, ok := modelDecoders[kind]; ok {
		m, err = dec(sub)
	} else {
		return nil, fmt.Errorf("unknown inner model kind %q: %w", kind, ErrCorruptModel)
	}
	if err == nil {
		err = sub.err
	}
	if err == nil && len(sub.b) != 0 {
		err = fmt.Errorf("%d trailing bytes in the inner %s payload: %w", len(sub.b), kind, ErrCorruptModel)
	}
	if err != nil {
		return nil, fmt.Errorf("inner %s: %w", kind, err)
	}
	return m, nil
}

// sortedScores reads n ascending, finite, non-negative scores.
func sortedScores(r *modelReader, n int) ([]float64, error) {
	s := r.f64s(n)
	if r.err != nil {
		return nil, r.err
	}
	for i, v := range s {
		if !(v >= 0) || math.IsInf(v, 0) || (i > 0 && v < s[i-1]) {
			return nil, fmt.Errorf("score %d is %g (scores must be finite, non-negative, ascending): %w", i, v, ErrCorruptModel)
		}
	}
	return s, nil
}

// decodeRows reads a calibration row count.
func decodeRows(r *modelReader, least int) int {
	v := r.u64()
	if r.err == nil && (v < uint64(least) || v > calibMaxRows) {
		r.corrupt("%d calibration rows", v)
	}
	return int(v)
}

func (m *ScaledRegressor) modelKind() string { return modelKindScaled }

func (m *ScaledRegressor) checkSavable(depth int) error { return checkInnerSavable(m.inner, depth) }

func (m *ScaledRegressor) appendModelPayload(w *modelWriter) {
	appendInnerModel(w, m.inner)
	w.f64(m.scale)
	w.u64(uint64(m.rows))
}

func decodeScaled(r *modelReader, depth int) (Regressor, error) {
	inner, err := decodeInnerModel(r, depth)
	if err != nil {
		return nil, err
	}
	s := r.f64()
	rows := decodeRows(r, calibScaleMinRows)
	if r.err != nil {
		return nil, r.err
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("scale factor %g: %w", s, ErrCorruptModel)
	}
	return &ScaledRegressor{inner: inner, scale: s, rows: rows}, nil
}

func (m *IsotonicRegressor) modelKind() string { return modelKindIsotonic }

func (m *IsotonicRegressor) checkSavable(depth int) error { return checkInnerSavable(m.inner, depth) }

func (m *IsotonicRegressor) appendModelPayload(w *modelWriter) {
	appendInnerModel(w, m.inner)
	w.u64(uint64(m.rows))
	w.u32(uint32(len(m.z)))
	w.f64s(m.z)
	w.f64s(m.r)
}

func decodeIsotonic(r *modelReader, depth int) (Regressor, error) {
	inner, err := decodeInnerModel(r, depth)
	if err != nil {
		return nil, err
	}
	rows := decodeRows(r, calibIsotonicMinRows)
	k := int(r.u32())
	if r.err == nil && (k < 1 || k > rows) {
		r.corrupt("%d knots for %d rows", k, rows)
	}
	if !r.fits(2*k, 8) {
		return nil, r.err
	}
	z, v := r.f64s(k), r.f64s(k)
	if r.err != nil {
		return nil, r.err
	}
	m, err := newIsotonic("decode", inner, z, v, rows)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCorruptModel)
	}
	return m, nil
}

func (m *ConformalRegressor) modelKind() string { return modelKindConformal }

func (m *ConformalRegressor) checkSavable(depth int) error { return checkInnerSavable(m.inner, depth) }

func (m *ConformalRegressor) appendModelPayload(w *modelWriter) {
	appendInnerModel(w, m.inner)
	w.u32(uint32(len(m.scores)))
	w.f64s(m.scores)
}

func decodeConformal(r *modelReader, depth int) (Regressor, error) {
	inner, err := decodeInnerModel(r, depth)
	if err != nil {
		return nil, err
	}
	n := int(r.u32())
	if r.err == nil && n < conformalMinRows {
		r.corrupt("%d calibration scores", n)
	}
	scores, err := sortedScores(r, n)
	if err != nil {
		return nil, err
	}
	m, err := newConformal("decode", inner, scores)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCorruptModel)
	}
	return m, nil
}

func (m *CrossConformalRegressor) modelKind() string { return modelKindCrossConformal }

func (m *CrossConformalRegressor) checkSavable(depth int) error {
	for k, f := range m.folds {
		if err := checkInnerSavable(f, depth); err != nil {
			return fmt.Errorf("fold %d: %w", k, err)
		}
	}
	return nil
}

func (m *CrossConformalRegressor) appendModelPayload(w *modelWriter) {
	w.u32(uint32(len(m.folds)))
	for k, f := range m.folds {
		appendInnerModel(w, f)
		w.u32(uint32(len(m.scores[k])))
		w.f64s(m.scores[k])
	}
}

func decodeCrossConformal(r *modelReader, depth int) (Regressor, error) {
	K := int(r.u32())
	if r.err == nil && (K < 2 || !r.fits(K, 16)) {
		r.corrupt("%d folds", K)
	}
	if r.err != nil {
		return nil, r.err
	}
	m := &CrossConformalRegressor{folds: make([]Regressor, K), scores: make([][]float64, K)}
	for k := range K {
		f, err := decodeInnerModel(r, depth)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k, err)
		}
		if k > 0 && f.InputDim() != m.folds[0].InputDim() {
			return nil, fmt.Errorf("fold %d takes %d features, fold 0 %d: %w", k, f.InputDim(), m.folds[0].InputDim(), ErrCorruptModel)
		}
		c := int(r.u32())
		if r.err == nil && c < 1 {
			r.corrupt("fold %d has %d scores", k, c)
		}
		s, err := sortedScores(r, c)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k, err)
		}
		m.folds[k], m.scores[k] = f, s
		m.n += c
	}
	if m.n < conformalMinRows {
		return nil, fmt.Errorf("%d calibration rows: %w", m.n, ErrCorruptModel)
	}
	return m, nil
}
