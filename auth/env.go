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

// ConfigFromEnv reads the environment: AIRBYTE_API_URL into cfg.ServerURL
// (left empty when unset), then either AIRBYTE_ACCESS_TOKEN, returned as
// accessToken, or AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET and the optional
// AIRBYTE_TOKEN_URL into cfg. The error names what is missing, or what is
// wrong with AIRBYTE_API_URL or AIRBYTE_TOKEN_URL (their syntax only: plain
// http is for NewClientCredentials to judge). getenv is os.Getenv when nil.
func ConfigFromEnv(getenv func(string) string) (cfg Config, accessToken string, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, name := range []string{EnvAPIURL, EnvTokenURL} {
		if raw := getenv(name); raw != "" {
			if _, err := checkURL(name, raw, true); err != nil {
				return Config{}, "", err
			}
		}
	}
	cfg.ServerURL = getenv(EnvAPIURL)
	if tok := getenv(EnvAccessToken); tok != "" {
		return cfg, tok, nil
	}
	id, secret := getenv(EnvClientID), getenv(EnvClientSecret)
	var missing string
	switch {
	case id == "" && secret == "":
		missing = EnvClientID + " and " + EnvClientSecret
	case id == "":
		missing = EnvClientID
	case secret == "":
		missing = EnvClientSecret
	}
	if missing != "" {
		return Config{}, "", fmt.Errorf("%w: set %s (or %s for a static token)", ErrMissingCredentials, missing, EnvAccessToken)
	}
	cfg.ClientID, cfg.ClientSecret, cfg.TokenURL = id, secret, getenv(EnvTokenURL)
	return cfg, "", nil
}

// FromEnv builds a token source from the environment: AIRBYTE_ACCESS_TOKEN
// for a static token, or AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET for
// client credentials (with optional AIRBYTE_TOKEN_URL). AIRBYTE_API_URL
// sets the API base URL (Airbyte Cloud when unset), which is returned too.
// getenv is os.Getenv when nil.
func FromEnv(getenv func(string) string) (TokenSource, string, error) {
	cfg, tok, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, "", err
	}
	if cfg.ServerURL == "" {
		cfg.ServerURL = CloudURL
	}
	if tok != "" {
		u, err := checkURL(EnvAPIURL, cfg.ServerURL, false)
		if err != nil {
			return nil, "", err
		}
		return StaticToken(tok), u.String(), nil
	}
	src, err := NewClientCredentials(cfg)
	if err != nil {
		return nil, "", err
	}
	return src, src.ServerURL(), nil
}
