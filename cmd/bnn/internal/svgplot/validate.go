package svgplot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Validate checks that svg is a figure as Render writes it: well-formed XML
// with an <svg> root and, in every panel, a frame, tick marks, x and y tick
// labels and at least one data element (line, band, scatter, marker, bars,
// heat map or contour), and some axis label. It returns an error naming
// the first problem found.
func Validate(svg []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	classes := map[string]int{}
	depth, elems := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("svgplot: not well-formed XML: %w", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if elems == 0 && tk.Name.Local != "svg" {
				return fmt.Errorf("svgplot: root element is <%s>, not <svg>", tk.Name.Local)
			}
			elems++
			depth++
			for _, a := range tk.Attr {
				if a.Name.Local == "class" {
					classes[a.Value]++
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	switch {
	case elems == 0:
		return errors.New("svgplot: no <svg> element")
	case depth != 0:
		return errors.New("svgplot: unclosed elements")
	}
	frames := classes["frame"]
	if frames == 0 {
		return errors.New("svgplot: no axes frame")
	}
	for _, c := range []string{"ticks", "xticklabels", "yticklabels"} {
		if classes[c] != frames {
			return fmt.Errorf("svgplot: %d %s groups for %d panels", classes[c], c, frames)
		}
	}
	nData := 0
	for _, k := range []string{"line", "band", "scatter", "marker", "bars", "heatmap", "contourf", "contour"} {
		nData += classes[k]
	}
	if nData == 0 {
		return errors.New("svgplot: no data elements")
	}
	if classes["xlabel"] == 0 || classes["ylabel"] == 0 {
		return errors.New("svgplot: no axis labels")
	}
	return nil
}
