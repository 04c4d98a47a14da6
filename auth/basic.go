package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// BasicAuth returns a TokenSource of HTTP basic credentials, for an
// installation whose API sits behind basic authentication (older
// self-managed deployments) instead of taking bearer tokens. It can be used
// wherever a TokenSource can: Transport and RequestEditor send
// "Authorization: Basic <base64 of user:password>" to the API base URL
// only, and the client takes it with airbyte.WithTokenSource. Its tokens
// have TokenType "Basic" and no expiry; like a static token it cannot be
// refreshed, so a 401 is final. The password never appears in formatted
// values, logs or errors.
//
// The user name must not be empty nor contain a colon (RFC 7617); Token
// reports either as an error.
func BasicAuth(user, password string) TokenSource {
	s := basicSource{user: user, password: seal(password)}
	switch {
	case user == "":
		s.err = errors.New("airbyte: auth.BasicAuth: empty user name")
	case strings.Contains(user, ":"):
		s.err = errors.New("airbyte: auth.BasicAuth: the user name must not contain a colon")
	default:
		// Encoded once: Transport asks for the token on every request.
		s.creds = seal(base64.StdEncoding.EncodeToString([]byte(user + ":" + password)))
	}
	return s
}

type basicSource struct {
	user     string
	password sealed[string]
	creds    sealed[string] // the encoded credentials; nil when err is set
	err      error
}

func (s basicSource) Token(ctx context.Context) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if s.err != nil {
		return nil, s.err
	}
	return &Token{AccessToken: s.creds.open(), TokenType: "Basic"}, nil
}

func (s basicSource) String() string {
	return fmt.Sprintf("auth.BasicAuth(%q, %s)", s.user, redact(s.password.open()))
}
func (s basicSource) GoString() string              { return s.String() }
func (s basicSource) Format(f fmt.State, verb rune) { formatSafe(f, verb, s.String(), s.GoString()) }
func (s basicSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", s.user), slog.String("password", redact(s.password.open())))
}

// authorization is the Authorization header value for tok: its type
// ("Bearer" when empty, the usual spelling of Bearer and Basic otherwise
// as given) and the token.
func authorization(tok *Token) string {
	typ := tok.TokenType
	switch {
	case typ == "" || strings.EqualFold(typ, "bearer"):
		typ = "Bearer"
	case strings.EqualFold(typ, "basic"):
		typ = "Basic"
	}
	return typ + " " + tok.AccessToken
}
