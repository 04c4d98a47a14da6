// Package apitime holds the time types of the Airbyte API whose wire form
// Go's standard library does not read.
//
// The Airbyte server writes some timestamps (a job's startTime and
// lastUpdatedAt, a region's or data plane's createdAt and updatedAt) with
// Java's OffsetDateTime.toString(), which leaves the seconds out when they
// are zero: "2026-05-05T09:00Z". That is not RFC 3339, and time.Time's
// UnmarshalJSON rejects it, so about one job in sixty would fail to decode.
// Time reads that form, and every RFC 3339 form, and writes RFC 3339.
//
// The server writes a job's duration as an ISO 8601 duration the way Java's
// Duration.toString() does ("PT2M5S", "PT25H1M1S", "PT0.5S"). Duration reads
// and writes that form and holds a time.Duration.
//
// Both types embed their standard library counterpart, so t.Before(u),
// t.Format(...) and d.Seconds() work as usual.
package apitime
