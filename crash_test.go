package airbyte

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// TestNilAndZeroInputs checks that nil options, typed-nil token sources,
// nil contexts and zero clients give clear errors, not panics.
func TestNilAndZeroInputs(t *testing.T) {
	t.Parallel()
	var nilCC *auth.ClientCredentials
	var nilCtx context.Context
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"NewClient(Option{})", func() error { _, err := NewClient(Option{}); return err }, "option 1 of 1 is the zero Option"},
		{"zero among options", func() error { _, err := NewClient(WithToken("t"), Option{}); return err }, "option 2 of 2 is the zero Option"},
		{"typed-nil token source", func() error { _, err := NewClient(WithTokenSource(nilCC)); return err }, "WithTokenSource: nil source (*auth.ClientCredentials)"},
		{"nil context to RunJob", func() error {
			c, _ := testServer(t, jobServerHandler(t))
			_, err := c.RunJob(nilCtx, srcID, JobOptions{})
			return err
		}, "nil context"},
		{"nil context to WaitJob", func() error {
			c, _ := testServer(t, jobServerHandler(t))
			_, err := c.WaitJob(nilCtx, 1, JobOptions{})
			return err
		}, "nil context"},
		{"nil context to an iterator", func() error {
			c, _ := testServer(t, jobServerHandler(t))
			for _, err := range c.Groups.All(nilCtx, &ListGroupsParams{OrganizationId: srcID}) {
				return err
			}
			return nil
		}, "nil context"},
		{"zero Client, API", func() error {
			_, err := new(Client).API().ListWorkspacesWithResponse(t.Context(), nil)
			return err
		}, "Client not initialized"},
		{"nil *Client, API", func() error {
			var c *Client
			_, err := c.API().GetJobWithResponse(t.Context(), 1)
			return err
		}, "Client not initialized"},
		{"zero Client, RunJob", func() error { _, err := (&Client{}).RunJob(t.Context(), srcID, JobOptions{}); return err }, "Client not initialized"},
		{"zero Client, WaitJob", func() error { _, err := (&Client{}).WaitJob(t.Context(), 1, JobOptions{}); return err }, "Client not initialized"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				err = tc.call()
			}()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v; want one containing %q", err, tc.want)
			}
		})
	}
	var zero Client
	if zero.TokenSource() != nil || zero.ServerURL() != "" {
		t.Errorf("zero Client: TokenSource %v, ServerURL %q; want nil and empty", zero.TokenSource(), zero.ServerURL())
	}
	if _, err := (&Client{}).RunJob(t.Context(), srcID, JobOptions{}); !errors.Is(err, ErrNotInitialized) {
		t.Errorf("error = %v; want ErrNotInitialized", err)
	}
}

// TestNilErrorValues checks that nil pointers of the package's error types
// print, log and match without panicking.
func TestNilErrorValues(t *testing.T) {
	t.Parallel()
	var apiErr *APIError
	var jobErr *JobError
	var cfgErr *ConfigError
	for _, err := range []error{apiErr, jobErr, cfgErr} {
		if s := err.Error(); !strings.Contains(s, "nil") {
			t.Errorf("%T(nil).Error() = %q", err, s)
		}
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrJobFailed) {
			t.Errorf("a nil %T matches a sentinel", err)
		}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("e", "err", err)
		if strings.Contains(logged.String(), "panic") {
			t.Errorf("slog of a nil %T: %s", err, logged.String())
		}
		if s := fmt.Sprintf("%v %s %q", err, err, err); strings.Contains(s, "PANIC") {
			t.Errorf("fmt of a nil %T: %s", err, s)
		}
	}
}
