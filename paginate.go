package airbyte

import (
	"context"
	"iter"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// DefaultPageSize is the page size iterators ask for when the caller's
// parameters set none; 100 is the most the API allows.
const DefaultPageSize = 100

// paginate yields every item of a limit/offset list, one page in memory at
// a time, stopping at the first page shorter than the limit, at the first
// error (yielded once) or when the caller stops.
func paginate[T any](ctx context.Context, limit, offset int32, page func(ctx context.Context, limit, offset int32) ([]T, error)) iter.Seq2[T, error] {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		for {
			items, err := page(ctx, limit, offset)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if int32(len(items)) < limit {
				return
			}
			offset += limit
		}
	}
}

func limits(l *generated.Limit, o *generated.Offset) (int32, int32) {
	var limit, offset int32
	if l != nil {
		limit = *l
	}
	if o != nil {
		offset = *o
	}
	return limit, offset
}
