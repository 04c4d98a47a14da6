package apitime

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Time is a timestamp as the Airbyte server writes it. The zero value is
// the zero time.Time.
type Time struct {
	time.Time
}

// layouts are tried in order when parsing. time.Parse accepts fractional
// seconds after the seconds field even when the layout has none, so the
// first layout reads "…T09:00:11Z" and "…T09:00:11.123456789+02:00" alike.
//
// Java's OffsetDateTime.toString() (java.time.LocalTime.toString) writes
// HH:mm and adds :ss only when seconds or nanoseconds are non-zero; its
// offset is "Z", "+HH:MM" or, for offsets with seconds, "+HH:MM:SS".
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z07:00:00",
	"2006-01-02T15:04Z07:00:00",
}

// Parse reads a timestamp in any form the Airbyte server writes: RFC 3339
// (with or without fractional seconds) and Java's OffsetDateTime form
// without seconds ("2026-05-05T09:00Z") or with an offset in seconds.
func Parse(s string) (Time, error) {
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{t}, nil
		}
	}
	return Time{}, fmt.Errorf("apitime: %q is not a timestamp (want RFC 3339, or Java's form without seconds such as 2026-05-05T09:00Z)", s)
}

// String writes t as RFC 3339 with as many fractional digits as needed.
// RFC 3339 offsets have no seconds, so a time whose offset has some is
// written in UTC, the same instant.
func (t Time) String() string {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return t.Format(time.RFC3339Nano)
}

// MarshalJSON writes t as an RFC 3339 JSON string.
func (t Time) MarshalJSON() ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("apitime: year %d outside of [0,9999]", y)
	}
	return []byte(strconv.Quote(t.String())), nil
}

// UnmarshalJSON reads a JSON string in any form Parse accepts. JSON null
// leaves t unchanged, as time.Time does.
func (t *Time) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var s string
	if len(data) < 2 || data[0] != '"' || json.Unmarshal(data, &s) != nil {
		return errors.New("apitime: timestamp is not a JSON string")
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// MarshalText writes t as RFC 3339, for query parameters and map keys.
func (t Time) MarshalText() ([]byte, error) {
	b, err := t.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return b[1 : len(b)-1], nil
}

// UnmarshalText reads any form Parse accepts.
func (t *Time) UnmarshalText(data []byte) error {
	v, err := Parse(string(data))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// JavaString writes t the way the Airbyte server does, with Java's
// OffsetDateTime.toString(): seconds only when they or the fraction are
// non-zero ("2026-05-05T09:00Z"), a fraction in groups of three digits, and
// "Z" for UTC. Fakes and tests use it to answer as the server answers.
func (t Time) JavaString() string {
	var b []byte
	b = t.AppendFormat(b, "2006-01-02T15:04")
	if ns := t.Nanosecond(); t.Second() != 0 || ns != 0 {
		b = t.AppendFormat(b, ":05")
		switch {
		case ns == 0:
		case ns%1_000_000 == 0:
			b = fmt.Appendf(b, ".%03d", ns/1_000_000)
		case ns%1_000 == 0:
			b = fmt.Appendf(b, ".%06d", ns/1_000)
		default:
			b = fmt.Appendf(b, ".%09d", ns)
		}
	}
	_, off := t.Zone()
	switch {
	case off == 0:
		b = append(b, 'Z')
	case off%60 != 0:
		b = t.AppendFormat(b, "-07:00:00")
	default:
		b = t.AppendFormat(b, "-07:00")
	}
	return string(b)
}
