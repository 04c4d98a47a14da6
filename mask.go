package airbyte

import (
	"encoding/json"

	"github.com/seed83f33fd3/airbyte-go/internal/redact"
)

const masked = redact.Masked

func maskMap(m map[string]any) map[string]any { return redact.Map(m, masked, nil) }

// maskJSON returns body with secret-looking keys masked, or a placeholder
// when it is not JSON (a non-JSON body is never logged as is).
func maskJSON(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "<non-JSON body>"
	}
	out, _ := json.Marshal(redact.Value(v, masked, nil))
	return string(out)
}
