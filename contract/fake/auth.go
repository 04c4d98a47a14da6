package fake

import (
	"net/http"
	"strings"
)

// A token is an issued access token: whom it acts for and until when.
type token struct {
	user, app string
	expires   int64 // Unix nanoseconds
}

// caller returns the user the request's bearer token acts for, or "".
func (s *Server) caller(r *http.Request) string {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.callerLocked(r)
}

func (s *Server) callerLocked(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return ""
	}
	t, ok := s.st.tokens[tok]
	if !ok || s.opts.Now().UnixNano() >= t.expires {
		return ""
	}
	if s.st.t("users").get(t.user) == nil || s.st.t("applications").get(t.app) == nil {
		return ""
	}
	return t.user
}

// Permission types (server: airbyte-config/config-models/src/main/java/io/airbyte/config/helpers/PermissionHelper.kt:25).
var knownPermission = map[string]bool{
	"instance_admin": true, "organization_admin": true, "organization_editor": true, "organization_runner": true,
	"organization_reader": true, "organization_member": true, "workspace_owner": true, "workspace_admin": true,
	"workspace_editor": true, "workspace_source_editor": true, "workspace_destination_editor": true,
	"workspace_runner": true, "workspace_reader": true,
}

// granted lists what each permission type grants
// (server: airbyte-config/config-models/src/main/java/io/airbyte/config/helpers/PermissionHelper.kt:25-128).
var granted = map[string][]string{
	"organization_admin": {"organization_admin", "organization_editor", "organization_runner", "organization_reader", "organization_member",
		"workspace_admin", "workspace_editor", "workspace_source_editor", "workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"organization_editor": {"organization_editor", "organization_runner", "organization_reader", "organization_member",
		"workspace_editor", "workspace_source_editor", "workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"organization_runner":          {"organization_runner", "organization_reader", "organization_member", "workspace_runner", "workspace_reader"},
	"organization_reader":          {"organization_reader", "organization_member", "workspace_reader"},
	"organization_member":          {"organization_member"},
	"workspace_owner":              {"workspace_admin", "workspace_editor", "workspace_source_editor", "workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"workspace_admin":              {"workspace_admin", "workspace_editor", "workspace_source_editor", "workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"workspace_editor":             {"workspace_editor", "workspace_source_editor", "workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"workspace_source_editor":      {"workspace_source_editor", "workspace_runner", "workspace_reader"},
	"workspace_destination_editor": {"workspace_destination_editor", "workspace_runner", "workspace_reader"},
	"workspace_runner":             {"workspace_runner", "workspace_reader"},
	"workspace_reader":             {"workspace_reader"},
}

// Roles the controllers ask for, by their permission-type names.
const (
	wsReader     = "workspace_reader"
	wsRunner     = "workspace_runner"
	wsEditor     = "workspace_editor"
	wsSrcEditor  = "workspace_source_editor"
	wsDstEditor  = "workspace_destination_editor"
	wsAdmin      = "workspace_admin"
	orgAdmin     = "organization_admin"
	orgEditor    = "organization_editor"
	orgReader    = "organization_reader"
	orgMember    = "organization_member"
	instAdmin    = "instance_admin"
	anyActorEdit = "actor-editor" // marker: editor, source editor or destination editor
)

// permsOf returns the permission rows that apply to a user: its own and
// those of the groups it belongs to.
func (s *Server) permsOf(user string) []obj {
	var out []obj
	s.st.t("permissions").each(func(p obj) bool {
		if key(str(p["userId"])) == key(user) {
			out = append(out, p)
		}
		return true
	})
	s.st.t("groupMembers").each(func(m obj) bool {
		if key(str(m["userId"])) != key(user) {
			return true
		}
		g := str(m["groupId"])
		s.st.t("groupPermissions").each(func(p obj) bool {
			if key(str(p["groupId"])) == key(g) {
				out = append(out, p)
			}
			return true
		})
		return true
	})
	return out
}

func (s *Server) isAdmin(user string) bool {
	for _, p := range s.permsOf(user) {
		if p["permissionType"] == instAdmin {
			return true
		}
	}
	return false
}

// rolesIn resolves the roles a user holds on a workspace or an
// organization (give one). An ID that resolves to nothing grants no role
// to anyone but instance admins, who hold every role
// (server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt:190,282).
func (s *Server) rolesIn(user, workspaceID, orgID string) map[string]bool {
	roles := map[string]bool{}
	perms := s.permsOf(user)
	for _, p := range perms {
		if p["permissionType"] == instAdmin {
			for k := range knownPermission {
				roles[k] = true
			}
			return roles
		}
	}
	if workspaceID != "" {
		ws := s.st.t("workspaces").get(workspaceID)
		if ws == nil {
			return roles
		}
		orgID = str(ws["_organizationId"])
		for _, p := range perms {
			if p["workspaceId"] != nil && key(str(p["workspaceId"])) == key(workspaceID) {
				for _, g := range granted[str(p["permissionType"])] {
					roles[g] = true
				}
			}
		}
	}
	if orgID == "" || s.st.t("organizations").get(orgID) == nil {
		return roles
	}
	for _, p := range perms {
		if p["organizationId"] != nil && key(str(p["organizationId"])) == key(orgID) {
			for _, g := range granted[str(p["permissionType"])] {
				// Organization roles grant workspace roles in the
				// organization's workspaces, not only at its level.
				if workspaceID == "" || strings.HasPrefix(g, "workspace_") {
					roles[g] = true
				}
			}
		}
	}
	return roles
}

// expand turns the anyActorEdit marker into the three editor roles.
func expand(roles []string) []string {
	var out []string
	for _, r := range roles {
		if r == anyActorEdit {
			out = append(out, wsEditor, wsSrcEditor, wsDstEditor)
			continue
		}
		out = append(out, r)
	}
	return out
}

// allow reports whether have holds one of want; if not, it writes the
// server's 403.
func (c *call) allow(have map[string]bool, want ...string) bool {
	want = expand(want)
	for _, w := range want {
		if have[w] {
			return true
		}
	}
	upper := make([]string, len(want))
	for i, w := range want {
		upper[i] = strings.ToUpper(w)
	}
	c.rec.forbidden(upper...)
	return false
}

// inWorkspace checks the caller's role on a workspace.
func (s *Server) inWorkspace(c *call, ws string, want ...string) bool {
	return c.allow(s.rolesIn(c.user, ws, ""), want...)
}

// inWorkspaces checks the caller's role on every one of several
// workspaces (server: RoleResolver.kt:325, the minimal role across them).
func (s *Server) inWorkspaces(c *call, ids []string, want ...string) bool {
	for _, ws := range ids {
		if !s.inWorkspace(c, ws, want...) {
			return false
		}
	}
	return true
}

// inOrg checks the caller's role on an organization.
func (s *Server) inOrg(c *call, org string, want ...string) bool {
	return c.allow(s.rolesIn(c.user, "", org), want...)
}

// visibleWorkspaces returns the workspaces a user may read, in order; for
// an instance admin, every one.
func (s *Server) visibleWorkspaces(user string, includeDeleted bool) map[string]bool {
	out := map[string]bool{}
	admin := s.isAdmin(user)
	s.st.t("workspaces").each(func(ws obj) bool {
		if ws["_deleted"] == true && !includeDeleted {
			return true
		}
		id := str(ws["workspaceId"])
		if admin || s.rolesIn(user, id, "")[wsReader] {
			out[key(id)] = true
		}
		return true
	})
	return out
}
