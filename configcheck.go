package airbyte

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// A ConfigValidator checks a source's or a destination's configuration
// before the client sends it. *connectors.Checker is one: it finds the
// connector in a registry and checks the configuration against the
// connector's own schema.
//
// kind is "source" or "destination". definitionID is the request's
// definitionId, or the stored resource's for a replace or a patch, or ""
// when neither is known. typeName is the configuration's sourceType or
// destinationType, or "". patch is true for a PATCH, whose configuration
// is partial.
type ConfigValidator interface {
	ValidateConfiguration(ctx context.Context, kind, definitionID, typeName string, configuration map[string]any, patch bool) error
}

// A ConfigMasker knows which values of a configuration are secrets by its
// connector's schema (the fields marked airbyte_secret), beyond what key
// names suggest. *connectors.Checker is one. When the validator given to
// WithConfigValidator is also a ConfigMasker, the client masks the
// configurations it sends by their schema in its debug log
// (WithBodyLogging) and wherever an error answer echoes them.
//
// It returns a copy of configuration with each secret value replaced by
// "**********".
type ConfigMasker interface {
	MaskConfiguration(kind, definitionID, typeName string, configuration map[string]any) map[string]any
}

// WithConfigValidator makes the client check every configuration it sends
// in a create, replace or patch of a source or a destination with v, and
// send nothing when the check fails: the call returns a *ConfigError
// wrapping v's error, before the server is asked.
//
// A replace or a patch names neither the connector nor its definition, so
// the client first reads the resource (one GET) to learn its definitionId
// when the configuration carries no sourceType or destinationType.
//
//	reg, _ := connectors.LoadRegistryFile("oss_registry.json")
//	client, err := airbyte.NewClient(airbyte.FromEnv(), airbyte.WithConfigValidator(connectors.NewChecker(reg)))
func WithConfigValidator(v ConfigValidator) Option {
	return option(func(s *settings) error {
		if v == nil {
			return fmt.Errorf("airbyte: WithConfigValidator: nil validator")
		}
		s.configValidator = v
		return nil
	})
}

// A ConfigError is a configuration the client refused to send because
// its ConfigValidator found it does not fit the connector.
type ConfigError struct {
	// Operation is the request that was not sent, as "METHOD /path".
	Operation string
	// Err is the validator's error, such as a *connectors.ValidationError
	// naming each field by its JSON pointer.
	Err error
}

// Error says which request was not sent and why.
func (e *ConfigError) Error() string {
	if e == nil || e.Err == nil {
		return "airbyte: <nil *ConfigError>"
	}
	return "airbyte: " + e.Operation + ": configuration not sent: " + strings.TrimPrefix(e.Err.Error(), "airbyte: ")
}

// Unwrap returns the validator's error.
func (e *ConfigError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// configCheck is the request editor that runs the ConfigValidator.
type configCheck struct {
	v      ConfigValidator
	base   string // the server URL's path, such as "/api/public/v1"
	client func() *Client
	// defs remembers the definition ID read for a source or destination
	// ID before a replace or patch, so that the same request's secrets can
	// be found by schema too; the entry goes when the request ends.
	defs sync.Map // resource ID -> definition ID
}

// edit checks the configuration of the requests that carry one.
func (cc *configCheck) edit(ctx context.Context, req *http.Request) error {
	kind, id, ok := configTarget(req.Method, strings.TrimPrefix(req.URL.Path, cc.base))
	if !ok || req.GetBody == nil {
		return nil
	}
	rc, err := req.GetBody()
	if err != nil {
		return nil
	}
	raw, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil
	}
	var body struct {
		Configuration map[string]any `json:"configuration"`
		DefinitionID  string         `json:"definitionId"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body.Configuration == nil {
		return nil // no configuration to check (a patch of the name only)
	}
	typeName, _ := body.Configuration[kind+"Type"].(string)
	defID := body.DefinitionID
	if defID == "" && typeName == "" && id != "" {
		if defID, err = cc.storedDefinition(ctx, kind, id); err != nil {
			return &ConfigError{Operation: req.Method + " " + req.URL.Path, Err: fmt.Errorf("reading the %s to learn its connector: %w", kind, err)}
		}
		cc.defs.Store(id, defID)
	}
	cfg := jsonNumbers(body.Configuration).(map[string]any)
	if err := cc.v.ValidateConfiguration(ctx, kind, defID, typeName, cfg, req.Method == http.MethodPatch); err != nil {
		return &ConfigError{Operation: req.Method + " " + req.URL.Path, Err: err}
	}
	return nil
}

// schemaSecrets records, in sent, the values of a request's configuration
// that the validator, when it is a ConfigMasker, says are secrets, so that
// the debug log and error answers mask them even where their key names
// look harmless. The connector is the one the request names, or for a
// replace or patch the one edit read before the request was sent.
func (cc *configCheck) schemaSecrets(req *http.Request, body []byte, sent *secrets) {
	m, ok := cc.v.(ConfigMasker)
	if !ok || len(body) == 0 {
		return
	}
	kind, id, ok := configTarget(req.Method, strings.TrimPrefix(req.URL.Path, cc.base))
	if !ok {
		return
	}
	var in struct {
		Configuration map[string]any `json:"configuration"`
		DefinitionID  string         `json:"definitionId"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&in) != nil || in.Configuration == nil {
		return
	}
	typeName, _ := in.Configuration[kind+"Type"].(string)
	defID := in.DefinitionID
	if defID == "" && typeName == "" && id != "" {
		if v, ok := cc.defs.Load(id); ok {
			defID = v.(string)
		}
	}
	if defID == "" && typeName == "" {
		return
	}
	maskedCfg := m.MaskConfiguration(kind, defID, typeName, in.Configuration)
	collectMasked(in.Configuration, maskedCfg, sent)
}

