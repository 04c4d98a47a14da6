package auth_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed83f33fd3/airbyte-go/auth"
)

func TestURLsWithCredentialsQueryOrFragmentAreRefused(t *testing.T) {
	t.Parallel()
	const password = "hunter2"
	cases := []struct {
		raw  string
		want string // in the error
	}{
		{"https://user:hunter2@airbyte.example.com/v1", "user info"},
		{"https://:hunter2@airbyte.example.com/v1", "user info"},
		{"https://hunter2@airbyte.example.com/v1", "user info"},
		{"https://user:hunter2@air byte.example.com/%zz", "not an absolute"},
		{"https://user:hunter2@[::1/v1", "not an absolute"},
		{"https://airbyte.example.com/v1?token=hunter2", "query or fragment"},
		{"https://airbyte.example.com/v1?", "query or fragment"},
		{"https://airbyte.example.com/v1#hunter2", "query or fragment"},
		{"https://airbyte.example.com/v1#", "query or fragment"},
	}
	for _, tc := range cases {
		for _, field := range []string{"ServerURL", "TokenURL"} {
			cfg := auth.Config{ClientID: "id", ClientSecret: "s", ServerURL: "https://airbyte.example.com/v1"}
			if field == "ServerURL" {
				cfg.ServerURL = tc.raw
			} else {
				cfg.TokenURL = tc.raw
			}
			_, err := auth.NewClientCredentials(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s %q: error = %v; want it to mention %q", field, tc.raw, err, tc.want)
				continue
			}
			out := fmt.Sprintf("%v %+v %#v %s %q", err, err, err, err, err) + fmt.Sprintf("%v %+v %#v %d", cfg, cfg, &cfg, cfg)
			if strings.Contains(out, password) {
				t.Errorf("%s %q: the password leaked: %s", field, tc.raw, out)
			}
		}
		_, _, err := auth.ConfigFromEnv(func(k string) string {
			return map[string]string{auth.EnvAPIURL: tc.raw, auth.EnvAccessToken: "t"}[k]
		})
		if err == nil || strings.Contains(err.Error(), password) {
			t.Errorf("%s=%q: error = %v; want one without the password", auth.EnvAPIURL, tc.raw, err)
		}
	}
}
