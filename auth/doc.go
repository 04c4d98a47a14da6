// Package auth supplies bearer tokens for the Airbyte API.
//
// Airbyte access tokens live minutes (900 seconds by default, as the server
// is configured). ClientCredentials exchanges an application's client ID
// and secret for tokens at POST <API base>/applications/token, caches each
// token until shortly before it expires, and lets any number of concurrent
// callers share a single refresh. Transport adds the token to requests for
// the API, refreshes it on a 401 and replays the request once.
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
// # Authentication
//
// The token URL is the API base URL with /applications/token appended to
// its path, so a self-managed base such as
// https://airbyte.example.com/api/public/v1 gives
// https://airbyte.example.com/api/public/v1/applications/token (resolving
// the path as a reference would drop /api/public/v1). A token made in the
// web app can be used with StaticToken; it is never refreshed.
//
// Secrets never appear in errors, logs or formatted values: Config and
// ClientCredentials redact the client secret in String, GoString and
// LogValue, Token redacts its value, and a TokenError masks secret-looking
// fields of the token endpoint's problem body and any echo of the secret.
// Rejected credentials match ErrCredentialsRejected with errors.Is.
//
// API reference: https://reference.airbyte.com/reference/createaccesstoken
package auth
