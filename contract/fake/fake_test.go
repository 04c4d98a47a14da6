package fake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// clock is a goroutine-safe manual clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a fake served over HTTP plus a token for it.
type env struct {
	f      *fake.Server
	srv    *httptest.Server
	client *http.Client
	token  string
}

func newServer(t *testing.T, opts fake.Options) *env {
	t.Helper()
	f, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &env{f: f, srv: srv, client: srv.Client()}
}

// newEnv is newServer with a token already fetched.
func newEnv(t *testing.T, opts fake.Options) *env {
	t.Helper()
	e := newServer(t, opts)
	e.token = e.fetchToken(t)
	return e
}

func (e *env) url(path string) string { return e.srv.URL + fake.BasePath + path }

func (e *env) fetchToken(t *testing.T) string {
	t.Helper()
	res := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{
		"client_id": e.f.ClientID(), "client_secret": e.f.ClientSecret(),
	})
	if res.status != http.StatusOK {
		t.Fatalf("token: status %d: %s", res.status, res.body)
	}
	tok, _ := res.json(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("token: no access_token in %s", res.body)
	}
	return tok
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// do sends an authenticated request with e's token.
func (e *env) do(t *testing.T, method, path string, body any) result {
	t.Helper()
	return e.call(t, e.token, method, path, body)
}

// call sends a request with the given token ("" for none). A body that is
// a string or []byte is sent as it is, anything else as JSON.
func (e *env) call(t *testing.T, token, method, path string, body any) result {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.url(path), rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, e.client, req)
}

func send(t *testing.T, c *http.Client, req *http.Request) result {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// wantProblem checks that r is a problem body with the given status and
// returns it.
func wantProblem(t *testing.T, r result, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d; want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q; want application/json", ct)
	}
	p := r.json(t)
	if got, _ := p["status"].(float64); int(got) != status {
		t.Errorf("problem status = %v; want %d", p["status"], status)
	}
	if title, _ := p["title"].(string); title == "" {
		t.Errorf("problem has no title: %s", r.body)
	}
	return p
}

func wantStatus(t *testing.T, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d; want %d; body %s", r.status, status, r.body)
	}
}

func createSource(t *testing.T, e *env, ws, name string) map[string]any {
	t.Helper()
	r := e.do(t, http.MethodPost, "/sources", map[string]any{
		"name": name, "workspaceId": ws,
		"configuration": map[string]any{"sourceType": "postgres", "host": "db", "password": "pw"},
	})
	wantStatus(t, r, http.StatusOK)
	return r.json(t)
}

// connection creates a source, a destination and a connection between them
// and returns the connection's ID.
func connection(t *testing.T, e *env) string {
	t.Helper()
	ws := e.f.DefaultWorkspaceID()
	src := createSource(t, e, ws, "Shop Postgres")
	r := e.do(t, http.MethodPost, "/destinations", map[string]any{
		"name": "Warehouse", "workspaceId": ws, "configuration": map[string]any{"destinationType": "bigquery"},
	})
	wantStatus(t, r, http.StatusOK)
	dst := r.json(t)
	r = e.do(t, http.MethodPost, "/connections", map[string]any{"sourceId": src["sourceId"], "destinationId": dst["destinationId"]})
	wantStatus(t, r, http.StatusOK)
	c := r.json(t)
	id, _ := c["connectionId"].(string)
	if id == "" {
		t.Fatalf("connection without connectionId: %s", r.body)
	}
	return id
}

func startJob(t *testing.T, e *env, conn string) int64 {
	t.Helper()
	r := e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"})
	wantStatus(t, r, http.StatusOK)
	j := r.json(t)
	id, ok := j["jobId"].(float64)
	if !ok || id <= 0 {
		t.Fatalf("job without jobId: %s", r.body)
	}
	return int64(id)
}

func getJob(t *testing.T, e *env, id int64) map[string]any {
	t.Helper()
	r := e.do(t, http.MethodGet, "/jobs/"+strconv.FormatInt(id, 10), nil)
	wantStatus(t, r, http.StatusOK)
	return r.json(t)
}

func num(m map[string]any, k string) int64 {
	f, _ := m[k].(float64)
	return int64(f)
}

const randomUUID = "0b6c2f0e-7d41-4a8e-9c35-5e1f2a3b4c5d"

func TestToken(t *testing.T) {
	t.Parallel()
	clk := newClock()
	const lifetime = 90 * time.Second
	e := newServer(t, fake.Options{ClientID: "my-id", ClientSecret: "my-secret", TokenLifetime: lifetime, Now: clk.Now})
	if e.f.ClientID() != "my-id" || e.f.ClientSecret() != "my-secret" {
		t.Fatalf("ClientID/ClientSecret = %q/%q; want the configured ones", e.f.ClientID(), e.f.ClientSecret())
	}

	t.Run("valid credentials", func(t *testing.T) {
		r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{
			"client_id": "my-id", "client_secret": "my-secret", "grant-type": "client_credentials",
		})
		wantStatus(t, r, http.StatusOK)
		body := r.json(t)
		if tok, _ := body["access_token"].(string); tok == "" {
			t.Errorf("access_token missing: %s", r.body)
		}
		if body["token_type"] != "Bearer" {
			t.Errorf("token_type = %v; want Bearer", body["token_type"])
		}
		if got := num(body, "expires_in"); got != int64(lifetime/time.Second) {
			t.Errorf("expires_in = %v; want %d", body["expires_in"], int64(lifetime/time.Second))
		}
	})

	for _, tc := range []struct {
		name     string
		id, secr string
	}{
		{"wrong secret", "my-id", "nope"},
		{"wrong id", "other-id", "my-secret"},
		{"default credentials not accepted when overridden", fake.DefaultClientID, fake.DefaultClientSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": tc.id, "client_secret": tc.secr})
			p := wantProblem(t, r, http.StatusUnauthorized)
			if p["title"] != "Unauthorized" || strings.Contains(string(r.body), "access_token") {
				t.Errorf("401 body = %s; want an Unauthorized problem without a token", r.body)
			}
		})
	}

	tok := e.fetchToken(t)
	for _, tc := range []struct {
		name   string
		header string
	}{
		{"no Authorization header", ""},
		{"unknown token", "Bearer fake.0123456789abcdef"},
		{"not a bearer token", "Basic " + tok},
		{"bearer without token", "Bearer "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.url("/workspaces"), nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			p := wantProblem(t, send(t, e.client, req), http.StatusUnauthorized)
			if p["title"] != "Unauthorized" {
				t.Errorf("title = %v; want Unauthorized", p["title"])
			}
		})
	}

	// The token works until its lifetime has passed, then never again.
	t.Run("expiry", func(t *testing.T) {
		wantStatus(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusOK)
		clk.Advance(lifetime - time.Second)
		wantStatus(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusOK)
		clk.Advance(time.Second)
		wantProblem(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusUnauthorized)
		clk.Advance(time.Hour)
		wantProblem(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusUnauthorized)
		// A fresh token works again.
		wantStatus(t, e.call(t, e.fetchToken(t), http.MethodGet, "/workspaces", nil), http.StatusOK)
	})
}

