package auth

import (
	"fmt"

	"github.com/seed83f33fd3/airbyte-go/internal/problem"
)

// A TokenError is a failed token request. It never holds the client secret
// or a token.
type TokenError struct {
	// TokenURL is where the request went.
	TokenURL string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Problem is what the error body said, if anything.
	Problem problem.Details
	// Err is the underlying error, if any (a transport error, or a
	// malformed answer).
	Err error
}

func (e *TokenError) Error() string {
	switch {
	case e.StatusCode == 400 || e.StatusCode == 401 || e.StatusCode == 403:
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

func (e *TokenError) Unwrap() error { return e.Err }

// Temporary reports whether trying again later may succeed.
func (e *TokenError) Temporary() bool {
	switch e.StatusCode {
	case 0, 429, 502, 503, 504:
		return true
	}
	return false
}
