package endpoint

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

var errInsecure = errors.New("insecure")

func TestMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		base, url string
		want      bool
	}{
		{"https://api.airbyte.com:443/v1", "https://api.airbyte.com/v1/workspaces", true},
		{"https://api.airbyte.com/v1", "https://api.airbyte.com:443/v1/workspaces", true},
		{"https://API.Airbyte.com/v1", "https://api.airbyte.com/v1/workspaces", true},
		{"HTTPS://api.airbyte.com/v1", "https://api.airbyte.com/v1", true},
		{"http://localhost:80/api/public/v1", "http://localhost/api/public/v1/jobs", true},
		{"http://localhost/api/public/v1", "http://localhost:80/api/public/v1/jobs", true},
		{"http://localhost:8000/api/public/v1", "http://localhost:8000/api/public/v1/jobs", true},
		{"https://[::1]:443/v1", "https://[::1]/v1/jobs", true},
		{"https://api.airbyte.com/v1", "https://api.airbyte.com:8443/v1/workspaces", false},
		{"https://api.airbyte.com:443/v1", "http://api.airbyte.com:443/v1/workspaces", false},
		{"https://api.airbyte.com/v1", "http://api.airbyte.com/v1/workspaces", false},
		{"http://localhost/api/public/v1", "http://localhost:443/api/public/v1/jobs", false},
		{"http://localhost:8000/api/public/v1", "http://localhost/api/public/v1/jobs", false},
		{"https://api.airbyte.com/v1", "https://api.airbyte.com.evil.example/v1/workspaces", false},
		{"https://api.airbyte.com/v1", "https://api.airbyte.com/v1x/workspaces", false},
		{"https://api.airbyte.com/v1", "https://api.airbyte.com/v2/workspaces", false},
	}
	for _, tc := range cases {
		base, err := url.Parse(tc.base)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := Matches(base, u); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v; want %v", tc.base, tc.url, got, tc.want)
		}
	}
	if Matches(nil, &url.URL{}) || Matches(&url.URL{}, nil) {
		t.Errorf("Matches with a nil URL = true; want false")
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw      string
		insecure bool
		want     string // "" for success, else a part of the error
		wantPath string
	}{
		{"https://api.airbyte.com/v1/", false, "", "/v1"},
		{"https://airbyte.example.com", false, "", "/"},
		{"http://localhost:8000/api/public/v1", false, "", "/api/public/v1"},
		{"http://127.0.0.1/api/public/v1", false, "", "/api/public/v1"},
		{"http://[::1]:8000/api/public/v1", false, "", "/api/public/v1"},
		{"http://airbyte.internal/api/public/v1", true, "", "/api/public/v1"},
		{"http://airbyte.internal/api/public/v1", false, "insecure", ""},
		{"airbyte.example.com/v1", false, `"airbyte.example.com/v1" is not an absolute`, ""},
		{"ftp://airbyte.example.com/v1", false, "not an absolute", ""},
		{"https://user:hunter2@airbyte.example.com/v1", false, "user info", ""},
		{"https://user:hunter2@air byte.example.com/%zz", false, "not shown", ""},
		{"https://airbyte.example.com/v1?token=hunter2", false, "query or fragment", ""},
		{"https://airbyte.example.com/v1?", false, "query or fragment", ""},
		{"https://airbyte.example.com/v1#x", false, "query or fragment", ""},
		{"https://airbyte.example.com:99999/v1", false, "outside 1-65535", ""},
		{"https://airbyte.example.com:0/v1", false, "outside 1-65535", ""},
		{"https://airbyte.example.com:8443/v1", false, "", "/v1"},
	}
	for _, tc := range cases {
		u, err := Check("server URL", tc.raw, tc.insecure, errInsecure)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%q) error = %v; want none", tc.raw, err)
		case tc.want == "" && u.Path != tc.wantPath:
			t.Errorf("Check(%q).Path = %q; want %q", tc.raw, u.Path, tc.wantPath)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Check(%q) error = %v; want it to mention %q", tc.raw, err, tc.want)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("Check(%q) error = %v; quotes the password", tc.raw, err)
		}
	}
	if _, err := Check("server URL", "http://airbyte.internal/v1", false, errInsecure); !errors.Is(err, errInsecure) {
		t.Errorf("plain http to a remote host: %v; want it to wrap the given error", err)
	}
}

func TestAnonymous(t *testing.T) {
	t.Parallel()
	cases := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/v1", true},
		{"GET", "/v1/", true},
		{"GET", "/v1/health", true},
		{"POST", "/v1/applications/token", true},
		{"GET", "/v1/oauth/callback", true},
		{"GET", "/v1/applications/token", false},
		{"GET", "/v1/workspaces", false},
		{"POST", "/v1/health", false},
	}
	for _, tc := range cases {
		if got := Anonymous(tc.method, tc.path, "/v1"); got != tc.want {
			t.Errorf("Anonymous(%s %s) = %v; want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

// fixedWords removes the fixed text of Check's errors.
var fixedWords = strings.NewReplacer("airbyte: ", "", "server URL", "", Example, "", "(not shown: it may hold credentials)", "",
	"is not an absolute http(s) URL such as", "", "must not contain user info (credentials); pass them another way", "",
	"must not have a query or fragment: it is a base URL that paths are appended to", "", errInsecure.Error(), "", "use https", "")

// FuzzCheck checks that no input makes Check panic, that an accepted URL
// has a host, an http(s) scheme and no user info, query or fragment, and
// that an error never quotes the user info of the input.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"https://api.airbyte.com/v1", "http://localhost:8000/api/public/v1", "https://user:hunter2@host/v1",
		"https://user:hunter2@ho st/%zz", "https://host/v1?token=x", "https://host/v1#frag", "airbyte.example.com",
		"http://[::1]:8000/", "https://host:99999/v1", "",
	} {
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, raw string, insecure bool) {
		u, err := Check("server URL", raw, insecure, errInsecure)
		if err != nil {
			if i, j := strings.Index(raw, "://"), strings.LastIndex(raw, "@"); i >= 0 && j > i+3 {
				// The message's own words (such as "airbyte" in the example
				// URL) do not count.
				said := fixedWords.Replace(err.Error())
				if info := raw[i+3 : j]; len(info) >= 4 && strings.Contains(said, info) {
					t.Errorf("Check(%q) error = %q; quotes the user info", raw, err)
				}
			}
			return
		}
		if u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.RawQuery != "" || u.Fragment != "" || !strings.HasPrefix(u.Path, "/") {
			t.Errorf("Check(%q) accepted %#v", raw, u)
		}
	})
}
