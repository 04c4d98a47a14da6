package auth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"golang.org/x/oauth2"
)

// apiServer answers 401 to the first n requests carrying any token and
// records the Authorization headers it saw.
type apiServer struct {
	*httptest.Server
	mu      sync.Mutex
	auths   []string
	bodies  []string
	rejectN atomic.Int64
}

func newAPIServer(t *testing.T, reject int64) *apiServer {
	s := &apiServer{}
	s.rejectN.Store(reject)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		if s.rejectN.Add(-1) >= 0 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestTransportReplaysOnceOn401(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", okToken(900))
	src := newSource(t, ts, nil, lc)
	cases := []struct {
		name       string
		reject     int64
		body       func() (io.Reader, bool)
		wantStatus int
		wantCalls  int
	}{
		{"GET replayed once", 1, nil, 200, 2},
		{"still 401 after one replay", 5, nil, 401, 2},
		{"replayable POST body", 1, func() (io.Reader, bool) { return strings.NewReader(`{"a":1}`), true }, 200, 2},
		{"unreplayable body is not replayed", 1, func() (io.Reader, bool) { return io.NopCloser(strings.NewReader(`{"a":1}`)), false }, 401, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newAPIServer(t, tc.reject)
			client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1"}}
			method, body := http.MethodGet, io.Reader(nil)
			if tc.body != nil {
				method = http.MethodPost
				body, _ = tc.body()
			}
			req, _ := http.NewRequestWithContext(t.Context(), method, api.URL+"/v1/sources", body)
			resp, err := client.Do(req)
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d; want %d", resp.StatusCode, tc.wantStatus)
			}
			api.mu.Lock()
			defer api.mu.Unlock()
			if len(api.auths) != tc.wantCalls {
				t.Fatalf("API calls = %d; want %d", len(api.auths), tc.wantCalls)
			}
			if tc.wantCalls == 2 {
				if api.auths[0] == api.auths[1] {
					t.Errorf("replay used the rejected token; want a fresh one")
				}
				if api.bodies[0] != api.bodies[1] {
					t.Errorf("replayed body = %q; want %q", api.bodies[1], api.bodies[0])
				}
			}
		})
	}
}

func TestTransportOnlyAuthenticatesTheAPI(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", okToken(900))
	src := newSource(t, ts, nil, lc)
	foreign := newAPIServer(t, 0)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/v1/elsewhere", http.StatusFound)
	}))
	t.Cleanup(api.Close)
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1"}}
	resp, err := client.Get(api.URL + "/v1/jobs/1")
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	foreign.mu.Lock()
	defer foreign.mu.Unlock()
	if len(foreign.auths) != 1 || foreign.auths[0] != "" {
		t.Errorf("foreign host saw Authorization %q; want none", foreign.auths)
	}
	// Same host, other paths: no token either.
	other := newAPIServer(t, 0)
	client = &http.Client{Transport: &auth.Transport{Source: src, BaseURL: other.URL + "/v1"}}
	for _, u := range []string{other.URL + "/v2/jobs", other.URL + "/v1x/jobs", other.URL + "/v1/jobs"} {
		resp, err := client.Get(u)
		if lc.err(err) != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	other.mu.Lock()
	defer other.mu.Unlock()
	if len(other.auths) != 3 || other.auths[0] != "" || other.auths[1] != "" || !strings.HasPrefix(other.auths[2], "Bearer ") {
		t.Errorf("Authorization for /v2, /v1x, /v1 = %q; want none, none, a bearer token", other.auths)
	}
}

func TestStaticTokenRejection(t *testing.T) {
	t.Parallel()
	api := newAPIServer(t, 1)
	client := &http.Client{Transport: &auth.Transport{Source: auth.StaticToken(sentinelToken), BaseURL: api.URL}}
	resp, err := client.Get(api.URL + "/workspaces")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	api.mu.Lock()
	calls := len(api.auths)
	api.mu.Unlock()
	if resp.StatusCode != http.StatusUnauthorized || calls != 1 {
		t.Errorf("status = %d after %d calls; want the 401 passed through after 1 call (static tokens are not refreshed)", resp.StatusCode, calls)
	}
}

