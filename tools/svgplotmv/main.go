// Command svgplotmv renames the plotting identifiers of cmd/bnn (declared in the
// plot files) to their exported svgplot names, by type information, and
// qualifies package-level ones used outside the plot files with "svgplot.".
package main

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

var plotFiles = map[string]bool{"plot.go": true, "axes.go": true, "artists.go": true, "contour.go": true, "heatmap.go": true, "legend.go": true, "ticks.go": true, "svg.go": true, "color.go": true, "svg_test.go": true}

var rename = map[string]string{
	"newFigure": "NewFigure", "figure": "Figure", "at": "At", "save": "Save", "render": "Render", "panel": "Axes", "style": "Style",
	"color": "Color", "width": "Width", "dash": "Dash", "opacity": "Opacity", "size": "Size", "label": "Label",
	"title": "Title", "xlabel": "XLabel", "ylabel": "YLabel", "legendPos": "LegendPos", "xticks": "XTicks",
	"line": "Line", "band": "Band", "bars": "Bars", "scatter": "Scatter", "cross": "Cross", "vspan": "VSpan", "vline": "VLine", "hline": "HLine",
	"contour": "Contour", "contourf": "Contourf", "heatmap": "HeatMap", "setXLim": "SetXLim", "setYLim": "SetYLim",
	"cycle": "Cycle", "viridis": "Viridis", "blues": "Blues", "colormap": "Colormap",
}

type edit struct {
	off, end int
	text     string
}

func main() {
	dir := os.Args[1]
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, nil, parser.ParseComments)
	if err != nil {
		panic(err)
	}
	var files []*ast.File
	for _, p := range pkgs {
		for _, f := range p.Files {
			files = append(files, f)
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if _, ok := ts.Type.(*ast.StructType); ok {
					structRanges[ts.Name.Name] = [2]token.Pos{ts.Pos(), ts.End()}
				}
			}
			return true
		})
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	pkg, err := conf.Check("main", fset, files, info)
	if err != nil {
		panic(err)
	}
	edits := map[string][]edit{}
	add := func(id *ast.Ident, obj types.Object) {
		if obj == nil || obj.Pkg() != pkg {
			return
		}
		decl := filepath.Base(fset.Position(obj.Pos()).Filename)
		if !plotFiles[decl] {
			return
		}
		// only package-level plot objects, methods of figure and panel, and
		// fields of style and panel (and figure's title)
		nn, ok := rename[obj.Name()]
		if !ok || !allowed(obj) {
			nn = obj.Name()
		}
		pos := fset.Position(id.Pos())
		use := filepath.Base(pos.Filename)
		text := nn
		if !plotFiles[use] && obj.Parent() == pkg.Scope() {
			text = "svgplot." + nn
		}
		if text == id.Name {
			return
		}
		edits[pos.Filename] = append(edits[pos.Filename], edit{pos.Offset, pos.Offset + len(id.Name), text})
	}
	for id, obj := range info.Defs {
		add(id, obj)
	}
	for id, obj := range info.Uses {
		add(id, obj)
	}
	for fn, es := range edits {
		src, err := os.ReadFile(fn)
		if err != nil {
			panic(err)
		}
		sort.Slice(es, func(i, j int) bool { return es[i].off > es[j].off })
		s := string(src)
		last := -1
		for _, e := range es {
			if e.off == last {
				continue
			}
			last = e.off
			s = s[:e.off] + e.text + s[e.end:]
		}
		if !plotFiles[filepath.Base(fn)] && strings.Contains(s, "svgplot.") && !strings.Contains(s, `"github.com/gobnn/bnn/cmd/bnn/internal/svgplot"`) {
			s = strings.Replace(s, "import (\n", "import (\n\t\"github.com/gobnn/bnn/cmd/bnn/internal/svgplot\"\n", 1)
		}
		if err := os.WriteFile(fn, []byte(s), 0o644); err != nil {
			panic(err)
		}
	}
}

var structRanges = map[string][2]token.Pos{}

func allowed(obj types.Object) bool {
	if obj.Parent() == obj.Pkg().Scope() {
		return true
	}
	switch o := obj.(type) {
	case *types.Func:
		sig := o.Type().(*types.Signature)
		if sig.Recv() == nil {
			return false
		}
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := t.(*types.Named)
		return ok && (n.Obj().Name() == "panel" || n.Obj().Name() == "figure")
	case *types.Var:
		if !o.IsField() {
			return false
		}
		for name, r := range structRanges {
			if o.Pos() >= r[0] && o.Pos() < r[1] {
				return name == "style" || name == "panel" || (name == "figure" && o.Name() == "title")
			}
		}
	}
	return false
}
