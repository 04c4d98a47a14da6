package airbyte

import "sync"

// ConfigCheckDefs exposes, to the package's external tests, what the
// configuration check remembers between a request's editor and its send.
func (c *Client) ConfigCheckDefs() *sync.Map { return &c.check.defs }
