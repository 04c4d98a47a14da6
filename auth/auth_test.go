package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// Sentinels that must never appear in an error or a log line.
const (
	sentinelSecret = "SENTINEL-SECRET-7f3a9c"
	sentinelToken  = "SENTINEL-TOKEN-b81d44"
)

// leakCheck collects every error string and log line of a test and fails
// the test if a sentinel appears in any of them.
type leakCheck struct {
	t   *testing.T
	mu  sync.Mutex
	buf bytes.Buffer
}

func newLeakCheck(t *testing.T) *leakCheck {
	lc := &leakCheck{t: t}
	t.Cleanup(func() {
		lc.mu.Lock()
		defer lc.mu.Unlock()
		out := lc.buf.String()
		for _, s := range []string{sentinelSecret, sentinelToken} {
			if strings.Contains(out, s) {
				t.Errorf("a secret leaked into errors or logs: %q", out)
			}
		}
	})
	return lc
}

func (lc *leakCheck) Write(p []byte) (int, error) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.buf.Write(p)
}

func (lc *leakCheck) String() string {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.buf.String()
}

func (lc *leakCheck) err(err error) error {
	if err != nil {
		fmt.Fprintf(lc, "%v|%+v|%#v\n", err, err, err)
	}
	return err
}

func (lc *leakCheck) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(lc, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// tokenServer is a fake token endpoint under prefix.
type tokenServer struct {
	*httptest.Server
	requests atomic.Int64
	handle   func(w http.ResponseWriter, n int64)
	prefix   string
}

func newTokenServer(t *testing.T, prefix string, handle func(w http.ResponseWriter, n int64)) *tokenServer {
	ts := &tokenServer{handle: handle, prefix: prefix}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Count every request to the endpoint, rejected ones included, so
		// a test that wants no retry of a rejection can see one.
		n := ts.requests.Add(1)
		if r.URL.Path != prefix+"/applications/token" {
			http.Error(w, "wrong path "+r.URL.Path, http.StatusNotFound)
			return
		}
		var body map[string]string
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			http.Error(w, "want JSON, got "+ct, http.StatusUnsupportedMediaType)
			return
		}
		json.NewDecoder(r.Body).Decode(&body)
		if body["client_id"] != "id" || body["client_secret"] != sentinelSecret || body["grant-type"] != "client_credentials" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"type":"error:unauthorized","title":"Unauthorized","status":401,"detail":"bad credentials"}`)
			return
		}
		ts.handle(w, n)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func okToken(expiresIn int) func(w http.ResponseWriter, n int64) {
	return func(w http.ResponseWriter, n int64) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"%s-%d","token_type":"Bearer","expires_in":%d}`, sentinelToken, n, expiresIn)
	}
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newSource(t *testing.T, ts *tokenServer, clk *clock, lc *leakCheck) *auth.ClientCredentials {
	t.Helper()
	cfg := auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + ts.prefix, FetchTimeout: 2 * time.Second}
	if clk != nil {
		cfg.Now = clk.Now
	}
	if lc != nil {
		cfg.Logger = lc.logger()
	}
	src, err := auth.NewClientCredentials(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestReuseAndEarlyRefresh(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		lifetime time.Duration
		margin   time.Duration
	}{
		{"15-minute token", 15 * time.Minute, 60 * time.Second},
		{"3-minute token", 3 * time.Minute, 36 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", okToken(int(tc.lifetime/time.Second)))
			clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			src := newSource(t, ts, clk, lc)
			first, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			clk.Advance(tc.lifetime - tc.margin - time.Second)
			again, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			if again.AccessToken != first.AccessToken || ts.requests.Load() != 1 {
				t.Fatalf("token requests = %d; want 1 (reuse before the margin)", ts.requests.Load())
			}
			clk.Advance(2 * time.Second)
			inMargin, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			if inMargin.AccessToken != first.AccessToken {
				t.Errorf("Token() inside the margin = %v; want the cached token at once", inMargin)
			}
			if err := auth.WaitIdle(t.Context(), src); err != nil {
				t.Fatal(err)
			}
			refreshed, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			if refreshed.AccessToken == first.AccessToken || ts.requests.Load() != 2 {
				t.Fatalf("token requests = %d; want 2 (refresh inside the margin, before expiry)", ts.requests.Load())
			}
			if want := clk.Now().Add(tc.lifetime); !refreshed.Expiry.Equal(want) {
				t.Errorf("Expiry = %v; want %v", refreshed.Expiry, want)
			}
		})
	}
}

