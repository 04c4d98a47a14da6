package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

type panicTransport struct{}

func (panicTransport) RoundTrip(*http.Request) (*http.Response, error) {
	panic("transport bug near " + sentinelSecret)
}

func TestPanicInTransportReachesCallers(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: sentinelSecret,
		ServerURL: "https://airbyte.example.com/v1", HTTPClient: &http.Client{Transport: panicTransport{}}, Logger: lc.logger()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() { _, errs[i] = src.Token(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		lc.err(err)
		var te *auth.TokenError
		if !errors.As(err, &te) || !errors.Is(err, auth.ErrTransportPanicked) || !strings.Contains(err.Error(), "transport bug near [redacted]") {
			t.Errorf("caller %d: error = %v; want a *TokenError matching ErrTransportPanicked with the panic's value", i, err)
		}
		if te != nil && te.Temporary() {
			t.Errorf("caller %d: Temporary() = true; a panic is not retried", i)
		}
	}
}

// userSource is a caller's TokenSource whose methods dereference their
// receiver.
type userSource struct{ tok string }

func (s *userSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{AccessToken: s.tok}, nil
}

type nilNilSource struct{}

func (nilNilSource) Token(context.Context) (*auth.Token, error) { return nil, nil }

func TestNilAndZeroInputs(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(api.Close)
	base := api.URL + "/v1"
	var nilCtx context.Context
	var nilCC *auth.ClientCredentials
	var nilUser *userSource
	var nilTokenErr *auth.TokenError
	get := func() *http.Request {
		req, err := http.NewRequest(http.MethodGet, base+"/workspaces", nil)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	roundTrip := func(tr *auth.Transport) func() error {
		return func() error {
			resp, err := tr.RoundTrip(get())
			if resp != nil {
				resp.Body.Close()
			}
			return err
		}
	}
	cases := []struct {
		name string
		call func() error
	}{
		{"zero ClientCredentials", func() error { _, err := (&auth.ClientCredentials{}).Token(t.Context()); return err }},
		{"nil *ClientCredentials", func() error { _, err := nilCC.Token(t.Context()); return err }},
		{"nil context", func() error {
			src, err := auth.NewClientCredentials(auth.Config{ClientID: "id", ClientSecret: "s"})
			if err != nil {
				return nil
			}
			_, err = src.Token(nilCtx)
			return err
		}},
		{"StaticToken with nil context", func() error { _, err := auth.StaticToken("x").Token(nilCtx); return err }},
		{"zero Transport", roundTrip(&auth.Transport{})},
		{"nil *Transport", roundTrip(nil)},
		{"Transport with a nil request", func() error {
			_, err := (&auth.Transport{Source: auth.StaticToken("x"), BaseURL: base}).RoundTrip(nil)
			return err
		}},
		{"Transport with typed-nil *ClientCredentials", roundTrip(&auth.Transport{Source: nilCC, BaseURL: base})},
		{"Transport with a typed-nil user source", roundTrip(&auth.Transport{Source: nilUser, BaseURL: base})},
		{"Transport with a source answering nil, nil", roundTrip(&auth.Transport{Source: nilNilSource{}, BaseURL: base})},
		{"Transport with an unparsable BaseURL", roundTrip(&auth.Transport{Source: auth.StaticToken("x"), BaseURL: "http://[::1"})},
		{"RequestEditor(nil)", func() error { return auth.RequestEditor(nil, base)(t.Context(), get()) }},
		{"RequestEditor with a nil context", func() error { return auth.RequestEditor(auth.StaticToken("x"), base)(nilCtx, get()) }},
		{"OAuth2TokenSource(nil source)", func() error { _, err := auth.OAuth2TokenSource(t.Context(), nil).Token(); return err }},
		{"OAuth2TokenSource(nil context)", func() error { _, err := auth.OAuth2TokenSource(nilCtx, auth.StaticToken("x")).Token(); return err }},
		{"nil *TokenError", func() error {
			if s := nilTokenErr.Error(); s == "" || errors.Is(nilTokenErr, auth.ErrCredentialsRejected) || nilTokenErr.Temporary() || nilTokenErr.Unwrap() != nil {
				return nil
			}
			return nilTokenErr
		}},
		{"printing a zero and a nil ClientCredentials", func() error {
			var out strings.Builder
			fmt.Fprintf(&out, "%v %+v %#v %s %d", &auth.ClientCredentials{}, nilCC, nilCC, nilCC, &auth.ClientCredentials{})
			slog.New(slog.NewJSONHandler(&out, nil)).Info("x", "zero", &auth.ClientCredentials{}, "nil", nilCC)
			if strings.Contains(out.String(), "PANIC") || strings.Contains(out.String(), "panicked") {
				return nil
			}
			return errors.New(out.String())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("panic: %v", r)
					}
				}()
				err = tc.call()
			}()
			if err == nil || err.Error() == "" {
				t.Errorf("error = %v; want a clear error", err)
			}
		})
	}
}
