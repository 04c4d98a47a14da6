package fake

import "net/http"

// listUsersWithinAnOrganization lists the users holding an
// organization-level permission in the organization, narrowed by ids and
// emails when given (either matching; ids compared as lower-case text,
// emails exactly) (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/UsersController.kt:35-58;
// P/services/UserService.kt:74-90).
func (s *Server) listUsersWithinAnOrganization(c *call) {
	org := c.q.Get("organizationId")
	if !s.inOrg(c, org, orgMember) {
		return
	}
	ids, emails := map[string]bool{}, map[string]bool{}
	for _, id := range multi(c.q, "ids") {
		ids[id] = true
	}
	for _, e := range multi(c.q, "emails") {
		emails[e] = true
	}
	members := map[string]bool{}
	s.st.t("permissions").each(func(p obj) bool {
		if key(str(p["organizationId"])) == key(org) {
			members[key(str(p["userId"]))] = true
		}
		return true
	})
	data := []obj{}
	s.st.t("users").each(func(u obj) bool {
		id := str(u["id"])
		if !members[key(id)] {
			return true
		}
		if (len(ids) > 0 || len(emails) > 0) && !ids[key(id)] && !emails[str(u["email"])] {
			return true
		}
		data = append(data, view(u))
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}
