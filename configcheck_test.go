package airbyte_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	airbyte "github.com/seed83f33fd3/airbyte-go"
	"github.com/seed83f33fd3/airbyte-go/connectors"
)

// A registry of one made-up source connector, "ledger", whose schema is
// ours: a host, a port and a password, with host required.
const ledgerRegistry = `{"sources": [{
  "sourceDefinitionId": "5e0c9b7a-3d21-4f86-9a4e-b1c2d3e4f5a6", "name": "Ledger",
  "dockerRepository": "airbyte/source-ledger", "dockerImageTag": "0.4.1",
  "spec": {"connectionSpecification": {
    "type": "object", "required": ["host"],
    "properties": {
      "host": {"type": "string"},
      "port": {"type": "integer", "minimum": 1, "maximum": 65535},
      "password": {"type": "string", "airbyte_secret": true},
      "account_code": {"type": "string", "airbyte_secret": true}
    }}}}], "destinations": []}`

const ledgerDefinition = "5e0c9b7a-3d21-4f86-9a4e-b1c2d3e4f5a6"
const storedSource = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"

// configServer records the requests it gets and answers as the server
// would for sources.
type configServer struct {
	mu   sync.Mutex
	seen []string
}

func (s *configServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, r.Method+" "+strings.TrimPrefix(r.URL.Path, "/api/public/v1"))
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	source := map[string]any{
		"sourceId": storedSource, "name": "books", "sourceType": "", "definitionId": ledgerDefinition,
		"workspaceId": "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b", "configuration": map[string]any{"host": "db"}, "createdAt": 1777971600,
	}
	if r.Method == http.MethodPost {
		var in map[string]any
		json.Unmarshal(body, &in)
		source["name"] = in["name"]
	}
	json.NewEncoder(w).Encode(source)
}

func (s *configServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

func TestWithConfigValidator(t *testing.T) {
	t.Parallel()
	reg, err := connectors.ParseRegistry([]byte(ledgerRegistry), "test")
	if err != nil {
		t.Fatal(err)
	}
	ws := airbyte.UUID{0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x47, 0x89, 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b}
	id, _ := airbyte.ParseUUID(storedSource)
	custom, _ := airbyte.ParseUUID("99999999-8888-4777-8666-555555555555")
	tests := []struct {
		name     string
		call     func(c *airbyte.Client) error
		wantSent []string
		wantErr  string // "" for success
		wantIs   error
	}{
		{"create that fits", func(c *airbyte.Client) error {
			_, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws,
				Configuration: airbyte.SourceConfiguration{"sourceType": "ledger", "host": "db", "port": 5432, "password": "s3cret-pw"}})
			return err
		}, []string{"POST /sources"}, "", nil},
		{"create that does not fit is not sent", func(c *airbyte.Client) error {
			_, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws,
				Configuration: airbyte.SourceConfiguration{"sourceType": "ledger", "port": 70000, "password": "s3cret-pw"}})
			return err
		}, nil, "/port", nil},
		{"create naming the definition", func(c *airbyte.Client) error {
			def, _ := airbyte.ParseUUID(ledgerDefinition)
			_, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws, DefinitionId: &def,
				Configuration: airbyte.SourceConfiguration{"port": 5432}})
			return err
		}, nil, "host", nil},
		{"a name the registry does not list is left to the server", func(c *airbyte.Client) error {
			_, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws,
				Configuration: airbyte.SourceConfiguration{"sourceType": "ledgr", "host": "db"}})
			return err
		}, []string{"POST /sources"}, "", nil},
		{"custom definition is left to the server", func(c *airbyte.Client) error {
			_, err := c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws, DefinitionId: &custom,
				Configuration: airbyte.SourceConfiguration{"anything": true}})
			return err
		}, []string{"POST /sources"}, "", nil},
		{"patch reads the source's connector, then checks a partial configuration", func(c *airbyte.Client) error {
			cfg := airbyte.SourceConfiguration{"port": 6543}
			_, err := c.Sources.Patch(t.Context(), id, airbyte.SourcePatchRequest{Configuration: &cfg})
			return err
		}, []string{"GET /sources/" + storedSource, "PATCH /sources/" + storedSource}, "", nil},
		{"bad patch is not sent", func(c *airbyte.Client) error {
			cfg := airbyte.SourceConfiguration{"port": "six"}
			_, err := c.Sources.Patch(t.Context(), id, airbyte.SourcePatchRequest{Configuration: &cfg})
			return err
		}, []string{"GET /sources/" + storedSource}, "/port", nil},
		{"replace is checked whole", func(c *airbyte.Client) error {
			_, err := c.Sources.Replace(t.Context(), id, airbyte.SourcePutRequest{Name: "books", Configuration: airbyte.SourceConfiguration{"port": 1}})
			return err
		}, []string{"GET /sources/" + storedSource}, "host", nil},
		{"patch without a configuration is not checked", func(c *airbyte.Client) error {
			_, err := c.Sources.Patch(t.Context(), id, airbyte.SourcePatchRequest{Name: airbyte.Ptr("ledger books")})
			return err
		}, []string{"PATCH /sources/" + storedSource}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &configServer{}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			c, err := airbyte.NewClient(airbyte.WithServerURL(hs.URL+"/api/public/v1"), airbyte.WithToken("t"),
				airbyte.WithConfigValidator(connectors.NewChecker(reg)))
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(c)
			if got := srv.requests(); strings.Join(got, ",") != strings.Join(tt.wantSent, ",") {
				t.Errorf("requests = %q; want %q", got, tt.wantSent)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v; want nil", err)
				}
				return
			}
			var ce *airbyte.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %T %v; want *airbyte.ConfigError", err, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("err = %q; want it to name %q and no secret", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
	if _, err := airbyte.NewClient(airbyte.WithToken("t"), airbyte.WithConfigValidator(nil)); err == nil {
		t.Error("WithConfigValidator(nil): no error")
	}
}

