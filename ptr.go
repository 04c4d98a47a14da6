package airbyte

// Ptr returns a pointer to a copy of v. Optional fields of requests are
// pointers, so that "not set" differs from the zero value:
//
//	airbyte.ConnectionPatchRequest{Name: airbyte.Ptr("nightly orders")}
//
// Go 1.26, which this module requires, lets new(v) do the same; Ptr reads
// the same in code that also builds with older releases, or for readers
// who do not know that form yet.
func Ptr[T any](v T) *T { return &v }
