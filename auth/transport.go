package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/endpoint"
)

// Transport is an http.RoundTripper that authenticates requests to the
// Airbyte API. Only requests whose scheme, host and path prefix match
// BaseURL get the token, so it never leaks to another origin, redirects
// included. On a 401 it drops the token (when the source is an
// Invalidator), fetches a new one and replays the request once, if the
// request body can be replayed; when that fetch fails, RoundTrip returns
// its error instead of the 401, so credentials the token endpoint now
// refuses match ErrCredentialsRejected.
type Transport struct {
	// Source supplies tokens. Required.
	Source TokenSource
	// BaseURL is the API base URL, such as CloudURL. Required.
	BaseURL string
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper

	once    sync.Once
	base    *url.URL
	baseErr error
}

func (t *Transport) next() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("airbyte: auth.Transport: nil request or URL")
	}
	if t == nil || isNil(t.Source) || t.BaseURL == "" {
		closeBody(req)
		return nil, errors.New("airbyte: auth.Transport: Source and BaseURL are required")
	}
	if !t.matches(req.URL) {
		if t.baseErr != nil {
			closeBody(req)
			return nil, errors.New("airbyte: auth.Transport: BaseURL is not a URL")
		}
		return t.next().RoundTrip(req)
	}
	if anonymous(req.Method, req.URL.Path, t.base.Path) {
		return t.next().RoundTrip(req)
	}
	tok, err := token(req.Context(), t.Source)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.next().RoundTrip(withToken(req, req.Body, tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	inv, ok := t.Source.(Invalidator)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	if !ok || !replayable {
		return resp, nil
	}
	inv.Invalidate(tok.AccessToken)
	fresh, err := token(req.Context(), t.Source)
	if err != nil {
		// The refresh failed: its error (ErrCredentialsRejected when the
		// token endpoint refused the credentials) says more than the 401.
		drain(resp)
		closeBody(req)
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, nil
	}
	var body io.ReadCloser
	if req.GetBody != nil {
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	drain(resp)
	return t.next().RoundTrip(withToken(req, body, fresh))
}

func withToken(req *http.Request, body io.ReadCloser, tok *Token) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", authorization(tok))
	return r
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// matches reports whether u is under BaseURL, parsed once per Transport.
func (t *Transport) matches(u *url.URL) bool {
	t.once.Do(func() { t.base, t.baseErr = url.Parse(t.BaseURL) })
	return t.baseErr == nil && endpoint.Matches(t.base, u)
}

func anonymous(method, path, basePath string) bool { return endpoint.Anonymous(method, path, basePath) }

// RequestEditor returns a generated.RequestEditorFn that adds the bearer
// token to requests under baseURL, for clients that cannot take a custom
// transport. It does not retry on 401; prefer Transport.
func RequestEditor(src TokenSource, baseURL string) generated.RequestEditorFn {
	base, err := url.Parse(baseURL)
	return func(ctx context.Context, req *http.Request) error {
		if req == nil || err != nil || !endpoint.Matches(base, req.URL) || anonymous(req.Method, req.URL.Path, base.Path) {
			return nil
		}
		tok, err := token(ctx, src)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", authorization(tok))
		return nil
	}
}
