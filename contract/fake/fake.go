package fake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"

	"github.com/seed83f33fd3/airbyte-go/contract"
)

// Default credentials the fake accepts when Options leave them empty.
const (
	DefaultClientID     = "fake-client-id"
	DefaultClientSecret = "fake-client-secret"
	// BasePath is where the fake serves the API, as a self-managed
	// installation does.
	BasePath = "/api/public/v1"
)

// Editions the fake can act as (Options.Edition).
const (
	// EditionCloud is Airbyte Cloud: the caller is an organization admin
	// (not an instance admin), and rejected client credentials get 401
	// {"errorId"} as under OIDC.
	EditionCloud = "cloud"
	// EditionCommunity is the self-managed community edition: the default
	// application is an instance admin, and rejected client credentials
	// get a 400 HAL body.
	EditionCommunity = "community"
)

// Options configure a fake server. The zero value is usable and acts as
// Airbyte Cloud.
type Options struct {
	// ClientID and ClientSecret are the credentials of the default
	// application; empty means DefaultClientID and DefaultClientSecret.
	ClientID, ClientSecret string
	// Edition is EditionCloud (default) or EditionCommunity; it sets the
	// default Role and how rejected client credentials are answered.
	Edition string
	// Role is the permission the default application's user holds: a
	// permission type such as "instance_admin", "organization_admin",
	// "organization_reader", "workspace_admin", "workspace_editor",
	// "workspace_runner" or "workspace_reader". Organization roles apply to
	// the default organization, workspace roles to the default workspace.
	// Empty means "organization_admin" on Cloud and "instance_admin" on
	// the community edition. Only instance admins see 404 for unknown IDs;
	// everyone else gets 403, as from the server.
	Role string
	// TokenLifetime is how long issued tokens live; zero means 15 minutes
	// (the server's default) and a negative value is an error. expires_in
	// is the lifetime in whole seconds, rounded down, and a token is
	// accepted for exactly that long; a lifetime under a second is
	// advertised as 0 and lives its own length.
	TokenLifetime time.Duration
	// JobDuration is how long a job takes from creation to its end; zero
	// means 3 seconds and a negative value is an error.
	JobDuration time.Duration
	// JobBytes and JobRows are what a finished sync reports (defaults 48 MiB
	// and 125,000 rows); they grow linearly while the job runs.
	JobBytes, JobRows int64
	// FailJobs makes every attempt of every job fail: the job goes through
	// incomplete between attempts and ends failed after three.
	FailJobs bool
	// PublicURL is the public API host links are written on, as the
	// server's airbyte-api.host setting (for example
	// "https://airbyte.example.com/api/public"); empty means the URL the
	// request came to, without "/v1".
	PublicURL string
	// Latency is added before every answer.
	Latency time.Duration
	// RateLimitEvery answers every Nth request with 429 and a Retry-After
	// of RetryAfter; 0 disables it.
	RateLimitEvery int
	// RetryAfter is the wait the 429 answers of RateLimitEvery ask for, sent
	// in whole seconds rounded up (default 1 second).
	RetryAfter time.Duration
	// ShedLoadEvery answers every Nth request as the server's load
	// shedding does: 429 {"message"} without Retry-After; 0 disables it.
	ShedLoadEvery int
	// ServerErrorEvery answers every Nth request with 503; 0 disables it.
	ServerErrorEvery int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	opts      Options
	validator *contract.Validator
	st        *store

	// The defaults New made, guarded by st.mu.
	defOrg, defUser, defWorkspace string
}

