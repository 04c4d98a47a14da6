package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxLifetime caps the lifetime of a token, whatever the token endpoint
// states in expires_in or the token's exp claim: a huge or overflowing value
// (1e10 seconds, MaxInt64) counts as a day, so the token is still refreshed
// daily and its expiry never overflows into the past.
const MaxLifetime = 24 * time.Hour

// tokenAnswer is a decoded token response.
type tokenAnswer struct {
	accessToken string
	tokenType   string // "" when the answer states none
	// lifetime is what expires_in states, capped at MaxLifetime; 0 when
	// it is absent, null, zero or negative.
	lifetime time.Duration
}

// jsonNumber is the grammar of a JSON number, also accepted inside a string
// ("900").
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// errNotTokenAnswer reports an answer without an access token. No error of
// parseTokenAnswer quotes the answer: it holds the token.
var errNotTokenAnswer = errors.New("the answer is not a token response")

// parseTokenAnswer decodes a 200 answer of the token endpoint. expires_in
// may be a JSON number, integral or not (899.5), or a string spelling one
// ("900"); anything else is an error that quotes nothing.
func parseTokenAnswer(data []byte) (tokenAnswer, error) {
	var raw struct {
		AccessToken json.RawMessage `json:"access_token"`
		TokenType   json.RawMessage `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if json.Unmarshal(data, &raw) != nil {
		return tokenAnswer{}, errNotTokenAnswer
	}
	var a tokenAnswer
	if json.Unmarshal(raw.AccessToken, &a.accessToken) != nil || a.accessToken == "" {
		return tokenAnswer{}, errNotTokenAnswer
	}
	if len(raw.TokenType) > 0 && !isNull(raw.TokenType) && json.Unmarshal(raw.TokenType, &a.tokenType) != nil {
		return tokenAnswer{}, errors.New("the token answer's token_type is not a string")
	}
	lifetime, err := parseExpiresIn(raw.ExpiresIn)
	if err != nil {
		return tokenAnswer{}, err
	}
	a.lifetime = lifetime
	return a, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// parseExpiresIn reads expires_in: seconds as a JSON number or a string
// spelling one, capped at MaxLifetime; 0 when absent, null, zero or
// negative.
func parseExpiresIn(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || isNull(raw) {
		return 0, nil
	}
	text := string(bytes.TrimSpace(raw))
	if strings.HasPrefix(text, `"`) {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, errors.New("the token answer's expires_in is not a number of seconds")
		}
		text = strings.TrimSpace(s)
	}
	if !jsonNumber.MatchString(text) {
		return 0, errors.New("the token answer's expires_in is not a number of seconds")
	}
	secs, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("the token answer's expires_in is not a number of seconds: %w", err)
	}
	// ErrRange leaves ±Inf for a huge value and ±0 for a tiny one.
	switch {
	case math.IsNaN(secs) || secs <= 0:
		return 0, nil
	case secs >= MaxLifetime.Seconds():
		return MaxLifetime, nil
	}
	return time.Duration(secs * float64(time.Second)), nil
}
