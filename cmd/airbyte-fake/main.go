// Command airbyte-fake serves the in-memory fake Airbyte API of package
// contract/fake on a loopback address, so any client, in any language, can
// be pointed at it.
//
//	go run ./cmd/airbyte-fake -addr 127.0.0.1:8000 -job-duration 5s -state fake-state.json
//
// It prints the API base URL and the client credentials it accepts. With
// -state FILE the fake keeps its resources and jobs across restarts: it
// loads FILE when it exists and rewrites it, atomically, after every
// request that may have changed something. A file that is not a fake's
// state is an error and is left alone. With -seed FILE a fake without a
// state starts from the resources of FILE (a state file, as -state
// writes).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
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
	flags := flag.NewFlagSet("airbyte-fake", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8000", "loopback `address` to listen on")
	lifetime := flags.Duration("token-lifetime", 0, "lifetime of issued access tokens (default: the fake's, 15 minutes as on the server)")
	jobDuration := flags.Duration("job-duration", 0, "time a job takes from creation to its end (default: the fake's, 3 seconds)")
	clientID := flags.String("client-id", fake.DefaultClientID, "client ID the token endpoint accepts")
	clientSecret := flags.String("client-secret", fake.DefaultClientSecret, "client secret the token endpoint accepts")
	edition := flags.String("edition", fake.EditionCloud, "edition to act as: cloud or community")
	role := flags.String("role", "", "permission of the default application's user (default: the edition's)")
	publicURL := flags.String("public-url", "", "public API `URL` links are written on (default: the URL requests come to)")
	statePath := flags.String("state", "", "`file` the fake keeps its state in across restarts")
	seedPath := flags.String("seed", "", "state `file` to start from when there is no -state file yet")
	failJobs := flags.Bool("fail-jobs", false, "make every job attempt fail: jobs pass through incomplete and end failed")
	latency := flags.Duration("latency", 0, "delay added before every answer")
	rateLimitEvery := flags.Int("rate-limit-every", 0, "answer every `N`th request with 429 and a Retry-After (0: never)")
	shedLoadEvery := flags.Int("shed-load-every", 0, "answer every `N`th request as load shedding does: 429 without Retry-After (0: never)")
	serverErrorEvery := flags.Int("server-error-every", 0, "answer every `N`th request with 503 (0: never)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the fake only listens on loopback addresses (127.0.0.1, ::1, localhost)", *addr)
	}
	srv, err := fake.New(fake.Options{ClientID: *clientID, ClientSecret: *clientSecret, TokenLifetime: *lifetime, JobDuration: *jobDuration,
		Edition: *edition, Role: *role, PublicURL: *publicURL, FailJobs: *failJobs, Latency: *latency,
		RateLimitEvery: *rateLimitEvery, ShedLoadEvery: *shedLoadEvery, ServerErrorEvery: *serverErrorEvery})
	if err != nil {
		return err
	}
	var handler http.Handler = srv
	if *statePath != "" || *seedPath != "" {
		st, err := openState(srv, *statePath, *seedPath)
		if err != nil {
			return err
		}
		if st != nil {
			handler = st
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + fake.BasePath
	fmt.Fprintf(out, "Fake Airbyte API at %s\n", base)
	fmt.Fprintf(out, "  AIRBYTE_API_URL=%s\n  AIRBYTE_CLIENT_ID=%s\n  AIRBYTE_CLIENT_SECRET=%s\n", base, srv.ClientID(), srv.ClientSecret())
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn)}
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

// A stateFile keeps a fake's state in a file: loaded once, rewritten after
// each request that may change it.
type stateFile struct {
	srv  *fake.Server
	path string
	mu   sync.Mutex // one write at a time
}

// openState loads the state file, or the seed when there is no state
// file yet, into srv. It returns nil when there is no state file to keep.
func openState(srv *fake.Server, statePath, seedPath string) (*stateFile, error) {
	load := func(path, flagName string) (bool, error) {
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("-%s %s: %w", flagName, path, err)
		}
		if err := srv.LoadState(data); err != nil {
			return false, fmt.Errorf("-%s %s: %w (the file is left as it is)", flagName, path, err)
		}
		return true, nil
	}
	if statePath != "" {
		ok, err := load(statePath, "state")
		if err != nil || ok {
			if err != nil {
				return nil, err
			}
			return &stateFile{srv: srv, path: statePath}, nil
		}
	}
	if seedPath != "" {
		ok, err := load(seedPath, "seed")
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("-seed %s: no such file", seedPath)
		}
	}
	if statePath == "" {
		return nil, nil
	}
	st := &stateFile{srv: srv, path: statePath}
	return st, st.save()
}

// ServeHTTP serves the request, then saves the state when the request may
// have changed it.
func (st *stateFile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st.srv.ServeHTTP(w, r)
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return
	}
	if err := st.save(); err != nil {
		slog.Error("airbyte-fake: saving the state failed", "file", st.path, "err", err)
	}
}

// save writes the state to a temporary file beside the state file, then
// renames it over the state file, so the file is always whole.
func (st *stateFile) save() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	data, err := st.srv.SaveState()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), filepath.Base(st.path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), st.path)
}
