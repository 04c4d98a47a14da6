package connectors

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

// Masked is what the server writes in place of a secret when it answers
// with a configuration, and what Mask writes.
//
// server: airbyte-commons/src/main/kotlin/io/airbyte/commons/constants/AirbyteSecretConstants.kt:24 (SECRETS_MASK)
const Masked = "**********"

// secretPaths collects the location of every property whose schema has
// airbyte_secret: true, through properties, the alternatives of
// oneOf/anyOf/allOf, array items ("*") and additionalProperties ("*").
// Like the server, it takes the union over alternatives: a field that is
// secret in one alternative is masked whichever is chosen.
//
// server: airbyte-config/config-secrets/src/main/kotlin/secrets/JsonSecretsProcessor.kt:39 (maskAllSecrets)
func secretPaths(schema map[string]any) []Path {
	seen := map[string]Path{}
	var walk func(node any, at []string)
	walk = func(node any, at []string) {
		m, ok := node.(map[string]any)
		if !ok {
			return
		}
		if b, _ := m["airbyte_secret"].(bool); b && len(at) > 0 {
			p := Path(append([]string(nil), at...))
			seen[p.String()] = p
		}
		if props, ok := m["properties"].(map[string]any); ok {
			for k, v := range props {
				walk(v, append(at[:len(at):len(at)], k))
			}
		}
		for _, kw := range []string{"oneOf", "anyOf", "allOf"} {
			if alts, ok := m[kw].([]any); ok {
				for _, a := range alts {
					walk(a, at)
				}
			}
		}
		switch it := m["items"].(type) {
		case map[string]any:
			walk(it, append(at[:len(at):len(at)], "*"))
		case []any:
			for _, e := range it {
				walk(e, append(at[:len(at):len(at)], "*"))
			}
		}
		if ap, ok := m["additionalProperties"].(map[string]any); ok {
			walk(ap, append(at[:len(at):len(at)], "*"))
		}
	}
	walk(schema, nil)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Path, len(keys))
	for i, k := range keys {
		out[i] = seen[k]
	}
	return out
}

// SecretPaths returns the location of every field the schema marks
// airbyte_secret: true, sorted by pointer. A nil Spec has none.
func (s *Spec) SecretPaths() []Path {
	if s == nil {
		return nil
	}
	out := make([]Path, len(s.secrets))
	for i, p := range s.secrets {
		out[i] = append(Path(nil), p...)
	}
	return out
}

// Mask returns a copy of cfg in which the value at every secret path is
// replaced by Masked, as the server masks configurations it answers with.
// Fields absent from cfg stay absent. On a nil Spec (no schema known),
// Mask falls back to guessing secrets from key names (password, secret,
// token, key, credential...), which both misses secrets and masks
// harmless fields: prefer a schema. The input is not modified.
func (s *Spec) Mask(cfg map[string]any) map[string]any {
	if s == nil {
		return redact.Map(cfg, Masked, nil)
	}
	if cfg == nil {
		return nil
	}
	out := cloneJSON(cfg).(map[string]any)
	for _, p := range s.secrets {
		maskAt(out, p)
	}
	return out
}

func maskAt(node any, p Path) {
	if len(p) == 0 {
		return
	}
	switch n := node.(type) {
	case map[string]any:
		if p[0] == "*" {
			for k, v := range n {
				if len(p) == 1 {
					n[k] = Masked
				} else {
					maskAt(v, p[1:])
				}
			}
			return
		}
		v, ok := n[p[0]]
		if !ok {
			return
		}
		if len(p) == 1 {
			n[p[0]] = Masked
			return
		}
		maskAt(v, p[1:])
	case []any:
		if p[0] != "*" {
			return
		}
		for i, v := range n {
			if len(p) == 1 {
				n[i] = Masked
			} else {
				maskAt(v, p[1:])
			}
		}
	}
}

