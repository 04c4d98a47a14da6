package airbyte

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGoDocShowsNoInternalPackage checks every public package of the
// module: no exported declaration (a signature, an exported field, a
// constant's or variable's type or value) names something from an internal
// package, which go doc would show and users could not name.
func TestGoDocShowsNoInternalPackage(t *testing.T) {
	t.Parallel()
	dirs := []string{".", "apitime", "auth", "connectors", "connectors/typegen", "contract", "contract/fake", "generated", "openapi"}
	checked := 0
	for _, dir := range dirs {
		fset := token.NewFileSet()
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]*ast.File{}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = f
		}
		for name, f := range files {
			internal := map[string]bool{}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if !strings.Contains(path, "/internal/") {
					continue
				}
				local := filepath.Base(path)
				if imp.Name != nil {
					local = imp.Name.Name
				}
				internal[local] = true
			}
			check := func(where string, n ast.Node) {
				checked++
				ast.Inspect(n, func(x ast.Node) bool {
					if sel, ok := x.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
							t.Errorf("%s: %s shows %s.%s from an internal package", name, where, id.Name, sel.Sel.Name)
						}
					}
					return true
				})
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Name.IsExported() && (d.Recv == nil || exportedRecv(d.Recv)) {
						check(d.Name.Name, d.Type)
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, fl := range st.Fields.List {
									if len(fl.Names) == 0 || fl.Names[0].IsExported() {
										check(s.Name.Name, fl.Type)
									}
								}
								continue
							}
							check(s.Name.Name, s.Type)
						case *ast.ValueSpec:
							for i, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								if s.Type != nil {
									check(n.Name, s.Type)
								}
								if i < len(s.Values) {
									check(n.Name, s.Values[i])
								}
							}
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d declarations; the walk found too few", checked)
	}
}
