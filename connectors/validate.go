package connectors

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/seed83f33fd3/airbyte-go/connectors/internal/oneof"
)

// Problem is one way a configuration does not fit its schema.
type Problem struct {
	// Pointer is the JSON pointer (RFC 6901) of the field in the
	// configuration; "" is the configuration itself.
	Pointer string
	// Message says what was expected. It never holds a value of the
	// configuration, only names, types and values from the schema.
	Message string
}

// String writes "POINTER: MESSAGE", with "(root)" for the empty pointer.
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(root)"
	}
	return ptr + ": " + p.Message
}

// ValidationError is the error of Validate and ValidatePatch: every
// problem found, sorted by pointer.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "connectors: configuration does not fit the connector's schema (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(")")
	for _, p := range e.Problems {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Validate checks a whole configuration, as a create or a replace sends
// it. The public API's "sourceType" and "destinationType" members at the
// top are not part of the connector's schema and are left out of the
// check, as the server removes them before it validates.
//
// server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/ActorConfigurationHelper.kt:54
// (removeConfigurationNode), called at controllers/SourcesController.kt:79 before the create.
//
// The error is a *ValidationError, nil when the configuration fits.
func (s *Spec) Validate(cfg map[string]any) error {
	return s.validate(s.full, cfg)
}

// ValidatePatch checks a partial configuration, as a patch sends it. The
// server merges a patch into the stored configuration object by object
// (server: airbyte-config/config-secrets/src/main/kotlin/secrets/SecretsHelpers.kt:758,
// mergeNodesExceptForSecrets): members of objects are merged, while arrays
// and scalars replace the stored value whole. So the rule is:
//
//   - every field given must fit its schema (type, enum, const, pattern,
//     format, bounds, additionalProperties...);
//   - in objects reached through properties (including oneOf
//     alternatives), "required" is not checked, since the stored
//     configuration may hold the missing fields; for the same reason a
//     oneOf is checked as an anyOf: an object that leaves out its
//     discriminator may fit several alternatives;
//   - objects inside arrays are checked whole, "required" included, since
//     an array replaces the stored one.
//
// A limit of the anyOf rule: a field of a oneOf alternative is checked
// only as far as some alternative constrains it, so a wrongly typed field
// that an alternative without additionalProperties: false would take
// passes; the server checks the merged configuration whole.
func (s *Spec) ValidatePatch(patch map[string]any) error {
	c, err := s.patchCompiled()
	if err != nil {
		// The rewrite only removes constraints from a schema that
		// compiled; this is not expected.
		return fmt.Errorf("connectors: compile the schema for patches: %w", err)
	}
	return s.validate(c, patch)
}

func (s *Spec) validate(c *compiled, cfg map[string]any) error {
	inst := make(map[string]any, len(cfg))
	for k, v := range cfg {
		if k == "sourceType" || k == "destinationType" {
			continue
		}
		inst[k] = v
	}
	var v any = inst
	if !plainJSON(v) {
		b, err := json.Marshal(inst)
		if err != nil {
			return &ValidationError{Problems: []Problem{{Message: "configuration cannot be written as JSON: " + err.Error()}}}
		}
		if v, err = jsonschema.UnmarshalJSON(strings.NewReader(string(b))); err != nil {
			return &ValidationError{Problems: []Problem{{Message: "configuration cannot be read back from JSON"}}}
		}
	}
	err := c.schema.Validate(v)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return &ValidationError{Problems: []Problem{{Message: "configuration is not a JSON value"}}}
	}
	r := reporter{doc: c.doc, inst: v}
	r.walk(verr, "")
	return &ValidationError{Problems: r.result()}
}

