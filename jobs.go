package airbyte

import (
	"context"
	"errors"
	"fmt"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

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
	Job generated.JobResponse
}

// Error says which job of which connection ended how.
func (e *JobError) Error() string {
	return fmt.Sprintf("airbyte: %s job %d of connection %s ended %s", e.Job.JobType, e.Job.JobId, e.Job.ConnectionId, e.Job.Status)
}

// Is matches ErrJobCancelled for cancelled jobs and ErrJobFailed for failed
// or incomplete ones.
func (e *JobError) Is(target error) bool {
	switch target {
	case ErrJobCancelled:
		return e.Job.Status == generated.JobStatusEnumCancelled
	case ErrJobFailed:
		return e.Job.Status == generated.JobStatusEnumFailed || e.Job.Status == generated.JobStatusEnumIncomplete
	}
	return false
}

// JobProgress is a snapshot of a running job, passed to JobOptions.Progress.
type JobProgress struct {
	// JobID is the job's ID.
	JobID int64
	// Status is the job's status when it was read.
	Status generated.JobStatusEnum
	// Elapsed is the time since the wait began.
	Elapsed time.Duration
	// Bytes and Rows are what the job has synced so far, as the server
	// reports them (0 until it does).
	Bytes, Rows int64
}

// JobOptions tune RunJob and WaitJob. The zero value runs a sync, polls
// from every 2 s up to every 30 s, and reports nothing.
type JobOptions struct {
	// JobType is what RunJob starts (sync by default).
	JobType generated.JobTypeEnum
	// AttachToRunning makes RunJob wait for the connection's running job
	// when the server answers 409 because one is already running.
	AttachToRunning bool
	// CancelOnDone cancels the job on the server when ctx ends before the
	// job does.
	CancelOnDone bool
	// Progress, if set, is called after each poll.
	Progress func(JobProgress)
	// PollInterval is the first wait between polls (2 s by default); it
	// grows by half each poll up to MaxPollInterval (30 s by default).
	PollInterval, MaxPollInterval time.Duration
}

// Terminal reports whether a job in status s has ended.
func Terminal(s generated.JobStatusEnum) bool {
	switch s {
	case generated.JobStatusEnumSucceeded, generated.JobStatusEnumFailed, generated.JobStatusEnumCancelled, generated.JobStatusEnumIncomplete:
		return true
	}
	return false
}

// RunJob starts a job for a connection and waits for it to end. It
// returns the finished job, or a *JobError if it failed or was cancelled.
func (c *Client) RunJob(ctx context.Context, connectionID openapi_types.UUID, opts JobOptions) (*generated.JobResponse, error) {
	if opts.JobType == "" {
		opts.JobType = generated.JobTypeEnumSync
	}
	job, err := Value[generated.JobResponse](c.api.CreateJobWithResponse(ctx, generated.CreateJobJSONRequestBody{ConnectionId: connectionID, JobType: opts.JobType}))
	if errors.Is(err, ErrConflict) && opts.AttachToRunning {
		job, err = c.runningJob(ctx, connectionID)
	}
	if err != nil {
		return nil, err
	}
	return c.wait(ctx, job, opts)
}

// runningJob finds the connection's job that has not ended.
func (c *Client) runningJob(ctx context.Context, connectionID openapi_types.UUID) (*generated.JobResponse, error) {
	limit := int32(20)
	orderBy := "createdAt|DESC"
	r, err := Value[generated.JobsResponse](c.api.ListJobsWithResponse(ctx, &generated.ListJobsParams{ConnectionId: &connectionID, Limit: &limit, OrderBy: &orderBy}))
	if err != nil {
		return nil, err
	}
	for _, j := range r.Data {
		if !Terminal(j.Status) {
			return &j, nil
		}
	}
	return nil, fmt.Errorf("airbyte: connection %s has a job running (409) but none is listed", connectionID)
}

// WaitJob waits for a job to end; see RunJob.
func (c *Client) WaitJob(ctx context.Context, jobID int64, opts JobOptions) (*generated.JobResponse, error) {
	job, err := Value[generated.JobResponse](c.api.GetJobWithResponse(ctx, jobID))
	if err != nil {
		return nil, err
	}
	return c.wait(ctx, job, opts)
}

func (c *Client) wait(ctx context.Context, job *generated.JobResponse, opts JobOptions) (*generated.JobResponse, error) {
	interval := opts.PollInterval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	maxInterval := opts.MaxPollInterval
	if maxInterval < interval {
		maxInterval = max(30*time.Second, interval)
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
			opts.Progress(p)
		}
		if Terminal(job.Status) {
			if job.Status == generated.JobStatusEnumSucceeded {
				return job, nil
			}
			return job, &JobError{Job: *job}
		}
		if err := c.sleep(ctx, interval); err != nil {
			return job, c.stop(ctx, job, opts, err)
		}
		interval = min(interval+interval/2, maxInterval)
		next, err := Value[generated.JobResponse](c.api.GetJobWithResponse(ctx, job.JobId))
		if err != nil {
			if ctx.Err() != nil {
				return job, c.stop(ctx, job, opts, ctx.Err())
			}
			return job, fmt.Errorf("airbyte: polling job %d: %w", job.JobId, err)
		}
		job = next
	}
}

// stop ends a wait cut short by ctx, cancelling the job if asked.
func (c *Client) stop(ctx context.Context, job *generated.JobResponse, opts JobOptions, cause error) error {
	err := fmt.Errorf("airbyte: waiting for job %d: %w", job.JobId, cause)
	if !opts.CancelOnDone {
		return err
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, cerr := c.api.CancelJobWithResponse(cctx, job.JobId); cerr != nil {
		return errors.Join(err, fmt.Errorf("airbyte: cancelling job %d: %w", job.JobId, cerr))
	}
	return err
}
