package main

import (
	"bytes"
	"fmt"
	"go/format"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const (
	warehouseSpec = "../../connectors/testdata/source-warehouse.spec.json"
	lakeEntry     = "../../connectors/testdata/destination-lake.entry.json"
)

// files writes the test's inputs in a temporary directory: configurations,
// a registry document built from the fixtures, and odd files.
func files(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	spec, err := os.ReadFile(warehouseSpec)
	if err != nil {
		t.Fatal(err)
	}
	lake, err := os.ReadFile(lakeEntry)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("registry.json", fmt.Sprintf(`{"sources": [%s], "destinations": [%s]}`, warehouseEntryJSON(string(spec), "1.4.0"), lake))
	write("entry-1.2.0.json", warehouseEntryJSON(string(spec), "1.2.0"))
	write("ok.json", `{"sourceType": "warehouse", "host": "h", "port": 7070, "database": "d", "username": "u", "password": "pw-value",
		"ssl_mode": {"mode": "off"}, "replication": {"method": "Scan"}}`)
	write("bad.json", `{"host": "h", "port": "7070", "database": "d", "username": "u",
		"ssl_mode": {"mode": "verify"}, "replication": {"method": "Scan"}, "pasword": "pw-value"}`)
	write("patch.json", `{"port": 7071, "ssl_mode": {"ca_certificate": "pem"}}`)
	write("notjson.json", `{"host": `)
	write("array.json", `[1, 2]`)
	write("lake.json", `{"bucket": "my-bucket", "region": "north-1", "credentials": {"auth_type": "role", "role_name": "w"}, "output": {"format_type": "Parquet"}}`)
	write("badspec.json", `{"connectionSpecification": {"type": "objekt"}}`)
	write("skipped.json", `{"connectionSpecification": {"type": "object", "properties": {"v": {"type": "string", "pattern": "(?<=a"}}}}`)
	return dir
}

func warehouseEntryJSON(spec, version string) string {
	return fmt.Sprintf(`{"sourceDefinitionId": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", "name": "Warehouse",
		"dockerRepository": "airbyte/source-warehouse", "dockerImageTag": %q, "spec": %s}`, version, spec)
}

type result struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, hc *http.Client, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWith(t.Context(), args, &out, &errOut, hc)
	return result{code, out.String(), errOut.String()}
}

