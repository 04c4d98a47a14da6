package auth

import (
	"context"
	"time"
)

// SetSleep replaces the wait between token request attempts of c, so tests
// can see the waits without sleeping. Call it before the first Token call.
func SetSleep(c *ClientCredentials, sleep func(ctx context.Context, d time.Duration) error) {
	c.sleep = sleep
}

// WaitIdle waits until c has no fetch in flight, or ctx is done.
func WaitIdle(ctx context.Context, c *ClientCredentials) error {
	for {
		c.mu.Lock()
		idle := c.inflight == nil
		c.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}
