package connectors

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

func TestSecretPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    []string
	}{
		{"source-warehouse.spec.json", []string{
			"/password", "/replicas/*/access_token", "/ssl_mode/ca_certificate", "/ssl_mode/client_key",
			"/ssl_mode/client_key_password", "/tunnel/private_key", "/tunnel/tunnel_password",
		}},
		{"destination-lake.entry.json", []string{
			"/credentials/access_key_id", "/credentials/external_id", "/credentials/secret_access_key",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range fixtureSpec(t, tt.fixture).SecretPaths() {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SecretPaths =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
	var nilSpec *Spec
	if got := nilSpec.SecretPaths(); got != nil {
		t.Errorf("nil Spec SecretPaths = %v", got)
	}
}

func TestSecretPathsShapes(t *testing.T) {
	t.Parallel()
	s, err := NewSpec([]byte(`{"type":"object","properties":{
		"a/b": {"type":"string","airbyte_secret":true},
		"not": {"type":"string","airbyte_secret":false},
		"m": {"type":"object","additionalProperties":{"type":"string","airbyte_secret":true}},
		"all": {"allOf":[{"properties":{"x":{"airbyte_secret":true}}}]},
		"any": {"anyOf":[{"properties":{"y":{"airbyte_secret":true}}}]},
		"tuple": {"type":"array","items":[{"type":"string"},{"type":"object","properties":{"z":{"airbyte_secret":true}}}]},
		"nested": {"type":"array","items":{"type":"array","items":{"type":"string","airbyte_secret":true}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.SecretPaths() {
		got = append(got, p.String())
	}
	want := []string{"/all/x", "/any/y", "/a~1b", "/m/*", "/nested/*/*", "/tuple/*/z"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SecretPaths = %q; want %q", got, want)
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	cfg := cfgJSON(t, warehouseOK)
	cfg["tunnel"] = map[string]any{"tunnel_type": "PASSWORD", "tunnel_host": "j", "tunnel_user": "u", "tunnel_password": "tp"}
	before, _ := json.Marshal(cfg)
	got := s.Mask(cfg)
	after, _ := json.Marshal(cfg)
	if string(before) != string(after) {
		t.Error("Mask modified its input")
	}
	b, _ := json.Marshal(got)
	out := string(b)
	for _, leak := range []string{"hunter2-pw", "CA-PEM", "KEY-PEM", "tp\"", "tok-r1"} {
		if strings.Contains(out, leak) {
			t.Errorf("masked configuration still holds %q: %s", leak, out)
		}
	}
	for _, keep := range []string{`"host":"db.internal"`, `"username":"reader"`, `"tunnel_user":"u"`, `"account_code":"ABC123"`, `{"host":"r2","weight":50}`} {
		if !strings.Contains(out, keep) {
			t.Errorf("masked configuration lost %s: %s", keep, out)
		}
	}
	if got["password"] != Masked {
		t.Errorf("password = %v; want %q", got["password"], Masked)
	}
	// Absent secrets stay absent (client_key_password was never given).
	if _, ok := got["ssl_mode"].(map[string]any)["client_key_password"]; ok {
		t.Error("Mask added an absent secret")
	}
	if s.Mask(nil) != nil {
		t.Error("Mask(nil) != nil")
	}
}

func TestMaskWithoutSchemaGuessesFromKeyNames(t *testing.T) {
	t.Parallel()
	var s *Spec
	got := s.Mask(map[string]any{"host": "h", "api_key": "k", "nested": map[string]any{"password": "p"}})
	want := map[string]any{"host": "h", "api_key": Masked, "nested": map[string]any{"password": Masked}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Mask = %v; want %v", got, want)
	}
	// With a schema, only the schema counts: a key named like a secret
	// that the schema does not mark stays, and one named innocently but
	// marked is masked.
	schema, err := NewSpec([]byte(`{"type":"object","properties":{"api_key_name":{"type":"string"},"pin":{"type":"string","airbyte_secret":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got = schema.Mask(map[string]any{"api_key_name": "visible", "pin": "1234"})
	want = map[string]any{"api_key_name": "visible", "pin": Masked}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Mask = %v; want %v", got, want)
	}
}

func TestMergeSecrets(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	tests := []struct {
		name, cfg, secrets, want string
		wantErr                  string
	}{
		{"fill absent and masked",
			`{"host":"h","password":"**********","ssl_mode":{"mode":"verify"},"replicas":[{"host":"r1","access_token":"**********"},{"host":"r2"}]}`,
			`{"password":"pw","ssl_mode":{"ca_certificate":"ca"},"replicas":[{"access_token":"t1"},{"access_token":"t2"}]}`,
			`{"host":"h","password":"pw","ssl_mode":{"mode":"verify","ca_certificate":"ca"},"replicas":[{"host":"r1","access_token":"t1"},{"host":"r2","access_token":"t2"}]}`,
			""},
		{"given values win",
			`{"password":"new"}`, `{"password":"old"}`, `{"password":"new"}`, "/password"},
		{"same value is fine",
			`{"password":"pw"}`, `{"password":"pw"}`, `{"password":"pw"}`, ""},
		{"no parent, no placement",
			`{"host":"h"}`, `{"tunnel":{"private_key":"k"}}`, `{"host":"h"}`, "/tunnel/private_key"},
		{"not a secret field",
			`{"host":"h"}`, `{"host":"evil","pasword":"typo"}`, `{"host":"h"}`, "/host, /pasword"},
		{"a mask left without a value is an error",
			`{"host":"h","password":"**********","replicas":[{"host":"r1","access_token":"**********"}]}`,
			`{"password":"pw"}`,
			`{"host":"h","password":"pw","replicas":[{"host":"r1","access_token":"**********"}]}`, "/replicas/0/access_token"},
		{"more array secrets than elements",
			`{"replicas":[{"host":"r1"}]}`, `{"replicas":[{"access_token":"t1"},{"access_token":"t2"}]}`,
			`{"replicas":[{"host":"r1","access_token":"t1"}]}`, "/replicas/1/access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, secrets := cfgJSON(t, tt.cfg), cfgJSON(t, tt.secrets)
			got, err := s.MergeSecrets(cfg, secrets)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(cfgJSON(t, tt.want))
			if string(gb) != string(wb) {
				t.Errorf("merged = %s; want %s", gb, wb)
			}
			if tt.wantErr == "" && err != nil {
				t.Errorf("err = %v; want nil", err)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.HasSuffix(err.Error(), ": "+tt.wantErr) {
					t.Errorf("err = %v; want one naming %s", err, tt.wantErr)
				}
			}
			if err != nil {
				for _, v := range []string{"pw", "old", "evil", "typo", "t2"} {
					if strings.Contains(err.Error(), `"`+v+`"`) || strings.Contains(err.Error(), " "+v) {
						t.Errorf("error %q holds a value", err)
					}
				}
			}
			if b, _ := json.Marshal(cfg); string(b) != string(mustJSON(t, tt.cfg)) {
				t.Errorf("MergeSecrets modified cfg: %s", b)
			}
		})
	}
}

func mustJSON(t *testing.T, s string) []byte {
	t.Helper()
	b, _ := json.Marshal(cfgJSON(t, s))
	return b
}

// A configuration masked and merged back is the original.
func TestMaskThenMergeRoundTrip(t *testing.T) {
	t.Parallel()
	s := fixtureSpec(t, "source-warehouse.spec.json")
	orig := cfgJSON(t, warehouseOK)
	back, err := s.MergeSecrets(s.Mask(orig), orig)
	if err == nil {
		t.Fatal("merging the whole configuration as secrets: want the non-secret fields reported")
	}
	ob, _ := json.Marshal(orig)
	bb, _ := json.Marshal(back)
	if string(ob) != string(bb) {
		t.Errorf("round trip = %s; want %s", bb, ob)
	}
}

// TestMaskedIsTheProjectsMask keeps connectors.Masked and the mask the
// client and the fake write (internal/redact) the same.
func TestMaskedIsTheProjectsMask(t *testing.T) {
	if Masked != redact.Masked {
		t.Errorf("connectors.Masked = %q; internal/redact writes %q", Masked, redact.Masked)
	}
}
