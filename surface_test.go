package airbyte

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportedDecls parses the package's non-test files and calls visit with
// every exported top-level declaration's name and type expressions.
func exportedDecls(t *testing.T, visit func(name string, exprs []ast.Expr)) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
					continue
				}
				visit(d.Name.Name, fieldTypes(d.Type.Params, d.Type.Results))
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						exprs := []ast.Expr{s.Type}
						if st, ok := s.Type.(*ast.StructType); ok {
							exprs = nil
							for _, f := range st.Fields.List {
								if len(f.Names) == 0 || f.Names[0].IsExported() {
									exprs = append(exprs, f.Type)
								}
							}
						}
						visit(s.Name.Name, exprs)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								visit(n.Name, []ast.Expr{s.Type})
							}
						}
					}
				}
			}
		}
	}
}

func exportedRecv(l *ast.FieldList) bool {
	e := l.List[0].Type
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if ix, ok := e.(*ast.IndexExpr); ok {
		e = ix.X
	}
	id, ok := e.(*ast.Ident)
	return ok && id.IsExported()
}

func fieldTypes(lists ...*ast.FieldList) []ast.Expr {
	var out []ast.Expr
	for _, l := range lists {
		if l == nil {
			continue
		}
		for _, f := range l.List {
			out = append(out, f.Type)
		}
	}
	return out
}

// TestExportedNamesAreClear keeps vague names out of the package's top
// level.
func TestExportedNamesAreClear(t *testing.T) {
	t.Parallel()
	vague := map[string]bool{"Terminal": true, "Done": true, "Final": true, "Helper": true}
	exportedDecls(t, func(name string, _ []ast.Expr) {
		if vague[name] {
			t.Errorf("exported name %s does not say what it is about", name)
		}
	})
}

// predeclared are the lower-case type names every package may show.
var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true, "complex128": true, "error": true,
	"float32": true, "float64": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"rune": true, "string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
}

// TestGoDocShowsNoInternalType checks that no exported declaration's
// type (signatures, exported fields, named types) names an unexported
// type of this package, which go doc would show and users could not name.
func TestGoDocShowsNoInternalType(t *testing.T) {
	t.Parallel()
	n := 0
	exportedDecls(t, func(name string, exprs []ast.Expr) {
		n++
		for _, e := range exprs {
			if e == nil {
				continue
			}
			var walk func(ast.Node) bool
			walk = func(x ast.Node) bool {
				switch x := x.(type) {
				case *ast.SelectorExpr:
					return false // another package's exported name
				case *ast.Field:
					// Parameter and method names of a func or interface
					// type are not types: look only at the field's type.
					ast.Inspect(x.Type, walk)
					return false
				case *ast.Ident:
					if !x.IsExported() && !predeclared[x.Name] {
						t.Errorf("%s shows the unexported type %s", name, x.Name)
					}
				}
				return true
			}
			ast.Inspect(e, walk)
		}
	})
	if n < 20 {
		t.Errorf("only %d exported declarations found; the walk is broken", n)
	}
}

// TestSignaturesUseTheRootNames: where the package has its own name for
// a generated type (type X = generated.X), exported declarations use it,
// so go doc shows one name and users need not import generated.
func TestSignaturesUseTheRootNames(t *testing.T) {
	t.Parallel()
	aliases := map[string]bool{}
	exportedDecls(t, func(name string, exprs []ast.Expr) {
		if len(exprs) == 1 {
			if sel, ok := exprs[0].(*ast.SelectorExpr); ok && sel.Sel.Name == name {
				aliases[name] = true // may be an alias; checked below by use
			}
		}
	})
	if !aliases["JobResponse"] || !aliases["UUID"] {
		t.Fatalf("root names not found (JobResponse %v, UUID %v); the walk is broken", aliases["JobResponse"], aliases["UUID"])
	}
	exportedDecls(t, func(name string, exprs []ast.Expr) {
		for _, e := range exprs {
			if e == nil {
				continue
			}
			if sel, ok := e.(*ast.SelectorExpr); ok && sel.Sel.Name == name {
				continue // the alias itself
			}
			ast.Inspect(e, func(x ast.Node) bool {
				if sel, ok := x.(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "generated" || pkg.Name == "openapi_types") && aliases[sel.Sel.Name] {
						t.Errorf("%s shows %s.%s; the package calls it %s", name, pkg.Name, sel.Sel.Name, sel.Sel.Name)
					}
					return false
				}
				return true
			})
		}
	})
}
