package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/problem"
)

// CloudURL is the base URL of the Airbyte Cloud API.
const CloudURL = "https://api.airbyte.com/v1"

// Defaults of Config.
const (
	// DefaultFetchTimeout bounds one token fetch, retries included.
	DefaultFetchTimeout = 30 * time.Second
	// DefaultLifetime is assumed when the server states no lifetime and
	// the token carries no exp claim.
	DefaultLifetime = 60 * time.Second
	// maxMargin is the most a token is refreshed ahead of its expiry.
	maxMargin = 60 * time.Second
	// fetchAttempts bounds token requests per fetch.
	fetchAttempts = 4
)

// Config configures client-credentials authentication.
type Config struct {
	// ClientID and ClientSecret are an Airbyte application's credentials.
	ClientID, ClientSecret string
	// ServerURL is the API base URL: CloudURL (the default) or
	// <webapp>/api/public/v1 for a self-managed installation.
	ServerURL string
	// TokenURL overrides the token endpoint; by default it is ServerURL
	// with /applications/token appended to its path.
	TokenURL string
	// HTTPClient sends token requests; nil means a new client over
	// http.DefaultTransport. It is copied, never modified; redirects are
	// not followed so the secret is never re-sent elsewhere.
	HTTPClient *http.Client
	// AllowInsecureHTTP permits sending credentials over plain http:// to
	// a host that is not a loopback address.
	AllowInsecureHTTP bool
	// FetchTimeout bounds one token fetch, retries included
	// (DefaultFetchTimeout when zero).
	FetchTimeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives debug lines about token fetches (never the secret or
	// a token); nil discards them.
	Logger *slog.Logger
}

// String redacts the client secret.
func (c Config) String() string {
	return fmt.Sprintf("auth.Config{ClientID: %q, ClientSecret: %s, ServerURL: %q, TokenURL: %q}", c.ClientID, redact(c.ClientSecret), c.ServerURL, c.TokenURL)
}

// GoString redacts the client secret.
func (c Config) GoString() string { return c.String() }

// LogValue redacts the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", redact(c.ClientSecret)),
		slog.String("server_url", c.ServerURL), slog.String("token_url", c.TokenURL))
}

// ClientCredentials is a TokenSource that fetches tokens with an
// application's client ID and secret and caches them. It is safe for
// concurrent use: concurrent callers share one fetch, each waiting under
// its own context, and a caller that gives up does not fail the others.
type ClientCredentials struct {
	cfg       Config
	serverURL string
	tokenURL  *url.URL
	api       *generated.ClientWithResponses

	mu       sync.Mutex
	tok      *Token
	refresh  time.Time
	inflight *fetchCall
}

type fetchCall struct {
	done chan struct{}
	tok  *Token
	err  error
}

// NewClientCredentials checks cfg and returns a token source. It makes no
// request.
func NewClientCredentials(cfg Config) (*ClientCredentials, error) {
	var missing []string
	if cfg.ClientID == "" {
		missing = append(missing, "client ID")
	}
	if cfg.ClientSecret == "" {
		missing = append(missing, "client secret")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrMissingCredentials, strings.Join(missing, " and "))
	}
	if cfg.ServerURL == "" {
		cfg.ServerURL = CloudURL
	}
	server, err := checkURL("server URL", cfg.ServerURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	tokenURL := server.JoinPath("applications", "token")
	if cfg.TokenURL != "" {
		if tokenURL, err = checkURL("token URL", cfg.TokenURL, cfg.AllowInsecureHTTP); err != nil {
			return nil, err
		}
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFetchTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	api, err := generated.NewClientWithResponses(server.String(), generated.WithHTTPClient(hc))
	if err != nil {
		return nil, fmt.Errorf("airbyte: %w", err)
	}
	return &ClientCredentials{cfg: cfg, serverURL: strings.TrimSuffix(server.String(), "/"), tokenURL: tokenURL, api: api}, nil
}

// ErrMissingCredentials reports that a client ID or secret is missing.
var ErrMissingCredentials = errors.New("airbyte: missing client credentials")

func checkURL(what, raw string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("airbyte: %s %q is not an absolute http(s) URL", what, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("airbyte: %s must not contain credentials", what)
	}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	if u.Scheme == "http" && !allowInsecure && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("airbyte: refusing to send credentials over plain http to %s; use https or allow insecure HTTP explicitly", u.Host)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ServerURL returns the API base URL, without a trailing slash.
func (c *ClientCredentials) ServerURL() string { return c.serverURL }

// TokenURL returns the token endpoint.
func (c *ClientCredentials) TokenURL() string { return c.tokenURL.String() }

// String describes the source without its secret.
func (c *ClientCredentials) String() string {
	return fmt.Sprintf("auth.ClientCredentials{ClientID: %q, TokenURL: %q}", c.cfg.ClientID, c.tokenURL)
}

// Token returns the cached token, or fetches a new one when the cached one
// is within its refresh margin of expiring. The refresh margin is a fifth
// of the token's lifetime, at most a minute: 36 s for a 3-minute token,
// 60 s for a 15-minute one.
func (c *ClientCredentials) Token(ctx context.Context) (*Token, error) {
	c.mu.Lock()
	if c.tok != nil && c.cfg.Now().Before(c.refresh) {
		t := *c.tok
		c.mu.Unlock()
		return &t, nil
	}
	call := c.inflight
	if call == nil {
		call = &fetchCall{done: make(chan struct{})}
		c.inflight = call
		go c.fetch(call)
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		if call.err != nil {
			return nil, call.err
		}
		t := *call.tok
		return &t, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("airbyte: waiting for an access token: %w", ctx.Err())
	}
}

// Invalidate drops the cached token if it is still accessToken, so the
// next Token call fetches a new one.
func (c *ClientCredentials) Invalidate(accessToken string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && c.tok.AccessToken == accessToken {
		c.tok = nil
	}
}

// fetch runs one fetch, with retries, under its own bounded context.
func (c *ClientCredentials) fetch(call *fetchCall) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.FetchTimeout)
	defer cancel()
	tok, lifetime, err := c.fetchWithRetry(ctx)
	c.mu.Lock()
	if err == nil {
		c.tok = tok
		margin := min(maxMargin, lifetime/5)
		c.refresh = tok.Expiry.Add(-margin)
	}
	c.inflight = nil
	c.mu.Unlock()
	call.tok, call.err = tok, err
	close(call.done)
}