// TestTokenRealTimeExpiry uses the real clock: a token with a lifetime of a
// few milliseconds stops working soon after.
func TestTokenRealTimeExpiry(t *testing.T) {
	t.Parallel()
	e := newServer(t, fake.Options{TokenLifetime: 20 * time.Millisecond})
	tok := e.fetchToken(t)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.call(t, tok, http.MethodGet, "/workspaces", nil)
		if r.status == http.StatusUnauthorized {
			wantProblem(t, r, http.StatusUnauthorized)
			return
		}
		wantStatus(t, r, http.StatusOK)
		if time.Now().After(deadline) {
			t.Fatal("token still accepted 5s after a 20ms lifetime")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDefaultsAndWorkspaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	if e.f.ClientID() != fake.DefaultClientID || e.f.ClientSecret() != fake.DefaultClientSecret {
		t.Errorf("default credentials = %q/%q", e.f.ClientID(), e.f.ClientSecret())
	}
	r := e.do(t, http.MethodGet, "/workspaces", nil)
	wantStatus(t, r, http.StatusOK)
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || page.Data[0]["workspaceId"] != e.f.DefaultWorkspaceID() || page.Data[0]["name"] != "Default Workspace" {
		t.Fatalf("workspaces = %s; want only the default workspace %s", r.body, e.f.DefaultWorkspaceID())
	}
	r = e.do(t, http.MethodGet, "/workspaces/"+e.f.DefaultWorkspaceID(), nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.json(t)["workspaceId"]; got != e.f.DefaultWorkspaceID() {
		t.Errorf("getWorkspace id = %v", got)
	}
	r = e.do(t, http.MethodPost, "/workspaces", map[string]any{"name": "Second"})
	wantStatus(t, r, http.StatusOK)
	ws := r.json(t)
	if ws["name"] != "Second" || ws["workspaceId"] == e.f.DefaultWorkspaceID() {
		t.Errorf("created workspace = %s", r.body)
	}
	r = e.do(t, http.MethodGet, "/workspaces/"+ws["workspaceId"].(string), nil)
	wantStatus(t, r, http.StatusOK)
}

func TestSourceLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	src := createSource(t, e, ws, "Shop")
	id, _ := src["sourceId"].(string)
	if id == "" || src["sourceType"] != "postgres" || src["workspaceId"] != ws || src["name"] != "Shop" {
		t.Fatalf("created source = %v", src)
	}
	cfg, _ := src["configuration"].(map[string]any)
	if cfg["password"] != "**********" || cfg["host"] != "db" {
		t.Errorf("configuration = %v; want password masked and host kept", cfg)
	}
	// IDs are case-insensitive.
	r := e.do(t, http.MethodGet, "/sources/"+strings.ToUpper(id), nil)
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["sourceId"] != id {
		t.Errorf("get by upper-case id returned %s", r.body)
	}
	wantStatus(t, e.do(t, http.MethodDelete, "/sources/"+id, nil), http.StatusNoContent)
	wantProblem(t, e.do(t, http.MethodGet, "/sources/"+id, nil), http.StatusNotFound)
	wantProblem(t, e.do(t, http.MethodDelete, "/sources/"+id, nil), http.StatusNotFound)
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	for _, tc := range []struct {
		method, path, kind, id string
	}{
		{http.MethodGet, "/sources/" + randomUUID, "source", randomUUID},
		{http.MethodGet, "/connections/" + randomUUID, "connection", randomUUID},
		{http.MethodGet, "/destinations/" + randomUUID, "destination", randomUUID},
		{http.MethodGet, "/workspaces/" + randomUUID, "workspace", randomUUID},
		{http.MethodGet, "/tags/" + randomUUID, "tag", randomUUID},
		{http.MethodGet, "/jobs/987654321", "job", "987654321"},
		{http.MethodDelete, "/jobs/987654321", "job", "987654321"},
		{http.MethodDelete, "/connections/" + randomUUID, "connection", randomUUID},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			p := wantProblem(t, e.do(t, tc.method, tc.path, nil), http.StatusNotFound)
			if p["title"] != "resource-not-found" {
				t.Errorf("title = %v; want resource-not-found", p["title"])
			}
			if d, _ := p["detail"].(string); !strings.Contains(d, tc.id) || !strings.Contains(d, tc.kind) {
				t.Errorf("detail = %q; want it to name the %s %s", d, tc.kind, tc.id)
			}
			data, _ := p["data"].(map[string]any)
			if data["id"] != tc.id || data["resourceType"] != tc.kind {
				t.Errorf("data = %v; want id %s, resourceType %s", data, tc.id, tc.kind)
			}
		})
	}

	t.Run("references", func(t *testing.T) {
		t.Parallel()
		ws := e.f.DefaultWorkspaceID()
		for _, tc := range []struct {
			path string
			body map[string]any
			kind string
		}{
			{"/sources", map[string]any{"name": "x", "workspaceId": randomUUID, "configuration": map[string]any{"sourceType": "postgres"}}, "workspace"},
			{"/destinations", map[string]any{"name": "x", "workspaceId": randomUUID, "configuration": map[string]any{"destinationType": "bigquery"}}, "workspace"},
			{"/connections", map[string]any{"sourceId": randomUUID, "destinationId": randomUUID}, "source"},
			{"/jobs", map[string]any{"connectionId": randomUUID, "jobType": "sync"}, "connection"},
			{"/tags", map[string]any{"name": "t", "color": "3B82F6", "workspaceId": randomUUID}, "workspace"},
		} {
			p := wantProblem(t, e.do(t, http.MethodPost, tc.path, tc.body), http.StatusNotFound)
			if d, _ := p["detail"].(string); !strings.Contains(d, tc.kind) {
				t.Errorf("POST %s: detail = %q; want it to name a %s", tc.path, d, tc.kind)
			}
		}
		// A connection to a real source and a missing destination.
		src := createSource(t, e, ws, "s")
		p := wantProblem(t, e.do(t, http.MethodPost, "/connections", map[string]any{"sourceId": src["sourceId"], "destinationId": randomUUID}), http.StatusNotFound)
		if data, _ := p["data"].(map[string]any); data["resourceType"] != "destination" {
			t.Errorf("data = %v; want a missing destination", p["data"])
		}
	})

	t.Run("outside the API", func(t *testing.T) {
		t.Parallel()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+"/v1/workspaces", nil)
		p := wantProblem(t, send(t, e.client, req), http.StatusNotFound)
		if d, _ := p["detail"].(string); !strings.Contains(d, fake.BasePath) {
			t.Errorf("detail = %q; want it to name %s", d, fake.BasePath)
		}
		// A path the spec does not have, even without a token.
		wantProblem(t, e.call(t, "", http.MethodGet, "/no-such-thing", nil), http.StatusNotFound)
	})
}

