package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/endpoint"
	"github.com/seed83f33fd3/airbyte-go/internal/problem"
	"github.com/seed83f33fd3/airbyte-go/internal/wait"
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
	// maxTokenBody bounds how much of a token response is read.
	maxTokenBody = 1 << 20
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

// String redacts the client secret, and any user info or query of the
// URLs.
func (c Config) String() string {
	return fmt.Sprintf("auth.Config{ClientID: %q, ClientSecret: %s, ServerURL: %q, TokenURL: %q}", c.ClientID, redact(c.ClientSecret), displayURL(c.ServerURL), displayURL(c.TokenURL))
}

// GoString redacts the client secret.
func (c Config) GoString() string { return c.String() }

// Format redacts the client secret under every fmt verb, for Config values
// and pointers alike, also inside maps, slices and structs.
func (c Config) Format(f fmt.State, verb rune) { formatSafe(f, verb, c.String(), c.GoString()) }

// LogValue redacts the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", redact(c.ClientSecret)),
		slog.String("server_url", displayURL(c.ServerURL)), slog.String("token_url", displayURL(c.TokenURL)))
}

// MarshalJSON writes the configuration with the client secret redacted,
// for encoding/json and slog's JSON handler.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ClientID, ClientSecret, ServerURL, TokenURL string
	}{c.ClientID, redact(c.ClientSecret), displayURL(c.ServerURL), displayURL(c.TokenURL)})
}

// ClientCredentials is a TokenSource that fetches tokens with an
// application's client ID and secret and caches them. It is safe for
// concurrent use: concurrent callers share one fetch, each waiting under
// its own context, and a caller that gives up does not fail the others.
type ClientCredentials struct {
	cfg       Config // its ClientSecret is empty: the secret is in secret
	secret    sealed[string]
	serverURL string
	tokenURL  *url.URL
	api       *generated.ClientWithResponses
	// sleep waits d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error

	mu       sync.Mutex
	tok      sealed[*Token] // the cached token; nil when there is none
	refresh  time.Time
	inflight *fetchCall
	// lastErr is the last fetch's error, nil after a success; no
	// background refresh starts before retryAt.
	lastErr error
	retryAt time.Time
}

type fetchCall struct {
	done       chan struct{}
	background bool
	tok        sealed[*Token]
	err        error
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
	secret := seal(cfg.ClientSecret)
	cfg.ClientSecret = ""
	return &ClientCredentials{cfg: cfg, secret: secret, serverURL: strings.TrimSuffix(server.String(), "/"), tokenURL: tokenURL, api: api, sleep: wait.Sleep}, nil
}

// ErrMissingCredentials reports that a client ID or secret is missing.
var ErrMissingCredentials = errors.New("airbyte: missing client credentials")

// ErrInsecureHTTP is matched by errors.Is when a URL that would receive
// credentials uses plain http to a host that is not a loopback address and
// plain http was not allowed.
var ErrInsecureHTTP = errors.New("airbyte: refusing to send credentials over plain http to a host that is not loopback")

func checkURL(what, raw string, allowInsecure bool) (*url.URL, error) {
	return endpoint.Check(what, raw, allowInsecure, ErrInsecureHTTP)
}

// ServerURL returns the API base URL, without a trailing slash.
func (c *ClientCredentials) ServerURL() string {
	if c == nil {
		return ""
	}
	return c.serverURL
}

// TokenURL returns the token endpoint, or "" for a ClientCredentials not
// made by NewClientCredentials.
func (c *ClientCredentials) TokenURL() string {
	if c == nil || c.tokenURL == nil {
		return ""
	}
	return c.tokenURL.String()
}

// String describes the source without its secret.
func (c *ClientCredentials) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("auth.ClientCredentials{ClientID: %q, TokenURL: %q}", c.cfg.ClientID, c.TokenURL())
}

// GoString describes the source without its secret, for %#v.
func (c *ClientCredentials) GoString() string {
	if c == nil {
		return "(*auth.ClientCredentials)(nil)"
	}
	return fmt.Sprintf("&auth.ClientCredentials{ClientID: %q, ClientSecret: %s, ServerURL: %q, TokenURL: %q}", c.cfg.ClientID, redact(c.secret.open()), c.serverURL, c.TokenURL())
}

// Format describes the source without its secret or token under every
// fmt verb, also inside maps, slices and structs.
func (c *ClientCredentials) Format(f fmt.State, verb rune) {
	formatSafe(f, verb, c.String(), c.GoString())
}

// LogValue describes the source for log/slog without its secret or token.
func (c *ClientCredentials) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("client_id", c.cfg.ClientID), slog.String("client_secret", redact(c.secret.open())),
		slog.String("server_url", c.serverURL), slog.String("token_url", c.TokenURL()))
}