// A configuration that does not fit its connector's schema is refused
// before anything is sent, with each problem named by its JSON pointer.
func ExampleWithConfigValidator() {
	// A registry document, as connectors.Client.Resolve or
	// connectors.LoadRegistryFile would give it.
	reg, err := connectors.ParseRegistry([]byte(ledgerRegistry), "example")
	if err != nil {
		log.Fatal(err)
	}
	client, err := airbyte.NewClient(
		airbyte.WithServerURL("http://127.0.0.1:9/api/public/v1"), // never reached
		airbyte.WithToken("example-token"),
		airbyte.WithConfigValidator(connectors.NewChecker(reg)),
	)
	if err != nil {
		log.Fatal(err)
	}
	ws, _ := airbyte.ParseUUID("1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b")
	_, err = client.Sources.Create(context.Background(), airbyte.SourceCreateRequest{
		Name: "books", WorkspaceId: ws,
		Configuration: airbyte.SourceConfiguration{"sourceType": "ledger", "port": 70000, "password": "s3cret"},
	})
	var problems *connectors.ValidationError
	if errors.As(err, &problems) {
		for _, p := range problems.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// /host: required field is missing
	// /port: expected at most 65535
}

// TestConfigMaskingBySchema checks that a secret whose key name looks
// harmless ("account_code", marked airbyte_secret in its connector's
// schema) stays out of the debug log and of an error that echoes it.
func TestConfigMaskingBySchema(t *testing.T) {
	t.Parallel()
	const code = "ACCT-7731-QX"
	reg, err := connectors.ParseRegistry([]byte(ledgerRegistry), "test")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		// A server that echoes the request in its error.
		json.NewEncoder(w).Encode(map[string]any{"title": "bad-request", "detail": "could not use " + string(body)})
	}))
	t.Cleanup(hs.Close)
	for _, withSchema := range []bool{false, true} {
		var logs bytes.Buffer
		opts := []airbyte.Option{airbyte.WithServerURL(hs.URL + "/api/public/v1"), airbyte.WithToken("t"),
			airbyte.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), airbyte.WithBodyLogging()}
		if withSchema {
			opts = append(opts, airbyte.WithConfigValidator(connectors.NewChecker(reg)))
		}
		c, err := airbyte.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		ws, _ := airbyte.ParseUUID("1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b")
		_, err = c.Sources.Create(t.Context(), airbyte.SourceCreateRequest{Name: "books", WorkspaceId: ws,
			Configuration: airbyte.SourceConfiguration{"sourceType": "ledger", "host": "db", "account_code": code}})
		var apiErr *airbyte.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("err = %v; want the server's 400", err)
		}
		leaked := strings.Contains(logs.String(), code) || strings.Contains(err.Error(), code) || strings.Contains(string(apiErr.Body), code)
		// Without a schema the key name gives nothing away, so the value
		// shows: that is what the schema is for.
		if leaked != !withSchema {
			t.Errorf("with schema %v: secret shown = %v (log: %s; error: %v)", withSchema, leaked, logs.String(), err)
		}
	}
}

// TestConfigMaskingBySchemaOnPatch checks a patch, which names no
// connector: the client reads the source's definition before it sends the
// patch, and masks the patch's schema secrets by it.
func TestConfigMaskingBySchemaOnPatch(t *testing.T) {
	t.Parallel()
	const code = "ACCT-7731-QX"
	reg, err := connectors.ParseRegistry([]byte(ledgerRegistry), "test")
	if err != nil {
		t.Fatal(err)
	}
	stored := &configServer{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			stored.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"title": "bad-request", "detail": "could not use " + string(body)})
	}))
	t.Cleanup(hs.Close)
	var logs bytes.Buffer
	c, err := airbyte.NewClient(airbyte.WithServerURL(hs.URL+"/api/public/v1"), airbyte.WithToken("t"),
		airbyte.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), airbyte.WithBodyLogging(),
		airbyte.WithConfigValidator(connectors.NewChecker(reg)))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := airbyte.ParseUUID(storedSource)
	cfg := airbyte.SourceConfiguration{"account_code": code}
	_, err = c.Sources.Patch(t.Context(), id, airbyte.SourcePatchRequest{Configuration: &cfg})
	var apiErr *airbyte.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v; want the server's 400", err)
	}
	if strings.Contains(logs.String(), code) || strings.Contains(err.Error(), code) || strings.Contains(string(apiErr.Body), code) {
		t.Errorf("the patch's schema secret is shown (log: %s; error: %v)", logs.String(), err)
	}
	if !strings.Contains(logs.String(), "PATCH") {
		t.Errorf("no PATCH in the debug log: %s", logs.String())
	}
	// What the client learnt for the patch does not outlive it.
	leftover := 0
	c.ConfigCheckDefs().Range(func(any, any) bool { leftover++; return true })
	if leftover != 0 {
		t.Errorf("%d definitions kept after the request", leftover)
	}
}
