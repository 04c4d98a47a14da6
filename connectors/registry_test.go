package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	warehouseID = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
	lakeID      = "0f1e2d3c-4b5a-4697-8877-665544332211"
	mirrorSrcID = "11111111-2222-4333-8444-555555555555"
	mirrorDstID = "99999999-8888-4777-8666-555555555555"
)

// registryDoc builds a registry document from the fixtures: the warehouse
// source, the lake destination, and a "mirror" connector that exists as a
// source and as a destination.
func registryDoc(t testing.TB) []byte {
	t.Helper()
	return []byte(fmt.Sprintf(`{"sources": [%s, %s], "destinations": [%s, %s]}`,
		warehouseEntry(t, "1.4.0"), mirrorEntry("source", mirrorSrcID), lakeEntry(t), mirrorEntry("destination", mirrorDstID)))
}

func warehouseEntry(t testing.TB, version string) string {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join("testdata", "source-warehouse.spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"sourceDefinitionId": %q, "name": "Warehouse", "dockerRepository": "airbyte/source-warehouse",
		"dockerImageTag": %q, "documentationUrl": "https://example.invalid/w", "releaseStage": "generally_available",
		"supportLevel": "certified", "spec": %s}`, warehouseID, version, spec)
}

func lakeEntry(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "destination-lake.entry.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mirrorEntry(kind, id string) string {
	return fmt.Sprintf(`{"%sDefinitionId": %q, "name": "Mirror", "dockerRepository": "airbyte/%s-mirror", "dockerImageTag": "0.1.0",
		"spec": {"connectionSpecification": {"type": "object", "properties": {"url": {"type": "string"}}}}}`, kind, id, kind)
}

func TestRegistryLookup(t *testing.T) {
	t.Parallel()
	r, err := ParseRegistry(registryDoc(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref              Ref
		wantID, wantRepo string
		wantErr          error
	}{
		{Ref{Name: "source-warehouse"}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "airbyte/source-warehouse"}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "Source-Warehouse"}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "warehouse"}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "warehouse", Kind: KindSource}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "warehouse", Kind: KindDestination}, "", "", ErrUnknownConnector},
		{Ref{Name: strings.ToUpper(lakeID)}, lakeID, "destination-lake", nil},
		{Ref{Name: lakeID, Kind: KindSource}, "", "", ErrUnknownConnector},
		{Ref{Name: "lake", Kind: KindDestination}, lakeID, "destination-lake", nil},
		{Ref{Name: "mirror"}, "", "", ErrAmbiguousName},
		{Ref{Name: "mirror", Kind: KindDestination}, mirrorDstID, "destination-mirror", nil},
		{Ref{Name: "source-warehouse", Version: "1.4.0"}, warehouseID, "source-warehouse", nil},
		{Ref{Name: "source-warehouse", Version: "1.3.0"}, "", "", ErrUnknownVersion},
		{Ref{Name: "source-nowhere"}, "", "", ErrUnknownConnector},
		{Ref{Name: "00000000-0000-4000-8000-000000000000"}, "", "", ErrUnknownConnector},
	}
	for _, tt := range tests {
		t.Run(tt.ref.String(), func(t *testing.T) {
			t.Parallel()
			d, err := r.Lookup(tt.ref)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Lookup err = %v; want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if d.DefinitionID != tt.wantID || d.RepositoryName() != tt.wantRepo {
				t.Errorf("Lookup = %s %s; want %s %s", d.DefinitionID, d.RepositoryName(), tt.wantID, tt.wantRepo)
			}
		})
	}
	d, err := r.Lookup(Ref{Name: "postgres-free", Kind: KindSource})
	if !errors.Is(err, ErrUnknownConnector) || d != nil {
		t.Errorf("Lookup(unknown) = %v, %v", d, err)
	}
}

func TestDefinitionFields(t *testing.T) {
	t.Parallel()
	r, err := ParseRegistry(registryDoc(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.Lookup(Ref{Name: "lake", Kind: KindDestination})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s", d.Kind, d.Name, d.DockerRepository, d.DockerImageTag, d.ShortName(), d.ReleaseStage, d.SupportLevel, d.DocumentationURL)
	want := "destination|Lake|airbyte/destination-lake|2.1.0|lake|beta|community|https://example.invalid/docs/destination-lake"
	if got != want {
		t.Errorf("definition = %s; want %s", got, want)
	}
	s, err := d.CompileSpec()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.SecretPaths()); got != 3 {
		t.Errorf("len(SecretPaths) = %d; want 3", got)
	}
	if n := len(r.Definitions()); n != 4 {
		t.Errorf("len(Definitions) = %d; want 4", n)
	}
	if got, want := strings.Join(r.Names(), ","), "destination-lake,destination-mirror,source-mirror,source-warehouse"; got != want {
		t.Errorf("Names = %s; want %s", got, want)
	}
}

func TestParseRegistryMalformed(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"not JSON":               `{"sources": [`,
		"not an object":          `[]`,
		"sources not a list":     `{"sources": {}}`,
		"entry without id":       `{"sources": [{"dockerRepository": "airbyte/source-x"}]}`,
		"entry with both ids":    `{"sources": [{"sourceDefinitionId": "a", "destinationDefinitionId": "b", "dockerRepository": "airbyte/source-x"}]}`,
		"destination in sources": `{"sources": [{"destinationDefinitionId": "a", "dockerRepository": "airbyte/destination-x"}]}`,
		"entry without image":    `{"destinations": [{"destinationDefinitionId": "a"}]}`,
		"neither":                `{"name": "x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseRegistry([]byte(doc), "doc.json")
			var me *MalformedError
			if !errors.As(err, &me) || me.Source != "doc.json" {
				t.Errorf("err = %v; want *MalformedError from doc.json", err)
			}
		})
	}
	// A single entry is a registry of one.
	r, err := ParseRegistry([]byte(lakeEntry(t)), "entry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Lookup(Ref{Name: "destination-lake", Version: "2.1.0"}); err != nil {
		t.Errorf("Lookup in a one-entry registry: %v", err)
	}
	// A definition without a connectionSpecification.
	d := Definition{DockerRepository: "airbyte/source-x", Spec: json.RawMessage(`{}`)}
	var me *MalformedError
	if _, err := d.CompileSpec(); !errors.As(err, &me) {
		t.Errorf("CompileSpec(no schema) = %v; want *MalformedError", err)
	}
	if _, err := (&Definition{}).ConnectionSpecification(); !errors.As(err, &me) {
		t.Errorf("ConnectionSpecification(no spec) = %v; want *MalformedError", err)
	}
}

func TestLoadRegistryFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "registry.json")
	if err := os.WriteFile(path, registryDoc(t), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRegistryFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Lookup(Ref{Name: "warehouse"}); err != nil {
		t.Error(err)
	}
	if _, err := LoadRegistryFile(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadRegistryFile(missing) = %v; want ErrNotExist", err)
	}
}

func TestParseRef(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Ref{
		"source-postgres":        {Name: "source-postgres"},
		"source-postgres@3.6.28": {Name: "source-postgres", Version: "3.6.28"},
		"postgres@1":             {Name: "postgres", Version: "1"},
	} {
		if got := ParseRef(in); got != want {
			t.Errorf("ParseRef(%q) = %+v; want %+v", in, got, want)
		}
	}
}

// fakeCDN is an httptest server standing in for connectors.airbyte.com,
// under a path prefix so that a dropped prefix is caught.
type fakeCDN struct {
	*httptest.Server
	mu       sync.Mutex
	docs     map[string][]byte // path -> body
	etags    map[string]string
	status   map[string]int // path -> forced status
	requests atomic.Int32
	lastINM  atomic.Value // If-None-Match of the last request
}

func newFakeCDN(t testing.TB) *fakeCDN {
	t.Helper()
	f := &fakeCDN{docs: map[string][]byte{}, etags: map[string]string{}, status: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		f.lastINM.Store(r.Header.Get("If-None-Match"))
		f.mu.Lock()
		body, ok := f.docs[r.URL.Path]
		etag := f.etags[r.URL.Path]
		status := f.status[r.URL.Path]
		f.mu.Unlock()
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		if etag != "" {
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCDN) set(path string, body []byte, etag string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.docs[path], f.etags[path] = body, etag
}

func (f *fakeCDN) fail(path string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[path] = status
}

func (f *fakeCDN) client(c *Cache) *Client {
	return &Client{
		HTTPClient:      f.Server.Client(),
		RegistryURL:     f.URL + "/files/registries/v0/oss_registry.json",
		MetadataBaseURL: f.URL + "/files/metadata/airbyte",
		Cache:           c,
	}
}

func TestClientResolve(t *testing.T) {
	t.Parallel()
	f := newFakeCDN(t)
	f.set("/files/registries/v0/oss_registry.json", registryDoc(t), `"r1"`)
	f.set("/files/metadata/airbyte/source-warehouse/1.2.0/oss.json", []byte(warehouseEntry(t, "1.2.0")), "")
	f.set("/files/metadata/airbyte/source-warehouse/1.1.0/oss.json", []byte(warehouseEntry(t, "1.0.0")), "")
	f.set("/files/metadata/airbyte/source-warehouse/0.9.0/oss.json", []byte(`{"sourceDefinitionId": `), "")
	c := f.client(nil)
	tests := []struct {
		ref      Ref
		wantTag  string
		wantErr  error
		wantType any
	}{
		{Ref{Name: "source-warehouse"}, "1.4.0", nil, nil},
		{Ref{Name: "warehouse"}, "1.4.0", nil, nil},
		{Ref{Name: warehouseID}, "1.4.0", nil, nil},
		{Ref{Name: "source-warehouse", Version: "1.4.0"}, "", ErrUnknownVersion, nil}, // direct fetch: no such document
		{Ref{Name: warehouseID, Version: "1.4.0"}, "1.4.0", nil, nil},                 // registry has it
		{Ref{Name: "source-warehouse", Version: "1.2.0"}, "1.2.0", nil, nil},
		{Ref{Name: "warehouse", Kind: KindSource, Version: "1.2.0"}, "1.2.0", nil, nil},
		{Ref{Name: warehouseID, Version: "1.2.0"}, "1.2.0", nil, nil},
		{Ref{Name: "warehouse", Version: "1.2.0"}, "1.2.0", nil, nil},
		{Ref{Name: "source-warehouse", Version: "7.7.7"}, "", ErrUnknownVersion, nil},
		{Ref{Name: "source-warehouse", Kind: KindDestination, Version: "1.2.0"}, "", ErrUnknownConnector, nil},
		{Ref{Name: "source-nowhere"}, "", ErrUnknownConnector, nil},
		{Ref{Name: "source-warehouse", Version: "1.1.0"}, "", nil, new(*MalformedError)}, // document names another version
		{Ref{Name: "source-warehouse", Version: "0.9.0"}, "", nil, new(*MalformedError)}, // not JSON
		{Ref{Name: "source-warehouse", Version: "../x"}, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.ref.String(), func(t *testing.T) {
			t.Parallel()
			d, err := c.Resolve(t.Context(), tt.ref)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Resolve err = %v; want %v", err, tt.wantErr)
				}
			case tt.wantType != nil:
				if !errors.As(err, tt.wantType) {
					t.Fatalf("Resolve err = %v; want %T", err, tt.wantType)
				}
			case tt.wantTag == "":
				if err == nil {
					t.Fatalf("Resolve = %v; want an error", d.DockerImageTag)
				}
			default:
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				if d.DockerImageTag != tt.wantTag || d.DefinitionID != warehouseID {
					t.Errorf("Resolve = %s %s; want %s %s", d.DefinitionID, d.DockerImageTag, warehouseID, tt.wantTag)
				}
				if _, err := d.CompileSpec(); err != nil {
					t.Errorf("CompileSpec: %v", err)
				}
			}
		})
	}
}

