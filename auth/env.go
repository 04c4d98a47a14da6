package auth

import (
	"fmt"
	"os"
)

// Environment variables read by ConfigFromEnv.
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

// ConfigFromEnv is the package's one environment reader (the client's
// airbyte.FromEnv option uses it). It reads AIRBYTE_API_URL into cfg.ServerURL
// (left empty when unset), then either AIRBYTE_ACCESS_TOKEN, returned as
// accessToken, or AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET and the optional
// AIRBYTE_TOKEN_URL into cfg. The error names what is missing, or what is
// wrong with AIRBYTE_API_URL or AIRBYTE_TOKEN_URL (their syntax only: plain
// http is for NewClientCredentials to judge). getenv is os.Getenv when nil.
//
//	cfg, token, err := auth.ConfigFromEnv(nil)
//	if err != nil { ... }
//	var src auth.TokenSource = auth.StaticToken(token)
//	if token == "" {
//		if src, err = auth.NewClientCredentials(cfg); err != nil { ... }
//	}
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
