package fake

import (
	"net/http"
	"time"
)

// createAccessToken issues a token for an application's credentials. The
// body comes as JSON or as a form; grant-type is optional and ignored
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ApplicationsController.kt:100-118).
func (s *Server) createAccessToken(c *call) {
	id, secret := str(c.in["client_id"]), str(c.in["client_secret"])
	var app obj
	s.st.t("applications").each(func(o obj) bool {
		if o["clientId"] == id && o["clientSecret"] == secret && id != "" {
			app = o
			return false
		}
		return true
	})
	if app == nil {
		s.rejectCredentials(c)
		return
	}
	now := c.now
	for t, tk := range s.st.tokens { // forget expired tokens
		if now.UnixNano() >= tk.expires {
			delete(s.st.tokens, t)
		}
	}
	// expires_in is whole seconds, rounded down, and the token lives
	// exactly that long; under a second it is 0 and the token lives its
	// real lifetime, so no client trusts a token longer than it works.
	life := s.opts.TokenLifetime
	secs := int64(life / time.Second)
	if secs > 0 {
		life = time.Duration(secs) * time.Second
	}
	tok := newSecret("fake.")
	s.st.tokens[tok] = token{user: str(app["_userId"]), app: str(app["id"]), expires: now.Add(life).UnixNano()}
	c.rec.json(http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": secs})
}

// rejectCredentials answers bad client credentials as the edition does:
// Cloud (OIDC) with 401 {"errorId"}
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidClientCredentialsExceptionHandler.kt:43),
// the community edition with the framework's 400 HAL body
// (server: airbyte-data/src/main/kotlin/io/airbyte/data/services/impls/data/ApplicationServiceMicronautImpl.kt:42).
func (s *Server) rejectCredentials(c *call) {
	if s.opts.Edition == EditionCommunity {
		c.rec.json(http.StatusBadRequest, map[string]any{
			"message": "Bad Request",
			"_links":  map[string]any{"self": map[string]any{"href": BasePath + "/applications/token", "templated": false}},
			"_embedded": map[string]any{"errors": []any{
				map[string]any{"message": "The client credentials are not valid."},
			}},
		})
		return
	}
	c.rec.errorID(http.StatusUnauthorized)
}