func jwt(exp time.Time) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"x","exp":%d}`, exp.Unix()))) + ".sig"
}

func jwtClaims(claims string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString([]byte(claims)) + ".sig"
}

func TestExpiresIn(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		expiresIn string // raw JSON
		want      time.Duration
		wantErr   bool
	}{
		{`900`, 900 * time.Second, false},
		{`"900"`, 900 * time.Second, false},
		{`" 900 "`, 900 * time.Second, false},
		{`899.5`, 899*time.Second + 500*time.Millisecond, false},
		{`"899.5"`, 899*time.Second + 500*time.Millisecond, false},
		{`9e2`, 900 * time.Second, false},
		{`1e10`, auth.MaxLifetime, false},
		{`10000000000`, auth.MaxLifetime, false},
		{`9223372036854775807`, auth.MaxLifetime, false},
		{`"9223372036854775807"`, auth.MaxLifetime, false},
		{`99999999999999999999999999`, auth.MaxLifetime, false},
		{`1e400`, auth.MaxLifetime, false},
		{`0`, auth.DefaultLifetime, false},
		{`-5`, auth.DefaultLifetime, false},
		{`null`, auth.DefaultLifetime, false},
		{`"soon"`, 0, true},
		{`""`, 0, true},
		{`"0x10"`, 0, true},
		{`"NaN"`, 0, true},
		{`"Infinity"`, 0, true},
		{`true`, 0, true},
		{`{"s":900}`, 0, true},
		{`[900]`, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.expiresIn, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"%s","token_type":"Bearer","expires_in":%s}`, sentinelToken, tc.expiresIn)
			})
			clk := &clock{now: start}
			src := newSource(t, ts, clk, lc)
			tok, err := src.Token(t.Context())
			lc.err(err)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "expires_in") {
					t.Fatalf("Token() = %v, %v; want an error naming expires_in", tok, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Token() error = %v", err)
			}
			if want := start.Add(tc.want); !tok.Expiry.Equal(want) {
				t.Errorf("Expiry = %v; want %v", tok.Expiry, want)
			}
			clk.Advance(tc.want / 2)
			if _, err := src.Token(t.Context()); lc.err(err) != nil || ts.requests.Load() != 1 {
				t.Errorf("token requests = %d, err = %v halfway through the lifetime; want 1 (cached)", ts.requests.Load(), err)
			}
		})
	}
}

func TestLifetimeWithoutExpiresIn(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		token string
		want  time.Time
	}{
		{"JWT exp claim", jwt(start.Add(10 * time.Minute)), start.Add(10 * time.Minute)},
		{"opaque token uses the short default", "opaque-" + sentinelToken, start.Add(auth.DefaultLifetime)},
		{"JWT exp beyond MaxLifetime is capped", jwt(start.Add(1000 * time.Hour)), start.Add(auth.MaxLifetime)},
		{"JWT exp that overflows int64 is capped", jwtClaims(`{"exp":1e300}`), start.Add(auth.MaxLifetime)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":%q}`, tc.token)
			})
			clk := &clock{now: start}
			src := newSource(t, ts, clk, lc)
			tok, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			if !tok.Expiry.Equal(tc.want) {
				t.Errorf("Expiry = %v; want %v", tok.Expiry, tc.want)
			}
			if _, err := src.Token(t.Context()); err != nil || ts.requests.Load() != 1 {
				t.Errorf("token requests = %d; want 1 (cached, not fetched per call)", ts.requests.Load())
			}
		})
	}
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	release := make(chan struct{})
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
		<-release
		okToken(900)(w, n)
	})
	src := newSource(t, ts, nil, lc)
	const callers = 1000
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			_, err := src.Token(context.Background())
			errs <- lc.err(err)
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := ts.requests.Load(); got != 1 {
		t.Errorf("token requests = %d for %d concurrent callers; want 1", got, callers)
	}
}

func TestCancelledCallerDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	release := make(chan struct{})
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
		<-release
		okToken(900)(w, n)
	})
	src := newSource(t, ts, nil, lc)
	impatient, cancel := context.WithCancel(context.Background())
	impatientErr := make(chan error, 1)
	go func() { _, err := src.Token(impatient); impatientErr <- lc.err(err) }()
	patientErr := make(chan error, 1)
	go func() { _, err := src.Token(context.Background()); patientErr <- lc.err(err) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-impatientErr; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller error = %v; want context.Canceled", err)
	}
	close(release)
	if err := <-patientErr; err != nil {
		t.Errorf("patient caller error = %v; want a token", err)
	}
	if got := ts.requests.Load(); got != 1 {
		t.Errorf("token requests = %d; want 1", got)
	}
}

