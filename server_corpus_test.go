package airbyte_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/contract"
	"github.com/seed83f33fd3/airbyte-go/generated"
)

// A serverCase is one answer shaped exactly as the Airbyte server writes
// it (testdata/server/*.json), with our own values. Mirrors names the
// server code that writes that shape (airbytehq/airbyte-platform at
// 310e6cb).
type serverCase struct {
	Mirrors     string          `json:"mirrors"`
	About       string          `json:"about"`
	Operation   string          `json:"operation"`
	Status      int             `json:"status"`
	ContentType string          `json:"contentType"`
	Body        json.RawMessage `json:"body"`
	Text        string          `json:"text"`
	// Want maps a dotted path in the decoded value, re-encoded as JSON
	// ("data.0.startTime"), to its expected value; null means absent.
	Want      map[string]any `json:"want"`
	WantError *struct {
		Is                  []string `json:"is"`
		Not                 []string `json:"not"`
		Contains            []string `json:"contains"`
		CredentialsRejected bool     `json:"credentialsRejected"`
	} `json:"wantError"`
}

var sentinels = map[string]error{
	"ErrBadRequest": airbyte.ErrBadRequest, "ErrUnauthorized": airbyte.ErrUnauthorized, "ErrForbidden": airbyte.ErrForbidden,
	"ErrNotFound": airbyte.ErrNotFound, "ErrConflict": airbyte.ErrConflict, "ErrUnprocessable": airbyte.ErrUnprocessable,
	"ErrRateLimited": airbyte.ErrRateLimited, "ErrServer": airbyte.ErrServer,
}

var corpusID = uuid.MustParse("0b6f2d84-5e19-4c3a-a7d2-9f41e8c06b35")

// corpusCalls makes each operation the corpus covers through the client.
var corpusCalls = map[string]func(ctx context.Context, c *airbyte.Client) (any, error){
	"getJob": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.JobResponse](c.API().GetJobWithResponse(ctx, 4102))
	},
	"listJobs": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.JobsResponse](c.API().ListJobsWithResponse(ctx, &generated.ListJobsParams{}))
	},
	"listConnections": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.ConnectionsResponse](c.API().ListConnectionsWithResponse(ctx, &generated.ListConnectionsParams{}))
	},
	"listRegions": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.RegionsResponse](c.API().ListRegionsWithResponse(ctx, &generated.ListRegionsParams{OrganizationId: corpusID}))
	},
	"listDataplanes": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.DataplanesResponse](c.API().ListDataplanesWithResponse(ctx, &generated.ListDataplanesParams{}))
	},
	"getSource": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.SourceResponse](c.API().GetSourceWithResponse(ctx, corpusID, nil))
	},
	"listSources": func(ctx context.Context, c *airbyte.Client) (any, error) {
		limit := generated.Limit(100)
		return airbyte.Value[generated.SourcesResponse](c.API().ListSourcesWithResponse(ctx, &generated.ListSourcesParams{Limit: &limit}))
	},
	"createSource": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.SourceResponse](c.API().CreateSourceWithResponse(ctx, generated.SourceCreateRequest{
			Name: "orders", WorkspaceId: corpusID, Configuration: generated.SourceConfiguration{"sourceType": "postgress"},
		}))
	},
	"createJob": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return airbyte.Value[generated.JobResponse](c.API().CreateJobWithResponse(ctx, generated.JobCreateRequest{ConnectionId: corpusID, JobType: generated.JobTypeEnumSync}))
	},
	"getHealthCheck": func(ctx context.Context, c *airbyte.Client) (any, error) {
		resp, err := c.API().GetHealthCheckWithResponse(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]any{"body": string(resp.Body)}, nil
	},
	"getPermission": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return c.Permissions.Get(ctx, corpusID)
	},
	"createGroup": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return c.Groups.Create(ctx, airbyte.GroupCreateRequest{Name: "analysts", OrganizationId: corpusID})
	},
	"getDocumentation": func(ctx context.Context, c *airbyte.Client) (any, error) {
		return map[string]any{}, c.Root.Documentation(ctx)
	},
	"createAccessToken": func(ctx context.Context, c *airbyte.Client) (any, error) {
		// Any authenticated call first exchanges the credentials.
		return airbyte.Value[generated.SourceResponse](c.API().GetSourceWithResponse(ctx, corpusID, nil))
	},
}

// TestServerCorpus decodes every server-shaped answer through
// airbyte.Client and checks it against the spec with the contract
// validator: what the real server writes must decode and must be what our
// spec describes.
func TestServerCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "server", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	// Each case gets its own server; one validator (loading the spec is the
	// slow part) accepts all their base URLs.
	type loaded struct {
		name string
		sc   serverCase
		srv  *corpusServer
	}
	var cases []loaded
	var bases []string
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var sc serverCase
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		srv := newCorpusServer(t, sc)
		cases = append(cases, loaded{strings.TrimSuffix(filepath.Base(file), ".json"), sc, srv})
		bases = append(bases, srv.base)
	}
	v, err := contract.NewValidator(bases...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.sc.Mirrors == "" || c.sc.About == "" {
				t.Fatal("corpus file must say which server code it mirrors and what it shows")
			}
			// A cite names a file of the server's repository by its module
			// directory, or says plainly that there is none.
			if !strings.HasPrefix(c.sc.Mirrors, "airbyte-") && !strings.HasPrefix(c.sc.Mirrors, "no server code") {
				t.Errorf("mirrors %q names no file of the server's repository", c.sc.Mirrors)
			}
			call := corpusCalls[c.sc.Operation]
			if call == nil {
				t.Fatalf("no call for operation %q", c.sc.Operation)
			}
			runCorpusCase(t, c.sc, call, v, c.srv.base)
		})
	}
}

