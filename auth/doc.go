// Package auth supplies credentials for the Airbyte API: access tokens from
// an application's client credentials, static tokens, HTTP basic
// credentials and tokens of golang.org/x/oauth2, and an http.RoundTripper
// that adds them to the API's requests.
//
// Airbyte access tokens live minutes (900 seconds by default, as the server
// is configured). ClientCredentials exchanges an application's client ID
// and secret for tokens at POST <API base>/applications/token, caches each
// token, refreshes it shortly before it expires, and lets any number of
// concurrent callers share a single fetch. Transport adds the token to
// requests for the API, refreshes it on a 401 and replays the request once.
//
// # Usage
//
//	src, err := auth.NewClientCredentials(auth.Config{
//		ClientID:     os.Getenv("AIRBYTE_CLIENT_ID"),
//		ClientSecret: os.Getenv("AIRBYTE_CLIENT_SECRET"),
//		// ServerURL defaults to Airbyte Cloud; self-managed:
//		// ServerURL: "https://airbyte.example.com/api/public/v1",
//	})
//	if err != nil { ... }
//	httpClient := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: src.ServerURL()}}
//
// ConfigFromEnv is the one reader of the environment (AIRBYTE_CLIENT_ID,
// AIRBYTE_CLIENT_SECRET, AIRBYTE_ACCESS_TOKEN, AIRBYTE_API_URL,
// AIRBYTE_TOKEN_URL); the client's airbyte.FromEnv option uses it.
//
// # Authentication
//
// The token URL is the API base URL with /applications/token appended to
// its path, so a self-managed base such as
// https://airbyte.example.com/api/public/v1 gives
// https://airbyte.example.com/api/public/v1/applications/token (resolving
// the path as a reference would drop /api/public/v1). Server and token URLs
// must be absolute http(s) URLs without user info, query or fragment; plain
// http is refused (ErrInsecureHTTP) except to loopback hosts or with
// Config.AllowInsecureHTTP.
//
// Other credentials are TokenSources too: StaticToken for a token made in
// the web app (never refreshed), BasicAuth for an installation behind HTTP
// basic authentication, and FromOAuth2 for any golang.org/x/oauth2 token
// source (OAuth2TokenSource is the reverse). Transport sends each token
// with its type ("Authorization: Bearer ..." or "Basic ...") to the API
// base URL only, never to another origin, redirects included. A proxy that
// needs its own credential beside the API's (Google IAP reads an ID token
// from Proxy-Authorization) is served by a RoundTripper of the user's as
// Transport.Base; see the example of Transport.
//
// # Refresh
//
// While the cached token is valid, Token returns it at once. Inside the
// refresh margin (a fifth of the lifetime, at most a minute) Token still
// returns it and starts one refresh in the background, under its own
// FetchTimeout and never under a caller's context, so a slow or failing
// token endpoint delays nobody while the token works. A failed refresh is
// logged at slog.LevelWarn to Config.Logger (never with a secret) and
// tried again no sooner than RefreshRetryInterval; callers see the failure
// only once the token has expired and a new fetch fails too. expires_in is
// read as seconds, a JSON number (fractions kept) or a string spelling
// one; lifetimes are capped at MaxLifetime (24 hours) so a huge value
// cannot overflow.
//
// # Errors
//
// A failed fetch is a *TokenError whose Problem summarizes the error body.
// Rejected credentials match ErrCredentialsRejected with errors.Is, also
// when Transport meets them refreshing a token after the API answered 401
// (Transport then returns that error rather than the 401). A panic during
// a fetch (in a RoundTripper of Config.HTTPClient, say) happens in this
// package's goroutine, where nobody could recover it; it is recovered and
// returned to every waiting caller as a *TokenError matching
// ErrTransportPanicked. Nil and zero inputs (a zero ClientCredentials, a
// nil or typed-nil TokenSource, a nil context, a zero Transport) give
// errors, not panics.
//
// # Secrets
//
// Secrets never appear in errors, logs or formatted values: Token, Config,
// ClientCredentials, TokenError and the sources of StaticToken, BasicAuth
// and FromOAuth2 implement fmt.Formatter and slog.LogValuer, so every verb
// (%v, %+v, %#v, %s, %q, %d, %x, ...) prints them redacted, as values or
// pointers, alone or inside maps, slices and structs. Token, Config and
// TokenError also marshal to JSON redacted, so slog's JSON handler shows
// no secret when they sit inside a map, slice or struct (to keep a token,
// store its AccessToken yourself). The sources keep their secrets behind
// functions, which fmt prints as addresses, so even a source held in an
// unexported field of your own struct prints none. One limit is fmt's: %p
// of a non-pointer Token or Config prints its fields without asking it.
// A TokenError masks secret-looking fields of the token endpoint's problem
// body and any echo of the secret.
//
// API reference: https://reference.airbyte.com/reference/createaccesstoken
package auth
