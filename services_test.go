package airbyte_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// specOperation is one operation of the spec with what the tests need.
type specOperation struct {
	method, path string
	op           *openapi3.Operation
	params       []*openapi3.Parameter // the path item's and the operation's
	paginated    bool
}

func specOperations(t *testing.T) map[string]specOperation {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]specOperation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var limit, offset bool
			var params []*openapi3.Parameter
			for _, p := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				params = append(params, p.Value)
				limit = limit || (p.Value.In == openapi3.ParameterInQuery && p.Value.Name == "limit")
				offset = offset || (p.Value.In == openapi3.ParameterInQuery && p.Value.Name == "offset")
			}
			out[op.OperationID] = specOperation{method: method, path: path, op: op, params: params, paginated: limit && offset}
		}
	}
	return out
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// TestEveryOperationHasATypedMethod lists the spec's operationIds and finds,
// by reflection on Client's service fields, the typed method of each, with
// the shape every typed method has, and an iterator for every paginated
// list.
func TestEveryOperationHasATypedMethod(t *testing.T) {
	t.Parallel()
	ops := specOperations(t)
	if len(ops) < 92 {
		t.Fatalf("the spec has %d operations; want at least 92", len(ops))
	}
	byID := map[string]int{}
	for i, o := range typedOperations {
		if _, dup := byID[o.operationID]; dup {
			t.Errorf("%s has two typed methods", o.operationID)
		}
		byID[o.operationID] = i
		if _, ok := ops[o.operationID]; !ok {
			t.Errorf("typed method %s.%s is for %s, which the spec does not have", o.service, o.method, o.operationID)
		}
	}
	client, err := airbyte.NewClient(airbyte.WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	cv := reflect.ValueOf(client).Elem()
	ids := make([]string, 0, len(ops))
	for id := range ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	services := map[string]bool{}
	for _, id := range ids {
		i, ok := byID[id]
		if !ok {
			t.Errorf("operation %s has no typed method (run go generate ./...)", id)
			continue
		}
		o := typedOperations[i]
		services[o.service] = true
		svc := cv.FieldByName(o.service)
		if !svc.IsValid() || svc.Kind() != reflect.Pointer || svc.IsNil() {
			t.Errorf("%s: Client.%s is missing or nil", id, o.service)
			continue
		}
		m, ok := svc.Type().MethodByName(o.method)
		if !ok {
			t.Errorf("%s: %s has no method %s", id, svc.Type(), o.method)
			continue
		}
		mt := m.Type // receiver first
		if mt.NumIn() < 2 || mt.In(1) != contextType {
			t.Errorf("%s: %s.%s does not take a context first", id, o.service, o.method)
		}
		if last := mt.Out(mt.NumOut() - 1); last != errorType {
			t.Errorf("%s: %s.%s's last result is %s; want error", id, o.service, o.method, last)
		}
		if mt.NumOut() == 2 && mt.Out(0).Kind() != reflect.Pointer && mt.Out(0) != reflect.TypeFor[[]byte]() {
			t.Errorf("%s: %s.%s returns %s; want a pointer", id, o.service, o.method, mt.Out(0))
		}
		if strings.HasPrefix(mt.Out(0).String(), "*generated.") && strings.Contains(mt.Out(0).String(), "Response") {
			// The decoded body, never the generated wrapper with its status.
			if _, wrapper := mt.Out(0).Elem().FieldByName("HTTPResponse"); wrapper {
				t.Errorf("%s: %s.%s returns the generated wrapper %s", id, o.service, o.method, mt.Out(0))
			}
		}
		if ops[id].paginated != (o.iterator != "") {
			t.Errorf("%s: paginated = %v but iterator = %q", id, ops[id].paginated, o.iterator)
		}
		if o.iterator != "" {
			it, ok := svc.Type().MethodByName(o.iterator)
			if !ok {
				t.Errorf("%s: %s has no iterator %s", id, svc.Type(), o.iterator)
			} else if got := it.Type.Out(0).String(); !strings.HasPrefix(got, "iter.Seq2[") || !strings.HasSuffix(got, ",error]") {
				t.Errorf("%s: %s.%s returns %s; want iter.Seq2[T, error]", id, o.service, o.iterator, got)
			}
		}
	}
	if got := len(services); got != 21 {
		t.Errorf("%d services; want 21 (one per tag)", got)
	}
}

// argsFor builds the arguments of a typed method from the spec: path
// parameters in the order of the path, required query parameters, and the
// request body's example.
func argsFor(t *testing.T, mt reflect.Type, so specOperation) []reflect.Value {
	t.Helper()
	gen := contract.NewGenerator(nil)
	var pathParams []*openapi3.Parameter
	query := map[string]any{}
	for _, v := range so.params {
		switch {
		case v.In == openapi3.ParameterInPath:
			pathParams = append(pathParams, v)
		case v.In == openapi3.ParameterInQuery && v.Required:
			query[v.Name] = exampleOf(gen, v)
		}
	}
	sort.Slice(pathParams, func(i, j int) bool {
		return strings.Index(so.path, "{"+pathParams[i].Name+"}") < strings.Index(so.path, "{"+pathParams[j].Name+"}")
	})
	args := []reflect.Value{reflect.ValueOf(t.Context())}
	next := 0
	for i := 1; i < mt.NumIn(); i++ { // after ctx
		typ := mt.In(i)
		var v any
		switch {
		case typ.Kind() == reflect.Pointer: // the query parameters
			v = query
		case typ.Kind() == reflect.Struct: // the body
			mt := so.op.RequestBody.Value.Content.Get("application/json")
			v = mt.Example
			if v == nil {
				v = gen.Value(mt.Schema)
			}
		default:
			if next >= len(pathParams) {
				t.Fatalf("argument %d (%s) matches no path parameter", i, typ)
			}
			v = exampleOf(gen, pathParams[next])
			next++
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(typ)
		if err := json.Unmarshal(data, p.Interface()); err != nil {
			t.Fatalf("argument %d: %s into %s: %v", i, data, typ, err)
		}
		args = append(args, p.Elem())
	}
	if next != len(pathParams) {
		t.Fatalf("method takes %d path parameters; the spec has %d", next, len(pathParams))
	}
	return args
}

func exampleOf(gen *contract.Generator, p *openapi3.Parameter) any {
	if p.Example != nil {
		return p.Example
	}
	if p.Schema.Value.Example != nil {
		return p.Schema.Value.Example
	}
	return gen.Value(p.Schema)
}

// errorStatus picks an error status the operation declares.
func errorStatus(op *openapi3.Operation) int {
	for _, s := range []int{http.StatusNotFound, http.StatusBadRequest, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity} {
		if op.Responses.Status(s) != nil {
			return s
		}
	}
	return http.StatusInternalServerError
}

// TestEveryTypedMethod calls each typed method against the contract
// harness, which validates the request and answers from the spec: the
// method must reach its operation once and return the decoded body; then,
// answered with an error status, it must return an *APIError.
func TestEveryTypedMethod(t *testing.T) {
	t.Parallel()
	ops := specOperations(t)
	for _, o := range typedOperations {
		so, ok := ops[o.operationID]
		if !ok {
			continue // TestEveryOperationHasATypedMethod reports it
		}
		t.Run(o.operationID, func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			client, err := airbyte.NewClient(airbyte.WithServerURL(contract.CloudBaseURL), airbyte.WithToken("t"),
				airbyte.WithHTTPClient(h.HTTPClient()), airbyte.WithRetryPolicy(airbyte.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			m := reflect.ValueOf(client).Elem().FieldByName(o.service).MethodByName(o.method)
			if !m.IsValid() {
				t.Fatalf("no %s.%s", o.service, o.method)
			}
			args := argsFor(t, m.Type(), so)
			out := m.Call(args)
			if err, _ := out[len(out)-1].Interface().(error); err != nil {
				t.Fatalf("%s.%s: error %v; want success", o.service, o.method, err)
			}
			if got := h.Calls(o.operationID); got != 1 {
				t.Errorf("%s.%s: Calls(%s) = %d; want 1", o.service, o.method, o.operationID, got)
			}
			if len(out) == 2 && out[0].IsNil() {
				t.Errorf("%s.%s returned nil and no error; want the decoded answer", o.service, o.method)
			}

			status := errorStatus(so.op)
			h.Reply(o.operationID, contract.Reply{Status: status})
			out = m.Call(args)
			err, _ = out[len(out)-1].Interface().(error)
			var apiErr *airbyte.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Errorf("%s.%s answered %d: error = %v; want an *APIError with status %d", o.service, o.method, status, err, status)
			}
			if len(out) == 2 && !out[0].IsNil() {
				t.Errorf("%s.%s answered %d: value = %v; want nil", o.service, o.method, status, out[0])
			}
		})
	}
}

// TestEveryIteratorOverHarness ranges over each generated iterator against
// the harness: the items of the answered page, then, answered with a
// server error, exactly one error.
func TestEveryIteratorOverHarness(t *testing.T) {
	t.Parallel()
	ops := specOperations(t)
	n := 0
	for _, o := range typedOperations {
		if o.iterator == "" {
			continue
		}
		n++
		so := ops[o.operationID]
		t.Run(o.operationID, func(t *testing.T) {
			t.Parallel()
			h := contract.New(t)
			client, err := airbyte.NewClient(airbyte.WithServerURL(contract.CloudBaseURL), airbyte.WithToken("t"),
				airbyte.WithHTTPClient(h.HTTPClient()), airbyte.WithRetryPolicy(airbyte.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			m := reflect.ValueOf(client).Elem().FieldByName(o.service).MethodByName(o.iterator)
			args := argsFor(t, m.Type(), so)
			items, errs := rangeSeq(m.Call(args)[0])
			if items == 0 || len(errs) != 0 {
				t.Errorf("%s.%s: %d items, errors %v; want the page's items and no error", o.service, o.iterator, items, errs)
			}
			if got := h.Calls(o.operationID); got != 1 {
				t.Errorf("%s.%s: Calls = %d; want 1 (the example page is short)", o.service, o.iterator, got)
			}
			h.Reply(o.operationID, contract.Reply{Status: http.StatusInternalServerError})
			items, errs = rangeSeq(m.Call(args)[0])
			if items != 1 || len(errs) != 1 || !errors.Is(errs[0], airbyte.ErrServer) {
				t.Errorf("%s.%s on a 500: %d yields, errors %v; want one ErrServer", o.service, o.iterator, items, errs)
			}
		})
	}
	if n != 7 {
		t.Errorf("%d iterators; want 7", n)
	}
}

// rangeSeq ranges over an iter.Seq2[T, error] held in a reflect.Value and
// returns how many pairs it yielded and the errors among them.
func rangeSeq(seq reflect.Value) (int, []error) {
	n := 0
	var errs []error
	for _, e := range seq.Seq2() {
		n++
		if err, _ := e.Interface().(error); err != nil {
			errs = append(errs, err)
		}
	}
	return n, slices.Clip(errs)
}
