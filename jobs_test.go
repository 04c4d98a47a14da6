package airbyte

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// jobJSON is a job of connection srcID in the given status.
func jobJSON(id int, status string) string {
	return fmt.Sprintf(`{"jobId":%d,"status":%q,"jobType":"sync","connectionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","startTime":"2026-06-01T12:00:00Z"}`, id, status)
}

// jobServer answers GET /jobs/1 with statuses in turn (the last one
// repeated) and records the other requests.
type jobServer struct {
	mu       sync.Mutex
	statuses []string
	polls    int
	other    []string
	reply    func(w http.ResponseWriter, poll int) bool // may answer a poll itself
}

func (j *jobServer) handle(w http.ResponseWriter, r *http.Request) {
	j.mu.Lock()
	if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/jobs/1") {
		j.other = append(j.other, r.Method+" "+strings.TrimPrefix(r.URL.Path, prefix))
		j.mu.Unlock()
		jsonReply(w, 200, "application/json", jobJSON(1, "cancelled"))
		return
	}
	j.polls++
	n := j.polls
	status := j.statuses[min(n, len(j.statuses))-1]
	reply := j.reply
	j.mu.Unlock()
	if reply != nil && reply(w, n) {
		return
	}
	jsonReply(w, 200, "application/json", jobJSON(1, status))
}

func (j *jobServer) others() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.other...)
}

func TestPollIntervalsAsWritten(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		poll, max time.Duration
		wantWaits []time.Duration
		wantErr   string
	}{
		{"defaults", 0, 0, []time.Duration{2 * time.Second, 3 * time.Second, 4500 * time.Millisecond}, ""},
		{"max below the default first wait", 0, 500 * time.Millisecond, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond}, ""},
		{"max only caps", 0, 3 * time.Second, []time.Duration{2 * time.Second, 3 * time.Second, 3 * time.Second}, ""},
		{"first above the default max", time.Minute, 0, []time.Duration{time.Minute, time.Minute, time.Minute}, ""},
		{"max below first", 2 * time.Second, time.Second, nil, "MaxPollInterval 1s is shorter than PollInterval 2s"},
		{"negative", -time.Second, 0, nil, "negative poll interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			js := &jobServer{statuses: []string{"running", "running", "running", "succeeded"}}
			c, rec := testServer(t, js.handle)
			_, err := c.WaitJob(t.Context(), 1, JobOptions{PollInterval: tc.poll, MaxPollInterval: tc.max})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Count(err.Error(), "airbyte:") != 1 {
					t.Errorf("error = %v; want one containing %q", err, tc.wantErr)
				}
				js.mu.Lock()
				defer js.mu.Unlock()
				if js.polls != 0 {
					t.Errorf("%d polls before refusing the options; want 0", js.polls)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.get(); fmt.Sprint(got) != fmt.Sprint(tc.wantWaits) {
				t.Errorf("waits = %v; want %v", got, tc.wantWaits)
			}
		})
	}
}

func TestCancelOnDoneWhenTheServerAsksToWaitPastTheDeadline(t *testing.T) {
	t.Parallel()
	js := &jobServer{statuses: []string{"running"}, reply: func(w http.ResponseWriter, poll int) bool {
		if poll < 2 {
			return false
		}
		w.Header().Set("Retry-After", "3600")
		jsonReply(w, 429, "application/json", `{"message":"You are being rate limited."}`)
		return true
	}}
	c, _ := testServer(t, js.handle)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	_, err := c.WaitJob(ctx, 1, JobOptions{CancelOnDone: true})
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("error = %v; want the 429", err)
	}
	if got := err.Error(); strings.Count(got, "airbyte:") != 1 || !strings.Contains(got, "waiting for job 1") {
		t.Errorf("error %q; want one airbyte: prefix and the job named", got)
	}
	if got := js.others(); fmt.Sprint(got) != "[DELETE /jobs/1]" {
		t.Errorf("requests besides polls: %v; want the cancel", got)
	}
}

