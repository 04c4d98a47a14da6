package warehouse_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/connectors"
	"github.com/seed83f33fd3/airbyte-go/connectors/examples/warehouse"
	"github.com/seed83f33fd3/airbyte-go/connectors/typegen"
)

const specFile = "../../testdata/source-warehouse.spec.json"

func spec(t *testing.T) *connectors.Spec {
	t.Helper()
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := connectors.ParseSpecDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// typed is a configuration built with the generated types, touching a
// oneOf inside a oneOf, arrays of objects, maps and optional fields.
func typed() warehouse.Config {
	return warehouse.Config{
		Host: "db.internal", Port: 7070, Database: "sales", Username: "reader",
		Password:    ptr("pw"),
		AccountCode: ptr("ZX81AB"),
		StartDate:   ptr("2024-02-29"),
		Schemas:     []string{"main"},
		SSLMode:     warehouse.ConfigSSLModeVerify{CACertificate: "pem", ClientKey: ptr("key")},
		Replication: warehouse.ConfigReplicationChangeLog{
			Slot:        "slot_1",
			InitialLoad: warehouse.ConfigReplicationChangeLogInitialLoadSnapshot{Parallelism: ptr(int64(8))},
		},
		Tunnel:   warehouse.ConfigTunnelPassword{TunnelHost: "jump", TunnelUser: "u", TunnelPassword: "tp"},
		Replicas: []warehouse.ConfigReplicasItem{{Host: "r1", Weight: 10, AccessToken: ptr("t")}},
		Labels:   map[string]string{"team": "data"},
	}
}

func TestTypedConfigRoundTripsAndValidates(t *testing.T) {
	t.Parallel()
	s := spec(t)
	tests := []struct {
		name string
		edit func(*warehouse.Config)
	}{
		{"as built", func(*warehouse.Config) {}},
		{"other alternatives", func(c *warehouse.Config) {
			c.SSLMode = warehouse.ConfigSSLModeOff{}
			c.Replication = warehouse.ConfigReplicationScan{}
			c.Tunnel = warehouse.ConfigTunnelKey{TunnelHost: "jump.example", TunnelUser: "u", PrivateKey: "k", TunnelPort: ptr(int64(2222))}
		}},
		{"inner alternative", func(c *warehouse.Config) {
			c.Replication = warehouse.ConfigReplicationChangeLog{Slot: "s", InitialLoad: warehouse.ConfigReplicationChangeLogInitialLoadSkip{Confirm: true}}
		}},
		{"optional fields left out", func(c *warehouse.Config) {
			*c = warehouse.Config{Host: "h", Port: 1, Database: "d", Username: "u",
				SSLMode: warehouse.ConfigSSLModeRequire{}, Replication: warehouse.ConfigReplicationScan{}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := typed()
			tt.edit(&cfg)
			b, err := json.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m["sourceType"] != "warehouse" {
				t.Errorf("sourceType = %v; want warehouse", m["sourceType"])
			}
			if err := s.Validate(m); err != nil {
				t.Errorf("Validate(%s) = %v", b, err)
			}
			var back warehouse.Config
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !reflect.DeepEqual(back, cfg) {
				t.Errorf("round trip =\n%#v\nwant\n%#v", back, cfg)
			}
		})
	}
}

func TestDecodeConfiguration(t *testing.T) {
	t.Parallel()
	in := `{"sourceType":"warehouse","host":"h","port":5,"database":"d","username":"u",
		"ssl_mode":{"mode":"verify","ca_certificate":"pem"},
		"replication":{"method":"ChangeLog","slot":"s","initial_load":{"strategy":"skip","confirm":true}},
		"replicas":[{"host":"r","weight":1}]}`
	var cfg warehouse.Config
	if err := json.Unmarshal([]byte(in), &cfg); err != nil {
		t.Fatal(err)
	}
	v, ok := cfg.SSLMode.(warehouse.ConfigSSLModeVerify)
	if !ok || v.CACertificate != "pem" {
		t.Errorf("SSLMode = %#v; want Verify with its certificate", cfg.SSLMode)
	}
	r, ok := cfg.Replication.(warehouse.ConfigReplicationChangeLog)
	if !ok {
		t.Fatalf("Replication = %#v; want ChangeLog", cfg.Replication)
	}
	if skip, ok := r.InitialLoad.(warehouse.ConfigReplicationChangeLogInitialLoadSkip); !ok || !skip.Confirm {
		t.Errorf("InitialLoad = %#v; want Skip confirmed", r.InitialLoad)
	}
	out, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal([]byte(in), &a)
	_ = json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("re-marshalled = %s; want %s", out, in)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ in, want string }{
		"unknown alternative":    {`{"ssl_mode":{"mode":"strict"}}`, `ssl_mode: unknown "mode" "strict"`},
		"no discriminator":       {`{"ssl_mode":{}}`, `ssl_mode: no "mode"`},
		"inner unknown":          {`{"replication":{"method":"ChangeLog","initial_load":{"strategy":"later"}}}`, `replication: initial_load: unknown "strategy"`},
		"alternative wrong type": {`{"ssl_mode":{"mode":"verify","ca_certificate":5}}`, `ssl_mode: json: cannot unmarshal number`},
	} {
		var cfg warehouse.Config
		err := json.Unmarshal([]byte(tt.in), &cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Unmarshal err = %v; want one containing %q", name, err, tt.want)
		}
	}
}

// The committed file is what the generator writes today.
func TestGeneratedFileIsFresh(t *testing.T) {
	t.Parallel()
	want, err := typegen.Generate(spec(t).Schema(), typegen.Options{
		Package: "warehouse", Type: "Config", Kind: connectors.KindSource, Name: "warehouse", Source: specFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("config.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("config.gen.go is stale: run go generate ./connectors/examples/...")
	}
}
