package airbyte

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

const (
	sentinelSecret = "SENTINEL-SECRET-d41f"
	sentinelToken  = "SENTINEL-TOKEN-93bc"
)

func TestPlainHTTPIsRefusedForEveryCredential(t *testing.T) {
	t.Parallel()
	remote := "http://airbyte.example.com/api/public/v1"
	creds := map[string]Option{
		"client credentials": WithClientCredentials("id", sentinelSecret),
		"static token":       WithToken(sentinelToken),
		"token source":       WithTokenSource(auth.StaticToken(sentinelToken)),
	}
	for name, cred := range creds {
		_, err := NewClient(WithServerURL(remote), cred)
		if err == nil || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("%s over http to a remote host: error %v, want a refusal", name, err)
		} else if strings.Contains(err.Error(), "SENTINEL") {
			t.Errorf("%s: the refusal leaks a credential: %v", name, err)
		}
		if _, err := NewClient(WithServerURL(remote), cred, WithInsecureHTTP()); err != nil {
			t.Errorf("%s with WithInsecureHTTP: %v", name, err)
		}
		for _, local := range []string{"http://localhost:8000/api/public/v1", "http://127.0.0.1:8000/api/public/v1", "http://[::1]:8000/api/public/v1"} {
			if _, err := NewClient(WithServerURL(local), cred); err != nil {
				t.Errorf("%s to %s: %v", name, local, err)
			}
		}
	}
	for _, bad := range []string{"api.airbyte.com/v1", "ftp://api.airbyte.com/v1", "://x"} {
		if _, err := NewClient(WithServerURL(bad), WithToken("t")); err == nil {
			t.Errorf("server URL %q accepted", bad)
		}
	}
}

func TestClientPrintsNoCredentials(t *testing.T) {
	t.Parallel()
	sources := map[string]auth.TokenSource{"basic": auth.BasicAuth("user", sentinelSecret), "static": auth.StaticToken(sentinelToken)}
	cc, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret})
	if err != nil {
		t.Fatal(err)
	}
	sources["client credentials"] = cc
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%e", "%t", "%c", "%U", "%p", "%T"}
	for _, opt := range []Option{WithClientCredentials("id", sentinelSecret), WithToken(sentinelToken), WithTokenSource(sources["basic"])} {
		c, err := NewClient(opt)
		if err != nil {
			t.Fatal(err)
		}
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("client", "c", c, "in", []any{c})
		out := []string{logged.String()}
		for _, v := range verbs {
			out = append(out, fmt.Sprintf(v, c), fmt.Sprintf(v, *c), fmt.Sprintf(v, []*Client{c}))
		}
		for _, s := range out {
			if strings.Contains(s, "SENTINEL") {
				t.Errorf("a formatted Client shows a credential: %s", s)
			}
		}
	}
	// A caller's own struct that keeps a token source in an unexported
	// field: fmt reaches it by reflection, without our methods.
	for name, src := range sources {
		holder := struct{ src auth.TokenSource }{src}
		for _, v := range verbs {
			if s := fmt.Sprintf(v, holder); strings.Contains(s, "SENTINEL") {
				t.Errorf("%s source in an unexported field, %s: %s", name, v, s)
			}
		}
	}
}

