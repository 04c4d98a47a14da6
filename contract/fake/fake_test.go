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

// wantErrorID checks that r is the server's bare {"errorId"} body with the
// given status.
func wantErrorID(t *testing.T, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d; want %d; body %s", r.status, status, r.body)
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, r.body)
	}
	if id, _ := body["errorId"].(string); len(body) != 1 || len(id) != 36 {
		t.Errorf("body = %s; want only an errorId", r.body)
	}
}

// wantType checks a problem's status and type and returns it.
func wantType(t *testing.T, r result, status int, typ string) map[string]any {
	t.Helper()
	p := wantProblem(t, r, status)
	if p["type"] != typ {
		t.Errorf("type = %v; want %s; body %s", p["type"], typ, r.body)
	}
	return p
}

// dataMessage is a problem's data.message.
func dataMessage(p map[string]any) string {
	d, _ := p["data"].(map[string]any)
	m, _ := d["message"].(string)
	return m
}

const (
	forbidden = "https://reference.airbyte.com/reference/errors#forbidden"
	notFound  = "https://reference.airbyte.com/reference/errors#resource-not-found"
)

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
			// Cloud (OIDC) answers rejected credentials with 401 {"errorId"}.
			r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": tc.id, "client_secret": tc.secr})
			wantErrorID(t, r, http.StatusUnauthorized)
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
	// A connection reading from it is deprecated by the delete.
	dst := e.do(t, http.MethodPost, "/destinations", map[string]any{"name": "w", "workspaceId": ws, "configuration": map[string]any{"destinationType": "bigquery"}})
	wantStatus(t, dst, http.StatusOK)
	c := e.do(t, http.MethodPost, "/connections", map[string]any{"sourceId": id, "destinationId": dst.json(t)["destinationId"]})
	wantStatus(t, c, http.StatusOK)
	conn := c.json(t)["connectionId"].(string)

	wantStatus(t, e.do(t, http.MethodDelete, "/sources/"+id, nil), http.StatusNoContent)
	// Deleted sources stay readable, their configuration blanked.
	r = e.do(t, http.MethodGet, "/sources/"+id, nil)
	wantStatus(t, r, http.StatusOK)
	if cfg, _ := r.json(t)["configuration"].(map[string]any); len(cfg) != 0 {
		t.Errorf("deleted source configuration = %v; want {}", cfg)
	}
	if st := e.do(t, http.MethodGet, "/connections/"+conn, nil).json(t)["status"]; st != "deprecated" {
		t.Errorf("connection of a deleted source: status %v; want deprecated", st)
	}
	// Lists leave it out unless includeDeleted.
	for q, want := range map[string]int{"": 0, "?includeDeleted=true": 1} {
		r := e.do(t, http.MethodGet, "/sources"+q, nil)
		if data, _ := r.json(t)["data"].([]any); len(data) != want {
			t.Errorf("/sources%s listed %d; want %d", q, len(data), want)
		}
	}
}

