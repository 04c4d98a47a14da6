package airbyte

import (
	"fmt"
	"net/http"
	"time"
)

// The typed methods (services.gen.go) return (*T, error) where the answer
// has a JSON body, ([]byte, error) where the body is not JSON (the HTML of
// Root.Documentation), and error alone where it has no body (204 and the
// like). Each service type
// (SourcesService, JobsService, …) holds only the client it calls through.

// noContent checks an answer that carries no JSON body: nil for a 2xx,
// else an *APIError. The client's transport already turns non-2xx answers
// into errors; this keeps a response that bypassed it from passing as
// success.
func noContent(resp *http.Response, body []byte) error {
	if resp == nil {
		return fmt.Errorf("airbyte: no HTTP response")
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	method, path := "", ""
	if resp.Request != nil && resp.Request.URL != nil {
		method, path = resp.Request.Method, resp.Request.URL.Path
	}
	return apiErrorFrom(method, path, resp.StatusCode, resp.Header, body, time.Now())
}
