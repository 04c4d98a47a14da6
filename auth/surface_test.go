package auth_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportedSurface keeps the helpers that were internals in disguise
// unexported. (That no exported declaration of any public package names
// something from an internal package is checked module-wide by the root
// package's TestGoDocShowsNoInternalPackage.)
func TestExportedSurface(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	removed := map[string]bool{"Anonymous": true, "Matches": true, "CheckURL": true, "FromEnv": true}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				checked++
				if d.Recv == nil && removed[d.Name.Name] {
					t.Errorf("%s: func %s is exported", name, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if s, ok := spec.(*ast.ValueSpec); ok {
						for _, n := range s.Names {
							if removed[n.Name] {
								t.Errorf("%s: %s is exported", name, n.Name)
							}
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no declarations read")
	}
}