// New returns a fake with one organization, one user, the default
// application and one workspace, "Default Workspace". It fails when a
// duration of opts is negative or an option is unknown.
func New(opts Options) (*Server, error) {
	if opts.TokenLifetime < 0 {
		return nil, errors.New("fake: TokenLifetime must be positive")
	}
	if opts.JobDuration < 0 {
		return nil, errors.New("fake: JobDuration must be positive")
	}
	if _, err := knownSpecs(); err != nil {
		return nil, err
	}
	switch opts.Edition {
	case "":
		opts.Edition = EditionCloud
	case EditionCloud, EditionCommunity:
	default:
		return nil, fmt.Errorf("fake: unknown Edition %q", opts.Edition)
	}
	if opts.Role == "" {
		opts.Role = "organization_admin"
		if opts.Edition == EditionCommunity {
			opts.Role = "instance_admin"
		}
	}
	if !knownPermission[opts.Role] {
		return nil, fmt.Errorf("fake: unknown Role %q", opts.Role)
	}
	if opts.PublicURL != "" {
		u, err := url.Parse(opts.PublicURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("fake: PublicURL %q is not an absolute URL", opts.PublicURL)
		}
		opts.PublicURL = strings.TrimSuffix(opts.PublicURL, "/")
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.TokenLifetime == 0 {
		// server: airbyte-commons-auth token expiry default, 15 minutes (README "Token").
		opts.TokenLifetime = 15 * time.Minute
	}
	if opts.JobDuration == 0 {
		opts.JobDuration = 3 * time.Second
	}
	if opts.JobBytes <= 0 {
		opts.JobBytes = 48 << 20
	}
	if opts.JobRows <= 0 {
		opts.JobRows = 125_000
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	v, err := contract.DefaultValidator()
	if err != nil {
		return nil, fmt.Errorf("fake: %w", err)
	}
	s := &Server{opts: opts, validator: v, st: newStore()}
	s.seedDefaults()
	return s, nil
}

// seedDefaults makes the default organization, user, application,
// permission and workspace.
func (s *Server) seedDefaults() {
	now := s.opts.Now()
	org := newID()
	s.st.t("organizations").put(org, obj{"organizationId": org, "organizationName": "Default Organization", "email": "owner@example.com"})
	user := newID()
	s.st.t("users").put(user, obj{"id": user, "name": "Default User", "email": "owner@example.com", "_organizationId": org})
	app := newID()
	s.st.t("applications").put(app, obj{"id": app, "name": "Default Application", "clientId": s.opts.ClientID,
		"clientSecret": s.opts.ClientSecret, "createdAt": now.Unix(), "_userId": user})
	ws := newID()
	s.st.t("workspaces").put(ws, obj{"workspaceId": ws, "name": "Default Workspace", "dataResidency": "auto",
		"notifications": obj{}, "_organizationId": org})
	s.defOrg, s.defUser, s.defWorkspace = org, user, ws
	// The default user's own permission, as the Role option says.
	perm := obj{"permissionId": newID(), "permissionType": s.opts.Role, "userId": user}
	switch {
	case s.opts.Role == "instance_admin":
	case strings.HasPrefix(s.opts.Role, "workspace_"):
		perm["workspaceId"] = ws
		// A workspace member is a member of its organization too.
		member := obj{"permissionId": newID(), "permissionType": "organization_member", "userId": user, "organizationId": org}
		s.st.t("permissions").put(str(member["permissionId"]), member)
	default:
		perm["organizationId"] = org
	}
	s.st.t("permissions").put(str(perm["permissionId"]), perm)
	// A second member of the organization, for groups and permissions.
	mate := newID()
	s.st.t("users").put(mate, obj{"id": mate, "name": "Teammate", "email": "teammate@example.com", "_organizationId": org})
	mp := newID()
	s.st.t("permissions").put(mp, obj{"permissionId": mp, "permissionType": "organization_member", "userId": mate, "organizationId": org})
	s.seedDefinitions()
}

// refreshDefaults finds the defaults again after a state was loaded: the
// application with the configured credentials (made for the first user if
// missing), its user, and the first workspace and organization.
func (s *Server) refreshDefaults() {
	var app obj
	s.st.t("applications").each(func(o obj) bool {
		if str(o["clientId"]) == s.opts.ClientID {
			app = o
			return false
		}
		return true
	})
	s.st.t("users").each(func(o obj) bool { s.defUser = str(o["id"]); return false })
	if app == nil {
		id := newID()
		app = obj{"id": id, "name": "Default Application", "clientId": s.opts.ClientID, "clientSecret": s.opts.ClientSecret,
			"createdAt": s.opts.Now().Unix(), "_userId": s.defUser}
		s.st.t("applications").put(id, app)
	}
	s.defUser = str(app["_userId"])
	s.st.t("workspaces").each(func(o obj) bool { s.defWorkspace = str(o["workspaceId"]); return false })
	s.st.t("organizations").each(func(o obj) bool { s.defOrg = str(o["organizationId"]); return false })
	if s.st.t("sourceDefinitions").len() == 0 {
		s.seedDefinitions()
	}
}

// ClientID returns the client ID of the default application.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret returns the client secret of the default application.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// DefaultWorkspaceID returns the ID of the workspace every fake starts with.
func (s *Server) DefaultWorkspaceID() string {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.defWorkspace
}

// DefaultOrganizationID returns the ID of the organization every fake
// starts with.
func (s *Server) DefaultOrganizationID() string {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.defOrg
}

// DefaultUserID returns the ID of the user the default application acts
// as.
func (s *Server) DefaultUserID() string {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return s.defUser
}

// canonical is the base URL requests are validated against.
var canonical, _ = url.Parse(contract.SelfManagedBaseURL)

// violationHeader carries, on answers to requests that break the spec,
// which parameter or body field was wrong (never a value from the body):
// the server's own answer there is a bare {"errorId"}.
const violationHeader = "X-Fake-Violation"

// A call is one request on its way through a handler.
type call struct {
	rec  *recorder
	r    *http.Request
	p    map[string]string
	q    url.Values
	in   map[string]any
	user string // the caller's user ID; "" on anonymous operations
	now  time.Time
}

type handler func(*Server, *call)

// ServeHTTP implements http.Handler. It serves the API under BasePath.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	// Route on the path as sent: an escaped slash inside a parameter
	// ("google%20sheets%2Fv2") must stay inside its segment.
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), BasePath)
	if !ok {
		writeDirect(w, http.StatusNotFound, jsonHeader, jsonBytes(probNoRoute.body(probNoRoute.detail, nil)))
		return
	}
	s.st.mu.Lock()
	s.st.requests++
	n := s.st.requests
	s.st.mu.Unlock()
	switch {
	case s.opts.RateLimitEvery > 0 && n%s.opts.RateLimitEvery == 0:
		h := jsonHeader.Clone()
		h.Set("Retry-After", strconv.FormatInt(ceilSeconds(s.opts.RetryAfter), 10))
		writeDirect(w, http.StatusTooManyRequests, h, []byte(`{"message":"Too many requests: slow down."}`))
		return
	case s.opts.ShedLoadEvery > 0 && n%s.opts.ShedLoadEvery == 0:
		// server: airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/filters/PublicApiLoadShedFilter.kt:
		// 429 with a one-member {"message"} body and no Retry-After.
		writeDirect(w, http.StatusTooManyRequests, jsonHeader, []byte(`{"message":"The server is shedding load; try again later."}`))
		return
	case s.opts.ServerErrorEvery > 0 && n%s.opts.ServerErrorEvery == 0:
		writeDirect(w, http.StatusServiceUnavailable, jsonHeader, jsonBytes(probUnavailable.body(probUnavailable.detail, nil)))
		return
	}

	rec := &recorder{header: http.Header{}}
	route, params, check, body, ok := s.admit(rec, r, rest)
	if ok {
		s.dispatch(rec, r, route, params, body)
	}
	if route != nil {
		// Validate the answer before it goes out.
		if err := s.validator.ValidateRoutedResponse(r.Context(), check, route, params, rec.status, rec.header, rec.body.Bytes()); err != nil {
			rec.header = http.Header{}
			rec.problem(probFakeBadOutcome, map[string]any{"message": err.Error()})
		}
	}
	writeDirect(w, rec.status, rec.header, rec.body.Bytes())
}

