package fake

import "net/http"

// Applications belong to the user who made them; a token issued for one
// acts as that user. The community edition keeps no applications: its
// list is one made-up entry with the instance admin's credentials and a
// fresh ID on every call, get finds nothing, create and delete fail
// (server: airbyte-data/src/main/kotlin/io/airbyte/data/services/impls/data/ApplicationServiceMicronautImpl.kt:28-36,67-75).

// listApplications lists the caller's applications, secrets in clear as
// the server sends them, not paginated
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/ApplicationsController.kt:152-176,
// mappers/ApplicationReadMapper.kt:17).
func (s *Server) listApplications(c *call) {
	if s.opts.Edition == EditionCommunity {
		c.rec.json(http.StatusOK, map[string]any{"applications": []obj{{"id": newID(), "name": "Default Application",
			"clientId": s.opts.ClientID, "clientSecret": s.opts.ClientSecret, "createdAt": c.now.Unix()}}})
		return
	}
	apps := s.st.t("applications").list(func(o obj) bool { return key(str(o["_userId"])) == key(c.user) })
	out := make([]obj, len(apps))
	for i, a := range apps {
		out[i] = view(a)
	}
	c.rec.json(http.StatusOK, map[string]any{"applications": out})
}

// createApplication makes an application for the caller with fresh
// credentials (server: ApplicationsController.kt:48-69).
func (s *Server) createApplication(c *call) {
	if s.opts.Edition == EditionCommunity {
		c.rec.errorID(http.StatusInternalServerError)
		return
	}
	id := newID()
	app := obj{"id": id, "name": str(c.in["name"]), "clientId": newID(), "clientSecret": newSecret(""),
		"createdAt": c.now.Unix(), "_userId": c.user}
	s.st.t("applications").put(id, app)
	c.rec.json(http.StatusOK, view(app))
}

// ownApp finds one of the caller's applications; another user's is as
// unknown as a missing one: 404 with null data
// (server: ApplicationsController.kt:139-144).
func (s *Server) ownApp(c *call) obj {
	if s.opts.Edition == EditionCommunity {
		c.rec.problem(probNotFound, nil)
		return nil
	}
	app := s.st.t("applications").get(c.p["applicationId"])
	if app == nil || key(str(app["_userId"])) != key(c.user) {
		c.rec.problem(probNotFound, nil)
		return nil
	}
	return app
}

func (s *Server) getApplication(c *call) {
	if app := s.ownApp(c); app != nil {
		c.rec.json(http.StatusOK, view(app))
	}
}

// deleteApplication answers 200 with the deleted application; its tokens
// stop working (server: ApplicationsController.kt:71-98).
func (s *Server) deleteApplication(c *call) {
	if s.opts.Edition == EditionCommunity {
		c.rec.errorID(http.StatusInternalServerError)
		return
	}
	app := s.ownApp(c)
	if app == nil {
		return
	}
	s.st.t("applications").del(str(app["id"]))
	c.rec.json(http.StatusOK, view(app))
}
