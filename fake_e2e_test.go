package airbyte_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// newFake starts a fake Airbyte and returns a client for it.
func newFake(t *testing.T, opts fake.Options) (*airbyte.Client, *fake.Server) {
	t.Helper()
	f, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := airbyte.NewClient(airbyte.WithServerURL(srv.URL+fake.BasePath), airbyte.WithClientCredentials(f.ClientID(), f.ClientSecret()))
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

func mustUUID(t *testing.T, s string) airbyte.UUID {
	t.Helper()
	u, err := airbyte.ParseUUID(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// connection creates a source, a destination and a connection on the fake.
func connection(t *testing.T, c *airbyte.Client, ws airbyte.UUID) airbyte.UUID {
	t.Helper()
	ctx := t.Context()
	src, err := c.Sources.Create(ctx, airbyte.SourceCreateRequest{
		Name: "Shop Postgres", WorkspaceId: ws, Configuration: map[string]any{"sourceType": "postgres", "host": "db", "password": "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if src.Configuration["password"] != "**********" {
		t.Errorf("source password = %v; want masked", src.Configuration["password"])
	}
	dst, err := c.Destinations.Create(ctx, airbyte.DestinationCreateRequest{
		Name: "Warehouse", WorkspaceId: ws, Configuration: map[string]any{"destinationType": "bigquery"}})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := c.Connections.Create(ctx, airbyte.ConnectionCreateRequest{SourceId: src.SourceId, DestinationId: dst.DestinationId})
	if err != nil {
		t.Fatal(err)
	}
	return conn.ConnectionId
}

func TestPaginationOverFake(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 5, 10, 23} {
		c, f := newFake(t, fake.Options{})
		ws := mustUUID(t, f.DefaultWorkspaceID())
		for i := range n {
			if _, err := c.Tags.Create(t.Context(), airbyte.TagCreateRequest{Name: fmt.Sprintf("t%d", i), Color: "FFFFFF", WorkspaceId: ws}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "s", WorkspaceId: ws, Configuration: map[string]any{"sourceType": "faker"}}); err != nil {
				t.Fatal(err)
			}
		}
		limit := airbyte.Limit(5)
		got := 0
		for s, err := range c.Sources.All(t.Context(), &airbyte.ListSourcesParams{Limit: &limit}) {
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != "s" {
				t.Fatalf("source %+v", s)
			}
			got++
		}
		if got != n {
			t.Errorf("Sources with %d items, page size 5: yielded %d", n, got)
		}
		// Early break stops fetching.
		seen := 0
		for _, err := range c.Sources.All(t.Context(), &airbyte.ListSourcesParams{Limit: &limit}) {
			if err != nil {
				t.Fatal(err)
			}
			seen++
			if seen == 2 {
				break
			}
		}
		if n >= 2 && seen != 2 {
			t.Errorf("early break: saw %d", seen)
		}
	}
}

func TestIteratorStopsOnError(t *testing.T) {
	t.Parallel()
	c, err := airbyte.NewClient(airbyte.WithServerURL("http://127.0.0.1:1/api/public/v1"), airbyte.WithToken("t"),
		airbyte.WithRetryPolicy(airbyte.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.Workspaces.All(t.Context(), nil) {
		n++
		if err == nil {
			t.Fatal("want an error")
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times; want one error", n)
	}
}

func TestRunJobOverFake(t *testing.T) {
	t.Parallel()
	t.Run("succeeds with progress", func(t *testing.T) {
		t.Parallel()
		c, f := newFake(t, fake.Options{JobDuration: 300 * time.Millisecond})
		conn := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
		var mu sync.Mutex
		var seen []airbyte.JobProgress
		job, err := c.RunJob(t.Context(), conn, airbyte.JobOptions{PollInterval: 20 * time.Millisecond, Progress: func(p airbyte.JobProgress) {
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		if job.Status != airbyte.JobStatusEnumSucceeded || *job.RowsSynced == 0 {
			t.Errorf("job = %+v; want succeeded with rows", job)
		}
		if len(seen) < 2 || seen[len(seen)-1].Status != airbyte.JobStatusEnumSucceeded {
			t.Errorf("progress = %+v; want several reports ending in succeeded", seen)
		}
	})
	t.Run("failure is a JobError", func(t *testing.T) {
		t.Parallel()
		c, f := newFake(t, fake.Options{JobDuration: 100 * time.Millisecond, FailJobs: true})
		conn := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
		_, err := c.RunJob(t.Context(), conn, airbyte.JobOptions{PollInterval: 20 * time.Millisecond})
		var je *airbyte.JobError
		if !errors.Is(err, airbyte.ErrJobFailed) || !errors.As(err, &je) {
			t.Errorf("error = %v; want a JobError matching ErrJobFailed", err)
		}
	})
	t.Run("409 attaches to the running job", func(t *testing.T) {
		t.Parallel()
		c, f := newFake(t, fake.Options{JobDuration: 300 * time.Millisecond})
		conn := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
		first, err := c.Jobs.Create(t.Context(), airbyte.JobCreateRequest{ConnectionId: conn, JobType: airbyte.JobTypeEnumSync})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.RunJob(t.Context(), conn, airbyte.JobOptions{}); !errors.Is(err, airbyte.ErrConflict) {
			t.Errorf("without AttachToRunning: error = %v; want ErrConflict", err)
		}
		job, err := c.RunJob(t.Context(), conn, airbyte.JobOptions{AttachToRunning: true, PollInterval: 20 * time.Millisecond})
		if err != nil || job.JobId != first.JobId {
			t.Errorf("attached job = %v, %v; want job %d succeeded", job, err, first.JobId)
		}
	})
	t.Run("context cancel cancels the job", func(t *testing.T) {
		t.Parallel()
		c, f := newFake(t, fake.Options{JobDuration: time.Hour})
		conn := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
		ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
		defer cancel()
		job, err := c.RunJob(ctx, conn, airbyte.JobOptions{PollInterval: 20 * time.Millisecond, CancelOnDone: true})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v; want DeadlineExceeded", err)
		}
		got, err := c.Jobs.Get(t.Context(), job.JobId)
		if err != nil || got.Status != airbyte.JobStatusEnumCancelled {
			t.Errorf("job after cancel = %v, %v; want cancelled", got, err)
		}
	})
}

// TestPatchConnectionOverFake checks Connections.Patch against the fake:
// what the request sets changes, the rest stays, and an unknown ID is a
// 404.
func TestPatchConnectionOverFake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		patch      airbyte.ConnectionPatchRequest
		wantName   string
		wantStatus airbyte.ConnectionStatusEnum
		wantCron   string
	}{
		{"name only", airbyte.ConnectionPatchRequest{Name: airbyte.Ptr("renamed")}, "renamed", airbyte.ConnectionStatusEnumActive, ""},
		{"status only", airbyte.ConnectionPatchRequest{Status: airbyte.Ptr(airbyte.ConnectionStatusEnumInactive)}, "Shop Postgres → Warehouse", airbyte.ConnectionStatusEnumInactive, ""},
		{"schedule", airbyte.ConnectionPatchRequest{Schedule: &airbyte.ConnectionScheduleRequest{
			ScheduleType: airbyte.ScheduleTypeWithBasicEnumCron, CronExpression: airbyte.Ptr("0 15 * * * ?")}}, "Shop Postgres → Warehouse", airbyte.ConnectionStatusEnumActive, "0 15 * * * ? UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, f := newFake(t, fake.Options{})
			id := connection(t, c, mustUUID(t, f.DefaultWorkspaceID()))
			got, err := c.Connections.Patch(t.Context(), id, tc.patch)
			if err != nil {
				t.Fatal(err)
			}
			again, err := c.Connections.Get(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			for _, conn := range []*airbyte.ConnectionResponse{got, again} {
				if conn.Name != tc.wantName || conn.Status != tc.wantStatus {
					t.Errorf("name, status = %q, %q; want %q, %q", conn.Name, conn.Status, tc.wantName, tc.wantStatus)
				}
				cron := ""
				if conn.Schedule.CronExpression != nil {
					cron = *conn.Schedule.CronExpression
				}
				if cron != tc.wantCron {
					t.Errorf("cron = %q; want %q", cron, tc.wantCron)
				}
			}
		})
	}
	t.Run("unknown connection", func(t *testing.T) {
		t.Parallel()
		// Roles come before lookups: 403 on Cloud, 404 for an instance admin.
		for role, want := range map[string]error{"": airbyte.ErrForbidden, "instance_admin": airbyte.ErrNotFound} {
			c, _ := newFake(t, fake.Options{Role: role})
			_, err := c.Connections.Patch(t.Context(), mustUUID(t, "3f0c8a52-6d1e-4b7a-9c2d-5e8f1a0b4c6d"), airbyte.ConnectionPatchRequest{Name: airbyte.Ptr("x")})
			if !errors.Is(err, want) {
				t.Errorf("role %q: error = %v; want %v", role, err, want)
			}
		}
	})
}
