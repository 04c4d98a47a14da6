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
