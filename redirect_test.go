package airbyte

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// catcher records what reaches a server the API redirects to.
type catcher struct {
	mu     sync.Mutex
	bodies []string
	auths  []string
}

func (c *catcher) serve(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.bodies = append(c.bodies, string(b))
		c.auths = append(c.auths, r.Header.Get("Authorization"))
		c.mu.Unlock()
		jsonReply(w, 200, "application/json", `{"sourceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"pg","sourceType":"postgres","definitionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","configuration":{},"createdAt":1}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (c *catcher) seen() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.bodies), strings.Join(c.bodies, "|") + strings.Join(c.auths, "|")
}

func TestRedirectsCarryNoSecretsAway(t *testing.T) {
	t.Parallel()
	const password = "SENTINEL-PASSWORD-5e1a"
	create := func(c *Client) error {
		_, err := c.API().CreateSourceWithResponse(t.Context(), generated.CreateSourceJSONRequestBody{Name: "pg", WorkspaceId: srcID, Configuration: map[string]any{"password": password}})
		return err
	}
	for _, tc := range []struct {
		name   string
		status int
		tls    bool
	}{
		{"307 to another origin", http.StatusTemporaryRedirect, false},
		{"308 to another origin", http.StatusPermanentRedirect, false},
		{"307 from https down to http", http.StatusTemporaryRedirect, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			away := &catcher{}
			target := away.serve(t)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/elsewhere?x=1", tc.status)
			})
			var api *httptest.Server
			if tc.tls {
				api = httptest.NewTLSServer(h)
			} else {
				api = httptest.NewServer(h)
			}
			t.Cleanup(api.Close)
			c, err := NewClient(WithServerURL(api.URL+prefix), WithToken(sentinelToken), WithHTTPClient(api.Client()))
			if err != nil {
				t.Fatal(err)
			}
			err = create(c)
			if !errors.Is(err, ErrRedirectRefused) {
				t.Fatalf("error = %v; want ErrRedirectRefused", err)
			}
			for _, want := range []string{"POST " + api.URL + prefix + "/sources", target.URL + "/elsewhere"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "x=1") || strings.Contains(err.Error(), "SENTINEL") {
				t.Errorf("error %q shows a query or a secret", err)
			}
			if n, seen := away.seen(); n != 0 {
				t.Errorf("the other origin got %d requests: %q; want none", n, seen)
			}
		})
	}

	// A redirect inside the API's origin is still followed, body and all.
	t.Run("same origin", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		var got string
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/sources") {
				http.Redirect(w, r, prefix+"/sources/moved", http.StatusTemporaryRedirect)
				return
			}
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = string(b)
			mu.Unlock()
			jsonReply(w, 200, "application/json", `{"sourceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","name":"pg","sourceType":"postgres","definitionId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","workspaceId":"7a1c3e58-2b94-4d0f-8e6a-91c5d7f3b240","configuration":{},"createdAt":1}`)
		})
		if err := create(c); err != nil {
			t.Fatalf("same-origin 307: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !strings.Contains(got, password) {
			t.Errorf("same-origin redirect lost the body: %q", got)
		}
	})

	// A GET without a body may go elsewhere, and the caller's own
	// CheckRedirect still has its say.
	t.Run("caller's CheckRedirect", func(t *testing.T) {
		t.Parallel()
		away := &catcher{}
		target := away.serve(t)
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/docs", http.StatusFound)
		}))
		t.Cleanup(api.Close)
		mine := errors.New("caller says no")
		var asked int
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { asked++; return mine }}
		c, err := NewClient(WithServerURL(api.URL+prefix), WithToken(sentinelToken), WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); !errors.Is(err, mine) || asked != 1 {
			t.Errorf("error = %v after %d calls; want the caller's CheckRedirect error once", err, asked)
		}
		// http.ErrUseLastResponse still hands back the redirect itself.
		hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		c, err = NewClient(WithServerURL(api.URL+prefix), WithToken(sentinelToken), WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		if r, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); err != nil || r.StatusCode() != http.StatusFound {
			t.Errorf("with ErrUseLastResponse: %v, %v; want the 302 itself", r, err)
		}
		c, err = NewClient(WithServerURL(api.URL+prefix), WithToken(sentinelToken))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.API().ListWorkspacesWithResponse(t.Context(), nil); errors.Is(err, ErrRedirectRefused) {
			t.Errorf("GET redirected elsewhere: error = %v; want it followed", err)
		}
		if n, seen := away.seen(); n != 1 || strings.Contains(seen, "SENTINEL") {
			t.Errorf("the other origin saw %d requests (%q); want 1 without the token", n, seen)
		}
	})
}