type nopTransport struct{}

func (nopTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// BenchmarkTransport compares a request through Transport with a cached
// token (a static one, and a client-credentials one fetched before the
// timer starts) against the bare transport underneath it.
func BenchmarkTransport(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "https://api.airbyte.com/v1/workspaces", nil)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"bench-token","token_type":"Bearer","expires_in":900}`)
	}))
	b.Cleanup(ts.Close)
	cc, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: ts.URL + "/v1"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cc.Token(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		var rt http.RoundTripper = nopTransport{}
		for b.Loop() {
			rt.RoundTrip(req)
		}
	})
	for _, tc := range []struct {
		name string
		src  auth.TokenSource
	}{
		{"static", auth.StaticToken("bench-token")},
		{"client-credentials-cached", cc},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			rt := &auth.Transport{Source: tc.src, BaseURL: "https://api.airbyte.com/v1", Base: nopTransport{}}
			for b.Loop() {
				if _, err := rt.RoundTrip(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConcurrentTokenRequests reports token requests per 10,000
// concurrent calls on a cold source; it must be 1.
func BenchmarkConcurrentTokenRequests(b *testing.B) {
	var total, runs int64
	for b.Loop() {
		var requests atomic.Int64
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"t","token_type":"Bearer","expires_in":900}`)
		}))
		src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: ts.URL})
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range 10000 {
			wg.Go(func() {
				if _, err := src.Token(context.Background()); err != nil {
					failed.Add(1)
				}
			})
		}
		wg.Wait()
		ts.Close()
		if failed.Load() > 0 {
			b.Fatalf("%d calls failed", failed.Load())
		}
		total += requests.Load()
		runs++
	}
	b.ReportMetric(float64(total)/float64(runs), "token-requests/10k-calls")
}

type failingSource struct{ err error }

func (f failingSource) Token(context.Context) (*auth.Token, error) { return nil, f.err }

