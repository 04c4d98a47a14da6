package fake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Embedded: tokens scoped to one workspace and the widget token
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/EmbeddedController.kt).

// listEmbeddedOrganizationsByUser lists the caller's organizations with
// its permission in each; an instance admin gets all as instance_admin
// (server: EmbeddedController.kt:60-127).
func (s *Server) listEmbeddedOrganizationsByUser(c *call) {
	admin := s.isAdmin(c.user)
	out := []obj{}
	s.st.t("organizations").each(func(o obj) bool {
		id := str(o["organizationId"])
		perm := ""
		if admin {
			perm = instAdmin
		} else {
			for _, p := range s.permsOf(c.user) {
				if key(str(p["organizationId"])) == key(id) {
					perm = str(p["permissionType"])
				}
			}
		}
		if perm != "" {
			out = append(out, obj{"organizationId": id, "organizationName": o["organizationName"], "permission": perm})
		}
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"organizations": out})
}

// embeddedJWT makes a token shaped as a JWT, unsigned, for a workspace;
// it lives 20 minutes (server: EmbeddedController.kt:190-209).
func (s *Server) embeddedJWT(c *call, ws string) string {
	enc := base64.RawURLEncoding
	head, _ := json.Marshal(map[string]any{"alg": "none", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{"iss": "airbyte-fake", "aud": "airbyte-server", "sub": c.user,
		"act": map[string]any{"sub": ws}, "roles": []string{"EMBEDDED_END_USER"},
		"iat": c.now.Unix(), "exp": c.now.Add(20 * time.Minute).Unix()})
	return enc.EncodeToString(head) + "." + enc.EncodeToString(claims) + "."
}

// generateEmbeddedScopedToken: organization admins of the workspace's
// organization (server: EmbeddedController.kt:129-136).
func (s *Server) generateEmbeddedScopedToken(c *call) {
	ws := str(c.in["workspaceId"])
	w := s.st.t("workspaces").get(ws)
	org := ""
	if w != nil {
		org = str(w["_organizationId"])
	}
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	if s.workspace(ws) == nil {
		c.rec.notFound("workspace", ws)
		return
	}
	c.rec.json(http.StatusOK, map[string]any{"token": s.embeddedJWT(c, key(ws))})
}

// getEmbeddedWidget finds or makes the workspace named after the external
// user in the organization and answers base64 of {token, widgetUrl}
// (server: EmbeddedController.kt:138-185; airbyte-commons-server EmbeddedWorkspacesHandler.kt:22-51).
func (s *Server) getEmbeddedWidget(c *call) {
	org, ext, origin := str(c.in["organizationId"]), str(c.in["externalUserId"]), str(c.in["allowedOrigin"])
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	if s.st.t("organizations").get(org) == nil {
		c.rec.notFound("organization", org)
		return
	}
	var ws obj
	s.st.t("workspaces").each(func(o obj) bool {
		if o["_deleted"] != true && key(str(o["_organizationId"])) == key(org) && o["name"] == ext {
			ws = o
			return false
		}
		return true
	})
	if ws == nil {
		id := newID()
		ws = obj{"workspaceId": id, "name": ext, "dataResidency": "auto", "notifications": obj{}, "_organizationId": key(org)}
		s.st.t("workspaces").put(id, ws)
	}
	id := str(ws["workspaceId"])
	widget := s.apiHost(c) + "/embedded-widget?workspaceId=" + url.QueryEscape(id) + "&allowedOrigin=" + url.QueryEscape(origin)
	inner, _ := json.Marshal(map[string]any{"token": s.embeddedJWT(c, id), "widgetUrl": widget})
	c.rec.json(http.StatusOK, map[string]any{"token": base64.StdEncoding.EncodeToString(inner)})
}