// MergeSecrets returns a copy of cfg with secret values taken from
// secrets, a configuration of the same shape holding only (or at least)
// the secrets: for a configuration kept without its secrets, or read back
// masked from the server. At each secret path where cfg has no value or
// holds Masked, and secrets has a value, that value is used; elements of
// arrays are paired by index. A secret whose parent object is absent
// from cfg is not placed (it would choose no alternative).
//
// The error lists (by pointer, never by value) the members of secrets
// that are not at a secret path or found no place in cfg, so that a
// misspelt key does not silently drop a secret, and the values of the
// result still equal to Masked, which a create would store as the secret;
// the merged copy is returned even then. The inputs are not modified.
func (s *Spec) MergeSecrets(cfg, secrets map[string]any) (map[string]any, error) {
	var out map[string]any
	if cfg != nil {
		out = cloneJSON(cfg).(map[string]any)
	}
	used := map[string]bool{}
	if s != nil && out != nil {
		for _, p := range s.secrets {
			mergeAt(out, secrets, p, nil, used)
		}
	}
	var unused []string
	var walk func(v any, at []string)
	walk = func(v any, at []string) {
		switch n := v.(type) {
		case map[string]any:
			if len(n) == 0 && len(at) > 0 {
				return
			}
			for k, e := range n {
				walk(e, append(at[:len(at):len(at)], k))
			}
		case []any:
			for i, e := range n {
				walk(e, append(at[:len(at):len(at)], strconv.Itoa(i)))
			}
		default:
			if ptr := pointer(at); !used[ptr] {
				unused = append(unused, ptr)
			}
		}
	}
	walk(secrets, nil)
	var problems []string
	if len(unused) > 0 {
		sort.Strings(unused)
		problems = append(problems, "secrets not merged (not a secret field, or no place for it in the configuration): "+strings.Join(unused, ", "))
	}
	// A value still masked would be stored as the secret itself.
	var masked []string
	var find func(v any, at []string)
	find = func(v any, at []string) {
		switch n := v.(type) {
		case map[string]any:
			for k, e := range n {
				find(e, append(at[:len(at):len(at)], k))
			}
		case []any:
			for i, e := range n {
				find(e, append(at[:len(at):len(at)], strconv.Itoa(i)))
			}
		case string:
			if n == Masked {
				masked = append(masked, pointer(at))
			}
		}
	}
	find(out, nil)
	if len(masked) > 0 {
		sort.Strings(masked)
		problems = append(problems, "values still masked (secrets gives none for them): "+strings.Join(masked, ", "))
	}
	if len(problems) > 0 {
		return out, errors.New("connectors: " + strings.Join(problems, "; "))
	}
	return out, nil
}

// mergeAt fills dst from src along p; at is the concrete path so far.
func mergeAt(dst, src any, p Path, at []string, used map[string]bool) {
	if len(p) == 0 {
		return
	}
	switch d := dst.(type) {
	case map[string]any:
		sm, ok := src.(map[string]any)
		if !ok {
			return
		}
		keys := []string{p[0]}
		if p[0] == "*" {
			keys = keys[:0]
			for k := range sm {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			sv, ok := sm[k]
			if !ok {
				continue
			}
			here := append(at[:len(at):len(at)], k)
			if len(p) == 1 {
				if cur, present := d[k]; !present || cur == Masked {
					d[k] = cloneJSON(sv)
					markUsed(sv, here, used)
				} else if equalJSON(cur, sv) {
					markUsed(sv, here, used)
				}
				continue
			}
			if next, ok := d[k]; ok {
				mergeAt(next, sv, p[1:], here, used)
			}
		}
	case []any:
		sa, ok := src.([]any)
		if !ok || p[0] != "*" {
			return
		}
		for i := range d {
			if i >= len(sa) {
				break
			}
			here := append(at[:len(at):len(at)], strconv.Itoa(i))
			if len(p) == 1 {
				if d[i] == Masked {
					d[i] = cloneJSON(sa[i])
					markUsed(sa[i], here, used)
				}
				continue
			}
			mergeAt(d[i], sa[i], p[1:], here, used)
		}
	}
}

// markUsed records every leaf of v (placed at at) as merged.
func markUsed(v any, at []string, used map[string]bool) {
	switch n := v.(type) {
	case map[string]any:
		for k, e := range n {
			markUsed(e, append(at[:len(at):len(at)], k), used)
		}
	case []any:
		for i, e := range n {
			markUsed(e, append(at[:len(at):len(at)], strconv.Itoa(i)), used)
		}
	default:
		used[pointer(at)] = true
	}
}
