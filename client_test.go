package airbyte

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

const prefix = "/api/public/v1"

// testServer serves handler under prefix and returns a client for it with
// a static token and recorded (instant) sleeps.
func testServer(t *testing.T, handler http.HandlerFunc, opts ...Option) (*Client, *sleepRecorder) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", handler)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	rec := &sleepRecorder{}
	c, err := NewClient(append([]Option{WithServerURL(srv.URL + prefix), WithToken("test-token"), rec.option()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

func jsonReply(w http.ResponseWriter, status int, ct, body string) {
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

var srcID = openapi_types.UUID{0x7a, 0x1c, 0x3e, 0x58, 0x2b, 0x94, 0x4d, 0x0f, 0x8e, 0x6a, 0x91, 0xc5, 0xd7, 0xf3, 0xb2, 0x40}

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		status   int
		ct, body string
		is       error
		wantText string
	}{
		{"problem 404", 404, "application/json", `{"type":"https://reference.airbyte.com/reference/errors#resource-not-found","title":"resource-not-found","status":404,"detail":"Could not find a source","documentationUrl":null,"data":{"id":"x","password":"hunter2"}}`, ErrNotFound, "resource-not-found: Could not find a source"},
		{"problem+json status as string", 409, "application/problem+json", `{"title":"Conflict","status":"409","detail":"A sync is already running"}`, ErrConflict, "A sync is already running"},
		{"value-not-found is a bad request", 400, "application/json", `{"type":"https://reference.airbyte.com/reference/errors#value-not-found","title":"value-not-found","status":400,"detail":"The value was not found.","data":{"value":"postgress"}}`, ErrBadRequest, "value-not-found"},
		{"resource-not-found as 400 (older servers)", 400, "application/json", `{"type":"https://reference.airbyte.com/reference/errors#resource-not-found","title":"resource-not-found","status":400,"detail":"no such workspace"}`, ErrNotFound, "no such workspace"},
		{"errorId only", 404, "application/json", `{"errorId":"3f2b8c1e-5a7d-4e90-b6c4-1d8e2f7a9b05"}`, ErrNotFound, "404 Not Found (errorId 3f2b8c1e-5a7d-4e90-b6c4-1d8e2f7a9b05)"},
		{"data.message", 409, "application/json", `{"type":"https://reference.airbyte.com/reference/errors#try-again-later","title":"try-again-later","status":409,"detail":"Please try again later.","documentationUrl":null,"data":{"message":"A sync is already running for: 7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240"}}`, ErrConflict, "Please try again later.: A sync is already running for: 7a1c3e58"},
		{"403 with data.message", 403, "application/json", `{"type":"https://reference.airbyte.com/reference/errors#forbidden","title":"forbidden","status":403,"detail":"The caller is not allowed to do this.","data":{"message":"Caller does not have the required permissions to access the resource(s)."}}`, ErrForbidden, "required permissions"},
		{"about:blank", 500, "application/json", `{"type":"about:blank","status":500}`, ErrServer, "500 Internal Server Error"},
		{"HAL 401", 401, "application/json", `{"message":"Unauthorized","_links":{"self":{"href":"/"}},"_embedded":{"errors":[{"message":"JWT expired"}]}}`, ErrUnauthorized, "Unauthorized: JWT expired"},
		{"gateway", 403, "application/json", `{"message":"Forbidden by gateway","code":"ACCESS_DENIED"}`, ErrForbidden, "code ACCESS_DENIED"},
		{"422", 422, "application/json", `{"title":"unprocessable-entity","detail":"configuration has no sourceType"}`, ErrUnprocessable, "no sourceType"},
		{"empty body", 404, "", ``, ErrNotFound, "404 Not Found"},
		{"HTML page", 404, "text/html", `<html><head><title>Not Found</title></head></html>`, ErrNotFound, "HTML page: Not Found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) { jsonReply(w, tc.status, tc.ct, tc.body) })
			_, err := c.API().GetSourceWithResponse(t.Context(), srcID, nil)
			if !errors.Is(err, tc.is) {
				t.Fatalf("error = %v; want errors.Is %v", err, tc.is)
			}
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error %T; want *APIError", err)
			}
			if ae.StatusCode != tc.status || !strings.Contains(ae.Operation, "GET "+prefix+"/sources/") {
				t.Errorf("StatusCode, Operation = %d, %q", ae.StatusCode, ae.Operation)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("Error() = %q; want it to contain %q", err, tc.wantText)
			}
			if tc.status == 400 && strings.Contains(tc.body, "value-not-found") && errors.Is(err, ErrNotFound) {
				t.Errorf("a 400 value-not-found (an unknown connector type) matches ErrNotFound")
			}
			if strings.Contains(tc.body, `"errorId"`) && ae.ErrorID != "3f2b8c1e-5a7d-4e90-b6c4-1d8e2f7a9b05" {
				t.Errorf("ErrorID = %q", ae.ErrorID)
			}
			if pw, ok := ae.Data["password"]; ok && pw != masked {
				t.Errorf("Data[password] = %v; want it masked", ae.Data["password"])
			}
		})
	}
}