func TestPollHonoursRetryAfterWithinTheDeadline(t *testing.T) {
	t.Parallel()
	var limited atomic.Bool
	js := &jobServer{statuses: []string{"running", "running", "running", "succeeded"}, reply: func(w http.ResponseWriter, poll int) bool {
		if poll != 2 || limited.Swap(true) {
			return false
		}
		w.Header().Set("Retry-After", "90")
		jsonReply(w, 429, "application/json", `{"message":"slow down"}`)
		return true
	}}
	c, rec := testServer(t, js.handle)
	job, err := c.WaitJob(t.Context(), 1, JobOptions{CancelOnDone: true})
	if err != nil || job.Status != "succeeded" {
		t.Fatalf("WaitJob = %v, %v; want the job to succeed", job, err)
	}
	waits := rec.get()
	if fmt.Sprint(waits) != fmt.Sprint([]time.Duration{2 * time.Second, 90 * time.Second, 3 * time.Second}) {
		t.Errorf("waits = %v; want the poll interval, the server's 90s, then the next interval", waits)
	}
	if got := js.others(); len(got) != 0 {
		t.Errorf("requests besides polls: %v; want none", got)
	}
}

func TestJobErrorsHaveOnePrefix(t *testing.T) {
	t.Parallel()
	js := &jobServer{statuses: []string{"running"}, reply: func(w http.ResponseWriter, poll int) bool {
		if poll < 2 {
			return false
		}
		jsonReply(w, 403, "application/json", `{"title":"forbidden","status":403}`)
		return true
	}}
	c, _ := testServer(t, js.handle)
	_, err := c.WaitJob(t.Context(), 1, JobOptions{})
	if !errors.Is(err, ErrForbidden) || strings.Count(err.Error(), "airbyte:") != 1 || !strings.Contains(err.Error(), "polling job 1") {
		t.Errorf("error = %q; want a 403 with one airbyte: prefix naming the job", err)
	}
	// A cancel that fails as well is on the same line.
	js = &jobServer{statuses: []string{"running"}}
	c, _ = testServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			jsonReply(w, 500, "application/json", `{"title":"internal"}`)
			return
		}
		js.handle(w, r)
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	ctx, cancel := context.WithCancel(t.Context())
	_, err = c.WaitJob(ctx, 1, JobOptions{CancelOnDone: true, Progress: func(JobProgress) { cancel() }})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrServer) || strings.ContainsAny(err.Error(), "\n") || strings.Count(err.Error(), "airbyte:") != 1 {
		t.Errorf("error = %q; want cancelled and the cancel's 500 on one line with one prefix", err)
	}
}

// jobServerHandler answers every job request with a succeeded job.
func jobServerHandler(t *testing.T) http.HandlerFunc {
	t.Helper()
	js := &jobServer{statuses: []string{"succeeded"}}
	return js.handle
}

