package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"
)

// Token is an access token, or the credentials of BasicAuth.
type Token struct {
	// AccessToken is the token itself. It is a secret.
	AccessToken string
	// TokenType is the Authorization scheme: "Bearer" (also when empty),
	// or "Basic" for BasicAuth.
	TokenType string
	// Expiry is when the token stops working; zero means unknown.
	Expiry time.Time
}

// String redacts the token.
func (t *Token) String() string {
	if t == nil {
		return "<nil>"
	}
	return fmt.Sprintf("Token{TokenType: %q, AccessToken: %s, Expiry: %s}", t.TokenType, redact(t.AccessToken), t.Expiry.Format(time.RFC3339))
}

// GoString redacts the token.
func (t *Token) GoString() string { return t.String() }

// Format redacts the token under every fmt verb, for Token values and
// pointers alike, also inside maps, slices and structs.
func (t Token) Format(f fmt.State, verb rune) { formatSafe(f, verb, t.String(), t.GoString()) }

// LogValue redacts the token for log/slog.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", t.TokenType), slog.String("access_token", redact(t.AccessToken)), slog.Time("expiry", t.Expiry))
}

// MarshalJSON writes the token redacted, so that a Token reaching
// encoding/json (as slog's JSON handler does with a Token inside a map,
// slice or struct) never carries the secret. To keep a token, store its
// AccessToken yourself.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		TokenType, AccessToken string
		Expiry                 time.Time
	}{t.TokenType, redact(t.AccessToken), t.Expiry})
}

// A TokenSource returns a valid token. Token is called with the caller's
// context on every request and must be safe for concurrent use.
type TokenSource interface {
	// Token returns a token that is valid now, or an error.
	Token(ctx context.Context) (*Token, error)
}

// token calls src.Token, turning a nil or typed-nil src, a nil ctx and a
// (nil, nil) answer into errors.
func token(ctx context.Context, src TokenSource) (*Token, error) {
	if isNil(src) {
		return nil, errors.New("airbyte: nil TokenSource")
	}
	if ctx == nil {
		return nil, errNilContext
	}
	tok, err := src.Token(ctx)
	if err == nil && tok == nil {
		return nil, errNoToken
	}
	return tok, err
}

// isNil reports whether v is nil or an interface holding a nil pointer,
// map, slice, func or channel.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// An Invalidator is a TokenSource that can be told a token was rejected, so
// the next Token call fetches a new one. Transport uses it on a 401.
type Invalidator interface {
	TokenSource
	// Invalidate drops the cached token if it is still accessToken.
	Invalidate(accessToken string)
}

// ErrTokenRejected reports that the server answered 401 to a request made
// with a token that cannot be refreshed (a static token).
var ErrTokenRejected = errors.New("airbyte: access token rejected or expired; static tokens cannot be refreshed, generate a new one or use client credentials")

// StaticToken returns a TokenSource that always returns token, for tokens
// made in the web app. It is never refreshed.
func StaticToken(token string) TokenSource {
	return staticSource{tok: seal(&Token{AccessToken: token, TokenType: "Bearer"})}
}

type staticSource struct{ tok sealed[*Token] }

func (s staticSource) Token(ctx context.Context) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if s.tok.open() == nil || s.tok.open().AccessToken == "" {
		return nil, errors.New("airbyte: empty static access token")
	}
	t := *s.tok.open()
	return &t, nil
}

func (s staticSource) String() string { return "auth.StaticToken([redacted])" }

func (s staticSource) GoString() string { return s.String() }

func (s staticSource) Format(f fmt.State, verb rune) { formatSafe(f, verb, s.String(), s.GoString()) }

func (s staticSource) LogValue() slog.Value { return slog.StringValue(s.String()) }
