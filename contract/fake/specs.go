package fake

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/seed83f33fd3/airbyte-go/connectors"
	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

// Configuration schemas for some of the connectors the fake knows. They
// are the fake's own, shaped as connectors' connectionSpecifications are
// (draft-07, secrets marked airbyte_secret) but lenient: no member is
// required, so that short test configurations pass; types, bounds, enums
// and formats are checked.
var specSources = map[string]string{
	"source/postgres": `{"type":"object","properties":{
		"host":{"type":"string","minLength":1},
		"port":{"type":"integer","minimum":0,"maximum":65535},
		"database":{"type":"string"},
		"username":{"type":"string"},
		"password":{"type":"string","airbyte_secret":true},
		"schemas":{"type":"array","items":{"type":"string"}},
		"ssl_mode":{"type":"object","properties":{"mode":{"type":"string","enum":["disable","allow","prefer","require","verify-ca","verify-full"]}}}}}`,
	"source/faker": `{"type":"object","properties":{
		"count":{"type":"integer","minimum":1},
		"seed":{"type":"integer"},
		"records_per_slice":{"type":"integer","minimum":1},
		"parallelism":{"type":"integer","minimum":1}}}`,
	"source/stripe": `{"type":"object","properties":{
		"account_id":{"type":"string"},
		"client_secret":{"type":"string","airbyte_secret":true},
		"start_date":{"type":"string","format":"date-time"},
		"lookback_window_days":{"type":"integer","minimum":0}}}`,
	"destination/postgres": `{"type":"object","properties":{
		"host":{"type":"string"},
		"port":{"type":"integer","minimum":0,"maximum":65535},
		"database":{"type":"string"},
		"schema":{"type":"string"},
		"username":{"type":"string"},
		"password":{"type":"string","airbyte_secret":true}}}`,
	"destination/bigquery": `{"type":"object","properties":{
		"project_id":{"type":"string"},
		"dataset_id":{"type":"string"},
		"dataset_location":{"type":"string"},
		"credentials_json":{"type":"string","airbyte_secret":true}}}`,
	"destination/e2e-test": `{"type":"object","properties":{
		"test_destination":{"type":"object","properties":{
			"test_destination_type":{"type":"string","enum":["LOGGING","THROTTLED","SILENT","FAILING"]}}}}}`,
}

var (
	specsOnce sync.Once
	specs     map[string]*connectors.Spec
	specsErr  error
)

// knownSpecs compiles the schemas above once; New reports a failure, so
// that no request meets it.
func knownSpecs() (map[string]*connectors.Spec, error) {
	specsOnce.Do(func() {
		specs = map[string]*connectors.Spec{}
		for name, doc := range specSources {
			s, err := connectors.NewSpec([]byte(doc))
			if err != nil {
				specsErr = errors.Join(specsErr, fmt.Errorf("fake: the built-in schema of %s does not compile: %w", name, err))
				continue
			}
			specs[name] = s
		}
	})
	return specs, specsErr
}

// specFor returns the compiled schema of a known connector, or nil when
// the fake has none for it (then nothing is checked).
func specFor(kind, defID string) *connectors.Spec {
	k := connectorByID(kind, defID)
	if k == nil {
		return nil
	}
	all, _ := knownSpecs()
	return all[kind+"/"+k.name]
}

// checkConfig validates a configuration (patch: a partial one) against
// its connector's schema; a misfit answers 422 unprocessable-entity
// listing each field and rule, never a value
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt:117-120).
func checkConfig(c *call, kind, defID string, cfg map[string]any, patch bool) bool {
	spec := specFor(kind, defID)
	if spec == nil {
		return true
	}
	// Validate leaves the sourceType/destinationType member out itself.
	var err error
	if patch {
		err = spec.ValidatePatch(cfg)
	} else {
		err = spec.Validate(cfg)
	}
	var ve *connectors.ValidationError
	if errors.As(err, &ve) {
		msgs := make([]string, len(ve.Problems))
		for i, p := range ve.Problems {
			msgs[i] = p.String()
		}
		c.rec.message(probUnprocessable, "The configuration does not fit the connector's specification: "+strings.Join(msgs, "; "))
		return false
	}
	return err == nil
}

// maskConfig masks what the connector's schema marks secret, and what
// looks secret by its name.
func maskConfig(kind, defID string, cfg obj) obj {
	if spec := specFor(kind, defID); spec != nil {
		cfg = spec.Mask(cfg)
	}
	return redact.Map(cfg, redact.Masked, nil)
}
