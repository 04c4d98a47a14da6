package openapi_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/validate"

	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// wantOperations is the number of operations of Airbyte's public API.
const wantOperations = 92

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	return doc
}

func TestLoadValidates(t *testing.T) {
	t.Parallel()
	doc := load(t)
	if got := doc.OpenAPI; got != "3.0.3" {
		t.Errorf("openapi = %q; want %q", got, "3.0.3")
	}
	n := 0
	for _, item := range doc.Paths.Map() {
		n += len(item.Operations())
	}
	if n != wantOperations {
		t.Errorf("operations = %d; want %d", n, wantOperations)
	}
}

// TestExamplesValidate checks every example against its schema with the
// document's formats (uuid included), which kin-openapi's own example
// validation does not apply.
func TestExamplesValidate(t *testing.T) {
	t.Parallel()
	doc := load(t)
	for _, f := range exampleFindings(doc) {
		t.Error(f)
	}
}

func exampleFindings(doc *openapi3.T) []string {
	var out []string
	check := func(where string, mt *openapi3.MediaType, asRequest bool) {
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			return
		}
		var values []any
		if mt.Example != nil {
			values = append(values, mt.Example)
		}
		for _, e := range mt.Examples {
			if e.Value != nil {
				values = append(values, e.Value.Value)
			}
		}
		opts := openapi.SchemaOptions(doc)
		if asRequest {
			opts = append(opts, openapi3.VisitAsRequest())
		} else {
			opts = append(opts, openapi3.VisitAsResponse())
		}
		for _, v := range values {
			if err := mt.Schema.Value.VisitJSON(v, opts...); err != nil {
				out = append(out, fmt.Sprintf("%s: example does not validate: %v", where, err))
			}
		}
	}
	forEachOperation(doc, func(where string, op *openapi3.Operation) {
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			for ct, mt := range op.RequestBody.Value.Content {
				check(where+" request "+ct, mt, true)
			}
		}
		for code, r := range op.Responses.Map() {
			if r.Value == nil {
				continue
			}
			for ct, mt := range r.Value.Content {
				check(where+" response "+code+" "+ct, mt, false)
			}
		}
		for _, p := range op.Parameters {
			if p.Value != nil && p.Value.Example != nil && p.Value.Schema != nil {
				if err := p.Value.Schema.Value.VisitJSON(p.Value.Example, openapi.SchemaOptions(doc)...); err != nil {
					out = append(out, fmt.Sprintf("%s: parameter %s example does not validate: %v", where, p.Value.Name, err))
				}
			}
		}
	})
	return out
}

func forEachOperation(doc *openapi3.T, fn func(where string, op *openapi3.Operation)) {
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		for method, op := range doc.Paths.Value(path).Operations() {
			fn(method+" "+path, op)
		}
	}
}

// TestOasdiffLint runs oasdiff's spec validation and lints; the spec must
// have no finding at all.
func TestOasdiffLint(t *testing.T) {
	t.Parallel()
	doc := load(t)
	findings := validate.Validate(doc, "openapi/airbyte.yaml")
	for _, f := range findings {
		t.Errorf("oasdiff %s %s: %s %s %s", f.Level, f.Id, f.Operation, f.Path, f.Text)
	}
	if findings.HasLevelOrHigher(checker.ERR) {
		t.Errorf("oasdiff reports errors")
	}
}

