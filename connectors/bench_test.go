package connectors

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// largeSchema builds a connectionSpecification of the size of the
// largest real ones: nProps scalar properties of every kind, nUnions
// oneOf fields of five alternatives (each with a nested oneOf), and
// arrays of objects. It returns the schema and a configuration that
// fits it.
func largeSchema(nProps, nUnions int) (schema []byte, cfg map[string]any) {
	props := map[string]any{}
	cfg = map[string]any{}
	var required []string
	for i := range nProps {
		name := fmt.Sprintf("field_%03d", i)
		switch i % 6 {
		case 0:
			props[name] = map[string]any{"type": "string", "title": "T", "description": "D", "order": i, "pattern": "^[a-z0-9_]+$"}
			cfg[name] = "value_" + fmt.Sprint(i)
		case 1:
			props[name] = map[string]any{"type": "integer", "minimum": 0, "maximum": 100000, "default": 10}
			cfg[name] = i
		case 2:
			props[name] = map[string]any{"type": "string", "format": "date-time"}
			cfg[name] = "2026-01-02T03:04:05Z"
		case 3:
			props[name] = map[string]any{"type": "string", "enum": []any{"a", "b", "c", "d"}}
			cfg[name] = "c"
		case 4:
			props[name] = map[string]any{"type": "string", "airbyte_secret": true, "pattern": "^(?=.*[0-9]).{8,}$"}
			cfg[name] = "secret99x"
		default:
			props[name] = map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []any{"k"},
				"properties": map[string]any{"k": map[string]any{"type": "string"}, "v": map[string]any{"type": "integer"}}}}
			cfg[name] = []any{map[string]any{"k": "a", "v": 1}, map[string]any{"k": "b", "v": 2}}
		}
		if i%2 == 0 {
			required = append(required, name)
		}
	}
	for u := range nUnions {
		name := fmt.Sprintf("union_%02d", u)
		var alts []any
		for a := range 5 {
			inner := []any{}
			for b := range 3 {
				inner = append(inner, map[string]any{"type": "object", "required": []any{"kind"}, "properties": map[string]any{
					"kind": map[string]any{"const": fmt.Sprintf("k%d", b)}, "n": map[string]any{"type": "integer", "minimum": 1}}})
			}
			p := map[string]any{"mode": map[string]any{"type": "string", "const": fmt.Sprintf("m%d", a)}, "nested": map[string]any{"type": "object", "oneOf": inner}}
			for f := range 8 {
				p[fmt.Sprintf("opt_%d", f)] = map[string]any{"type": "string", "airbyte_secret": f == 0}
			}
			alts = append(alts, map[string]any{"type": "object", "required": []any{"mode", "opt_1"}, "properties": p})
		}
		props[name] = map[string]any{"type": "object", "oneOf": alts}
		cfg[name] = map[string]any{"mode": "m4", "opt_0": "s", "opt_1": "x", "nested": map[string]any{"kind": "k2", "n": 3}}
		required = append(required, name)
	}
	schema, _ = json.Marshal(map[string]any{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
		"required": required, "properties": props})
	return schema, cfg
}

func BenchmarkValidateLargeSchema(b *testing.B) {
	schema, cfg := largeSchema(600, 30)
	s, err := NewSpec(schema)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Validate(cfg); err != nil {
		b.Fatal(err)
	}
	b.Logf("schema %d bytes, %d properties, %d secret paths", len(schema), 630, len(s.SecretPaths()))
	b.Run("Validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Validate(cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ValidatePatch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.ValidatePatch(cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	bad := make(map[string]any, len(cfg))
	for k, v := range cfg {
		bad[k] = v
	}
	bad["field_001"] = "x"
	bad["union_03"] = map[string]any{"mode": "m2"}
	b.Run("ValidateWithProblems", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Validate(bad); err == nil {
				b.Fatal("no problems")
			}
		}
	})
	b.Run("Mask", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = s.Mask(cfg)
		}
	})
	b.Run("Compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewSpec(schema); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// largeRegistry builds a registry document of the real one's size:
// nSources and nDests entries, each with a schema of some kilobytes.
func largeRegistry(nSources, nDests int) []byte {
	schema, _ := largeSchema(40, 2)
	var sb strings.Builder
	sb.WriteString(`{"sources": [`)
	for i := range nSources {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"sourceDefinitionId": "%08d-0000-4000-8000-000000000000", "name": "Source %d", "dockerRepository": "airbyte/source-gen-%d",
			"dockerImageTag": "1.%d.0", "documentationUrl": "https://example.invalid/%d", "releaseStage": "beta", "supportLevel": "community",
			"tags": ["language:python"], "spec": {"documentationUrl": "https://example.invalid", "connectionSpecification": %s}}`, i, i, i, i, i, schema)
	}
	sb.WriteString(`], "destinations": [`)
	for i := range nDests {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"destinationDefinitionId": "%08d-1111-4000-8000-000000000000", "name": "Dest %d", "dockerRepository": "airbyte/destination-gen-%d",
			"dockerImageTag": "0.%d.0", "spec": {"connectionSpecification": %s}}`, i, i, i, i, schema)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

func TestLargeRegistryIsRealSize(t *testing.T) {
	t.Parallel()
	doc := largeRegistry(550, 80)
	if n := len(doc); n < 5<<20 {
		t.Errorf("generated registry is %d bytes; want several megabytes", n)
	}
	r, err := ParseRegistry(doc, "generated")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(r.Definitions()); got != 630 {
		t.Errorf("definitions = %d; want 630", got)
	}
}

func BenchmarkLoadRegistry(b *testing.B) {
	doc := largeRegistry(550, 80)
	b.Logf("registry document: %d bytes", len(doc))
	b.Run("Parse", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseRegistry(doc, "generated"); err != nil {
				b.Fatal(err)
			}
		}
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"x"`)
		_, _ = w.Write(doc)
	}))
	defer srv.Close()
	b.Run("HTTP", func(b *testing.B) {
		c := &Client{HTTPClient: srv.Client(), RegistryURL: srv.URL + "/oss_registry.json"}
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Registry(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FreshCache", func(b *testing.B) {
		c := &Client{HTTPClient: srv.Client(), RegistryURL: srv.URL + "/oss_registry.json", Cache: &Cache{Dir: b.TempDir()}}
		if _, err := c.Registry(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Registry(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LookupAndCompile", func(b *testing.B) {
		r, err := ParseRegistry(doc, "generated")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			d, err := r.Lookup(Ref{Name: "gen-300", Kind: KindSource})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := d.CompileSpec(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