// admit routes, authenticates and validates a request. It returns the
// route (nil when none matched) and whether the request may go to its
// handler; when not, rec holds the answer.
func (s *Server) admit(rec *recorder, r *http.Request, rest string) (*routers.Route, map[string]string, *http.Request, []byte, bool) {
	check := r.Clone(r.Context())
	u, err := url.Parse(contract.SelfManagedBaseURL + rest)
	if err != nil {
		rec.errorID(http.StatusNotFound)
		return nil, nil, nil, nil, false
	}
	u.RawQuery = r.URL.RawQuery
	check.URL = u
	check.Host = canonical.Host
	route, params, rerr := s.validator.Route(check)
	if route == nil {
		if errors.Is(rerr, routers.ErrMethodNotAllowed) {
			rec.json(http.StatusMethodNotAllowed, probMethodNotAllowed.body(r.Method+" is not allowed on this path.", nil))
			return nil, nil, nil, nil, false
		}
		// server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/NotFoundExceptionHandler.kt:40
		rec.errorID(http.StatusNotFound)
		return nil, nil, nil, nil, false
	}
	body, err := readBody(r)
	if errors.Is(err, errTooLarge) {
		rec.json(http.StatusRequestEntityTooLarge, probTooLarge.body(err.Error(), nil))
		return route, params, check, nil, false
	}
	if err != nil {
		rec.errorID(http.StatusBadRequest)
		return route, params, check, nil, false
	}
	check.Body = nopCloser(body)
	if !contract.IsAnonymous(route.Operation) && s.caller(r) == "" {
		rec.problem(probUnauthorized, nil)
		return route, params, check, nil, false
	}
	// A query the server cannot decode (a bad %-escape) is refused.
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		rec.header.Set(violationHeader, "the query string is not valid percent-encoding")
		rec.errorID(http.StatusBadRequest)
		return route, params, check, nil, false
	}
	if verr := s.validator.ValidateRoutedRequest(r.Context(), check, route, params); verr != nil {
		status, summary := classify(verr)
		rec.header.Set(violationHeader, summary)
		rec.errorID(status)
		return route, params, check, nil, false
	}
	return route, params, check, body, true
}

