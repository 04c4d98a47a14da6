package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/seed83f33fd3/airbyte-go/internal/problem"
	secrets "github.com/seed83f33fd3/airbyte-go/internal/redact"
)

// ErrCredentialsRejected is matched by errors.Is for a *TokenError whose
// token endpoint rejected the client credentials (HTTP 400, 401 or 403).
// Trying again with the same credentials will not help.
var ErrCredentialsRejected = errors.New("airbyte: client credentials rejected")

// A TokenError is a failed token request. It never holds the client secret
// or a token: secret-looking keys of Problem.Data are masked and any copy
// of the client secret the server echoed is replaced with "[redacted]".
type TokenError struct {
	// TokenURL is where the request went.
	TokenURL string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Problem is what the error body said, if anything.
	Problem Problem
	// Err is the underlying error, if any (a transport error, or a
	// malformed answer).
	Err error
}

// Error describes the failure: the token URL, the HTTP status, a summary
// of the error body and the underlying error. It never contains the client
// secret.
func (e *TokenError) Error() string {
	switch {
	case e == nil:
		return "airbyte: <nil *auth.TokenError>"
	case e.rejected():
		msg := fmt.Sprintf("airbyte: client credentials rejected by %s: HTTP %d", e.TokenURL, e.StatusCode)
		if s := e.Problem.Summary(); s != "" {
			msg += ": " + s
		}
		return msg
	case e.StatusCode != 0:
		msg := fmt.Sprintf("airbyte: token request to %s failed: HTTP %d", e.TokenURL, e.StatusCode)
		if s := e.Problem.Summary(); s != "" {
			msg += ": " + s
		}
		if e.Err != nil {
			msg += ": " + e.Err.Error()
		}
		return msg
	default:
		return fmt.Sprintf("airbyte: token request to %s failed: %v", e.TokenURL, e.Err)
	}
}

// GoString is the %#v form: the fields in Go syntax, with secret-looking
// keys of Problem.Data masked.
func (e *TokenError) GoString() string {
	if e == nil {
		return "(*auth.TokenError)(nil)"
	}
	p := e.Problem
	p.Data = maskData(p.Data, "")
	errStr := "nil"
	if e.Err != nil {
		errStr = "errors.New(" + strconv.Quote(e.Err.Error()) + ")"
	}
	return fmt.Sprintf("&auth.TokenError{TokenURL: %q, StatusCode: %d, Problem: %#v, Err: %s}", e.TokenURL, e.StatusCode, p, errStr)
}

// MarshalJSON writes the error's fields with secret-looking keys of
// Problem.Data masked, for encoding/json and slog's JSON handler.
func (e TokenError) MarshalJSON() ([]byte, error) {
	p := e.Problem
	p.Data = maskData(p.Data, "")
	return json.Marshal(struct {
		TokenURL   string
		StatusCode int
		Problem    Problem
		Error      string
	}{e.TokenURL, e.StatusCode, p, (&e).Error()})
}

// Format writes Error() for every fmt verb but %#v (GoString) and %q (the
// quoted Error()), for TokenError values and pointers alike, so no verb
// prints the fields.
func (e TokenError) Format(f fmt.State, verb rune) { formatSafe(f, verb, e.Error(), e.GoString()) }

// LogValue is Error() for log/slog.
func (e *TokenError) LogValue() slog.Value { return slog.StringValue(e.Error()) }

// Unwrap returns the underlying error, or nil.
func (e *TokenError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether e matches target: a TokenError for rejected
// credentials (HTTP 400, 401 or 403) matches ErrCredentialsRejected.
func (e *TokenError) Is(target error) bool {
	return target == ErrCredentialsRejected && e.rejected()
}

func (e *TokenError) rejected() bool {
	return e != nil && (e.StatusCode == 400 || e.StatusCode == 401 || e.StatusCode == 403)
}

// Temporary reports whether trying again later may succeed: no response,
// 429, 502, 503, 504, or a 500 whose body is an HTML page from a gateway.
func (e *TokenError) Temporary() bool {
	if e == nil {
		return false
	}
	if errors.Is(e.Err, ErrTransportPanicked) {
		return false
	}
	switch e.StatusCode {
	case 0, 429, 502, 503, 504:
		return true
	case 500:
		return e.Problem.HTML
	}
	return false
}

// redacted replaces masked values and echoed secrets.
const redacted = "[redacted]"

// sanitizeProblem masks secret-looking keys of d.Data at any depth and
// replaces every occurrence of secret in d's text with "[redacted]".
func sanitizeProblem(d problem.Details, secret string) Problem {
	d.Type = scrubSecret(d.Type, secret)
	d.Title = scrubSecret(d.Title, secret)
	d.Detail = scrubSecret(d.Detail, secret)
	d.DocumentationURL = scrubSecret(d.DocumentationURL, secret)
	d.Message = scrubSecret(d.Message, secret)
	d.Code = scrubSecret(d.Code, secret)
	d.Data = maskData(d.Data, secret)
	return Problem(d)
}

// maskData returns a copy of m with the values of secret-looking keys
// masked, at any depth, and secret replaced in every key and string. An
// empty secret masks keys only.
func maskData(m map[string]any, secret string) map[string]any {
	return secrets.Map(m, redacted, func(s string) string { return scrubSecret(s, secret) })
}

func scrubSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, redacted)
}
