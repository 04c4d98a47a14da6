// Package airbyte is a Go client for the Airbyte API: one import, one call
// for the common paths, typed errors for the failure paths.
//
// # Usage
//
//	client, err := airbyte.NewClient(airbyte.FromEnv())
//	if err != nil { ... }
//	for ws, err := range client.Workspaces(ctx, nil) {
//		if err != nil { ... }
//		fmt.Println(ws.Name)
//	}
//	job, err := client.RunJob(ctx, connectionID, airbyte.JobOptions{})
//
// Every one of the API's operations is available, authenticated and
// retried, through Client.API, which returns the generated client.
//
// # Authentication
//
// Give the client an application's credentials (WithClientCredentials), a
// token made in the web app (WithToken), any auth.TokenSource
// (WithTokenSource), or read them from AIRBYTE_CLIENT_ID,
// AIRBYTE_CLIENT_SECRET, AIRBYTE_API_URL, AIRBYTE_TOKEN_URL or
// AIRBYTE_ACCESS_TOKEN (FromEnv). Tokens are fetched, cached and refreshed
// by package auth. For a self-managed installation set the server URL to
// <webapp>/api/public/v1.
//
// # Errors
//
// Every non-2xx answer is an *APIError, whichever way the call was made:
// the generated client's methods return it as their error, so a nil error
// always means success. Test the kind with errors.Is (ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrConflict, ErrRateLimited, ErrServer, …)
// and read the details with errors.As. Error() is one line: the
// operation, the status, the server's title and detail, its data.message
// when it has one, and its errorId (the ID its logs are keyed by; give it
// to support). Value turns any generated response into (value, error),
// and refuses a type parameter that is not the operation's success type.
//
// # Retries
//
// Connection errors and answers 429, 502, 503 and 504 are retried with
// exponential backoff and jitter, honouring Retry-After (seconds or an HTTP
// date), up to RetryPolicy.MaxAttempts and never past the context's
// deadline. GET, PUT, DELETE and HEAD are retried in all those cases,
// also when the connection drops in the middle of the answer's body.
// POST and PATCH can have side effects, so they are retried only when the
// server cannot have acted on them: when the connection could not be
// opened, or on 429 (the request was refused before it was handled). A
// POST /jobs is therefore never sent twice after a 502, 503 or 504, and
// cannot start two syncs. A Retry-After longer than RetryPolicy.MaxBackoff
// (a huge one included) ends the retries at once: the *APIError's
// RetryAfter says how long the server asked for. Failures to get a token
// are retried by package auth, not again here. Transport errors name the
// operation (method and URL, without the query). Each request carries the
// User-Agent airbyte-go/<version> (<go version>; <os>/<arch>).
//
// # Safety
//
// Credentials never travel over plain http:// to a host that is not a
// loopback address unless WithInsecureHTTP says so. A redirect that would
// carry the request body or an Authorization header to another origin,
// or from https down to http, is refused (ErrRedirectRefused) rather than
// followed; the caller's own CheckRedirect still applies to the others. A
// Client holds no secret of its own; tokens, secrets and secret-looking
// fields of bodies never appear in its errors or its debug logs
// (WithLogger, WithBodyLogging), even when the server echoes what the
// request carried: the bearer token and the values of the request body's
// secret-looking keys are masked wherever an answer repeats them.
//
// # Pagination
//
// Workspaces, Sources, Destinations, Connections, Jobs, Groups and
// GroupMembers return iterators that fetch page after page (offset +=
// limit) until a short page, holding one page in memory. A server that
// ignores offset (a full page equal to the one before) ends the iteration
// with ErrNoProgress instead of looping forever.
//
// # Jobs
//
// RunJob starts a sync (or reset, refresh or clear) and waits for it,
// polling with backoff and reporting progress; WaitJob waits for a job
// that is already running. A failed or cancelled job is a *JobError.
// Only succeeded, failed and cancelled are final (IsFinalJobStatus): an
// incomplete job had an attempt fail and will try again, so the wait goes
// on through it.
//
// # What a real server does that its documents do not say
//
//   - An ID that does not exist, or was deleted, usually answers 403
//     (ErrForbidden), not 404: the server checks the caller's roles on the
//     ID before it looks the resource up, and only instance admins get
//     404. server: airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/authorization/RoleResolver.kt:237,
//     called before the lookup, e.g. airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/controllers/SourcesController.kt:159.
//   - A 400 value-not-found names an unknown connector type, not a missing
//     resource, so it is ErrBadRequest and not ErrNotFound (older servers
//     sent 400 resource-not-found for missing resources, which is).
//     server: .../publicapi/controllers/SourcesController.kt:72.
//   - Many failures carry only {"errorId": "<uuid>"}, and in problem bodies
//     the specific text is often in data.message while detail is a fixed
//     sentence; APIError shows both. server:
//     airbyte-commons-server/src/main/kotlin/io/airbyte/commons/server/errors/handlers/IdNotFoundExceptionHandler.kt:40,
//     .../authorization/RoleResolver.kt:241.
//   - GET /jobs without orderBy lists the oldest jobs first; pass
//     "createdAt|DESC" for the newest. server:
//     airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/JobsHelper.kt:16.
//   - The next and previous links of list answers start with the host the
//     server was configured with (AIRBYTE_API_HOST), which may not be the
//     URL you reach it by; the iterators therefore page by offset and never
//     follow links. server: airbyte-server/src/main/resources/application.yml:487,
//     .../publicapi/mappers/PaginationMapper.kt:26.
//   - A job passes through incomplete between attempts (see Jobs). server:
//     airbyte-config/config-models/src/main/kotlin/io/airbyte/config/JobStatus.kt:21.
//
// API reference: https://reference.airbyte.com
package airbyte
