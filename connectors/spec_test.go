package connectors

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fixtureSpec compiles one of the test fixtures.
func fixtureSpec(t testing.TB, name string) *Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpecDocument(data)
	if err != nil {
		t.Fatalf("ParseSpecDocument(%s): %v", name, err)
	}
	return s
}

// cfgJSON decodes a configuration written as JSON in a test.
func cfgJSON(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %v; want *ValidationError", err, err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

const warehouseOK = `{
  "sourceType": "warehouse",
  "host": "db.internal", "port": 7070, "database": "sales", "username": "reader",
  "password": "hunter2-pw",
  "account_code": "ABC123",
  "start_date": "2024-02-29", "updated_after": "2024-03-01T10:00:00Z",
  "schemas": ["main", "audit"], "batch_size": 500, "fetch_ratio": 0.5,
  "ssl_mode": {"mode": "verify", "ca_certificate": "CA-PEM", "client_key": "KEY-PEM"},
  "replication": {"method": "ChangeLog", "slot": "airbyte_slot", "initial_load": {"strategy": "skip", "confirm": true}},
  "tunnel": {"tunnel_type": "KEY", "tunnel_host": "jump.internal", "tunnel_user": "jump", "private_key": "SSH-KEY"},
  "replicas": [{"host": "r1", "weight": 50, "access_token": "tok-r1"}, {"host": "r2", "weight": 50}],
  "labels": {"team": "data"}
}`

func TestValidateWarehouse(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	if got := s.SkippedPatterns(); len(got) != 0 {
		t.Errorf("SkippedPatterns = %q; want none (look-ahead goes to the ECMAScript engine)", got)
	}
	tests := []struct {
		name string
		edit func(m map[string]any)
		want []string
	}{
		{"fits", func(map[string]any) {}, nil},
		{"missing required", func(m map[string]any) { delete(m, "host"); delete(m, "database") },
			[]string{"/database: required field is missing", "/host: required field is missing"}},
		{"wrong type", func(m map[string]any) { m["port"] = "7070" }, []string{"/port: expected integer, got string"}},
		{"above maximum", func(m map[string]any) { m["port"] = 70000 }, []string{"/port: expected at most 65535"}},
		{"exclusive minimum", func(m map[string]any) { m["fetch_ratio"] = 0 }, []string{"/fetch_ratio: expected more than 0"}},
		{"unknown field", func(m map[string]any) { m["hots"] = "x" }, []string{"/hots: unknown field: the schema does not allow it"}},
		{"look-ahead pattern", func(m map[string]any) { m["account_code"] = "ABCDEF" },
			[]string{`/account_code: expected a match of pattern "^(?=.*[0-9])[A-Z0-9]{6,12}$" (ABC123)`}},
		{"date format", func(m map[string]any) { m["start_date"] = "2024-02-30" }, []string{`/start_date: expected format "date"`}},
		{"date-time format", func(m map[string]any) { m["updated_after"] = "yesterday" }, []string{`/updated_after: expected format "date-time"`}},
		{"unique items", func(m map[string]any) { m["schemas"] = []any{"a", "a"} }, []string{"/schemas: expected unique items; #1 and #2 are equal"}},
		{"min items", func(m map[string]any) { m["schemas"] = []any{} }, []string{"/schemas: expected at least 1 items"}},
		{"oneOf alternative lacks a field", func(m map[string]any) { m["ssl_mode"] = map[string]any{"mode": "verify"} },
			[]string{`/ssl_mode/ca_certificate: required field is missing (alternative mode="verify")`}},
		{"oneOf unknown discriminator", func(m map[string]any) { m["ssl_mode"] = map[string]any{"mode": "strict"} },
			[]string{`/ssl_mode/mode: expected one of "off", "require", "verify" (each names an alternative)`}},
		{"oneOf missing discriminator", func(m map[string]any) { m["ssl_mode"] = map[string]any{} },
			[]string{`/ssl_mode/mode: required to choose an alternative: one of "off", "require", "verify"`}},
		{"oneOf not an object", func(m map[string]any) { m["ssl_mode"] = "verify" }, []string{"/ssl_mode: expected object, got string"}},
		{"oneOf alternative rejects extra field", func(m map[string]any) { m["ssl_mode"] = map[string]any{"mode": "off", "ca_certificate": "x"} },
			[]string{`/ssl_mode/ca_certificate: unknown field: the schema does not allow it (alternative mode="off")`}},
		{"oneOf inside oneOf", func(m map[string]any) {
			m["replication"] = map[string]any{"method": "ChangeLog", "slot": "s", "initial_load": map[string]any{"strategy": "skip"}}
		}, []string{`/replication/initial_load/confirm: required field is missing (alternative method="ChangeLog", alternative strategy="skip")`}},
		{"oneOf inside oneOf, const mismatch", func(m map[string]any) {
			m["replication"] = map[string]any{"method": "ChangeLog", "slot": "Bad Slot", "initial_load": map[string]any{"strategy": "skip", "confirm": false}}
		}, []string{
			`/replication/initial_load/confirm: expected true (alternative method="ChangeLog", alternative strategy="skip")`,
			`/replication/slot: expected a match of pattern "^[a-z_][a-z0-9_]*$" (alternative method="ChangeLog")`,
		}},
		{"array of objects", func(m map[string]any) {
			m["replicas"] = []any{map[string]any{"host": "r1"}, map[string]any{"host": "r2", "weight": 101}}
		}, []string{"/replicas/0/weight: required field is missing", "/replicas/1/weight: expected at most 100"}},
		{"map values", func(m map[string]any) { m["labels"] = map[string]any{"team": 3} }, []string{"/labels/team: expected string, got number"}},
		{"destinationType is not a field either", func(m map[string]any) { m["destinationType"] = "x" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := cfgJSON(t, warehouseOK)
			tt.edit(cfg)
			got := problemsOf(t, s.Validate(cfg))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestValidateNeverEchoesValues(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	cfg := cfgJSON(t, warehouseOK)
	cfg["password"] = 12345
	cfg["account_code"] = "SECRETVALUE"
	cfg["ssl_mode"] = map[string]any{"mode": "verify", "ca_certificate": 7, "client_key_password": false}
	err := s.Validate(cfg)
	if err == nil {
		t.Fatal("Validate = nil; want problems")
	}
	for _, leak := range []string{"12345", "SECRETVALUE"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q holds the value %q", err, leak)
		}
	}
}

func TestValidateGoValues(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	cfg := cfgJSON(t, warehouseOK)
	cfg["port"] = int32(7070)
	cfg["schemas"] = []string{"main"} // not []any: goes through JSON
	if err := s.Validate(cfg); err != nil {
		t.Errorf("Validate(Go values) = %v; want nil", err)
	}
	cfg["schemas"] = []string{"main", "main"}
	if got, want := problemsOf(t, s.Validate(cfg)), []string{"/schemas: expected unique items; #1 and #2 are equal"}; !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q; want %q", got, want)
	}
}

func TestValidatePatch(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	tests := []struct {
		name, patch string
		want        []string
	}{
		{"one field", `{"port": 6000}`, nil},
		{"one field, wrong", `{"port": "6000"}`, []string{"/port: expected integer, got string"}},
		{"unknown field", `{"prot": 6000}`, []string{"/prot: unknown field: the schema does not allow it"}},
		{"nested field without discriminator", `{"ssl_mode": {"ca_certificate": "new"}}`, nil},
		{"nested discriminator only", `{"ssl_mode": {"mode": "verify"}}`, nil},
		{"nested discriminator unknown", `{"ssl_mode": {"mode": "strict"}}`,
			[]string{`/ssl_mode/mode: expected one of "off", "require", "verify" (each names an alternative)`}},
		{"nested field wrong type", `{"ssl_mode": {"mode": "verify", "client_key": 5}}`,
			[]string{`/ssl_mode/client_key: expected string, got number (alternative mode="verify")`}},
		{"inner oneOf partial", `{"replication": {"initial_load": {"strategy": "snapshot"}}}`, nil},
		{"array elements stay whole", `{"replicas": [{"host": "r9"}]}`, []string{"/replicas/0/weight: required field is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := problemsOf(t, s.ValidatePatch(cfgJSON(t, tt.patch)))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
	// The same partial configuration is not a whole one.
	if err := s.Validate(cfgJSON(t, `{"port": 6000}`)); err == nil {
		t.Error("Validate(partial) = nil; want missing fields")
	}
}

func TestValidateLake(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "destination-lake.entry.json")
	base := `{"bucket": "my-bucket", "region": "north-1", "credentials": {"auth_type": "role", "role_name": "writer"}, `
	tests := []struct {
		name, output string
		want         []string
	}{
		{"csv", `{"format_type": "CSV", "compression": {"codec": "gzip", "level": 9}}`, nil},
		{"parquet", `{"format_type": "Parquet"}`, nil},
		{"one-value enum discriminator", `{"format_type": "Avro"}`,
			[]string{`/output/format_type: expected one of "CSV", "Parquet" (each names an alternative)`}},
		{"nested", `{"format_type": "CSV", "compression": {"codec": "gzip", "level": 10}}`,
			[]string{`/output/compression/level: expected at most 9 (alternative format_type="CSV", alternative codec="gzip")`}},
		{"length", `{"format_type": "CSV", "delimiter": ";;"}`,
			[]string{`/output/delimiter: expected at most 1 characters (alternative format_type="CSV")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := problemsOf(t, s.Validate(cfgJSON(t, base+`"output": `+tt.output+`}`)))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestValidateWithoutDiscriminator(t *testing.T) {
	t.Parallel()
	s, err := NewSpec([]byte(`{"type":"object","properties":{"auth":{"oneOf":[
		{"type":"object","required":["user","pass"],"properties":{"user":{"type":"string"},"pass":{"type":"string"}}},
		{"type":"object","required":["token"],"properties":{"token":{"type":"string"}}}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := problemsOf(t, s.Validate(map[string]any{"auth": map[string]any{"user": "u"}}))
	want := []string{"/auth/pass: required field is missing (fits none of 2 alternatives; nearest is #1)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q; want %q", got, want)
	}
	got = problemsOf(t, s.Validate(map[string]any{"auth": map[string]any{"user": "u", "pass": "p", "token": "t"}}))
	want = []string{"/auth: fits more than one alternative (#1 and #2); exactly one is allowed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q; want %q", got, want)
	}
}

func TestNewSpecPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, pattern string
		skipped       bool
		fits, misfits string
	}{
		{"RE2", `^[a-z]+$`, false, "abc", "ABC"},
		{"look-ahead", `^(?=.*\d)\w{4,}$`, false, "abc1", "abcd"},
		{"negative look-behind", `^\w+(?<!_tmp)$`, false, "table", "table_tmp"},
		{"back-reference", `^(\w)\1$`, false, "aa", "ab"},
		{"neither engine", `(?<=a`, true, "anything", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			schema, _ := json.Marshal(map[string]any{"type": "object", "properties": map[string]any{"v": map[string]any{"type": "string", "pattern": tt.pattern}}})
			s, err := NewSpec(schema)
			if err != nil {
				t.Fatalf("NewSpec: %v", err)
			}
			if got := len(s.SkippedPatterns()) == 1; got != tt.skipped {
				t.Errorf("SkippedPatterns = %q; want skipped=%v", s.SkippedPatterns(), tt.skipped)
			}
			if err := s.Validate(map[string]any{"v": tt.fits}); err != nil {
				t.Errorf("Validate(%q) = %v; want nil", tt.fits, err)
			}
			if tt.misfits != "" {
				if err := s.Validate(map[string]any{"v": tt.misfits}); err == nil {
					t.Errorf("Validate(%q) = nil; want a pattern problem", tt.misfits)
				}
			}
		})
	}
}

func TestParseSpecDocument(t *testing.T) {
	t.Parallel()
	schema := `{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}`
	tests := []struct {
		name, doc string
		wantErr   bool
	}{
		{"spec.json", `{"connectionSpecification":` + schema + `}`, false},
		{"registry entry", `{"sourceDefinitionId":"x","spec":{"connectionSpecification":` + schema + `}}`, false},
		{"bare schema", schema, false},
		{"https $schema", `{"$schema":"https://json-schema.org/draft-07/schema","type":"object","required":["a"]}`, false},
		{"not JSON", `{`, true},
		{"not an object", `[1]`, true},
		{"spec without schema", `{"spec":{}}`, true},
		{"nothing recognisable", `{"name":"x"}`, true},
		{"schema not an object", `{"connectionSpecification": 3}`, true},
		{"invalid schema", `{"connectionSpecification": {"type": "objekt"}}`, true},
		{"invalid required", `{"connectionSpecification": {"type": "object", "required": true}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := ParseSpecDocument([]byte(tt.doc))
			if tt.wantErr {
				var me *MalformedError
				if !errors.As(err, &me) {
					t.Fatalf("err = %v; want *MalformedError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := problemsOf(t, s.Validate(map[string]any{})); !reflect.DeepEqual(got, []string{"/a: required field is missing"}) {
				t.Errorf("Validate({}) = %q; want /a missing", got)
			}
		})
	}
}

func TestAirbyteKeywordsCompile(t *testing.T) {
	t.Parallel()
	// Each keyword alone, in odd places too: none may break compilation.
	for _, kw := range []string{
		`"airbyte_secret": true`, `"airbyte_hidden": true`, `"order": 3`, `"group": "g"`, `"always_show": true`,
		`"multiline": true`, `"pattern_descriptor": "YYYY"`, `"min": 1`, `"max": "9"`, `"examples": ["x"]`,
	} {
		schema := `{"type":"object","groups":[{"id":"g"}],"properties":{"f":{"type":"string",` + kw + `}}}`
		if _, err := NewSpec([]byte(schema)); err != nil {
			t.Errorf("NewSpec with %s: %v", kw, err)
		}
	}
}

func TestSpecConcurrentUse(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	done := make(chan error, 8)
	for i := range 8 {
		cfg := cfgJSON(t, warehouseOK) // decoded here: t.Fatal only on the test's goroutine
		go func() {
			if i%2 == 0 {
				done <- s.ValidatePatch(map[string]any{"port": 1})
			} else {
				done <- s.Validate(cfg)
			}
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Errorf("concurrent validation: %v", err)
		}
	}
}

// TestSpecDraftFromSchemaKeyword checks the draft is the one $schema names,
// as the server picks it: draft-04's boolean exclusiveMinimum compiles and
// is enforced.
func TestSpecDraftFromSchemaKeyword(t *testing.T) {
	t.Parallel()
	s, err := NewSpec([]byte(`{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
	  "properties": {"n": {"type": "number", "minimum": 0, "exclusiveMinimum": true}}}`))
	if err != nil {
		t.Fatalf("draft-04 schema: %v", err)
	}
	if err := s.Validate(map[string]any{"n": 0}); err == nil {
		t.Error("n = 0 passed an exclusive minimum of 0")
	}
	if err := s.Validate(map[string]any{"n": 1}); err != nil {
		t.Errorf("n = 1: %v", err)
	}
	// Without $schema (or with draft-07) a boolean exclusiveMinimum is not
	// valid.
	if _, err := NewSpec([]byte(`{"properties": {"n": {"exclusiveMinimum": true}}}`)); err == nil {
		t.Error("draft-07 schema with a boolean exclusiveMinimum compiled")
	}
}

// TestSpecRefusesExternalRefs checks that a schema cannot make the program
// read a local file or fetch a URL through $ref.
func TestSpecRefusesExternalRefs(t *testing.T) {
	t.Parallel()
	local := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(local, []byte(`{"type": "string"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"file://" + local, "https://example.com/schema.json", "#/definitions/port"} {
		doc := `{"definitions": {"port": {"type": "integer"}}, "properties": {"a": {"$ref": "` + ref + `"}}}`
		_, err := NewSpec([]byte(doc))
		internal := strings.HasPrefix(ref, "#")
		if internal && err != nil {
			t.Errorf("$ref %s inside the schema: %v", ref, err)
		}
		if !internal && (err == nil || !strings.Contains(err.Error(), "not followed")) {
			t.Errorf("$ref %s: err = %v; want it refused", ref, err)
		}
	}
}

// TestValidateOneOfSharedConst checks the alternative is named by the
// property that tells alternatives apart, not by one whose value they all
// share.
func TestValidateOneOfSharedConst(t *testing.T) {
	t.Parallel()
	s, err := NewSpec([]byte(`{"type": "object", "properties": {"c": {"type": "object", "oneOf": [
	  {"required": ["api_version", "mode", "a"], "properties": {"api_version": {"const": "v1"}, "mode": {"const": "A"}, "a": {"type": "string"}}},
	  {"required": ["api_version", "mode", "b"], "properties": {"api_version": {"const": "v1"}, "mode": {"const": "B"}, "b": {"type": "string"}}}
	]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := problemsOf(t, s.Validate(map[string]any{"c": map[string]any{"api_version": "v1", "mode": "B"}}))
	if len(got) != 1 || !strings.HasPrefix(got[0], "/c/b:") || !strings.Contains(got[0], `mode="B"`) {
		t.Errorf("problems = %q; want one for /c/b naming the alternative mode=\"B\"", got)
	}
}
