package airbyte

import (
	"context"
	"sync"
	"time"
)

// sleepRecorder replaces real sleeping in tests and records each wait.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *sleepRecorder) option() Option {
	return option(func(s *settings) error {
		s.sleep = func(ctx context.Context, d time.Duration) error {
			r.mu.Lock()
			r.waits = append(r.waits, d)
			r.mu.Unlock()
			return ctx.Err()
		}
		return nil
	})
}

func (r *sleepRecorder) get() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func withClock(now func() time.Time) Option {
	return option(func(s *settings) error { s.now = now; return nil })
}
