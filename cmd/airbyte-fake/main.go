// Command airbyte-fake serves the in-memory fake Airbyte API of package
// contract/fake on a loopback address, so any client, in any language, can
// be pointed at it.
//
//	go run ./cmd/airbyte-fake -addr 127.0.0.1:8000 -token-lifetime 3m -job-duration 5s
//
// It prints the API base URL and the client credentials it accepts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "airbyte-fake:", err)
		os.Exit(1)
	}
}

// run serves the fake until ctx ends, writing its address and credentials
// to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("airbyte-fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8000", "loopback `address` to listen on")
	lifetime := fs.Duration("token-lifetime", 3*time.Minute, "lifetime of issued access tokens")
	jobDuration := fs.Duration("job-duration", 5*time.Second, "time a sync takes from creation to success")
	clientID := fs.String("client-id", fake.DefaultClientID, "client ID the token endpoint accepts")
	clientSecret := fs.String("client-secret", fake.DefaultClientSecret, "client secret the token endpoint accepts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the fake only listens on loopback addresses (127.0.0.1, ::1, localhost)", *addr)
	}
	srv, err := fake.New(fake.Options{ClientID: *clientID, ClientSecret: *clientSecret, TokenLifetime: *lifetime, JobDuration: *jobDuration})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + fake.BasePath
	fmt.Fprintf(out, "Fake Airbyte API at %s\n", base)
	fmt.Fprintf(out, "  AIRBYTE_API_URL=%s\n  AIRBYTE_CLIENT_ID=%s\n  AIRBYTE_CLIENT_SECRET=%s\n", base, srv.ClientID(), srv.ClientSecret())
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