// noSleep records the waits between token request attempts instead of
// sleeping through them.
type noSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (n *noSleep) sleep(ctx context.Context, d time.Duration) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.waits = append(n.waits, d)
	return ctx.Err()
}

func (n *noSleep) got() []time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]time.Duration(nil), n.waits...)
}

func problemReply(status int, body string) func(w http.ResponseWriter, n int64) {
	return func(w http.ResponseWriter, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func htmlReply(status int) func(w http.ResponseWriter, n int64) {
	return func(w http.ResponseWriter, n int64) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body>nginx</body></html>", status, http.StatusText(status))
	}
}

func TestTokenEndpointFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		handle       func(w http.ResponseWriter, n int64)
		secret       string
		wantStatus   int
		wantText     string
		wantTries    int64
		wantRejected bool
		// wantTitle and wantProblemStatus are the parsed problem body.
		wantTitle         string
		wantProblemStatus int
		wantErrorID       string
	}{
		{name: "401 rejected credentials are not retried", secret: "wrong-" + sentinelSecret, wantStatus: 401, wantText: "client credentials rejected by", wantTries: 1,
			wantRejected: true, wantTitle: "Unauthorized", wantProblemStatus: 401},
		{name: "400 is not retried", handle: problemReply(400, `{"type":"error:bad-request","title":"bad-request","status":400,"detail":"grant-type is required"}`), secret: sentinelSecret,
			wantStatus: 400, wantText: "client credentials rejected by", wantTries: 1, wantRejected: true, wantTitle: "bad-request", wantProblemStatus: 400},
		{name: "403 is not retried", handle: problemReply(403, `{"type":"error:forbidden","title":"Forbidden","status":403,"detail":"application disabled"}`), secret: sentinelSecret,
			wantStatus: 403, wantText: "client credentials rejected by", wantTries: 1, wantRejected: true, wantTitle: "Forbidden", wantProblemStatus: 403},
		{name: "500 is not retried", handle: func(w http.ResponseWriter, n int64) { http.Error(w, `{"type":"about:blank","status":500}`, 500) }, secret: sentinelSecret,
			wantStatus: 500, wantText: "HTTP 500", wantTries: 1, wantProblemStatus: 500},
		{name: "HTML 500 is retried", handle: htmlReply(500), secret: sentinelSecret, wantStatus: 500, wantText: "500 Internal Server Error", wantTries: 4},
		{name: "HTML 502 is retried", handle: htmlReply(502), secret: sentinelSecret, wantStatus: 502, wantText: "502 Bad Gateway", wantTries: 4},
		{name: "HTML 200 is a clear error, not retried", handle: htmlReply(200), secret: sentinelSecret, wantStatus: 200, wantText: "answered HTML, not JSON", wantTries: 1},
		{name: "429 is retried then succeeds", handle: func(w http.ResponseWriter, n int64) {
			if n < 3 {
				w.Header().Set("Retry-After", "0")
				problemReply(429, `{"message":"slow down"}`)(w, n)
				return
			}
			okToken(900)(w, n)
		}, secret: sentinelSecret, wantTries: 3},
		{name: "malformed JSON", handle: func(w http.ResponseWriter, n int64) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":`)
		}, secret: sentinelSecret, wantStatus: 200, wantText: "not a token response", wantTries: 1},
		{name: "OIDC rejection: only an errorId", handle: func(w http.ResponseWriter, n int64) {
			// server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidClientCredentialsExceptionHandler.kt:34-45
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"errorId":"4a9c2e7b-8d13-4f50-b6e2-0c7a5d9f3e81"}`)
		}, secret: sentinelSecret, wantStatus: 401, wantText: "401", wantTries: 1, wantRejected: true, wantErrorID: "4a9c2e7b-8d13-4f50-b6e2-0c7a5d9f3e81"},
		{name: "wrong token_type", handle: func(w http.ResponseWriter, n int64) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":"%s","token_type":"MAC","expires_in":900}`, sentinelToken)
		}, secret: sentinelSecret, wantStatus: 200, wantText: "token_type", wantTries: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", tc.handle)
			src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: tc.secret, ServerURL: ts.URL + "/v1", Logger: lc.logger()})
			if err != nil {
				t.Fatal(err)
			}
			auth.SetSleep(src, (&noSleep{}).sleep)
			_, err = src.Token(t.Context())
			lc.err(err)
			if tc.wantStatus == 0 {
				if err != nil {
					t.Fatalf("Token() error = %v; want success", err)
				}
			} else {
				var te *auth.TokenError
				if !errors.As(err, &te) {
					t.Fatalf("Token() error = %v; want *auth.TokenError", err)
				}
				if te.StatusCode != tc.wantStatus {
					t.Errorf("StatusCode = %d; want %d", te.StatusCode, tc.wantStatus)
				}
				if !strings.Contains(err.Error(), tc.wantText) {
					t.Errorf("error = %q; want it to mention %q", err, tc.wantText)
				}
				if strings.Contains(err.Error(), "<html") {
					t.Errorf("error = %q; must not dump the HTML page", err)
				}
				if te.Problem.Title != tc.wantTitle {
					t.Errorf("Problem.Title = %q; want %q", te.Problem.Title, tc.wantTitle)
				}
				if te.Problem.Status != tc.wantProblemStatus {
					t.Errorf("Problem.Status = %d; want %d", te.Problem.Status, tc.wantProblemStatus)
				}
				if te.Problem.ErrorID != tc.wantErrorID {
					t.Errorf("Problem.ErrorID = %q; want %q", te.Problem.ErrorID, tc.wantErrorID)
				}
				if got := errors.Is(err, auth.ErrCredentialsRejected); got != tc.wantRejected {
					t.Errorf("errors.Is(err, ErrCredentialsRejected) = %v; want %v", got, tc.wantRejected)
				}
			}
			if got := ts.requests.Load(); got != tc.wantTries {
				t.Errorf("token requests = %d; want %d", got, tc.wantTries)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		retryAfter string
		wantWaits  []time.Duration
		wantTries  int64
		wantErr    bool
	}{
		{"seconds", "2", []time.Duration{2 * time.Second}, 2, false},
		{"HTTP date", start.Add(3 * time.Second).Format(http.TimeFormat), []time.Duration{3 * time.Second}, 2, false},
		{"HTTP date in the past", start.Add(-time.Hour).Format(http.TimeFormat), []time.Duration{0}, 2, false},
		{"seconds beyond the fetch deadline", "3600", nil, 1, true},
		{"seconds that overflow a Duration", "99999999999999999", nil, 1, true},
		{"seconds that overflow int64", "99999999999999999999", nil, 1, true},
		{"HTTP date beyond the fetch deadline", start.Add(time.Hour).Format(http.TimeFormat), nil, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					problemReply(503, `{"message":"try later"}`)(w, n)
					return
				}
				okToken(900)(w, n)
			})
			src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + "/v1",
				FetchTimeout: 10 * time.Second, Now: (&clock{now: start}).Now, Logger: lc.logger()})
			if err != nil {
				t.Fatal(err)
			}
			waits := &noSleep{}
			auth.SetSleep(src, waits.sleep)
			_, err = src.Token(t.Context())
			lc.err(err)
			if tc.wantErr {
				var te *auth.TokenError
				if !errors.As(err, &te) || te.StatusCode != 503 {
					t.Errorf("Token() error = %v; want the 503 TokenError", err)
				}
			} else if err != nil {
				t.Errorf("Token() error = %v; want success after the wait", err)
			}
			if got := waits.got(); fmt.Sprint(got) != fmt.Sprint(tc.wantWaits) {
				t.Errorf("waits = %v; want %v", got, tc.wantWaits)
			}
			if got := ts.requests.Load(); got != tc.wantTries {
				t.Errorf("token requests = %d; want %d", got, tc.wantTries)
			}
		})
	}
}

