package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

// exampleAPI is a stand-in for an Airbyte server under /v1: it hands out
// a token for the application "my-app" and lists workspaces to requests
// carrying it.
func exampleAPI() (*httptest.Server, *atomic.Int64) {
	var tokenRequests atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/applications/token", func(w http.ResponseWriter, r *http.Request) {
		tokenRequests.Add(1)
		var body struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		if body.ClientID != "my-app" || body.ClientSecret != "my-secret" {
			http.Error(w, `{"title":"Unauthorized","status":401}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"example-token","token_type":"Bearer","expires_in":900}`)
	})
	mux.HandleFunc("GET /v1/workspaces", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer example-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"workspaceId":"0b7f3e46-5c1d-4d3a-9a43-6f0e2d1c9b11","name":"Analytics"}]}`)
	})
	return httptest.NewServer(mux), &tokenRequests
}

// Package auth on its own: a token source from an application's client
// credentials, and an http.Client whose Transport adds the token to the
// requests for the API.
func Example() {
	server, tokenRequests := exampleAPI()
	defer server.Close()

	src, err := auth.NewClientCredentials(auth.Config{
		ClientID:     "my-app",
		ClientSecret: "my-secret",
		ServerURL:    server.URL + "/v1", // plain http is allowed to loopback only
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: src.ServerURL()}}
	for range 2 {
		resp, err := client.Get(src.ServerURL() + "/workspaces")
		if err != nil {
			fmt.Println(err)
			return
		}
		var page struct {
			Data []struct{ Name string } `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		fmt.Println(resp.Status, page.Data[0].Name)
	}
	fmt.Println("token requests:", tokenRequests.Load())
	// Printing the source never shows the secret.
	fmt.Println(strings.ReplaceAll(fmt.Sprint(src), server.URL, "http://SERVER"))
	// Output:
	// 200 OK Analytics
	// 200 OK Analytics
	// token requests: 1
	// auth.ClientCredentials{ClientID: "my-app", TokenURL: "http://SERVER/v1/applications/token"}
}

// An installation whose API sits behind HTTP basic authentication: BasicAuth
// is a TokenSource like any other, so Transport (or the client's
// WithTokenSource option) sends its credentials to the API only.
func ExampleBasicAuth() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, password, ok := r.BasicAuth()
		if !ok || user != "airbyte" || password != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Println("the server saw basic credentials for", user)
	}))
	defer server.Close()

	src := auth.BasicAuth("airbyte", "s3cret")
	client := &http.Client{Transport: &auth.Transport{Source: src, BaseURL: server.URL + "/api/public/v1"}}
	resp, err := client.Get(server.URL + "/api/public/v1/workspaces")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Printf("%v\n", src)
	// Output:
	// the server saw basic credentials for airbyte
	// 200 OK
	// auth.BasicAuth("airbyte", [redacted])
}

// proxyCredential is a RoundTripper of the user's own: it adds the
// proxy's credential, from a token source of its own, to the requests for
// the proxied host, in Proxy-Authorization, and leaves Authorization to
// auth.Transport.
type proxyCredential struct {
	host  string           // the proxied API's host
	token auth.TokenSource // the proxy's credential, such as an ID token
	next  http.RoundTripper
}

func (p proxyCredential) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != p.host {
		return p.next.RoundTrip(req)
	}
	tok, err := p.token.Token(req.Context())
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context()) // a RoundTripper must not modify req
	r.Header.Set("Proxy-Authorization", "Bearer "+tok.AccessToken)
	return p.next.RoundTrip(r)
}

// An API behind an identity-aware proxy that needs its own credential
// beside the API's token: Google IAP, for one, reads its ID token from
// Proxy-Authorization when Authorization carries the API's. auth.Transport
// sets Authorization and hands each request (a replay after a 401 too) to
// Base, the user's RoundTripper, which adds Proxy-Authorization. For IAP,
// the proxy's token source would be
// auth.FromOAuth2(idtoken.NewTokenSource(ctx, audience)) from
// google.golang.org/api/idtoken; here it is a static stand-in.
func ExampleTransport_proxyCredential() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The proxy checks its credential, then the API checks its token.
		if r.Header.Get("Proxy-Authorization") != "Bearer proxy-id-token" {
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		if r.Header.Get("Authorization") != "Bearer api-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Println("proxy and API credentials both accepted")
	}))
	defer server.Close()

	base := server.URL + "/api/public/v1"
	host := strings.TrimPrefix(server.URL, "http://")
	client := &http.Client{Transport: &auth.Transport{
		Source:  auth.StaticToken("api-token"),
		BaseURL: base,
		Base:    proxyCredential{host: host, token: auth.StaticToken("proxy-id-token"), next: http.DefaultTransport},
	}}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/workspaces", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// proxy and API credentials both accepted
	// 200 OK
}