// corpusSecret is the client secret of the token cases; no error may show it.
const corpusSecret = "corpus-client-secret-1f9e"

// A corpusServer answers a case's operation with the case's answer, and
// every other request (a token fetch, or the call after one) as a server
// that accepts it would.
type corpusServer struct {
	base string
}

func newCorpusServer(t *testing.T, sc serverCase) *corpusServer {
	body := []byte(sc.Text)
	if len(sc.Body) > 0 {
		body = sc.Body
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/public/v1/", func(w http.ResponseWriter, r *http.Request) {
		tokenCall := strings.HasSuffix(r.URL.Path, "/applications/token")
		if sc.Operation == "createAccessToken" != tokenCall {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"tok","token_type":"Bearer","expires_in":900}`)
			return
		}
		w.Header().Set("Content-Type", sc.ContentType)
		w.WriteHeader(sc.Status)
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &corpusServer{base: srv.URL + "/api/public/v1"}
}

func runCorpusCase(t *testing.T, sc serverCase, call func(context.Context, *airbyte.Client) (any, error), v *contract.Validator, base string) {
	const secret = corpusSecret
	var mu sync.Mutex
	var violations []string
	live := &contract.LiveTransport{Validator: v, Report: func(vi *contract.Violation) {
		mu.Lock()
		defer mu.Unlock()
		violations = append(violations, vi.Error())
	}}
	cred := airbyte.WithToken("static-corpus-token")
	if sc.Operation == "createAccessToken" {
		cred = airbyte.WithClientCredentials("corpus-client", secret)
	}
	c, err := airbyte.NewClient(airbyte.WithServerURL(base), cred, airbyte.WithHTTPClient(&http.Client{Transport: live}),
		airbyte.WithRetryPolicy(airbyte.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	got, callErr := call(t.Context(), c)
	mu.Lock()
	for _, vi := range violations {
		t.Errorf("the spec does not describe what the server writes: %s", vi)
	}
	mu.Unlock()

	if sc.WantError != nil {
		if callErr == nil {
			t.Fatalf("call succeeded with %+v; want an error", got)
		}
		msg := callErr.Error()
		if strings.Contains(msg, secret) || strings.Contains(fmt.Sprintf("%+v %#v", callErr, callErr), secret) {
			t.Errorf("error shows the client secret: %s", msg)
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("Error() is not one line: %q", msg)
		}
		if sc.WantError.CredentialsRejected && !errors.Is(callErr, auth.ErrCredentialsRejected) {
			t.Errorf("errors.Is(%v, auth.ErrCredentialsRejected) = false; want true", callErr)
		}
		for _, name := range sc.WantError.Is {
			if !errors.Is(callErr, sentinels[name]) {
				t.Errorf("errors.Is(err, %s) = false; want true (err: %v)", name, callErr)
			}
		}
		for _, name := range sc.WantError.Not {
			if errors.Is(callErr, sentinels[name]) {
				t.Errorf("errors.Is(err, %s) = true; want false (err: %v)", name, callErr)
			}
		}
		for _, s := range sc.WantError.Contains {
			if !strings.Contains(msg, s) {
				t.Errorf("Error() = %q; want it to contain %q", msg, s)
			}
		}
		return
	}
	if callErr != nil {
		t.Fatalf("call: %v", callErr)
	}
	if sc.Operation == "getHealthCheck" {
		if b := got.(map[string]any)["body"]; b != sc.Text {
			t.Errorf("health body = %q; want %q", b, sc.Text)
		}
	}
	encoded, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	var tree any
	if err := json.Unmarshal(encoded, &tree); err != nil {
		t.Fatal(err)
	}
	for path, want := range sc.Want {
		have, ok := lookup(tree, path)
		switch {
		case want == nil && ok:
			t.Errorf("%s = %v; want it absent", path, have)
		case want != nil && !ok:
			t.Errorf("%s is absent; want %v", path, want)
		case want != nil && fmt.Sprint(have) != fmt.Sprint(want):
			t.Errorf("%s = %v; want %v", path, have, want)
		}
	}
}

// lookup follows a dotted path of object keys and array indexes.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok || v == nil {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// TestServerCorpusShortLastPage checks the iterators page by offset and
// stop at a short page, although the server's short last page still has a
// next link (PaginationMapper.kt:39-50): following it would cost a request
// for an empty page, and the link's host is the server's configured one,
// often unreachable from the caller.
func TestServerCorpusShortLastPage(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "server", "connections_short_last_page.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sc serverCase
	if err := json.Unmarshal(raw, &sc); err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(sc.Body)
	}))
	t.Cleanup(srv.Close)
	c, err := airbyte.NewClient(airbyte.WithServerURL(srv.URL+"/api/public/v1"), airbyte.WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.Connections.All(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 || requests.Load() != 1 {
		t.Errorf("items = %d, requests = %d; want 1 and 1 (a short page ends the list)", n, requests.Load())
	}
}
