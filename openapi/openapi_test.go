package openapi_test

import (
	"fmt"
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
