package airbyte

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/seed83f33fd3/airbyte-go/auth"
	"github.com/seed83f33fd3/airbyte-go/generated"
	"github.com/seed83f33fd3/airbyte-go/internal/endpoint"
	"github.com/seed83f33fd3/airbyte-go/internal/wait"
)

// CloudURL is the base URL of the Airbyte Cloud API, the default server.
const CloudURL = auth.CloudURL

// Client is an Airbyte API client. It is safe for concurrent use.
//
// A Client holds no credentials of its own (they live in its token
// source), so printing it with fmt shows none.
type Client struct {
	api    *generated.ClientWithResponses
	src    auth.TokenSource
	server string
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	check  *configCheck // nil without WithConfigValidator

	// The typed operations, one service per area of the API (generated,
	// services.gen.go).
	Applications                 *ApplicationsService
	Connections                  *ConnectionsService
	ConnectorDefinitions         *ConnectorDefinitionsService
	Dataplanes                   *DataplanesService
	DeclarativeSourceDefinitions *DeclarativeSourceDefinitionsService
	DestinationDefinitions       *DestinationDefinitionsService
	Destinations                 *DestinationsService
	Embedded                     *EmbeddedService
	Groups                       *GroupsService
	Jobs                         *JobsService
	OAuth                        *OAuthService
	Organizations                *OrganizationsService
	Permissions                  *PermissionsService
	Regions                      *RegionsService
	Root                         *RootService
	SourceDefinitions            *SourceDefinitionsService
	Sources                      *SourcesService
	Streams                      *StreamsService
	Tags                         *TagsService
	Users                        *UsersService
	Workspaces                   *WorkspacesService
}

type settings struct {
	server       string
	clientID     string
	clientSecret string
	tokenURL     string
	token        string
	source       auth.TokenSource
	httpClient   *http.Client
	policy       RetryPolicy
	timeout      time.Duration
	userAgent    string
	logger       *slog.Logger
	logBodies    bool
	allowHTTP    bool
	now          func() time.Time
	sleep        func(ctx context.Context, d time.Duration) error
	// configValidator checks configurations before they are sent.
	configValidator ConfigValidator
	// maxAnswer bounds the answers read: MaxAnswerSize (tests lower it).
	maxAnswer int64
}

// An Option configures a Client; make one with the With... functions or
// FromEnv. Options apply in order; of the credential options
// (WithClientCredentials, WithToken, WithTokenSource, FromEnv) the last
// one wins. The zero Option is refused by NewClient.
type Option struct {
	apply func(*settings) error
}

func option(f func(*settings) error) Option { return Option{apply: f} }

// WithServerURL sets the API base URL: CloudURL (the default) or
// <webapp>/api/public/v1 for a self-managed installation.
func WithServerURL(u string) Option {
	return option(func(s *settings) error {
		if u == "" {
			return errors.New("airbyte: WithServerURL: empty URL")
		}
		s.server = strings.TrimSuffix(u, "/")
		return nil
	})
}

// WithClientCredentials authenticates with an application's client ID and
// secret; tokens are fetched and refreshed as needed.
func WithClientCredentials(clientID, clientSecret string) Option {
	return option(func(s *settings) error {
		if clientID == "" || clientSecret == "" {
			return errors.New("airbyte: WithClientCredentials: client ID and secret must both be set")
		}
		s.clientID, s.clientSecret, s.tokenURL, s.token, s.source = clientID, clientSecret, "", "", nil
		return nil
	})
}

// WithToken authenticates with a fixed access token (one made in the web
// app). It is never refreshed; when it expires calls fail with
// ErrUnauthorized.
func WithToken(token string) Option {
	return option(func(s *settings) error {
		if token == "" {
			return errors.New("airbyte: WithToken: empty token")
		}
		s.token, s.clientID, s.clientSecret, s.source = token, "", "", nil
		return nil
	})
}

// WithTokenSource authenticates with any token source.
func WithTokenSource(src auth.TokenSource) Option {
	return option(func(s *settings) error {
		if isNil(src) {
			return fmt.Errorf("airbyte: WithTokenSource: nil source (%T)", src)
		}
		s.source, s.clientID, s.clientSecret, s.token = src, "", "", ""
		return nil
	})
}

