package fake

import (
	"net/http"
	"strconv"
	"strings"
)

// Groups of users in an organization; every call needs ORGANIZATION_ADMIN
// of the group's organization. The fake treats every organization as
// entitled to groups and has no SCIM
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/GroupsController.kt,
// GroupMembersController.kt, GroupPermissionsController.kt).

// groupFor looks the group up first (unknown → 404 to everyone), then
// checks the role (server: GroupsController.kt:166-184).
func (s *Server) groupFor(c *call) obj {
	id := c.p["groupId"]
	g := s.st.t("groups").get(id)
	if g == nil {
		c.rec.notFound("group", id)
		return nil
	}
	if !s.inOrg(c, str(g["organizationId"]), orgAdmin) {
		return nil
	}
	return g
}

func (s *Server) members(groupID string) []obj {
	return s.st.t("groupMembers").list(func(m obj) bool { return key(str(m["groupId"])) == key(groupID) })
}

// groupView writes memberCount live and description only when set
// (server: mappers/GroupResponseMapper.kt:15-22).
func (s *Server) groupView(g obj) obj {
	v := view(g)
	v["memberCount"] = int64(len(s.members(str(g["groupId"]))))
	return v
}

// groupNameFree reports whether no other group of the organization has
// the name, compared case-insensitively
// (server: airbyte-data GroupServiceDataImpl.kt:85-87,141-146).
func (s *Server) groupNameFree(c *call, org, name, self string) bool {
	free := true
	s.st.t("groups").each(func(g obj) bool {
		if key(str(g["organizationId"])) == key(org) && strings.EqualFold(str(g["name"]), name) && key(str(g["groupId"])) != key(self) {
			free = false
			return false
		}
		return true
	})
	if !free {
		c.rec.message(probGroupExists, "The organization already has a group named "+name+".")
	}
	return free
}

// relLink is a groups list link: relative, from /public
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/constants/ServerConstants.kt:11,38-43).
func relLink(path string, params ...qparam) string {
	var b strings.Builder
	b.WriteString("/public/v1/" + path)
	for i, p := range params {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(p.name + "=" + p.value)
	}
	return b.String()
}

// listGroups pages the organization's groups; next only when more exist,
// previous only past the first page, both absent otherwise
// (server: GroupsController.kt:59-121).
func (s *Server) listGroups(c *call) {
	org := c.q.Get("organizationId")
	if org == "" {
		c.rec.message(probBadRequest, "organizationId is required.")
		return
	}
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	limit, offset := paging(c.q)
	all := s.st.t("groups").list(func(g obj) bool { return key(str(g["organizationId"])) == key(org) })
	pg := page(all, limit, offset)
	data := make([]obj, len(pg))
	for i, g := range pg {
		data[i] = s.groupView(g)
	}
	out := map[string]any{"data": data}
	l := strconv.Itoa(limit)
	if offset+limit < len(all) {
		out["next"] = relLink("groups", qparam{"organizationId", org}, qparam{"limit", l}, qparam{"offset", strconv.Itoa(offset + limit)})
	}
	if offset > 0 {
		out["previous"] = relLink("groups", qparam{"organizationId", org}, qparam{"limit", l}, qparam{"offset", strconv.Itoa(max(offset-limit, 0))})
	}
	c.rec.json(http.StatusOK, out)
}

// createGroup answers 201 (server: GroupsController.kt:128-161).
func (s *Server) createGroup(c *call) {
	org, name := str(c.in["organizationId"]), str(c.in["name"])
	if !s.inOrg(c, org, orgAdmin) {
		return
	}
	if s.st.t("organizations").get(org) == nil {
		c.rec.errorID(http.StatusInternalServerError)
		return
	}
	if !s.groupNameFree(c, org, name, "") {
		return
	}
	id := newID()
	g := obj{"groupId": id, "name": name, "organizationId": key(org), "description": c.in["description"]}
	s.st.t("groups").put(id, g)
	c.rec.json(http.StatusCreated, s.groupView(g))
}

func (s *Server) getGroup(c *call) {
	if g := s.groupFor(c); g != nil {
		c.rec.json(http.StatusOK, s.groupView(g))
	}
}

// updateGroup keeps what is missing or null (server: mappers/GroupRequestMapper.kt:37-42).
func (s *Server) updateGroup(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	if name := str(c.in["name"]); name != "" && name != g["name"] {
		if !s.groupNameFree(c, str(g["organizationId"]), name, str(g["groupId"])) {
			return
		}
		g["name"] = name
	}
	if d, ok := c.in["description"].(string); ok {
		g["description"] = d
	}
	c.rec.json(http.StatusOK, s.groupView(g))
}

// deleteGroup removes the group, its members and its permissions
// (server: airbyte-data GroupServiceDataImpl.kt:179).
func (s *Server) deleteGroup(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	id := str(g["groupId"])
	for _, m := range s.members(id) {
		s.st.t("groupMembers").del(str(m["memberId"]))
	}
	for _, p := range s.st.t("groupPermissions").list(func(p obj) bool { return key(str(p["groupId"])) == key(id) }) {
		s.st.t("groupPermissions").del(str(p["permissionId"]))
	}
	s.st.t("groups").del(id)
	c.rec.empty(http.StatusNoContent)
}

