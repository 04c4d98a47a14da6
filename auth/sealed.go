package auth

// sealed holds a secret behind a function. fmt prints a function as its
// address whatever the verb, so a secret kept this way stays out of the
// output even where fmt reaches it by reflection, without calling our
// String or Format methods: inside an unexported field of the caller's
// struct, or under a verb that does not fit a pointer (%s of a struct
// holding a *ClientCredentials prints the struct it points to).
type sealed[T any] func() T

// seal returns a sealed holding v.
func seal[T any](v T) sealed[T] { return func() T { return v } }

// open returns what s holds, or T's zero value for a nil s.
func (s sealed[T]) open() T {
	if s == nil {
		var zero T
		return zero
	}
	return s()
}
