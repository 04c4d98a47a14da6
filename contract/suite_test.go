package contract_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/endpoint"
)

// operation is one operation of the spec.
type operation struct {
	id, method, path string
	op               *openapi3.Operation
	item             *openapi3.PathItem
}

func operations(t *testing.T) []operation {
	t.Helper()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	return operationsOf(v.Doc())
}

// operationsOf returns the operations of doc sorted by operationId.
func operationsOf(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{id: op.OperationID, method: method, path: path, op: op, item: item})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

func exported(id string) string {
	r := []rune(id)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// params returns the operation's parameters, path-item level first.
func params(o operation) openapi3.Parameters {
	var out openapi3.Parameters
	seen := map[string]bool{}
	for _, p := range append(append(openapi3.Parameters{}, o.op.Parameters...), o.item.Parameters...) {
		key := p.Value.In + ":" + p.Value.Name
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// value makes a realistic value of Go type typ for a parameter schema.
func value(t *testing.T, typ reflect.Type, schema *openapi3.SchemaRef, name string) reflect.Value {
	t.Helper()
	var raw any
	switch {
	case name == "orderBy":
		raw = "createdAt|DESC"
	case schema.Value.Type.Is(openapi3.TypeString) && schema.Value.Format == "" && len(schema.Value.Enum) == 0:
		raw = "google sheets/v2" // needs escaping in paths
	case schema.Value.Type.Is(openapi3.TypeArray) && schema.Value.Items.Value.Format == "uuid":
		raw = []any{"2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16", "81d5f0b3-6a2e-4c97-8e14-b0f3a7c62d59"}
	case schema.Value.Type.Is(openapi3.TypeArray) && schema.Value.Items.Value.Format == "email":
		raw = []any{"ada@example.org", "grace@example.org"}
	case schema.Value.Type.Is(openapi3.TypeObject):
		raw = map[string]any{"code": "abc", "state": "xyz"}
	default:
		raw = contract.NewGenerator(nil).Value(schema)
	}
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	ptr := reflect.New(typ)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		t.Fatalf("parameter %s: %s into %s: %v", name, data, typ, err)
	}
	return ptr.Elem()
}

// reporter receives what the suite finds wrong with the generated client:
// t.Errorf in the suite, a collector in the mutation tests.
type reporter func(format string, args ...any)

// fieldName returns the parameter name a generated Params field carries in
// its json (else form) tag.
func fieldName(f reflect.StructField) string {
	if name := strings.Split(f.Tag.Get("json"), ",")[0]; name != "" && name != "-" {
		return name
	}
	return strings.Split(f.Tag.Get("form"), ",")[0]
}

// signature is how the generated method for an operation takes its
// arguments: ctx, the path parameters, then optionally a *XParams and a
// body, then request editors.
type signature struct {
	paths  int          // number of path parameter arguments
	params reflect.Type // the XParams struct, or nil
	body   reflect.Type // the body type, or nil
}

func signatureOf(c *generated.ClientWithResponses, o operation, mt reflect.Type) signature {
	var sig signature
	end := mt.NumIn() - 1 // the variadic request editors
	if reflect.ValueOf(c).MethodByName(exported(o.id) + "WithBodyWithResponse").IsValid() {
		end--
		sig.body = mt.In(end)
	}
	if end > 1 {
		if typ := mt.In(end - 1); typ.Kind() == reflect.Pointer && strings.HasSuffix(typ.Elem().Name(), "Params") {
			sig.params = typ.Elem()
			end--
		}
	}
	sig.paths = end - 1
	return sig
}

// checkParameters reports every parameter the spec declares for o that the
// generated method cannot send (a spec change that was not regenerated),
// and every Params field the spec no longer declares.
func checkParameters(report reporter, o operation, sig signature, pathParams []*openapi3.Parameter) {
	typ := "generated." + exported(o.id) + "Params"
	fields := map[string]bool{}
	if sig.params != nil {
		typ = sig.params.String()
		for i := range sig.params.NumField() {
			fields[fieldName(sig.params.Field(i))] = true
		}
	}
	declared := map[string]bool{}
	for i, p := range pathParams {
		if i >= sig.paths {
			report("%s: spec parameter %q (in %s) has no argument in %sWithResponse: regenerate the client", o.id, p.Name, p.In, exported(o.id))
		}
	}
	if sig.paths > len(pathParams) {
		report("%s: %sWithResponse takes %d path arguments; the spec declares %d: regenerate the client", o.id, exported(o.id), sig.paths, len(pathParams))
	}
	for _, p := range params(o) {
		if p.Value.In == openapi3.ParameterInPath {
			continue
		}
		declared[p.Value.Name] = true
		if !fields[p.Value.Name] {
			report("%s: spec parameter %q (in %s) has no field in %s: regenerate the client", o.id, p.Value.Name, p.Value.In, typ)
		}
	}
	if sig.params != nil {
		for i := range sig.params.NumField() {
			f := sig.params.Field(i)
			if name := fieldName(f); !declared[name] {
				report("%s: field %s (%q) of %s is not a parameter in the spec: regenerate the client", o.id, f.Name, name, typ)
			}
		}
	}
}

// call invokes the operation through the generated client with realistic
// arguments and returns the generated response. Every parameter the spec
// declares must reach the generated method (checkParameters), and every
// field of the generated Params struct is filled, from the spec's schema
// for its name when the spec declares it, so all of them are sent.
func call(t *testing.T, report reporter, c *generated.ClientWithResponses, o operation) reflect.Value {
	t.Helper()
	m := reflect.ValueOf(c).MethodByName(exported(o.id) + "WithResponse")
	if !m.IsValid() {
		t.Fatalf("generated client has no method %sWithResponse", exported(o.id))
	}
	mt := m.Type()
	var pathParams []*openapi3.Parameter
	byName := map[string]*openapi3.Parameter{}
	for _, p := range params(o) {
		if p.Value.In == openapi3.ParameterInPath {
			pathParams = append(pathParams, p.Value)
		} else {
			byName[p.Value.Name] = p.Value
		}
	}
	// Path parameters come first, in the order they appear in the path.
	sort.Slice(pathParams, func(i, j int) bool {
		return strings.Index(o.path, "{"+pathParams[i].Name+"}") < strings.Index(o.path, "{"+pathParams[j].Name+"}")
	})
	sig := signatureOf(c, o, mt)
	checkParameters(report, o, sig, pathParams)
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	for i := range sig.paths {
		typ := mt.In(1 + i)
		if i < len(pathParams) {
			args = append(args, value(t, typ, pathParams[i].Schema, pathParams[i].Name))
		} else {
			args = append(args, reflect.Zero(typ))
		}
	}
	if sig.params != nil {
		ps := reflect.New(sig.params)
		for i := range sig.params.NumField() {
			f := sig.params.Field(i)
			if p := byName[fieldName(f)]; p != nil {
				ps.Elem().Field(i).Set(value(t, f.Type, p.Schema, p.Name))
			} else if f.Type.Kind() == reflect.Pointer {
				// Not in the spec: send the type's zero value so the
				// server (and the harness) sees the stale name.
				ps.Elem().Field(i).Set(reflect.New(f.Type.Elem()))
			}
		}
		args = append(args, ps)
	}
	if sig.body != nil {
		var example any
		if o.op.RequestBody != nil && o.op.RequestBody.Value.Content.Get("application/json") != nil {
			example = o.op.RequestBody.Value.Content.Get("application/json").Example
		}
		data, _ := json.Marshal(example)
		body := reflect.New(sig.body)
		if err := json.Unmarshal(data, body.Interface()); err != nil {
			t.Fatalf("example body into %s: %v", sig.body, err)
		}
		args = append(args, body.Elem())
	}
	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%s: %v", o.id, err)
	}
	return out[0]
}

func newClient(t *testing.T, h *contract.Harness, base string) *generated.ClientWithResponses {
	t.Helper()
	hc := &http.Client{Transport: &auth.Transport{Source: auth.StaticToken("contract-token"), BaseURL: base, Base: h.Transport()}}
	c, err := generated.NewClientWithResponses(base, generated.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clients are the two ways the suite calls each operation: the bare
// generated client behind auth.Transport (what the generated code sends by
// itself) and airbyte.Client's API (what users send: User-Agent, Accept,
// retries).
var clients = []struct {
	name       string
	wantAccept bool
	make       func(t *testing.T, h *contract.Harness, base string) *generated.ClientWithResponses
}{
	{name: "generated", make: newClient},
	{name: "airbyte", wantAccept: true, make: func(t *testing.T, h *contract.Harness, base string) *generated.ClientWithResponses {
		t.Helper()
		c, err := airbyte.NewClient(airbyte.WithServerURL(base), airbyte.WithToken("t"),
			airbyte.WithHTTPClient(h.HTTPClient()), airbyte.WithRetryPolicy(airbyte.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		return c.API()
	}},
}

// TestEveryOperation calls each operation of the spec through the
// generated client and through airbyte.Client against both base URLs; the
// harness validates each request and answer, and the decoded answer must
// be typed.
func TestEveryOperation(t *testing.T) {
	t.Parallel()
	for _, cl := range clients {
		for _, base := range []string{contract.CloudBaseURL, contract.SelfManagedBaseURL} {
			for _, o := range operations(t) {
				t.Run(cl.name+"/"+base+"/"+o.id, func(t *testing.T) {
					t.Parallel()
					h := contract.New(t)
					resp := call(t, t.Errorf, cl.make(t, h, base), o)
					if got := h.Calls(o.id); got != 1 {
						t.Errorf("Calls(%s) = %d; want 1", o.id, got)
					}
					status := contract.LowestSuccess(o.op)
					if code := resp.MethodByName("StatusCode").Call(nil)[0].Int(); int(code) != status {
						t.Errorf("status = %d; want %d", code, status)
					}
					if r := o.op.Responses.Status(status); r != nil && r.Value.Content.Get("application/json") != nil {
						if f := resp.Elem().FieldByName("JSON" + strconv.Itoa(status)); !f.IsValid() || f.IsNil() {
							t.Errorf("JSON%d is nil; want the decoded body", status)
						}
					}
					reqs := h.Requests()
					if len(reqs) != 1 {
						t.Fatalf("requests = %d", len(reqs))
					}
					if cl.wantAccept && reqs[0].Header.Get("Accept") == "" {
						t.Errorf("no Accept header; airbyte.Client should send one")
					}
					checkWire(t, o, reqs[0])
				})
			}
		}
	}
}

// checkWire checks what validators miss.
func checkWire(t *testing.T, o operation, req *http.Request) {
	t.Helper()
	if strings.Contains(o.path, "{name}") && !strings.Contains(req.URL.EscapedPath(), "google%20sheets%2Fv2") {
		t.Errorf("path %q: the name parameter is not escaped", req.URL.EscapedPath())
	}
	for _, p := range params(o) {
		if p.Value.In == openapi3.ParameterInQuery && p.Value.Schema.Value.Type.Is(openapi3.TypeArray) {
			// Repeated, as the spec declares (explode) and the official SDKs
			// send; the server also reads the comma-joined form.
			if got := req.URL.Query()[p.Value.Name]; len(got) != 2 || strings.Contains(got[0], ",") {
				t.Errorf("array query %s = %q; want two repeated values", p.Value.Name, got)
			}
		}
	}
	// The validators accept a token on an anonymous operation (security: []
	// makes it optional); our clients must still send one exactly where the
	// spec asks for it.
	hasAuth := req.Header.Get("Authorization") != ""
	if hasAuth == contract.IsAnonymous(o.op) {
		t.Errorf("Authorization sent = %v; the operation is anonymous = %v", hasAuth, contract.IsAnonymous(o.op))
	}
	if o.op.RequestBody != nil && req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q; want application/json", req.Header.Get("Content-Type"))
	}
	if accept := req.Header.Get("Accept"); accept != "" {
		declared := responseTypes(o.op)
		if len(declared) > 0 && !acceptable(accept, declared) {
			t.Errorf("Accept = %q matches none of the response types %q", accept, declared)
		}
	}
}

// responseTypes returns the media types an operation's responses declare.
func responseTypes(op *openapi3.Operation) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range op.Responses.Map() {
		if r.Value == nil {
			continue
		}
		for ct := range r.Value.Content {
			if !seen[ct] {
				seen[ct] = true
				out = append(out, ct)
			}
		}
	}
	sort.Strings(out)
	return out
}

// acceptable reports whether some media range of an Accept header with a
// non-zero quality matches one of the declared media types.
func acceptable(accept string, declared []string) bool {
	for _, part := range strings.Split(accept, ",") {
		rng, ps, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, ok := ps["q"]; ok {
			if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
				continue
			}
		}
		rt, rs, _ := strings.Cut(rng, "/")
		for _, d := range declared {
			mt, _, err := mime.ParseMediaType(d)
			if err != nil {
				continue
			}
			dt, ds, _ := strings.Cut(mt, "/")
			if (rt == "*" || rt == dt) && (rs == "*" || rs == ds) {
				return true
			}
		}
	}
	return false
}

func TestAcceptable(t *testing.T) {
	t.Parallel()
	json := []string{"application/json", "application/problem+json"}
	cases := []struct {
		accept   string
		declared []string
		want     bool
	}{
		{"application/json", json, true},
		{"application/json, application/problem+json;q=0.9, */*;q=0.5", json, true},
		{"application/json, application/problem+json;q=0.9, */*;q=0.5", []string{"text/html"}, true},
		{"application/json", []string{"text/html"}, false},
		{"text/*", []string{"text/html"}, true},
		{"text/*", json, false},
		{"*/*", []string{"text/plain"}, true},
		{"application/json;q=0", json, false},
		{"APPLICATION/JSON", json, true},
		{"application/xml, text/csv", json, false},
		{"not a media type", json, false},
	}
	for _, tc := range cases {
		if got := acceptable(tc.accept, tc.declared); got != tc.want {
			t.Errorf("acceptable(%q, %q) = %v; want %v", tc.accept, tc.declared, got, tc.want)
		}
	}
}

// TestErrorStatusesAreTyped answers each operation with each error status
// it declares and checks the problem body reaches the caller typed.
func TestErrorStatusesAreTyped(t *testing.T) {
	t.Parallel()
	for _, o := range operations(t) {
		for code, r := range o.op.Responses.Map() {
			n, err := strconv.Atoi(code)
			// A status declared without a body (501 from the open-source
			// server's OAuth stubs) has no typed problem to check.
			if err != nil || n < 400 || len(r.Value.Content) == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", o.id, n), func(t *testing.T) {
				t.Parallel()
				h := contract.New(t)
				h.Reply(o.id, contract.Reply{Status: n, Body: map[string]any{"type": "error:test", "title": "test problem", "status": n, "detail": "from the contract suite"}})
				resp := call(t, t.Errorf, newClient(t, h, contract.CloudBaseURL), o)
				f := resp.Elem().FieldByName("JSON" + code)
				if !f.IsValid() || f.IsNil() {
					t.Fatalf("JSON%s is nil; want the typed problem", code)
				}
				if title := f.Elem().FieldByName("Title"); title.IsNil() || title.Elem().String() != "test problem" {
					t.Errorf("problem title = %v", title)
				}
			})
		}
	}
}