func TestFailedEarlyRefreshKeepsValidToken(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
		if n == 1 {
			okToken(900)(w, n)
			return
		}
		problemReply(500, `{"type":"about:blank","title":"Internal Server Error","status":500}`)(w, n)
	})
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	src := newSource(t, ts, clk, lc)
	first, err := src.Token(t.Context())
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	clk.Advance(900*time.Second - 30*time.Second)
	for i := range 3 {
		tok, err := src.Token(t.Context())
		if lc.err(err) != nil {
			t.Fatalf("Token() at expiry-30s, call %d: error = %v; want the cached token", i+1, err)
		}
		if tok.AccessToken != first.AccessToken || !tok.Expiry.Equal(first.Expiry) {
			t.Errorf("Token() at expiry-30s = %v; want the cached %v", tok, first)
		}
		if err := auth.WaitIdle(t.Context(), src); err != nil {
			t.Fatal(err)
		}
	}
	if got := ts.requests.Load(); got != 2 {
		t.Errorf("token requests = %d; want 2 (one background refresh, then none before RefreshRetryInterval)", got)
	}
	clk.Advance(auth.RefreshRetryInterval)
	if _, err := src.Token(t.Context()); lc.err(err) != nil {
		t.Fatal(err)
	}
	if err := auth.WaitIdle(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if got := ts.requests.Load(); got != 3 {
		t.Errorf("token requests = %d; want 3 (a new background attempt after RefreshRetryInterval)", got)
	}
	clk.Advance(21 * time.Second)
	tok, err := src.Token(t.Context())
	lc.err(err)
	var te *auth.TokenError
	if !errors.As(err, &te) || te.StatusCode != 500 || tok != nil {
		t.Errorf("Token() after expiry = %v, %v; want nil and the 500 TokenError", tok, err)
	}
	if got := lc.String(); !strings.Contains(got, "background token refresh failed") || !strings.Contains(got, `"level":"WARN"`) {
		t.Errorf("log = %s; want a warning about the failed background refresh", got)
	}
}

