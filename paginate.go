package airbyte

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// DefaultPageSize is the page size iterators ask for when the caller's
// parameters set none; 100 is the most the API allows.
const DefaultPageSize = 100

// paginate yields every item of a limit/offset list, one page in memory at
// a time, stopping at the first page shorter than the limit, at the first
// error (yielded once) or when the caller stops. A nil ctx is yielded as
// an error, and so is a page that brings no progress: a full page that
// begins and ends as an earlier one (a server that ignores offset, or
// cycles through a few pages, would otherwise be read forever).
func paginate[T any](ctx context.Context, limit, offset int32, page func(ctx context.Context, limit, offset int32) ([]T, error)) iter.Seq2[T, error] {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, errNilContext)
			return
		}
		offset := offset // each range starts from the caller's offset
		// The ends of every full page seen: a page that begins and ends as
		// an earlier one did comes again (a server ignoring offset, or
		// cycling through a few pages), and ends the loop. Comparing two
		// items a page keeps the check cheap.
		type ends struct {
			first, last T
			offset      int32
		}
		var seen []ends
		for {
			items, err := page(ctx, limit, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(items) > 0 && int32(min(len(items), math.MaxInt32)) >= limit {
				e := ends{items[0], items[len(items)-1], offset}
				for _, s := range seen {
					if reflect.DeepEqual(s.first, e.first) && reflect.DeepEqual(s.last, e.last) {
						yield(zero, fmt.Errorf("%w: the page at offset %d repeats the page at offset %d", ErrNoProgress, offset, s.offset))
						return
					}
				}
				// A few pages back is enough to catch a cycle, and keeps a
				// long listing's cost linear.
				if seen = append(seen, e); len(seen) > maxPagesRemembered {
					seen = seen[1:]
				}
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			n := int32(min(len(items), math.MaxInt32))
			if n < limit {
				return
			}
			if offset > math.MaxInt32-n {
				yield(zero, fmt.Errorf("%w: offset %d + %d overflows", ErrNoProgress, offset, n))
				return
			}
			// A server that sends more than limit items has ignored it;
			// the next page starts after what it sent.
			offset += n
		}
	}
}

// maxPagesRemembered is how many earlier pages a new one is compared with.
const maxPagesRemembered = 8

// ErrNoProgress is yielded by an iterator when the server's pages stop
// advancing: a full page that begins and ends as an earlier one did, as a
// server that ignores the offset parameter sends.
var ErrNoProgress = errors.New("airbyte: list pages bring no progress (does the server ignore offset?)")

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
