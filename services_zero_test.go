package airbyte

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

// TestTypedMethodsOnZeroClientAndNilContext calls every typed method of
// every service on a zero Client (whose services are nil) and, on a real
// client, with a nil context: each must return an error, never panic.
func TestTypedMethodsOnZeroClientAndNilContext(t *testing.T) {
	t.Parallel()
	real, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
	var zero Client
	calls := 0
	for _, c := range []struct {
		name   string
		client *Client
		ctx    context.Context
		want   error
	}{
		{"zero Client", &zero, context.Background(), ErrNotInitialized},
		{"nil context", real, nil, errNilContext},
	} {
		cv := reflect.ValueOf(c.client).Elem()
		for i := range cv.NumField() {
			f := cv.Field(i)
			if !cv.Type().Field(i).IsExported() || f.Kind() != reflect.Pointer {
				continue
			}
			for m := range f.Type().NumMethod() {
				method := f.Type().Method(m)
				fn := f.Method(m)
				args := make([]reflect.Value, fn.Type().NumIn())
				for a := range args {
					args[a] = reflect.Zero(fn.Type().In(a))
				}
				if c.ctx != nil {
					args[0] = reflect.ValueOf(c.ctx)
				}
				out := fn.Call(args)
				if method.Name[:3] == "All" {
					continue // iterators: covered by TestNilAndZeroInputs
				}
				calls++
				err, _ := out[len(out)-1].Interface().(error)
				if !errors.Is(err, c.want) {
					t.Errorf("%s: %s.%s = %v; want %v", c.name, cv.Type().Field(i).Name, method.Name, err, c.want)
				}
			}
		}
	}
	if calls != 2*92 {
		t.Errorf("called %d typed methods; want %d (92 operations, twice)", calls, 2*92)
	}
}
