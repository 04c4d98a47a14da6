// Package redact masks secrets in JSON-like values (maps, slices and
// scalars as encoding/json decodes them into any). The client's error
// bodies, debug logs and token errors, and the fake's stored connector
// configurations, all mask with it.
package redact

import (
	"regexp"
	"strings"
)

// Masked is what a secret value is replaced with in bodies and logs.
const Masked = "**********"

// secretWords mark keys whose values are secrets, matched as
// case-insensitive substrings: "api_key", "clientSecret", "Password",
// "passphrase", "pwd", "sasl_jaas_config" (it holds a password), and the
// keys whose values are strings that may carry one: JDBC URL parameters,
// connection strings, DSNs.
var secretWords = []string{
	"password", "passwd", "pwd", "passphrase", "secret", "token", "key", "credential", "authorization", "private",
	"jaas", "jdbc_url_params", "connection_string", "connectionstring", "dsn",
}

// IsSecretKey reports whether a key's value should be masked.
func IsSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Value returns a copy of v in which the value of every secret-looking
// key, at any depth inside maps and slices, is replaced by mask. When
// scrub is not nil, every other key and string is passed through it (to
// remove a known secret wherever it was echoed).
func Value(v any, mask string, scrub func(string) string) any {
	switch v := v.(type) {
	case map[string]any:
		return Map(v, mask, scrub)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = Value(e, mask, scrub)
		}
		return out
	case string:
		v = Inline(v)
		if scrub != nil {
			return scrub(v)
		}
		return v
	default:
		return v
	}
}

// Map is Value for a map; nil stays nil.
func Map(m map[string]any, mask string, scrub func(string) string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		key := k
		if scrub != nil {
			key = scrub(k)
		}
		if IsSecretKey(k) {
			out[key] = mask
		} else {
			out[key] = Value(v, mask, scrub)
		}
	}
	return out
}

// urlPassword matches the password of a URL's user information
// ("postgres://user:pass@host"); inlinePair matches a password-like
// parameter in a query or key=value list ("password=...;", "&pwd=...").
var (
	urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)([^@\s]+)(@)`)
	inlinePair  = regexp.MustCompile(`(?i)(\b(?:password|passwd|pwd|secret|token|api_?key)\s*=\s*)([^&;\s]+)`)
)

// Inline masks secrets written inside a string that is not itself a
// secret's value: the password of a URL with user information, and
// password-like parameters of a query or a key=value list.
func Inline(s string) string {
	if !strings.ContainsAny(s, "@=") {
		return s
	}
	s = urlPassword.ReplaceAllString(s, "${1}"+Masked+"${3}")
	return inlinePair.ReplaceAllString(s, "${1}"+Masked)
}
