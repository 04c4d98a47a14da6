package auth

import "github.com/seed83f33fd3/airbyte-go/internal/problem"

// Problem is what the token endpoint's error body said, as far as it could
// be read: an RFC 9457 problem, a HAL error, a gateway's message or an HTML
// page. In a TokenError, the values of secret-looking keys of Data are
// masked and any echo of the client secret is replaced with "[redacted]".
type Problem struct {
	// Type, Title, Detail and DocumentationURL come from problem bodies.
	Type, Title, Detail, DocumentationURL string
	// Status is the status the body states, or 0.
	Status int
	// Data holds a problem's extra facts, if any.
	Data map[string]any
	// Message is the text of HAL, gateway and load-shedding bodies.
	Message string
	// Code is a gateway's error code, if any.
	Code string
	// HTML is true when the body was an HTML page (from a proxy).
	HTML bool
	// ErrorID is the server's ID of the failure ("errorId"): the whole
	// body of a 401 for rejected credentials under OIDC; give it to
	// support.
	ErrorID string
}

// Summary returns a short one-line description, or "" when the body said
// nothing useful.
func (p Problem) Summary() string { return problem.Details(p).Summary() }
