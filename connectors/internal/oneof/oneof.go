// Package oneof finds how the alternatives of a connector schema's oneOf
// are told apart: by a property each alternative fixes with a const (or a
// one-value enum), as Airbyte's connector schemas do without a
// discriminator keyword. The validator and the type generator share it.
package oneof

import (
	"encoding/json"
	"sort"
)

// Discriminator returns the first property (by name) that every
// alternative of alts fixes, with its value in each alternative, in the
// alternatives' order; "" when there is none. With distinct set, the
// values must also be scalars and all different, so that a value names
// exactly one alternative.
func Discriminator(alts []any, distinct bool) (string, []any) {
	if len(alts) == 0 {
		return "", nil
	}
	first, ok := alts[0].(map[string]any)
	if !ok {
		return "", nil
	}
	props, _ := first["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
next:
	for _, name := range names {
		values := make([]any, 0, len(alts))
		seen := map[string]bool{}
		for _, a := range alts {
			am, _ := a.(map[string]any)
			ap, _ := am["properties"].(map[string]any)
			v, ok := Const(ap[name])
			if !ok {
				continue next
			}
			if distinct {
				switch v.(type) {
				case string, bool, float64, json.Number, nil:
				default:
					continue next
				}
				b, _ := json.Marshal(v)
				if seen[string(b)] {
					continue next
				}
				seen[string(b)] = true
			}
			values = append(values, v)
		}
		return name, values
	}
	return "", nil
}

// Const returns the value a property schema fixes with const or a
// one-value enum.
func Const(s any) (any, bool) {
	m, ok := s.(map[string]any)
	if !ok {
		return nil, false
	}
	if c, ok := m["const"]; ok {
		return c, true
	}
	if e, ok := m["enum"].([]any); ok && len(e) == 1 {
		return e[0], true
	}
	return nil, false
}
