package fake

import (
	"net/http"
	"sort"
)

// orgsOf returns the organizations a user belongs to, through a
// permission on the organization or on one of its workspaces; an
// instance admin belongs to all.
func (s *Server) orgsOf(user string) []obj {
	admin := s.isAdmin(user)
	in := map[string]string{} // organization → permission type
	for _, p := range s.permsOf(user) {
		if org := str(p["organizationId"]); org != "" {
			in[key(org)] = str(p["permissionType"])
		} else if ws := s.st.t("workspaces").get(str(p["workspaceId"])); ws != nil {
			if _, ok := in[key(str(ws["_organizationId"]))]; !ok {
				in[key(str(ws["_organizationId"]))] = ""
			}
		}
	}
	out := s.st.t("organizations").list(func(o obj) bool {
		_, ok := in[key(str(o["organizationId"]))]
		return admin || ok
	})
	return out
}

// listOrganizationsForUser lists the caller's organizations by name; an
// instance admin gets every one
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/OrganizationsController.kt:123-137;
// airbyte-data OrganizationServiceDataImpl.kt:105-122).
func (s *Server) listOrganizationsForUser(c *call) {
	orgs := s.orgsOf(c.user)
	sort.SliceStable(orgs, func(a, b int) bool { return str(orgs[a]["organizationName"]) < str(orgs[b]["organizationName"]) })
	data := make([]obj, len(orgs))
	for i, o := range orgs {
		data[i] = view(o)
	}
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}
