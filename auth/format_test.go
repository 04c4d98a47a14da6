package auth_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// secretHolders returns one of each exported value that holds a secret,
// as a value and as a pointer, each holding sentinelSecret or
// sentinelToken.
func secretHolders(t *testing.T) []struct {
	name string
	v    any
} {
	t.Helper()
	cfg := auth.Config{ClientID: "id", ClientSecret: sentinelSecret, ServerURL: "https://airbyte.example.com/v1"}
	src, err := auth.NewClientCredentials(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok := auth.Token{AccessToken: sentinelToken, TokenType: "Bearer", Expiry: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	// A TokenError built by hand holds whatever its maker put in it.
	te := auth.TokenError{TokenURL: "https://airbyte.example.com/v1/applications/token", StatusCode: 401,
		Problem: auth.Problem{Title: "Unauthorized", Data: map[string]any{"client_secret": sentinelSecret}}, Err: errors.New("rejected")}
	return []struct {
		name string
		v    any
	}{
		{"Token", tok},
		{"*Token", &tok},
		{"Config", cfg},
		{"*Config", &cfg},
		{"*ClientCredentials", src},
		{"TokenError", te},
		{"*TokenError", &te},
		{"StaticToken", auth.StaticToken(sentinelToken)},
		{"[]Token", []auth.Token{tok}},
		{"map[string]Token", map[string]auth.Token{"k": tok}},
		{"map[string]*Config", map[string]*auth.Config{"k": &cfg}},
		{"[]Config", []auth.Config{cfg}},
		{"[]any", []any{tok, &tok, cfg, &cfg, src, te, &te}},
		{"map[string]any", map[string]any{"a": tok, "b": cfg, "c": te, "d": src}},
		{"struct", struct {
			T auth.Token
			C *auth.Config
		}{tok, &cfg}},
	}
}

func TestNoVerbPrintsASecret(t *testing.T) {
	t.Parallel()
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%o", "%b", "%e", "%t", "%p", "%10.3v", "%-8s", "%U", "%c"}
	for _, h := range secretHolders(t) {
		for _, verb := range verbs {
			if verb == "%p" && !strings.HasPrefix(h.name, "*") {
				// fmt prints a non-pointer's fields for %p without asking
				// the value (see the package documentation).
				continue
			}
			got := fmt.Sprintf(verb, h.v)
			for _, s := range []string{sentinelSecret, sentinelToken} {
				if strings.Contains(got, s) {
					t.Errorf("Sprintf(%q, %s) = %q; holds a secret", verb, h.name, got)
				}
			}
		}
	}
}

func TestSlogRedacts(t *testing.T) {
	t.Parallel()
	for _, h := range secretHolders(t) {
		var out bytes.Buffer
		slog.New(slog.NewTextHandler(&out, nil)).Info("value", "v", h.v)
		slog.New(slog.NewTextHandler(&out, nil)).Info("group", slog.Group("g", "v", h.v))
		// The JSON handler marshals values nested in containers with
		// encoding/json: Token and Config redact there too (MarshalJSON).
		slog.New(slog.NewJSONHandler(&out, nil)).Info("value", "v", h.v)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("group", slog.Group("g", "v", h.v))
		for _, s := range []string{sentinelSecret, sentinelToken} {
			if strings.Contains(out.String(), s) {
				t.Errorf("slog of %s = %s; holds a secret", h.name, out.String())
			}
		}
		if !strings.Contains(out.String(), "redacted") && !strings.Contains(h.name, "TokenError") {
			t.Errorf("slog of %s = %s; want a redaction marker", h.name, out.String())
		}
	}
}
