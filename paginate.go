package airbyte

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/seed83f33fd3/airbyte-go/generated"
)

// DefaultPageSize is the page size iterators ask for when the caller's
// parameters set none; 100 is the most the API allows.
const DefaultPageSize = 100

// paginate yields every item of a limit/offset list, one page in memory at
// a time, stopping at the first page shorter than the limit, at the first
// error (yielded once) or when the caller stops. A nil ctx is yielded as
// an error, and so is a page that brings no progress: a full page equal
// to the one before it (a server that ignores offset would otherwise be
// read forever).
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
		var prev []T
		prevOffset := offset
		for {
			items, err := page(ctx, limit, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			if prev != nil && reflect.DeepEqual(items, prev) {
				yield(zero, fmt.Errorf("%w: the page at offset %d repeats the page at offset %d", ErrNoProgress, offset, prevOffset))
				return
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
			prev, prevOffset = items, offset
			offset += n
		}
	}
}

// ErrNoProgress is yielded by an iterator when the server's pages stop
// advancing: a full page equal to the one before it, as a server that
// ignores the offset parameter sends.
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

// Workspaces iterates over every workspace matching params (nil for all).
func (c *Client) Workspaces(ctx context.Context, params *generated.ListWorkspacesParams) iter.Seq2[generated.WorkspaceResponse, error] {
	p := generated.ListWorkspacesParams{}
	if params != nil {
		p = *params
	}
	limit, offset := limits(p.Limit, p.Offset)
	return paginate(ctx, limit, offset, func(ctx context.Context, limit, offset int32) ([]generated.WorkspaceResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.WorkspacesResponse](c.api.ListWorkspacesWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// Sources iterates over every source matching params (nil for all).
func (c *Client) Sources(ctx context.Context, params *generated.ListSourcesParams) iter.Seq2[generated.SourceResponse, error] {
	p := generated.ListSourcesParams{}
	if params != nil {
		p = *params
	}
	limit, offset := limits(p.Limit, p.Offset)
	return paginate(ctx, limit, offset, func(ctx context.Context, limit, offset int32) ([]generated.SourceResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.SourcesResponse](c.api.ListSourcesWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// Destinations iterates over every destination matching params (nil for
// all).
func (c *Client) Destinations(ctx context.Context, params *generated.ListDestinationsParams) iter.Seq2[generated.DestinationResponse, error] {
	p := generated.ListDestinationsParams{}
	if params != nil {
		p = *params
	}
	limit, offset := limits(p.Limit, p.Offset)
	return paginate(ctx, limit, offset, func(ctx context.Context, limit, offset int32) ([]generated.DestinationResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.DestinationsResponse](c.api.ListDestinationsWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// Connections iterates over every connection matching params (nil for
// all).
func (c *Client) Connections(ctx context.Context, params *generated.ListConnectionsParams) iter.Seq2[generated.ConnectionResponse, error] {
	p := generated.ListConnectionsParams{}
	if params != nil {
		p = *params
	}
	limit, offset := limits(p.Limit, p.Offset)
	return paginate(ctx, limit, offset, func(ctx context.Context, limit, offset int32) ([]generated.ConnectionResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.ConnectionsResponse](c.api.ListConnectionsWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// Jobs iterates over every job matching params (nil for all).
func (c *Client) Jobs(ctx context.Context, params *generated.ListJobsParams) iter.Seq2[generated.JobResponse, error] {
	p := generated.ListJobsParams{}
	if params != nil {
		p = *params
	}
	limit, offset := limits(p.Limit, p.Offset)
	return paginate(ctx, limit, offset, func(ctx context.Context, limit, offset int32) ([]generated.JobResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.JobsResponse](c.api.ListJobsWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// Groups iterates over every group of an organization.
func (c *Client) Groups(ctx context.Context, organizationID openapi_types.UUID) iter.Seq2[generated.GroupResponse, error] {
	p := generated.ListGroupsParams{OrganizationId: organizationID}
	return paginate(ctx, 0, 0, func(ctx context.Context, limit, offset int32) ([]generated.GroupResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.GroupsResponse](c.api.ListGroupsWithResponse(ctx, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}

// GroupMembers iterates over every member of a group.
func (c *Client) GroupMembers(ctx context.Context, groupID openapi_types.UUID) iter.Seq2[generated.GroupMemberResponse, error] {
	var p generated.ListGroupMembersParams
	return paginate(ctx, 0, 0, func(ctx context.Context, limit, offset int32) ([]generated.GroupMemberResponse, error) {
		p.Limit, p.Offset = &limit, &offset
		r, err := Value[generated.GroupMembersResponse](c.api.ListGroupMembersWithResponse(ctx, groupID, &p))
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
}
