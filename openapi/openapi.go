// Package openapi holds airbyte-go's OpenAPI 3.0 description of the Airbyte
// public API (airbyte.yaml) and loads it as a validated kin-openapi document.
//
// The document is the single source of the generated client (package
// generated), the contract suite and the fake server. Only tests and tools
// import this package, so the client itself never depends on kin-openapi.
//
// API reference: https://reference.airbyte.com
package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed airbyte.yaml
var specYAML []byte

// SelfManagedPath is the path under a self-managed installation's web app
// address at which the public API is served.
const SelfManagedPath = "/api/public/v1"

// uuidPattern matches the textual form of a UUID in any case.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Spec returns a copy of the OpenAPI document as YAML.
func Spec() []byte { return bytes.Clone(specYAML) }

//go:embed DEVIATIONS.md
var deviationsMD []byte

// Deviations returns a copy of DEVIATIONS.md: every way this document
// knowingly differs from the one Airbyte publishes, each with its reason.
// cmd/airbyte-drift checks the list against the upstream document.
func Deviations() []byte { return bytes.Clone(deviationsMD) }

// Load parses the embedded document, registers the string formats it uses
// (uuid) on the document itself rather than in kin-openapi's global table,
// and validates it, examples included. Each call returns a new document,
// which the caller may modify (for example to add servers).
func Load() (*openapi3.T, error) {
	return LoadData(specYAML)
}

// LoadData is Load for another document, such as a modified copy of the
// spec in a test.
func LoadData(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse spec: %w", err)
	}
	RegisterFormats(doc)
	if err := doc.Validate(context.Background(),
		openapi3.EnableExamplesValidation(),
		openapi3.EnableSchemaFormatValidation(),
	); err != nil {
		return nil, fmt.Errorf("openapi: validate spec: %w", err)
	}
	return doc, nil
}

// RegisterFormats registers the string formats the spec uses beyond
// kin-openapi's defaults on doc (uuid, checked case-insensitively).
func RegisterFormats(doc *openapi3.T) {
	doc.SetStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(uuidPattern.String()))
}

// SchemaOptions returns the options to validate a value against one of the
// document's schemas with the document's formats, for example
// schema.VisitJSON(v, openapi.SchemaOptions(doc)...).
func SchemaOptions(doc *openapi3.T) []openapi3.SchemaValidationOption {
	return append(doc.GetSchemaValidationOptions(), openapi3.MultiErrors())
}