func TestRequestEditor(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	edit := auth.RequestEditor(auth.StaticToken("tok"), "https://api.airbyte.com/v1")
	cases := []struct {
		method, url string
		want        string
	}{
		{http.MethodGet, "https://api.airbyte.com/v1/workspaces", "Bearer tok"},
		{http.MethodPost, "https://api.airbyte.com:443/v1/sources", "Bearer tok"},
		{http.MethodGet, "https://evil.example.com/v1/workspaces", ""},
		{http.MethodGet, "http://api.airbyte.com/v1/workspaces", ""},
		{http.MethodGet, "https://api.airbyte.com/v2/workspaces", ""},
		{http.MethodGet, "https://api.airbyte.com/v1/health", ""},
		{http.MethodPost, "https://api.airbyte.com/v1/applications/token", ""},
	}
	for _, tc := range cases {
		req, err := http.NewRequest(tc.method, tc.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := lc.err(edit(t.Context(), req)); err != nil {
			t.Fatalf("%s %s: error = %v", tc.method, tc.url, err)
		}
		if got := req.Header.Get("Authorization"); got != tc.want {
			t.Errorf("%s %s: Authorization = %q; want %q", tc.method, tc.url, got, tc.want)
		}
	}

	// A source's error fails the request it would authenticate.
	boom := errors.New("no token")
	req, _ := http.NewRequest(http.MethodGet, "https://api.airbyte.com/v1/workspaces", nil)
	if err := auth.RequestEditor(failingSource{boom}, "https://api.airbyte.com/v1")(t.Context(), req); !errors.Is(err, boom) {
		t.Errorf("error = %v; want the source's error", err)
	}

	// Through the generated client, with a self-managed path prefix.
	ts := newTokenServer(t, "/api/public/v1", okToken(900))
	src := newSource(t, ts, nil, lc)
	api := newAPIServer(t, 0)
	base := api.URL + "/api/public/v1"
	client, err := generated.NewClient(base, generated.WithRequestEditorFn(auth.RequestEditor(src, base)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.ListWorkspaces(t.Context(), &generated.ListWorkspacesParams{})
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want, err := src.Token(t.Context())
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.auths) != 1 || api.auths[0] != "Bearer "+want.AccessToken {
		t.Errorf("API saw %d requests; want 1 with the source's bearer token", len(api.auths))
	}
}

func TestOAuth2TokenSource(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", okToken(900))
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	src := newSource(t, ts, clk, lc)
	got, err := auth.OAuth2TokenSource(t.Context(), src).Token()
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	want, err := src.Token(t.Context())
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	if got.AccessToken != want.AccessToken {
		t.Errorf("AccessToken differs from the source's")
	}
	if got.TokenType != "Bearer" {
		t.Errorf("TokenType = %q; want Bearer", got.TokenType)
	}
	if wantExp := clk.Now().Add(900 * time.Second); !got.Expiry.Equal(wantExp) || !got.Expiry.Equal(want.Expiry) {
		t.Errorf("Expiry = %v; want %v", got.Expiry, wantExp)
	}
	if n := ts.requests.Load(); n != 1 {
		t.Errorf("token requests = %d; want 1 (the adapter uses the source's cache)", n)
	}
	boom := errors.New("no token")
	if tok, err := auth.OAuth2TokenSource(t.Context(), failingSource{boom}).Token(); tok != nil || !errors.Is(err, boom) {
		t.Errorf("Token() = %v, %v; want nil and the source's error", tok, err)
	}
}

func TestFromEnvTokenURL(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/custom", okToken(900))
	tokenURL := ts.URL + "/custom/applications/token"
	cfg, _, err := auth.ConfigFromEnv(func(k string) string {
		return map[string]string{
			"AIRBYTE_CLIENT_ID":     "id",
			"AIRBYTE_CLIENT_SECRET": sentinelSecret,
			"AIRBYTE_API_URL":       "https://airbyte.example.com/api/public/v1",
			"AIRBYTE_TOKEN_URL":     tokenURL,
		}[k]
	})
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	src, err := auth.NewClientCredentials(cfg)
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	if base := src.ServerURL(); base != "https://airbyte.example.com/api/public/v1" {
		t.Errorf("base = %q; want the API URL", base)
	}
	if src.TokenURL() != tokenURL {
		t.Fatalf("TokenURL() = %q; want %q", src.TokenURL(), tokenURL)
	}
	if _, err := src.Token(t.Context()); lc.err(err) != nil {
		t.Fatalf("Token() error = %v; want a token from AIRBYTE_TOKEN_URL", err)
	}
	if n := ts.requests.Load(); n != 1 {
		t.Errorf("requests to AIRBYTE_TOKEN_URL = %d; want 1", n)
	}
	cfg, _, err = auth.ConfigFromEnv(func(k string) string {
		return map[string]string{"AIRBYTE_CLIENT_ID": "id", "AIRBYTE_CLIENT_SECRET": sentinelSecret, "AIRBYTE_TOKEN_URL": "http://tokens.example.com/token"}[k]
	})
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	_, err = auth.NewClientCredentials(cfg)
	if lc.err(err) == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("plain-http AIRBYTE_TOKEN_URL: error = %v; want a refusal", err)
	}
}

type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestConfigHTTPClientUsedNotMutated(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", okToken(900))
	rt := &countingTransport{}
	jar := &nopJar{}
	hc := &http.Client{Transport: rt, Timeout: 7 * time.Second, Jar: jar}
	src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + "/v1", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(t.Context()); lc.err(err) != nil {
		t.Fatal(err)
	}
	if n := rt.n.Load(); n != 1 {
		t.Errorf("token requests through Config.HTTPClient's transport = %d; want 1", n)
	}
	if hc.CheckRedirect != nil || hc.Transport != rt || hc.Timeout != 7*time.Second || hc.Jar != jar {
		t.Errorf("Config.HTTPClient was modified: %+v", hc)
	}
}

type nopJar struct{}

func (*nopJar) SetCookies(*url.URL, []*http.Cookie) {}
func (*nopJar) Cookies(*url.URL) []*http.Cookie     { return nil }

func TestConfigFromEnvAndURLChecks(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, tok, err := auth.ConfigFromEnv(env(map[string]string{auth.EnvClientID: "id", auth.EnvClientSecret: "s", auth.EnvTokenURL: "https://sso.example.com/token"}))
	if err != nil || cfg.ClientID != "id" || cfg.ClientSecret != "s" || cfg.TokenURL != "https://sso.example.com/token" || cfg.ServerURL != "" || tok != "" {
		t.Errorf("client credentials: %v, %q, %v", cfg, tok, err)
	}
	cfg, tok, err = auth.ConfigFromEnv(env(map[string]string{auth.EnvAccessToken: "T", auth.EnvAPIURL: "http://airbyte.internal/api/public/v1"}))
	if err != nil || tok != "T" || cfg.ServerURL != "http://airbyte.internal/api/public/v1" {
		t.Errorf("static token: %v, %v (plain http is judged later, not here)", cfg, err)
	}
	for _, bad := range []string{auth.EnvAPIURL, auth.EnvTokenURL} {
		_, _, err := auth.ConfigFromEnv(env(map[string]string{auth.EnvAccessToken: "T", bad: "not a url"}))
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("bad %s: error %v, want one naming it", bad, err)
		}
	}
	_, err = auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: "http://airbyte.internal/api/public/v1"})
	if !errors.Is(err, auth.ErrInsecureHTTP) {
		t.Errorf("NewClientCredentials over plain http: %v, want ErrInsecureHTTP", err)
	}
	for _, ok := range []string{"http://localhost:8000/api/public/v1", "http://127.0.0.1/api/public/v1", "http://[::1]:8000/api/public/v1"} {
		if _, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: ok}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestRefusedRefreshAfter401IsCredentialsRejected(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	// The credentials are revoked after the first token: the API refuses
	// the token, and the token endpoint the credentials.
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
		if n == 1 {
			okToken(900)(w, n)
			return
		}
		problemReply(401, `{"type":"error:unauthorized","title":"Unauthorized","status":401}`)(w, n)
	})
	src := newSource(t, ts, nil, lc)
	api := newAPIServer(t, 1000)
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1"}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, api.URL+"/v1/sources", nil)
	resp, err := client.Do(req)
	if resp != nil {
		resp.Body.Close()
		t.Errorf("status = %d; want no response but the refresh's error", resp.StatusCode)
	}
	if !errors.Is(lc.err(err), auth.ErrCredentialsRejected) {
		t.Errorf("error = %v; want it to match ErrCredentialsRejected", err)
	}
	if got := ts.requests.Load(); got != 2 {
		t.Errorf("token requests = %d; want 2", got)
	}
}

