package airbyte_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// TestServerFactsOverFake runs the root package's handling of what a real
// server does against the fake, which reproduces it: a job whose
// attempts fail passes through incomplete and the wait goes on to the
// end; an unknown ID answers 403 to a caller who is not an instance admin.
func TestServerFactsOverFake(t *testing.T) {
	t.Parallel()
	t.Run("incomplete between attempts", func(t *testing.T) {
		t.Parallel()
		c, f := newFake(t, fake.Options{FailJobs: true, JobDuration: 900 * time.Millisecond})
		conn := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
		var mu sync.Mutex
		seen := map[string]bool{}
		job, err := c.RunJob(t.Context(), conn, airbyte.JobOptions{PollInterval: 15 * time.Millisecond, MaxPollInterval: 15 * time.Millisecond,
			Progress: func(p airbyte.JobProgress) { mu.Lock(); seen[string(p.Status)] = true; mu.Unlock() }})
		if !errors.Is(err, airbyte.ErrJobFailed) || job == nil || job.Status != "failed" {
			t.Fatalf("RunJob = %v, %v; want the job to end failed after its attempts", job, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !seen["incomplete"] || !seen["running"] {
			t.Errorf("progress saw %v; want running and incomplete before the end", seen)
		}
	})
	t.Run("unknown ID is 403", func(t *testing.T) {
		t.Parallel()
		c, _ := newFake(t, fake.Options{Role: "organization_admin"})
		_, err := c.Sources.Get(t.Context(), mustUUID(t, "0f5e3c1a-9b2d-4e7f-8a6c-1d2e3f4a5b6c"), nil)
		if !errors.Is(err, airbyte.ErrForbidden) || errors.Is(err, airbyte.ErrNotFound) {
			t.Errorf("unknown source: error %v; want ErrForbidden, as the server answers", err)
		}
	})
}