// Token returns a token that is valid now. It returns the cached token
// while it is valid, and fetches a new one when there is none or it has
// expired; concurrent callers then share one fetch, each waiting under its
// own context.
//
// The cached token is refreshed ahead of its expiry, in the background: once
// it is inside its refresh margin (a fifth of its lifetime, at most a
// minute: 36 s for a 3-minute token, 60 s for a 15-minute one), Token still
// returns it at once and starts a single refresh that no caller waits for.
// That refresh runs under its own FetchTimeout, never under a caller's
// context. When it fails, the failure is logged (at slog.LevelWarn, to
// Config.Logger) and kept, the next background attempt waits at least
// RefreshRetryInterval, and callers keep the cached token until it really
// expires; only then do they wait for a fetch, and see its error.
func (c *ClientCredentials) Token(ctx context.Context) (*Token, error) {
	if c == nil || c.tokenURL == nil {
		return nil, errNotMade
	}
	if ctx == nil {
		return nil, errNilContext
	}
	c.mu.Lock()
	now := c.cfg.Now()
	if cached := c.tok.open(); cached != nil && now.Before(cached.Expiry) {
		t := *cached
		if !now.Before(c.refresh) && c.inflight == nil && !now.Before(c.retryAt) {
			c.startFetchLocked(true)
		}
		c.mu.Unlock()
		return &t, nil
	}
	call := c.inflight
	if call == nil {
		call = c.startFetchLocked(false)
	}
	lastErr := c.lastErr
	c.mu.Unlock()
	select {
	case <-call.done:
		if call.err != nil {
			return nil, call.err
		}
		t := *call.tok.open()
		return &t, nil
	case <-ctx.Done():
		if lastErr != nil {
			return nil, fmt.Errorf("airbyte: waiting for an access token (the last refresh failed: %v): %w", lastErr, ctx.Err())
		}
		return nil, fmt.Errorf("airbyte: waiting for an access token: %w", ctx.Err())
	}
}

// RefreshRetryInterval is the least time between two background refreshes
// of a still-valid token after one failed.
const RefreshRetryInterval = 10 * time.Second

// startFetchLocked starts a fetch in its own goroutine; c.mu is held.
func (c *ClientCredentials) startFetchLocked(background bool) *fetchCall {
	call := &fetchCall{done: make(chan struct{}), background: background}
	c.inflight = call
	go c.fetch(call)
	return call
}

// Invalidate drops the cached token if it is still accessToken, so the
// next Token call fetches a new one.
func (c *ClientCredentials) Invalidate(accessToken string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cached := c.tok.open(); cached != nil && cached.AccessToken == accessToken {
		c.tok = nil
	}
}

// fetch runs one fetch, with retries, under its own bounded context that
// no caller can cancel, so a caller that gives up does not fail the others
// and a background refresh outlives the call that started it.
func (c *ClientCredentials) fetch(call *fetchCall) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.FetchTimeout)
	defer cancel()
	tok, lifetime, err := c.fetchRecovering(ctx)
	c.mu.Lock()
	if err == nil {
		c.tok = seal(tok)
		margin := min(maxMargin, lifetime/5)
		c.refresh = tok.Expiry.Add(-margin)
		c.lastErr, c.retryAt = nil, time.Time{}
	} else {
		c.lastErr, c.retryAt = err, c.cfg.Now().Add(RefreshRetryInterval)
	}
	c.inflight = nil
	c.mu.Unlock()
	if err != nil && call.background {
		c.logAt(slog.LevelWarn, "background token refresh failed; using the cached token until it expires", slog.String("error", err.Error()))
	}
	call.tok, call.err = seal(tok), err
	close(call.done)
}

// fetchRecovering is fetchWithRetry turning a panic (of Config.HTTPClient's
// transport, say), which would otherwise kill the process from this
// package's goroutine, into an error for the callers.
func (c *ClientCredentials) fetchRecovering(ctx context.Context) (tok *Token, lifetime time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg := scrubSecret(fmt.Sprint(r), c.secret.open())
			err = &TokenError{TokenURL: c.TokenURL(), Err: fmt.Errorf("%w: %s", ErrTransportPanicked, msg)}
			tok, lifetime = nil, 0
		}
	}()
	return c.fetchWithRetry(ctx)
}

// ErrTransportPanicked is matched by errors.Is for a *TokenError whose
// request panicked, typically in a RoundTripper of Config.HTTPClient. The
// token fetch runs in a goroutine of this package (so concurrent callers
// can share it), where nobody could recover the panic: it is recovered
// there and returned to every caller waiting for that fetch as an error
// holding the panic's value (with the client secret replaced), and is not
// retried.
var ErrTransportPanicked = errors.New("panic during the token request")

var (
	errNotMade    = errors.New("airbyte: auth.ClientCredentials must be made with NewClientCredentials")
	errNilContext = errors.New("airbyte: nil context; use context.Background() or context.TODO()")
	errNoToken    = errors.New("airbyte: the token source returned neither a token nor an error")
)

