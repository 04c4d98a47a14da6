package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunServesAndPrintsCredentials(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token-lifetime", "42s", "-client-id", "my-id", "-client-secret", "my-secret"}, pw)
		pw.Close()
	}()

	vars := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok {
			vars[k] = v
		}
		if strings.HasPrefix(line, "Press Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	base := vars["AIRBYTE_API_URL"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/api/public/v1") {
		t.Fatalf("printed base URL %q", base)
	}
	if vars["AIRBYTE_CLIENT_ID"] != "my-id" || vars["AIRBYTE_CLIENT_SECRET"] != "my-secret" {
		t.Fatalf("printed credentials %v", vars)
	}

	body, _ := json.Marshal(map[string]string{"client_id": vars["AIRBYTE_CLIENT_ID"], "client_secret": vars["AIRBYTE_CLIENT_SECRET"]})
	resp, err := http.Post(base+"/applications/token", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" || tok.ExpiresIn != 42 {
		t.Fatalf("token: status %d, %+v, %v", resp.StatusCode, tok, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:8000"}, "loopback"},
		{[]string{"-addr", "example.com:80"}, "loopback"},
		{[]string{"-addr", "nope"}, "-addr"},
		{[]string{"-token-lifetime", "soon"}, "invalid value"},
	} {
		var out bytes.Buffer
		err := run(t.Context(), tc.args, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.args, err, tc.want)
		}
	}
}

// started is a running fake: its printed settings and a stop function
// that returns run's error.
type started struct {
	vars map[string]string
	stop func() error
}

func start(t *testing.T, args ...string) started {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
	}()
	vars := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok {
			vars[k] = v
		}
		if strings.HasPrefix(line, "Press Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return context.DeadlineExceeded
		}
	}
	return started{vars: vars, stop: stop}
}

// call sends a request to a started fake with a fresh token and decodes
// the answer.
func (s started) call(t *testing.T, method, path string, in any) (int, map[string]any) {
	t.Helper()
	base := s.vars["AIRBYTE_API_URL"]
	body, _ := json.Marshal(map[string]string{"client_id": s.vars["AIRBYTE_CLIENT_ID"], "client_secret": s.vars["AIRBYTE_CLIENT_SECRET"]})
	resp, err := http.Post(base+"/applications/token", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	var rd io.Reader
	if in != nil {
		data, _ := json.Marshal(in)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestStateSurvivesRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s := start(t, "-state", path)
	status, ws := s.call(t, "POST", "/workspaces", map[string]any{"name": "kept"})
	if status != 200 {
		t.Fatalf("create workspace: %d %v", status, ws)
	}
	id := ws["workspaceId"].(string)
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no state file after a change: %v", err)
	}
	matches, _ := filepath.Glob(path + ".tmp*")
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}

	s = start(t, "-state", path)
	defer s.stop()
	if status, got := s.call(t, "GET", "/workspaces/"+id, nil); status != 200 || got["name"] != "kept" {
		t.Errorf("after a restart: %d %v; want the workspace", status, got)
	}
}

func TestSeed(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	// Make a seed with one tag from a fake's own state.
	s := start(t, "-state", seed)
	_, orgs := s.call(t, "GET", "/workspaces", nil)
	ws := orgs["data"].([]any)[0].(map[string]any)["workspaceId"].(string)
	if status, _ := s.call(t, "POST", "/tags", map[string]any{"name": "seeded", "color": "000000", "workspaceId": ws}); status != 200 {
		t.Fatal("create tag")
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	s = start(t, "-seed", seed, "-state", state)
	defer s.stop()
	_, tags := s.call(t, "GET", "/tags", nil)
	if data, _ := tags["data"].([]any); len(data) != 1 {
		t.Errorf("tags = %v; want the seeded one", tags)
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("the state file was not written: %v", err)
	}
}

func TestForeignStateFileIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{"not json at all", `{"hello":"world"}`} {
		path := filepath.Join(dir, "state.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-state", path}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a fake state file") {
			t.Errorf("run with %q: %v; want a clear error naming the file", content, err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("the file was changed to %q", got)
		}
	}
	err := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-seed", filepath.Join(dir, "missing.json")}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-seed") {
		t.Errorf("missing seed: %v", err)
	}
}

// TestRunFaultFlags checks the fault knobs reach the fake: load shedding
// answers 429 with a message and no Retry-After, and a server error every
// request answers 503.
func TestRunFaultFlags(t *testing.T) {
	for _, tc := range []struct {
		flag       string
		wantStatus int
	}{
		{"-shed-load-every", http.StatusTooManyRequests},
		{"-server-error-every", http.StatusServiceUnavailable},
		{"-rate-limit-every", http.StatusTooManyRequests},
	} {
		s := start(t, tc.flag, "1")
		resp, err := http.Get(s.vars["AIRBYTE_API_URL"] + "/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("%s 1: GET /health = %d; want %d", tc.flag, resp.StatusCode, tc.wantStatus)
		}
		if tc.flag == "-shed-load-every" && resp.Header.Get("Retry-After") != "" {
			t.Errorf("load shedding sent Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if err := s.stop(); err != nil {
			t.Fatal(err)
		}
	}
}
