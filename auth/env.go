package auth

import (
	"fmt"
	"os"
)

// Environment variables read by FromEnv.
const (
	// EnvClientID holds an application's client ID.
	EnvClientID = "AIRBYTE_CLIENT_ID"
	// EnvClientSecret holds an application's client secret.
	EnvClientSecret = "AIRBYTE_CLIENT_SECRET"
	// EnvAPIURL holds the API base URL; Airbyte Cloud when unset.
	EnvAPIURL = "AIRBYTE_API_URL"
	// EnvTokenURL optionally overrides the token endpoint.
	EnvTokenURL = "AIRBYTE_TOKEN_URL"
	// EnvAccessToken holds a static access token made in the web app.
	EnvAccessToken = "AIRBYTE_ACCESS_TOKEN"
)

// FromEnv builds a token source from the environment: AIRBYTE_ACCESS_TOKEN
// for a static token, or AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET for
// client credentials (with optional AIRBYTE_TOKEN_URL). AIRBYTE_API_URL
// sets the API base URL (Airbyte Cloud when unset), which is returned too.
// getenv is os.Getenv when nil.
func FromEnv(getenv func(string) string) (TokenSource, string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	server := getenv(EnvAPIURL)
	if server == "" {
		server = CloudURL
	}
	if tok := getenv(EnvAccessToken); tok != "" {
		u, err := checkURL(EnvAPIURL, server, false)
		if err != nil {
			return nil, "", err
		}
		return StaticToken(tok), u.String(), nil
	}
	id, secret := getenv(EnvClientID), getenv(EnvClientSecret)
	if id == "" || secret == "" {
		var missing string
		switch {
		case id == "" && secret == "":
			missing = EnvClientID + " and " + EnvClientSecret
		case id == "":
			missing = EnvClientID
		default:
			missing = EnvClientSecret
		}
		return nil, "", fmt.Errorf("%w: set %s (or %s for a static token)", ErrMissingCredentials, missing, EnvAccessToken)
	}
	src, err := NewClientCredentials(Config{ClientID: id, ClientSecret: secret, ServerURL: server, TokenURL: getenv(EnvTokenURL)})
	if err != nil {
		return nil, "", err
	}
	return src, src.ServerURL(), nil
}