func TestConflictWhileSyncRuns(t *testing.T) {
	t.Parallel()
	clk := newClock()
	e := newEnv(t, fake.Options{JobDuration: time.Minute, Now: clk.Now})
	conn := connection(t, e)
	first := startJob(t, e, conn)

	for _, c := range []string{conn, strings.ToUpper(conn)} {
		p := wantProblem(t, e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": c, "jobType": "sync"}), http.StatusConflict)
		if d, _ := p["detail"].(string); !strings.Contains(d, strconv.FormatInt(first, 10)) {
			t.Errorf("detail = %q; want it to name job %d", d, first)
		}
		if data, _ := p["data"].(map[string]any); num(data, "jobId") != first {
			t.Errorf("data = %v; want jobId %d", p["data"], first)
		}
	}
	// Still running halfway through.
	clk.Advance(30 * time.Second)
	wantProblem(t, e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"}), http.StatusConflict)

	// Once the job has ended, a new one may start.
	clk.Advance(30 * time.Second)
	second := startJob(t, e, conn)
	if second == first {
		t.Errorf("second job has the same id %d", first)
	}
	// A cancelled job frees the connection too.
	r := e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(second, 10), nil)
	wantStatus(t, r, http.StatusOK)
	if st := r.json(t)["status"]; st != "cancelled" {
		t.Errorf("cancelled job status = %v", st)
	}
	startJob(t, e, conn)

	// Another connection is independent.
	startJob(t, e, connection(t, e))
}

func TestUnprocessableConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	for _, tc := range []struct {
		path  string
		cfg   map[string]any
		field string
	}{
		{"/sources", map[string]any{"host": "db"}, "configuration.sourceType"},
		{"/sources", map[string]any{"sourceType": ""}, "configuration.sourceType"},
		{"/sources", map[string]any{"sourceType": 42}, "configuration.sourceType"},
		{"/destinations", map[string]any{"dataset": "x"}, "configuration.destinationType"},
		{"/destinations", map[string]any{"sourceType": "postgres"}, "configuration.destinationType"},
	} {
		t.Run(fmt.Sprint(tc.path, tc.cfg), func(t *testing.T) {
			p := wantProblem(t, e.do(t, http.MethodPost, tc.path, map[string]any{"name": "x", "workspaceId": ws, "configuration": tc.cfg}), http.StatusUnprocessableEntity)
			if data, _ := p["data"].(map[string]any); data["field"] != tc.field {
				t.Errorf("data = %v; want field %s", p["data"], tc.field)
			}
			if d, _ := p["detail"].(string); !strings.Contains(d, strings.TrimPrefix(tc.field, "configuration.")) {
				t.Errorf("detail = %q; want it to name %s", d, tc.field)
			}
		})
	}
	// Nothing was stored.
	r := e.do(t, http.MethodGet, "/sources", nil)
	wantStatus(t, r, http.StatusOK)
	if data, _ := r.json(t)["data"].([]any); len(data) != 0 {
		t.Errorf("sources after rejected creates = %s", r.body)
	}
}

func TestInvalidRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		contentType  string
		token        bool
		mentions     []string
	}{
		{name: "createSource without name", method: "POST", path: "/sources", body: map[string]any{"workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres"}}, mentions: []string{"name"}},
		{name: "createSource without configuration", method: "POST", path: "/sources", body: map[string]any{"name": "x", "workspaceId": ws}, mentions: []string{"configuration"}},
		{name: "createSource name not a string", method: "POST", path: "/sources", body: map[string]any{"name": 7, "workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres"}}, mentions: []string{"name"}},
		{name: "createSource bad workspaceId", method: "POST", path: "/sources", body: map[string]any{"name": "x", "workspaceId": "not-a-uuid", "configuration": map[string]any{"sourceType": "postgres"}}, mentions: []string{"workspaceId"}},
		{name: "bad uuid path parameter", method: "GET", path: "/sources/not-a-uuid", mentions: []string{"getSource", "sourceId", "uuid"}},
		{name: "bad integer path parameter", method: "GET", path: "/jobs/abc", mentions: []string{"jobId"}},
		{name: "undeclared query parameter", method: "GET", path: "/sources?colour=blue", mentions: []string{"colour"}},
		{name: "limit too small", method: "GET", path: "/sources?limit=0", mentions: []string{"limit", "at least 1"}},
		{name: "limit too large", method: "GET", path: "/sources?limit=101", mentions: []string{"limit", "at most 100"}},
		{name: "negative offset", method: "GET", path: "/sources?offset=-1", mentions: []string{"offset", "at least 0"}},
		{name: "bad workspaceIds", method: "GET", path: "/sources?workspaceIds=nope", mentions: []string{"workspaceIds", "uuid"}},
		{name: "createJob bad jobType", method: "POST", path: "/jobs", body: map[string]any{"connectionId": randomUUID, "jobType": "explode"}, mentions: []string{"jobType"}},
		{name: "createJob without connectionId", method: "POST", path: "/jobs", body: map[string]any{"jobType": "sync"}, mentions: []string{"connectionId"}},
		{name: "body not JSON", method: "POST", path: "/workspaces", body: "{not json", mentions: nil},
		{name: "missing body", method: "POST", path: "/workspaces", mentions: []string{"body"}},
		{name: "body on GET", method: "GET", path: "/workspaces", body: map[string]any{"name": "x"}, mentions: []string{"body"}},
		{name: "wrong content type", method: "POST", path: "/workspaces", body: `{"name":"x"}`, contentType: "text/plain", mentions: []string{"Content-Type"}},
		{name: "token without secret", method: "POST", path: "/applications/token", body: map[string]any{"client_id": "x"}, token: false, mentions: []string{"client_secret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var rd io.Reader
			switch b := tc.body.(type) {
			case nil:
			case string:
				rd = strings.NewReader(b)
			default:
				data, _ := json.Marshal(b)
				rd = bytes.NewReader(data)
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, e.url(tc.path), rd)
			if err != nil {
				t.Fatal(err)
			}
			if rd != nil {
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			if tc.token || !strings.HasPrefix(tc.path, "/applications/token") {
				req.Header.Set("Authorization", "Bearer "+e.token)
			}
			p := wantProblem(t, send(t, e.client, req), http.StatusBadRequest)
			text := fmt.Sprint(p["title"], " ", p["detail"])
			for _, m := range tc.mentions {
				if !strings.Contains(text, m) {
					t.Errorf("problem %q does not mention %q", text, m)
				}
			}
		})
	}
}

