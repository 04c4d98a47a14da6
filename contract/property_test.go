package contract_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/openapi"
)

// propertyRuns is how many random values each schema gets.
const propertyRuns = 30

// TestGeneratedTypesRoundTrip is a property test over every request body
// and every JSON response of the spec: random values valid for the schema
// decode into the generated Go type, and re-encoding that Go value gives a
// value that still validates. It catches uuid-vs-string, integer width and
// nullability mismatches between the spec and the generated code.
func TestGeneratedTypesRoundTrip(t *testing.T) {
	t.Parallel()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	doc := v.Doc()
	client := reflect.TypeFor[*generated.ClientWithResponses]()
	checked := 0
	for _, o := range operations(t) {
		var cases []struct {
			what   string
			schema *openapi3.SchemaRef
			typ    reflect.Type
			asReq  bool
		}
		m, _ := client.MethodByName(exported(o.id) + "WithResponse")
		if o.op.RequestBody != nil {
			mt := m.Type
			cases = append(cases, struct {
				what   string
				schema *openapi3.SchemaRef
				typ    reflect.Type
				asReq  bool
			}{"request body", o.op.RequestBody.Value.Content.Get("application/json").Schema, mt.In(mt.NumIn() - 2), true})
		}
		respType := m.Type.Out(0).Elem()
		for code, r := range o.op.Responses.Map() {
			mt := r.Value.Content.Get("application/json")
			if mt == nil {
				continue
			}
			name := "JSON" + code
			if _, err := strconv.Atoi(code); err != nil {
				name = "JSONDefault"
			}
			f, ok := respType.FieldByName(name)
			if !ok {
				t.Errorf("%s: response %s has no field %s", o.id, code, name)
				continue
			}
			cases = append(cases, struct {
				what   string
				schema *openapi3.SchemaRef
				typ    reflect.Type
				asReq  bool
			}{"response " + code, mt.Schema, f.Type.Elem(), false})
		}
		for _, c := range cases {
			h := fnv.New64a()
			fmt.Fprint(h, o.id, c.what)
			for run := range propertyRuns {
				gen := contract.NewGenerator(rand.New(rand.NewPCG(uint64(run), h.Sum64())))
				if err := roundTrip(doc, gen.Value(c.schema), c.schema, c.typ, c.asReq); err != nil {
					t.Errorf("%s %s (run %d): %v", o.id, c.what, run, err)
					break
				}
			}
			checked++
		}
	}
	t.Logf("checked %d schemas x %d random values", checked, propertyRuns)
}

func roundTrip(doc *openapi3.T, value any, schema *openapi3.SchemaRef, typ reflect.Type, asReq bool) error {
	opts := openapi.SchemaOptions(doc)
	if asReq {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if err := schema.Value.VisitJSON(value, opts...); err != nil {
		return fmt.Errorf("generator made an invalid value (a generator bug): %w", err)
	}
	data, _ := json.Marshal(value)
	goValue := reflect.New(typ)
	if err := json.Unmarshal(data, goValue.Interface()); err != nil {
		return fmt.Errorf("decode %s into %s: %w", clip(data), typ, err)
	}
	again, err := json.Marshal(goValue.Interface())
	if err != nil {
		return fmt.Errorf("re-encode %s: %w", typ, err)
	}
	var back any
	if err := json.Unmarshal(again, &back); err != nil {
		return err
	}
	if err := schema.Value.VisitJSON(back, opts...); err != nil {
		return fmt.Errorf("re-encoded %s no longer validates: %s: %w", typ, clip(again), err)
	}
	return nil
}

func clip(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return strings.TrimSpace(s)
}
