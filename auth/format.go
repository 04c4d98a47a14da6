package auth

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// formatSafe writes the redacted form of a value for any fmt verb: the
// GoString form for %#v, the quoted String form for %q, and the String
// form for every other verb (%v, %+v, %s, %d, %x, ...), so no verb falls
// back to printing the fields, secrets included.
func formatSafe(f fmt.State, verb rune, str, goStr string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, goStr)
	case verb == 'q':
		io.WriteString(f, strconv.Quote(str))
	default:
		io.WriteString(f, str)
	}
}

func redact(s string) string {
	if s == "" {
		return `""`
	}
	return redacted
}

// displayURL is raw as it may appear in messages: the user info, query and
// fragment, which may hold credentials, are replaced by "[redacted]", and
// a raw value that does not parse is not shown at all.
func displayURL(raw string) string {
	if raw == "" {
		return ""
	}
	if !strings.ContainsAny(raw, "@?#") {
		return raw
	}
	return "[redacted URL: it may hold credentials]"
}
