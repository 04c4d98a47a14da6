package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/auth"
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
	for _, u := range []string{api.URL + "/v2/jobs", api.URL + "/v1x/jobs", "https://" + strings.TrimPrefix(api.URL, "http://") + "/v1/jobs"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if auth.Matches(api.URL+"/v1", req.URL) {
			t.Errorf("Matches(%q) = true; want false", u)
		}
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
	if resp.StatusCode != http.StatusUnauthorized || len(api.auths) != 1 {
		t.Errorf("status = %d after %d calls; want the 401 passed through after 1 call (static tokens are not refreshed)", resp.StatusCode, len(api.auths))
	}
}

type nopTransport struct{}

func (nopTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// BenchmarkTransport compares a request through Transport with a cached
// token against the bare transport underneath it.
func BenchmarkTransport(b *testing.B) {
	src := auth.StaticToken("bench-token")
	req, _ := http.NewRequest(http.MethodGet, "https://api.airbyte.com/v1/workspaces", nil)
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		var rt http.RoundTripper = nopTransport{}
		for b.Loop() {
			rt.RoundTrip(req)
		}
	})
	b.Run("auth", func(b *testing.B) {
		b.ReportAllocs()
		rt := &auth.Transport{Source: src, BaseURL: "https://api.airbyte.com/v1", Base: nopTransport{}}
		for b.Loop() {
			rt.RoundTrip(req)
		}
	})
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
