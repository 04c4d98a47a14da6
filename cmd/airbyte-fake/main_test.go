package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
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