// TestEarlyRefreshNeverBlocks checks that callers whose cached token is
// still valid never wait for a refresh, whatever the token endpoint does.
func TestEarlyRefreshNeverBlocks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// handle serves the requests after the first, which succeeds.
		handle func(w http.ResponseWriter, n int64)
		// maxTries bounds the token requests of 10 calls at one instant.
		maxTries int64
	}{
		{"hanging endpoint", nil, 2},
		{"503 endpoint", problemReply(503, `{"message":"unavailable"}`), 1 + 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			hang := make(chan struct{})
			ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
				switch {
				case n == 1:
					okToken(900)(w, n)
				case tc.handle == nil:
					<-hang
				default:
					tc.handle(w, n)
				}
			})
			t.Cleanup(func() { close(hang) }) // runs before the server's Close
			clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + "/v1",
				FetchTimeout: 300 * time.Millisecond, Now: clk.Now, Logger: lc.logger()})
			if err != nil {
				t.Fatal(err)
			}
			auth.SetSleep(src, (&noSleep{}).sleep)
			first, err := src.Token(t.Context())
			if lc.err(err) != nil {
				t.Fatal(err)
			}
			clk.Advance(850 * time.Second) // 50 s left, inside the 60 s margin
			for i := range 10 {
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
				tok, err := src.Token(ctx)
				cancel()
				if lc.err(err) != nil || tok.AccessToken != first.AccessToken {
					t.Fatalf("call %d with a 1 s deadline and 50 s left: %v, %v; want the cached token", i+1, tok, err)
				}
			}
			// The background refresh ends on its own (FetchTimeout), so
			// its goroutine does not outlive it.
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			if err := auth.WaitIdle(ctx, src); err != nil {
				t.Fatalf("background refresh still running after 5 s: %v", err)
			}
			if got := ts.requests.Load(); got > tc.maxTries {
				t.Errorf("token requests = %d; want at most %d", got, tc.maxTries)
			}
			clk.Advance(51 * time.Second)
			if _, err := src.Token(t.Context()); lc.err(err) == nil {
				t.Errorf("Token() after expiry: no error; want the refresh failure")
			}
		})
	}
}

func TestBackgroundRefreshOutlivesCallerContext(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) {
		if n > 1 {
			time.Sleep(100 * time.Millisecond)
		}
		okToken(900)(w, n)
	})
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	src := newSource(t, ts, clk, lc)
	first, err := src.Token(t.Context())
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	clk.Advance(850 * time.Second)
	ctx, cancel := context.WithCancel(t.Context())
	if _, err := src.Token(ctx); lc.err(err) != nil {
		t.Fatal(err)
	}
	cancel() // the caller is gone; its refresh must carry on
	if err := auth.WaitIdle(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(t.Context())
	if lc.err(err) != nil || tok.AccessToken == first.AccessToken {
		t.Errorf("Token() after the background refresh = %v, %v; want a new token", tok, err)
	}
}

