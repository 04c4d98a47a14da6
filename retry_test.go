package airbyte

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// cutShort answers with a Content-Length longer than what it sends, then
// drops the connection: the client sees the body end early.
func cutShort(t *testing.T, w http.ResponseWriter, body string) {
	t.Helper()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(200)
	w.Write([]byte(body[:len(body)/2]))
	w.(http.Flusher).Flush()
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

func TestConnectionLostMidBody(t *testing.T) {
	t.Parallel()
	const page = `{"data":[{"workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"ws","dataResidency":"auto"}],"next":"","previous":""}`
	t.Run("GET is retried", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		c, rec := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				cutShort(t, w, page)
				return
			}
			jsonReply(w, 200, "application/json", page)
		})
		r, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
		if err != nil || r.JSON200 == nil || len(r.JSON200.Data) != 1 {
			t.Fatalf("ListWorkspaces = %v, %v; want the page after a retry", r, err)
		}
		if calls.Load() != 2 || len(rec.get()) != 1 {
			t.Errorf("%d calls, waits %v; want 2 calls and one backoff", calls.Load(), rec.get())
		}
	})
	t.Run("POST is not, and the error names it", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			cutShort(t, w, jobJSON(1, "pending"))
		})
		_, err := c.API().CreateJobWithResponse(t.Context(), generated.CreateJobJSONRequestBody{ConnectionId: srcID, JobType: generated.JobTypeEnumSync}, func(_ context.Context, r *http.Request) error {
			r.URL.RawQuery = "secret=" + sentinelSecret
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "POST") || !strings.Contains(err.Error(), prefix+"/jobs") || strings.Contains(err.Error(), "SENTINEL") {
			t.Errorf("error = %v; want one naming POST %s/jobs without the query", err, prefix)
		}
		if calls.Load() != 1 {
			t.Errorf("%d calls; want 1 (a POST whose answer was cut may have acted)", calls.Load())
		}
	})
}

func TestHugeRetryAfterIsCappedAndReturned(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, rec := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "99999999999999999999")
		jsonReply(w, 429, "application/json", `{"message":"You are being rate limited."}`)
	})
	_, err := c.API().ListWorkspacesWithResponse(t.Context(), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 429 {
		t.Fatalf("error = %v; want the 429", err)
	}
	if ae.RetryAfter < time.Hour {
		t.Errorf("RetryAfter = %v; want the capped wait", ae.RetryAfter)
	}
	if calls.Load() != 1 || len(rec.get()) != 0 {
		t.Errorf("%d calls, waits %v; want 1 call and no wait", calls.Load(), rec.get())
	}
}

// TestAnswerWithoutBodyIsNotAnError: a HEAD answer announces a length
// but has no body; reading answers inside the retry loop must not take
// that for a connection lost mid-body.
func TestAnswerWithoutBodyIsNotAnError(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Length", "42")
		w.WriteHeader(200)
	})
	_, err := c.API().ListWorkspacesWithResponse(t.Context(), nil, func(_ context.Context, r *http.Request) error {
		r.Method = http.MethodHead
		return nil
	})
	if err != nil || calls.Load() != 1 {
		t.Errorf("HEAD: error %v after %d calls; want success at once", err, calls.Load())
	}
}

// TestBufferedAnswerBody checks the body readAll hands on: the whole
// answer, whatever its announced length, nothing after Close, and Close
// safe to call twice.
func TestBufferedAnswerBody(t *testing.T) {
	t.Parallel()
	for _, announced := range []int64{-1, 5, 11, 64 << 20} {
		resp := &http.Response{Body: io.NopCloser(strings.NewReader("hello world")), ContentLength: announced}
		if err := readAll(resp, MaxAnswerSize); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		if err != nil || string(got) != "hello world" {
			t.Errorf("announced %d: body = %q, %v", announced, got, err)
		}
		resp.Body.Close()
		if n, err := resp.Body.Read(make([]byte, 4)); n != 0 || err != io.EOF {
			t.Errorf("read after Close = %d, %v; want 0, EOF", n, err)
		}
		if err := resp.Body.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}
}

// TestHugeAnswerRefused checks an answer beyond MaxAnswerSize is refused
// after reading just past the limit, and not asked for again.
func TestHugeAnswerRefused(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	const limit = 1 << 20 // MaxAnswerSize, lowered to keep the test quick
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.Repeat([]byte(" "), limit+1))
	}, option(func(s *settings) error { s.maxAnswer = limit; return nil }))
	_, err := c.Workspaces.List(t.Context(), nil)
	if !errors.Is(err, ErrAnswerTooLarge) {
		t.Fatalf("err = %v; want ErrAnswerTooLarge", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("requests = %d; want 1 (not retried)", n)
	}
}
