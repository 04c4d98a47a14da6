package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"
)

// OAuth2TokenSource adapts src to golang.org/x/oauth2's TokenSource, for
// libraries built on that package. oauth2.TokenSource takes no context, so
// every fetch runs under ctx: pass a context that lives as long as the
// adapter is used. FromOAuth2 is the reverse.
func OAuth2TokenSource(ctx context.Context, src TokenSource) oauth2.TokenSource {
	return oauth2Source{ctx: ctx, src: src}
}

type oauth2Source struct {
	ctx context.Context
	src TokenSource
}

func (s oauth2Source) Token() (*oauth2.Token, error) {
	t, err := token(s.ctx, s.src)
	if err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, Expiry: t.Expiry}, nil
}

// FromOAuth2 adapts a golang.org/x/oauth2 TokenSource to a TokenSource, so
// a token from any flow that package supports (a Google service account,
// an identity provider's client credentials or device flow, ...) can
// authenticate requests through Transport or the client.
//
// The token's type is kept (oauth2.Token.Type: "Bearer" when unset) and
// Transport writes it in the Authorization header. oauth2.TokenSource takes
// no context: Token checks ctx before calling src and returns ctx's error
// if it is done by then, but cannot interrupt a fetch in progress, so give
// the oauth2 source an HTTP client with a timeout (oauth2.HTTPClient in the
// context it was made with). Wrap src in oauth2.ReuseTokenSource to cache
// its tokens; the result cannot be invalidated, so Transport does not
// replay a request that gets a 401.
func FromOAuth2(src oauth2.TokenSource) TokenSource { return fromOAuth2{src: src} }

type fromOAuth2 struct{ src oauth2.TokenSource }

func (s fromOAuth2) Token(ctx context.Context) (*Token, error) {
	if isNil(s.src) {
		return nil, errors.New("airbyte: auth.FromOAuth2: nil oauth2.TokenSource")
	}
	if ctx == nil {
		return nil, errNilContext
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("airbyte: waiting for an access token: %w", err)
	}
	t, err := s.src.Token()
	if err != nil {
		return nil, fmt.Errorf("airbyte: oauth2 token source: %w", err)
	}
	if t == nil || t.AccessToken == "" {
		return nil, errors.New("airbyte: oauth2 token source returned no access token")
	}
	return &Token{AccessToken: t.AccessToken, TokenType: t.Type(), Expiry: t.Expiry}, nil
}

// The oauth2 source may hold its current token: never print its fields.
func (s fromOAuth2) String() string                { return "auth.FromOAuth2([redacted])" }
func (s fromOAuth2) GoString() string              { return s.String() }
func (s fromOAuth2) Format(f fmt.State, verb rune) { formatSafe(f, verb, s.String(), s.GoString()) }
func (s fromOAuth2) LogValue() slog.Value          { return slog.StringValue(s.String()) }