// TestOperationsComplete checks what every operation must carry.
func TestOperationsComplete(t *testing.T) {
	t.Parallel()
	doc := load(t)
	seen := map[string]string{}
	anonymous := map[string]bool{
		"getDocumentation": true, "getHealthCheck": true, "createAccessToken": true, "oauthCallback": true,
	}
	forEachOperation(doc, func(where string, op *openapi3.Operation) {
		if op.OperationID == "" {
			t.Errorf("%s: no operationId", where)
		} else if prev, dup := seen[op.OperationID]; dup {
			t.Errorf("%s: operationId %s also used by %s", where, op.OperationID, prev)
		}
		seen[op.OperationID] = where
		if len(op.Tags) == 0 {
			t.Errorf("%s: no tag", where)
		}
		if strings.TrimSpace(op.Summary) == "" {
			t.Errorf("%s: no summary", where)
		}
		if strings.TrimSpace(op.Description) == "" {
			t.Errorf("%s: no description", where)
		}
		has2xx := false
		for code, r := range op.Responses.Map() {
			// The OAuth callback's and the documentation's success is a
			// redirect (server: DefaultController.kt:24-28).
			if strings.HasPrefix(code, "2") || ((op.OperationID == "oauthCallback" || op.OperationID == "getDocumentation") && code == "302") {
				has2xx = true
				for ct, mt := range r.Value.Content {
					if strings.Contains(ct, "json") && mt.Example == nil && len(mt.Examples) == 0 {
						t.Errorf("%s: response %s %s has no example", where, code, ct)
					}
				}
			}
		}
		if !has2xx {
			t.Errorf("%s: no 2xx response", where)
		}
		if op.Responses.Default() == nil {
			t.Errorf("%s: no default error response", where)
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			for ct, mt := range op.RequestBody.Value.Content {
				if mt.Example == nil && len(mt.Examples) == 0 {
					t.Errorf("%s: request body %s has no example", where, ct)
				}
			}
		}
		for _, p := range op.Parameters {
			if p.Value != nil && strings.TrimSpace(p.Value.Description) == "" {
				t.Errorf("%s: parameter %s has no description", where, p.Value.Name)
			}
		}
		isAnonymous := op.Security != nil && len(*op.Security) == 0
		if isAnonymous != anonymous[op.OperationID] {
			t.Errorf("%s: anonymous = %v; want %v", where, isAnonymous, anonymous[op.OperationID])
		}
		if !isAnonymous {
			for _, code := range []string{"401", "403"} {
				if op.Responses.Value(code) == nil {
					t.Errorf("%s: authenticated operation declares no %s response", where, code)
				}
			}
		}
	})
	if len(doc.Security) == 0 {
		t.Error("no global security requirement")
	}
	for _, name := range []string{"bearerAuth", "clientCredentials"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("security scheme %s missing", name)
		}
	}
}

// TestSchemasDescribed checks that every schema and every inline property
// has a description, that enums are typed and that no format is spelled in
// upper case.
func TestSchemasDescribed(t *testing.T) {
	t.Parallel()
	doc := load(t)
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, f := range schemaFindings("schema "+name, doc.Components.Schemas[name], true) {
			t.Error(f)
		}
	}
}

func schemaFindings(where string, s *openapi3.SchemaRef, top bool) []string {
	if s == nil || (s.Ref != "" && !top) {
		return nil
	}
	var out []string
	v := s.Value
	if strings.TrimSpace(v.Description) == "" {
		out = append(out, where+": no description")
	}
	if v.Type == nil && len(v.Enum) > 0 {
		out = append(out, where+": enum without type")
	}
	if v.Format != "" && v.Format != strings.ToLower(v.Format) {
		out = append(out, where+": format "+v.Format+" is not lower case")
	}
	for _, f := range []string{"set", "url"} {
		if v.Format == f {
			out = append(out, where+": non-standard format "+f)
		}
	}
	props := make([]string, 0, len(v.Properties))
	for name := range v.Properties {
		props = append(props, name)
	}
	sort.Strings(props)
	for _, name := range props {
		out = append(out, schemaFindings(where+"."+name, v.Properties[name], false)...)
	}
	if v.Items != nil {
		out = append(out, schemaFindings(where+"[]", v.Items, false)...)
	}
	if v.AdditionalProperties.Schema != nil {
		out = append(out, schemaFindings(where+"{}", v.AdditionalProperties.Schema, false)...)
	}
	for i, sub := range append(append(append([]*openapi3.SchemaRef{}, v.OneOf...), v.AnyOf...), v.AllOf...) {
		out = append(out, schemaFindings(fmt.Sprintf("%s/variant%d", where, i), sub, false)...)
	}
	return out
}

func TestSpecIsACopy(t *testing.T) {
	t.Parallel()
	a := openapi.Spec()
	a[0] = 'X'
	if b := openapi.Spec(); b[0] == 'X' {
		t.Error("Spec() returned shared bytes; want a copy")
	}
}

// kotlinCite matches a controller cite such as
// `P/controllers/JobsController.kt:54-89`.
var kotlinCite = regexp.MustCompile("^`[A-Za-z0-9_./-]+\\.kt:[0-9]+(-[0-9]+)?`$")

// serverTableRow is one row of SERVER.md's operation table.
type serverTableRow struct {
	line                       int
	operationID, route, citeAt string
}