// TestUnknownIDs: roles are checked before lookups, so an unknown ID is
// 403 to a Cloud user and 404 only to an instance admin; tags are looked
// up first and are 404 to everyone; an unknown job is 409 even to admins.
func TestUnknownIDs(t *testing.T) {
	t.Parallel()
	cloud := newEnv(t, fake.Options{})
	admin := newEnv(t, fake.Options{Role: "instance_admin"})
	for _, tc := range []struct {
		method, path     string
		cloudStatus      int
		cloudType        string
		adminStatus      int
		adminType        string
		kind, resourceID string
	}{
		{http.MethodGet, "/sources/" + randomUUID, 403, forbidden, 404, notFound, "source", randomUUID},
		{http.MethodGet, "/connections/" + randomUUID, 403, forbidden, 404, notFound, "connection", randomUUID},
		{http.MethodGet, "/destinations/" + randomUUID, 403, forbidden, 404, notFound, "destination", randomUUID},
		{http.MethodGet, "/workspaces/" + randomUUID, 403, forbidden, 404, notFound, "workspace", randomUUID},
		{http.MethodDelete, "/connections/" + randomUUID, 403, forbidden, 404, notFound, "connection", randomUUID},
		{http.MethodGet, "/tags/" + randomUUID, 404, notFound, 404, notFound, "tag", randomUUID},
		{http.MethodGet, "/jobs/987654321", 403, forbidden, 409, "https://reference.airbyte.com/reference/errors#409-state-conflict", "", ""},
		{http.MethodDelete, "/jobs/987654321", 403, forbidden, 409, "https://reference.airbyte.com/reference/errors#409-state-conflict", "", ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			p := wantType(t, cloud.do(t, tc.method, tc.path, nil), tc.cloudStatus, tc.cloudType)
			if tc.cloudStatus == 403 && !strings.Contains(dataMessage(p), "WORKSPACE_") {
				t.Errorf("403 data = %v; want the missing role named", p["data"])
			}
			p = wantType(t, admin.do(t, tc.method, tc.path, nil), tc.adminStatus, tc.adminType)
			if tc.kind != "" {
				data, _ := p["data"].(map[string]any)
				if data["resourceId"] != tc.resourceID || data["resourceType"] != tc.kind {
					t.Errorf("data = %v; want resourceId %s, resourceType %s", data, tc.resourceID, tc.kind)
				}
			}
			// The body is written as the server writes problems: nulls in.
			if _, ok := p["documentationUrl"]; !ok {
				t.Errorf("problem without documentationUrl: %v", p)
			}
		})
	}

	t.Run("references", func(t *testing.T) {
		t.Parallel()
		ws := admin.f.DefaultWorkspaceID()
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
			// A Cloud user is refused before anything is looked up.
			wantType(t, cloud.do(t, http.MethodPost, tc.path, tc.body), 403, forbidden)
			p := wantType(t, admin.do(t, http.MethodPost, tc.path, tc.body), 404, notFound)
			if data, _ := p["data"].(map[string]any); data["resourceType"] != tc.kind {
				t.Errorf("POST %s: data = %v; want a missing %s", tc.path, data, tc.kind)
			}
		}
		// A connection to a real source and a missing destination.
		src := createSource(t, admin, ws, "s")
		p := wantProblem(t, admin.do(t, http.MethodPost, "/connections", map[string]any{"sourceId": src["sourceId"], "destinationId": randomUUID}), http.StatusNotFound)
		if data, _ := p["data"].(map[string]any); data["resourceType"] != "destination" {
			t.Errorf("data = %v; want a missing destination", p["data"])
		}
	})

	t.Run("outside the API", func(t *testing.T) {
		t.Parallel()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, cloud.srv.URL+"/v1/workspaces", nil)
		p := wantProblem(t, send(t, cloud.client, req), http.StatusNotFound)
		if d, _ := p["detail"].(string); !strings.Contains(d, fake.BasePath) {
			t.Errorf("detail = %q; want it to name %s", d, fake.BasePath)
		}
		// A path the spec does not have, even without a token: the
		// framework's 404 {"errorId"}.
		wantErrorID(t, cloud.call(t, "", http.MethodGet, "/no-such-thing", nil), http.StatusNotFound)
	})
}

func TestConflictWhileSyncRuns(t *testing.T) {
	t.Parallel()
	clk := newClock()
	e := newEnv(t, fake.Options{JobDuration: time.Minute, Now: clk.Now})
	conn := connection(t, e)
	first := startJob(t, e, conn)

	for _, c := range []string{conn, strings.ToUpper(conn)} {
		p := wantType(t, e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": c, "jobType": "sync"}), http.StatusConflict,
			"https://reference.airbyte.com/reference/errors#try-again-later")
		if got, want := dataMessage(p), "A sync is already running for: "+conn; got != want {
			t.Errorf("data.message = %q; want %q", got, want)
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
	// Cancelling the finished first job cancels the connection's current
	// one, the second.
	r := e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(first, 10), nil)
	wantStatus(t, r, http.StatusOK)
	if j := r.json(t); j["status"] != "cancelled" || num(j, "jobId") != second {
		t.Errorf("cancel answered %s; want job %d cancelled", r.body, second)
	}
	if j := getJob(t, e, first); j["status"] != "succeeded" {
		t.Errorf("first job after the cancel = %v; want still succeeded", j["status"])
	}
	// Nothing runs now: cancelling again is a state conflict.
	p := wantType(t, e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(second, 10), nil), http.StatusConflict,
		"https://reference.airbyte.com/reference/errors#409-state-conflict")
	if dataMessage(p) == "" {
		t.Errorf("409 without data.message: %v", p)
	}
	// A cancelled job frees the connection.
	startJob(t, e, conn)

	// Another connection is independent.
	startJob(t, e, connection(t, e))

	// An inactive connection cannot run.
	other := connection(t, e)
	wantStatus(t, e.do(t, http.MethodPatch, "/connections/"+other, map[string]any{"status": "inactive"}), http.StatusOK)
	wantType(t, e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": other, "jobType": "sync"}), http.StatusConflict,
		"https://reference.airbyte.com/reference/errors#409-state-conflict")
}