// TestUnauthorizedBeforeInvalid: an unauthenticated invalid request gets
// 401, not 400, so the fake does not leak what it would accept.
func TestUnauthorizedBeforeInvalid(t *testing.T) {
	t.Parallel()
	e := newServer(t, fake.Options{})
	wantProblem(t, e.call(t, "", http.MethodGet, "/sources/not-a-uuid", nil), http.StatusUnauthorized)
	wantProblem(t, e.call(t, "", http.MethodGet, "/sources?colour=blue", nil), http.StatusUnauthorized)
}

func TestPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	r := e.do(t, http.MethodPost, "/workspaces", map[string]any{"name": "Paged"})
	wantStatus(t, r, http.StatusOK)
	ws := r.json(t)["workspaceId"].(string)
	// Sources elsewhere must not show up in the filtered list.
	for i := range 3 {
		createSource(t, e, e.f.DefaultWorkspaceID(), fmt.Sprintf("other-%d", i))
	}
	const n = 45
	var want []string
	for i := range n {
		want = append(want, createSource(t, e, ws, fmt.Sprintf("src-%02d", i))["sourceId"].(string))
	}

	type page struct {
		Data     []map[string]any `json:"data"`
		Next     string           `json:"next"`
		Previous string           `json:"previous"`
	}
	get := func(t *testing.T, path string) page {
		t.Helper()
		r := e.do(t, http.MethodGet, path, nil)
		wantStatus(t, r, http.StatusOK)
		var p page
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	checkLink := func(t *testing.T, link string, offset int) {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil {
			t.Fatalf("link %q: %v", link, err)
		}
		if base := u.Scheme + "://" + u.Host + u.Path; base != e.url("/sources") {
			t.Errorf("link %q does not point at %s", link, e.url("/sources"))
		}
		q := u.Query()
		if q.Get("limit") != "20" || q.Get("offset") != strconv.Itoa(offset) || q.Get("workspaceIds") != ws {
			t.Errorf("link %q: want limit=20, offset=%d, workspaceIds=%s", link, offset, ws)
		}
	}

	var got []string
	for i, tc := range []struct {
		offset, size   int
		next, previous int // -1: empty
	}{
		{0, 20, 20, -1},
		{20, 20, 40, 0},
		{40, 5, -1, 20},
	} {
		p := get(t, fmt.Sprintf("/sources?workspaceIds=%s&limit=20&offset=%d", ws, tc.offset))
		if len(p.Data) != tc.size {
			t.Fatalf("page %d: %d items; want %d", i, len(p.Data), tc.size)
		}
		for _, s := range p.Data {
			got = append(got, s["sourceId"].(string))
		}
		if tc.next < 0 {
			if p.Next != "" {
				t.Errorf("page %d: next = %q; want empty", i, p.Next)
			}
		} else {
			checkLink(t, p.Next, tc.next)
		}
		if tc.previous < 0 {
			if p.Previous != "" {
				t.Errorf("page %d: previous = %q; want empty", i, p.Previous)
			}
		} else {
			checkLink(t, p.Previous, tc.previous)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("pages hold %v; want the sources in creation order %v", got, want)
	}

	// Following next links from the first page visits every source once.
	var followed []string
	link := fake.BasePath + "/sources?workspaceIds=" + ws + "&limit=20"
	for pages := 0; link != ""; pages++ {
		if pages > 5 {
			t.Fatal("next links do not end")
		}
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		p := get(t, strings.TrimPrefix(u.Path, fake.BasePath)+"?"+u.RawQuery)
		for _, s := range p.Data {
			followed = append(followed, s["sourceId"].(string))
		}
		link = p.Next
	}
	if strings.Join(followed, ",") != strings.Join(want, ",") {
		t.Errorf("following next links gave %d sources; want %d in order", len(followed), n)
	}

	// Default page size is 20; unfiltered lists see all workspaces.
	if p := get(t, "/sources"); len(p.Data) != 20 || p.Next == "" || p.Previous != "" {
		t.Errorf("default page: %d items, next %q, previous %q", len(p.Data), p.Next, p.Previous)
	}
	if p := get(t, "/sources?limit=100"); len(p.Data) != n+3 || p.Next != "" {
		t.Errorf("limit=100: %d items, next %q; want %d and no next", len(p.Data), p.Next, n+3)
	}
	// Past the end: empty page with a previous link.
	if p := get(t, "/sources?workspaceIds="+ws+"&limit=20&offset=60"); len(p.Data) != 0 || p.Next != "" || p.Previous == "" {
		t.Errorf("past the end: %d items, next %q, previous %q", len(p.Data), p.Next, p.Previous)
	}
	// Exactly one full page: no next.
	if p := get(t, "/sources?workspaceIds="+ws+"&limit=45"); len(p.Data) != 45 || p.Next != "" {
		t.Errorf("limit=45: %d items, next %q", len(p.Data), p.Next)
	}
	// Another workspace's filter sees only its own sources.
	if p := get(t, "/sources?workspaceIds="+e.f.DefaultWorkspaceID()); len(p.Data) != 3 {
		t.Errorf("default workspace has %d sources; want 3", len(p.Data))
	}
	if p := get(t, "/sources?workspaceIds="+randomUUID); len(p.Data) != 0 {
		t.Errorf("unknown workspace has %d sources; want 0", len(p.Data))
	}
}

func TestJobLifecycleRealTime(t *testing.T) {
	t.Parallel()
	const dur = time.Second
	e := newEnv(t, fake.Options{JobDuration: dur, JobBytes: 1000, JobRows: 100})
	conn := connection(t, e)
	r := e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"})
	wantStatus(t, r, http.StatusOK)
	created := r.json(t)
	if created["status"] != "pending" && created["status"] != "running" {
		t.Errorf("new job status = %v; want pending or running", created["status"])
	}
	if _, ok := created["bytesSynced"]; ok {
		t.Errorf("answer to POST /jobs carries progress: %s", r.body)
	}
	if created["connectionId"] != conn || created["jobType"] != "sync" {
		t.Errorf("new job = %s", r.body)
	}
	id := num(created, "jobId")

	rank := map[string]int{"pending": 0, "running": 1, "succeeded": 2}
	seen := map[string]bool{}
	last, lastBytes := 0, int64(-1)
	deadline := time.Now().Add(10 * time.Second)
	for {
		j := getJob(t, e, id)
		st, _ := j["status"].(string)
		rk, ok := rank[st]
		if !ok {
			t.Fatalf("unexpected status %q", st)
		}
		if rk < last {
			t.Fatalf("status went back to %q", st)
		}
		last = rk
		seen[st] = true
		b := num(j, "bytesSynced")
		if b < lastBytes {
			t.Fatalf("bytesSynced went down: %d after %d", b, lastBytes)
		}
		lastBytes = b
		if st == "succeeded" {
			if b != 1000 || num(j, "rowsSynced") != 100 {
				t.Errorf("finished job synced %d bytes, %d rows; want 1000, 100", b, num(j, "rowsSynced"))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %q after 10s", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !seen["running"] {
		t.Error("job never seen running")
	}
}

func TestJobLifecycleClock(t *testing.T) {
	t.Parallel()
	const (
		dur   = 100 * time.Second
		bytes = 48 << 20
		rows  = 125_000
	)
	for _, tc := range []struct {
		name      string
		fail      bool
		final     string
		wantBytes int64
		wantRows  int64
	}{
		{"succeeds", false, "succeeded", bytes, rows},
		{"fails", true, "failed", bytes / 2, rows / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			e := newEnv(t, fake.Options{JobDuration: dur, FailJobs: tc.fail, Now: clk.Now, TokenLifetime: 24 * time.Hour})
			conn := connection(t, e)
			id := startJob(t, e, conn)

			j := getJob(t, e, id)
			if j["status"] != "pending" || num(j, "bytesSynced") != 0 || num(j, "rowsSynced") != 0 {
				t.Errorf("at start: %v; want pending with nothing synced", j)
			}
			clk.Advance(dur / 10)
			j = getJob(t, e, id)
			quarterBytes := num(j, "bytesSynced")
			if j["status"] != "running" || quarterBytes <= 0 {
				t.Errorf("at 10%%: %v; want running with bytes > 0", j)
			}
			clk.Advance(dur * 4 / 10)
			j = getJob(t, e, id)
			if j["status"] != "running" || num(j, "bytesSynced") <= quarterBytes || num(j, "bytesSynced") != bytes/2 || num(j, "rowsSynced") != rows/2 {
				t.Errorf("at 50%%: %v; want running with half the bytes and rows", j)
			}
			if j["duration"] != "PT50S" {
				t.Errorf("at 50%%: duration = %v; want PT50S", j["duration"])
			}
			clk.Advance(dur / 2)
			j = getJob(t, e, id)
			if j["status"] != tc.final || num(j, "bytesSynced") != tc.wantBytes || num(j, "rowsSynced") != tc.wantRows {
				t.Errorf("at end: %v; want %s with %d bytes, %d rows", j, tc.final, tc.wantBytes, tc.wantRows)
			}
			// Nothing moves after the end.
			clk.Advance(time.Hour)
			later := getJob(t, e, id)
			if later["status"] != tc.final || num(later, "bytesSynced") != tc.wantBytes || later["duration"] != "PT100S" {
				t.Errorf("an hour later: %v", later)
			}
			// Cancelling a finished job changes nothing.
			r := e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(id, 10), nil)
			wantStatus(t, r, http.StatusOK)
			if r.json(t)["status"] != tc.final {
				t.Errorf("cancel after end: %s", r.body)
			}
			// listJobs filters by status.
			r = e.do(t, http.MethodGet, "/jobs?connectionId="+conn+"&status="+tc.final, nil)
			wantStatus(t, r, http.StatusOK)
			if data, _ := r.json(t)["data"].([]any); len(data) != 1 {
				t.Errorf("listJobs status=%s: %s", tc.final, r.body)
			}
		})
	}

	t.Run("cancel while running", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		e := newEnv(t, fake.Options{JobDuration: dur, Now: clk.Now})
		id := startJob(t, e, connection(t, e))
		clk.Advance(dur / 4)
		r := e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(id, 10), nil)
		wantStatus(t, r, http.StatusOK)
		j := r.json(t)
		if j["status"] != "cancelled" || num(j, "bytesSynced") != bytes/4 {
			t.Errorf("cancelled at 25%%: %v", j)
		}
		clk.Advance(dur)
		if j := getJob(t, e, id); j["status"] != "cancelled" || num(j, "bytesSynced") != bytes/4 {
			t.Errorf("after cancel: %v; want cancelled with progress frozen", j)
		}
	})

	t.Run("listJobs newest first with filters", func(t *testing.T) {
		t.Parallel()
		clk := newClock()
		e := newEnv(t, fake.Options{JobDuration: time.Second, Now: clk.Now})
		a, b := connection(t, e), connection(t, e)
		j1 := startJob(t, e, a)
		j2 := startJob(t, e, b)
		clk.Advance(2 * time.Second)
		j3 := startJob(t, e, a)
		ids := func(path string) []int64 {
			r := e.do(t, http.MethodGet, path, nil)
			wantStatus(t, r, http.StatusOK)
			var p struct {
				Data []map[string]any `json:"data"`
			}
			if err := json.Unmarshal(r.body, &p); err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, j := range p.Data {
				out = append(out, num(j, "jobId"))
			}
			return out
		}
		for _, tc := range []struct {
			path string
			want []int64
		}{
			{"/jobs", []int64{j3, j2, j1}},
			{"/jobs?connectionId=" + a, []int64{j3, j1}},
			{"/jobs?connectionId=" + b, []int64{j2}},
			{"/jobs?status=pending", []int64{j3}},
			{"/jobs?status=succeeded", []int64{j2, j1}},
			{"/jobs?jobType=reset", nil},
			{"/jobs?limit=1&offset=1", []int64{j2}},
		} {
			if got := ids(tc.path); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s = %v; want %v", tc.path, got, tc.want)
			}
		}
	})
}