func TestClientFlavorAndURLs(t *testing.T) {
	t.Parallel()
	c := &Client{Flavor: FlavorCloud}
	if got, want := c.MetadataURL("source-postgres", "3.6.28"), "https://connectors.airbyte.com/files/metadata/airbyte/source-postgres/3.6.28/cloud.json"; got != want {
		t.Errorf("MetadataURL = %s; want %s", got, want)
	}
	if got := (&Client{}).registryURL(); got != OSSRegistryURL {
		t.Errorf("default registry = %s", got)
	}
	f := newFakeCDN(t)
	f.set("/files/metadata/airbyte/destination-lake/2.1.0/cloud.json", []byte(lakeEntry(t)), "")
	cc := f.client(nil)
	cc.Flavor = FlavorCloud
	d, err := cc.Definition(t.Context(), "destination-lake", "2.1.0")
	if err != nil || d.DefinitionID != lakeID {
		t.Errorf("Definition(cloud) = %v, %v", d, err)
	}
}

func TestClientFailures(t *testing.T) {
	t.Parallel()
	f := newFakeCDN(t)
	regPath := "/files/registries/v0/oss_registry.json"
	f.fail(regPath, http.StatusBadGateway)
	c := f.client(nil)
	_, err := c.Registry(t.Context())
	var fe *FetchError
	if !errors.As(err, &fe) || fe.StatusCode != http.StatusBadGateway {
		t.Errorf("Registry(502) = %v; want FetchError 502", err)
	}

	// Network failure: a closed server; the URL's password is not shown.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c2 := &Client{HTTPClient: &http.Client{Timeout: 5 * time.Second}, RegistryURL: strings.Replace(dead.URL, "http://", "http://user:pa55word@", 1) + "/r.json"}
	_, err = c2.Registry(t.Context())
	if !errors.As(err, &fe) || fe.StatusCode != 0 || fe.Err == nil {
		t.Fatalf("Registry(dead) = %v; want network FetchError", err)
	}
	if strings.Contains(err.Error(), "pa55word") {
		t.Errorf("error %q shows the URL's password", err)
	}

	// A cancelled context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f2 := newFakeCDN(t)
	f2.set(regPath, registryDoc(t), "")
	if _, err := f2.client(nil).Registry(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Registry(cancelled) = %v; want context.Canceled", err)
	}

	// Too large.
	c3 := f2.client(nil)
	c3.MaxBytes = 100
	var me *MalformedError
	if _, err := c3.Registry(t.Context()); !errors.As(err, &me) {
		t.Errorf("Registry(too large) = %v; want *MalformedError", err)
	}

	// Malformed.
	f2.set(regPath, []byte(`{"sources": 1}`), "")
	if _, err := f2.client(nil).Registry(t.Context()); !errors.As(err, &me) {
		t.Errorf("Registry(malformed) = %v; want *MalformedError", err)
	}

	if _, err := (&Client{}).Definition(t.Context(), "source-x", ""); err == nil {
		t.Error("Definition without version = nil error")
	}
}