// envServer answers the token endpoint and GET /workspaces under prefix,
// counting token requests.
func envServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var tokens atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case prefix + "/applications/token", "/custom/token":
			tokens.Add(1)
			jsonReply(w, 200, "application/json", `{"access_token":"tok","token_type":"Bearer","expires_in":900}`)
		case prefix + "/workspaces":
			if r.Header.Get("Authorization") != "Bearer tok" {
				jsonReply(w, 401, "application/json", `{"title":"unauthorized"}`)
				return
			}
			jsonReply(w, 200, "application/json", `{"data":[],"next":"","previous":""}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &tokens
}

type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestFromEnvBuildsTheSourceLast(t *testing.T) {
	t.Parallel()
	srv, tokens := envServer(t)
	env := func(m map[string]string) Option { return FromEnvFunc(func(k string) string { return m[k] }) }
	creds := map[string]string{auth.EnvClientID: "id", auth.EnvClientSecret: sentinelSecret}

	// The server URL given after FromEnv is where the token is fetched too.
	rt := &countingTransport{base: http.DefaultTransport}
	c, err := NewClient(env(creds), WithServerURL(srv.URL+prefix), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); err != nil {
		t.Fatalf("ListWorkspaces: %v", err)
	}
	if tokens.Load() != 1 {
		t.Errorf("%d token requests to the configured server, want 1", tokens.Load())
	}
	if rt.n.Load() != 2 {
		t.Errorf("the caller's transport saw %d requests, want 2 (token and call)", rt.n.Load())
	}

	// AIRBYTE_TOKEN_URL and AIRBYTE_API_URL.
	c, err = NewClient(env(map[string]string{auth.EnvClientID: "id", auth.EnvClientSecret: "s", auth.EnvAPIURL: srv.URL + prefix, auth.EnvTokenURL: srv.URL + "/custom/token"}))
	if err != nil {
		t.Fatal(err)
	}
	before := tokens.Load()
	if _, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); err != nil || tokens.Load() != before+1 {
		t.Errorf("with AIRBYTE_TOKEN_URL: %v, %d token requests", err, tokens.Load()-before)
	}

	// WithInsecureHTTP applies to environment settings as well.
	if _, err := NewClient(WithInsecureHTTP(), env(map[string]string{auth.EnvAccessToken: "t", auth.EnvAPIURL: "http://airbyte.internal:8000/api/public/v1"})); err != nil {
		t.Errorf("WithInsecureHTTP and an http AIRBYTE_API_URL: %v", err)
	}

	// What is missing is named.
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET"},
		{map[string]string{auth.EnvClientID: "id"}, "set AIRBYTE_CLIENT_SECRET"},
		{map[string]string{auth.EnvClientSecret: sentinelSecret}, "set AIRBYTE_CLIENT_ID"},
	} {
		_, err := NewClient(env(tc.env))
		if !errors.Is(err, auth.ErrMissingCredentials) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SENTINEL") {
			t.Errorf("env %v: error %v, want ErrMissingCredentials naming %s", tc.env, err, tc.want)
		}
	}
}

func TestStaticToken401SaysTheTokenWasRejected(t *testing.T) {
	t.Parallel()
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 401, "application/json", `{"title":"unauthorized","status":401}`)
	})
	_, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
	if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, auth.ErrTokenRejected) {
		t.Fatalf("error %v, want ErrUnauthorized and auth.ErrTokenRejected", err)
	}
	if !strings.Contains(err.Error(), "expired") {
		t.Errorf("error %q does not say the token may have expired", err)
	}
	// A refreshable source's 401 (after its one replay) is only ErrUnauthorized.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/applications/token") {
			jsonReply(w, 200, "application/json", `{"access_token":"tok","token_type":"Bearer","expires_in":900}`)
			return
		}
		jsonReply(w, 401, "application/json", `{"title":"unauthorized","status":401}`)
	}))
	t.Cleanup(srv.Close)
	cc, err := NewClient(WithServerURL(srv.URL+prefix), WithClientCredentials("id", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cc.API().ListWorkspacesWithResponse(t.Context(), nil)
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, auth.ErrTokenRejected) {
		t.Errorf("client credentials 401: error %v", err)
	}
}

func TestLongRetryAfterEndsRetries(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, rec := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "120")
		jsonReply(w, 429, "application/json", `{"message":"Too many requests"}`)
	})
	_, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrRateLimited) || ae.RetryAfter != 120*time.Second {
		t.Fatalf("error %v, want a 429 APIError with RetryAfter 2m", err)
	}
	if calls.Load() != 1 || len(rec.get()) != 0 {
		t.Errorf("%d calls, waits %v; want 1 call and no wait", calls.Load(), rec.get())
	}
	if !strings.Contains(err.Error(), "Too many requests") {
		t.Errorf("Error() = %q lacks the 429 message", err)
	}
}

func TestTokenFailuresAreNotRetriedTwice(t *testing.T) {
	t.Parallel()
	var tokens atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokens.Add(1)
		jsonReply(w, 401, "application/json", `{"title":"invalid client","status":401}`)
	}))
	t.Cleanup(srv.Close)
	rec := &sleepRecorder{}
	c, err := NewClient(WithServerURL(srv.URL+prefix), WithClientCredentials("id", sentinelSecret), rec.option())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.API().ListWorkspacesWithResponse(t.Context(), nil)
	var te *auth.TokenError
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want an *auth.TokenError", err)
	}
	if strings.Contains(fmt.Sprintf("%v %+v", err, err), sentinelSecret) {
		t.Errorf("the error leaks the secret: %v", err)
	}
	if tokens.Load() != 1 || len(rec.get()) != 0 {
		t.Errorf("%d token requests, client waits %v; want 1 and none", tokens.Load(), rec.get())
	}
}

func TestValueEdges(t *testing.T) {
	t.Parallel()
	// A response built by hand (a mock) has no Request.
	resp := &generated.GetJobResponse{HTTPResponse: &http.Response{StatusCode: 200, Header: http.Header{}}}
	if _, err := Value[generated.JobResponse](resp, nil); err == nil || !strings.Contains(err.Error(), "no JobResponse body") {
		t.Errorf("2xx without a body: error %v", err)
	}
	resp = &generated.GetJobResponse{HTTPResponse: &http.Response{StatusCode: 503, Header: http.Header{}}}
	if _, err := Value[generated.JobResponse](resp, nil); !errors.Is(err, ErrServer) {
		t.Errorf("503 without a request: error %v", err)
	}
	// A JSON body sent with another content type still decodes.
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, "text/plain", `{"jobId":7,"status":"running","jobType":"sync","connectionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","startTime":"2026-05-05T09:00:00Z"}`)
	})
	job, err := Value[generated.JobResponse](c.API().GetJobWithResponse(t.Context(), 7))
	if err != nil || job.JobId != 7 {
		t.Errorf("JSON as text/plain: %+v, %v", job, err)
	}
}

func TestMoreErrorShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   int
		body     string
		is       error
		wantText string
	}{
		{429, `{"message":"Too many requests, please slow down"}`, ErrRateLimited, "please slow down"},
		{400, `{"type":"https://reference.airbyte.com/reference/errors#bad-request","title":"bad-request","status":400,"detail":"limit must be at most 100"}`, ErrBadRequest, "limit must be at most 100"},
		{502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, ErrServer, "502 Bad Gateway"},
	} {
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, tc.status, "application/json", tc.body) }, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
		_, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
		if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.wantText) {
			t.Errorf("%d %s: error %v", tc.status, tc.body, err)
		}
	}
}

func TestWithTokenSourceAndTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var auths sync.Map
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		auths.Store(r.Header.Get("Authorization"), true)
		if r.URL.Query().Get("workspaceIds") != "" {
			select { // never answers in time
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		jsonReply(w, 200, "application/json", `{"data":[],"next":"","previous":""}`)
	}, WithTokenSource(auth.StaticToken("from-source")), WithTimeout(50*time.Millisecond))
	if _, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := auths.Load("Bearer from-source"); !ok {
		t.Error("the token source's token was not sent")
	}
	_, err := c.API().ListWorkspacesWithResponse(t.Context(), &generated.ListWorkspacesParams{WorkspaceIds: &[]openapi_types.UUID{srcID}})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v, want a timeout", err)
	}
	if err != nil && strings.Contains(err.Error(), "workspaceIds") {
		t.Errorf("the error shows the query string: %v", err)
	}
}

// dialFailingOnce fails its first request as a refused dial would (the
// request never left), then sends the rest.
type dialFailingOnce struct {
	failed atomic.Bool
	err    error
	sent   atomic.Int32
}

func (d *dialFailingOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	if !d.failed.Swap(true) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, d.err
	}
	d.sent.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestPOSTRetriedOnlyWhenNeverSent(t *testing.T) {
	t.Parallel()
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		jsonReply(w, 200, "application/json", `{"jobId":1,"status":"pending","jobType":"sync","connectionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","startTime":"2026-05-05T09:00:00Z"}`)
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name      string
		err       error
		wantSent  int
		wantError bool
	}{
		{"dial refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, 1, false},
		{"connection lost after sending", io.ErrUnexpectedEOF, 0, true},
	} {
		rt := &dialFailingOnce{err: tc.err}
		rec := &sleepRecorder{}
		c, err := NewClient(WithServerURL(srv.URL+prefix), WithToken("t"), WithHTTPClient(&http.Client{Transport: rt}), rec.option())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.API().CreateJobWithResponse(t.Context(), generated.CreateJobJSONRequestBody{ConnectionId: srcID, JobType: generated.JobTypeEnumSync})
		if (err != nil) != tc.wantError || int(rt.sent.Load()) != tc.wantSent {
			t.Errorf("%s: error %v, %d sent; want error=%v, %d sent", tc.name, err, rt.sent.Load(), tc.wantError, tc.wantSent)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], `"jobType":"sync"`) {
		t.Errorf("server saw bodies %q, want one full body", bodies)
	}
}

func TestBodyLoggingKeepsLargeBodies(t *testing.T) {
	t.Parallel()
	big := `{"data":[],"next":"","previous":"","pad":"` + strings.Repeat("x", 2*maxErrorBody) + `"}`
	var logs bytes.Buffer
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, "application/json", big) },
		WithLogger(slog.New(slog.NewTextHandler(&lockedWriter{mu: &sync.Mutex{}, w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithBodyLogging())
	r, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
	if err != nil || len(r.Body) != len(big) {
		t.Fatalf("body of %d bytes reached the caller (err %v), want %d", len(r.Body), err, len(big))
	}
	if strings.Contains(logs.String(), "xxxxxxxxxx") || !strings.Contains(logs.String(), "not logged") {
		t.Errorf("a body over the limit was logged: %.300s", logs.String())
	}
}

// TestEveryIterator pages through each list with 0, 1, a full page and
// several pages, and checks the offsets asked for.
func TestEveryIterator(t *testing.T) {
	t.Parallel()
	type lister func(c *Client, ctx context.Context) iter.Seq2[any, error]
	adapt := func(seq func(c *Client, ctx context.Context) iter.Seq2[any, error]) lister { return seq }
	limit := generated.Limit(3)
	lists := map[string]lister{
		"/workspaces": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Workspaces.All(ctx, &generated.ListWorkspacesParams{Limit: &limit}))
		}),
		"/sources": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Sources.All(ctx, &generated.ListSourcesParams{Limit: &limit}))
		}),
		"/destinations": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Destinations.All(ctx, &generated.ListDestinationsParams{Limit: &limit}))
		}),
		"/connections": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Connections.All(ctx, &generated.ListConnectionsParams{Limit: &limit}))
		}),
		"/jobs": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Jobs.All(ctx, &generated.ListJobsParams{Limit: &limit}))
		}),
		"/groups": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Groups.All(ctx, &generated.ListGroupsParams{OrganizationId: srcID}))
		}),
		"/groups/" + srcID.String() + "/members": adapt(func(c *Client, ctx context.Context) iter.Seq2[any, error] {
			return anySeq(c.Groups.AllMembers(ctx, srcID, nil))
		}),
	}
	for path, list := range lists {
		for _, total := range []int{0, 1, 3, 7, 250} {
			var mu sync.Mutex
			var offsets []int
			c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != prefix+path {
					http.NotFound(w, r)
					return
				}
				q := r.URL.Query()
				lim, _ := strconv.Atoi(q.Get("limit"))
				off, _ := strconv.Atoi(q.Get("offset"))
				mu.Lock()
				offsets = append(offsets, off)
				mu.Unlock()
				items := []json.RawMessage{}
				for i := off; i < min(off+lim, total); i++ {
					// Every list's ID field, so that pages differ as real ones do.
					id := groupIDs(i, 1)[0]
					items = append(items, json.RawMessage(fmt.Sprintf(`{"workspaceId":%q,"sourceId":%q,"destinationId":%q,"connectionId":%q,"jobId":%d,"groupId":%q,"memberId":%q}`, id, id, id, id, i, id, id)))
				}
				body, _ := json.Marshal(map[string]any{"data": items, "next": "", "previous": ""})
				jsonReply(w, 200, "application/json", string(body))
			})
			n := 0
			for _, err := range list(c, t.Context()) {
				if err != nil {
					t.Fatalf("%s with %d items: %v", path, total, err)
				}
				n++
			}
			if n != total {
				t.Errorf("%s with %d items: yielded %d", path, total, n)
			}
			mu.Lock()
			if len(offsets) == 0 || offsets[0] != 0 || (len(offsets) > 1 && offsets[1]-offsets[0] != pageStep(path, int(limit))) {
				t.Errorf("%s with %d items: offsets %v", path, total, offsets)
			}
			mu.Unlock()
		}
	}
}

// pageStep is the page size an iterator asks for: the caller's limit, or
// DefaultPageSize for the iterators that take no parameters.
func pageStep(path string, limit int) int {
	if strings.HasPrefix(path, "/groups") {
		return DefaultPageSize
	}
	return limit
}

func anySeq[T any](seq iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}
