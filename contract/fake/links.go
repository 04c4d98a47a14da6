package fake

import (
	"net/url"
	"strconv"
	"strings"
)

// multi returns the values of an array query parameter, whether sent
// repeated (?a=1&a=2, as clients do) or comma-joined (?a=1,2, as the
// server's own links do).
func multi(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// flag reads a boolean query parameter (the spec has checked its form).
func flag(q url.Values, name string) bool { return q.Get(name) == "true" }

// paging reads limit (default 20) and offset (default 0); the spec has
// checked their ranges.
func paging(q url.Values) (limit, offset int) {
	limit, offset = 20, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil {
		offset = v
	}
	return limit, offset
}

// page cuts one page out of items.
func page(items []obj, limit, offset int) []obj {
	if offset >= len(items) {
		return []obj{}
	}
	return items[offset:min(offset+limit, len(items))]
}

// apiHost is the public API host links are written on: Options.PublicURL,
// else the URL the request came to, without "/v1" (the server's
// airbyte-api.host setting; server: airbyte-server/src/main/resources/application.yml:487).
func (s *Server) apiHost(c *call) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host + strings.TrimSuffix(BasePath, "/v1")
}

// A qparam is one query parameter of a link, in the order it is written.
type qparam struct{ name, value string }

// links writes next and previous as the server's PaginationMapper does:
// next whenever the page has items (also a short last page), previous
// whenever offset is not 0; the filters kept are the given ones, in order;
// previous repeats limit because the server reuses the builder next added
// it to (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/PaginationMapper.kt:37-118).
func (s *Server) links(c *call, path string, keep []qparam, n, limit, offset int) (next, previous string) {
	base := s.apiHost(c) + "/v1/" + path
	params := append([]qparam(nil), keep...)
	encode := func(ps []qparam) string {
		var b strings.Builder
		for i, p := range ps {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(p.name))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(p.value))
		}
		return b.String()
	}
	l := strconv.Itoa(limit)
	if n > 0 {
		params = append(params, qparam{"limit", l}, qparam{"offset", strconv.Itoa(offset + limit)})
		next = base + "?" + encode(params)
	}
	if offset != 0 {
		prev := append([]qparam(nil), keep...)
		if n > 0 {
			prev = append(prev, qparam{"limit", l}) // the one next added
		}
		prev = append(prev, qparam{"limit", l}, qparam{"offset", strconv.Itoa(max(offset-limit, 0))})
		previous = base + "?" + encode(prev)
	}
	return next, previous
}

// listPage writes {data, next, previous} for a paginated list.
func (s *Server) listPage(c *call, path string, keep []qparam, items []obj) {
	limit, offset := paging(c.q)
	pg := page(items, limit, offset)
	data := make([]obj, len(pg))
	for i, o := range pg {
		data[i] = view(o)
	}
	next, prev := s.links(c, path, keep, len(pg), limit, offset)
	c.rec.json(200, map[string]any{"data": data, "next": next, "previous": prev})
}

// commonKeep is what the sources, destinations, connections and
// workspaces lists keep in their links: includeDeleted always, then
// workspaceIds when given, comma-joined
// (server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/mappers/SourcesResponseMapper.kt:39-46).
func commonKeep(c *call) []qparam {
	keep := []qparam{{"includeDeleted", strconv.FormatBool(flag(c.q, "includeDeleted"))}}
	if ids := multi(c.q, "workspaceIds"); len(ids) > 0 {
		keep = append(keep, qparam{"workspaceIds", strings.Join(ids, ",")})
	}
	return keep
}