// clock is a settable clock for the cache.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCacheFreshnessAndRevalidation(t *testing.T) {
	t.Parallel()
	f := newFakeCDN(t)
	regPath := "/files/registries/v0/oss_registry.json"
	f.set(regPath, registryDoc(t), `"v1"`)
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cache := &Cache{Dir: filepath.Join(t.TempDir(), "c"), MaxAge: time.Hour, Now: clk.Now}
	c := f.client(cache)

	step := func(name string, wantRequests int32, wantINM string) {
		t.Helper()
		before := f.requests.Load()
		r, err := c.Registry(t.Context())
		if err != nil {
			t.Fatalf("%s: Registry: %v", name, err)
		}
		if _, err := r.Lookup(Ref{Name: "warehouse"}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := f.requests.Load() - before; got != wantRequests {
			t.Errorf("%s: requests = %d; want %d", name, got, wantRequests)
		}
		if wantRequests > 0 {
			if got, _ := f.lastINM.Load().(string); got != wantINM {
				t.Errorf("%s: If-None-Match = %q; want %q", name, got, wantINM)
			}
		}
	}
	step("first fetch", 1, "")
	step("fresh", 0, "")
	// While fresh and unchanged on disk, the registry parsed before is
	// handed out again, not read and parsed anew.
	r1, _ := c.Registry(t.Context())
	r2, _ := c.Registry(t.Context())
	if r1 == nil || r1 != r2 {
		t.Errorf("fresh registry parsed again (%p, %p); want the same one", r1, r2)
	}
	clk.add(59 * time.Minute)
	step("still fresh", 0, "")
	clk.add(2 * time.Minute)
	step("stale: revalidated, 304", 1, `"v1"`)
	step("fresh again after 304", 0, "")
	clk.add(2 * time.Hour)
	f.set(regPath, []byte(fmt.Sprintf(`{"sources": [%s], "destinations": []}`, warehouseEntry(t, "1.5.0"))), `"v2"`)
	step("stale: changed, 200", 1, `"v1"`)
	r, _ := c.Registry(t.Context())
	if d, _ := r.Lookup(Ref{Name: "warehouse"}); d == nil || d.DockerImageTag != "1.5.0" {
		t.Errorf("after change: %v; want 1.5.0", d)
	}

	// Stale and damaged on disk while the server says 304: the client asks
	// again for the whole document instead of failing on its copy.
	clk.add(2 * time.Hour)
	path := cache.Path(c.RegistryURL)
	damaged, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, damaged[:len(damaged)-20], 0o600); err != nil {
		t.Fatal(err)
	}
	before := f.requests.Load()
	if r, err := c.Registry(t.Context()); err != nil {
		t.Errorf("stale, damaged copy, 304: %v", err)
	} else if d, _ := r.Lookup(Ref{Name: "warehouse"}); d == nil || d.DockerImageTag != "1.5.0" {
		t.Errorf("stale, damaged copy, 304: %v; want 1.5.0", d)
	}
	if got := f.requests.Load() - before; got != 2 {
		t.Errorf("stale, damaged copy: requests = %d; want 2 (revalidation, then the whole document)", got)
	}
	step("fresh after the refetch", 0, "")

	// Stale and the server fails: an error, unless StaleIfError.
	clk.add(2 * time.Hour)
	f.fail(regPath, http.StatusServiceUnavailable)
	if _, err := c.Registry(t.Context()); err == nil {
		t.Error("stale + 503 without StaleIfError = nil error")
	}
	cache.StaleIfError = true // not yet used concurrently
	if _, err := c.Registry(t.Context()); err != nil {
		t.Errorf("stale + 503 with StaleIfError: %v", err)
	}
	f.fail(regPath, http.StatusNotFound)
	if _, err := c.Registry(t.Context()); err == nil {
		t.Error("stale + 404 with StaleIfError = nil error; a 404 is not served stale")
	}

	// Only the entry file is in the directory: no temporary files left.
	entries, err := os.ReadDir(cache.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(cache.Path(c.RegistryURL)) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("cache dir holds %q; want only the entry", names)
	}
}