func TestRun(t *testing.T) {
	t.Parallel()
	dir := files(t)
	p := func(name string) string { return filepath.Join(dir, name) }
	reg := p("registry.json")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // exact when wantExact, else a substring
		wantExact  bool
		wantStderr string
	}{
		{"no command", nil, 2, "", false, "usage:"},
		{"unknown command", []string{"check"}, 2, "", false, `unknown command "check"`},
		{"help", []string{"help"}, 0, "usage:", false, ""},
		{"flag help", []string{"validate", "-h"}, 0, "", false, "-spec"},
		{"bad flag", []string{"validate", "-spek", warehouseSpec, p("ok.json")}, 2, "", false, "flag provided but not defined"},
		{"fits", []string{"validate", "-spec", warehouseSpec, p("ok.json")}, 0, "", true, ""},
		{"problems", []string{"validate", "-spec", warehouseSpec, p("bad.json")}, 1,
			"/pasword: unknown field: the schema does not allow it\n" +
				"/port: expected integer, got string\n" +
				"/ssl_mode/ca_certificate: required field is missing (alternative mode=\"verify\")\n", true, ""},
		{"patch fits", []string{"validate", "-spec", warehouseSpec, "-patch", p("patch.json")}, 0, "", true, ""},
		{"patch as whole", []string{"validate", "-spec", warehouseSpec, p("patch.json")}, 1, "/host: required field is missing", false, ""},
		{"config unreadable", []string{"validate", "-spec", warehouseSpec, p("missing.json")}, 2, "", true, "no such file"},
		{"config not JSON", []string{"validate", "-spec", warehouseSpec, p("notjson.json")}, 2, "", true, "not a JSON object"},
		{"config not an object", []string{"validate", "-spec", warehouseSpec, p("array.json")}, 2, "", true, "not a JSON object"},
		{"spec unreadable", []string{"validate", "-spec", p("nospec.json"), p("ok.json")}, 2, "", true, "no such file"},
		{"spec malformed", []string{"validate", "-spec", p("badspec.json"), p("ok.json")}, 2, "", true, "malformed"},
		{"spec not a schema", []string{"validate", "-spec", p("ok.json"), p("ok.json")}, 2, "", true, "malformed"},
		{"no schema", []string{"validate", p("ok.json")}, 2, "", true, "give -spec FILE"},
		{"two schemas", []string{"validate", "-spec", warehouseSpec, "-registry", reg, "-connector", "warehouse", p("ok.json")}, 2, "", true, "not both"},
		{"no config", []string{"validate", "-spec", warehouseSpec}, 2, "", true, "want 1 argument"},
		{"two configs", []string{"validate", "-spec", warehouseSpec, p("ok.json"), p("ok.json")}, 2, "", true, "want 1 argument"},
		{"bad kind", []string{"validate", "-registry", reg, "-connector", "warehouse", "-kind", "sink", p("ok.json")}, 2, "", true, "-kind must be"},
		{"registry file", []string{"validate", "-registry", reg, "-connector", "warehouse", p("ok.json")}, 0, "", true, ""},
		{"registry file, kind", []string{"validate", "-registry", reg, "-connector", "lake", "-kind", "destination", p("lake.json")}, 0, "", true, ""},
		{"registry file, problems", []string{"validate", "-registry", reg, "-connector", "source-warehouse@1.4.0", p("bad.json")}, 1, "/port: expected integer", false, ""},
		{"registry file, unknown", []string{"validate", "-registry", reg, "-connector", "source-nowhere", p("ok.json")}, 2, "", true, "unknown connector"},
		{"registry file, unknown version", []string{"validate", "-registry", reg, "-connector", "source-warehouse@9.9.9", p("ok.json")}, 2, "", true, "unknown connector version"},
		{"registry file missing", []string{"validate", "-registry", p("noreg.json"), "-connector", "warehouse", p("ok.json")}, 2, "", true, "no such file"},
		{"registry entry as spec", []string{"validate", "-spec", lakeEntry, p("lake.json")}, 0, "", true, ""},
		{"skipped pattern noted", []string{"validate", "-spec", p("skipped.json"), p("ok.json")}, 0, "", true, `pattern "(?<=a" compiles in no engine`},
		{"secrets", []string{"secrets", "-spec", warehouseSpec}, 0,
			"/password\n/replicas/*/access_token\n/ssl_mode/ca_certificate\n/ssl_mode/client_key\n/ssl_mode/client_key_password\n/tunnel/private_key\n/tunnel/tunnel_password\n", true, ""},
		{"secrets from registry", []string{"secrets", "-registry", reg, "-connector", "destination-lake"}, 0,
			"/credentials/access_key_id\n/credentials/external_id\n/credentials/secret_access_key\n", true, ""},
		{"secrets extra argument", []string{"secrets", "-spec", warehouseSpec, "x"}, 2, "", true, "want 0 argument"},
		{"gen", []string{"gen", "-spec", warehouseSpec, "-package", "wh", "-type", "Config"}, 0, "package wh\n", false, ""},
		{"gen from registry sets destinationType", []string{"gen", "-registry", reg, "-connector", "lake", "-kind", "destination", "-package", "lake", "-type", "Config"}, 0,
			"`json:\"destinationType\"`", false, ""},
		{"gen without -package", []string{"gen", "-spec", warehouseSpec, "-type", "Config"}, 2, "", true, "needs -package and -type"},
		{"gen bad package", []string{"gen", "-spec", warehouseSpec, "-package", "my-pkg", "-type", "Config"}, 2, "", true, "not a Go identifier"},
		{"gen unwritable", []string{"gen", "-spec", warehouseSpec, "-package", "wh", "-type", "Config", "-o", p("no/such/dir/x.go")}, 2, "", true, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := runArgs(t, nil, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("exit = %d; want %d (stderr %q)", got.code, tt.wantCode, got.stderr)
			}
			if tt.wantExact && got.stdout != tt.wantStdout {
				t.Errorf("stdout = %q; want %q", got.stdout, tt.wantStdout)
			}
			if !tt.wantExact && !strings.Contains(got.stdout, tt.wantStdout) {
				t.Errorf("stdout = %q; want it to contain %q", got.stdout, tt.wantStdout)
			}
			if tt.wantStderr != "" && !strings.Contains(got.stderr, tt.wantStderr) {
				t.Errorf("stderr = %q; want it to contain %q", got.stderr, tt.wantStderr)
			}
			if strings.Contains(got.stdout+got.stderr, "pw-value") {
				t.Error("output holds a configuration's secret value")
			}
			if tt.wantCode == 1 {
				for _, line := range strings.Split(strings.TrimSuffix(got.stdout, "\n"), "\n") {
					if !strings.HasPrefix(line, "/") {
						t.Errorf("problem line %q does not start with a JSON pointer", line)
					}
				}
			}
		})
	}
}