// countingOAuth2 is an oauth2.TokenSource handing out numbered tokens.
type countingOAuth2 struct {
	n   atomic.Int64
	err error
}

func (c *countingOAuth2) Token() (*oauth2.Token, error) {
	if c.err != nil {
		return nil, c.err
	}
	n := c.n.Add(1)
	return &oauth2.Token{AccessToken: fmt.Sprintf("%s-%d", sentinelToken, n), Expiry: time.Now().Add(time.Hour)}, nil
}

func TestFromOAuth2(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	inner := &countingOAuth2{}
	src := auth.FromOAuth2(oauth2.ReuseTokenSource(nil, inner))
	api := newAPIServer(t, 0)
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1"}}
	for range 3 {
		resp, err := client.Get(api.URL + "/v1/workspaces")
		if lc.err(err) != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	api.mu.Lock()
	if want := "Bearer " + sentinelToken + "-1"; len(api.auths) != 3 || api.auths[0] != want || api.auths[2] != want {
		t.Errorf("Authorization = %q; want %q three times", api.auths, want)
	}
	api.mu.Unlock()
	if n := inner.n.Load(); n != 1 {
		t.Errorf("oauth2 fetches = %d; want 1 (ReuseTokenSource caches)", n)
	}
	tok, err := src.Token(t.Context())
	if lc.err(err) != nil || tok.TokenType != "Bearer" || tok.Expiry.IsZero() {
		t.Errorf("Token() = %v, %v; want a Bearer token with its expiry", tok, err)
	}
	// Round trip through both adapters.
	back, err := auth.OAuth2TokenSource(t.Context(), src).Token()
	if err != nil || back.AccessToken != tok.AccessToken {
		t.Errorf("OAuth2TokenSource(FromOAuth2(x)).Token() = %v, %v; want the same token", back != nil, err)
	}
	boom := errors.New("identity provider down")
	if _, err := auth.FromOAuth2(&countingOAuth2{err: boom}).Token(t.Context()); !errors.Is(lc.err(err), boom) {
		t.Errorf("error = %v; want it to wrap the oauth2 source's error", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	counting := &countingOAuth2{}
	if _, err := auth.FromOAuth2(counting).Token(ctx); !errors.Is(lc.err(err), context.Canceled) || counting.n.Load() != 0 {
		t.Errorf("cancelled context: error = %v, fetches = %d; want context.Canceled and no fetch", err, counting.n.Load())
	}
	if _, err := auth.FromOAuth2(nil).Token(t.Context()); lc.err(err) == nil {
		t.Errorf("FromOAuth2(nil).Token() = nil error; want one")
	}
	printed := fmt.Sprintf("%v %+v %#v %s %d", src, src, src, src, src)
	if strings.Contains(printed, sentinelToken) {
		t.Errorf("printing the adapter shows the cached token: %s", printed)
	}
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	api := newAPIServer(t, 0)
	src := auth.BasicAuth("airbyte", sentinelSecret)
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1"}}
	for _, path := range []string{"/v1/workspaces", "/v1/health", "/v2/elsewhere"} {
		resp, err := client.Get(api.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodGet, api.URL+"/v1/jobs", nil)
	if err := auth.RequestEditor(src, api.URL+"/v1")(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	want := &http.Request{Header: http.Header{}}
	want.SetBasicAuth("airbyte", sentinelSecret)
	if got := api.auths; len(got) != 3 || got[0] != want.Header.Get("Authorization") || got[1] != "" || got[2] != "" {
		t.Errorf("Authorization for the API, its health probe and another path = %q; want basic credentials, none, none", got)
	}
	if got := req.Header.Get("Authorization"); got != want.Header.Get("Authorization") {
		t.Errorf("RequestEditor set Authorization %q; want basic credentials", got)
	}
	tok, err := src.Token(t.Context())
	if err != nil || tok.TokenType != "Basic" {
		t.Fatalf("Token() = %v, %v; want a Basic token", tok, err)
	}
	for _, v := range []any{src, tok, *tok} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, sentinelSecret) || strings.Contains(got, tok.AccessToken) {
				t.Errorf("Sprintf(%q, %T) = %q; shows the password", verb, v, got)
			}
		}
	}
	for _, bad := range []auth.TokenSource{auth.BasicAuth("", "p"), auth.BasicAuth("a:b", "p")} {
		if _, err := bad.Token(t.Context()); err == nil || strings.Contains(err.Error(), "p\"") {
			t.Errorf("%v: Token() error = %v; want a clear error", bad, err)
		}
	}
}

func TestProxyCredentialSurvivesReplay(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", okToken(900))
	src := newSource(t, ts, nil, lc)
	var mu sync.Mutex
	var seen []string
	var n atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Proxy-Authorization")+"|"+strings.Fields(r.Header.Get("Authorization") + " x")[0])
		mu.Unlock()
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(api.Close)
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: api.URL + "/v1",
		Base: proxyCredential{host: strings.TrimPrefix(api.URL, "http://"), token: auth.StaticToken("proxy-id"), next: http.DefaultTransport}}}
	resp, err := client.Get(api.URL + "/v1/workspaces")
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"Bearer proxy-id|Bearer", "Bearer proxy-id|Bearer"}; fmt.Sprint(seen) != fmt.Sprint(want) || resp.StatusCode != 200 {
		t.Errorf("status %d, headers seen (proxy|scheme) = %q; want %q and 200", resp.StatusCode, seen, want)
	}
}
