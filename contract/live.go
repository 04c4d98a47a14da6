package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// A LiveTransport checks real traffic against the spec: it validates each
// request before sending it through Base and each response before handing
// it back, and passes every disagreement to Report. It never changes what
// is sent or received, so it can wrap a client used for smoke tests against
// a real Airbyte to learn where the server and the spec disagree.
type LiveTransport struct {
	// Validator checks the traffic; it must accept the base URL in use (see
	// NewValidator).
	Validator *Validator
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Report receives each violation; it may be called from several
	// goroutines at once. Nil drops them.
	Report func(*Violation)
}

// RoundTrip implements http.RoundTripper.
func (t *LiveTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	// Validate a copy so the caller's request is not modified.
	check := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			t.report(&Violation{Operation: req.Method + " " + req.URL.Path, Phase: "request", Err: errors.New("body cannot be replayed; not validated")})
		} else if b, err := req.GetBody(); err == nil {
			check.Body = b
		}
	}
	route, params, err := t.Validator.Route(check)
	if err == nil {
		err = t.Validator.ValidateRoutedRequest(req.Context(), check, route, params)
	}
	if err != nil {
		t.report(asViolation(err, req, "request"))
	}
	resp, err := base.RoundTrip(req)
	if err != nil || route == nil {
		return resp, err
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if readErr != nil {
		return nil, fmt.Errorf("contract: read response body: %w", readErr)
	}
	if err := t.Validator.ValidateRoutedResponse(req.Context(), check, route, params, resp.StatusCode, resp.Header, body); err != nil {
		t.report(asViolation(err, req, "response"))
	}
	return resp, nil
}

func (t *LiveTransport) report(v *Violation) {
	if t.Report != nil {
		t.Report(v)
	}
}

func asViolation(err error, req *http.Request, phase string) *Violation {
	var v *Violation
	if errors.As(err, &v) {
		return v
	}
	return &Violation{Operation: req.Method + " " + req.URL.Path, Phase: phase, Err: err}
}