func TestIncompleteIsNotFinal(t *testing.T) {
	t.Parallel()
	t.Run("RunJob waits through incomplete", func(t *testing.T) {
		t.Parallel()
		js := &jobServer{statuses: []string{"running", "incomplete", "running", "succeeded"}}
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				jsonReply(w, 200, "application/json", jobJSON(1, "pending"))
				return
			}
			js.handle(w, r)
		})
		var seen []string
		job, err := c.RunJob(t.Context(), srcID, JobOptions{Progress: func(p JobProgress) { seen = append(seen, string(p.Status)) }})
		if err != nil || job.Status != "succeeded" {
			t.Fatalf("RunJob = %v, %v; want the job to succeed after its incomplete attempt", job, err)
		}
		if got, want := fmt.Sprint(seen), "[pending running incomplete running succeeded]"; got != want {
			t.Errorf("progress saw %s; want %s", got, want)
		}
	})
	t.Run("attach finds a job between attempts", func(t *testing.T) {
		t.Parallel()
		js := &jobServer{statuses: []string{"running", "succeeded"}}
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == http.MethodPost:
				jsonReply(w, 409, "application/json", `{"title":"try-again-later","status":409,"detail":"Please try again later."}`)
			case strings.HasSuffix(r.URL.Path, "/jobs"):
				jsonReply(w, 200, "application/json", `{"data":[`+jobJSON(1, "incomplete")+`,`+jobJSON(0, "succeeded")+`],"next":"","previous":""}`)
			default:
				js.handle(w, r)
			}
		})
		job, err := c.RunJob(t.Context(), srcID, JobOptions{AttachToRunning: true})
		if err != nil || job.JobId != 1 || job.Status != "succeeded" {
			t.Errorf("RunJob = %+v, %v; want job 1 attached and succeeded", job, err)
		}
	})
	t.Run("attach filters by status and sends no orderBy", func(t *testing.T) {
		t.Parallel()
		// A server that, like the real one, refuses every orderBy and
		// filters by status exactly.
		js := &jobServer{statuses: []string{"running", "succeeded"}}
		var asked []string
		var mu sync.Mutex
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == http.MethodPost:
				jsonReply(w, 409, "application/json", `{"title":"try-again-later","status":409,"detail":"Please try again later."}`)
			case strings.HasSuffix(r.URL.Path, "/jobs"):
				q := r.URL.Query()
				if q.Has("orderBy") {
					jsonReply(w, 400, "application/json", `{"errorId":"5d1c8a2e-0b7f-4e39-9a64-2f8d1c3b7e50"}`)
					return
				}
				mu.Lock()
				asked = append(asked, q.Get("status"))
				mu.Unlock()
				if q.Get("status") == "incomplete" {
					jsonReply(w, 200, "application/json", `{"data":[`+jobJSON(1, "incomplete")+`],"next":"","previous":""}`)
					return
				}
				jsonReply(w, 200, "application/json", `{"data":[],"next":"","previous":""}`)
			default:
				js.handle(w, r)
			}
		})
		job, err := c.RunJob(t.Context(), srcID, JobOptions{AttachToRunning: true})
		if err != nil || job.JobId != 1 || job.Status != "succeeded" {
			t.Errorf("RunJob = %+v, %v; want job 1 attached and succeeded", job, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if got := fmt.Sprint(asked); got != "[running incomplete]" {
			t.Errorf("statuses asked = %s; want [running incomplete]", got)
		}
	})
	for status, final := range map[string]bool{"pending": false, "queued": false, "running": false, "incomplete": false, "succeeded": true, "failed": true, "cancelled": true} {
		if got := IsFinalJobStatus(generated.JobStatusEnum(status)); got != final {
			t.Errorf("IsFinalJobStatus(%s) = %v; want %v", status, got, final)
		}
	}
}

func TestJobDurationsAreDurations(t *testing.T) {
	t.Parallel()
	withDuration := func(status, d string) string {
		return strings.TrimSuffix(jobJSON(1, status), "}") + `,"duration":"` + d + `"}`
	}
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			jsonReply(w, 200, "application/json", jobJSON(1, "pending"))
			return
		}
		jsonReply(w, 200, "application/json", withDuration("failed", "PT2M5.5S"))
	}, withClock(func() time.Time { return time.Date(2026, 6, 1, 12, 3, 0, 0, time.UTC) }))
	var seen []JobProgress
	_, err := c.RunJob(t.Context(), srcID, JobOptions{Progress: func(p JobProgress) { seen = append(seen, p) }})
	var je *JobError
	if !errors.As(err, &je) || !errors.Is(err, ErrJobFailed) {
		t.Fatalf("error = %v; want a failed *JobError", err)
	}
	if !strings.HasSuffix(err.Error(), "ended failed after 2m5.5s") {
		t.Errorf("error %q; want the run time as a Go duration", err)
	}
	if len(seen) != 2 || seen[0].Duration != 0 || seen[1].Duration != 2*time.Minute+5500*time.Millisecond || seen[1].Elapsed != 3*time.Minute {
		t.Errorf("progress %+v; want Duration 0 then 2m5.5s, Elapsed 3m since the start", seen)
	}
}
