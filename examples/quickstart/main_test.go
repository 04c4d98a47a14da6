package main

import (
	"bytes"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/contract/fake"
)

func TestQuickstartAgainstFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out, func(string) string { return "" }, config{}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"built-in fake", "Got an access token, valid for", "Default Workspace", "Created connection", "  running  ", "Sync succeeded", "Deleted the source"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("transcript lacks %q:\n%s", want, out.String())
		}
	}
	// The run time is a Go duration ("in 4s"), not the ISO 8601 the API
	// writes ("in PT4S").
	if !regexp.MustCompile(`Sync succeeded: job \d+ moved \d+ rows \(\d+ bytes\) in \d+(\.\d+)?s\n`).MatchString(out.String()) {
		t.Errorf("summary line does not end in a Go duration:\n%s", out.String())
	}
}

func TestQuickstartLiveProgressRedrawsOneLine(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), &out, func(string) string { return "" }, config{live: true}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "\r\033[K  job "); n < 2 {
		t.Errorf("%d in-place progress updates, want several:\n%q", n, out.String())
	}
	if strings.Contains(out.String(), "rows\n  job") {
		t.Errorf("progress printed as separate lines on a terminal:\n%q", out.String())
	}
}

// realAirbyte is the fake served as if it were a real installation the
// user points the quickstart at.
func realAirbyte(t *testing.T) (*fake.Server, string) {
	t.Helper()
	f, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL + fake.BasePath
}

func TestQuickstartAgainstARealAirbyte(t *testing.T) {
	f, base := realAirbyte(t)
	env := map[string]string{"AIRBYTE_CLIENT_ID": f.ClientID(), "AIRBYTE_CLIENT_SECRET": f.ClientSecret(), "AIRBYTE_API_URL": base}
	getenv := func(k string) string { return env[k] }

	var out bytes.Buffer
	if err := run(t.Context(), &out, getenv, config{}); err != nil {
		t.Fatalf("read-only run: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "built-in fake") || strings.Contains(out.String(), "Created") || !strings.Contains(out.String(), "Read-only run done") {
		t.Errorf("read-only transcript:\n%s", out.String())
	}

	out.Reset()
	if err := run(t.Context(), &out, getenv, config{write: true}); err != nil {
		t.Fatalf("-write run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Sync succeeded") || !strings.Contains(out.String(), "Deleted the connection") {
		t.Errorf("-write transcript:\n%s", out.String())
	}
}

func TestQuickstartBadSettings(t *testing.T) {
	_, base := realAirbyte(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		cfg  config
		want string
	}{
		{"id without secret", map[string]string{"AIRBYTE_CLIENT_ID": "id"}, config{}, "set AIRBYTE_CLIENT_SECRET"},
		{"secret without id", map[string]string{"AIRBYTE_CLIENT_SECRET": "SENTINEL-secret"}, config{}, "set AIRBYTE_CLIENT_ID"},
		{"only a URL", map[string]string{"AIRBYTE_API_URL": base}, config{}, "set AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET"},
		{"URL not absolute", map[string]string{"AIRBYTE_API_URL": "airbyte.internal/api/public/v1", "AIRBYTE_ACCESS_TOKEN": "t"}, config{}, "AIRBYTE_API_URL \"airbyte.internal/api/public/v1\" is not an absolute http(s) URL"},
		{"plain http to a remote host", map[string]string{"AIRBYTE_API_URL": "http://airbyte.internal/api/public/v1", "AIRBYTE_ACCESS_TOKEN": "t"}, config{}, "-insecure-http"},
		{"wrong credentials", map[string]string{"AIRBYTE_API_URL": base, "AIRBYTE_CLIENT_ID": "id", "AIRBYTE_CLIENT_SECRET": "SENTINEL-secret"}, config{}, "getting an access token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(t.Context(), &out, func(k string) string { return tc.env[k] }, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v; want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
			if strings.Contains(err.Error()+out.String(), "SENTINEL") {
				t.Errorf("the secret appears in the output: %q %q", err, out.String())
			}
			if strings.Contains(out.String(), "built-in fake") {
				t.Errorf("with AIRBYTE_ settings present the fake was started:\n%s", out.String())
			}
		})
	}
	// -insecure-http lets the plain-http URL through to the next check.
	err := run(t.Context(), &bytes.Buffer{}, func(k string) string {
		return map[string]string{"AIRBYTE_API_URL": base, "AIRBYTE_ACCESS_TOKEN": "unknown"}[k]
	}, config{insecureHTTP: true})
	if err == nil || strings.Contains(err.Error(), "insecure") {
		t.Errorf("with -insecure-http: %v", err)
	}
}