// WithHTTPClient sends requests with a copy of c (c itself is never
// modified); its Transport is wrapped with authentication, and its
// CheckRedirect runs after the client's own check, which refuses
// redirects that would carry the request body or an Authorization header
// to another origin or down to plain http (ErrRedirectRefused).
func WithHTTPClient(c *http.Client) Option {
	return option(func(s *settings) error {
		if c == nil {
			return errors.New("airbyte: WithHTTPClient: nil client")
		}
		s.httpClient = c // NewClient works on a copy
		return nil
	})
}

// WithRetryPolicy replaces DefaultRetryPolicy().
func WithRetryPolicy(p RetryPolicy) Option {
	return option(func(s *settings) error {
		if p.MaxAttempts < 1 || p.InitialBackoff < 0 || p.MaxBackoff < p.InitialBackoff {
			return fmt.Errorf("airbyte: WithRetryPolicy: invalid policy %+v", p)
		}
		s.policy = p
		return nil
	})
}

// WithTimeout bounds each HTTP attempt (not the whole call with its
// retries; use the context for that).
func WithTimeout(d time.Duration) Option {
	return option(func(s *settings) error {
		if d <= 0 {
			return errors.New("airbyte: WithTimeout: timeout must be positive")
		}
		s.timeout = d
		return nil
	})
}

// WithUserAgent replaces DefaultUserAgent().
func WithUserAgent(ua string) Option {
	return option(func(s *settings) error { s.userAgent = ua; return nil })
}

// WithLogger logs each request at debug level: method, URL without query,
// status, attempt and duration. Authorization headers and secrets are never
// logged.
func WithLogger(l *slog.Logger) Option {
	return option(func(s *settings) error { s.logger = l; return nil })
}

// WithBodyLogging also logs request and response bodies, with
// secret-looking keys (password, secret, token, key, credentials …)
// masked. It needs WithLogger.
func WithBodyLogging() Option {
	return option(func(s *settings) error { s.logBodies = true; return nil })
}

// WithInsecureHTTP allows sending credentials over plain http:// to a host
// that is not a loopback address. Without it, NewClient refuses such a
// server URL, whatever the credentials.
func WithInsecureHTTP() Option {
	return option(func(s *settings) error { s.allowHTTP = true; return nil })
}

// FromEnv reads the server URL and credentials from the environment:
// AIRBYTE_ACCESS_TOKEN for a static token, or AIRBYTE_CLIENT_ID and
// AIRBYTE_CLIENT_SECRET (with optional AIRBYTE_TOKEN_URL); AIRBYTE_API_URL
// when set replaces the server URL. Like every option it only records
// settings, so its place among the options does not matter beyond the
// rule that a later option overrides an earlier one: the token source is
// built by NewClient with the final server URL, HTTP client and logger.
func FromEnv() Option { return FromEnvFunc(os.Getenv) }

// FromEnvFunc is FromEnv with a lookup function of the caller's, for tests.
func FromEnvFunc(getenv func(string) string) Option {
	return option(func(s *settings) error {
		cfg, tok, err := auth.ConfigFromEnv(getenv)
		if err != nil {
			return err
		}
		if cfg.ServerURL != "" {
			s.server = strings.TrimSuffix(cfg.ServerURL, "/")
		}
		s.clientID, s.clientSecret, s.tokenURL, s.token, s.source = cfg.ClientID, cfg.ClientSecret, cfg.TokenURL, tok, nil
		return nil
	})
}

