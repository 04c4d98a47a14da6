package fake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// TestAnswersAlwaysValidate sends generated, spec-valid requests to every
// operation, for a Cloud user and an instance admin, with random and real
// IDs, and requires that the fake never fails its own response check and
// never answers 5xx except where the server does (500 {"errorId"} or an
// unexpected-problem it also sends).
func TestAnswersAlwaysValidate(t *testing.T) {
	t.Parallel()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	type op struct {
		method, path string
		op           *openapi3.Operation
		params       openapi3.Parameters
	}
	var ops []op
	for path, item := range v.Doc().Paths.Map() {
		for method, o := range item.Operations() {
			ops = append(ops, op{method, path, o, append(append(openapi3.Parameters{}, item.Parameters...), o.Parameters...)})
		}
	}
	sort.Slice(ops, func(a, b int) bool { return ops[a].op.OperationID < ops[b].op.OperationID })
	for _, role := range []string{"organization_admin", "instance_admin", "workspace_reader"} {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fake.Options{Role: role})
			rnd := rand.New(rand.NewPCG(7, 7))
			gen := contract.NewGenerator(rnd)
			// Real IDs to put in paths half the time.
			real := map[string]string{"workspaceId": e.f.DefaultWorkspaceID(), "organizationId": e.f.DefaultOrganizationID(), "userId": e.f.DefaultUserID()}
			for i := range 3 {
				for _, o := range ops {
					path := o.path
					q := url.Values{}
					for _, p := range o.params {
						val := gen.Value(p.Value.Schema)
						if p.Value.Name == "orderBy" {
							val = "updatedAt|DESC"
						}
						s := text(val)
						if id, ok := real[p.Value.Name]; ok && i%2 == 0 {
							s = id
						}
						if arr, ok := val.([]any); ok {
							parts := make([]string, len(arr))
							for k, x := range arr {
								parts[k] = text(x)
							}
							s = strings.Join(parts, ",")
						}
						if m, ok := val.(map[string]any); ok {
							for k, x := range m {
								q.Set(k, text(x))
							}
							continue
						}
						switch p.Value.In {
						case "path":
							path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", url.PathEscape(s))
						case "query":
							if p.Value.Required || rnd.IntN(2) == 0 {
								q.Set(p.Value.Name, s)
							}
						}
					}
					var body []byte
					if o.op.RequestBody != nil {
						if mt := o.op.RequestBody.Value.Content.Get("application/json"); mt != nil {
							body, _ = json.Marshal(gen.Value(mt.Schema))
						}
					}
					target := fake.BasePath + path
					if len(q) > 0 {
						target += "?" + q.Encode()
					}
					req := httptest.NewRequest(o.method, target, bytes.NewReader(body))
					if body != nil {
						req.Header.Set("Content-Type", "application/json")
					}
					req.Header.Set("Authorization", "Bearer "+e.token)
					rec := httptest.NewRecorder()
					e.f.ServeHTTP(rec, req)
					if rec.Code >= 500 {
						var p map[string]any
						json.Unmarshal(rec.Body.Bytes(), &p)
						if p["errorId"] == nil && p["title"] != "unexpected-problem" && p["title"] != "oauth-callback-failure" {
							t.Errorf("%s %s %s: %d %s", o.op.OperationID, o.method, target, rec.Code, rec.Body)
						}
					}
					if rec.Code == http.StatusBadRequest || rec.Code == http.StatusUnprocessableEntity {
						if h := rec.Header().Get("X-Fake-Violation"); h != "" {
							t.Errorf("%s: a generated request was refused by the spec check: %s", o.op.OperationID, h)
						}
					}
				}
			}
		})
	}
}

// text writes a generated value as a parameter.
func text(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