// dispatch decodes the body and runs the operation's handler under the
// store's lock.
func (s *Server) dispatch(rec *recorder, r *http.Request, route *routers.Route, params map[string]string, body []byte) {
	c := &call{rec: rec, r: r, p: params, q: r.URL.Query()}
	if len(body) > 0 {
		if mt := r.Header.Get("Content-Type"); strings.HasPrefix(mt, "application/x-www-form-urlencoded") {
			form, err := url.ParseQuery(string(body))
			if err != nil {
				rec.errorID(http.StatusBadRequest)
				return
			}
			c.in = map[string]any{}
			for k := range form {
				c.in[k] = form.Get(k)
			}
		} else if err := json.Unmarshal(body, &c.in); err != nil {
			// server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/InvalidJsonExceptionHandler.kt:44
			rec.errorID(http.StatusUnprocessableEntity)
			return
		}
	}
	h, ok := handlers[route.Operation.OperationID]
	if !ok {
		rec.message(probUnexpected, "the fake has no handler for "+route.Operation.OperationID)
		return
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	c.now = s.opts.Now()
	if !contract.IsAnonymous(route.Operation) {
		c.user = s.callerLocked(r)
		if c.user == "" { // the token expired between admission and now
			rec.problem(probUnauthorized, nil)
			return
		}
	}
	h(s, c)
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newSecret(prefix string) string {
	b := make([]byte, 24)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// ceilSeconds is d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
