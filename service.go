package airbyte

import (
	"fmt"
	"net/http"
	"time"
)

// service is what every typed service holds: the client it calls through.
// Each service type (SourcesService, JobsService, …) is a service under
// another name, so that one value can be viewed as all of them.
//
// The typed methods (services.gen.go) return (*T, error) where the answer
// has a JSON body, ([]byte, error) where it is a page of another type, and
// error alone where it has no body (204 and the like).
type service struct {
	client *Client
}

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
