package fake_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// opRecorder notes which operations a test's requests reached.
type opRecorder struct {
	v    *contract.Validator
	base http.RoundTripper
	mu   sync.Mutex
	seen map[string]bool
}

func (o *opRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	check := r.Clone(r.Context())
	path := strings.TrimPrefix(check.URL.EscapedPath(), fake.BasePath)
	u, _ := url.Parse(contract.SelfManagedBaseURL + path)
	u.RawQuery = r.URL.RawQuery
	check.URL, check.Host = u, u.Host
	if route, _, err := o.v.Route(check); err == nil {
		o.mu.Lock()
		o.seen[route.Operation.OperationID] = true
		o.mu.Unlock()
	}
	return o.base.RoundTrip(r)
}

// recordedEnv is newEnv whose client notes the operations it calls.
func recordedEnv(t *testing.T, rec *opRecorder, opts fake.Options) *env {
	t.Helper()
	f, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	rec.base = srv.Client().Transport
	e := &env{f: f, srv: srv, client: &http.Client{Transport: rec, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	e.token = e.fetchToken(t)
	return e
}

// must sends a request, wants the status and returns the decoded body
// (nil when empty).
func (e *env) must(t *testing.T, status int, method, path string, body any) map[string]any {
	t.Helper()
	r := e.do(t, method, path, body)
	wantStatus(t, r, status)
	if len(r.body) == 0 || r.body[0] != '{' {
		return nil
	}
	return r.json(t)
}

// list is the "data" array of a list answer.
func list(t *testing.T, body map[string]any, field string) []map[string]any {
	t.Helper()
	raw, ok := body[field].([]any)
	if !ok {
		t.Fatalf("no %s array in %v", field, body)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

// ids collects one field of each item.
func ids(items []map[string]any, field string) []string {
	var out []string
	for _, it := range items {
		out = append(out, it[field].(string))
	}
	return out
}

func has(list []string, id string) bool {
	for _, x := range list {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

// bareArray decodes a bare JSON array answer.
func bareArray(t *testing.T, e *env, path string) []map[string]any {
	t.Helper()
	r := e.do(t, http.MethodGet, path, nil)
	wantStatus(t, r, http.StatusOK)
	var out []map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("%s: not a bare array: %v: %s", path, err, r.body)
	}
	return out
}

// TestEveryOperation drives each of the spec's operations and checks its
// effect on state: a write is seen by the next read, or refused as the
// server refuses it. At the end every operation must have been called.
func TestEveryOperation(t *testing.T) {
	t.Parallel()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	rec := &opRecorder{v: v, seen: map[string]bool{}}
	clk := newClock()
	e := recordedEnv(t, rec, fake.Options{Now: clk.Now, JobDuration: time.Minute, TokenLifetime: 24 * time.Hour})
	ws := e.f.DefaultWorkspaceID()
	org := e.f.DefaultOrganizationID()
	me := e.f.DefaultUserID()

	t.Run("root", func(t *testing.T) {
		r := e.do(t, http.MethodGet, "/", nil)
		if r.status != http.StatusFound || r.header.Get("Location") == "" {
			t.Errorf("GET / = %d Location %q; want 302 with a Location", r.status, r.header.Get("Location"))
		}
		r = e.do(t, http.MethodGet, "/health", nil)
		if r.status != http.StatusOK || len(r.body) == 0 {
			t.Errorf("GET /health = %d %q; want 200 with a body", r.status, r.body)
		}
	})

	var teammate string
	t.Run("users and organizations", func(t *testing.T) {
		users := list(t, e.must(t, 200, "GET", "/users?organizationId="+org, nil), "data")
		if len(users) != 2 || !has(ids(users, "id"), me) {
			t.Fatalf("users = %v; want the default user and a teammate", users)
		}
		for _, u := range users {
			if u["id"] != me {
				teammate = u["id"].(string)
			}
		}
		// Filters: ids or emails, either matching.
		got := list(t, e.must(t, 200, "GET", "/users?organizationId="+org+"&ids="+me+"&emails=nobody@example.com", nil), "data")
		if len(got) != 1 || got[0]["id"] != me {
			t.Errorf("users by id = %v; want only %s", got, me)
		}
		got = list(t, e.must(t, 200, "GET", "/users?organizationId="+org+"&emails=teammate@example.com", nil), "data")
		if len(got) != 1 || got[0]["id"] != teammate {
			t.Errorf("users by email = %v; want the teammate", got)
		}
		orgs := list(t, e.must(t, 200, "GET", "/organizations", nil), "data")
		if len(orgs) != 1 || orgs[0]["organizationId"] != org {
			t.Errorf("organizations = %v; want %s", orgs, org)
		}
	})

	t.Run("applications", func(t *testing.T) {
		app := e.must(t, 200, "POST", "/applications", map[string]any{"name": "ci"})
		id := app["id"].(string)
		if app["clientId"] == "" || app["clientSecret"] == "" || app["createdAt"] == nil {
			t.Fatalf("new application = %v", app)
		}
		if got := ids(list(t, e.must(t, 200, "GET", "/applications", nil), "applications"), "id"); !has(got, id) || len(got) != 2 {
			t.Errorf("applications = %v; want the default one and %s", got, id)
		}
		if got := e.must(t, 200, "GET", "/applications/"+id, nil); got["clientSecret"] != app["clientSecret"] {
			t.Errorf("get = %v; want the secret in clear, as the server sends it", got)
		}
		// A token for the new application acts as the same user.
		tok := e.must(t, 200, "POST", "/applications/token", map[string]any{"client_id": app["clientId"], "client_secret": app["clientSecret"]})["access_token"].(string)
		wantStatus(t, e.call(t, tok, "GET", "/workspaces/"+ws, nil), 200)
		if got := e.must(t, 200, "DELETE", "/applications/"+id, nil); got["id"] != id {
			t.Errorf("delete answered %v; want the deleted application", got)
		}
		wantType(t, e.do(t, "GET", "/applications/"+id, nil), 404, notFound)
		wantStatus(t, e.call(t, tok, "GET", "/workspaces/"+ws, nil), 401)
	})

	var ws2 string
	t.Run("workspaces", func(t *testing.T) {
		w := e.must(t, 200, "POST", "/workspaces", map[string]any{"name": "Two", "organizationId": org,
			"notifications": map[string]any{"failure": map[string]any{"email": map[string]any{"enabled": true}}}})
		ws2 = w["workspaceId"].(string)
		n := w["notifications"].(map[string]any)["failure"].(map[string]any)
		if n["email"].(map[string]any)["enabled"] != true || n["webhook"].(map[string]any)["enabled"] != false {
			t.Errorf("notifications = %v; want email on and webhook written out off", w["notifications"])
		}
		// Repeated and comma-joined filters alike.
		for _, q := range []string{"?workspaceIds=" + ws + "&workspaceIds=" + ws2, "?workspaceIds=" + ws + "," + ws2} {
			if got := ids(list(t, e.must(t, 200, "GET", "/workspaces"+q, nil), "data"), "workspaceId"); len(got) != 2 {
				t.Errorf("/workspaces%s = %v; want both", q, got)
			}
		}
		u := e.must(t, 200, "PATCH", "/workspaces/"+ws2, map[string]any{"name": "Second",
			"notifications": map[string]any{"success": map[string]any{"webhook": map[string]any{"enabled": true, "url": "https://hook.example.com"}}}})
		if u["name"] != "Second" || u["notifications"].(map[string]any)["failure"] == nil || u["notifications"].(map[string]any)["success"] == nil {
			t.Errorf("update = %v; want the new name, failure kept and success added", u)
		}
		if got := e.must(t, 200, "GET", "/workspaces/"+ws2, nil); got["name"] != "Second" {
			t.Errorf("get after update = %v", got)
		}
	})

	var src, dst, conn, tag string
	t.Run("sources", func(t *testing.T) {
		s := e.must(t, 200, "POST", "/sources", map[string]any{"name": "pg", "workspaceId": ws,
			"configuration": map[string]any{"sourceType": "postgres", "host": "db", "password": "pw", "ssl": map[string]any{"mode": "require"}}})
		src = s["sourceId"].(string)
		// PATCH changes what it names: the name, and config keys merged.
		p := e.must(t, 200, "PATCH", "/sources/"+src, map[string]any{"configuration": map[string]any{"port": 5433, "ssl": map[string]any{"ca": "x"}}})
		cfg := p["configuration"].(map[string]any)
		if p["name"] != "pg" || cfg["host"] != "db" || cfg["port"] != float64(5433) || cfg["ssl"].(map[string]any)["mode"] != "require" {
			t.Errorf("patch = %v; want name kept and configuration deep-merged", p)
		}
		p = e.must(t, 200, "PATCH", "/sources/"+src, map[string]any{"name": "renamed"})
		if p["name"] != "renamed" || p["configuration"].(map[string]any)["port"] != float64(5433) {
			t.Errorf("patch name = %v", p)
		}
		// PUT replaces.
		p = e.must(t, 200, "PUT", "/sources/"+src, map[string]any{"name": "put", "configuration": map[string]any{"host": "other"}})
		if cfg := p["configuration"].(map[string]any); p["name"] != "put" || cfg["port"] != nil || cfg["host"] != "other" {
			t.Errorf("put = %v; want the configuration replaced", p)
		}
		if got := e.must(t, 200, "GET", "/sources/"+src, nil); got["name"] != "put" {
			t.Errorf("get after put = %v", got)
		}
		if got := ids(list(t, e.must(t, 200, "GET", "/sources?workspaceIds="+ws, nil), "data"), "sourceId"); !has(got, src) {
			t.Errorf("sources = %v; want %s", got, src)
		}
		gone := e.must(t, 200, "POST", "/sources", map[string]any{"name": "tmp", "workspaceId": ws, "configuration": map[string]any{"sourceType": "faker"}})["sourceId"].(string)
		wantStatus(t, e.do(t, "DELETE", "/sources/"+gone, nil), 204)
		if got := ids(list(t, e.must(t, 200, "GET", "/sources", nil), "data"), "sourceId"); has(got, gone) {
			t.Errorf("deleted source still listed")
		}
	})

	t.Run("destinations", func(t *testing.T) {
		d := e.must(t, 200, "POST", "/destinations", map[string]any{"name": "bq", "workspaceId": ws,
			"configuration": map[string]any{"destinationType": "bigquery", "dataset_id": "raw", "credentials_json": "{secret}"}})
		dst = d["destinationId"].(string)
		if cfg := d["configuration"].(map[string]any); cfg["credentials_json"] != "**********" || cfg["destinationType"] != nil {
			t.Errorf("configuration = %v; want the secret masked and no destinationType", cfg)
		}
		p := e.must(t, 200, "PATCH", "/destinations/"+dst, map[string]any{"name": "warehouse"})
		if p["name"] != "warehouse" || p["configuration"].(map[string]any)["dataset_id"] != "raw" {
			t.Errorf("patch = %v", p)
		}
		p = e.must(t, 200, "PUT", "/destinations/"+dst, map[string]any{"name": "wh", "configuration": map[string]any{"dataset_id": "curated"}})
		if p["configuration"].(map[string]any)["credentials_json"] != nil {
			t.Errorf("put kept a member it did not name: %v", p)
		}
		if got := e.must(t, 200, "GET", "/destinations/"+dst, nil); got["name"] != "wh" {
			t.Errorf("get after put = %v", got)
		}
		if got := ids(list(t, e.must(t, 200, "GET", "/destinations", nil), "data"), "destinationId"); !has(got, dst) {
			t.Errorf("destinations = %v", got)
		}
		gone := e.must(t, 200, "POST", "/destinations", map[string]any{"name": "tmp", "workspaceId": ws, "configuration": map[string]any{"destinationType": "e2e-test"}})["destinationId"].(string)
		wantStatus(t, e.do(t, "DELETE", "/destinations/"+gone, nil), 204)
		if got := ids(list(t, e.must(t, 200, "GET", "/destinations?includeDeleted=true", nil), "data"), "destinationId"); !has(got, gone) {
			t.Errorf("includeDeleted does not show the deleted destination")
		}
	})

	t.Run("tags", func(t *testing.T) {
		tg := e.must(t, 200, "POST", "/tags", map[string]any{"name": "finance", "color": "3B82F6", "workspaceId": ws})
		tag = tg["tagId"].(string)
		u := e.must(t, 200, "PATCH", "/tags/"+tag, map[string]any{"name": "fin", "color": "000000"})
		if u["name"] != "fin" || u["color"] != "000000" {
			t.Errorf("update = %v", u)
		}
		if got := e.must(t, 200, "GET", "/tags/"+tag, nil); got["name"] != "fin" {
			t.Errorf("get after update = %v", got)
		}
		wantType(t, e.do(t, "PATCH", "/tags/"+tag, map[string]any{"name": "fin", "color": "blue"}), 400, "error:tag-invalid-hex-color")
		wantType(t, e.do(t, "POST", "/tags", map[string]any{"name": strings.Repeat("x", 31), "color": "000000", "workspaceId": ws}), 400, "error:tag-name-too-long")
		other := e.must(t, 200, "POST", "/tags", map[string]any{"name": "other", "color": "FFFFFF", "workspaceId": ws})["tagId"].(string)
		wantType(t, e.do(t, "PATCH", "/tags/"+other, map[string]any{"name": "fin", "color": "FFFFFF"}), 409, "error:tag-already-exists")
		wantStatus(t, e.do(t, "DELETE", "/tags/"+other, nil), 204)
		if got := ids(list(t, e.must(t, 200, "GET", "/tags?workspaceIds="+ws, nil), "data"), "tagId"); len(got) != 1 || got[0] != tag {
			t.Errorf("tags = %v; want only %s", got, tag)
		}
	})

	t.Run("connections", func(t *testing.T) {
		// A source with a catalog.
		faker := e.must(t, 200, "POST", "/sources", map[string]any{"name": "faker", "workspaceId": ws, "configuration": map[string]any{"sourceType": "faker"}})["sourceId"].(string)
		c := e.must(t, 200, "POST", "/connections", map[string]any{"sourceId": faker, "destinationId": dst, "name": "c",
			"schedule":       map[string]any{"scheduleType": "cron", "cronExpression": "0 0 12 * * ?"},
			"configurations": map[string]any{"streams": []any{map[string]any{"name": "users", "syncMode": "incremental_append"}}},
			"tags":           []any{map[string]any{"tagId": tag, "name": "fin", "color": "000000", "workspaceId": ws}},
			// An SDK habit: explicit nulls for what it does not set.
			"namespaceFormat": nil})
		conn = c["connectionId"].(string)
		if sc := c["schedule"].(map[string]any); sc["cronExpression"] != "0 0 12 * * ? UTC" {
			t.Errorf("schedule = %v; want the expression read back with its time zone", sc)
		}
		streams := c["configurations"].(map[string]any)["streams"].([]any)
		if len(streams) != 1 || streams[0].(map[string]any)["cursorField"] == nil {
			t.Errorf("streams = %v; want users with its default cursor", streams)
		}
		if _, ok := c["namespaceFormat"]; ok {
			t.Errorf("namespaceFormat written though null: %v", c)
		}
		if tags := c["tags"].([]any); len(tags) != 1 {
			t.Errorf("tags = %v", tags)
		}
		wantType(t, e.do(t, "POST", "/connections", map[string]any{"sourceId": faker, "destinationId": dst,
			"schedule": map[string]any{"scheduleType": "cron", "cronExpression": "every day"}}), 400, "https://reference.airbyte.com/reference/errors#bad-request")
		wantType(t, e.do(t, "POST", "/connections", map[string]any{"sourceId": faker, "destinationId": dst,
			"configurations": map[string]any{"streams": []any{map[string]any{"name": "nope"}}}}), 400, "https://reference.airbyte.com/reference/errors#bad-request")
		// Cloud runs a connection at most once an hour.
		p := wantType(t, e.do(t, "POST", "/connections", map[string]any{"sourceId": faker, "destinationId": dst,
			"schedule": map[string]any{"scheduleType": "cron", "cronExpression": "0 */5 * * * ?"}}), 400, "error:cron-validation/under-one-hour-not-allowed")
		if d, _ := p["data"].(map[string]any); d["cronExpression"] != "0 */5 * * * ?" {
			t.Errorf("data = %v; want the expression", p["data"])
		}
		// Without streams every stream of the catalog, full refresh.
		all := e.must(t, 200, "POST", "/connections", map[string]any{"sourceId": faker, "destinationId": dst})
		if streams := all["configurations"].(map[string]any)["streams"].([]any); len(streams) != 3 {
			t.Errorf("default streams = %v; want the three of the catalog", streams)
		}
		// PATCH changes what it names.
		p = e.must(t, 200, "PATCH", "/connections/"+conn, map[string]any{"name": "renamed", "schedule": map[string]any{"scheduleType": "manual"}, "namespaceFormat": nil, "tags": []any{}})
		if p["name"] != "renamed" || p["schedule"].(map[string]any)["scheduleType"] != "manual" || len(p["tags"].([]any)) != 0 || p["status"] != "active" {
			t.Errorf("patch = %v", p)
		}
		if got := e.must(t, 200, "GET", "/connections/"+conn, nil); got["name"] != "renamed" {
			t.Errorf("get after patch = %v", got)
		}
		e.must(t, 200, "PATCH", "/connections/"+conn, map[string]any{"tags": []any{map[string]any{"tagId": tag, "name": "fin", "color": "000000", "workspaceId": ws}}})
		// tagIds filter: repeated or joined.
		for _, q := range []string{"?tagIds=" + tag, "?tagIds=" + tag + "&tagIds=" + randomUUID, "?tagIds=" + tag + "," + randomUUID} {
			if got := ids(list(t, e.must(t, 200, "GET", "/connections"+q, nil), "data"), "connectionId"); len(got) != 1 || got[0] != conn {
				t.Errorf("/connections%s = %v; want only %s", q, got, conn)
			}
		}
		gone := all["connectionId"].(string)
		wantStatus(t, e.do(t, "DELETE", "/connections/"+gone, nil), 204)
		if got := e.must(t, 200, "GET", "/connections/"+gone, nil); got["status"] != "deprecated" {
			t.Errorf("deleted connection = %v; want deprecated", got["status"])
		}
	})

	t.Run("streams", func(t *testing.T) {
		faker := e.must(t, 200, "POST", "/sources", map[string]any{"name": "f", "workspaceId": ws, "configuration": map[string]any{"sourceType": "faker"}})["sourceId"].(string)
		r := e.do(t, "GET", "/streams?sourceId="+faker, nil)
		var props []map[string]any
		if err := json.Unmarshal(r.body, &props); err != nil || len(props) != 3 {
			t.Fatalf("streams = %s; want three", r.body)
		}
		if _, ok := props[0]["syncModes"]; ok {
			t.Errorf("syncModes without a destination: %v", props[0])
		}
		r = e.do(t, "GET", "/streams?sourceId="+faker+"&destinationId="+dst, nil)
		if err := json.Unmarshal(r.body, &props); err != nil || props[0]["syncModes"] == nil {
			t.Errorf("streams with a destination = %s; want sync modes", r.body)
		}
	})

	t.Run("jobs", func(t *testing.T) {
		j := e.must(t, 200, "POST", "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"})
		id := strconv.FormatInt(int64(j["jobId"].(float64)), 10)
		if got := e.must(t, 200, "GET", "/jobs/"+id, nil); got["status"] != "pending" {
			t.Errorf("job = %v; want pending", got)
		}
		if got := list(t, e.must(t, 200, "GET", "/jobs?connectionId="+conn, nil), "data"); len(got) != 1 {
			t.Errorf("jobs = %v", got)
		}
		if got := e.must(t, 200, "DELETE", "/jobs/"+id, nil); got["status"] != "cancelled" {
			t.Errorf("cancel = %v", got)
		}
	})

	t.Run("permissions", func(t *testing.T) {
		p := e.must(t, 200, "POST", "/permissions", map[string]any{"userId": teammate, "workspaceId": ws, "permissionType": "workspace_reader"})
		pid := p["permissionId"].(string)
		// Granting the same again answers the same row.
		if again := e.must(t, 200, "POST", "/permissions", map[string]any{"userId": teammate, "workspaceId": ws, "permissionType": "workspace_reader"}); again["permissionId"] != pid {
			t.Errorf("repeated grant = %v; want %s", again, pid)
		}
		wantType(t, e.do(t, "POST", "/permissions", map[string]any{"userId": teammate, "permissionType": "workspace_reader"}), 400, "https://reference.airbyte.com/reference/errors#bad-request")
		if got := e.must(t, 200, "GET", "/permissions/"+pid, nil); got["workspaceId"] != ws || got["organizationId"] != nil {
			t.Errorf("get = %v", got)
		}
		if got := e.must(t, 200, "PATCH", "/permissions/"+pid, map[string]any{"permissionType": "workspace_editor"}); got["permissionType"] != "workspace_editor" {
			t.Errorf("update = %v", got)
		}
		// Someone else's: organization rows only, organizationId needed.
		wantStatus(t, e.do(t, "GET", "/permissions?userId="+teammate, nil), 400)
		other := list(t, e.must(t, 200, "GET", "/permissions?userId="+teammate+"&organizationId="+org, nil), "data")
		if len(other) != 1 || other[0]["scope"] != "organization" {
			t.Errorf("teammate's permissions = %v; want the organization one only", other)
		}
		mine := list(t, e.must(t, 200, "GET", "/permissions", nil), "data")
		if len(mine) != 1 || mine[0]["permissionType"] != "organization_admin" || mine[0]["scopeId"] != org {
			t.Errorf("own permissions = %v", mine)
		}
		wantStatus(t, e.do(t, "DELETE", "/permissions/"+pid, nil), 204)
		wantErrorID(t, e.do(t, "GET", "/permissions/"+pid, nil), 500)
		// The last organization admin cannot go.
		wantType(t, e.do(t, "DELETE", "/permissions/"+mine[0]["permissionId"].(string), nil), 409, "https://reference.airbyte.com/reference/errors#409-state-conflict")
	})

	t.Run("groups", func(t *testing.T) {
		g := e.must(t, 201, "POST", "/groups", map[string]any{"name": "Data", "organizationId": org})
		gid := g["groupId"].(string)
		if g["memberCount"] != float64(0) {
			t.Errorf("new group = %v", g)
		}
		if _, ok := g["description"]; ok {
			t.Errorf("description written though not given: %v", g)
		}
		wantType(t, e.do(t, "POST", "/groups", map[string]any{"name": "DATA", "organizationId": org}), 409, "error:group-already-exists")
		if u := e.must(t, 200, "PATCH", "/groups/"+gid, map[string]any{"description": "analysts"}); u["name"] != "Data" || u["description"] != "analysts" {
			t.Errorf("update = %v", u)
		}
		if got := list(t, e.must(t, 200, "GET", "/groups?organizationId="+org, nil), "data"); len(got) != 1 {
			t.Errorf("groups = %v", got)
		}
		m := e.must(t, 201, "POST", "/groups/"+gid+"/members", map[string]any{"userId": teammate})
		if m["userEmail"] != "teammate@example.com" {
			t.Errorf("member = %v", m)
		}
		wantType(t, e.do(t, "POST", "/groups/"+gid+"/members", map[string]any{"userId": teammate}), 409, "error:group-member-already-exists")
		if got := e.must(t, 200, "GET", "/groups/"+gid, nil); got["memberCount"] != float64(1) {
			t.Errorf("group after add = %v", got)
		}
		if got := list(t, e.must(t, 200, "GET", "/groups/"+gid+"/members", nil), "data"); len(got) != 1 {
			t.Errorf("members = %v", got)
		}
		gp := e.must(t, 201, "POST", "/groups/"+gid+"/permissions", map[string]any{"workspaceId": ws, "permissionType": "workspace_source_editor"})
		// The group's permission is the teammate's now: it may write sources.
		if got := list(t, e.must(t, 200, "GET", "/groups/"+gid+"/permissions", nil), "data"); len(got) != 1 || got[0]["permissionType"] != "workspace_source_editor" {
			t.Errorf("group permissions = %v", got)
		}
		wantStatus(t, e.do(t, "POST", "/groups/"+gid+"/permissions", map[string]any{"workspaceId": ws, "permissionType": "workspace_source_editor"}), 400)
		wantStatus(t, e.do(t, "DELETE", "/groups/"+gid+"/permissions/"+gp["permissionId"].(string), nil), 204)
		wantStatus(t, e.do(t, "DELETE", "/groups/"+gid+"/members/"+teammate, nil), 204)
		if got := e.must(t, 200, "GET", "/groups/"+gid, nil); got["memberCount"] != float64(0) {
			t.Errorf("group after remove = %v", got)
		}
		wantStatus(t, e.do(t, "DELETE", "/groups/"+gid, nil), 204)
		wantType(t, e.do(t, "GET", "/groups/"+gid, nil), 404, notFound)
	})

	t.Run("regions and dataplanes", func(t *testing.T) {
		r := e.must(t, 200, "POST", "/regions", map[string]any{"name": "eu-west", "organizationId": org})
		rid := r["regionId"].(string)
		if r["enabled"] != true || r["createdAt"] != "2026-05-05T09:00Z" {
			t.Errorf("region = %v; want enabled and Java's timestamp", r)
		}
		clk.Advance(90 * time.Second)
		if u := e.must(t, 200, "PATCH", "/regions/"+rid, map[string]any{"enabled": false}); u["enabled"] != false || u["name"] != "eu-west" || u["updatedAt"] != "2026-05-05T09:01:30Z" {
			t.Errorf("update = %v", u)
		}
		if got := e.must(t, 200, "GET", "/regions/"+rid, nil); got["enabled"] != false {
			t.Errorf("get = %v", got)
		}
		if got := bareArray(t, e, "/regions?organizationId="+org); len(got) != 1 {
			t.Errorf("regions = %v", got)
		}
		d := e.must(t, 200, "POST", "/dataplanes", map[string]any{"name": "dp1", "regionId": rid})
		did := d["dataplaneId"].(string)
		if d["clientId"] == "" || d["clientSecret"] == "" {
			t.Errorf("dataplane = %v; want credentials", d)
		}
		if u := e.must(t, 200, "PATCH", "/dataplanes/"+did, map[string]any{"name": "dp-one"}); u["name"] != "dp-one" {
			t.Errorf("update = %v", u)
		}
		if got := e.must(t, 200, "GET", "/dataplanes/"+did, nil); got["name"] != "dp-one" {
			t.Errorf("get = %v", got)
		}
		for _, q := range []string{"", "?regionIds=" + rid, "?regionIds=" + rid + "&regionIds=" + rid} {
			if got := bareArray(t, e, "/dataplanes"+q); len(got) != 1 {
				t.Errorf("/dataplanes%s = %v", q, got)
			}
		}
		e.must(t, 200, "DELETE", "/dataplanes/"+did, nil)
		if got := bareArray(t, e, "/dataplanes"); len(got) != 0 {
			t.Errorf("dataplanes after delete = %v", got)
		}
		e.must(t, 200, "DELETE", "/regions/"+rid, nil)
		if got := bareArray(t, e, "/regions?organizationId="+org); len(got) != 0 {
			t.Errorf("regions after delete = %v", got)
		}
		wantErrorID(t, e.do(t, "GET", "/regions/"+randomUUID, nil), 500)
	})

	t.Run("oauth", func(t *testing.T) {
		body := map[string]any{"actorType": "source", "name": "github", "configuration": map[string]any{"client_id": "c", "client_secret": "s"}}
		wantStatus(t, e.do(t, "PUT", "/workspaces/"+ws+"/oauthCredentials", body), 200)
		wantStatus(t, e.do(t, "DELETE", "/workspaces/"+ws+"/oauthCredentials/source/github", nil), 204)
		wantStatus(t, e.do(t, "DELETE", "/workspaces/"+ws+"/oauthCredentials/source/github", nil), 404)
		wantStatus(t, e.do(t, "PUT", "/organizations/"+org+"/oauthCredentials", body), 200)
		wantStatus(t, e.do(t, "DELETE", "/organizations/"+org+"/oauthCredentials/source/github", nil), 204)
		wantStatus(t, e.do(t, "DELETE", "/organizations/"+org+"/oauthCredentials/source/github", nil), 404)

		start := e.must(t, 200, "POST", "/sources/initiateOAuth", map[string]any{"workspaceId": ws, "sourceType": "github", "redirectUrl": "https://app.example.com/done"})
		consent, err := url.Parse(start["redirectUrl"].(string))
		if err != nil {
			t.Fatal(err)
		}
		state := consent.Query().Get("state")
		r := e.call(t, "", "GET", "/oauth/callback?state="+state+"&code=abc", nil)
		if loc := r.header.Get("Location"); r.status != http.StatusFound || !strings.HasPrefix(loc, "https://app.example.com/done?secret_id=") {
			t.Errorf("callback = %d %q; want a redirect with a secret id", r.status, loc)
		}
		// A state is good once.
		wantStatus(t, e.call(t, "", "GET", "/oauth/callback?state="+state, nil), 500)
		wantStatus(t, e.do(t, "POST", "/sources/initiateOAuth", map[string]any{"workspaceId": ws, "sourceType": "github", "redirectUrl": "http://insecure"}), 422)
	})

	t.Run("embedded", func(t *testing.T) {
		orgs := list(t, e.must(t, 200, "GET", "/embedded/organizations", nil), "organizations")
		if len(orgs) != 1 || orgs[0]["permission"] != "organization_admin" {
			t.Errorf("embedded organizations = %v", orgs)
		}
		tok := e.must(t, 200, "POST", "/embedded/scoped_token", map[string]any{"workspaceId": ws})["token"].(string)
		parts := strings.Split(tok, ".")
		claims, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil || !strings.Contains(string(claims), ws) {
			t.Errorf("scoped token claims = %s, %v; want the workspace", claims, err)
		}
		w := e.must(t, 200, "POST", "/embedded/widget_token", map[string]any{"organizationId": org, "externalUserId": "customer-7", "allowedOrigin": "https://app.example.com"})
		inner, err := base64.StdEncoding.DecodeString(w["token"].(string))
		if err != nil || !strings.Contains(string(inner), "widgetUrl") {
			t.Errorf("widget token = %s, %v", inner, err)
		}
		// The external user got a workspace of its own.
		names := []string{}
		for _, w := range list(t, e.must(t, 200, "GET", "/workspaces", nil), "data") {
			names = append(names, w["name"].(string))
		}
		if !has(names, "customer-7") {
			t.Errorf("workspaces = %v; want one for customer-7", names)
		}
	})

	t.Run("definitions on Cloud", func(t *testing.T) {
		defs := list(t, e.must(t, 200, "GET", "/workspaces/"+ws+"/definitions/sources", nil), "data")
		if !has(ids(defs, "id"), "decd338e-5647-4c0b-adf4-da0e75f5a750") {
			t.Errorf("source definitions lack the built-in postgres: %v", defs)
		}
		if got := e.must(t, 200, "GET", "/workspaces/"+ws+"/definitions/destinations/22f6c74f-5699-40ff-833c-4a879ea40133", nil); got["name"] != "BigQuery" {
			t.Errorf("bigquery definition = %v", got)
		}
		// Cloud takes only declarative definitions.
		wantStatus(t, e.do(t, "POST", "/workspaces/"+ws+"/definitions/sources", map[string]any{"name": "x", "dockerRepository": "a/b", "dockerImageTag": "1"}), 400)
		wantStatus(t, e.do(t, "DELETE", "/workspaces/"+ws+"/definitions/sources/decd338e-5647-4c0b-adf4-da0e75f5a750", nil), 400)
	})

	t.Run("declarative definitions", func(t *testing.T) {
		manifest := map[string]any{"version": "6.0.0", "spec": map[string]any{"connection_specification": map[string]any{"type": "object"}}}
		d := e.must(t, 200, "POST", "/workspaces/"+ws+"/definitions/declarative_sources", map[string]any{"name": "mine", "manifest": manifest})
		id := d["id"].(string)
		if d["version"] != float64(1) {
			t.Errorf("created = %v", d)
		}
		wantStatus(t, e.do(t, "POST", "/workspaces/"+ws+"/definitions/declarative_sources", map[string]any{"name": "bad", "manifest": map[string]any{}}), 500)
		if u := e.must(t, 200, "PUT", "/workspaces/"+ws+"/definitions/declarative_sources/"+id, map[string]any{"manifest": manifest}); u["version"] != float64(2) {
			t.Errorf("update = %v; want version 2", u)
		}
		if got := e.must(t, 200, "GET", "/workspaces/"+ws+"/definitions/declarative_sources/"+id, nil); got["version"] != float64(2) {
			t.Errorf("get = %v", got)
		}
		if got := list(t, e.must(t, 200, "GET", "/workspaces/"+ws+"/definitions/declarative_sources", nil), "data"); len(got) != 1 {
			t.Errorf("list = %v", got)
		}
		conns := list(t, e.must(t, 200, "GET", "/connector_definitions?type=source&workspaceId="+ws, nil), "data")
		if !has(ids(conns, "id"), id) || !has(ids(conns, "id"), "dfd88b22-b603-4c3d-aad7-3701784586b1") {
			t.Errorf("connector definitions = %v; want faker and the declarative one", ids(conns, "id"))
		}
		// A source built on it goes with it.
		s := e.must(t, 200, "POST", "/sources", map[string]any{"name": "decl", "workspaceId": ws, "definitionId": id, "configuration": map[string]any{}})["sourceId"].(string)
		e.must(t, 200, "DELETE", "/workspaces/"+ws+"/definitions/declarative_sources/"+id, nil)
		wantStatus(t, e.do(t, "GET", "/workspaces/"+ws+"/definitions/declarative_sources/"+id, nil), 404)
		if got := ids(list(t, e.must(t, 200, "GET", "/sources", nil), "data"), "sourceId"); has(got, s) {
			t.Errorf("the source of a deleted definition is still listed")
		}
	})

	t.Run("definitions on the community edition", func(t *testing.T) {
		c := recordedEnv(t, &opRecorder{v: v, seen: rec.seen}, fake.Options{Edition: fake.EditionCommunity})
		cws := c.f.DefaultWorkspaceID()
		for _, kind := range []string{"sources", "destinations"} {
			base := "/workspaces/" + cws + "/definitions/" + kind
			d := c.must(t, 200, "POST", base, map[string]any{"name": "custom", "dockerRepository": "me/" + kind, "dockerImageTag": "0.1"})
			id := d["id"].(string)
			if d["documentationUrl"] != "" {
				t.Errorf("documentationUrl = %v; want \"\" when not given", d["documentationUrl"])
			}
			if u := c.must(t, 200, "PUT", base+"/"+id, map[string]any{"name": "renamed", "dockerImageTag": "0.2"}); u["dockerImageTag"] != "0.2" || u["name"] != "renamed" {
				t.Errorf("update = %v", u)
			}
			if got := c.must(t, 200, "GET", base+"/"+id, nil); got["name"] != "renamed" {
				t.Errorf("get = %v", got)
			}
			if got := ids(list(t, c.must(t, 200, "GET", base, nil), "data"), "id"); !has(got, id) || len(got) < 5 {
				t.Errorf("list = %v; want the built-ins and %s", got, id)
			}
			if got := c.must(t, 200, "DELETE", base+"/"+id, nil); got["id"] != id {
				t.Errorf("delete = %v", got)
			}
			wantStatus(t, c.do(t, "GET", base+"/"+id, nil), 404)
		}
	})

	t.Run("workspace delete cascades", func(t *testing.T) {
		s := e.must(t, 200, "POST", "/sources", map[string]any{"name": "s", "workspaceId": ws2, "configuration": map[string]any{"sourceType": "faker"}})["sourceId"].(string)
		wantStatus(t, e.do(t, "DELETE", "/workspaces/"+ws2, nil), 204)
		wantType(t, e.do(t, "GET", "/workspaces/"+ws2, nil), 404, notFound)
		if got := ids(list(t, e.must(t, 200, "GET", "/workspaces", nil), "data"), "workspaceId"); has(got, ws2) {
			t.Errorf("deleted workspace listed")
		}
		if got := ids(list(t, e.must(t, 200, "GET", "/workspaces?includeDeleted=true", nil), "data"), "workspaceId"); !has(got, ws2) {
			t.Errorf("includeDeleted does not show the deleted workspace")
		}
		if got := e.must(t, 200, "GET", "/sources/"+s, nil); len(got["configuration"].(map[string]any)) != 0 {
			t.Errorf("source of a deleted workspace = %v; want deleted", got)
		}
	})

	var missing []string
	for path, item := range v.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			if !rec.seen[op.OperationID] {
				missing = append(missing, op.OperationID+" ("+method+" "+path+")")
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations never called: %v", missing)
	}
}