func TestFaultKnobs(t *testing.T) {
	t.Parallel()
	v, err := contract.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	// validates checks an answer of the fake against the spec.
	validates := func(t *testing.T, path string, r result) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, contract.SelfManagedBaseURL+path, nil)
		req.Header.Set("Authorization", "Bearer x")
		route, err := v.ValidateRequest(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.ValidateResponse(context.Background(), req, route, r.status, r.header, r.body); err != nil {
			t.Errorf("answer violates the spec: %v", err)
		}
	}

	t.Run("rate limit every request", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			retryAfter time.Duration
			want       string
		}{{0, "1"}, {3 * time.Second, "3"}} {
			e := newServer(t, fake.Options{RateLimitEvery: 1, RetryAfter: tc.retryAfter})
			for _, path := range []string{"/workspaces", "/sources/" + randomUUID} {
				r := e.call(t, "", http.MethodGet, path, nil)
				wantStatus(t, r, http.StatusTooManyRequests)
				if got := r.header.Get("Retry-After"); got != tc.want {
					t.Errorf("Retry-After = %q; want %q", got, tc.want)
				}
				validates(t, path, r)
			}
			// Even the token endpoint is limited.
			r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": fake.DefaultClientID, "client_secret": fake.DefaultClientSecret})
			wantStatus(t, r, http.StatusTooManyRequests)
		}
	})

	t.Run("rate limit every third request", func(t *testing.T) {
		t.Parallel()
		e := newServer(t, fake.Options{RateLimitEvery: 3})
		var got []int
		for range 7 {
			got = append(got, e.call(t, "", http.MethodGet, "/workspaces", nil).status)
		}
		want := []int{401, 401, 429, 401, 401, 429, 401}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("statuses = %v; want %v", got, want)
		}
	})

	t.Run("server error every request", func(t *testing.T) {
		t.Parallel()
		e := newServer(t, fake.Options{ServerErrorEvery: 1})
		for _, path := range []string{"/workspaces", "/jobs/1"} {
			r := e.call(t, "", http.MethodGet, path, nil)
			p := wantProblem(t, r, http.StatusServiceUnavailable)
			if d, _ := p["detail"].(string); !strings.Contains(d, "injected") {
				t.Errorf("detail = %q; want it to say the failure is injected", d)
			}
			validates(t, path, r)
		}
	})

	t.Run("server error every other request", func(t *testing.T) {
		t.Parallel()
		e := newServer(t, fake.Options{ServerErrorEvery: 2})
		var got []int
		for range 4 {
			got = append(got, e.call(t, "", http.MethodGet, "/workspaces", nil).status)
		}
		if want := []int{401, 503, 401, 503}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("statuses = %v; want %v", got, want)
		}
	})

	t.Run("rate limit wins over server error", func(t *testing.T) {
		t.Parallel()
		e := newServer(t, fake.Options{RateLimitEvery: 1, ServerErrorEvery: 1})
		wantStatus(t, e.call(t, "", http.MethodGet, "/workspaces", nil), http.StatusTooManyRequests)
	})

	t.Run("latency", func(t *testing.T) {
		t.Parallel()
		const latency = 150 * time.Millisecond
		e := newEnv(t, fake.Options{Latency: latency})
		start := time.Now()
		wantStatus(t, e.do(t, http.MethodGet, "/workspaces", nil), http.StatusOK)
		if el := time.Since(start); el < latency {
			t.Errorf("request took %v; want at least the latency %v", el, latency)
		}
	})

	t.Run("latency respects cancellation", func(t *testing.T) {
		t.Parallel()
		e := newServer(t, fake.Options{Latency: time.Minute})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url("/workspaces"), nil)
		start := time.Now()
		resp, err := e.client.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("request with a 50ms deadline against a 1 minute latency answered %d", resp.StatusCode)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v; want deadline exceeded", err)
		}
		if el := time.Since(start); el > 10*time.Second {
			t.Errorf("cancelled request took %v", el)
		}
	})
}

