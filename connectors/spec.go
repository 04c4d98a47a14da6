package connectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Spec is a connector's connectionSpecification compiled for validation,
// with the paths of its secrets. Build one with NewSpec (raw schema),
// ParseSpecDocument (spec.json, registry entry or bare schema) or
// Definition.CompileSpec. A Spec is immutable and safe for concurrent
// use; compile it once and reuse it.
//
// A nil *Spec is usable where no schema is known: its Mask falls back to
// guessing secrets from key names.
type Spec struct {
	raw     map[string]any // the schema as decoded (json.Number numbers)
	full    *compiled
	patchMu sync.Mutex
	patch   *compiled // compiled on first use by ValidatePatch
	secrets []Path
	skipped []string
	draft   *jsonschema.Draft // from $schema
}

// compiled is one schema document and its compiled form.
type compiled struct {
	doc    map[string]any
	schema *jsonschema.Schema
}

// specURL is the name the schema is compiled under; locations in
// validation errors are fragments of it.
const specURL = "urn:airbyte-go:connection-specification"

// NewSpec compiles a connectionSpecification, a draft-07 JSON Schema.
// Airbyte's own keywords (airbyte_secret, airbyte_hidden, order, group,
// always_show, multiline, pattern_descriptor, min, max...) are accepted
// and ignored by validation. The variant ValidatePatch uses is compiled
// on its first use. A pattern Go's regexp cannot compile is
// compiled as an ECMAScript expression (github.com/dlclark/regexp2); one
// neither can compile is skipped and listed by SkippedPatterns.
func NewSpec(connectionSpecification []byte) (*Spec, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(connectionSpecification))
	if err != nil {
		return nil, &MalformedError{Source: "connectionSpecification", Err: err}
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, &MalformedError{Source: "connectionSpecification", Err: errors.New("schema is not a JSON object")}
	}
	return newSpec(doc)
}

func newSpec(doc map[string]any) (*Spec, error) {
	s := &Spec{raw: doc}
	var skipped skippedSet
	full := cloneJSON(doc).(map[string]any)
	// The draft is read from $schema as the server does (draft-07 when it
	// names none or one we do not know), and $schema is dropped so that an
	// http/https or trailing-# variant of a draft's address never sends the
	// compiler to the network.
	// (server: airbyte-json-validation/src/main/kotlin/io/airbyte/validation/json/JsonSchemaValidator.kt:195-214)
	s.draft = draftOf(full["$schema"])
	delete(full, "$schema")
	var err error
	if s.full, err = compile(full, s.draft, &skipped); err != nil {
		return nil, err
	}
	s.skipped = skipped.list()
	s.secrets = secretPaths(doc)
	return s, nil
}

// ParseSpecDocument reads a document holding a connector's schema: a
// spec.json (connectionSpecification at its top), a registry entry or
// metadata document (connectionSpecification under "spec"), or a bare
// JSON Schema, and compiles it.
func ParseSpecDocument(data []byte) (*Spec, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &MalformedError{Source: "document", Err: err}
	}
	if cs, ok := top["connectionSpecification"]; ok {
		return NewSpec(cs)
	}
	if sp, ok := top["spec"]; ok {
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(sp, &inner); err == nil {
			if cs, ok := inner["connectionSpecification"]; ok {
				return NewSpec(cs)
			}
		}
		return nil, &MalformedError{Source: "document", Err: errors.New(`"spec" has no connectionSpecification`)}
	}
	_, hasProps := top["properties"]
	_, hasType := top["type"]
	_, hasOneOf := top["oneOf"]
	if hasProps || hasType || hasOneOf {
		return NewSpec(data)
	}
	return nil, &MalformedError{Source: "document", Err: errors.New("no connectionSpecification, spec or schema found")}
}

// Schema returns a copy of the connectionSpecification as decoded
// (numbers as json.Number).
func (s *Spec) Schema() map[string]any { return cloneJSON(s.raw).(map[string]any) }

// SkippedPatterns lists the patterns that neither Go's regexp nor the
// ECMAScript engine could compile: values are not checked against them.
func (s *Spec) SkippedPatterns() []string { return append([]string(nil), s.skipped...) }

// patchCompiled returns the schema for partial configurations, compiled
// on first use: the full schema with the rewrite patchSchema documents.
func (s *Spec) patchCompiled() (*compiled, error) {
	s.patchMu.Lock()
	defer s.patchMu.Unlock()
	if s.patch != nil {
		return s.patch, nil
	}
	doc := cloneJSON(s.full.doc).(map[string]any)
	patchSchema(doc, false)
	var skipped skippedSet
	c, err := compile(doc, s.draft, &skipped)
	if err != nil {
		return nil, err
	}
	s.patch = c
	return c, nil
}