func (c *ClientCredentials) fetchWithRetry(ctx context.Context) (*Token, time.Duration, error) {
	backoff := 200 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= fetchAttempts; attempt++ {
		tok, lifetime, wait, err := c.fetchOnce(ctx)
		if err == nil {
			return tok, lifetime, nil
		}
		lastErr = err
		var te *TokenError
		if !errors.As(err, &te) || !te.Temporary() || attempt == fetchAttempts {
			break
		}
		if wait <= 0 {
			wait = backoff + time.Duration(rand.Int64N(int64(backoff)))
			backoff *= 2
		}
		c.log("token request failed; retrying", slog.Int("attempt", attempt), slog.Int("status", te.StatusCode), slog.Duration("wait", wait))
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, 0, lastErr
		}
	}
	return nil, 0, lastErr
}

func (c *ClientCredentials) log(msg string, attrs ...slog.Attr) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.LogAttrs(context.Background(), slog.LevelDebug, msg, append(attrs, slog.String("token_url", c.tokenURL.String()))...)
	}
}

func (c *ClientCredentials) fetchOnce(ctx context.Context) (*Token, time.Duration, time.Duration, error) {
	grant := generated.ApplicationTokenRequestWithGrantGrantTypeClientCredentials
	body := generated.CreateAccessTokenJSONRequestBody{ClientId: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, GrantType: &grant}
	setURL := func(_ context.Context, req *http.Request) error {
		req.URL = c.tokenURL
		req.Host = c.tokenURL.Host
		req.Header.Set("Accept", "application/json")
		return nil
	}
	tokenURL := c.tokenURL.String()
	started := c.cfg.Now()
	raw, err := c.api.ClientInterface.CreateAccessToken(ctx, body, setURL)
	if err != nil {
		return nil, 0, 0, &TokenError{TokenURL: tokenURL, Err: scrub(err, c.tokenURL)}
	}
	resp, err := generated.ParseCreateAccessTokenResponse(raw)
	if err != nil {
		if raw.StatusCode == http.StatusOK {
			return nil, 0, 0, &TokenError{TokenURL: tokenURL, StatusCode: raw.StatusCode, Err: errors.New("the answer is not a token response")}
		}
		// An error status with an undecodable body: keep the status.
		resp = &generated.CreateAccessTokenResponse{HTTPResponse: raw}
	}
	status := resp.StatusCode()
	if status != http.StatusOK {
		te := &TokenError{TokenURL: tokenURL, StatusCode: status, Problem: problem.Parse(status, resp.HTTPResponse.Header.Get("Content-Type"), resp.Body)}
		var wait time.Duration
		if s, err := strconv.Atoi(resp.HTTPResponse.Header.Get("Retry-After")); err == nil && s >= 0 {
			wait = time.Duration(s) * time.Second
		}
		if problemHTML(te) && status >= 500 {
			te.Err = errors.New("the gateway answered with an HTML page")
		}
		return nil, 0, wait, te
	}
	if resp.JSON200 == nil || resp.JSON200.AccessToken == "" {
		return nil, 0, 0, &TokenError{TokenURL: tokenURL, StatusCode: status, Err: errors.New("the answer is not a token response")}
	}
	if tt := resp.JSON200.TokenType; tt != nil && !strings.EqualFold(string(*tt), "Bearer") {
		return nil, 0, 0, &TokenError{TokenURL: tokenURL, StatusCode: status, Err: fmt.Errorf("unexpected token_type %q; want Bearer", string(*tt))}
	}
	access := resp.JSON200.AccessToken
	var lifetime time.Duration
	var expiry time.Time
	switch {
	case resp.JSON200.ExpiresIn != nil && *resp.JSON200.ExpiresIn > 0:
		lifetime = time.Duration(*resp.JSON200.ExpiresIn) * time.Second
		expiry = started.Add(lifetime)
	default:
		if exp, ok := jwtExpiry(access); ok && exp.After(started) {
			expiry, lifetime = exp, exp.Sub(started)
		} else {
			lifetime = DefaultLifetime
			expiry = started.Add(lifetime)
		}
	}
	c.log("fetched access token", slog.Duration("lifetime", lifetime))
	return &Token{AccessToken: access, TokenType: "Bearer", Expiry: expiry}, lifetime, 0, nil
}

func problemHTML(te *TokenError) bool { return te.Problem.HTML }

// scrub removes the request URL's query from transport errors; the token
// URL never carries secrets, but a caller-provided one might.
func scrub(err error, u *url.URL) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		safe := *u
		safe.RawQuery = ""
		return &url.Error{Op: ue.Op, URL: safe.String(), Err: ue.Err}
	}
	return err
}

// jwtExpiry reads the exp claim of a JWT without verifying it.
func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Exp == "" {
		return time.Time{}, false
	}
	f, err := claims.Exp.Float64()
	if err != nil || f <= 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0), true
}