// TestResponsesValidate drives a varied sequence of calls through a
// LiveTransport and requires every exchange to agree with the spec.
func TestResponsesValidate(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f, err := fake.New(fake.Options{JobDuration: time.Minute, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	v, err := contract.NewValidator(srv.URL + fake.BasePath)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu         sync.Mutex
		violations []*contract.Violation
		sent       atomic.Int64
	)
	base := srv.Client().Transport
	tr := &contract.LiveTransport{
		Validator: v,
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return base.RoundTrip(r)
		}),
		Report: func(vi *contract.Violation) {
			mu.Lock()
			defer mu.Unlock()
			violations = append(violations, vi)
		},
	}
	e := &env{f: f, srv: srv, client: &http.Client{Transport: tr}}
	e.token = e.fetchToken(t)
	ws := f.DefaultWorkspaceID()

	statuses := map[int]int{}
	do := func(method, path string, body any) map[string]any {
		t.Helper()
		r := e.do(t, method, path, body)
		statuses[r.status]++
		if len(r.body) == 0 {
			return nil
		}
		return r.json(t)
	}
	do("GET", "/workspaces", nil)
	do("GET", "/workspaces/"+ws, nil)
	ws2 := do("POST", "/workspaces", map[string]any{"name": "Two"})["workspaceId"].(string)
	src := do("POST", "/sources", map[string]any{"name": "pg", "workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres", "password": "x", "nested": map[string]any{"api_key": "k"}}})
	do("GET", "/sources/"+src["sourceId"].(string), nil)
	do("GET", "/sources?workspaceIds="+ws+","+ws2+"&limit=1", nil)
	do("GET", "/sources?limit=1&offset=1", nil)
	dst := do("POST", "/destinations", map[string]any{"name": "bq", "workspaceId": ws2, "configuration": map[string]any{"destinationType": "bigquery", "credentials_json": "{}"}})
	do("GET", "/destinations/"+dst["destinationId"].(string), nil)
	do("GET", "/destinations?workspaceIds="+ws2, nil)
	conn := do("POST", "/connections", map[string]any{
		"sourceId": src["sourceId"], "destinationId": dst["destinationId"], "name": "c", "status": "active",
		"schedule": map[string]any{"scheduleType": "cron", "cronExpression": "0 0 * * * ?"},
	})["connectionId"].(string)
	do("POST", "/connections", map[string]any{"sourceId": src["sourceId"], "destinationId": dst["destinationId"]})
	do("GET", "/connections/"+conn, nil)
	do("GET", "/connections", nil)
	tag := do("POST", "/tags", map[string]any{"name": "finance", "color": "3B82F6", "workspaceId": ws})["tagId"].(string)
	do("GET", "/tags/"+tag, nil)
	do("GET", "/tags?workspaceIds="+ws, nil)
	job := int64(do("POST", "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"})["jobId"].(float64))
	do("POST", "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"}) // 409
	clk.Advance(30 * time.Second)
	do("GET", "/jobs/"+strconv.FormatInt(job, 10), nil)
	do("GET", "/jobs?connectionId="+conn+"&status=running&jobType=sync", nil)
	do("DELETE", "/jobs/"+strconv.FormatInt(job, 10), nil)
	do("GET", "/sources/"+randomUUID, nil)                                                                               // 404
	do("POST", "/sources", map[string]any{"name": "x", "workspaceId": ws, "configuration": map[string]any{"host": "h"}}) // 422
	do("DELETE", "/tags/"+tag, nil)                                                                                      // 204
	do("DELETE", "/connections/"+conn, nil)
	do("GET", "/organizations", nil)                                                                              // not modelled: the spec's example
	e.call(t, "fake.unknown", http.MethodGet, "/workspaces", nil)                                                 // 401
	e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": "a", "client_secret": "b"}) // 401
	e.call(t, "", http.MethodGet, "/health", nil)

	for _, want := range []int{200, 204, 404, 409, 422} {
		if statuses[want] == 0 {
			t.Errorf("no call answered %d; statuses %v", want, statuses)
		}
	}
	if n := sent.Load(); n < 30 {
		t.Errorf("only %d requests went through the transport", n)
	}
	mu.Lock()
	for _, vi := range violations {
		t.Errorf("violation: %v", vi)
	}
	mu.Unlock()

	// The check can fail: an undeclared query parameter is reported.
	r := e.do(t, http.MethodGet, "/workspaces?colour=blue", nil)
	wantStatus(t, r, http.StatusBadRequest)
	mu.Lock()
	defer mu.Unlock()
	if len(violations) != 1 || violations[0].Phase != "request" {
		t.Errorf("violations after an invalid request = %v; want one request violation", violations)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	const initial, workers = 3, 50
	for i := range initial {
		createSource(t, e, ws, fmt.Sprintf("initial-%d", i))
	}
	var wg sync.WaitGroup
	ids := make([]string, workers)
	errs := make(chan error, 2*workers)
	for i := range workers {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("c-%d", i), "workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres"}})
			req, _ := http.NewRequest(http.MethodPost, e.url("/sources"), bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := e.client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var s map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("create %d: status %d, %v", i, resp.StatusCode, err)
				return
			}
			ids[i], _ = s["sourceId"].(string)
			// Reads interleave with writes.
			req, _ = http.NewRequest(http.MethodGet, e.url("/sources?limit=5"), nil)
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp2, err := e.client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp2.Body)
			resp2.Body.Close()
			if resp2.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("list %d: status %d", i, resp2.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r := e.do(t, http.MethodGet, "/sources?limit=100&workspaceIds="+ws, nil)
	wantStatus(t, r, http.StatusOK)
	var page struct {
		Data []map[string]any `json:"data"`
		Next string           `json:"next"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != initial+workers || page.Next != "" {
		t.Fatalf("%d sources listed (next %q); want %d", len(page.Data), page.Next, initial+workers)
	}
	listed := map[string]bool{}
	for _, s := range page.Data {
		listed[s["sourceId"].(string)] = true
	}
	if len(listed) != initial+workers {
		t.Errorf("%d distinct source IDs; want %d", len(listed), initial+workers)
	}
	for i, id := range ids {
		if !listed[id] {
			t.Errorf("source %d (%q) created but not listed", i, id)
		}
	}
}

func TestTagsAreOnePageAndUniquePerWorkspace(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	for i := range 25 {
		wantStatus(t, e.do(t, http.MethodPost, "/tags", map[string]any{"name": fmt.Sprintf("tag-%02d", i), "color": "FF8800", "workspaceId": ws}), http.StatusOK)
	}
	list := e.do(t, http.MethodGet, "/tags?workspaceIds="+ws, nil)
	wantStatus(t, list, http.StatusOK)
	body := list.json(t)
	if data, _ := body["data"].([]any); len(data) != 25 {
		t.Errorf("listTags returned %d tags, want all 25 (tags are not paginated)", len(data))
	}
	if _, ok := body["next"]; ok {
		t.Errorf("listTags answered with a next link: %s", list.body)
	}
	p := wantProblem(t, e.do(t, http.MethodPost, "/tags", map[string]any{"name": "tag-03", "color": "000000", "workspaceId": ws}), http.StatusConflict)
	if d, _ := p["detail"].(string); !strings.Contains(d, "tag-03") {
		t.Errorf("409 detail %q does not name the tag", d)
	}
}

func TestListWorkspacesFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	other := e.do(t, http.MethodPost, "/workspaces", map[string]any{"name": "Other"})
	wantStatus(t, other, http.StatusOK)
	id, _ := other.json(t)["workspaceId"].(string)
	r := e.do(t, http.MethodGet, "/workspaces?workspaceIds="+id, nil)
	wantStatus(t, r, http.StatusOK)
	data, _ := r.json(t)["data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["workspaceId"] != id {
		t.Errorf("workspaceIds=%s listed %s", id, r.body)
	}
}

func TestCreateActorByDefinitionID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	r := e.do(t, http.MethodPost, "/sources", map[string]any{
		"name": "By definition", "workspaceId": e.f.DefaultWorkspaceID(), "definitionId": randomUUID,
		"configuration": map[string]any{"host": "db"},
	})
	wantStatus(t, r, http.StatusOK)
	if got := r.json(t)["definitionId"]; got != randomUUID {
		t.Errorf("definitionId = %v, want %s", got, randomUUID)
	}
}

func TestSecretsMaskedAtAnyDepth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	r := e.do(t, http.MethodPost, "/destinations", map[string]any{
		"name": "Tunnelled", "workspaceId": e.f.DefaultWorkspaceID(),
		"configuration": map[string]any{
			"destinationType": "postgres",
			"tunnels":         []any{map[string]any{"host": "bastion", "password": "leak-1"}, []any{map[string]any{"api_key": "leak-2"}}},
			"nested":          map[string]any{"client_secret": "leak-3"},
		},
	})
	wantStatus(t, r, http.StatusOK)
	if bytes.Contains(r.body, []byte("leak-")) {
		t.Errorf("a secret came back unmasked: %s", r.body)
	}
	if !bytes.Contains(r.body, []byte("bastion")) {
		t.Errorf("a non-secret value was lost: %s", r.body)
	}
}

func TestSubSecondDurationsRoundUp(t *testing.T) {
	t.Parallel()
	e := newServer(t, fake.Options{TokenLifetime: 500 * time.Millisecond})
	r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": e.f.ClientID(), "client_secret": e.f.ClientSecret()})
	wantStatus(t, r, http.StatusOK)
	if got := num(r.json(t), "expires_in"); got != 1 {
		t.Errorf("expires_in = %d for a 500ms token, want 1", got)
	}
	e = newServer(t, fake.Options{RateLimitEvery: 1, RetryAfter: 1500 * time.Millisecond})
	r = e.call(t, "", http.MethodGet, "/health", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
		t.Errorf("status %d Retry-After %q, want 429 and 2", r.status, r.header.Get("Retry-After"))
	}
}

func TestProtocolEdges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	// Auth schemes are case-insensitive (RFC 9110).
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.url("/workspaces"), nil)
	req.Header.Set("Authorization", "bearer "+e.token)
	wantStatus(t, send(t, e.client, req), http.StatusOK)
	// A known path with a method it does not have.
	wantProblem(t, e.do(t, http.MethodPut, "/jobs", nil), http.StatusMethodNotAllowed)
	// A body over the limit is refused as too large, not as invalid.
	big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
	wantProblem(t, e.do(t, http.MethodPost, "/workspaces", big), http.StatusRequestEntityTooLarge)
}

func TestListJobsFiltersAndOrder(t *testing.T) {
	t.Parallel()
	clk := newClock()
	e := newEnv(t, fake.Options{Now: clk.Now, JobDuration: time.Minute, TokenLifetime: time.Hour})
	connA := connection(t, e)
	connB := connection(t, e)
	otherWS := e.do(t, http.MethodPost, "/workspaces", map[string]any{"name": "Elsewhere"})
	wantStatus(t, otherWS, http.StatusOK)
	start := clk.Now()
	var ids []int64
	for i := range 3 { // A at +0, B at +2m, A at +4m; each finishes a minute later
		conn := connA
		if i == 1 {
			conn = connB
		}
		ids = append(ids, startJob(t, e, conn))
		clk.Advance(2 * time.Minute)
	}
	jobIDs := func(path string) []int64 {
		t.Helper()
		r := e.do(t, http.MethodGet, path, nil)
		wantStatus(t, r, http.StatusOK)
		var out []int64
		for _, j := range r.json(t)["data"].([]any) {
			out = append(out, num(j.(map[string]any), "jobId"))
		}
		return out
	}
	at := func(d time.Duration) string { return url.QueryEscape(start.Add(d).Format(time.RFC3339)) }
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{ids[2], ids[1], ids[0]}},
		{"?orderBy=createdAt|ASC", []int64{ids[0], ids[1], ids[2]}},
		{"?orderBy=updatedAt|DESC", []int64{ids[2], ids[1], ids[0]}},
		{"?connectionId=" + connA, []int64{ids[2], ids[0]}},
		{"?createdAtStart=" + at(time.Minute), []int64{ids[2], ids[1]}},
		{"?createdAtEnd=" + at(time.Minute), []int64{ids[0]}},
		{"?updatedAtStart=" + at(4*time.Minute), []int64{ids[2]}},
		{"?workspaceIds=" + e.f.DefaultWorkspaceID(), []int64{ids[2], ids[1], ids[0]}},
		{"?workspaceIds=" + otherWS.json(t)["workspaceId"].(string), nil},
	} {
		if got := jobIDs("/jobs" + tc.query); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("/jobs%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	wantProblem(t, e.do(t, http.MethodGet, "/jobs?orderBy=name|ASC", nil), http.StatusBadRequest)
}

// TestAnonymousOperationsAcceptAuthorization: security: [] makes a token
// optional, not forbidden, so a client that always sends one still works.
func TestAnonymousOperationsAcceptAuthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	wantStatus(t, e.do(t, http.MethodGet, "/health", nil), http.StatusOK)
	r := e.do(t, http.MethodPost, "/applications/token", map[string]any{"client_id": e.f.ClientID(), "client_secret": e.f.ClientSecret()})
	wantStatus(t, r, http.StatusOK)
	// Even a token the fake does not know is fine where none is needed.
	wantStatus(t, e.call(t, "unknown", http.MethodGet, "/health", nil), http.StatusOK)
}

// TestEscapedPathParameters: an escaped slash inside a path parameter stays
// in its segment, and handlers see parameters unescaped.
func TestEscapedPathParameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	wantStatus(t, e.do(t, http.MethodDelete, "/workspaces/"+ws+"/oauthCredentials/source/google%20sheets%2Fv2", nil), http.StatusNoContent)

	src := createSource(t, e, ws, "escaped")
	id := src["sourceId"].(string)
	// The same ID with its first character percent-encoded.
	escaped := fmt.Sprintf("%%%02X", id[0]) + id[1:]
	r := e.do(t, http.MethodGet, "/sources/"+escaped, nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.json(t)["sourceId"]; got != id {
		t.Errorf("sourceId = %v; want %s", got, id)
	}
}

func TestNewRejectsNegativeDurations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts fake.Options
		want string
	}{
		{fake.Options{TokenLifetime: -time.Second}, "fake: TokenLifetime must be positive"},
		{fake.Options{JobDuration: -time.Second}, "fake: JobDuration must be positive"},
	} {
		f, err := fake.New(tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("New(%+v) = %v, %v; want error %q", tc.opts, f, err, tc.want)
		}
	}
	// Zero still means the default.
	if _, err := fake.New(fake.Options{}); err != nil {
		t.Errorf("New(zero Options) = %v; want the defaults", err)
	}
}
