package fake

import (
	"net/http"
	"net/url"
	"strings"
)

// OAuth: a consent flow the fake plays both ends of, and stored OAuth
// app credentials per workspace and organization, as on Cloud. The
// community edition's services for the flow and for workspace credentials
// are stubs that answer 501 without a body after the role check
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/SourceService.kt:267-268,
// services/WorkspaceService.kt:369-378), and it has no callback route.

// notInCommunity answers 501 on the community edition.
func (s *Server) notInCommunity(c *call) bool {
	if s.opts.Edition == EditionCommunity {
		c.rec.empty(http.StatusNotImplemented)
		return true
	}
	return false
}

// initiateOAuth answers a consent URL for a known source; the redirect
// URL must be https (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt:185-187;
// problem invalid-redirect-url in airbyte-api-problems).
func (s *Server) initiateOAuth(c *call) {
	ws := str(c.in["workspaceId"])
	if !s.inWorkspace(c, ws, wsEditor, wsSrcEditor) || s.notInCommunity(c) {
		return
	}
	typ := str(c.in["sourceType"])
	if connectorByName("source", typ) == nil {
		c.rec.problem(probValueNotFound, map[string]any{"value": typ})
		return
	}
	redirect := str(c.in["redirectUrl"])
	if u, err := url.Parse(redirect); err != nil || u.Scheme != "https" || u.Host == "" {
		c.rec.problem(probInvalidRedir, map[string]any{"redirectUrl": redirect})
		return
	}
	state := newSecret("")
	id := "oauth:" + state
	s.st.t("oauthCredentials").put(id, obj{"_key": id, "_redirect": redirect, "_workspaceId": key(ws), "_sourceType": typ})
	c.rec.json(http.StatusOK, map[string]any{"redirectUrl": "https://consent.fake.airbyte.example/authorize?state=" + state})
}

// oauthCallback completes a flow begun by initiateOAuth: it redirects to
// the flow's redirect URL with a secret ID a source can be created with;
// an unknown state fails as the server's callback failure (500)
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/errorHandlers/ConfigClientErrorHandler.kt:127-129).
func (s *Server) oauthCallback(c *call) {
	if s.opts.Edition == EditionCommunity {
		c.rec.errorID(http.StatusNotFound) // no such route
		return
	}
	id := "oauth:" + c.q.Get("state")
	flow := s.st.t("oauthCredentials").get(id)
	if flow == nil || c.q.Get("state") == "" {
		c.rec.problem(problemKind{500, ref + "#oauth-callback-failure", "oauth-callback-failure", "The OAuth callback failed.", true},
			map[string]any{"message": "no OAuth flow has this state"})
		return
	}
	s.st.t("oauthCredentials").del(id)
	u, _ := url.Parse(str(flow["_redirect"]))
	q := u.Query()
	q.Set("secret_id", newID())
	u.RawQuery = q.Encode()
	c.rec.header.Set("Location", u.String())
	c.rec.empty(http.StatusFound)
}

// credKey names stored OAuth app credentials.
func credKey(scope, id, actorType, name string) string {
	return "cred:" + scope + ":" + key(id) + ":" + actorType + ":" + strings.ToLower(name)
}

// putCredentials stores OAuth app credentials for a known connector;
// unknown names are 400 value-not-found
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/services/OrganizationService.kt:78-81,97-100).
// The configuration is stored masked: the fake never keeps a secret.
func (s *Server) putCredentials(c *call, scope, id string) {
	typ, name := str(c.in["actorType"]), str(c.in["name"])
	if connectorByName(typ, name) == nil {
		c.rec.problem(probValueNotFound, map[string]any{"value": name})
		return
	}
	k := credKey(scope, id, typ, name)
	cfg, _ := c.in["configuration"].(map[string]any)
	s.st.t("oauthCredentials").put(k, obj{"_key": k, "_configuration": storedConfig(cfg, typ, connectorByName(typ, name).id)})
	c.rec.empty(http.StatusOK)
}

// deleteCredentials removes stored OAuth app credentials: 204, or 404 when
// there were none.
func (s *Server) deleteCredentials(c *call, scope, id string) {
	typ, name := c.p["actorType"], c.p["name"]
	if connectorByName(typ, name) == nil {
		c.rec.problem(probValueNotFound, map[string]any{"value": name})
		return
	}
	if !s.st.t("oauthCredentials").del(credKey(scope, id, typ, name)) {
		c.rec.notFound("oauth_credentials", name)
		return
	}
	c.rec.empty(http.StatusNoContent)
}

// Workspace credentials: editors (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/WorkspacesController.kt:38-85).
func (s *Server) createOrUpdateWorkspaceOAuthCredentials(c *call) {
	ws := c.p["workspaceId"]
	if s.inWorkspace(c, ws, anyActorEdit) && !s.notInCommunity(c) {
		s.putCredentials(c, "workspace", ws)
	}
}

func (s *Server) deleteWorkspaceOAuthCredentials(c *call) {
	ws := c.p["workspaceId"]
	if s.inWorkspace(c, ws, anyActorEdit) && !s.notInCommunity(c) {
		s.deleteCredentials(c, "workspace", ws)
	}
}

// Organization credentials: organization admins
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/OrganizationsController.kt:41-120).
func (s *Server) createOrUpdateOrganizationOAuthCredentials(c *call) {
	org := c.p["organizationId"]
	if s.inOrg(c, org, orgAdmin) {
		s.putCredentials(c, "organization", org)
	}
}

func (s *Server) deleteOrganizationOAuthCredentials(c *call) {
	org := c.p["organizationId"]
	if s.inOrg(c, org, orgAdmin) {
		s.deleteCredentials(c, "organization", org)
	}
}
