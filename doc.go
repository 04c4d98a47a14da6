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
// and read the details with errors.As. Value turns any generated response
// into (value, error).
//
// # Retries
//
// Connection errors and answers 429, 502, 503 and 504 are retried with
// exponential backoff and jitter, honouring Retry-After (seconds or an HTTP
// date), up to RetryPolicy.MaxAttempts and never past the context's
// deadline. GET, PUT, DELETE and HEAD are retried in all those cases.
// POST and PATCH can have side effects, so they are retried only when the
// server cannot have acted on them: when the connection could not be
// opened, or on 429 (the request was refused before it was handled). A
// POST /jobs is therefore never sent twice after a 502, 503 or 504, and
// cannot start two syncs. A Retry-After longer than RetryPolicy.MaxBackoff
// ends the retries at once: the *APIError's RetryAfter says how long the
// server asked for. Failures to get a token are retried by package auth,
// not again here. Each request carries the User-Agent
// airbyte-go/<version> (<go version>; <os>/<arch>).
//
// # Safety
//
// Credentials never travel over plain http:// to a host that is not a
// loopback address unless WithInsecureHTTP says so. A Client holds no
// secret of its own; tokens, secrets and secret-looking fields of bodies
// never appear in its errors or its debug logs (WithLogger,
// WithBodyLogging).
//
// # Pagination
//
// Workspaces, Sources, Destinations, Connections, Jobs, Groups and
// GroupMembers return iterators that fetch page after page (offset +=
// limit) until a short page, holding one page in memory.
//
// # Jobs
//
// RunJob starts a sync (or reset, refresh or clear) and waits for it,
// polling with backoff and reporting progress; WaitJob waits for a job
// that is already running. A failed or cancelled job is a *JobError.
//
// API reference: https://reference.airbyte.com
package airbyte