// echoSecret answers like a server that echoes the request into its error.
func echoSecret(status int, contentType, body string) func(w http.ResponseWriter, n int64) {
	return func(w http.ResponseWriter, n int64) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, strings.ReplaceAll(body, "SENTINEL", sentinelSecret))
	}
}

func TestTokenErrorMasksEchoedSecret(t *testing.T) {
	t.Parallel()
	echo := `{"type":"error:bad","title":"bad SENTINEL","status":%d,"data":{"client_secret":"SENTINEL","nested":[{"api_key":"SENTINEL"},{"note":"was SENTINEL"}],"Credentials":{"x":1}},"detail":"bad secret SENTINEL","message":"SENTINEL"}`
	cases := []struct {
		name    string
		handle  func(w http.ResponseWriter, n int64)
		maskKey []string // Data keys whose value must be "[redacted]"
	}{
		{"400 problem echo", echoSecret(400, "application/json", fmt.Sprintf(echo, 400)), []string{"client_secret", "Credentials"}},
		{"401 problem+json echo", echoSecret(401, "application/problem+json", fmt.Sprintf(echo, 401)), []string{"client_secret", "Credentials"}},
		{"500 problem echo", echoSecret(500, "application/json", fmt.Sprintf(echo, 500)), []string{"client_secret", "Credentials"}},
		{"plain text echo", echoSecret(400, "text/plain", "client_secret=SENTINEL is wrong"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lc := newLeakCheck(t)
			ts := newTokenServer(t, "/v1", tc.handle)
			src := newSource(t, ts, nil, lc)
			_, err := src.Token(t.Context())
			var te *auth.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("Token() error = %v; want *auth.TokenError", err)
			}
			var out strings.Builder
			for e := err; e != nil; e = errors.Unwrap(e) {
				fmt.Fprintf(&out, "%v|%+v|%#v|%s\n", e, e, e, e.Error())
			}
			fmt.Fprintf(&out, "%#v|%+v\n", te.Problem, te.Problem)
			lc.logger().Error("token", "err", err)
			fmt.Fprint(lc, out.String())
			if strings.Contains(out.String(), sentinelSecret) {
				t.Errorf("the client secret leaked: %s", out.String())
			}
			if !strings.Contains(out.String(), "[redacted]") {
				t.Errorf("output %q; want redaction markers where the secret was", out.String())
			}
			for _, k := range tc.maskKey {
				if got := te.Problem.Data[k]; got != "[redacted]" {
					t.Errorf("Problem.Data[%q] = %v; want [redacted]", k, got)
				}
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	block := make(chan struct{})
	ts := newTokenServer(t, "/v1", func(w http.ResponseWriter, n int64) { <-block })
	t.Cleanup(func() { close(block) }) // runs before the server's Close
	src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + "/v1", FetchTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(t.Context())
	if lc.err(err) == nil || !strings.Contains(err.Error(), "token request") {
		t.Fatalf("Token() error = %v; want a token request failure", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v; want it to wrap context.DeadlineExceeded", err)
	}
}

func TestTokenURL(t *testing.T) {
	t.Parallel()
	cases := []struct{ server, tokenURL, want string }{
		{"", "", "https://api.airbyte.com/v1/applications/token"},
		{"https://airbyte.example.com", "", "https://airbyte.example.com/applications/token"},
		{"https://airbyte.example.com/api/public/v1", "", "https://airbyte.example.com/api/public/v1/applications/token"},
		{"https://airbyte.example.com/prefix/api/public/v1/", "", "https://airbyte.example.com/prefix/api/public/v1/applications/token"},
		{"https://airbyte.example.com/api/public/v1", "https://airbyte.example.com/api/v1/applications/token", "https://airbyte.example.com/api/v1/applications/token"},
	}
	for _, tc := range cases {
		src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: tc.server, TokenURL: tc.tokenURL})
		if err != nil {
			t.Fatal(err)
		}
		if got := src.TokenURL(); got != tc.want {
			t.Errorf("TokenURL() for %q = %q; want %q", tc.server, got, tc.want)
		}
	}
}

func TestSelfManagedPrefixReachesTokenEndpoint(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/prefix/api/public/v1", okToken(900))
	src := newSource(t, ts, nil, lc)
	if _, err := src.Token(t.Context()); lc.err(err) != nil {
		t.Fatalf("Token() error = %v (the token server only answers under the prefix)", err)
	}
}

func TestConfigChecks(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	cases := []struct {
		name string
		cfg  auth.Config
		want string
	}{
		{"missing secret", auth.Config{ClientID: "id"}, "client secret"},
		{"missing both", auth.Config{}, "client ID and client secret"},
		{"plain http to remote host", auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: "http://airbyte.example.com/api/public/v1"}, "plain http"},
		{"not a URL", auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: "airbyte.example.com"}, "not an absolute"},
	}
	for _, tc := range cases {
		_, err := auth.NewClientCredentials(tc.cfg)
		if lc.err(err) == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v; want it to mention %q", tc.name, err, tc.want)
		}
	}
	if _, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: "http://airbyte.example.com/api/public/v1", AllowInsecureHTTP: true}); err != nil {
		t.Errorf("AllowInsecureHTTP: error = %v; want none", err)
	}
	if _, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: "http://localhost:8000/api/public/v1"}); err != nil {
		t.Errorf("loopback http: error = %v; want none", err)
	}
}

