package auth_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExportedSurface checks what go doc shows of the package: no exported
// declaration names a type or value of an internal package (which users
// could not name), and the helpers that were internals in disguise stay
// unexported.
func TestExportedSurface(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	removed := map[string]bool{"Anonymous": true, "Matches": true, "CheckURL": true, "FromEnv": true}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		{
			internal := map[string]bool{}
			for _, imp := range file.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.Contains(path, "/internal/") {
					local := path[strings.LastIndex(path, "/")+1:]
					if imp.Name != nil {
						local = imp.Name.Name
					}
					internal[local] = true
				}
			}
			usesInternal := func(n ast.Node) (found string) {
				if n == nil {
					return ""
				}
				ast.Inspect(n, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
							found = id.Name + "." + sel.Sel.Name
						}
					}
					return found == ""
				})
				return found
			}
			for _, decl := range file.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
						continue
					}
					if d.Recv == nil && removed[d.Name.Name] {
						t.Errorf("%s: func %s is exported", name, d.Name.Name)
					}
					if s := usesInternal(d.Type); s != "" {
						t.Errorf("%s: func %s shows %s", name, d.Name.Name, s)
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, f := range st.Fields.List {
									for _, n := range f.Names {
										if found := usesInternal(f.Type); n.IsExported() && found != "" {
											t.Errorf("%s: field %s.%s shows %s", name, s.Name.Name, n.Name, found)
										}
									}
								}
							} else if found := usesInternal(s.Type); found != "" {
								t.Errorf("%s: type %s shows %s", name, s.Name.Name, found)
							}
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								if removed[n.Name] {
									t.Errorf("%s: %s is exported", name, n.Name)
								}
								if found := usesInternal(s.Type); found != "" {
									t.Errorf("%s: %s shows %s", name, n.Name, found)
								}
								for _, v := range s.Values {
									if found := usesInternal(v); found != "" {
										t.Errorf("%s: %s shows %s", name, n.Name, found)
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

func exportedRecv(recv *ast.FieldList) bool {
	typ := recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.IsExported()
}
