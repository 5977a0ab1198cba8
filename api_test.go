package bnn

import (
	"bytes"
	"flag"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update", false, "rewrite api.txt from the current exported API")

// TestAPIListing fails when the exported API differs from the checked-in
// listing api.txt, so that every API change is deliberate: run
// go test -run TestAPIListing -update . to regenerate it after one, and
// review the diff.
func TestAPIListing(t *testing.T) {
	got, err := apiListing(".")
	if err != nil {
		t.Fatal(err)
	}
	if *updateAPI {
		if err := os.WriteFile("api.txt", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("api.txt")
	if err != nil {
		t.Fatalf("%v (go test -run TestAPIListing -update . creates it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	var added, removed []string
	for _, l := range g {
		if !slices.Contains(w, l) {
			added = append(added, "+ "+l)
		}
	}
	for _, l := range w {
		if !slices.Contains(g, l) {
			removed = append(removed, "- "+l)
		}
	}
	t.Errorf("the exported API differs from api.txt (go test -run TestAPIListing -update . regenerates it):\n%s",
		strings.Join(append(removed, added...), "\n"))
}

// apiListing returns the package's exported API, one sorted line per
// constant, variable, function, type, exported struct field, interface
// method and method, from the non-test Go files of dir that build for
// linux/amd64 without tags (the exported API is the same on every platform).
func apiListing(dir string) ([]byte, error) {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.BuildTags, ctx.CgoEnabled = "linux", "amd64", nil, false
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, dir+"/"+name, nil, 0)
		if err != nil {
			return nil, err
		}
		files[name] = f
	}
	astPkg := &ast.Package{Name: bp.Name, Files: files} //nolint:staticcheck // doc.New needs an *ast.Package
	p := doc.New(astPkg, bp.ImportPath, 0)
	var lines []string
	str := func(n any) string {
		var b bytes.Buffer
		if err := (&printer.Config{Mode: printer.RawFormat}).Fprint(&b, fset, n); err != nil {
			panic(err)
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	// values lists exported constants or variables, with the type of their
	// group (typ, for those doc files under a type) and their value unless it
	// is computed from iota.
	values := func(kind, typ string, vs []*doc.Value) {
		for _, v := range vs {
			for _, s := range v.Decl.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !n.IsExported() {
						continue
					}
					l := kind + " " + n.Name
					switch {
					case vs.Type != nil:
						l += " " + str(vs.Type)
					case typ != "":
						l += " " + typ
					}
					if i < len(vs.Values) && !strings.Contains(str(vs.Values[i]), "iota") {
						l += " = " + str(vs.Values[i])
					}
					lines = append(lines, l)
				}
			}
		}
	}
	// funcs lists functions or methods by their signatures' types, as
	// parameter and receiver names are not part of the API.
	funcs := func(fs []*doc.Func) {
		for _, f := range fs {
			l := "func "
			if r := f.Decl.Recv; r != nil {
				l = "method (" + str(r.List[0].Type) + ") "
			}
			lines = append(lines, l+f.Name+signature(f.Decl.Type, str))
		}
	}
	values("const", "", p.Consts)
	values("var", "", p.Vars)
	funcs(p.Funcs)
	for _, t := range p.Types {
		ts := t.Decl.Specs[0].(*ast.TypeSpec)
		switch u := ts.Type.(type) {
		case *ast.StructType:
			lines = append(lines, "type "+t.Name+" struct")
			for _, f := range u.Fields.List {
				if len(f.Names) == 0 { // embedded
					lines = append(lines, "field "+t.Name+" embeds "+str(f.Type))
					continue
				}
				for _, n := range f.Names {
					if n.IsExported() {
						lines = append(lines, "field "+t.Name+"."+n.Name+" "+str(f.Type))
					}
				}
			}
		case *ast.InterfaceType:
			lines = append(lines, "type "+t.Name+" interface")
			for _, m := range u.Methods.List {
				for _, n := range m.Names {
					lines = append(lines, "field "+t.Name+"."+n.Name+signature(m.Type.(*ast.FuncType), str))
				}
				if len(m.Names) == 0 {
					lines = append(lines, "field "+t.Name+" embeds "+str(m.Type))
				}
			}
		default:
			eq := " "
			if ts.Assign.IsValid() {
				eq = " = "
			}
			lines = append(lines, "type "+t.Name+eq+str(ts.Type))
		}
		values("const", t.Name, t.Consts)
		values("var", t.Name, t.Vars)
		funcs(t.Funcs)
		funcs(t.Methods)
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n") + "\n"), nil
}

// signature formats a function type as "(T1, T2) (R1, R2)", without names.
func signature(ft *ast.FuncType, str func(any) string) string {
	list := func(fl *ast.FieldList) []string {
		var out []string
		if fl == nil {
			return out
		}
		for _, f := range fl.List {
			for range max(1, len(f.Names)) {
				out = append(out, str(f.Type))
			}
		}
		return out
	}
	s := "(" + strings.Join(list(ft.Params), ", ") + ")"
	switch res := list(ft.Results); len(res) {
	case 0:
	case 1:
		s += " " + res[0]
	default:
		s += " (" + strings.Join(res, ", ") + ")"
	}
	return s
}