// collectMasked adds to sent every value of orig that masked replaced by
// the mask.
func collectMasked(orig, maskedV any, sent *secrets) {
	switch o := orig.(type) {
	case map[string]any:
		m, _ := maskedV.(map[string]any)
		for k, v := range o {
			if mv, ok := m[k]; ok {
				collectMasked(v, mv, sent)
			}
		}
	case []any:
		m, _ := maskedV.([]any)
		for i, v := range o {
			if i < len(m) {
				collectMasked(v, m[i], sent)
			}
		}
	default:
		if s, _ := maskedV.(string); s == masked && orig != nil {
			if str, ok := orig.(string); ok {
				sent.add(str)
			} else {
				sent.add(fmt.Sprint(orig))
			}
		}
	}
}

// forget drops what edit learnt for req once the request is done, so that
// defs holds only the requests in flight.
func (cc *configCheck) forget(req *http.Request) {
	if _, id, ok := configTarget(req.Method, strings.TrimPrefix(req.URL.Path, cc.base)); ok && id != "" {
		cc.defs.Delete(id)
	}
}

// configTarget tells which requests carry a configuration: POST /sources,
// PUT and PATCH /sources/{id}, and the same for destinations.
func configTarget(method, path string) (kind, id string, ok bool) {
	for _, k := range []string{"source", "destination"} {
		rest, found := strings.CutPrefix(path, "/"+k+"s")
		if !found {
			continue
		}
		switch {
		case rest == "" && method == http.MethodPost:
			return k, "", true
		case strings.HasPrefix(rest, "/") && !strings.Contains(rest[1:], "/") && (method == http.MethodPut || method == http.MethodPatch):
			id, err := url.PathUnescape(rest[1:])
			return k, id, err == nil
		}
	}
	return "", "", false
}

// storedDefinition reads a source's or destination's definition ID.
func (cc *configCheck) storedDefinition(ctx context.Context, kind, id string) (string, error) {
	uid, err := ParseUUID(id)
	if err != nil {
		return "", err
	}
	c := cc.client()
	if kind == "source" {
		src, err := c.Sources.Get(ctx, uid, nil)
		if err != nil {
			return "", err
		}
		return definitionString(src.DefinitionId), nil
	}
	dst, err := c.Destinations.Get(ctx, uid, nil)
	if err != nil {
		return "", err
	}
	return definitionString(dst.DefinitionId), nil
}

func definitionString(id openapi_types.UUID) string {
	if id == (openapi_types.UUID{}) {
		return ""
	}
	return id.String()
}

// jsonNumbers turns the json.Numbers of a decoded value into int64 or
// float64, as validators expect Go numbers.
func jsonNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonNumbers(e)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
	}
	return v
}