// TestConnectorChoice: the connector comes from definitionId or from the
// configuration's type member; missing is 422, unknown is 400
// value-not-found naming the value; the type member is not stored.
func TestConnectorChoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	for _, tc := range []struct {
		path   string
		cfg    map[string]any
		status int
		title  string
		value  string
	}{
		{"/sources", map[string]any{"host": "db"}, 422, "unprocessable-entity", ""},
		{"/sources", map[string]any{"sourceType": ""}, 400, "value-not-found", ""},
		{"/sources", map[string]any{"sourceType": 42}, 400, "value-not-found", "42"},
		{"/sources", map[string]any{"sourceType": "no-such-connector"}, 400, "value-not-found", "no-such-connector"},
		{"/destinations", map[string]any{"dataset": "x"}, 422, "unprocessable-entity", ""},
		{"/destinations", map[string]any{"sourceType": "postgres"}, 422, "unprocessable-entity", ""},
		{"/destinations", map[string]any{"destinationType": "dev-null"}, 400, "value-not-found", "dev-null"},
	} {
		t.Run(fmt.Sprint(tc.path, tc.cfg), func(t *testing.T) {
			p := wantProblem(t, e.do(t, http.MethodPost, tc.path, map[string]any{"name": "x", "workspaceId": ws, "configuration": tc.cfg}), tc.status)
			if p["title"] != tc.title {
				t.Errorf("title = %v; want %s", p["title"], tc.title)
			}
			if tc.status == 400 {
				if data, _ := p["data"].(map[string]any); data["value"] != tc.value {
					t.Errorf("data = %v; want value %q", p["data"], tc.value)
				}
			}
		})
	}
	// Nothing was stored.
	r := e.do(t, http.MethodGet, "/sources", nil)
	wantStatus(t, r, http.StatusOK)
	if data, _ := r.json(t)["data"].([]any); len(data) != 0 {
		t.Errorf("sources after rejected creates = %s", r.body)
	}
	// A nested type member chooses the connector too, and the stored
	// configuration has no top-level type member.
	r = e.do(t, http.MethodPost, "/sources", map[string]any{"name": "x", "workspaceId": ws, "configuration": map[string]any{"sourceType": "stripe", "account_id": "a"}})
	wantStatus(t, r, http.StatusOK)
	src := r.json(t)
	if cfg, _ := src["configuration"].(map[string]any); src["sourceType"] != "stripe" || cfg["sourceType"] != nil || cfg["account_id"] != "a" {
		t.Errorf("source = %s; want sourceType stripe and no sourceType in the configuration", r.body)
	}
	if src["definitionId"] != "e094cb9a-26de-4645-8761-65c0c425d1de" {
		t.Errorf("definitionId = %v; want the stripe definition", src["definitionId"])
	}
}

