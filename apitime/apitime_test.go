package apitime_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/seed83f33fd3/airbyte-go/apitime"
)

func TestParseServerForms(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("", 2*3600)
	odd := time.FixedZone("", 5*3600+30*60+15)
	tests := []struct {
		in   string
		want time.Time
	}{
		// Java's OffsetDateTime.toString() drops zero seconds.
		{"2026-05-05T09:00Z", time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)},
		{"2026-05-05T09:00+02:00", time.Date(2026, 5, 5, 9, 0, 0, 0, plus2)},
		{"2026-05-05T09:00:11Z", time.Date(2026, 5, 5, 9, 0, 11, 0, time.UTC)},
		{"2026-05-05T09:00:00.5Z", time.Date(2026, 5, 5, 9, 0, 0, 500_000_000, time.UTC)},
		{"2026-05-05T09:00:11.123456789-07:00", time.Date(2026, 5, 5, 9, 0, 11, 123456789, time.FixedZone("", -7*3600))},
		// An offset with seconds, as Java writes one.
		{"2026-05-05T09:00+05:30:15", time.Date(2026, 5, 5, 9, 0, 0, 0, odd)},
		{"2026-05-05T09:00:01+05:30:15", time.Date(2026, 5, 5, 9, 0, 1, 0, odd)},
	}
	for _, tt := range tests {
		got, err := apitime.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("Parse(%q) = %v; want %v", tt.in, got.Time, tt.want)
		}
		var viaJSON apitime.Time
		if err := json.Unmarshal([]byte(`"`+tt.in+`"`), &viaJSON); err != nil || !viaJSON.Equal(tt.want) {
			t.Errorf("json.Unmarshal(%q) = %v, %v; want %v", tt.in, viaJSON.Time, err, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "2026-05-05", "2026-05-05T09Z", "2026-05-05 09:00Z", "yesterday", "2026-05-05T09:00"} {
		if _, err := apitime.Parse(in); err == nil {
			t.Errorf("Parse(%q) succeeded; want an error", in)
		}
	}
	var v apitime.Time
	for _, in := range []string{`123`, `{}`, `"2026-13-01T00:00Z"`} {
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("json.Unmarshal(%s) succeeded; want an error", in)
		}
	}
}

func TestTimeEncodesRFC3339(t *testing.T) {
	t.Parallel()
	in := struct {
		At  apitime.Time  `json:"at"`
		Opt *apitime.Time `json:"opt,omitempty"`
	}{At: apitime.Time{Time: time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"at":"2026-05-05T09:00:00Z"}`; got != want {
		t.Errorf("Marshal = %s; want %s", got, want)
	}
	var null apitime.Time
	if err := json.Unmarshal([]byte(`null`), &null); err != nil || !null.IsZero() {
		t.Errorf("Unmarshal(null) = %v, %v; want zero, nil", null, err)
	}
	if _, err := json.Marshal(apitime.Time{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("Marshal of year 10000 succeeded; want an error")
	}
	txt, err := apitime.Time{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}.MarshalText()
	if err != nil || string(txt) != "2026-01-02T03:04:05Z" {
		t.Errorf("MarshalText = %s, %v", txt, err)
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		out  string // what String writes back; "" means in
	}{
		{"PT0S", 0, ""},
		{"PT2M5S", 2*time.Minute + 5*time.Second, ""},
		{"PT25H1M1S", 25*time.Hour + time.Minute + time.Second, ""},
		{"PT0.5S", 500 * time.Millisecond, ""},
		{"PT1.000000001S", time.Second + 1, ""},
		{"PT4S", 4 * time.Second, ""},
		{"PT1H", time.Hour, ""},
		{"PT-1H-2M-3.5S", -(time.Hour + 2*time.Minute + 3500*time.Millisecond), ""},
		{"-PT1M", -time.Minute, "PT-1M"},
		{"P1DT2H", 26 * time.Hour, "PT26H"},
		{"P2D", 48 * time.Hour, "PT48H"},
		{"PT1,5S", 1500 * time.Millisecond, "PT1.5S"},
		{"PT90S", 90 * time.Second, "PT1M30S"},
	}
	for _, tt := range tests {
		got, err := apitime.ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
			continue
		}
		if got.Duration != tt.want {
			t.Errorf("ParseDuration(%q) = %v; want %v", tt.in, got.Duration, tt.want)
		}
		out := tt.out
		if out == "" {
			out = tt.in
		}
		if s := got.String(); s != out {
			t.Errorf("ParseDuration(%q).String() = %q; want %q", tt.in, s, out)
		}
		var viaJSON apitime.Duration
		if err := json.Unmarshal([]byte(`"`+tt.in+`"`), &viaJSON); err != nil || viaJSON.Duration != tt.want {
			t.Errorf("json.Unmarshal(%q) = %v, %v", tt.in, viaJSON.Duration, err)
		}
	}
	for _, in := range []string{"", "P", "PT", "T1S", "1S", "PT1", "PT1D", "P1H", "PT1S1M", "PT1M1M", "P1Y", "P1W", "PT1.5M", "PT9999999999999999999S", "PT2562048H", "PTxS", "PT1..5S", "P-T1S"} {
		if d, err := apitime.ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v; want an error", in, d.Duration)
		} else if !strings.Contains(err.Error(), "apitime") {
			t.Errorf("ParseDuration(%q) error %q does not name the package", in, err)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"PT0S", "PT2M5S", "PT25H1M1S", "PT-0.5S", "P1DT2H", "-PT1M"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := apitime.ParseDuration(s)
		if err != nil {
			return
		}
		// What String writes must read back as the same duration.
		back, err := apitime.ParseDuration(d.String())
		if err != nil || back.Duration != d.Duration {
			t.Fatalf("round trip of %q: %q -> %v, %v", s, d.String(), back.Duration, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-05-05T09:00Z", "2026-05-05T09:00:11.5+02:00", "2026-05-05T09:00+05:30:15"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := apitime.Parse(s)
		if err != nil {
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			return // years outside RFC 3339's range
		}
		var back apitime.Time
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(v.Time) {
			t.Fatalf("round trip of %q: %s -> %v, %v", s, b, back.Time, err)
		}
	})
}

func TestJavaString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC), "2026-05-05T09:00Z"},
		{time.Date(2026, 5, 5, 9, 0, 7, 0, time.UTC), "2026-05-05T09:00:07Z"},
		{time.Date(2026, 5, 5, 9, 0, 0, 5_000_000, time.UTC), "2026-05-05T09:00:00.005Z"},
		{time.Date(2026, 5, 5, 9, 0, 1, 120_000, time.UTC), "2026-05-05T09:00:01.000120Z"},
		{time.Date(2026, 5, 5, 9, 0, 1, 7, time.UTC), "2026-05-05T09:00:01.000000007Z"},
		{time.Date(2026, 5, 5, 9, 30, 0, 0, time.FixedZone("", -(3*3600+30*60))), "2026-05-05T09:30-03:30"},
		{time.Date(2026, 5, 5, 9, 30, 0, 0, time.FixedZone("", 3600+1)), "2026-05-05T09:30+01:00:01"},
	}
	for _, tt := range tests {
		got := apitime.Time{Time: tt.in}.JavaString()
		if got != tt.want {
			t.Errorf("JavaString(%v) = %q; want %q", tt.in, got, tt.want)
		}
		back, err := apitime.Parse(got)
		if err != nil || !back.Equal(tt.in) {
			t.Errorf("Parse(%q) = %v, %v; want %v", got, back.Time, err, tt.in)
		}
	}
}