// draftOf picks the JSON Schema draft a $schema value names.
func draftOf(v any) *jsonschema.Draft {
	s, _ := v.(string)
	switch {
	case strings.Contains(s, "draft-04"):
		return jsonschema.Draft4
	case strings.Contains(s, "draft-06"):
		return jsonschema.Draft6
	case strings.Contains(s, "draft/2019-09"):
		return jsonschema.Draft2019
	case strings.Contains(s, "draft/2020-12"):
		return jsonschema.Draft2020
	}
	return jsonschema.Draft7
}

// noExternalRefs refuses every document a $ref points to outside the
// schema itself: a schema from a registry must not make the program read
// local files or fetch URLs.
type noExternalRefs struct{}

func (noExternalRefs) Load(url string) (any, error) {
	return nil, fmt.Errorf("connectors: $ref to %s: references outside the schema are not followed", redactURL(url))
}

func compile(doc map[string]any, draft *jsonschema.Draft, skipped *skippedSet) (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(draft)
	c.UseLoader(noExternalRefs{})
	c.UseRegexpEngine(skipped.engine)
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, &MalformedError{Source: "connectionSpecification", Err: err}
	}
	sch, err := c.Compile(specURL)
	if err != nil {
		return nil, &MalformedError{Source: "connectionSpecification", Err: err}
	}
	return &compiled{doc: doc, schema: sch}, nil
}

// ECMAMatchTimeout bounds one match of an ECMAScript pattern (a
// backtracking engine); a match that times out counts as a match, so a
// slow pattern never rejects a value.
const ECMAMatchTimeout = 100 * time.Millisecond

type skippedSet struct {
	mu sync.Mutex
	m  map[string]bool
}

// engine compiles a pattern with Go's regexp (linear time) and, when it
// refuses, as ECMAScript with regexp2; when both refuse, the pattern is
// recorded and matches everything.
func (k *skippedSet) engine(p string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(p); err == nil {
		return re, nil
	}
	if re, err := regexp2.Compile(p, regexp2.ECMAScript); err == nil {
		re.MatchTimeout = ECMAMatchTimeout
		return (*ecmaRegexp)(re), nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]bool{}
	}
	k.m[p] = true
	return skippedRegexp(p), nil
}

func (k *skippedSet) list() []string {
	out := make([]string, 0, len(k.m))
	for p := range k.m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return ok || err != nil
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }

type skippedRegexp string

func (skippedRegexp) MatchString(string) bool { return true }
func (p skippedRegexp) String() string        { return string(p) }

// patchSchema rewrites a schema in place for partial configurations, the
// rule ValidatePatch documents: outside arrays, "required" is dropped and
// "oneOf" becomes "anyOf"; under "items" the schema is kept as it is.
func patchSchema(node any, underArray bool) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if !underArray {
		delete(m, "required")
		if alts, ok := m["oneOf"]; ok {
			if _, both := m["anyOf"]; !both {
				delete(m, "oneOf")
				m["anyOf"] = alts
			}
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for _, p := range props {
			patchSchema(p, underArray)
		}
	}
	for _, kw := range []string{"oneOf", "anyOf", "allOf"} {
		if alts, ok := m[kw].([]any); ok {
			for _, a := range alts {
				patchSchema(a, underArray)
			}
		}
	}
	if ap, ok := m["additionalProperties"].(map[string]any); ok {
		patchSchema(ap, underArray)
	}
	switch it := m["items"].(type) {
	case map[string]any:
		patchSchema(it, true)
	case []any:
		for _, e := range it {
			patchSchema(e, true)
		}
	}
}

// cloneJSON deep-copies a decoded JSON value.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneJSON(e)
		}
		return out
	default:
		return v
	}
}

// Path is the location of a field in a configuration, as JSON pointer
// tokens; the token "*" stands for every element of an array (or every
// member of an object whose schema is additionalProperties).
type Path []string

// String writes p as a JSON pointer ("/tunnel_method/ssh_key",
// "/replicas/*/password").
func (p Path) String() string {
	var b strings.Builder
	for _, t := range p {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

func escapePointer(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

func pointer(tokens []string) string { return Path(tokens).String() }

// sprintValue writes a schema value (never a configuration's value) for
// a message.
func sprintValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
