package connectors

import (
	"errors"
	"fmt"
	"net/url"
)

// ErrUnknownConnector is matched (with errors.Is) by the error of a lookup
// whose name, short name or definition ID is in no registry entry.
var ErrUnknownConnector = errors.New("connectors: unknown connector")

// ErrUnknownVersion is matched by the error of a lookup whose connector
// exists but not at the version asked for.
var ErrUnknownVersion = errors.New("connectors: unknown connector version")

// ErrAmbiguousName is matched by the error of a lookup by short name
// (such as "postgres") that names both a source and a destination when
// the reference gives no kind.
var ErrAmbiguousName = errors.New("connectors: name matches a source and a destination")

// FetchError reports that a registry or metadata document could not be
// fetched: the request failed on the network, or the server answered a
// status other than 200 (or 304 to a revalidation).
type FetchError struct {
	// URL is the document's address, with any user information removed.
	URL string
	// StatusCode is the HTTP status received, 0 when no answer came.
	StatusCode int
	// Err is the transport's error, nil when an answer came.
	Err error
}

func (e *FetchError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("connectors: fetch %s: HTTP status %d", e.URL, e.StatusCode)
	}
	return fmt.Sprintf("connectors: fetch %s: %v", e.URL, e.Err)
}

// Unwrap returns the transport's error.
func (e *FetchError) Unwrap() error { return e.Err }

// MalformedError reports a document that is not what it should be: not
// JSON, not a registry or registry entry, an entry without its definition
// ID, or a connectionSpecification that is not a usable JSON Schema.
type MalformedError struct {
	// Source names the document: a URL, a file path or "document".
	Source string
	// Err says what is wrong.
	Err error
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("connectors: malformed document %s: %v", e.Source, e.Err)
}

// Unwrap returns the underlying cause.
func (e *MalformedError) Unwrap() error { return e.Err }

// redactURL drops user information (a password in a URL) and the query
// (which may hold a signed token) from s, for messages and cache files.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "redacted"
	}
	return u.String()
}