func (c *ClientCredentials) fetchWithRetry(ctx context.Context) (*Token, time.Duration, error) {
	backoff := 200 * time.Millisecond
	var lastErr error
	for attempt := 1; attempt <= fetchAttempts; attempt++ {
		tok, lifetime, delay, err := c.fetchOnce(ctx)
		if err == nil {
			return tok, lifetime, nil
		}
		lastErr = err
		var te *TokenError
		if !errors.As(err, &te) || !te.Temporary() || attempt == fetchAttempts {
			break
		}
		if delay < 0 {
			delay = backoff + time.Duration(rand.Int64N(int64(backoff)))
			backoff *= 2
		}
		if deadline, ok := ctx.Deadline(); ok && delay > time.Until(deadline) {
			c.log("token request failed; the delay before a retry exceeds the deadline", slog.Int("attempt", attempt), slog.Int("status", te.StatusCode), slog.Duration("wait", delay))
			break
		}
		c.log("token request failed; retrying", slog.Int("attempt", attempt), slog.Int("status", te.StatusCode), slog.Duration("wait", delay))
		if c.sleep(ctx, delay) != nil {
			break
		}
	}
	return nil, 0, lastErr
}

func (c *ClientCredentials) log(msg string, attrs ...slog.Attr) {
	c.logAt(slog.LevelDebug, msg, attrs...)
}

func (c *ClientCredentials) logAt(level slog.Level, msg string, attrs ...slog.Attr) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.LogAttrs(context.Background(), level, msg, append(attrs, slog.String("token_url", c.tokenURL.String()))...)
	}
}

// fetchOnce makes one token request. It returns the token and its
// lifetime, or the wait the server asked for before a retry (Retry-After;
// negative when it gave none) and the error.
func (c *ClientCredentials) fetchOnce(ctx context.Context) (*Token, time.Duration, time.Duration, error) {
	grant := generated.ApplicationTokenRequestWithGrantGrantTypeClientCredentials
	body := generated.CreateAccessTokenJSONRequestBody{ClientId: c.cfg.ClientID, ClientSecret: c.secret.open(), GrantType: &grant}
	setURL := func(_ context.Context, req *http.Request) error {
		req.URL = c.tokenURL
		req.Host = c.tokenURL.Host
		req.Header.Set("Accept", "application/json")
		return nil
	}
	tokenURL := c.tokenURL.String()
	fail := func(status int, d problem.Details, err error) (*Token, time.Duration, time.Duration, error) {
		return nil, 0, -1, &TokenError{TokenURL: tokenURL, StatusCode: status, Problem: sanitizeProblem(d, c.secret.open()), Err: err}
	}
	started := c.cfg.Now()
	raw, err := c.api.ClientInterface.CreateAccessToken(ctx, body, setURL)
	if err != nil {
		return fail(0, problem.Details{}, scrub(err, c.tokenURL))
	}
	data, err := io.ReadAll(io.LimitReader(raw.Body, maxTokenBody))
	raw.Body.Close()
	status, contentType := raw.StatusCode, raw.Header.Get("Content-Type")
	if err != nil {
		return fail(status, problem.Details{}, fmt.Errorf("reading the answer: %w", scrub(err, c.tokenURL)))
	}
	if status != http.StatusOK {
		te := &TokenError{TokenURL: tokenURL, StatusCode: status, Problem: sanitizeProblem(problem.Parse(status, contentType, data), c.secret.open())}
		if te.Problem.HTML && status >= 500 {
			te.Err = errors.New("the gateway answered with an HTML page")
		}
		delay := time.Duration(-1)
		if w, ok := wait.RetryAfter(raw.Header.Get("Retry-After"), c.cfg.Now()); ok {
			delay = w
		}
		return nil, 0, delay, te
	}
	if d := problem.Parse(status, contentType, data); d.HTML {
		return fail(status, d, errors.New("token endpoint answered HTML, not JSON: is the base URL right?"))
	}
	answer, err := parseTokenAnswer(data)
	if err != nil {
		return fail(status, problem.Details{}, err)
	}
	if tt := answer.tokenType; tt != "" && !strings.EqualFold(tt, "Bearer") {
		tt = scrubSecret(scrubSecret(tt, c.secret.open()), answer.accessToken)
		return fail(status, problem.Details{}, fmt.Errorf("unexpected token_type %q; want Bearer", tt))
	}
	access := answer.accessToken
	lifetime := answer.lifetime
	var expiry time.Time
	switch {
	case lifetime > 0:
		expiry = started.Add(lifetime)
	default:
		if exp, ok := jwtExpiry(access); ok && exp.After(started) {
			lifetime = min(exp.Sub(started), MaxLifetime)
			expiry = started.Add(lifetime)
		} else {
			lifetime = DefaultLifetime
			expiry = started.Add(lifetime)
		}
	}
	c.log("fetched access token", slog.Duration("lifetime", lifetime))
	return &Token{AccessToken: access, TokenType: "Bearer", Expiry: expiry}, lifetime, 0, nil
}

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
	if err != nil || math.IsNaN(f) || f <= 0 {
		return time.Time{}, false
	}
	// Past year 30 million the value overflows int64 nanoseconds; the
	// lifetime is capped at MaxLifetime anyway.
	return time.Unix(int64(min(f, 1e15)), 0), true
}
