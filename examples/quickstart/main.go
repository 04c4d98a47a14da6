// Command quickstart shows airbyte-go end to end.
//
// With no AIRBYTE_ variable set it starts the fake Airbyte in-process on a
// loopback address and, against it, gets a token, lists workspaces, creates
// a source, a destination and a connection, runs a sync with a live
// progress line, prints the result and cleans up.
//
// With AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET (and AIRBYTE_API_URL for
// a self-managed installation) it talks to that Airbyte and stays
// read-only (workspaces, connections, recent jobs) unless -write is given.
// Missing or bad settings end it with one line saying what to set.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

// config is what the command line says.
type config struct {
	write        bool // against a real Airbyte: create resources and run a sync
	insecureHTTP bool // allow plain http to a remote AIRBYTE_API_URL
	live         bool // redraw the progress line in place (a terminal)
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.write, "write", false, "against a real Airbyte: also create a source, destination and connection, run a sync and delete them")
	flag.BoolVar(&cfg.insecureHTTP, "insecure-http", false, "allow a plain http:// AIRBYTE_API_URL on a host that is not loopback (credentials travel unencrypted)")
	flag.Parse()
	if fi, err := os.Stdout.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		cfg.live = true
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// envVars are the settings that mean "talk to a real Airbyte".
var envVars = []string{auth.EnvClientID, auth.EnvClientSecret, auth.EnvAccessToken, auth.EnvAPIURL, auth.EnvTokenURL}

func run(ctx context.Context, out io.Writer, getenv func(string) string, cfg config) error {
	real := false
	for _, k := range envVars {
		if getenv(k) != "" {
			real = true
		}
	}
	var opts []airbyte.Option
	if !real {
		base, id, secret, shutdown, err := startFake()
		if err != nil {
			return err
		}
		defer shutdown()
		fmt.Fprintf(out, "No AIRBYTE_ settings: using the built-in fake Airbyte at %s\n", base)
		opts = []airbyte.Option{airbyte.WithServerURL(base), airbyte.WithClientCredentials(id, secret)}
		cfg.write = true
	} else {
		opts = []airbyte.Option{airbyte.FromEnvFunc(getenv)}
		if cfg.insecureHTTP {
			opts = append(opts, airbyte.WithInsecureHTTP())
		}
	}
	client, err := airbyte.NewClient(opts...)
	switch {
	case errors.Is(err, auth.ErrInsecureHTTP):
		return fmt.Errorf("%s %q uses plain http to a remote host: use https, or pass -insecure-http on a network you trust", auth.EnvAPIURL, getenv(auth.EnvAPIURL))
	case errors.Is(err, auth.ErrMissingCredentials):
		return fmt.Errorf("%w, or unset every AIRBYTE_ variable to use the built-in fake", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "Server: %s\n", client.ServerURL())

	// Fetch a token first, so bad credentials fail here with a clear error.
	tok, err := client.TokenSource().Token(ctx)
	if err != nil {
		return fmt.Errorf("getting an access token: %w", err)
	}
	if tok.Expiry.IsZero() {
		fmt.Fprintln(out, "Got an access token")
	} else {
		fmt.Fprintf(out, "Got an access token, valid for %s\n", time.Until(tok.Expiry).Round(time.Second))
	}

	var workspace *airbyte.WorkspaceResponse
	fmt.Fprintln(out, "Workspaces:")
	for ws, err := range client.Workspaces.All(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing workspaces: %w", err)
		}
		fmt.Fprintf(out, "  %s  %s\n", ws.WorkspaceId, ws.Name)
		if workspace == nil {
			w := ws
			workspace = &w
		}
	}
	if workspace == nil {
		return errors.New("no workspace is visible to these credentials")
	}
	if !cfg.write {
		return readOnly(ctx, out, client)
	}
	return syncDemo(ctx, out, client, workspace.WorkspaceId, cfg.live)
}

