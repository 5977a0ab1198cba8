package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
)

// svgElements are the elements the plotting package writes; inlineSVG
// refuses any other (a script, a foreignObject, an external reference).
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "rect": true, "line": true, "circle": true, "text": true,
	"title": true, "clipPath": true, "linearGradient": true, "stop": true, "image": true, "defs": true,
	"polyline": true, "polygon": true, "tspan": true, "ellipse": true,
}

// svgAttributes are the presentation attributes inlineSVG passes on.
// Event handlers (on…) and anything else are refused.
var svgAttributes = map[string]bool{
	"class": true, "clip-path": true, "cx": true, "cy": true, "d": true, "fill": true, "fill-opacity": true,
	"font-family": true, "font-size": true, "font-weight": true, "font-style": true, "height": true, "id": true,
	"image-rendering": true, "offset": true, "opacity": true, "preserveAspectRatio": true, "r": true, "rx": true,
	"ry": true, "stop-color": true, "stop-opacity": true, "stroke": true, "stroke-dasharray": true,
	"stroke-linecap": true, "stroke-linejoin": true, "stroke-opacity": true, "stroke-width": true,
	"text-anchor": true, "dominant-baseline": true, "transform": true, "viewBox": true, "width": true,
	"x": true, "y": true, "x1": true, "y1": true, "x2": true, "y2": true, "points": true,
}

// svgStyles are the only values a style attribute may hold.
var svgStyles = map[string]bool{"image-rendering:pixelated": true}

// errNotOurSVG reports an SVG document that is not one the plotting
// package writes, so it is not inlined into a page.
var errNotOurSVG = errors.New("not an SVG figure of ours")

// inlinedSVG is a figure ready to go into a page: its markup and its
// <title> (the figure's heading), for the alt text.
type inlinedSVG struct {
	markup template.HTML
	title  string
}

// inlineSVG re-serialises an SVG document written by the plotting package
// for inclusion in an HTML page. It parses the document as XML and writes
// every element and attribute anew from an allow-list, escaping every text
// node and attribute value, so the result is safe to mark as template.HTML
// whatever the figure's labels contain. Each id (and each url(#id)
// reference) gets prefix, so several figures' clip paths and gradients do
// not collide in one page; the root gets role="img" and aria-label alt
// (its <title> when alt is empty). Anything outside the allow-list (a
// script, an event handler, an external link) is an error wrapping
// errNotOurSVG.
func inlineSVG(svg []byte, prefix, alt string) (inlinedSVG, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var b strings.Builder
	b.Grow(len(svg))
	var out inlinedSVG
	var stack []string
	inTitle, rootDone := false, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return inlinedSVG{}, fmt.Errorf("%w: %v", errNotOurSVG, err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := tk.Name.Local
			if !svgElements[name] || (tk.Name.Space != "" && tk.Name.Space != "http://www.w3.org/2000/svg") {
				return inlinedSVG{}, fmt.Errorf("%w: element <%s>", errNotOurSVG, name)
			}
			if len(stack) == 0 {
				if name != "svg" || rootDone {
					return inlinedSVG{}, fmt.Errorf("%w: root element <%s>", errNotOurSVG, name)
				}
				rootDone = true
			}
			b.WriteString("<" + name)
			if len(stack) == 0 {
				b.WriteString(` role="img" aria-label="` + html.EscapeString(alt) + `"`)
			}
			for _, a := range tk.Attr {
				v, keep, err := svgAttr(a, prefix)
				if err != nil {
					return inlinedSVG{}, fmt.Errorf("%w: <%s %s>", err, name, a.Name.Local)
				}
				if keep {
					b.WriteString(" " + v)
				}
			}
			b.WriteString(">")
			stack = append(stack, name)
			inTitle = name == "title" && len(stack) == 2
		case xml.EndElement:
			b.WriteString("</" + tk.Name.Local + ">")
			stack = stack[:len(stack)-1]
			inTitle = false
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(tk)) > 0 {
					return inlinedSVG{}, fmt.Errorf("%w: text outside <svg>", errNotOurSVG)
				}
				continue
			}
			if inTitle && out.title == "" {
				out.title = string(tk)
			}
			b.WriteString(html.EscapeString(string(tk)))
		case xml.Comment, xml.ProcInst:
			// dropped: the XML declaration has no place inside HTML
		case xml.Directive:
			return inlinedSVG{}, fmt.Errorf("%w: a <!%s> directive", errNotOurSVG, bytes.Fields(tk)[0])
		}
	}
	if !rootDone {
		return inlinedSVG{}, fmt.Errorf("%w: no <svg> element", errNotOurSVG)
	}
	if alt == "" {
		// the aria-label was written before the title was known
		s := b.String()
		i := strings.Index(s, `aria-label=""`)
		s = s[:i] + `aria-label="` + html.EscapeString(out.title) + `"` + s[i+len(`aria-label=""`):]
		out.markup = template.HTML(s) // #nosec: re-serialised above from the allow-list, every value escaped
		return out, nil
	}
	out.markup = template.HTML(b.String()) // #nosec: re-serialised above from the allow-list, every value escaped
	return out, nil
}

// svgAttr checks one attribute and returns it as name="escaped value",
// with ids and url(#…) references prefixed; keep is false for namespace
// declarations, which HTML does not need.
func svgAttr(a xml.Attr, prefix string) (string, bool, error) {
	name, v := a.Name.Local, a.Value
	switch {
	case a.Name.Space == "xmlns" || (a.Name.Space == "" && name == "xmlns"):
		return "", false, nil
	case name == "href" && (a.Name.Space == "http://www.w3.org/1999/xlink" || a.Name.Space == ""):
		if !strings.HasPrefix(v, "data:image/png;base64,") {
			return "", false, fmt.Errorf("%w: a link that is not an embedded PNG", errNotOurSVG)
		}
		return `href="` + html.EscapeString(v) + `"`, true, nil
	case a.Name.Space != "":
		return "", false, fmt.Errorf("%w: attribute in namespace %q", errNotOurSVG, a.Name.Space)
	case name == "style":
		if !svgStyles[v] {
			return "", false, fmt.Errorf("%w: style %q", errNotOurSVG, v)
		}
	case !svgAttributes[name]:
		return "", false, fmt.Errorf("%w: attribute %q", errNotOurSVG, name)
	case name == "id":
		v = prefix + v
	default:
		if strings.Contains(v, "url(") {
			if !strings.HasPrefix(v, "url(#") {
				return "", false, fmt.Errorf("%w: external url in %q", errNotOurSVG, name)
			}
			v = "url(#" + prefix + v[len("url(#"):]
		}
	}
	return name + `="` + html.EscapeString(v) + `"`, true, nil
}