func TestRedaction(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ts := newTokenServer(t, "/v1", echoSecret(401, "application/json", `{"title":"Unauthorized","status":401,"detail":"bad secret SENTINEL","data":{"client_secret":"SENTINEL"}}`))
	cfg := auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: ts.URL + "/v1"}
	src, err := auth.NewClientCredentials(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, tokenErr := src.Token(t.Context())
	var te *auth.TokenError
	if !errors.As(tokenErr, &te) {
		t.Fatalf("Token() error = %v; want *auth.TokenError", tokenErr)
	}
	tok := &auth.Token{AccessToken: sentinelToken, TokenType: "Bearer"}
	values := []struct {
		name string
		v    any
	}{
		{"Config", cfg},
		{"*Config", &cfg},
		{"*ClientCredentials", src},
		{"*Token", tok},
		{"StaticToken", auth.StaticToken(sentinelToken)},
		{"*TokenError", te},
	}
	for _, tc := range values {
		var out bytes.Buffer
		fmt.Fprintf(&out, "%v %+v %#v %s\n", tc.v, tc.v, tc.v, tc.v)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("value", "v", tc.v)
		slog.New(slog.NewTextHandler(&out, nil)).Info("value", "v", tc.v)
		for _, s := range []string{sentinelSecret, sentinelToken} {
			if strings.Contains(out.String(), s) {
				t.Errorf("%s: a secret leaked into %q", tc.name, out.String())
			}
		}
		if !strings.Contains(out.String(), "[redacted]") {
			t.Errorf("%s: output %q; want redaction markers", tc.name, out.String())
		}
		lc.Write(out.Bytes())
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if _, _, err := auth.ConfigFromEnv(env(nil)); lc.err(err) == nil || !strings.Contains(err.Error(), "AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET") {
		t.Errorf("empty env: error = %v; want it to name both variables", err)
	}
	if _, _, err := auth.ConfigFromEnv(env(map[string]string{"AIRBYTE_CLIENT_ID": "id"})); lc.err(err) == nil || !strings.Contains(err.Error(), "AIRBYTE_CLIENT_SECRET") || !errors.Is(err, auth.ErrMissingCredentials) {
		t.Errorf("no secret: error = %v; want ErrMissingCredentials naming AIRBYTE_CLIENT_SECRET", err)
	}
	cfg, tok, err := auth.ConfigFromEnv(env(map[string]string{"AIRBYTE_CLIENT_ID": "id", "AIRBYTE_CLIENT_SECRET": sentinelSecret, "AIRBYTE_API_URL": "https://airbyte.example.com/api/public/v1"}))
	if lc.err(err) != nil || tok != "" {
		t.Fatal(err)
	}
	src, err := auth.NewClientCredentials(cfg)
	if lc.err(err) != nil {
		t.Fatal(err)
	}
	if src.TokenURL() != "https://airbyte.example.com/api/public/v1/applications/token" {
		t.Errorf("TokenURL() = %q; want the self-managed token URL", src.TokenURL())
	}
	cfg, tok, err = auth.ConfigFromEnv(env(map[string]string{"AIRBYTE_ACCESS_TOKEN": sentinelToken}))
	if lc.err(err) != nil || tok != sentinelToken || cfg.ServerURL != "" {
		t.Fatalf("static: %v, err = %v; want the token and no server URL", cfg, err)
	}
}
