package fake

import (
	"net/http"
	"strings"
)

// notificationItems are the members of a workspace's notifications.
var notificationItems = []string{"failure", "success", "connectionUpdate", "connectionUpdateActionRequired", "syncDisabled", "syncDisabledWarning"}

// notification normalizes one notification item as the server writes it:
// email {enabled} and webhook {enabled[, url]} always present
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/WorkspaceResponseMapper.kt:45-56).
func notification(v any) obj {
	in, _ := v.(map[string]any)
	email, _ := in["email"].(map[string]any)
	hook, _ := in["webhook"].(map[string]any)
	w := obj{"enabled": hook["enabled"] == true}
	if u := str(hook["url"]); u != "" {
		w["url"] = u
	}
	return obj{"email": obj{"enabled": email["enabled"] == true}, "webhook": w}
}

// mergeNotifications replaces the items given and keeps the others
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/WorkspacesHandler.kt:439-452).
func mergeNotifications(old obj, given any) obj {
	out := obj{}
	for k, v := range old {
		out[k] = v
	}
	in, _ := given.(map[string]any)
	for _, k := range notificationItems {
		if v, ok := in[k]; ok && v != nil {
			out[k] = notification(v)
		}
	}
	return out
}

// workspace finds a live workspace; deleted ones are not found
// (server: WorkspacesHandler.kt:287-291 reads without tombstones).
func (s *Server) workspace(id string) obj {
	ws := s.st.t("workspaces").get(id)
	if ws == nil || ws["_deleted"] == true {
		return nil
	}
	return ws
}

// listWorkspaces lists the given workspaces, or every one the caller may
// read (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/WorkspacesController.kt:130-153).
func (s *Server) listWorkspaces(c *call) {
	ids := multi(c.q, "workspaceIds")
	if len(ids) > 0 && !s.inWorkspaces(c, ids, wsReader) {
		return
	}
	deleted := flag(c.q, "includeDeleted")
	want := s.visibleWorkspaces(c.user, deleted)
	if len(ids) > 0 {
		want = map[string]bool{}
		for _, id := range ids {
			want[key(id)] = true
		}
	}
	items := s.st.t("workspaces").list(func(o obj) bool {
		return want[key(str(o["workspaceId"]))] && (deleted || o["_deleted"] != true)
	})
	s.listPage(c, "workspaces", commonKeep(c), items)
}

// createWorkspace makes a workspace in the given organization (the
// caller's by default); the caller needs ORGANIZATION_EDITOR there
// (server: WorkspacesController.kt:87-99). A region sets the data
// residency to the region's name, lower-cased
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/WorkspaceResponseMapper.kt:33).
func (s *Server) createWorkspace(c *call) {
	org := str(c.in["organizationId"])
	if org == "" {
		org = s.userOrg(c.user)
	}
	if !s.inOrg(c, org, orgEditor) {
		return
	}
	if s.st.t("organizations").get(org) == nil {
		c.rec.notFound("organization", org)
		return
	}
	residency, ok := s.residency(c, "auto")
	if !ok {
		return
	}
	id := newID()
	ws := obj{"workspaceId": id, "name": str(c.in["name"]), "dataResidency": residency,
		"notifications": mergeNotifications(obj{}, c.in["notifications"]), "_organizationId": key(org)}
	s.st.t("workspaces").put(id, ws)
	c.rec.json(http.StatusOK, view(ws))
}

// userOrg is the organization a user belongs to: the one of its first
// organization-level permission, else the default one.
func (s *Server) userOrg(user string) string {
	for _, p := range s.permsOf(user) {
		if o := str(p["organizationId"]); o != "" {
			return o
		}
	}
	if u := s.st.t("users").get(user); u != nil && str(u["_organizationId"]) != "" {
		return str(u["_organizationId"])
	}
	return s.defOrg
}

func (s *Server) getWorkspace(c *call) {
	id := c.p["workspaceId"]
	ws := s.workspaceFor(c, id, wsReader)
	if ws == nil {
		return
	}
	c.rec.json(http.StatusOK, view(ws))
}

// updateWorkspace changes the name, the notification items given, and the
// region (server: WorkspacesController.kt:155-174; WorkspacesHandler.kt:439-452).
func (s *Server) updateWorkspace(c *call) {
	id := c.p["workspaceId"]
	ws := s.workspaceFor(c, id, anyActorEdit)
	if ws == nil {
		return
	}
	residency, ok := s.residency(c, str(ws["dataResidency"]))
	if !ok {
		return
	}
	ws["dataResidency"] = residency
	if name := str(c.in["name"]); name != "" {
		ws["name"] = name
	}
	if c.in["notifications"] != nil {
		ws["notifications"] = mergeNotifications(ws["notifications"].(obj), c.in["notifications"])
	}
	c.rec.json(http.StatusOK, view(ws))
}

// deleteWorkspace deprecates the workspace's connections, deletes its
// sources and destinations, then the workspace
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/handlers/WorkspacesHandler.kt:228-254).
func (s *Server) deleteWorkspace(c *call) {
	id := c.p["workspaceId"]
	ws := s.workspaceFor(c, id, anyActorEdit)
	if ws == nil {
		return
	}
	inWS := func(o obj) bool { return key(str(o["workspaceId"])) == key(id) }
	for _, conn := range s.st.t("connections").list(inWS) {
		conn["status"] = "deprecated"
	}
	for _, kind := range []string{"sources", "destinations"} {
		for _, a := range s.st.t(kind).list(inWS) {
			tombstone(a)
		}
	}
	ws["_deleted"] = true
	c.rec.empty(http.StatusNoContent)
}

// workspaceFor answers a request about one workspace: it checks the
// caller's roles first, as the controllers do, then finds the workspace,
// answering the refusal itself and returning nil when either fails.
func (s *Server) workspaceFor(c *call, id string, roles ...string) obj {
	if !s.inWorkspace(c, id, roles...) {
		return nil
	}
	ws := s.workspace(id)
	if ws == nil {
		c.rec.notFound("workspace", id)
	}
	return ws
}

// residency is the dataResidency a request's regionId names (the region's
// name in lower case), or current when it names none; ok is false when the
// region does not exist and the 404 has been answered.
func (s *Server) residency(c *call, current string) (string, bool) {
	rid := str(c.in["regionId"])
	if rid == "" {
		return current, true
	}
	region := s.st.t("regions").get(rid)
	if region == nil {
		c.rec.notFound("dataplane_group", rid)
		return "", false
	}
	return strings.ToLower(str(region["name"])), true
}
