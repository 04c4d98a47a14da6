//go:build tools

// This file pins the code generator: its version comes from go.mod, so every
// machine writes the same generated code and the same header.
package airbyte

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
