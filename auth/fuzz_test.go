package auth

import (
	"strings"
	"testing"
)

// FuzzTokenAnswer checks that no token answer makes parseTokenAnswer
// panic, that a lifetime is never negative nor above MaxLifetime, and that
// an error never quotes the answer's access token.
func FuzzTokenAnswer(f *testing.F) {
	for _, seed := range []string{
		`{"access_token":"abc.def.ghi","token_type":"Bearer","expires_in":900}`,
		`{"access_token":"tok","expires_in":"900"}`,
		`{"access_token":"tok","expires_in":899.5}`,
		`{"access_token":"tok","expires_in":1e10}`,
		`{"access_token":"tok","expires_in":9223372036854775807}`,
		`{"access_token":"tok","expires_in":"soon"}`,
		`{"access_token":"","expires_in":900}`,
		`{"access_token":"tok","token_type":7}`,
		`[]`, `null`, `{"access_token":`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := parseTokenAnswer(data)
		if err != nil {
			if strings.Contains(string(data), `"access_token":"SECRETTOKEN`) && strings.Contains(err.Error(), "SECRETTOKEN") {
				t.Errorf("error %q quotes the access token", err)
			}
			return
		}
		if a.accessToken == "" {
			t.Errorf("parseTokenAnswer(%q) = empty access token and no error", data)
		}
		if a.lifetime < 0 || a.lifetime > MaxLifetime {
			t.Errorf("parseTokenAnswer(%q) lifetime = %v; want 0..%v", data, a.lifetime, MaxLifetime)
		}
	})
}