// listGroupMembers pages members newest first; next whenever the page is
// full; links carry limit and offset only
// (server: GroupMembersController.kt:58-108).
func (s *Server) listGroupMembers(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	all := s.members(str(g["groupId"]))
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	limit, offset := paging(c.q)
	pg := page(all, limit, offset)
	data := make([]obj, len(pg))
	for i, m := range pg {
		data[i] = s.memberView(m)
	}
	out := map[string]any{"data": data}
	path, l := "groups/"+str(g["groupId"])+"/members", strconv.Itoa(limit)
	if len(pg) >= limit {
		out["next"] = relLink(path, qparam{"limit", l}, qparam{"offset", strconv.Itoa(offset + limit)})
	}
	if offset > 0 {
		out["previous"] = relLink(path, qparam{"limit", l}, qparam{"offset", strconv.Itoa(max(offset-limit, 0))})
	}
	c.rec.json(http.StatusOK, out)
}

func (s *Server) memberView(m obj) obj {
	u := s.st.t("users").get(str(m["userId"]))
	return obj{"memberId": m["memberId"], "groupId": m["groupId"], "userId": m["userId"], "userEmail": str(u["email"]), "userName": str(u["name"])}
}

// addGroupMember answers 201; the user must exist and hold a permission
// in the group's organization (else 404 user); a second add is 409
// (server: GroupMembersController.kt:117-180; airbyte-data GroupServiceDataImpl.kt:230-232).
func (s *Server) addGroupMember(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	uid := str(c.in["userId"])
	if s.st.t("users").get(uid) == nil || !s.inOrgAtAll(uid, str(g["organizationId"])) {
		c.rec.notFound("user", uid)
		return
	}
	for _, m := range s.members(str(g["groupId"])) {
		if key(str(m["userId"])) == key(uid) {
			c.rec.message(probMemberExists, "The user is already in the group.")
			return
		}
	}
	id := newID()
	m := obj{"memberId": id, "groupId": g["groupId"], "userId": key(uid)}
	s.st.t("groupMembers").put(id, m)
	c.rec.json(http.StatusCreated, s.memberView(m))
}

// inOrgAtAll reports whether a user holds any permission in an
// organization, on it or on one of its workspaces.
func (s *Server) inOrgAtAll(user, org string) bool {
	for _, o := range s.orgsOf(user) {
		if key(str(o["organizationId"])) == key(org) {
			return true
		}
	}
	return false
}

// removeGroupMember answers 204 whether or not the user was a member
// (server: airbyte-data GroupServiceDataImpl.kt:291).
func (s *Server) removeGroupMember(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	for _, m := range s.members(str(g["groupId"])) {
		if key(str(m["userId"])) == key(c.p["userId"]) {
			s.st.t("groupMembers").del(str(m["memberId"]))
		}
	}
	c.rec.empty(http.StatusNoContent)
}

func (s *Server) listGroupPermissions(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	data := []obj{}
	s.st.t("groupPermissions").each(func(p obj) bool {
		if key(str(p["groupId"])) == key(str(g["groupId"])) {
			data = append(data, view(p))
		}
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}

// createGroupPermission grants the group a role on one workspace of its
// organization or on the organization itself; a duplicate is 400
// (server: GroupPermissionsController.kt:94-165; airbyte-server/src/main/kotlin/io/airbyte/server/helpers/GroupPermissionValidator.kt:38-144).
func (s *Server) createGroupPermission(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	ws, org, typ := str(c.in["workspaceId"]), str(c.in["organizationId"]), str(c.in["permissionType"])
	if (ws == "") == (org == "") {
		c.rec.message(probBadRequest, "Give exactly one of workspaceId and organizationId.")
		return
	}
	if typ == instAdmin || (ws != "") != strings.HasPrefix(typ, "workspace_") {
		c.rec.message(probBadRequest, "The permission type does not fit its scope.")
		return
	}
	gorg := str(g["organizationId"])
	if ws != "" {
		w := s.workspace(ws)
		if w == nil || key(str(w["_organizationId"])) != key(gorg) {
			c.rec.notFound("workspace", ws)
			return
		}
		if !s.inWorkspace(c, ws, wsAdmin) {
			return
		}
	} else {
		if key(org) != key(gorg) {
			c.rec.notFound("organization", org)
			return
		}
		if !s.inOrg(c, org, orgAdmin) {
			return
		}
	}
	dup := false
	s.st.t("groupPermissions").each(func(p obj) bool {
		if key(str(p["groupId"])) == key(str(g["groupId"])) && p["permissionType"] == typ &&
			key(str(p["workspaceId"])) == key(ws) && key(str(p["organizationId"])) == key(org) {
			dup = true
			return false
		}
		return true
	})
	if dup {
		c.rec.message(probBadRequest, "The group already has this permission.")
		return
	}
	id := newID()
	p := obj{"permissionId": id, "groupId": g["groupId"], "permissionType": typ}
	if ws != "" {
		p["workspaceId"] = key(ws)
	} else {
		p["organizationId"] = key(org)
	}
	s.st.t("groupPermissions").put(id, p)
	c.rec.json(http.StatusCreated, view(p))
}

// deleteGroupPermission: an unknown permission, or another group's, is
// 404 permission (server: GroupPermissionsController.kt:169-217).
func (s *Server) deleteGroupPermission(c *call) {
	g := s.groupFor(c)
	if g == nil {
		return
	}
	id := c.p["permissionId"]
	p := s.st.t("groupPermissions").get(id)
	if p == nil || key(str(p["groupId"])) != key(str(g["groupId"])) {
		c.rec.notFound("permission", id)
		return
	}
	s.st.t("groupPermissions").del(id)
	c.rec.empty(http.StatusNoContent)
}
