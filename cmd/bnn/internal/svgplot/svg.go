package svgplot

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
)

// svgWriter accumulates an SVG document. It escapes every attribute value
// and text node, and formats coordinates with a fixed number of decimals so
// that the same drawing always produces the same bytes.
type svgWriter struct {
	buf   bytes.Buffer
	depth int
}

// attr is one XML attribute; values are escaped when written.
type attr struct{ k, v string }

// num formats a coordinate with at most two decimals, without trailing
// zeros and without a negative zero.
func num(v float64) string {
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // turns -0 into 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// escapeXML returns s with the five XML special characters escaped and
// characters that XML 1.0 forbids replaced by U+FFFD.
func escapeXML(s string) string {
	var b bytes.Buffer
	// xml.EscapeText never fails on a bytes.Buffer.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (w *svgWriter) indent() {
	for i := 0; i < w.depth; i++ {
		w.buf.WriteByte(' ')
	}
}

func (w *svgWriter) tag(name string, attrs []attr, selfClose bool) {
	w.indent()
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	for _, a := range attrs {
		if a.v == "" {
			continue
		}
		w.buf.WriteByte(' ')
		w.buf.WriteString(a.k)
		w.buf.WriteString(`="`)
		w.buf.WriteString(escapeXML(a.v))
		w.buf.WriteByte('"')
	}
	if selfClose {
		w.buf.WriteString("/>\n")
	} else {
		w.buf.WriteString(">\n")
	}
}

// open starts an element that will hold children; close ends it.
func (w *svgWriter) open(name string, attrs ...attr) {
	w.tag(name, attrs, false)
	w.depth++
}

func (w *svgWriter) close(name string) {
	w.depth--
	w.indent()
	w.buf.WriteString("</" + name + ">\n")
}

// elem writes an empty element such as <line …/>.
func (w *svgWriter) elem(name string, attrs ...attr) { w.tag(name, attrs, true) }

// text writes an element whose only child is escaped character data.
func (w *svgWriter) text(name, content string, attrs ...attr) {
	w.indent()
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	for _, a := range attrs {
		if a.v == "" {
			continue
		}
		w.buf.WriteString(" " + a.k + `="` + escapeXML(a.v) + `"`)
	}
	w.buf.WriteByte('>')
	w.buf.WriteString(escapeXML(content))
	w.buf.WriteString("</" + name + ">\n")
}

// pathBuilder assembles the d attribute of a <path>.
type pathBuilder struct{ b bytes.Buffer }

func (p *pathBuilder) moveTo(x, y float64) {
	p.b.WriteString("M" + num(x) + " " + num(y))
}

func (p *pathBuilder) lineTo(x, y float64) {
	p.b.WriteString("L" + num(x) + " " + num(y))
}

func (p *pathBuilder) closePath() { p.b.WriteByte('Z') }

func (p *pathBuilder) empty() bool { return p.b.Len() == 0 }

func (p *pathBuilder) String() string { return p.b.String() }
