package airbyte

import (
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// UUID is the type of every ID in the API except job IDs (int64) and
// application IDs (string). It is github.com/google/uuid's UUID (through
// oapi-codegen's runtime), so values pass to and from package generated
// without conversion; ParseUUID makes one from text.
type UUID = openapi_types.UUID

// ParseUUID parses a UUID in its textual form, such as
// "3f0c8a52-6d1e-4b7a-9c2d-5e8f1a0b4c6d" (any case).
func ParseUUID(s string) (UUID, error) { return uuid.Parse(s) }