// TestCoverage computes the operation list from the spec and fails when an
// operation has no contract case (a method on the generated client that
// TestEveryOperation can call).
func TestCoverage(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	covered := 0
	c, _ := generated.NewClientWithResponses(contract.CloudBaseURL)
	for _, o := range ops {
		if reflect.ValueOf(c).MethodByName(exported(o.id) + "WithResponse").IsValid() {
			covered++
		} else {
			t.Errorf("operation %s has no contract case", o.id)
		}
	}
	t.Logf("contract coverage: %d/%d operations", covered, len(ops))
	if covered != 92 || len(ops) != 92 {
		t.Errorf("coverage %d/%d; want 92/92", covered, len(ops))
	}
}

// TestAnonymousOperationsMatchAuth checks that auth.Transport leaves
// exactly the spec's anonymous operations without a token.
func TestAnonymousOperationsMatchAuth(t *testing.T) {
	t.Parallel()
	for _, o := range operations(t) {
		path := strings.NewReplacer("{", "", "}", "").Replace(o.path)
		if got := endpoint.Anonymous(o.method, "/v1"+path, "/v1"); got != contract.IsAnonymous(o.op) {
			t.Errorf("%s: endpoint.Anonymous = %v; spec says %v", o.id, got, contract.IsAnonymous(o.op))
		}
	}
}
