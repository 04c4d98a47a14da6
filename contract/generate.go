package contract

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/seed83f33fd3/airbyte-go/apitime"
)

// maxDepth bounds recursion when generating values for nested schemas.
const maxDepth = 8

// A Generator makes values that satisfy a schema of the spec. With a nil
// source it is deterministic (minimum values, first enum member, required
// and optional properties); with a random source it varies values, fills a
// random subset of optional properties and sometimes sends null for
// nullable ones.
type Generator struct {
	rnd *rand.Rand
}

// NewGenerator returns a generator; rnd may be nil for deterministic values.
func NewGenerator(rnd *rand.Rand) *Generator { return &Generator{rnd: rnd} }

// Value returns a value for s as decoded JSON (maps, slices, strings,
// float64, bool, nil), suitable for json.Marshal.
func (g *Generator) Value(s *openapi3.SchemaRef) any {
	return g.value(s, 0)
}

func (g *Generator) intn(n int) int {
	if g.rnd == nil || n <= 1 {
		return 0
	}
	return g.rnd.IntN(n)
}

func (g *Generator) value(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil {
		return map[string]any{}
	}
	s := ref.Value
	if s.Nullable && g.rnd != nil && g.intn(5) == 0 {
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[g.intn(len(s.Enum))]
	}
	switch {
	case len(s.OneOf) > 0:
		variant := s.OneOf[g.intn(len(s.OneOf))]
		v := g.value(variant, depth+1)
		// Set the discriminator to the chosen variant's mapping key.
		if d := s.Discriminator; d != nil {
			if m, ok := v.(map[string]any); ok {
				for key, ref := range d.Mapping {
					if ref.Ref == variant.Ref {
						m[d.PropertyName] = key
					}
				}
			}
		}
		return v
	case len(s.AnyOf) > 0:
		return g.value(s.AnyOf[g.intn(len(s.AnyOf))], depth+1)
	case len(s.AllOf) > 0:
		out := map[string]any{}
		for _, sub := range s.AllOf {
			if m, ok := g.value(sub, depth+1).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		return g.str(s)
	case s.Type.Is(openapi3.TypeInteger):
		return float64(g.integer(s))
	case s.Type.Is(openapi3.TypeNumber):
		return float64(g.integer(s)) + 0.5
	case s.Type.Is(openapi3.TypeBoolean):
		return g.intn(2) == 1
	case s.Type.Is(openapi3.TypeArray):
		n := 1
		if s.MinItems > 1 {
			n = int(s.MinItems)
		}
		if depth >= maxDepth {
			n = int(s.MinItems)
		}
		out := make([]any, 0, n)
		for i := 0; i < n; i++ {
			v := g.value(s.Items, depth+1)
			if s.UniqueItems {
				v = g.distinct(s.Items, out, v, depth)
			}
			out = append(out, v)
		}
		return out
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		return g.object(s, depth)
	}
	// Untyped: any JSON value will do.
	return "any"
}

func (g *Generator) distinct(items *openapi3.SchemaRef, have []any, v any, depth int) any {
	for try := 0; try < 5; try++ {
		dup := false
		for _, h := range have {
			if fmt.Sprint(h) == fmt.Sprint(v) {
				dup = true
			}
		}
		if !dup {
			return v
		}
		if s, ok := v.(string); ok {
			v = fmt.Sprintf("%s%d", s, len(have))
		} else {
			v = g.value(items, depth+1)
		}
	}
	return v
}

func (g *Generator) object(s *openapi3.Schema, depth int) map[string]any {
	out := map[string]any{}
	required := map[string]bool{}
	for _, name := range s.Required {
		required[name] = true
	}
	for name, p := range s.Properties {
		include := required[name]
		if !include && depth < maxDepth {
			include = g.rnd == nil || g.intn(2) == 0
		}
		if include {
			out[name] = g.value(p, depth+1)
		}
	}
	return out
}

func (g *Generator) integer(s *openapi3.Schema) int64 {
	lo, hi := int64(0), int64(1000)
	if s.Format == "int32" {
		hi = 1 << 20
	}
	if g.rnd != nil && s.Format == "int64" {
		hi = 1 << 40
	}
	if s.Min != nil {
		lo = int64(*s.Min)
		if s.ExclusiveMin.IsTrue() {
			lo++
		}
	}
	if s.Max != nil {
		hi = int64(*s.Max)
		if s.ExclusiveMax.IsTrue() {
			hi--
		}
	}
	if hi < lo {
		hi = lo
	}
	if g.rnd == nil {
		if lo <= 1 && hi >= 1 {
			return 1
		}
		return lo
	}
	return lo + g.rnd.Int64N(hi-lo+1)
}

func (g *Generator) str(s *openapi3.Schema) string {
	// Timestamps and durations the server writes the Java way (the spec maps
	// them to package apitime): a timestamp from epoch seconds in UTC, whose
	// seconds are left out when zero, and a java.time.Duration string.
	switch s.Extensions["x-go-type"] {
	case "apitime.Time":
		t := time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC).Add(time.Duration(g.intn(1_000_000)) * time.Second)
		if g.intn(4) == 0 {
			t = t.Truncate(time.Minute)
		}
		return apitime.Time{Time: t}.JavaString()
	case "apitime.Duration":
		return apitime.Duration{Duration: time.Duration(g.intn(100_000)) * time.Second}.String()
	}
	switch s.Format {
	case "uuid":
		if g.rnd == nil {
			return "3f0c8a52-6d1e-4b7a-9c2d-5e8f1a0b4c6d"
		}
		b := make([]byte, 16)
		for i := range b {
			b[i] = byte(g.rnd.IntN(256))
		}
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	case "date-time":
		t := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
		return t.Add(time.Duration(g.intn(1_000_000)) * time.Second).Format(time.RFC3339)
	case "date":
		return "2026-03-14"
	case "uri":
		return "https://example.com/airbyte-go"
	case "email":
		return "someone@example.com"
	}
	if s.Pattern != "" {
		return ""
	}
	v := "value"
	if g.rnd != nil {
		v = fmt.Sprintf("value-%d", g.rnd.IntN(1_000_000))
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}