// plainJSON reports whether v holds only the types encoding/json decodes
// into (and Go's other number types), which the validator takes as they
// are.
func plainJSON(v any) bool {
	switch v := v.(type) {
	case nil, bool, string, json.Number, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	case map[string]any:
		for _, e := range v {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range v {
			if !plainJSON(e) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

// reporter turns the validator's error tree into problems.
type reporter struct {
	doc      map[string]any // the schema compiled
	inst     any
	problems []Problem
}

func (r *reporter) add(ptr []string, context, msg string) {
	if context != "" {
		msg += " (" + context + ")"
	}
	r.problems = append(r.problems, Problem{Pointer: pointer(ptr), Message: msg})
}

func (r *reporter) result() []Problem {
	sort.SliceStable(r.problems, func(i, j int) bool { return r.problems[i].Pointer < r.problems[j].Pointer })
	out := r.problems[:0]
	seen := map[Problem]bool{}
	for _, p := range r.problems {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// schemaAt returns the schema node an error's SchemaURL points at.
func (r *reporter) schemaAt(url string) map[string]any {
	_, frag, _ := strings.Cut(url, "#")
	if frag == "" {
		return r.doc
	}
	var toks []string
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		toks = append(toks, strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~"))
	}
	m, _ := follow(r.doc, toks).(map[string]any)
	return m
}

// instAt returns the configuration's value at ptr.
func (r *reporter) instAt(ptr []string) any { return follow(r.inst, ptr) }

// follow walks node along unescaped JSON pointer tokens (object keys and
// array indexes); nil where the path leads nowhere.
func follow(node any, toks []string) any {
	for _, tok := range toks {
		switch n := node.(type) {
		case map[string]any:
			node = n[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		default:
			return nil
		}
	}
	return node
}

func (r *reporter) walk(e *jsonschema.ValidationError, context string) {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			r.walk(c, context)
		}
	case *kind.OneOf:
		if len(k.Subschemas) == 2 {
			r.add(loc, context, fmt.Sprintf("fits more than one alternative (#%d and #%d); exactly one is allowed", k.Subschemas[0]+1, k.Subschemas[1]+1))
			return
		}
		r.alternatives(e, "oneOf", context)
	case *kind.AnyOf:
		r.alternatives(e, "anyOf", context)
	case *kind.Required:
		for _, m := range k.Missing {
			r.add(append(loc[:len(loc):len(loc)], m), context, "required field is missing")
		}
	case *kind.DependentRequired:
		for _, m := range k.Missing {
			r.add(append(loc[:len(loc):len(loc)], m), context, fmt.Sprintf("required when %q is given", k.Prop))
		}
	case *kind.Dependency:
		for _, m := range k.Missing {
			r.add(append(loc[:len(loc):len(loc)], m), context, fmt.Sprintf("required when %q is given", k.Prop))
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			r.add(append(loc[:len(loc):len(loc)], p), context, "unknown field: the schema does not allow it")
		}
	case *kind.Type:
		r.add(loc, context, fmt.Sprintf("expected %s, got %s", strings.Join(k.Want, " or "), k.Got))
	case *kind.Enum:
		r.add(loc, context, "expected one of "+joinValues(k.Want))
	case *kind.Const:
		r.add(loc, context, "expected "+sprintValue(k.Want))
	case *kind.Format:
		r.add(loc, context, fmt.Sprintf("expected format %q", k.Want))
	case *kind.Pattern:
		msg := fmt.Sprintf("expected a match of pattern %q", k.Want)
		if d, ok := r.schemaAt(e.SchemaURL)["pattern_descriptor"].(string); ok && d != "" {
			msg += fmt.Sprintf(" (%s)", d)
		}
		r.add(loc, context, msg)
	case *kind.MinLength:
		r.add(loc, context, fmt.Sprintf("expected at least %d characters", k.Want))
	case *kind.MaxLength:
		r.add(loc, context, fmt.Sprintf("expected at most %d characters", k.Want))
	case *kind.Minimum:
		r.add(loc, context, "expected at least "+k.Want.RatString())
	case *kind.Maximum:
		r.add(loc, context, "expected at most "+k.Want.RatString())
	case *kind.ExclusiveMinimum:
		r.add(loc, context, "expected more than "+k.Want.RatString())
	case *kind.ExclusiveMaximum:
		r.add(loc, context, "expected less than "+k.Want.RatString())
	case *kind.MultipleOf:
		r.add(loc, context, "expected a multiple of "+k.Want.RatString())
	case *kind.MinItems:
		r.add(loc, context, fmt.Sprintf("expected at least %d items", k.Want))
	case *kind.MaxItems:
		r.add(loc, context, fmt.Sprintf("expected at most %d items", k.Want))
	case *kind.UniqueItems:
		r.add(loc, context, fmt.Sprintf("expected unique items; #%d and #%d are equal", k.Duplicates[0]+1, k.Duplicates[1]+1))
	case *kind.MinProperties:
		r.add(loc, context, fmt.Sprintf("expected at least %d fields", k.Want))
	case *kind.MaxProperties:
		r.add(loc, context, fmt.Sprintf("expected at most %d fields", k.Want))
	case *kind.FalseSchema:
		r.add(loc, context, "not allowed by the schema")
	case *kind.Not:
		r.add(loc, context, "matches a schema it must not match")
	default:
		kw := "schema"
		if p := e.ErrorKind.KeywordPath(); len(p) > 0 {
			kw = p[0]
		}
		r.add(loc, context, fmt.Sprintf("does not fit keyword %q", kw))
		for _, c := range e.Causes {
			r.walk(c, context)
		}
	}
}

// alternatives reports a failed oneOf (or anyOf): when the alternatives
// are told apart by a property with a const value (a discriminator), the
// alternative the configuration names is the one reported, with what it
// lacks; otherwise the alternative with the fewest problems is.
func (r *reporter) alternatives(e *jsonschema.ValidationError, kw, context string) {
	loc := e.InstanceLocation
	parent := r.schemaAt(e.SchemaURL)
	alts, _ := parent[kw].([]any)
	if len(alts) != len(e.Causes) {
		// Not every alternative failed with a cause: report them all.
		for _, c := range e.Causes {
			r.walk(c, context)
		}
		return
	}
	obj, isObj := r.instAt(loc).(map[string]any)
	if !isObj && allObjects(alts) {
		r.add(loc, context, fmt.Sprintf("expected object, got %s", jsonTypeName(r.instAt(loc))))
		return
	}
	// A property whose values tell the alternatives apart; failing that,
	// any property every alternative fixes (shared values then name the
	// first alternative that has them).
	prop, values := oneof.Discriminator(alts, true)
	if prop == "" {
		prop, values = oneof.Discriminator(alts, false)
	}
	if prop != "" && isObj {
		ptr := append(loc[:len(loc):len(loc)], prop)
		given, present := obj[prop]
		if !present {
			r.add(ptr, context, "required to choose an alternative: one of "+joinValues(values))
			return
		}
		for i, v := range values {
			if equalJSON(v, given) {
				ctx := fmt.Sprintf("alternative %s=%s", prop, sprintValue(v))
				if context != "" {
					ctx = context + ", " + ctx
				}
				r.walk(e.Causes[i], ctx)
				return
			}
		}
		r.add(ptr, context, "expected one of "+joinValues(values)+" (each names an alternative)")
		return
	}
	best, bestN := 0, -1
	for i, c := range e.Causes {
		n := countLeaves(c)
		if bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	ctx := fmt.Sprintf("fits none of %d alternatives; nearest is #%d", len(alts), best+1)
	if context != "" {
		ctx = context + ", " + ctx
	}
	r.walk(e.Causes[best], ctx)
}

func allObjects(alts []any) bool {
	for _, a := range alts {
		m, _ := a.(map[string]any)
		if m["type"] != "object" {
			if _, ok := m["properties"]; !ok {
				return false
			}
		}
	}
	return true
}

func countLeaves(e *jsonschema.ValidationError) int {
	if len(e.Causes) == 0 {
		return 1
	}
	n := 0
	for _, c := range e.Causes {
		n += countLeaves(c)
	}
	return n
}

func joinValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = sprintValue(v)
	}
	return strings.Join(parts, ", ")
}

func equalJSON(a, b any) bool {
	return sprintValue(a) == sprintValue(b)
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return "number"
	}
}
