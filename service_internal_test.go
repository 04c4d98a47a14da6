package airbyte

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func TestNoContent(t *testing.T) {
	t.Parallel()
	req := &http.Request{Method: http.MethodDelete, URL: &url.URL{Path: "/v1/sources/x"}}
	cases := []struct {
		name       string
		resp       *http.Response
		wantStatus int // 0: no error
		wantErr    bool
	}{
		{"204", &http.Response{StatusCode: http.StatusNoContent, Request: req}, 0, false},
		{"200", &http.Response{StatusCode: http.StatusOK, Request: req}, 0, false},
		{"304 is not success", &http.Response{StatusCode: http.StatusNotModified, Header: http.Header{}, Request: req}, http.StatusNotModified, true},
		{"404 not turned into an error by a transport", &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}, Request: req}, http.StatusNotFound, true},
		{"no response", nil, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := noContent(tc.resp, nil)
			if (err != nil) != tc.wantErr {
				t.Fatalf("noContent = %v; want error %v", err, tc.wantErr)
			}
			var apiErr *APIError
			if tc.wantStatus != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.wantStatus || apiErr.Operation != "DELETE /v1/sources/x") {
				t.Errorf("noContent = %#v; want an *APIError for DELETE /v1/sources/x with status %d", err, tc.wantStatus)
			}
		})
	}
}