func TestCacheIgnoresDamagedFilesAndKeepsBadDocumentsOut(t *testing.T) {
	t.Parallel()
	f := newFakeCDN(t)
	regPath := "/files/registries/v0/oss_registry.json"
	cache := &Cache{Dir: t.TempDir()}
	c := f.client(cache)

	// A malformed document is not stored.
	f.set(regPath, []byte(`{"sources": [{}]}`), "")
	if _, err := c.Registry(t.Context()); err == nil {
		t.Fatal("malformed registry accepted")
	}
	if _, err := os.Stat(cache.Path(c.RegistryURL)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("malformed document was cached (stat err %v)", err)
	}

	// A damaged (half-written by someone else, truncated) file is refetched.
	for name, content := range map[string]string{
		"truncated header": `{"url":`,
		"no body":          `{"url":"` + c.RegistryURL + `","fetchedAt":"2999-01-01T00:00:00Z"}` + "\n",
		"half a body":      `{"url":"` + c.RegistryURL + `","fetchedAt":"2999-01-01T00:00:00Z"}` + "\n" + string(registryDoc(t)[:200]),
		"other URL":        `{"url":"http://elsewhere/","fetchedAt":"2999-01-01T00:00:00Z"}` + "\n" + string(registryDoc(t)),
	} {
		f.set(regPath, registryDoc(t), "")
		if err := os.WriteFile(cache.Path(c.RegistryURL), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		before := f.requests.Load()
		if _, err := c.Registry(t.Context()); err != nil {
			t.Errorf("%s: Registry: %v", name, err)
		}
		if f.requests.Load() == before {
			t.Errorf("%s: damaged cache file used without a fetch", name)
		}
		if e := cache.load(c.RegistryURL); e == nil || len(e.body) != len(registryDoc(t)) {
			t.Errorf("%s: cache not repaired", name)
		}
	}
}

func TestCacheStoreFailsCleanly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// The target path is a directory: the rename fails, the temporary file
	// must not stay behind.
	c := &Cache{Dir: dir}
	if err := os.Mkdir(c.Path("u"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := c.store("u", &cacheEntry{URL: "u", body: []byte("{}")}); err == nil {
		t.Fatal("store over a directory = nil error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries; want only the blocking directory", len(entries))
	}
	if err := (&Cache{}).store("u", &cacheEntry{}); err == nil {
		t.Error("store without Dir = nil error")
	}
}

func TestDefaultCacheDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg-test")
	t.Setenv("HOME", "/tmp/home-test")
	got, err := DefaultCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserCacheDir()
	if want := filepath.Join(base, "airbyte-go", "connectors"); got != want {
		t.Errorf("DefaultCacheDir = %s; want %s", got, want)
	}
}

func TestURLCredentialsStayOutOfErrorsAndCache(t *testing.T) {
	t.Parallel()
	f := newFakeCDN(t)
	regPath := "/files/registries/v0/oss_registry.json"
	f.set(regPath, registryDoc(t), "")
	cache := &Cache{Dir: t.TempDir()}
	u := strings.Replace(f.URL, "http://", "http://bob:pa55word@", 1) + regPath + "?sig=T0PSECRET"
	c := &Client{HTTPClient: f.Server.Client(), RegistryURL: u, Cache: cache}
	if _, err := c.Registry(t.Context()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cache.Path(u))
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(data), "\n")
	for _, s := range []string{"pa55word", "T0PSECRET"} {
		if strings.Contains(head, s) {
			t.Errorf("cache file header %q holds %q", head, s)
		}
	}
	// The entry is still found under the full URL.
	if e := cache.load(u); e == nil {
		t.Error("entry stored under a redacted URL is not found again")
	}
	f.fail(regPath, http.StatusForbidden)
	c.Cache = nil
	_, err = c.Registry(t.Context())
	if err == nil {
		t.Fatal("403 = nil error")
	}
	for _, s := range []string{"pa55word", "T0PSECRET"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
}