func readOnly(ctx context.Context, out io.Writer, client *airbyte.Client) error {
	fmt.Fprintln(out, "Connections:")
	for c, err := range client.Connections.All(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing connections: %w", err)
		}
		fmt.Fprintf(out, "  %s  %-40s %s\n", c.ConnectionId, c.Name, c.Status)
	}
	fmt.Fprintln(out, "Recent jobs:")
	n := 0
	for j, err := range client.Jobs.All(ctx, &airbyte.ListJobsParams{Limit: airbyte.Ptr[airbyte.Limit](10), OrderBy: airbyte.Ptr("createdAt|DESC")}) {
		if err != nil {
			return fmt.Errorf("listing jobs: %w", err)
		}
		fmt.Fprintf(out, "  %d  %-8s %-10s %s\n", j.JobId, j.JobType, j.Status, j.StartTime.Format(time.RFC3339))
		if n++; n == 10 {
			break
		}
	}
	fmt.Fprintln(out, "Read-only run done (pass -write to create resources and run a sync).")
	return nil
}

func syncDemo(ctx context.Context, out io.Writer, client *airbyte.Client, ws airbyte.UUID, live bool) error {
	src, err := client.Sources.Create(ctx, airbyte.SourceCreateRequest{
		Name: "quickstart: sample data", WorkspaceId: ws,
		Configuration: airbyte.SourceConfiguration{"sourceType": "faker", "count": 1000},
	})
	if err != nil {
		return fmt.Errorf("creating the source: %w", err)
	}
	fmt.Fprintf(out, "Created source      %s (%s)\n", src.SourceId, src.SourceType)
	defer cleanup(out, "source", func(ctx context.Context) error { return client.Sources.Delete(ctx, src.SourceId) })

	dst, err := client.Destinations.Create(ctx, airbyte.DestinationCreateRequest{
		Name: "quickstart: end-to-end test", WorkspaceId: ws,
		Configuration: airbyte.DestinationConfiguration{"destinationType": "e2e-test", "test_destination": map[string]any{"test_destination_type": "SILENT"}},
	})
	if err != nil {
		return fmt.Errorf("creating the destination: %w", err)
	}
	fmt.Fprintf(out, "Created destination %s (%s)\n", dst.DestinationId, dst.DestinationType)
	defer cleanup(out, "destination", func(ctx context.Context) error { return client.Destinations.Delete(ctx, dst.DestinationId) })

	conn, err := client.Connections.Create(ctx, airbyte.ConnectionCreateRequest{
		Name: airbyte.Ptr("quickstart: sample data → dev null"), SourceId: src.SourceId, DestinationId: dst.DestinationId,
	})
	if err != nil {
		return fmt.Errorf("creating the connection: %w", err)
	}
	fmt.Fprintf(out, "Created connection  %s\n", conn.ConnectionId)
	defer cleanup(out, "connection", func(ctx context.Context) error { return client.Connections.Delete(ctx, conn.ConnectionId) })

	fmt.Fprintln(out, "Running a sync…")
	job, err := client.RunJob(ctx, conn.ConnectionId, airbyte.JobOptions{
		PollInterval: 500 * time.Millisecond, MaxPollInterval: 5 * time.Second, CancelOnDone: true,
		Progress: func(p airbyte.JobProgress) {
			line := fmt.Sprintf("  job %d  %-9s %6.1fs  %8.1f MiB  %9d rows", p.JobID, p.Status, p.Elapsed.Seconds(), float64(p.Bytes)/(1<<20), p.Rows)
			if live {
				fmt.Fprint(out, "\r\033[K"+line) // redraw one line in place
			} else {
				fmt.Fprintln(out, line)
			}
		},
	})
	if live {
		fmt.Fprintln(out)
	}
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	fmt.Fprintf(out, "Sync %s: job %d moved %d rows (%d bytes) in %v\n", job.Status, job.JobId, deref(job.RowsSynced), deref(job.BytesSynced), deref(job.Duration).Duration)
	return nil
}

func cleanup(out io.Writer, what string, del func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := del(ctx); err != nil {
		fmt.Fprintf(out, "Could not delete the %s: %v\n", what, err)
		return
	}
	fmt.Fprintf(out, "Deleted the %s\n", what)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// startFake serves the fake Airbyte on a loopback port.
func startFake() (base, id, secret string, shutdown func(), err error) {
	f, err := fake.New(fake.Options{JobDuration: 4 * time.Second})
	if err != nil {
		return "", "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", "", nil, err
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + fake.BasePath, f.ClientID(), f.ClientSecret(), func() { srv.Close() }, nil
}
