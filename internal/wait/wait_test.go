package wait

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"99999999999999", MaxRetryAfter, true},
		{"99999999999999999999", MaxRetryAfter, true},
		{"9223372036854775808", MaxRetryAfter, true},
		{"-99999999999999999999", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"Mon, 01 Jun 2026 12:00:07 GMT", 7 * time.Second, true},
		{"Mon, 01 Jun 2026 11:59:00 GMT", 0, true},
	} {
		got, ok := RetryAfter(tc.v, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSleepStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if err := Sleep(t.Context(), time.Nanosecond); err != nil {
		t.Errorf("Sleep(1ns) = %v", err)
	}
}

// FuzzRetryAfter checks that no header value makes RetryAfter panic or
// return a wait outside 0..MaxRetryAfter, and that a value made of digits
// only is always a valid wait.
func FuzzRetryAfter(f *testing.F) {
	for _, seed := range []string{"", "0", "3", "99999999999999999999", "-1", "Mon, 01 Jun 2026 12:00:07 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "soon", " 7 "} {
		f.Add(seed)
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := RetryAfter(v, now)
		if d < 0 || d > MaxRetryAfter {
			t.Errorf("RetryAfter(%q) = %v; want 0..%v", v, d, MaxRetryAfter)
		}
		if !ok && d != 0 {
			t.Errorf("RetryAfter(%q) = %v, false; want 0 when not ok", v, d)
		}
		if digits(strings.TrimSpace(v)) && !ok {
			t.Errorf("RetryAfter(%q) not ok; want digits to be a wait", v)
		}
	})
}
