package fake

import "net/http"

// dataplaneFor finds a data plane; unknown IDs answer 500 {"errorId"}
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/DataplaneController.kt:65-107).
func (s *Server) dataplaneFor(c *call) obj {
	d := s.st.t("dataplanes").get(c.p["dataplaneId"])
	if d == nil {
		c.rec.errorID(http.StatusInternalServerError)
		return nil
	}
	if !s.inOrg(c, s.regionOrg(str(d["regionId"])), orgAdmin) {
		return nil
	}
	return d
}

func (s *Server) regionOrg(id string) string {
	if r := s.st.t("regions").get(id); r != nil {
		return str(r["organizationId"])
	}
	return ""
}

// listDataplanes answers a bare array: the live data planes of the given
// regions (ORGANIZATION_ADMIN on each region's organization), or without
// regionIds those of every organization the caller administers
// (server: DataplaneController.kt:38-47; P/services/DataplaneService.kt:55-93).
func (s *Server) listDataplanes(c *call) {
	regions := multi(c.q, "regionIds")
	want := map[string]bool{}
	for _, id := range regions {
		if s.st.t("regions").get(id) == nil {
			c.rec.errorID(http.StatusInternalServerError)
			return
		}
		if !s.inOrg(c, s.regionOrg(id), orgAdmin) {
			return
		}
		want[key(id)] = true
	}
	items := s.st.t("dataplanes").list(func(o obj) bool {
		if o["_deleted"] == true {
			return false
		}
		if len(regions) > 0 {
			return want[key(str(o["regionId"]))]
		}
		return s.rolesIn(c.user, "", s.regionOrg(str(o["regionId"])))[orgAdmin]
	})
	newestFirst(items)
	out := make([]obj, len(items))
	for i, o := range items {
		out[i] = view(o)
	}
	c.rec.json(http.StatusOK, out)
}

// createDataplane makes a data plane and its credentials: an application
// whose client ID is a UUID (server: DataplaneController.kt:51-63;
// airbyte-data DataplaneServiceDataImpl.kt:69-90).
func (s *Server) createDataplane(c *call) {
	rid := str(c.in["regionId"])
	if s.st.t("regions").get(rid) == nil {
		c.rec.errorID(http.StatusInternalServerError)
		return
	}
	if !s.inOrg(c, s.regionOrg(rid), orgAdmin) {
		return
	}
	name := str(c.in["name"])
	if !uniqueName(c, s.st.t("dataplanes"), "regionId", rid, name, "dataplaneId", "") {
		return
	}
	enabled := true
	if b, ok := c.in["enabled"].(bool); ok {
		enabled = b
	}
	id := newID()
	d := obj{"dataplaneId": id, "name": name, "regionId": key(rid), "enabled": enabled,
		"_clientId": newID(), "_clientSecret": newSecret("")}
	stamp(d, c)
	s.st.t("dataplanes").put(id, d)
	c.rec.json(http.StatusOK, obj{"dataplaneId": id, "regionId": key(rid), "clientId": d["_clientId"], "clientSecret": d["_clientSecret"]})
}

func (s *Server) getDataplane(c *call) {
	if d := s.dataplaneFor(c); d != nil {
		c.rec.json(http.StatusOK, view(d))
	}
}

// updateDataplane changes only the fields given (server: DataplaneService.kt:155-160).
func (s *Server) updateDataplane(c *call) {
	d := s.dataplaneFor(c)
	if d == nil {
		return
	}
	s.patchNamed(c, d, "dataplanes", "regionId", "dataplaneId")
}

// deleteDataplane marks it deleted, drops its credentials and answers it
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/services/DataplaneService.kt:45-54).
func (s *Server) deleteDataplane(c *call) {
	d := s.dataplaneFor(c)
	if d == nil {
		return
	}
	if d["_deleted"] != true {
		s.retireDataplane(d, c)
	}
	c.rec.json(http.StatusOK, view(d))
}

func (s *Server) retireDataplane(d obj, c *call) {
	d["_deleted"] = true
	delete(d, "_clientSecret")
	stamp(d, c)
}
