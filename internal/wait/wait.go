// Package wait holds the two waiting primitives the client and package auth
// share: a context-aware sleep and the parsing of Retry-After headers.
package wait

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps what RetryAfter returns, so a huge header cannot
// overflow a time.Duration.
const MaxRetryAfter = 24 * time.Hour

// Sleep waits d, or until ctx is done, and returns ctx's error then.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryAfter reads a Retry-After header value, delay seconds or an HTTP
// date, relative to now. ok is false when the value is absent or invalid;
// a date in the past is (0, true): retry at once. A wait beyond
// MaxRetryAfter, including a number of seconds that overflows int64 such
// as 99999999999999999999, is (MaxRetryAfter, true), so a caller compares
// it with its own maximum like any long wait.
// Delay seconds are 1*DIGIT (RFC 9110, section 10.2.3), with no upper
// bound and no sign.
func RetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if digits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		// A number of seconds too large for int64 is a very long wait,
		// not garbage: it is capped like any other long wait.
		if err != nil || s > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(s) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), MaxRetryAfter), true
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
