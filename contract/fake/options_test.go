package fake_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// TestRoles: the Role option sets what the default application's user
// may do, as the server's role checks decide.
func TestRoles(t *testing.T) {
	t.Parallel()
	type check struct {
		method, path string
		body         func(ws string) any
		status       int
	}
	srcBody := func(ws string) any {
		return map[string]any{"name": "s", "workspaceId": ws, "configuration": map[string]any{"sourceType": "faker"}}
	}
	dstBody := func(ws string) any {
		return map[string]any{"name": "d", "workspaceId": ws, "configuration": map[string]any{"destinationType": "e2e-test"}}
	}
	for _, tc := range []struct {
		role   string
		checks []check
	}{
		{"workspace_reader", []check{
			{"GET", "/workspaces/{ws}", nil, 200},
			{"GET", "/sources", nil, 200},
			{"POST", "/sources", srcBody, 403},
			{"PATCH", "/workspaces/{ws}", func(string) any { return map[string]any{"name": "x"} }, 403},
			{"POST", "/workspaces", func(string) any { return map[string]any{"name": "x"} }, 403},
			{"GET", "/users?organizationId={org}", nil, 200}, // a member of the organization
			{"GET", "/groups?organizationId={org}", nil, 403},
		}},
		{"workspace_source_editor", []check{
			{"POST", "/sources", srcBody, 200},
			{"POST", "/destinations", dstBody, 403},
		}},
		{"workspace_destination_editor", []check{
			{"POST", "/sources", srcBody, 403},
			{"POST", "/destinations", dstBody, 200},
		}},
		{"organization_reader", []check{
			{"GET", "/sources", nil, 200},
			{"POST", "/sources", srcBody, 403},
			{"GET", "/regions?organizationId={org}", nil, 403},
		}},
		{"organization_admin", []check{
			{"POST", "/sources", srcBody, 200},
			{"GET", "/regions?organizationId={org}", nil, 200},
			{"GET", "/sources/" + randomUUID, nil, 403},
		}},
		{"instance_admin", []check{
			{"GET", "/sources/" + randomUUID, nil, 404},
			{"GET", "/workspaces/" + randomUUID, nil, 404},
		}},
	} {
		t.Run(tc.role, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fake.Options{Role: tc.role})
			ws, org := e.f.DefaultWorkspaceID(), e.f.DefaultOrganizationID()
			for _, c := range tc.checks {
				path := strings.NewReplacer("{ws}", ws, "{org}", org).Replace(c.path)
				var body any
				if c.body != nil {
					body = c.body(ws)
				}
				if r := e.do(t, c.method, path, body); r.status != c.status {
					t.Errorf("%s %s = %d; want %d: %s", c.method, path, r.status, c.status, r.body)
				}
			}
		})
	}
	if _, err := fake.New(fake.Options{Role: "superuser"}); err == nil {
		t.Error("New accepted an unknown role")
	}
	if _, err := fake.New(fake.Options{Edition: "enterprise"}); err == nil {
		t.Error("New accepted an unknown edition")
	}
}

// TestCommunityEdition: rejected credentials get the framework's 400 HAL
// body; the default application is an instance admin.
func TestCommunityEdition(t *testing.T) {
	t.Parallel()
	e := newServer(t, fake.Options{Edition: fake.EditionCommunity})
	r := e.call(t, "", http.MethodPost, "/applications/token", map[string]any{"client_id": "x", "client_secret": "y"})
	wantStatus(t, r, http.StatusBadRequest)
	body := r.json(t)
	emb, _ := body["_embedded"].(map[string]any)
	if errs, _ := emb["errors"].([]any); body["message"] == nil || body["_links"] == nil || len(errs) != 1 {
		t.Errorf("body = %s; want a HAL error body", r.body)
	}
	e.token = e.fetchToken(t)
	wantType(t, e.do(t, http.MethodGet, "/sources/"+randomUUID, nil), http.StatusNotFound, notFound)
}