func TestGenToFile(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "config.gen.go")
	got := runArgs(t, nil, "gen", "-spec", warehouseSpec, "-package", "wh", "-type", "Config", "-kind", "source", "-name", "warehouse", "-o", out)
	if got.code != 0 || got.stdout != "" {
		t.Fatalf("gen -o: exit %d, stdout %q, stderr %q", got.code, got.stdout, got.stderr)
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := format.Source(src); err != nil || !bytes.Equal(f, src) {
		t.Errorf("written file is not gofmt-clean (%v)", err)
	}
	if !bytes.Contains(src, []byte("\"sourceType\": \"warehouse\"")) {
		t.Error("written file does not set sourceType")
	}
}

func TestRegistryOverHTTP(t *testing.T) {
	t.Parallel()
	dir := files(t)
	regDoc, _ := os.ReadFile(filepath.Join(dir, "registry.json"))
	entry, _ := os.ReadFile(filepath.Join(dir, "entry-1.2.0.json"))
	var hits atomic.Int32
	var failing atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if failing.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		switch r.URL.Path {
		case "/v0/oss_registry.json":
			_, _ = w.Write(regDoc)
		case "/meta/source-warehouse/1.2.0/oss.json":
			_, _ = w.Write(entry)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	cache := filepath.Join(t.TempDir(), "cache")
	base := []string{"-registry", srv.URL + "/v0/oss_registry.json", "-metadata", srv.URL + "/meta", "-cache-dir", cache}
	ok := filepath.Join(dir, "ok.json")

	steps := []struct {
		name     string
		args     []string
		failing  bool
		wantCode int
		wantHits int32
	}{
		{"registry", append(append([]string{"validate"}, base...), "-connector", "warehouse", ok), false, 0, 1},
		{"registry from cache", append(append([]string{"validate"}, base...), "-connector", "warehouse", ok), false, 0, 0},
		{"pinned version", append(append([]string{"validate"}, base...), "-connector", "source-warehouse@1.2.0", ok), false, 0, 1},
		{"unpublished version", append(append([]string{"validate"}, base...), "-connector", "source-warehouse@0.0.1", ok), false, 2, 1},
		{"server failing, no cache", append(append([]string{"validate", "-no-cache"}, base...), "-connector", "warehouse", ok), true, 2, 1},
		{"bad flavor", append(append([]string{"validate", "-flavor", "edge"}, base...), "-connector", "warehouse", ok), false, 2, 0},
	}
	for _, s := range steps {
		failing.Store(s.failing)
		before := hits.Load()
		got := runArgs(t, srv.Client(), s.args...)
		if got.code != s.wantCode {
			t.Errorf("%s: exit %d; want %d (stderr %q)", s.name, got.code, s.wantCode, got.stderr)
		}
		if n := hits.Load() - before; n != s.wantHits {
			t.Errorf("%s: %d requests; want %d", s.name, n, s.wantHits)
		}
	}
}