// TestInvalidRequests: requests the spec refuses get the server's bare
// {"errorId"}: 400 for parameters (bean validation) and 422 for bodies it
// cannot map; the fake names what was wrong in a header, never a value
// from the body.
func TestInvalidRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	const secret = "hunter2-do-not-echo"
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
		contentType  string
		token        bool
		status       int
		mentions     []string
	}{
		{name: "createSource without name", method: "POST", path: "/sources", body: map[string]any{"workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres", "password": secret}}, status: 422, mentions: []string{"name"}},
		{name: "createSource without configuration", method: "POST", path: "/sources", body: map[string]any{"name": "x", "workspaceId": ws}, status: 422, mentions: []string{"configuration"}},
		{name: "createSource name not a string", method: "POST", path: "/sources", body: map[string]any{"name": 7, "workspaceId": ws, "configuration": map[string]any{"sourceType": "postgres", "password": secret}}, status: 422, mentions: []string{"name"}},
		{name: "createSource bad workspaceId", method: "POST", path: "/sources", body: map[string]any{"name": "x", "workspaceId": "not-a-uuid", "configuration": map[string]any{"sourceType": "postgres", "password": secret}}, status: 422, mentions: []string{"workspaceId"}},
		{name: "bad uuid path parameter", method: "GET", path: "/sources/not-a-uuid", status: 400, mentions: []string{"sourceId", "uuid"}},
		{name: "bad integer path parameter", method: "GET", path: "/jobs/abc", status: 400, mentions: []string{"jobId"}},
		{name: "undeclared query parameter", method: "GET", path: "/sources?colour=blue", status: 400, mentions: []string{"colour"}},
		{name: "limit too small", method: "GET", path: "/sources?limit=0", status: 400, mentions: []string{"limit", "at least 1"}},
		{name: "limit too large", method: "GET", path: "/sources?limit=101", status: 400, mentions: []string{"limit", "at most 100"}},
		{name: "negative offset", method: "GET", path: "/sources?offset=-1", status: 400, mentions: []string{"offset", "at least 0"}},
		{name: "malformed escape", method: "GET", path: "/sources?limit=%zz", status: 400, mentions: []string{"percent-encoding"}},
		{name: "bad workspaceIds", method: "GET", path: "/sources?workspaceIds=nope", status: 400, mentions: []string{"workspaceIds", "uuid"}},
		{name: "createJob bad jobType", method: "POST", path: "/jobs", body: map[string]any{"connectionId": randomUUID, "jobType": "explode"}, status: 422, mentions: []string{"jobType"}},
		{name: "createJob without connectionId", method: "POST", path: "/jobs", body: map[string]any{"jobType": "sync"}, status: 422, mentions: []string{"connectionId"}},
		{name: "body not JSON", method: "POST", path: "/workspaces", body: "{not json", status: 422, mentions: []string{"body"}},
		{name: "missing body", method: "POST", path: "/workspaces", status: 400, mentions: []string{"body"}},
		{name: "body on GET", method: "GET", path: "/workspaces", body: map[string]any{"name": "x"}, status: 400, mentions: []string{"body"}},
		{name: "wrong content type", method: "POST", path: "/workspaces", body: `{"name":"x"}`, contentType: "text/plain", status: 400, mentions: []string{"Content-Type"}},
		{name: "token without secret", method: "POST", path: "/applications/token", body: map[string]any{"client_id": "x"}, token: false, status: 422, mentions: []string{"client_secret"}},
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
			req, err := http.NewRequestWithContext(t.Context(), tc.method, e.url(""), rd)
			if err != nil {
				t.Fatal(err)
			}
			// Keep the query exactly as written, bad escapes included.
			req.URL.Opaque = ""
			path, query, _ := strings.Cut(tc.path, "?")
			req.URL.Path, req.URL.RawQuery = fake.BasePath+path, query
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
			r := send(t, e.client, req)
			wantErrorID(t, r, tc.status)
			text := r.header.Get("X-Fake-Violation")
			for _, m := range tc.mentions {
				if !strings.Contains(text, m) {
					t.Errorf("violation %q does not mention %q", text, m)
				}
			}
			if strings.Contains(text+string(r.body), secret) {
				t.Errorf("a secret of the request came back: %q %s", text, r.body)
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
		if q.Get("limit") != "20" || q.Get("offset") != strconv.Itoa(offset) || q.Get("workspaceIds") != ws || q.Get("includeDeleted") != "false" {
			t.Errorf("link %q: want includeDeleted=false, limit=20, offset=%d, workspaceIds=%s", link, offset, ws)
		}
	}

	var got []string
	for i, tc := range []struct {
		offset, size   int
		next, previous int // -1: empty
	}{
		// next on every non-empty page, also the short last one.
		{0, 20, 20, -1},
		{20, 20, 40, 0},
		{40, 5, 60, 20},
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

	// Following next links from the first page visits every source once
	// and ends on an empty page.
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
	if p := get(t, "/sources?limit=100"); len(p.Data) != n+3 || p.Next == "" {
		t.Errorf("limit=100: %d items, next %q; want %d and a next link", len(p.Data), p.Next, n+3)
	}
	// Past the end: empty page with a previous link.
	if p := get(t, "/sources?workspaceIds="+ws+"&limit=20&offset=60"); len(p.Data) != 0 || p.Next != "" || p.Previous == "" {
		t.Errorf("past the end: %d items, next %q, previous %q", len(p.Data), p.Next, p.Previous)
	}
	// Exactly one full page: still a next link, to an empty page.
	if p := get(t, "/sources?workspaceIds="+ws+"&limit=45"); len(p.Data) != 45 || p.Next == "" {
		t.Errorf("limit=45: %d items, next %q", len(p.Data), p.Next)
	}
	// Another workspace's filter sees only its own sources.
	if p := get(t, "/sources?workspaceIds="+e.f.DefaultWorkspaceID()); len(p.Data) != 3 {
		t.Errorf("default workspace has %d sources; want 3", len(p.Data))
	}
	// An unknown workspace is refused: roles come before lookups.
	wantType(t, e.do(t, http.MethodGet, "/sources?workspaceIds="+randomUUID, nil), http.StatusForbidden, forbidden)
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
	type step struct {
		at       time.Duration // since the job was made
		status   string
		duration string // "" means absent
		last     string // lastUpdatedAt, "" means absent
	}
	for _, tc := range []struct {
		name      string
		fail      bool
		steps     []step
		wantBytes int64
		wantRows  int64
	}{
		{"succeeds", false, []step{
			{0, "pending", "", ""},
			{10 * time.Second, "running", "PT10S", ""},
			{55 * time.Second, "running", "PT10S", ""}, // updated when it started running
			{100 * time.Second, "succeeded", "PT1M40S", "2026-05-05T09:01:40Z"},
			{time.Hour, "succeeded", "PT1M40S", "2026-05-05T09:01:40Z"},
		}, bytes, rows},
		{"fails after three attempts", true, []step{
			{0, "pending", "", ""},
			{20 * time.Second, "running", "PT10S", ""},
			{37 * time.Second, "incomplete", "PT35S", ""},
			{45 * time.Second, "running", "PT40S", ""},
			{67 * time.Second, "incomplete", "PT1M5S", ""},
			{80 * time.Second, "running", "PT1M10S", ""},
			{120 * time.Second, "failed", "PT1M40S", "2026-05-05T09:01:40Z"},
		}, bytes / 2, rows / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			e := newEnv(t, fake.Options{JobDuration: dur, FailJobs: tc.fail, Now: clk.Now, TokenLifetime: 24 * time.Hour})
			conn := connection(t, e)
			start := clk.Now()
			id := startJob(t, e, conn)
			var j map[string]any
			for _, st := range tc.steps {
				clk.Advance(start.Add(st.at).Sub(clk.Now()))
				j = getJob(t, e, id)
				d, hasD := j["duration"].(string)
				l, hasL := j["lastUpdatedAt"].(string)
				if j["status"] != st.status || d != st.duration || (st.duration == "") == hasD || l != st.last || (st.last == "") == hasL {
					t.Errorf("at %v: %v; want %s, duration %q, lastUpdatedAt %q", st.at, j, st.status, st.duration, st.last)
				}
				if j["startTime"] != "2026-05-05T09:00Z" {
					t.Errorf("startTime = %v; want the zero seconds left out", j["startTime"])
				}
				if _, has := j["bytesSynced"]; has == (st.status == "pending") {
					t.Errorf("at %v: bytesSynced present = %v; want only once the job has run", st.at, has)
				}
			}
			if num(j, "bytesSynced") != tc.wantBytes || num(j, "rowsSynced") != tc.wantRows {
				t.Errorf("at end: %v; want %d bytes, %d rows", j, tc.wantBytes, tc.wantRows)
			}
			// Nothing runs: cancelling is a state conflict.
			wantProblem(t, e.do(t, http.MethodDelete, "/jobs/"+strconv.FormatInt(id, 10), nil), http.StatusConflict)
			// listJobs filters by status.
			r := e.do(t, http.MethodGet, "/jobs?connectionId="+conn+"&status="+j["status"].(string), nil)
			wantStatus(t, r, http.StatusOK)
			if data, _ := r.json(t)["data"].([]any); len(data) != 1 {
				t.Errorf("listJobs status=%s: %s", j["status"], r.body)
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
		frozen := num(j, "bytesSynced")
		if j["status"] != "cancelled" || frozen <= 0 || j["lastUpdatedAt"] != "2026-05-05T09:00:25Z" || j["duration"] != "PT25S" {
			t.Errorf("cancelled at 25%%: %v", j)
		}
		clk.Advance(dur)
		if j := getJob(t, e, id); j["status"] != "cancelled" || num(j, "bytesSynced") != frozen {
			t.Errorf("after cancel: %v; want cancelled with progress frozen", j)
		}
	})

	t.Run("clear reads back as reset, refresh is refused", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fake.Options{JobDuration: time.Hour})
		conn := connection(t, e)
		r := e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": conn, "jobType": "clear"})
		wantStatus(t, r, http.StatusOK)
		if jt := r.json(t)["jobType"]; jt != "reset" {
			t.Errorf("clear job reads back as %v; want reset", jt)
		}
		p := wantProblem(t, e.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": connection(t, e), "jobType": "refresh"}), http.StatusUnprocessableEntity)
		if p["title"] != "unprocessable-entity" || dataMessage(p) == "" {
			t.Errorf("refresh: %v; want unprocessable-entity with a message", p)
		}
	})

	t.Run("listJobs oldest first with filters", func(t *testing.T) {
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
			{"/jobs", []int64{j1, j2, j3}},
			{"/jobs?orderBy=createdAt|DESC", []int64{j3, j2, j1}},
			{"/jobs?connectionId=" + a, []int64{j1, j3}},
			{"/jobs?connectionId=" + b, []int64{j2}},
			{"/jobs?status=pending", []int64{j3}},
			{"/jobs?status=succeeded", []int64{j1, j2}},
			{"/jobs?jobType=reset", nil},
			{"/jobs?limit=1&offset=1", []int64{j2}},
		} {
			if got := ids(tc.path); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s = %v; want %v", tc.path, got, tc.want)
			}
		}
		// Links keep jobType and connectionId, drop the rest; previous
		// repeats limit as the server's builder does.
		base := e.srv.URL + fake.BasePath + "/jobs?jobType=sync&connectionId=" + a
		for _, tc := range []struct{ query, next, previous string }{
			{"&limit=1&offset=1", base + "&limit=1&offset=2", base + "&limit=1&limit=1&offset=0"},
			{"&status=succeeded&orderBy=createdAt%7CDESC&limit=1", base + "&limit=1&offset=1", ""},
			{"&limit=5&offset=5", "", base + "&limit=5&offset=0"}, // an empty page: no next
		} {
			body := e.do(t, http.MethodGet, "/jobs?connectionId="+a+"&jobType=sync"+tc.query, nil).json(t)
			if body["next"] != tc.next || body["previous"] != tc.previous {
				t.Errorf("%s: links = %q / %q; want %q / %q", tc.query, body["next"], body["previous"], tc.next, tc.previous)
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
	do("GET", "/tags/"+randomUUID, nil)                                                                                  // 404
	do("POST", "/sources", map[string]any{"name": "x", "workspaceId": ws, "configuration": map[string]any{"host": "h"}}) // 422
	do("DELETE", "/tags/"+tag, nil)                                                                                      // 204
	do("DELETE", "/connections/"+conn, nil)
	do("GET", "/organizations", nil)
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
	if len(page.Data) != initial+workers {
		t.Fatalf("%d sources listed; want %d", len(page.Data), initial+workers)
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
	p := wantType(t, e.do(t, http.MethodPost, "/tags", map[string]any{"name": "tag-03", "color": "000000", "workspaceId": ws}), http.StatusConflict, "error:tag-already-exists")
	if m := dataMessage(p); !strings.Contains(m, "tag-03") {
		t.Errorf("409 data.message %q does not name the tag", m)
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
	const postgres = "decd338e-5647-4c0b-adf4-da0e75f5a750"
	r := e.do(t, http.MethodPost, "/sources", map[string]any{
		"name": "By definition", "workspaceId": e.f.DefaultWorkspaceID(), "definitionId": postgres,
		"configuration": map[string]any{"host": "db"},
	})
	wantStatus(t, r, http.StatusOK)
	if got := r.json(t); got["definitionId"] != postgres || got["sourceType"] != "postgres" {
		t.Errorf("source = %s; want definition %s, type postgres", r.body, postgres)
	}
	// A definition the workspace cannot use is not found.
	p := wantProblem(t, e.do(t, http.MethodPost, "/sources", map[string]any{
		"name": "x", "workspaceId": e.f.DefaultWorkspaceID(), "definitionId": randomUUID, "configuration": map[string]any{},
	}), http.StatusNotFound)
	if data, _ := p["data"].(map[string]any); data["resourceId"] != randomUUID {
		t.Errorf("data = %v; want the definition named", p["data"])
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

// TestTokenLifetimeHonest: expires_in is whole seconds rounded down and a
// token works exactly that long; a sub-second lifetime is advertised as 0.
func TestTokenLifetimeHonest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		life      time.Duration
		expiresIn int64
		works     time.Duration // last instant the token is accepted
	}{
		{300 * time.Millisecond, 0, 299 * time.Millisecond},
		{1500 * time.Millisecond, 1, 999 * time.Millisecond},
		{0, 900, 900*time.Second - time.Millisecond}, // the default: 15 minutes
	} {
		t.Run(tc.life.String(), func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			e := newServer(t, fake.Options{TokenLifetime: tc.life, Now: clk.Now})
			r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": e.f.ClientID(), "client_secret": e.f.ClientSecret()})
			wantStatus(t, r, http.StatusOK)
			body := r.json(t)
			if got := num(body, "expires_in"); got != tc.expiresIn {
				t.Errorf("expires_in = %d; want %d", got, tc.expiresIn)
			}
			tok := body["access_token"].(string)
			clk.Advance(tc.works)
			wantStatus(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusOK)
			clk.Advance(time.Millisecond)
			wantProblem(t, e.call(t, tok, http.MethodGet, "/workspaces", nil), http.StatusUnauthorized)
		})
	}
	e := newServer(t, fake.Options{RateLimitEvery: 1, RetryAfter: 1500 * time.Millisecond})
	r := e.call(t, "", http.MethodGet, "/health", nil)
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
		{"", []int64{ids[0], ids[1], ids[2]}}, // oldest first by default
		{"?orderBy=createdAt|DESC", []int64{ids[2], ids[1], ids[0]}},
		{"?orderBy=updatedAt|DESC", []int64{ids[2], ids[1], ids[0]}},
		{"?connectionId=" + connA, []int64{ids[0], ids[2]}},
		{"?createdAtStart=" + at(time.Minute), []int64{ids[1], ids[2]}},
		{"?createdAtEnd=" + at(time.Minute), []int64{ids[0]}},
		{"?updatedAtStart=" + at(4*time.Minute), []int64{ids[2]}},
		{"?workspaceIds=" + e.f.DefaultWorkspaceID(), []int64{ids[0], ids[1], ids[2]}},
		{"?workspaceIds=" + e.f.DefaultWorkspaceID() + "&workspaceIds=" + otherWS.json(t)["workspaceId"].(string), []int64{ids[0], ids[1], ids[2]}},
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
	p := wantProblem(t, e.do(t, http.MethodDelete, "/workspaces/"+ws+"/oauthCredentials/source/google%20sheets%2Fv2", nil), http.StatusBadRequest)
	if data, _ := p["data"].(map[string]any); data["value"] != "google sheets/v2" {
		t.Errorf("data = %v; want the unescaped name", p["data"])
	}

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
