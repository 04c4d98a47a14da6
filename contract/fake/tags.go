package fake

import (
	"net/http"
	"regexp"
	"unicode/utf8"
)

// Tag rules (server: airbyte-server/src/main/kotlin/io/airbyte/server/handlers/TagHandler.kt:49-125;
// airbyte-data TagServiceDataImpl.kt:48-50).
var hexColor = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)

const (
	maxTagName = 30
	maxTags    = 100
)

// checkTag applies the name, color and uniqueness rules; self is the tag
// being renamed ("" on create).
func (s *Server) checkTag(c *call, ws, name, color, self string) bool {
	if utf8.RuneCountInString(name) > maxTagName {
		c.rec.message(probTagTooLong, "The tag name has more than 30 characters.")
		return false
	}
	if !hexColor.MatchString(color) {
		c.rec.message(probTagColor, "The color must be six hex digits.")
		return false
	}
	dup := false
	s.st.t("tags").each(func(t obj) bool {
		if key(str(t["workspaceId"])) == key(ws) && t["name"] == name && key(str(t["tagId"])) != key(self) {
			dup = true
			return false
		}
		return true
	})
	if dup {
		c.rec.message(probTagExists, "The workspace already has a tag named "+name+".")
		return false
	}
	return true
}

// listTags lists every tag of the given workspaces (or of every readable
// one) in one answer, not paginated
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/TagsController.kt:95-116).
func (s *Server) listTags(c *call) {
	ids := multi(c.q, "workspaceIds")
	if len(ids) > 0 && !s.inWorkspaces(c, ids, wsReader) {
		return
	}
	want := s.visibleWorkspaces(c.user, false)
	if len(ids) > 0 {
		want = map[string]bool{}
		for _, id := range ids {
			want[key(id)] = true
		}
	}
	data := []obj{}
	s.st.t("tags").each(func(t obj) bool {
		if want[key(str(t["workspaceId"]))] {
			data = append(data, view(t))
		}
		return true
	})
	c.rec.json(http.StatusOK, map[string]any{"data": data})
}

// createTag: editors of the workspace (server: TagsController.kt:36-47).
func (s *Server) createTag(c *call) {
	ws, name, color := str(c.in["workspaceId"]), str(c.in["name"]), str(c.in["color"])
	if !s.inWorkspace(c, ws, anyActorEdit) {
		return
	}
	if s.workspace(ws) == nil {
		c.rec.notFound("workspace", ws)
		return
	}
	if !s.checkTag(c, ws, name, color, "") {
		return
	}
	n := 0
	s.st.t("tags").each(func(t obj) bool {
		if key(str(t["workspaceId"])) == key(ws) {
			n++
		}
		return true
	})
	if n >= maxTags {
		c.rec.message(probTagLimit, "The workspace has 100 tags already.")
		return
	}
	id := newID()
	tag := obj{"tagId": id, "name": name, "color": color, "workspaceId": key(ws)}
	s.st.t("tags").put(id, tag)
	c.rec.json(http.StatusOK, view(tag))
}

// tagFor looks a tag up before the role check: an unknown tag is 404 to
// everyone (server: TagsController.kt:49-93,118-146).
func (s *Server) tagFor(c *call, roles ...string) obj {
	id := c.p["tagId"]
	tag := s.st.t("tags").get(id)
	if tag == nil {
		c.rec.notFound("tag", id)
		return nil
	}
	if !s.inWorkspace(c, str(tag["workspaceId"]), roles...) {
		return nil
	}
	return tag
}

func (s *Server) getTag(c *call) {
	if tag := s.tagFor(c, wsReader); tag != nil {
		c.rec.json(http.StatusOK, view(tag))
	}
}

// updateTag replaces both name and color (server: TagHandler.kt:59-81).
func (s *Server) updateTag(c *call) {
	tag := s.tagFor(c, anyActorEdit)
	if tag == nil {
		return
	}
	name, color := str(c.in["name"]), str(c.in["color"])
	if !s.checkTag(c, str(tag["workspaceId"]), name, color, str(tag["tagId"])) {
		return
	}
	tag["name"], tag["color"] = name, color
	c.rec.json(http.StatusOK, view(tag))
}

// deleteTag removes the tag, from connections too.
func (s *Server) deleteTag(c *call) {
	tag := s.tagFor(c, anyActorEdit)
	if tag == nil {
		return
	}
	s.st.t("tags").del(str(tag["tagId"]))
	c.rec.empty(http.StatusNoContent)
}
