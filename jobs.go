package airbyte

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// Errors a JobError matches with errors.Is.
var (
	ErrJobFailed    = errors.New("airbyte: job failed")
	ErrJobCancelled = errors.New("airbyte: job cancelled")
)

// JobError is a job that ended without succeeding.
type JobError struct {
	// Job is the job as last read, with its final status.
	Job JobResponse
}

// Error says which job of which connection ended how, and after how long
// when the server says.
func (e *JobError) Error() string {
	if e == nil {
		return "airbyte: <nil *JobError>"
	}
	s := fmt.Sprintf("airbyte: %s job %d of connection %s ended %s", e.Job.JobType, e.Job.JobId, e.Job.ConnectionId, e.Job.Status)
	if d := jobDuration(&e.Job); d > 0 {
		s += " after " + d.String()
	}
	return s
}

// jobDuration is the job's run time as the server reports it, or 0.
func jobDuration(job *JobResponse) time.Duration {
	if job.Duration == nil {
		return 0
	}
	return job.Duration.Duration
}

// Is matches ErrJobCancelled for cancelled jobs and ErrJobFailed for
// failed ones.
func (e *JobError) Is(target error) bool {
	if e == nil {
		return false
	}
	switch target {
	case ErrJobCancelled:
		return e.Job.Status == generated.JobStatusEnumCancelled
	case ErrJobFailed:
		return e.Job.Status == generated.JobStatusEnumFailed
	}
	return false
}

// JobProgress is a snapshot of a running job, passed to JobOptions.Progress.
type JobProgress struct {
	// JobID is the job's ID.
	JobID int64
	// Status is the job's status when it was read. Incomplete means an
	// attempt failed and the server will try again: the wait goes on.
	Status JobStatusEnum
	// Elapsed is the time since the job started (its StartTime), by the
	// local clock.
	Elapsed time.Duration
	// Duration is how long the job has run as the server reports it (its
	// ISO 8601 "duration", such as PT2M5S, decoded), 0 until it does.
	Duration time.Duration
	// Bytes and Rows are what the job has synced so far, as the server
	// reports them (0 until it does).
	Bytes, Rows int64
}

// JobOptions tune RunJob and WaitJob. The zero value runs a sync, polls
// from every 2 s up to every 30 s, and reports nothing.
type JobOptions struct {
	// JobType is what RunJob starts (sync by default).
	JobType JobTypeEnum
	// AttachToRunning makes RunJob wait for the connection's running job
	// when the server answers 409 because one is already running.
	AttachToRunning bool
	// CancelOnDone cancels the job on the server when the wait ends before
	// the job does: ctx ends, or the server asks to wait (Retry-After)
	// past ctx's deadline. The cancel request has its own 30 s timeout.
	CancelOnDone bool
	// Progress, if set, is called after each poll.
	Progress func(JobProgress)
	// PollInterval is the first wait between polls; it grows by half each
	// poll up to MaxPollInterval. By default PollInterval is 2 s (or
	// MaxPollInterval if that is shorter) and MaxPollInterval 30 s (or
	// PollInterval if that is longer). Setting both with MaxPollInterval
	// shorter is an error, as is a negative interval.
	PollInterval, MaxPollInterval time.Duration
}

// IsFinalJobStatus reports whether a job in status s has ended:
// succeeded, failed or cancelled. An incomplete job has not: one attempt
// failed and the server will try again.
//
// server: airbyte-config/config-models/src/main/kotlin/io/airbyte/config/JobStatus.kt:21
// (TERMINAL_STATUSES is FAILED, SUCCEEDED, CANCELLED; line 30 lets
// INCOMPLETE go on to PENDING, RUNNING or SUCCEEDED).
func IsFinalJobStatus(s JobStatusEnum) bool {
	switch s {
	case generated.JobStatusEnumSucceeded, generated.JobStatusEnumFailed, generated.JobStatusEnumCancelled:
		return true
	}
	return false
}