// serverTableRows returns the rows of SERVER.md's operation table: the
// lines that start with "| " after its header, split on unescaped pipes.
func serverTableRows(md string) []serverTableRow {
	var rows []serverTableRow
	inTable := false
	for i, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "| operationId |"):
			inTable = true
			continue
		case !strings.HasPrefix(line, "|"):
			inTable = false
			continue
		case !inTable || strings.HasPrefix(line, "|---"):
			continue
		}
		cells := splitCells(line)
		for len(cells) < 3 {
			cells = append(cells, "")
		}
		rows = append(rows, serverTableRow{line: i + 1, operationID: cells[0], route: cells[1], citeAt: cells[2]})
	}
	return rows
}

// splitCells returns the trimmed cells of a Markdown table row; `\|` is a
// pipe inside a cell.
func splitCells(line string) []string {
	var cells []string
	var cell strings.Builder
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(line[i])
		}
	}
	if rest := strings.TrimSpace(cell.String()); rest != "" {
		cells = append(cells, rest)
	}
	return cells
}

// serverTableFindings checks SERVER.md against the spec: one row per
// operationId, each naming an operation of the spec with its method and
// path, and a Kotlin controller cite.
func serverTableFindings(doc *openapi3.T, md string) []string {
	routes := map[string]string{}
	forEachOperation(doc, func(where string, op *openapi3.Operation) {
		routes[op.OperationID] = "`" + where + "`"
	})
	var out []string
	seen := map[string]int{}
	for _, r := range serverTableRows(md) {
		want, ok := routes[r.operationID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("SERVER.md:%d: %q is not an operationId of the spec", r.line, r.operationID))
			continue
		case seen[r.operationID] != 0:
			out = append(out, fmt.Sprintf("SERVER.md:%d: %s already has a row at line %d", r.line, r.operationID, seen[r.operationID]))
		case r.route != want:
			out = append(out, fmt.Sprintf("SERVER.md:%d: %s route = %s; want %s", r.line, r.operationID, r.route, want))
		}
		seen[r.operationID] = r.line
		if !kotlinCite.MatchString(r.citeAt) {
			out = append(out, fmt.Sprintf("SERVER.md:%d: %s controller = %s; want `<path>.kt:<line>`", r.line, r.operationID, r.citeAt))
		}
	}
	ids := make([]string, 0, len(routes))
	for id := range routes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if seen[id] == 0 {
			out = append(out, fmt.Sprintf("SERVER.md: no row for %s", id))
		}
	}
	return out
}

// TestServerTable checks that SERVER.md has exactly one well-formed row per
// operation of the spec.
func TestServerTable(t *testing.T) {
	t.Parallel()
	doc := load(t)
	md, err := os.ReadFile("SERVER.md")
	if err != nil {
		t.Fatalf("read SERVER.md: %v", err)
	}
	if got := len(serverTableRows(string(md))); got != wantOperations {
		t.Errorf("SERVER.md rows = %d; want %d", got, wantOperations)
	}
	for _, f := range serverTableFindings(doc, string(md)) {
		t.Error(f)
	}
}

// TestServerTableFindings shows that each kind of broken row is reported.
func TestServerTableFindings(t *testing.T) {
	t.Parallel()
	doc := load(t)
	md, err := os.ReadFile("SERVER.md")
	if err != nil {
		t.Fatalf("read SERVER.md: %v", err)
	}
	good := "| getJob | `GET /jobs/{jobId}` | `P/controllers/JobsController.kt:210-245` |"
	if !strings.Contains(string(md), good) {
		t.Fatalf("SERVER.md has no row starting %q", good)
	}
	cases := []struct {
		name, replacement, want string
	}{
		{"missing row", "", "no row for getJob"},
		{"duplicate row", good + " x | y | z |\n" + good, "getJob already has a row"},
		{"unknown operation", "| fetchJob | `GET /jobs/{jobId}` | `P/controllers/JobsController.kt:210` |", `"fetchJob" is not an operationId`},
		{"wrong route", "| getJob | `DELETE /jobs/{jobId}` | `P/controllers/JobsController.kt:210` |", "getJob route = `DELETE /jobs/{jobId}`"},
		{"cite without line", "| getJob | `GET /jobs/{jobId}` | `P/controllers/JobsController.kt` |", "getJob controller = `P/controllers/JobsController.kt`"},
		{"cite not Kotlin", "| getJob | `GET /jobs/{jobId}` | `P/controllers/JobsController.java:210` |", "want `<path>.kt:<line>`"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			broken := strings.Replace(string(md), good, tc.replacement, 1)
			findings := serverTableFindings(doc, broken)
			if !strings.Contains(strings.Join(findings, "\n"), tc.want) {
				t.Errorf("findings = %q; want one containing %q", findings, tc.want)
			}
		})
	}
}
