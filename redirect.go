package airbyte

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed83f33fd3/airbyte-go/internal/endpoint"
)

// ErrRedirectRefused is matched by errors.Is when the client refused to
// follow a redirect because it would carry the request's body or
// credentials to another origin, or down from https to plain http.
var ErrRedirectRefused = errors.New("airbyte: redirect refused")

// maxRedirects is net/http's own limit, kept when the caller's client
// has no CheckRedirect.
const maxRedirects = 10

// checkRedirect refuses a redirect that would send the request's body or
// an Authorization header to another origin (scheme, host and port) than
// the first request's, or from https to http; other redirects go to the
// caller's own CheckRedirect (user), or to net/http's limit of ten.
func checkRedirect(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		carries := ""
		switch {
		case req.Body != nil && req.Body != http.NoBody:
			carries = "the request body"
		case req.Header.Get("Authorization") != "":
			carries = "the Authorization header"
		}
		downgrade := strings.EqualFold(first.URL.Scheme, "https") && !strings.EqualFold(req.URL.Scheme, "https")
		if carries != "" && (downgrade || !endpoint.SameOrigin(first.URL, req.URL)) {
			closeBody(req)
			why := "another origin"
			if downgrade {
				why = "plain http"
			}
			return &refusedRedirect{fmt.Errorf("%w: %s %s answered %d to %s, which would re-send %s to %s", ErrRedirectRefused, first.Method, sanitize(first.URL), redirectStatus(req), sanitize(req.URL), carries, why)}
		}
		if user != nil {
			err := user(req, via)
			if err == nil || err == http.ErrUseLastResponse { // net/http compares with ==
				return err
			}
			return &refusedRedirect{err}
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("airbyte: stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// refusedRedirect marks a redirect refused by the client or by the
// caller's CheckRedirect: a choice, which a retry would only repeat.
type refusedRedirect struct{ err error }

func (r *refusedRedirect) Error() string { return r.err.Error() }
func (r *refusedRedirect) Unwrap() error { return r.err }

// redirectStatus is the status of the answer that asked for req.
func redirectStatus(req *http.Request) int {
	if req.Response != nil {
		return req.Response.StatusCode
	}
	return 0
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
