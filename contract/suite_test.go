package contract_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
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
	var ops []operation
	for path, item := range v.Doc().Paths.Map() {
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
	case schema.Value.Type.Is(openapi3.TypeString) && schema.Value.Format == "" && len(schema.Value.Enum) == 0:
		raw = "google sheets/v2" // needs escaping in paths
	case schema.Value.Type.Is(openapi3.TypeArray) && schema.Value.Items.Value.Format == "uuid":
		raw = []any{"2f6a8d14-c7e3-4b91-9a05-d8e2b3f47c16", "81d5f0b3-6a2e-4c97-8e14-b0f3a7c62d59"}
	case schema.Value.Type.Is(openapi3.TypeArray) && schema.Value.Items.Value.Format == "email":
		raw = []any{"ada@example.org", "grace@example.org"}
	case schema.Value.Type.Is(openapi3.TypeObject):
		raw = map[string]any{"code": "abc", "state": "xyz"}
	case name == "orderBy":
		raw = "createdAt|DESC"
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

// call invokes the operation through the generated client with realistic
// arguments and returns the generated response.
func call(t *testing.T, c *generated.ClientWithResponses, o operation) reflect.Value {
	t.Helper()
	m := reflect.ValueOf(c).MethodByName(exported(o.id) + "WithResponse")
	if !m.IsValid() {
		t.Fatalf("generated client has no method %sWithResponse", exported(o.id))
	}
	mt := m.Type()
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	var pathParams, queryParams []*openapi3.Parameter
	for _, p := range params(o) {
		switch p.Value.In {
		case openapi3.ParameterInPath:
			pathParams = append(pathParams, p.Value)
		case openapi3.ParameterInQuery:
			queryParams = append(queryParams, p.Value)
		}
	}
	// Path parameters come first, in the order they appear in the path.
	sort.Slice(pathParams, func(i, j int) bool {
		return strings.Index(o.path, "{"+pathParams[i].Name+"}") < strings.Index(o.path, "{"+pathParams[j].Name+"}")
	})
	in := 1
	for _, p := range pathParams {
		args = append(args, value(t, mt.In(in), p.Schema, p.Name))
		in++
	}
	for ; in < mt.NumIn()-1; in++ {
		typ := mt.In(in)
		switch {
		case typ.Kind() == reflect.Pointer && strings.HasSuffix(typ.Elem().Name(), "Params"):
			ps := reflect.New(typ.Elem())
			for _, q := range queryParams {
				for i := range typ.Elem().NumField() {
					f := typ.Elem().Field(i)
					if strings.Split(f.Tag.Get("json"), ",")[0] == q.Name {
						ps.Elem().Field(i).Set(value(t, f.Type, q.Schema, q.Name))
					}
				}
			}
			args = append(args, ps)
		case o.op.RequestBody != nil && in == mt.NumIn()-2:
			mtype := o.op.RequestBody.Value.Content.Get("application/json")
			data, _ := json.Marshal(mtype.Example)
			body := reflect.New(typ)
			if err := json.Unmarshal(data, body.Interface()); err != nil {
				t.Fatalf("example body into %s: %v", typ, err)
			}
			args = append(args, body.Elem())
		default:
			t.Fatalf("%s: unexpected argument %d of type %s", o.id, in, typ)
		}
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

// TestEveryOperation calls each operation of the spec through the
// generated client against both base URLs; the harness validates each
// request and answer, and the decoded answer must be typed.
func TestEveryOperation(t *testing.T) {
	t.Parallel()
	for _, base := range []string{contract.CloudBaseURL, contract.SelfManagedBaseURL} {
		for _, o := range operations(t) {
			t.Run(base+"/"+o.id, func(t *testing.T) {
				t.Parallel()
				h := contract.New(t)
				resp := call(t, newClient(t, h, base), o)
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
				checkWire(t, o, reqs[0])
			})
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
			if got := req.URL.Query()[p.Value.Name]; len(got) != 1 || !strings.Contains(got[0], ",") {
				t.Errorf("array query %s = %q; want one comma-joined value", p.Value.Name, got)
			}
		}
	}
	hasAuth := req.Header.Get("Authorization") != ""
	if hasAuth == contract.IsAnonymous(o.op) {
		t.Errorf("Authorization sent = %v; the operation is anonymous = %v", hasAuth, contract.IsAnonymous(o.op))
	}
	if o.op.RequestBody != nil && req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q; want application/json", req.Header.Get("Content-Type"))
	}
}

// TestErrorStatusesAreTyped answers each operation with each error status
// it declares and checks the problem body reaches the caller typed.
func TestErrorStatusesAreTyped(t *testing.T) {
	t.Parallel()
	for _, o := range operations(t) {
		for code := range o.op.Responses.Map() {
			n, err := strconv.Atoi(code)
			if err != nil || n < 400 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", o.id, n), func(t *testing.T) {
				t.Parallel()
				h := contract.New(t)
				h.Reply(o.id, contract.Reply{Status: n, Body: map[string]any{"type": "error:test", "title": "test problem", "status": n, "detail": "from the contract suite"}})
				resp := call(t, newClient(t, h, contract.CloudBaseURL), o)
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
		if got := auth.Anonymous(o.method, "/v1"+path, "/v1"); got != contract.IsAnonymous(o.op) {
			t.Errorf("%s: auth.Anonymous = %v; spec says %v", o.id, got, contract.IsAnonymous(o.op))
		}
	}
}