// RunJob starts a job for a connection and waits for it to end. It
// returns the finished job, or a *JobError if it failed or was cancelled.
// A job that reads incomplete between attempts is waited for further.
func (c *Client) RunJob(ctx context.Context, connectionID UUID, opts JobOptions) (*JobResponse, error) {
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if _, _, err := pollIntervals(opts); err != nil {
		return nil, err
	}
	if opts.JobType == "" {
		opts.JobType = generated.JobTypeEnumSync
	}
	job, err := c.Jobs.Create(ctx, JobCreateRequest{ConnectionId: connectionID, JobType: opts.JobType})
	if errors.Is(err, ErrConflict) && opts.AttachToRunning {
		job, err = c.runningJob(ctx, connectionID)
	}
	if err != nil {
		return nil, err
	}
	return c.wait(ctx, job, opts)
}

// runningJob finds the connection's job that has not ended, incomplete
// ones (between attempts) included.
func (c *Client) runningJob(ctx context.Context, connectionID UUID) (*JobResponse, error) {
	// The list is filtered by status rather than sorted newest first: the
	// server lists oldest first by default
	// (airbyte-server/src/main/kotlin/io/airbyte/server/apis/publicapi/helpers/JobsHelper.kt:16),
	// and orderBy is fragile: its declared pattern \w+|(ASC|DESC)
	// (airbyte-api/server-api/src/main/openapi/config.yaml:8478) lets only a
	// bare word through where bean validation matches it whole, which
	// JobsHelper.kt:17-24 then rejects. Status filters work everywhere. A
	// connection has at most one job that has not ended; the newest is
	// taken if the server shows more.
	limit := int32(100)
	var found *JobResponse
	for _, status := range []JobStatusEnum{generated.JobStatusEnumRunning, generated.JobStatusEnumIncomplete, generated.JobStatusEnumPending, generated.JobStatusEnumQueued} {
		st := status
		r, err := c.Jobs.List(ctx, &ListJobsParams{ConnectionId: &connectionID, Limit: &limit, Status: &st})
		if err != nil {
			return nil, err
		}
		for i := range r.Data {
			if j := &r.Data[i]; !IsFinalJobStatus(j.Status) && (found == nil || j.JobId > found.JobId) {
				found = j
			}
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, fmt.Errorf("airbyte: connection %s has a job running (409) but none is listed", connectionID)
}

// WaitJob waits for a job to end; see RunJob.
func (c *Client) WaitJob(ctx context.Context, jobID int64, opts JobOptions) (*JobResponse, error) {
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if _, _, err := pollIntervals(opts); err != nil {
		return nil, err
	}
	job, err := c.Jobs.Get(ctx, jobID)
	if err != nil {
		return nil, err
	}
	return c.wait(ctx, job, opts)
}

// Default poll intervals of RunJob and WaitJob.
const (
	defaultPollInterval    = 2 * time.Second
	defaultMaxPollInterval = 30 * time.Second
)

// pollIntervals checks opts' intervals and fills in the defaults: a zero
// PollInterval is 2 s (or MaxPollInterval when that is shorter), a zero
// MaxPollInterval 30 s (or PollInterval when that is longer).
func pollIntervals(opts JobOptions) (first, most time.Duration, err error) {
	first, most = opts.PollInterval, opts.MaxPollInterval
	switch {
	case first < 0 || most < 0:
		return 0, 0, fmt.Errorf("airbyte: JobOptions: negative poll interval (PollInterval %v, MaxPollInterval %v)", first, most)
	case first > 0 && most > 0 && most < first:
		return 0, 0, fmt.Errorf("airbyte: JobOptions: MaxPollInterval %v is shorter than PollInterval %v", most, first)
	case first == 0 && most == 0:
		return defaultPollInterval, defaultMaxPollInterval, nil
	case first == 0:
		return min(defaultPollInterval, most), most, nil
	case most == 0:
		return first, max(defaultMaxPollInterval, first), nil
	}
	return first, most, nil
}

func (c *Client) wait(ctx context.Context, job *JobResponse, opts JobOptions) (*JobResponse, error) {
	interval, maxInterval, err := pollIntervals(opts)
	if err != nil {
		return job, err
	}
	for {
		if opts.Progress != nil {
			p := JobProgress{JobID: job.JobId, Status: job.Status, Elapsed: c.now().Sub(job.StartTime.Time)}
			if job.BytesSynced != nil {
				p.Bytes = *job.BytesSynced
			}
			if job.RowsSynced != nil {
				p.Rows = *job.RowsSynced
			}
			p.Duration = jobDuration(job)
			opts.Progress(p)
		}
		if IsFinalJobStatus(job.Status) {
			if job.Status == generated.JobStatusEnumSucceeded {
				return job, nil
			}
			return job, &JobError{Job: *job}
		}
		if err := c.sleep(ctx, interval); err != nil {
			return job, c.stop(ctx, job, opts, err)
		}
		interval = min(interval+interval/2, maxInterval)
		next, err := c.poll(ctx, job.JobId)
		if err != nil {
			if ctx.Err() != nil {
				return job, c.stop(ctx, job, opts, ctx.Err())
			}
			var ae *APIError
			if errors.As(err, &ae) && ae.RetryAfter > 0 && transientStatus(ae.StatusCode) {
				// The server asked for a wait the retries would not make:
				// past the context's deadline, the wait ends here.
				return job, c.stop(ctx, job, opts, err)
			}
			return job, &jobWaitError{what: fmt.Sprintf("polling job %d", job.JobId), err: err}
		}
		job = next
	}
}

// poll reads a job once. A Retry-After longer than the retry policy
// waits for is honoured here, as long as it ends before ctx's deadline:
// a job is worth the wait.
func (c *Client) poll(ctx context.Context, jobID int64) (*JobResponse, error) {
	for {
		job, err := c.Jobs.Get(ctx, jobID)
		var ae *APIError
		if err == nil || !errors.As(err, &ae) || ae.RetryAfter <= 0 || !transientStatus(ae.StatusCode) {
			return job, err
		}
		if dl, ok := ctx.Deadline(); ok && !c.now().Add(ae.RetryAfter).Before(dl) {
			return nil, err
		}
		if serr := c.sleep(ctx, ae.RetryAfter); serr != nil {
			return nil, serr
		}
	}
}

// jobWaitError is a wait for a job that ended before the job did: what
// was being done, why it stopped and, when cancelling the job failed too,
// why. Its text is one line with one "airbyte:" prefix.
type jobWaitError struct {
	what   string
	err    error
	cancel error
}

func (e *jobWaitError) Error() string {
	s := "airbyte: " + e.what + ": " + strings.TrimPrefix(e.err.Error(), "airbyte: ")
	if e.cancel != nil {
		s += "; cancelling the job also failed: " + strings.TrimPrefix(e.cancel.Error(), "airbyte: ")
	}
	return s
}

func (e *jobWaitError) Unwrap() []error {
	if e.cancel != nil {
		return []error{e.err, e.cancel}
	}
	return []error{e.err}
}

// cancelTimeout bounds the cancel request CancelOnDone sends after the
// caller's context has ended.
const cancelTimeout = 30 * time.Second

// stop ends a wait cut short by ctx (or by a server asking to wait past
// ctx's deadline), cancelling the job if asked, with a context of its own:
// the caller's may be done.
func (c *Client) stop(ctx context.Context, job *JobResponse, opts JobOptions, cause error) error {
	err := &jobWaitError{what: fmt.Sprintf("waiting for job %d", job.JobId), err: cause}
	if !opts.CancelOnDone {
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
	defer cancel()
	if _, cerr := c.Jobs.Cancel(cctx, job.JobId); cerr != nil {
		err.cancel = cerr
	}
	return err
}
