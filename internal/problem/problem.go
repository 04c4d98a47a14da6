// Package problem parses the error bodies the Airbyte API and the layers in
// front of it send: problem details, HAL errors, gateway and load-shedding
// messages, empty bodies and HTML pages.
package problem

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Details is a best-effort summary of an error body.
type Details struct {
	// Type, Title, Detail and DocumentationURL come from problem bodies.
	Type, Title, Detail, DocumentationURL string
	// Status is the status the body states, or 0.
	Status int
	// Data holds a problem's extra facts, if any.
	Data map[string]any
	// Message is the text of HAL, gateway and load-shedding bodies.
	Message string
	// Code is a gateway's error code, if any.
	Code string
	// HTML is true when the body was an HTML page (from a proxy).
	HTML bool
	// ErrorID is the server's ID of the failure ("errorId"), the only
	// member of many of its error bodies.
	ErrorID string
}

// Summary returns a short one-line description, or "" when the body said
// nothing useful.
func (d Details) Summary() string {
	var parts []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || s == "about:blank" {
			return
		}
		for _, p := range parts {
			if p == s {
				return
			}
		}
		parts = append(parts, s)
	}
	add(d.Title)
	add(d.Detail)
	add(d.Message)
	if d.Code != "" {
		add("code " + d.Code)
	}
	if len(parts) == 0 && d.Type != "" && d.Type != "about:blank" {
		add(d.Type)
	}
	return strings.Join(parts, ": ")
}

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// Parse summarizes body. It never fails: unknown shapes give empty Details.
func Parse(status int, contentType string, body []byte) Details {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return Details{}
	}
	if strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(strings.ToLower(trimmed), "<") {
		d := Details{HTML: true, Message: "HTML page"}
		if m := titleRe.FindStringSubmatch(trimmed); m != nil {
			d.Message = "HTML page: " + strings.Join(strings.Fields(m[1]), " ")
		}
		return d
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return Details{Message: firstLine(trimmed)}
	}
	d := Details{
		Type:             str(raw["type"]),
		Title:            str(raw["title"]),
		Detail:           str(raw["detail"]),
		DocumentationURL: str(raw["documentationUrl"]),
		Message:          str(raw["message"]),
	}
	if data, ok := raw["data"].(map[string]any); ok {
		d.Data = data
	}
	switch s := raw["status"].(type) {
	case float64:
		d.Status = int(s)
	case string:
		d.Status, _ = strconv.Atoi(strings.TrimSpace(s))
	}
	switch id := raw["errorId"].(type) {
	case string:
		d.ErrorID = id
	case float64:
		d.ErrorID = strconv.FormatFloat(id, 'f', -1, 64)
	}
	switch c := raw["code"].(type) {
	case string:
		d.Code = c
	case float64:
		d.Code = strconv.FormatFloat(c, 'f', -1, 64)
	}
	if emb, ok := raw["_embedded"].(map[string]any); ok {
		if errs, ok := emb["errors"].([]any); ok {
			var msgs []string
			for _, e := range errs {
				if m, ok := e.(map[string]any); ok && str(m["message"]) != "" {
					msgs = append(msgs, str(m["message"]))
				}
			}
			if len(msgs) > 0 {
				if d.Message != "" {
					d.Message += ": "
				}
				d.Message += strings.Join(msgs, "; ")
			}
		}
	}
	return d
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return ""
	default:
		return fmt.Sprint(s)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