// TestSDKHabits replays what the official SDKs send: a form token body,
// explicit nulls for unset fields, repeated array filters.
func TestSDKHabits(t *testing.T) {
	t.Parallel()
	e := newServer(t, fake.Options{})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {e.f.ClientID()}, "client_secret": {e.f.ClientSecret()}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url("/applications/token"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r := send(t, e.client, req)
	wantStatus(t, r, http.StatusOK)
	e.token = r.json(t)["access_token"].(string)
	ws := e.f.DefaultWorkspaceID()
	other := e.must(t, 200, "POST", "/workspaces", map[string]any{"name": "b"})["workspaceId"].(string)
	src := e.must(t, 200, "POST", "/sources", map[string]any{"name": "s", "workspaceId": ws, "configuration": map[string]any{"sourceType": "faker"}})
	dst := e.must(t, 200, "POST", "/destinations", map[string]any{"name": "d", "workspaceId": ws, "configuration": map[string]any{"destinationType": "e2e-test"}})
	// A raw body with an explicit null, as the official SDKs write it.
	body := fmt.Sprintf(`{"sourceId":%q,"destinationId":%q,"namespaceFormat":null,"schedule":{"scheduleType":"manual"}}`,
		src["sourceId"], dst["destinationId"])
	c := e.must(t, 200, "POST", "/connections", body)
	if _, ok := c["namespaceFormat"]; ok || c["name"] == nil {
		t.Errorf("connection = %v; want namespaceFormat left out and a default name", c)
	}
	e.must(t, 200, "POST", "/sources", map[string]any{"name": "t", "workspaceId": other, "configuration": map[string]any{"sourceType": "faker"}})
	for _, q := range []string{"workspaceIds=" + ws + "&workspaceIds=" + other, "workspaceIds=" + ws + "," + other} {
		if got := list(t, e.must(t, 200, "GET", "/sources?"+q, nil), "data"); len(got) != 2 {
			t.Errorf("/sources?%s listed %d; want 2", q, len(got))
		}
	}
}

// TestPublicURLAndLoadShedding: links are written on the configured
// public URL; load shedding answers 429 {"message"} without Retry-After.
func TestPublicURLAndLoadShedding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{PublicURL: "https://airbyte.example.com/api/public/"})
	createSource(t, e, e.f.DefaultWorkspaceID(), "s")
	next := e.must(t, 200, "GET", "/sources?limit=1", nil)["next"]
	if next != "https://airbyte.example.com/api/public/v1/sources?includeDeleted=false&limit=1&offset=1" {
		t.Errorf("next = %v; want it on the public URL", next)
	}
	if _, err := fake.New(fake.Options{PublicURL: "/relative"}); err == nil {
		t.Error("New accepted a relative PublicURL")
	}

	s := newServer(t, fake.Options{ShedLoadEvery: 2})
	var got []int
	for range 4 {
		r := s.call(t, "", http.MethodGet, "/health", nil)
		got = append(got, r.status)
		if r.status == http.StatusTooManyRequests {
			if r.header.Get("Retry-After") != "" {
				t.Errorf("load shedding sent Retry-After %q", r.header.Get("Retry-After"))
			}
			if body := r.json(t); len(body) != 1 || body["message"] == nil {
				t.Errorf("body = %s; want only a message", r.body)
			}
		}
	}
	if fmt.Sprint(got) != "[200 429 200 429]" {
		t.Errorf("statuses = %v; want every second shed", got)
	}
}

