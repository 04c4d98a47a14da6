package airbyte

import (
	"encoding/json"
	"strings"
)

// secretWords mark keys whose values are never logged or kept in errors.
var secretWords = []string{"password", "secret", "token", "key", "credential", "authorization", "private"}

func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

const masked = "**********"

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return maskMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = maskValue(e)
		}
		return out
	}
	return v
}

func maskMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if isSecretKey(k) {
			out[k] = masked
		} else {
			out[k] = maskValue(v)
		}
	}
	return out
}

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
	out, _ := json.Marshal(maskValue(v))
	return string(out)
}