func TestValueHelper(t *testing.T) {
	t.Parallel()
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, "application/json", `{"sourceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"pg","sourceType":"postgres","definitionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","configuration":{},"createdAt":1}`)
	})
	src, err := Value[generated.SourceResponse](c.API().GetSourceWithResponse(t.Context(), srcID, nil))
	if err != nil || src.Name != "pg" {
		t.Fatalf("Value = %v, %v; want the source", src, err)
	}
	// A bare generated client returns nil errors on 4xx; Value still types them.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 404, "application/json", `{"title":"resource-not-found"}`)
	}))
	t.Cleanup(srv.Close)
	bare, _ := generated.NewClientWithResponses(srv.URL)
	_, err = Value[generated.SourceResponse](bare.GetSourceWithResponse(t.Context(), srcID, nil))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("bare client: error = %v; want ErrNotFound", err)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	httpDate := time.Date(2026, 6, 1, 12, 0, 7, 0, time.UTC)
	now := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	cases := []struct {
		name      string
		method    string
		failures  []int
		header    string
		wantCalls int
		wantErr   error
		wantWaits []time.Duration
	}{
		{"GET 503 then ok", "GET", []int{503}, "", 2, nil, nil},
		{"Retry-After seconds", "GET", []int{429}, "3", 2, nil, []time.Duration{3 * time.Second}},
		{"Retry-After HTTP date", "GET", []int{429}, httpDate.Format(http.TimeFormat), 2, nil, []time.Duration{7 * time.Second}},
		{"gives up after MaxAttempts", "GET", []int{502, 502, 502, 502, 502}, "", 4, ErrServer, nil},
		{"POST not retried after 503", "POST", []int{503}, "", 1, ErrServer, nil},
		{"POST retried after 429", "POST", []int{429}, "1", 2, nil, []time.Duration{time.Second}},
		{"404 not retried", "GET", []int{404}, "", 1, ErrNotFound, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			var bodies sync.Map
			c, rec := testServer(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1))
				b, _ := io.ReadAll(r.Body)
				bodies.Store(n, string(b))
				if n <= len(tc.failures) {
					if tc.header != "" {
						w.Header().Set("Retry-After", tc.header)
					}
					jsonReply(w, tc.failures[n-1], "application/json", `{"message":"try later"}`)
					return
				}
				if r.Method == "POST" {
					jsonReply(w, 200, "application/json", `{"jobId":1,"status":"pending","jobType":"sync","connectionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","startTime":"2026-06-01T12:00:00Z"}`)
					return
				}
				jsonReply(w, 200, "application/json", `{"data":[]}`)
			}, withClock(now))
			var err error
			if tc.method == "POST" {
				_, err = c.API().CreateJobWithResponse(t.Context(), generated.CreateJobJSONRequestBody{ConnectionId: srcID, JobType: generated.JobTypeEnumSync})
			} else {
				_, err = c.API().ListWorkspacesWithResponse(t.Context(), nil)
			}
			if !errors.Is(err, tc.wantErr) && !(tc.wantErr == nil && err == nil) {
				t.Errorf("error = %v; want %v", err, tc.wantErr)
			}
			if got := int(calls.Load()); got != tc.wantCalls {
				t.Errorf("calls = %d; want %d", got, tc.wantCalls)
			}
			if tc.wantWaits != nil {
				if got := rec.get(); fmt.Sprint(got) != fmt.Sprint(tc.wantWaits) {
					t.Errorf("waits = %v; want %v", got, tc.wantWaits)
				}
			}
			if tc.method == "POST" && tc.wantCalls == 2 {
				b1, _ := bodies.Load(1)
				b2, _ := bodies.Load(2)
				if b1 != b2 || b1 == "" {
					t.Errorf("replayed body %q; want %q", b2, b1)
				}
			}
		})
	}
}

func TestRetryNeverSleepsPastDeadline(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, rec := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "120")
		jsonReply(w, 503, "application/json", `{"message":"busy"}`)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := c.API().ListWorkspacesWithResponse(ctx, nil)
	if !errors.Is(err, ErrServer) || calls.Load() != 1 || len(rec.get()) != 0 {
		t.Errorf("err = %v, calls = %d, waits = %v; want the 503 at once, no sleep past the deadline", err, calls.Load(), rec.get())
	}
}

func TestUserAgentAndLogging(t *testing.T) {
	t.Parallel()
	var ua, accept string
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		ua, accept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		jsonReply(w, 200, "application/json", `{"sourceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"pg","sourceType":"postgres","definitionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","configuration":{"password":"hunter2-secret"},"createdAt":1}`)
	}, WithLogger(logger), WithBodyLogging())
	_, err := c.API().CreateSourceWithResponse(t.Context(), generated.CreateSourceJSONRequestBody{Name: "pg", WorkspaceId: srcID, Configuration: map[string]any{"password": "hunter2-secret", "host": "db"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ua, "airbyte-go/"+Version+" (go") {
		t.Errorf("User-Agent = %q", ua)
	}
	if !strings.HasPrefix(accept, "application/json") {
		t.Errorf("Accept = %q, want JSON first", accept)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, secret := range []string{"hunter2-secret", "test-token"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"status":200`) || !strings.Contains(out, `\"host\":\"db\"`) {
		t.Errorf("log lacks status or the masked body: %s", out)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestOptions(t *testing.T) {
	t.Parallel()
	if _, err := NewClient(); err == nil || !strings.Contains(err.Error(), "WithClientCredentials") {
		t.Errorf("NewClient() error = %v; want a hint about credentials", err)
	}
	if _, err := NewClient(WithRetryPolicy(RetryPolicy{})); err == nil {
		t.Error("zero retry policy accepted")
	}
	if _, err := NewClient(FromEnvFunc(func(string) string { return "" })); err == nil || !strings.Contains(err.Error(), "AIRBYTE_CLIENT_ID") {
		t.Errorf("FromEnv with empty env: error = %v", err)
	}
	hc := &http.Client{Timeout: time.Minute}
	if _, err := NewClient(WithToken("t"), WithHTTPClient(hc), WithTimeout(time.Second)); err != nil {
		t.Fatal(err)
	}
	if hc.Timeout != time.Minute || hc.Transport != nil {
		t.Errorf("caller's http.Client was modified: %+v", hc)
	}
}