// TestState: a saved state loads into a new fake with its resources and
// jobs; foreign and corrupt files are refused and change nothing.
func TestState(t *testing.T) {
	t.Parallel()
	clk := newClock()
	e := newEnv(t, fake.Options{Now: clk.Now, JobDuration: time.Minute})
	conn := connection(t, e)
	job := startJob(t, e, conn)
	tag := e.must(t, 200, "POST", "/tags", map[string]any{"name": "kept", "color": "000000", "workspaceId": e.f.DefaultWorkspaceID()})["tagId"].(string)
	data, err := e.f.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"pw"`)) {
		t.Error("the state holds a connector secret")
	}

	e2 := newServer(t, fake.Options{Now: clk.Now, JobDuration: time.Minute})
	if err := e2.f.LoadState(data); err != nil {
		t.Fatal(err)
	}
	if e2.f.DefaultWorkspaceID() != e.f.DefaultWorkspaceID() {
		t.Errorf("default workspace = %s; want %s from the state", e2.f.DefaultWorkspaceID(), e.f.DefaultWorkspaceID())
	}
	e2.token = e2.fetchToken(t)
	e2.must(t, 200, "GET", "/connections/"+conn, nil)
	e2.must(t, 200, "GET", "/tags/"+tag, nil)
	// The job still runs after the reload, and blocks a second one.
	wantStatus(t, e2.do(t, http.MethodPost, "/jobs", map[string]any{"connectionId": conn, "jobType": "sync"}), http.StatusConflict)
	clk.Advance(time.Minute)
	if j := getJob(t, e2, job); j["status"] != "succeeded" {
		t.Errorf("reloaded job = %v", j)
	}
	if next := startJob(t, e2, conn); next <= job {
		t.Errorf("new job id %d; want after %d", next, job)
	}

	for _, bad := range []string{"", "{", `{"format":"something else","version":1}`, `{"format":"airbyte-go fake state","version":99}`,
		`{"format":"airbyte-go fake state","version":1,"tables":{"workspaces":[]}}`} {
		err := e2.f.LoadState([]byte(bad))
		if !errors.Is(err, fake.ErrStateFile) {
			t.Errorf("LoadState(%q) = %v; want ErrStateFile", bad, err)
		}
	}
	e2.must(t, 200, "GET", "/tags/"+tag, nil) // unchanged by the refusals
}

// TestBoundedLoad sends 20,000 mixed requests from 8 goroutines straight
// to the handler and checks that goroutines and memory come back to where
// they were.
func TestBoundedLoad(t *testing.T) {
	e := newEnv(t, fake.Options{JobDuration: 50 * time.Millisecond})
	ws := e.f.DefaultWorkspaceID()
	conn := connection(t, e)
	do := func(method, path, body string) int {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, fake.BasePath+path, rd)
		req.Header.Set("Authorization", "Bearer "+e.token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		e.f.ServeHTTP(rec, req)
		return rec.Code
	}
	var mem runtime.MemStats
	measure := func() (int, uint64) {
		runtime.GC()
		runtime.ReadMemStats(&mem)
		return runtime.NumGoroutine(), mem.HeapInuse
	}
	do("GET", "/workspaces", "") // warm up
	g0, h0 := measure()
	const total, workers = 20_000, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range total / workers {
				var status int
				switch i % 5 {
				case 0:
					status = do("GET", "/workspaces/"+ws, "")
				case 1:
					status = do("GET", "/sources?limit=5", "")
				case 2:
					status = do("POST", "/jobs", fmt.Sprintf(`{"connectionId":%q,"jobType":"sync"}`, conn))
				case 3:
					status = do("GET", "/jobs?connectionId="+conn+"&limit=5&orderBy=createdAt%7CDESC", "")
				case 4:
					status = do("GET", "/sources/"+randomUUID, "")
				}
				if status != 200 && status != 403 && status != 409 {
					errs <- fmt.Errorf("worker %d request %d: status %d", w, i, status)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	g1, h1 := measure()
	if g1 > g0 {
		t.Errorf("goroutines %d → %d after the load", g0, g1)
	}
	// Jobs made during the load stay (a few thousand small records); the
	// heap may grow by what they take, not by what the requests took.
	if h1 > h0+16<<20 {
		t.Errorf("heap in use %d → %d bytes after the load", h0, h1)
	}
}

// TestCronExpressions: Quartz expressions as the public API checks them;
// refusals are 400 bad-request naming the expression.
func TestCronExpressions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	src := createSource(t, e, ws, "s")["sourceId"]
	dst := e.must(t, 200, "POST", "/destinations", map[string]any{"name": "d", "workspaceId": ws, "configuration": map[string]any{"destinationType": "e2e-test"}})["destinationId"]
	for _, tc := range []struct {
		expr, want string // want "" means refused
	}{
		{"0 0 12 * * ?", "0 0 12 * * ? UTC"},
		{"0 15 10 ? * MON-FRI", "0 15 10 ? * MON-FRI UTC"},
		{"0 0 12 1 * ? 2027", "0 0 12 1 * ? 2027 UTC"},
		{"0 0 12 * * ? UTC", "0 0 12 * * ? UTC"},
		{"0 0 0/6 * * ?", "0 0 0/6 * * ? UTC"},
		{"every day", ""},
		{"0 0 12 * *", ""},
		{"* 0 12 * * ?", ""},
		{"0 0 25 * * ?", ""},
		{"0 0 12 1 * MON", ""},
		{"0 0 12 ? * ?", ""},
	} {
		r := e.do(t, http.MethodPost, "/connections", map[string]any{"sourceId": src, "destinationId": dst,
			"schedule": map[string]any{"scheduleType": "cron", "cronExpression": tc.expr}})
		if tc.want == "" {
			p := wantType(t, r, http.StatusBadRequest, "https://reference.airbyte.com/reference/errors#bad-request")
			if !strings.Contains(dataMessage(p), tc.expr) {
				t.Errorf("%q: data.message %q does not name the expression", tc.expr, dataMessage(p))
			}
			continue
		}
		wantStatus(t, r, http.StatusOK)
		if got := r.json(t)["schedule"].(map[string]any)["cronExpression"]; got != tc.want {
			t.Errorf("%q read back as %v; want %q", tc.expr, got, tc.want)
		}
	}
}

// TestConfigurationFitsConnector: for connectors whose schema the fake
// knows, a configuration that does not fit is 422 naming the field and the
// rule, never a value; a patch is checked as a patch, and a refused write
// changes nothing.
func TestConfigurationFitsConnector(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{})
	ws := e.f.DefaultWorkspaceID()
	const secret = "s3cr3t-value"
	bad := e.do(t, http.MethodPost, "/sources", map[string]any{"name": "pg", "workspaceId": ws,
		"configuration": map[string]any{"sourceType": "postgres", "host": "db", "port": "five", "password": secret}})
	p := wantType(t, bad, http.StatusUnprocessableEntity, "https://reference.airbyte.com/reference/errors#unprocessable-entity")
	if m := dataMessage(p); !strings.Contains(m, "/port") || strings.Contains(string(bad.body), secret) || strings.Contains(m, "five") {
		t.Errorf("422 data.message = %q; want /port named and no value", m)
	}
	src := createSource(t, e, ws, "pg")
	id := src["sourceId"].(string)
	// A patch need not repeat what is stored, but what it gives must fit.
	e.must(t, 200, "PATCH", "/sources/"+id, map[string]any{"configuration": map[string]any{"port": 5432}})
	wantStatus(t, e.do(t, "PATCH", "/sources/"+id, map[string]any{"configuration": map[string]any{"port": 70000}}), http.StatusUnprocessableEntity)
	wantStatus(t, e.do(t, "PUT", "/sources/"+id, map[string]any{"name": "x", "configuration": map[string]any{"ssl_mode": map[string]any{"mode": "bogus"}}}), http.StatusUnprocessableEntity)
	got := e.must(t, 200, "GET", "/sources/"+id, nil)
	if cfg := got["configuration"].(map[string]any); cfg["port"] != float64(5432) || got["name"] != "pg" {
		t.Errorf("after refused writes: %v; want the accepted patch only", got)
	}
	wantStatus(t, e.do(t, "POST", "/destinations", map[string]any{"name": "d", "workspaceId": ws,
		"configuration": map[string]any{"destinationType": "e2e-test", "test_destination": map[string]any{"test_destination_type": "LOUD"}}}), http.StatusUnprocessableEntity)
}

// TestCommunityStubs: the community edition's OAuth services answer 501
// without a body, it has no callback route, and it keeps no applications.
func TestCommunityStubs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fake.Options{Edition: fake.EditionCommunity})
	ws := e.f.DefaultWorkspaceID()
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/sources/initiateOAuth", map[string]any{"workspaceId": ws, "sourceType": "github", "redirectUrl": "https://a.example.com"}},
		{"PUT", "/workspaces/" + ws + "/oauthCredentials", map[string]any{"actorType": "source", "name": "github", "configuration": map[string]any{}}},
		{"DELETE", "/workspaces/" + ws + "/oauthCredentials/source/github", nil},
	} {
		r := e.do(t, tc.method, tc.path, tc.body)
		if r.status != http.StatusNotImplemented || len(r.body) != 0 {
			t.Errorf("%s %s = %d %q; want 501 without a body", tc.method, tc.path, r.status, r.body)
		}
	}
	wantErrorID(t, e.call(t, "", "GET", "/oauth/callback?state=x", nil), http.StatusNotFound)
	wantErrorID(t, e.do(t, "POST", "/applications", map[string]any{"name": "x"}), http.StatusInternalServerError)
	a := list(t, e.must(t, 200, "GET", "/applications", nil), "applications")
	b := list(t, e.must(t, 200, "GET", "/applications", nil), "applications")
	if len(a) != 1 || a[0]["clientId"] != e.f.ClientID() || a[0]["id"] == b[0]["id"] {
		t.Errorf("applications = %v then %v; want one entry with a new id each time", a, b)
	}
	wantStatus(t, e.do(t, "GET", "/applications/"+a[0]["id"].(string), nil), http.StatusNotFound)
}

// TestRegionRules: names unique per organization (500 as the server's
// database error), lists newest first by update.
func TestRegionRules(t *testing.T) {
	t.Parallel()
	clk := newClock()
	e := newEnv(t, fake.Options{Now: clk.Now})
	org := e.f.DefaultOrganizationID()
	a := e.must(t, 200, "POST", "/regions", map[string]any{"name": "a", "organizationId": org})["regionId"].(string)
	clk.Advance(time.Minute)
	b := e.must(t, 200, "POST", "/regions", map[string]any{"name": "b", "organizationId": org})["regionId"].(string)
	p := wantProblem(t, e.do(t, "POST", "/regions", map[string]any{"name": "a", "organizationId": org}), http.StatusInternalServerError)
	if p["title"] != "unexpected-problem" {
		t.Errorf("duplicate region: %v", p)
	}
	wantStatus(t, e.do(t, "PATCH", "/regions/"+b, map[string]any{"name": "a"}), http.StatusInternalServerError)
	order := func() []string { return ids(bareArray(t, e, "/regions?organizationId="+org), "regionId") }
	if got := order(); len(got) != 2 || got[0] != b {
		t.Errorf("regions = %v; want %s (newest) first", got, b)
	}
	clk.Advance(time.Minute)
	e.must(t, 200, "PATCH", "/regions/"+a, map[string]any{"enabled": false})
	if got := order(); got[0] != a {
		t.Errorf("regions after updating %s = %v; want it first", a, got)
	}
	e.must(t, 200, "POST", "/dataplanes", map[string]any{"name": "dp", "regionId": a})
	wantStatus(t, e.do(t, "POST", "/dataplanes", map[string]any{"name": "dp", "regionId": a}), http.StatusInternalServerError)
	e.must(t, 200, "POST", "/dataplanes", map[string]any{"name": "dp", "regionId": b}) // another region: fine
}
