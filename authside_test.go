package airbyte

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// TestServerURLWithQueryFragmentOrUserInfoIsRefused gives NewClient server
// URLs that would lose the base path or carry credentials, directly and
// through the environment: each is refused, and no error shows the
// password.
func TestServerURLWithQueryFragmentOrUserInfoIsRefused(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://api.example.com/v1?token=" + sentinelToken,
		"https://api.example.com/v1?",
		"https://api.example.com/v1#" + sentinelToken,
		"https://admin:" + sentinelSecret + "@api.example.com/v1",
		"https://admin:" + sentinelSecret + "@api.example.com/v1/%zz",
		"https://admin:" + sentinelSecret + "@exa mple.com/v1",
	} {
		for name, opt := range map[string]Option{
			"WithServerURL": WithServerURL(raw),
			"FromEnv":       FromEnvFunc(func(k string) string { return map[string]string{auth.EnvAccessToken: "t", auth.EnvAPIURL: raw}[k] }),
		} {
			c, err := NewClient(opt, WithToken("t"))
			if name == "FromEnv" {
				c, err = NewClient(opt)
			}
			if err == nil {
				t.Errorf("%s(%q) accepted: client for %s", name, raw, c.ServerURL())
				continue
			}
			if s := fmt.Sprintf("%v %+v", err, err); strings.Contains(s, "SENTINEL") {
				t.Errorf("%s(%q): the error shows a secret: %s", name, raw, s)
			}
		}
	}
}

// TestRefusedRefreshAfter401IsCredentialsRejected: the API answers 401,
// the client drops its token and asks for a new one, and the token
// endpoint now refuses the credentials: the call's error says so
// (auth.ErrCredentialsRejected), is not retried, and shows no secret.
func TestRefusedRefreshAfter401IsCredentialsRejected(t *testing.T) {
	t.Parallel()
	var tokens, calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/applications/token") {
			if tokens.Add(1) == 1 {
				jsonReply(w, 200, "application/json", `{"access_token":"tok-1","token_type":"Bearer","expires_in":900}`)
				return
			}
			jsonReply(w, 401, "application/json", `{"errorId":"9c1d5e2a-0b7f-4d3e-8a61-2f4b6c8d0e13"}`)
			return
		}
		calls.Add(1)
		jsonReply(w, 401, "application/json", `{"message":"Unauthorized"}`)
	}))
	t.Cleanup(srv.Close)
	rec := &sleepRecorder{}
	c, err := NewClient(WithServerURL(srv.URL+prefix), WithClientCredentials("id", sentinelSecret), rec.option())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Workspaces.List(t.Context(), nil)
	if !errors.Is(err, auth.ErrCredentialsRejected) {
		t.Fatalf("error = %v; want auth.ErrCredentialsRejected", err)
	}
	if !strings.Contains(err.Error(), "GET") || !strings.Contains(err.Error(), prefix+"/workspaces") || strings.Contains(fmt.Sprintf("%v %+v", err, err), sentinelSecret) {
		t.Errorf("error %q; want the operation named and no secret", err)
	}
	if calls.Load() != 1 || tokens.Load() != 2 || len(rec.get()) != 0 {
		t.Errorf("%d API calls, %d token requests, waits %v; want 1, 2 and none", calls.Load(), tokens.Load(), rec.get())
	}
}

// TestCallsDoNotWaitForAnEarlyRefresh: while the cached token is inside
// its refresh margin but still valid, calls go on with it at once, even
// when the token endpoint hangs.
func TestCallsDoNotWaitForAnEarlyRefresh(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var tokens atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/applications/token") {
			if tokens.Add(1) > 1 {
				select { // the refresh hangs
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
			jsonReply(w, 200, "application/json", `{"access_token":"tok-1","token_type":"Bearer","expires_in":900}`)
			return
		}
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			jsonReply(w, 401, "application/json", `{"message":"Unauthorized"}`)
			return
		}
		jsonReply(w, 200, "application/json", `{"data":[],"next":"","previous":""}`)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	var offset atomic.Int64
	start := time.Now()
	cc, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: srv.URL + prefix,
		Now: func() time.Time { return start.Add(time.Duration(offset.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(WithServerURL(srv.URL+prefix), WithTokenSource(cc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workspaces.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(870 * time.Second)) // inside the refresh margin, 30 s before expiry
	for i := range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		_, err := c.Workspaces.List(ctx, nil)
		cancel()
		if err != nil {
			t.Errorf("call %d with a valid cached token: %v", i+1, err)
		}
	}
}
