// Package endpoint holds the URL rules package auth and the client share:
// which URLs may receive credentials, which requests are under the API base
// URL, and which operations take no token.
package endpoint

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Example is the URL error messages show as a model.
const Example = "https://api.airbyte.com/v1"

// Check parses raw, a URL that will receive credentials, named what in
// errors (such as "server URL"). It must be an absolute http or https URL
// without user info, query or fragment; plain http to a host that is not a
// loopback address is refused, with an error wrapping insecure, unless
// allowInsecure. A trailing slash is dropped and an empty path becomes "/".
// No error quotes a URL that may hold credentials.
func Check(what, raw string, allowInsecure bool, insecure error) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("airbyte: %s %s is not an absolute http(s) URL such as %s", what, Quote(raw), Example)
	}
	if u.User != nil {
		return nil, fmt.Errorf("airbyte: %s must not contain user info (credentials); pass them another way", what)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, fmt.Errorf("airbyte: %s %s must not have a query or fragment: it is a base URL that paths are appended to", what, Quote(raw))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("airbyte: %s %s has port %s, outside 1-65535", what, Quote(raw), p)
		}
	}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	if u.Scheme == "http" && !allowInsecure && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%w (%s %s): use https", insecure, what, u.Host)
	}
	return u, nil
}

// Quote quotes raw for an error message, unless it may hold credentials
// (user info, a query, a fragment) or is long: then it says so instead.
func Quote(raw string) string {
	if strings.ContainsAny(raw, "@?#") || len(raw) > 200 {
		return "(not shown: it may hold credentials)"
	}
	return strconv.Quote(raw)
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Matches reports whether u is under base: same scheme, same host
// (compared case-insensitively) and port (443 when an https URL names
// none, 80 for http) and a path equal to or below the base path.
func Matches(base, u *url.URL) bool {
	if base == nil || u == nil {
		return false
	}
	if !SameOrigin(base, u) {
		return false
	}
	prefix := strings.TrimSuffix(base.Path, "/")
	return u.Path == prefix || strings.HasPrefix(u.Path, prefix+"/") || prefix == ""
}

// SameOrigin reports whether a and b have the same scheme, host (compared
// case-insensitively) and port (the scheme's default when none is named).
func SameOrigin(a, b *url.URL) bool {
	return a != nil && b != nil && strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// port returns u's port, or the scheme's default port when it names none.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch {
	case strings.EqualFold(u.Scheme, "https"):
		return "443"
	case strings.EqualFold(u.Scheme, "http"):
		return "80"
	}
	return ""
}

// anonymousOps are the API's operations that take no token, by method and
// path below the base path: the documentation page, the health probe, the
// token exchange and the OAuth callback.
var anonymousOps = map[string]bool{
	"GET /":                    true,
	"GET /health":              true,
	"POST /applications/token": true,
	"GET /oauth/callback":      true,
}

// Anonymous reports whether the request method and path (below basePath)
// address an operation that needs no token.
func Anonymous(method, path, basePath string) bool {
	rest := strings.TrimPrefix(path, strings.TrimSuffix(basePath, "/"))
	if rest == "" {
		rest = "/"
	}
	return anonymousOps[method+" "+rest]
}
