package apitime

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is a length of time written as an ISO 8601 duration, the way
// Java's Duration.toString() writes it: "PT2M5S", "PT25H1M1S", "PT0.5S",
// "PT0S". The zero value is a zero duration.
type Duration struct {
	time.Duration
}

// ParseDuration reads an ISO 8601 duration of days, hours, minutes and
// seconds, as java.time.Duration.parse does: an optional sign, "P", an
// optional "<n>D", then "T" and any of "<n>H", "<n>M", "<n.f>S", each
// optionally signed. Years, months and weeks have no fixed length and are
// refused, as are values beyond time.Duration's range (about 292 years).
func ParseDuration(s string) (Duration, error) {
	bad := func(why string) (Duration, error) {
		return Duration{}, fmt.Errorf("apitime: %q is not an ISO 8601 duration: %s", s, why)
	}
	rest := s
	neg := false
	switch {
	case strings.HasPrefix(rest, "-"):
		neg, rest = true, rest[1:]
	case strings.HasPrefix(rest, "+"):
		rest = rest[1:]
	}
	if !strings.HasPrefix(rest, "P") && !strings.HasPrefix(rest, "p") {
		return bad("it does not start with P")
	}
	rest = rest[1:]
	var total int64 // nanoseconds
	seenT, found := false, false
	order := "D"
	for rest != "" {
		if rest[0] == 'T' || rest[0] == 't' {
			if seenT {
				return bad("T appears twice")
			}
			seenT, rest, order = true, rest[1:], "HMS"
			if rest == "" {
				return bad("nothing follows T")
			}
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] == '-' || rest[i] == '+' || rest[i] == '.' || rest[i] == ',' || (rest[i] >= '0' && rest[i] <= '9')) {
			i++
		}
		if i == 0 || i == len(rest) {
			return bad("a number must be followed by a unit")
		}
		num, unit := strings.Replace(rest[:i], ",", ".", 1), strings.ToUpper(rest[i:i+1])
		rest = rest[i+1:]
		pos := strings.Index(order, unit)
		if pos < 0 {
			if !seenT && unit != "D" || seenT && unit == "D" {
				return bad("unit " + unit + " is out of place (only D before T; H, M, S after it)")
			}
			return bad("unit " + unit + " is repeated or out of order")
		}
		order = order[pos+1:]
		if unit != "S" && strings.Contains(num, ".") {
			return bad("only seconds may have a fraction")
		}
		v, ok := component(num, unit)
		if !ok {
			return bad("bad number " + strconv.Quote(num) + unit)
		}
		sum, ok := add(total, v)
		if !ok {
			return bad("it is longer than time.Duration can hold")
		}
		total, found = sum, true
	}
	if !found {
		return bad("it has no value")
	}
	if neg {
		if total == math.MinInt64 {
			return bad("it is longer than time.Duration can hold")
		}
		total = -total
	}
	return Duration{time.Duration(total)}, nil
}

// component converts one signed number with its unit to nanoseconds,
// exactly (seconds keep up to nine fractional digits, more are cut).
func component(num, unit string) (int64, bool) {
	neg := false
	switch {
	case strings.HasPrefix(num, "-"):
		neg, num = true, num[1:]
	case strings.HasPrefix(num, "+"):
		num = num[1:]
	}
	whole, frac, _ := strings.Cut(num, ".")
	if whole == "" || strings.ContainsAny(whole+frac, "+-.") {
		return 0, false
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	scale := map[string]int64{"D": int64(24 * time.Hour), "H": int64(time.Hour), "M": int64(time.Minute), "S": int64(time.Second)}[unit]
	if n > math.MaxInt64/scale {
		return 0, false
	}
	v := n * scale
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		f, err := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil {
			return 0, false
		}
		if v > math.MaxInt64-f {
			return 0, false
		}
		v += f
	}
	if neg {
		v = -v
	}
	return v, true
}

// add adds two nanosecond counts, reporting overflow.
func add(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// String writes d as java.time.Duration.toString() does: "PT0S" for zero,
// otherwise hours, minutes and seconds with the parts that are zero left
// out, and a fraction of a second without trailing zeros.
func (d Duration) String() string {
	if d.Duration == 0 {
		return "PT0S"
	}
	v := d.Duration
	// Java writes each part with the sign of the whole: PT-1H-2M-3.5S.
	sign := ""
	if v < 0 {
		sign = "-"
	}
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	hours := abs(int64(v / time.Hour))
	minutes := abs(int64(v % time.Hour / time.Minute))
	nanos := abs(int64(v % time.Minute))
	var b strings.Builder
	b.WriteString("PT")
	if hours != 0 {
		fmt.Fprintf(&b, "%s%dH", sign, hours)
	}
	if minutes != 0 {
		fmt.Fprintf(&b, "%s%dM", sign, minutes)
	}
	if nanos != 0 {
		secs := nanos / int64(time.Second)
		frac := nanos % int64(time.Second)
		fmt.Fprintf(&b, "%s%d", sign, secs)
		if frac != 0 {
			b.WriteString(strings.TrimRight(fmt.Sprintf(".%09d", frac), "0"))
		}
		b.WriteString("S")
	}
	return b.String()
}

// MarshalJSON writes d as a JSON string in the form String gives.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(d.String())), nil
}

// UnmarshalJSON reads a JSON string in any form ParseDuration accepts.
// JSON null leaves d unchanged.
func (d *Duration) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var s string
	if len(data) < 2 || data[0] != '"' || json.Unmarshal(data, &s) != nil {
		return errors.New("apitime: duration is not a JSON string")
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes d in the form String gives.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads any form ParseDuration accepts.
func (d *Duration) UnmarshalText(data []byte) error {
	v, err := ParseDuration(string(data))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
