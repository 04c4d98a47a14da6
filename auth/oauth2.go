package auth

import (
	"context"

	"golang.org/x/oauth2"
)

// OAuth2TokenSource adapts src to golang.org/x/oauth2's TokenSource, for
// libraries built on that package. oauth2.TokenSource takes no context, so
// every fetch runs under ctx: pass a context that lives as long as the
// adapter is used.
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
