// Package fake is an in-memory Airbyte API server for tests, demos and
// clients in any language. It is an http.Handler: serve it with httptest or
// the airbyte-fake command.
//
// The fake aims to answer as Airbyte does, so that code tested against it
// behaves the same in production. All 92 operations of the spec work on
// state: creates store, reads read, PATCH and PUT change what they name,
// deletes delete. Each application acts as a user with permissions, and
// every operation checks roles as the server's controllers do. Every
// request is validated against the spec and every answer is validated
// before it is sent. Where a rule comes from the server's code, the code
// cites the file and line (airbytehq/airbyte-platform at 310e6cb).
//
// Options set the edition (Cloud by default, or the community edition),
// the caller's role, the public URL links are written on, the job
// lifecycle, and fault knobs (latency, 429 with Retry-After, load shedding,
// 5xx). SaveState and LoadState keep the fake's state across restarts.
//
// # Where the fake follows the server
//
//	Area            What the fake does as the server does
//	--------------  ---------------------------------------------------------------
//	Authorization   Roles are checked before lookups: an unknown or foreign ID is
//	                403 forbidden (data.message names the role) to everyone but
//	                instance admins, who get 404. Tags and groups are looked up
//	                first (404 to everyone). Roles follow the permission grants
//	                (organization roles reach the organization's workspaces;
//	                group permissions reach the group's members).
//	Unknown IDs     Jobs: 409 state-conflict. Permissions, regions, data planes:
//	                500 {"errorId"}. Applications of another user: 404, data null.
//	Error bodies    Problems {status,type,title,detail,documentationUrl,data}
//	                with nulls written out, the server's types and titles.
//	                Bare {"errorId"}: 400 for parameters the spec refuses, 422 for
//	                bodies it cannot map or parse, 404 for unknown routes, 401 for
//	                rejected credentials on Cloud, 500 for uncaught cases.
//	Success bodies  Null fields are left out.
//	Tokens          JSON or form bodies, grant-type ignored; 15 minutes by default;
//	                expires_in is whole seconds and the token works exactly that
//	                long; the community edition refuses credentials with a 400 HAL
//	                body, Cloud with 401 {"errorId"}.
//	Lists           next on every non-empty page (a short last page too), "" on an
//	                empty one; previous repeats limit; links keep includeDeleted and
//	                workspaceIds (comma-joined) and drop tagIds; jobs links keep only
//	                jobType and connectionId or workspaceIds. Array filters may come
//	                repeated or comma-joined. Groups and members page as their own
//	                controllers do (relative links, absent keys); regions and data
//	                planes are bare arrays, newest first; tags, definitions,
//	                permissions, users and organizations are one unpaginated page.
//	Sources and     The connector comes from definitionId or from sourceType /
//	destinations    destinationType found anywhere in the configuration: missing is
//	                422, unknown is 400 value-not-found (data.value); the type
//	                member is not stored; secrets come back masked; PATCH deep-merges
//	                the configuration and keeps the name unless given; PUT replaces;
//	                delete blanks the configuration, deprecates the connections and
//	                leaves the actor readable; lists hide it unless includeDeleted.
//	Connections     Status active and schedule manual by default; cron read back
//	                with " UTC"; a trailing UTC in the request is dropped; streams
//	                checked against the source's catalog (unknown, duplicate or
//	                impossible incremental: 400); no streams means every stream as
//	                full_refresh_overwrite; PATCH applies non-null fields, tags
//	                replace the set; a locked connection is 409; delete deprecates.
//	Workspaces      Create needs ORGANIZATION_EDITOR; a region sets dataResidency to
//	                its name in lower case; PATCH replaces the notification items
//	                given; delete cascades to connections, sources and destinations,
//	                and the workspace then reads as 404.
//	Jobs            pending, running, attempts that fail pass through incomplete,
//	                final failed, succeeded or cancelled; startTime and lastUpdatedAt
//	                as Java's OffsetDateTime.toString() (seconds left out when zero);
//	                lastUpdatedAt only once final; duration as Java's
//	                Duration.toString(), from creation to the last status change,
//	                absent while pending; counts absent while pending; clear runs as
//	                reset; refresh is 422; a running job makes a new one 409
//	                try-again-later ("A sync is already running for: <id>"); an
//	                inactive connection 409 state-conflict; cancel acts on the
//	                connection's current job, 409 when none runs; oldest first.
//	Tags            Names up to 30 characters, unique per workspace; six-digit hex
//	                colors; 100 per workspace; each rule with the server's problem.
//	Definitions     Built-in definitions of the connectors the fake knows, plus the
//	                workspace's own; Cloud refuses Docker definitions (400);
//	                built-ins cannot change (400); delete answers 200 with the
//	                definition and deletes the actors built on it. Declarative
//	                definitions need spec.connection_specification (else 500) and
//	                number their versions.
//	Groups          201 on create and add; names unique per organization, case
//	                insensitive; a duplicate group permission is 400; removing a
//	                member who is not one is 204.
//	Permissions     Exactly one scope; the same grant twice answers the same row;
//	                the last organization admin cannot go (409); instance_admin
//	                cannot be granted by update (422); other users' permissions are
//	                listed per organization, organization rows only.
//	Applications    Secrets in clear on list and get; delete answers 200 with the
//	                application, and its tokens stop working.
//	Load shedding   429 {"message"} without Retry-After (ShedLoadEvery).
//
// # Where the fake knowingly differs
//
//	Area            Difference
//	--------------  ---------------------------------------------------------------
//	Configurations  Checked (422, each field and rule named) against lenient
//	                schemas of the fake's own for postgres, faker and stripe
//	                sources and postgres, bigquery and e2e-test destinations, with
//	                no required members; other connectors are not checked. Secrets
//	                are masked by airbyte_secret and by key name; they are never
//	                stored.
//	Prose           detail sentences and most data.message texts are the fake's
//	                own words; the status, type and title are the server's.
//	Violations      Answers to requests the spec refuses carry an X-Fake-Violation
//	                header naming the parameter or field (never a body value).
//	403 bodies      The server's framework refuses @Secured operations without a
//	                problem body; the fake writes the forbidden problem for all.
//	401 bodies      A missing or expired token gets a problem-shaped body.
//	Cron            A Quartz parser of the fake's own (close to the server's
//	                cron-utils checks); refusals are 400 bad-request as from the
//	                public API's own check, so the handler-level cron-validation
//	                problems other than Cloud's one-hour minimum are never reached.
//	Jobs            Status follows the clock (JobDuration): three attempts of equal
//	                length when FailJobs; counts grow linearly; cancellation takes
//	                effect at once (the server answers before the job has stopped).
//	Entitlements    Every organization is entitled to regions, groups and
//	                configuration templates; no SCIM; license problems are never
//	                sent. No shared regions exist until made.
//	OAuth           Cloud's flow is modelled with a consent URL of the fake's own;
//	                the callback redirects with a secret_id; stored OAuth app
//	                credentials are masked. (The community edition's 501 stubs,
//	                its missing callback route and its application stubs are
//	                modelled as the server has them.)
//	Embedded        Tokens are unsigned JWT-shaped strings (alg none), and the fake
//	                does not accept them as bearer tokens (no embedded end-user
//	                role).
//	Other           resourceAllocation is stored, not refused on Cloud;
//	                includeSecretCoordinates is ignored; stream catalogs are the
//	                fake's own, top-level fields only; GET / is served under the v1
//	                base path and /health as text/plain, as the spec declares;
//	                bodies over 1 MiB get 413.
package fake
