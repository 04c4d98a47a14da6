package connectors_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/seed83f33fd3/airbyte-go/connectors"
)

// exampleSchema is a small connectionSpecification of our own: a
// database source with a password and a TLS choice.
const exampleSchema = `{
  "type": "object",
  "required": ["host", "port", "tls"],
  "properties": {
    "host": {"type": "string"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535},
    "password": {"type": "string", "airbyte_secret": true},
    "tls": {
      "type": "object",
      "oneOf": [
        {"type": "object", "required": ["mode"], "properties": {"mode": {"const": "off"}}},
        {"type": "object", "required": ["mode", "client_key"], "properties": {
          "mode": {"const": "mutual"},
          "client_key": {"type": "string", "airbyte_secret": true}}}
      ]
    }
  }
}`

func ExampleClient_Resolve() {
	// A stand-in for connectors.airbyte.com serving a registry of one source.
	registry := `{"sources": [{"sourceDefinitionId": "3f2a7c1e-5b8d-4e6f-9a0b-1c2d3e4f5a6b",
		"name": "Ledger", "dockerRepository": "airbyte/source-ledger", "dockerImageTag": "2.3.1",
		"spec": {"connectionSpecification": ` + exampleSchema + `}}], "destinations": []}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, registry)
	}))
	defer srv.Close()

	c := &connectors.Client{
		HTTPClient:  srv.Client(),
		RegistryURL: srv.URL + "/files/registries/v0/oss_registry.json", // default: connectors.OSSRegistryURL
		// Cache: &connectors.Cache{Dir: dir} keeps the document on disk.
	}
	ctx := context.Background()
	d, err := c.Resolve(ctx, connectors.Ref{Name: "ledger", Kind: connectors.KindSource})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.DefinitionID, d.DockerImageTag, d.ShortName())
	spec, err := d.CompileSpec()
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range spec.SecretPaths() {
		fmt.Println("secret:", p)
	}

	_, err = c.Resolve(ctx, connectors.Ref{Name: "source-ledgr"})
	fmt.Println(errors.Is(err, connectors.ErrUnknownConnector))
	// Output:
	// 3f2a7c1e-5b8d-4e6f-9a0b-1c2d3e4f5a6b 2.3.1 ledger
	// secret: /password
	// secret: /tls/client_key
	// true
}

func ExampleSpec_Validate() {
	spec, err := connectors.NewSpec([]byte(exampleSchema))
	if err != nil {
		log.Fatal(err)
	}
	cfg := map[string]any{
		"sourceType": "ledger", // the API's member, not the connector's: not checked
		"host":       "db.internal",
		"port":       70000,
		"tls":        map[string]any{"mode": "mutual"},
	}
	err = spec.Validate(cfg)
	var ve *connectors.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// A patch names only what changes.
	fmt.Println(spec.ValidatePatch(map[string]any{"port": 5433}))
	// Output:
	// /port: expected at most 65535
	// /tls/client_key: required field is missing (alternative mode="mutual")
	// <nil>
}

func ExampleSpec_Mask() {
	spec, err := connectors.NewSpec([]byte(exampleSchema))
	if err != nil {
		log.Fatal(err)
	}
	cfg := map[string]any{"host": "db.internal", "port": 5432, "password": "pa55",
		"tls": map[string]any{"mode": "mutual", "client_key": "-----KEY-----"}}
	b, _ := json.Marshal(spec.Mask(cfg))
	fmt.Println(string(b))

	// Without a schema, keys that look like secrets are masked.
	var unknown *connectors.Spec
	b, _ = json.Marshal(unknown.Mask(map[string]any{"host": "h", "api_token": "t"}))
	fmt.Println(string(b))
	// Output:
	// {"host":"db.internal","password":"**********","port":5432,"tls":{"client_key":"**********","mode":"mutual"}}
	// {"api_token":"**********","host":"h"}
}

func ExampleSpec_MergeSecrets() {
	spec, err := connectors.NewSpec([]byte(exampleSchema))
	if err != nil {
		log.Fatal(err)
	}
	// As read back from the server, secrets masked.
	stored := map[string]any{"host": "db.internal", "port": 5432, "password": "**********",
		"tls": map[string]any{"mode": "mutual", "client_key": "**********"}}
	// Kept apart, in a secret store.
	secrets := map[string]any{"password": "pa55", "tls": map[string]any{"client_key": "-----KEY-----"}}

	cfg, err := spec.MergeSecrets(stored, secrets)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg["password"], cfg["tls"].(map[string]any)["client_key"])
	fmt.Println(spec.Validate(cfg))
	// Output:
	// pa55 -----KEY-----
	// <nil>
}