// NewClient returns a client configured by opts. It makes no request.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{maxAnswer: MaxAnswerSize, server: CloudURL, policy: DefaultRetryPolicy(), userAgent: DefaultUserAgent(), now: time.Now, sleep: wait.Sleep}
	for i, o := range opts {
		if o.apply == nil {
			return nil, fmt.Errorf("airbyte: NewClient: option %d of %d is the zero Option; make options with the With... functions", i+1, len(opts))
		}
		if err := o.apply(&s); err != nil {
			return nil, err
		}
	}
	serverURL, err := endpoint.Check("server URL", s.server, s.allowHTTP, auth.ErrInsecureHTTP)
	if err != nil {
		if errors.Is(err, auth.ErrInsecureHTTP) {
			return nil, fmt.Errorf("%w, or WithInsecureHTTP on a network you trust", err)
		}
		return nil, err
	}
	src := s.source
	switch {
	case s.clientID != "":
		cc, err := auth.NewClientCredentials(auth.Config{ClientID: s.clientID, ClientSecret: s.clientSecret, ServerURL: s.server, TokenURL: s.tokenURL, HTTPClient: s.httpClient, AllowInsecureHTTP: s.allowHTTP, Logger: s.logger})
		if err != nil {
			return nil, err
		}
		src = cc
	case s.token != "":
		src = auth.StaticToken(s.token)
	}
	if src == nil {
		return nil, fmt.Errorf("%w: use WithClientCredentials, WithToken, WithTokenSource or FromEnv", auth.ErrMissingCredentials)
	}
	_, refreshable := src.(auth.Invalidator)
	hc := &http.Client{}
	if s.httpClient != nil {
		copied := *s.httpClient
		hc = &copied
	}
	if s.timeout > 0 {
		hc.Timeout = s.timeout
	}
	hc.CheckRedirect = checkRedirect(hc.CheckRedirect)
	hc.Transport = &auth.Transport{Source: src, BaseURL: s.server, Base: tap{next: hc.Transport}}
	d := &doer{maxAnswer: s.maxAnswer, hc: hc, policy: s.policy, ua: s.userAgent, logger: s.logger, logBodies: s.logBodies, static: !refreshable, now: s.now, sleep: s.sleep}
	var c *Client
	genOpts := []generated.ClientOption{generated.WithHTTPClient(d)}
	if s.configValidator != nil {
		base := strings.TrimSuffix(serverURL.Path, "/")
		check := &configCheck{v: s.configValidator, base: base, client: func() *Client { return c }}
		genOpts = append(genOpts, generated.WithRequestEditorFn(check.edit))
		d.check = check
	}
	api, err := generated.NewClientWithResponses(s.server, genOpts...)
	if err != nil {
		return nil, fmt.Errorf("airbyte: %w", err)
	}
	c = &Client{api: api, src: src, server: s.server, now: s.now, sleep: s.sleep, check: d.check}
	c.initServices()
	return c, nil
}

// isNil reports whether v is nil or an interface holding a nil pointer,
// map, slice, channel or function.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.Interface, reflect.UnsafePointer:
		return r.IsNil()
	}
	return false
}

// ErrNotInitialized is returned by every call made on a Client that was
// not made by NewClient (a zero Client, or a nil *Client).
var ErrNotInitialized = errors.New("airbyte: Client not initialized: create it with NewClient")

// errNilContext is returned by calls given a nil context.
var errNilContext = errors.New("airbyte: nil context: pass context.Background() or a context of your own")

// ready checks the client and the context of a call.
func (c *Client) ready(ctx context.Context) error {
	if c == nil || c.api == nil {
		return ErrNotInitialized
	}
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// failingDoer answers every request with err.
type failingDoer struct{ err error }

func (f failingDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, f.err
}

// API returns the generated client with all of the API's operations,
// authenticated and retried. Its methods return an *APIError for every
// non-2xx answer, so a nil error means success; they need a non-nil
// context. On a Client not made by NewClient, every call returns
// ErrNotInitialized.
func (c *Client) API() *generated.ClientWithResponses {
	if c == nil || c.api == nil {
		api, _ := generated.NewClientWithResponses(CloudURL, generated.WithHTTPClient(failingDoer{ErrNotInitialized}))
		return api
	}
	return c.api
}

// TokenSource returns the source of the client's access tokens, for a
// caller that needs a token for another tool, or wants to fetch one early
// to check the credentials. Tokens are secrets: do not log them. It is nil
// on a Client not made by NewClient.
func (c *Client) TokenSource() auth.TokenSource {
	if c == nil {
		return nil
	}
	return c.src
}

// ServerURL returns the API base URL the client talks to ("" on a Client
// not made by NewClient).
func (c *Client) ServerURL() string {
	if c == nil {
		return ""
	}
	return c.server
}

// String describes the client by its server URL; it never shows a
// credential, whatever the token source holds.
func (c Client) String() string { return fmt.Sprintf("airbyte.Client{server: %q}", c.server) }

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints String under every verb (quoted for %q), so that no verb
// reaches the token source by reflection.
func (c Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	io.WriteString(f, c.String())
}

// LogValue logs the server URL only.
func (c Client) LogValue() slog.Value { return slog.GroupValue(slog.String("server", c.server)) }
