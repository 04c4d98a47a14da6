package fake

import (
	"net/http"
	"strings"
)

// permScope is what a permission applies to: ("workspace", id),
// ("organization", id) or ("none", "").
func permScope(p obj) (string, string) {
	if ws := str(p["workspaceId"]); ws != "" {
		return "workspace", ws
	}
	if org := str(p["organizationId"]); org != "" {
		return "organization", org
	}
	return "none", ""
}

// permRole is the role reading (write=false) or changing a permission
// needs, by its scope (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/PermissionsController.kt:121-131,154-164,248-258).
func (s *Server) permAllowed(c *call, p obj, write bool) bool {
	scope, id := permScope(p)
	switch scope {
	case "workspace":
		if write {
			return s.inWorkspace(c, id, wsAdmin)
		}
		return s.inWorkspace(c, id, wsReader)
	case "organization":
		if write {
			return s.inOrg(c, id, orgAdmin)
		}
		return s.inOrg(c, id, orgReader)
	}
	return c.allow(s.rolesIn(c.user, "", ""), instAdmin)
}

// permFor finds a permission; unknown IDs are an uncaught error, 500
// {"errorId"}, before the role check (server: PermissionsController.kt:118,150,244).
func (s *Server) permFor(c *call, write bool) obj {
	p := s.st.t("permissions").get(c.p["permissionId"])
	if p == nil {
		c.rec.errorID(http.StatusInternalServerError)
		return nil
	}
	if !s.permAllowed(c, p, write) {
		return nil
	}
	return p
}

// lastOrgAdmin reports whether p is the only organization_admin row of
// its organization.
func (s *Server) lastOrgAdmin(p obj) bool {
	if p["permissionType"] != orgAdmin {
		return false
	}
	n := 0
	s.st.t("permissions").each(func(o obj) bool {
		if o["permissionType"] == orgAdmin && key(str(o["organizationId"])) == key(str(p["organizationId"])) {
			n++
		}
		return true
	})
	return n <= 1
}

// createPermission grants a user a role on one workspace or one
// organization (exactly one, else 400); the caller needs WORKSPACE_ADMIN
// or ORGANIZATION_ADMIN there; an identical grant answers the existing row
// (server: PermissionsController.kt:56-112; airbyte-commons-server PermissionHandler.kt:74-79).
func (s *Server) createPermission(c *call) {
	ws, org := str(c.in["workspaceId"]), str(c.in["organizationId"])
	if (ws == "") == (org == "") {
		c.rec.message(probBadRequest, "Give exactly one of workspaceId and organizationId.")
		return
	}
	typ := str(c.in["permissionType"])
	if ws != "" && !s.inWorkspace(c, ws, wsAdmin) || org != "" && !s.inOrg(c, org, orgAdmin) {
		return
	}
	if (ws != "") != strings.HasPrefix(typ, "workspace_") {
		c.rec.message(probBadRequest, "The permission type does not fit its scope.")
		return
	}
	user := str(c.in["userId"])
	if s.st.t("users").get(user) == nil || (ws != "" && s.workspace(ws) == nil) || (org != "" && s.st.t("organizations").get(org) == nil) {
		// server: a database error, PermissionServiceDataImpl → ConfigClientErrorHandler.kt:133-139.
		c.rec.message(probUnexpected, "The user, workspace or organization does not exist.")
		return
	}
	var same obj
	s.st.t("permissions").each(func(p obj) bool {
		if key(str(p["userId"])) == key(user) && p["permissionType"] == typ &&
			key(str(p["workspaceId"])) == key(ws) && key(str(p["organizationId"])) == key(org) {
			same = p
			return false
		}
		return true
	})
	if same == nil {
		id := newID()
		same = obj{"permissionId": id, "permissionType": typ, "userId": key(user)}
		if ws != "" {
			same["workspaceId"] = key(ws)
		} else {
			same["organizationId"] = key(org)
		}
		s.st.t("permissions").put(id, same)
	}
	c.rec.json(http.StatusOK, view(same))
}

func (s *Server) getPermission(c *call) {
	if p := s.permFor(c, false); p != nil {
		c.rec.json(http.StatusOK, view(p))
	}
}

// updatePermission changes only the type; instance_admin is refused with
// 422 and demoting an organization's last admin with 409
// (server: airbyte-commons-server PermissionHandler.kt:160-181).
func (s *Server) updatePermission(c *call) {
	p := s.permFor(c, true)
	if p == nil {
		return
	}
	typ := str(c.in["permissionType"])
	if typ == instAdmin {
		c.rec.message(probUnprocessable, "A permission cannot be changed to instance_admin.")
		return
	}
	scope, _ := permScope(p)
	if (scope == "workspace") != strings.HasPrefix(typ, "workspace_") {
		c.rec.message(probUnprocessable, "The permission type does not fit its scope.")
		return
	}
	if typ != orgAdmin && s.lastOrgAdmin(p) {
		c.rec.message(probStateConflict, "The organization would have no admin left.")
		return
	}
	p["permissionType"] = typ
	c.rec.json(http.StatusOK, view(p))
}

// deletePermission removes a permission; removing an organization-level
// one removes the user's workspace permissions in that organization
// (server: airbyte-data PermissionServiceDataImpl.kt:58-74; PermissionHandler.kt:399-404).
func (s *Server) deletePermission(c *call) {
	p := s.permFor(c, true)
	if p == nil {
		return
	}
	if s.lastOrgAdmin(p) {
		c.rec.message(probStateConflict, "The organization would have no admin left.")
		return
	}
	s.st.t("permissions").del(str(p["permissionId"]))
	if scope, org := permScope(p); scope == "organization" {
		for _, w := range s.st.t("permissions").list(func(o obj) bool {
			ws := s.st.t("workspaces").get(str(o["workspaceId"]))
			return key(str(o["userId"])) == key(str(p["userId"])) && ws != nil && key(str(ws["_organizationId"])) == key(org)
		}) {
			s.st.t("permissions").del(str(w["permissionId"]))
		}
	}
	c.rec.empty(http.StatusNoContent)
}

// listPermissions lists the caller's own permissions (all of them, no
// role needed) or, for another user, that user's organization-level
// permissions in organizationId (required, ORGANIZATION_ADMIN there)
// (server: PermissionsController.kt:182-235; mappers/PermissionResponseReadMapper.kt:22-43).
func (s *Server) listPermissions(c *call) {
	user, org := c.q.Get("userId"), c.q.Get("organizationId")
	own := user == "" || key(user) == key(c.user)
	if !own {
		if org == "" {
			c.rec.message(probBadRequest, "Listing another user's permissions needs organizationId.")
			return
		}
		if !s.inOrg(c, org, orgAdmin) {
			return
		}
	} else {
		user = c.user
	}
	data := []obj{}
	s.st.t("permissions").each(func(p obj) bool {
		if key(str(p["userId"])) != key(user) {
			return true
		}
		scope, id := permScope(p)
		if !own && (scope != "organization" || key(id) != key(org)) {
			return true
		}
		if scope == "none" {
			id = "00000000-0000-0000-0000-000000000000"
		}
		data = append(data, obj{"permissionId": p["permissionId"], "permissionType": p["permissionType"], "userId": p["userId"],
			"scope": scope, "scopeId": id})
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}
