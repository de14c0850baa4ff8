package userpool

import (
	"context"
	"maps"
	"strings"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/storage"
)

// poolKeyFromARN resolves a user-pool ARN in the caller's account and
// region. An ARN of another account or region names a pool the caller cannot
// see: ResourceNotFoundException, as for a missing pool (inferred).
func poolKeyFromARN(ctx context.Context, arn string) (storage.PoolKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.PoolKey{}, err
	}
	a, ok := awsarn.Parse(arn)
	id, isPool := strings.CutPrefix(a.Resource, "userpool/")
	if !ok || a.Service != "cognito-idp" || !isPool || id == "" {
		// Inferred text: AWS's for a well-formed ARN of another kind is not public.
		return storage.PoolKey{}, api.InvalidParameter("%s is not the ARN of a user pool.", arn)
	}
	if a.Account != sc.AccountID || a.Region != sc.Region {
		return storage.PoolKey{}, poolNotFound(id)
	}
	return storage.PoolKey{Scope: sc, ID: id}, nil
}

// TagResource adds or replaces tags of a pool.
func (s *Service) TagResource(ctx context.Context, in *api.TagResourceRequest) (*api.TagResourceResponse, error) {
	key, err := poolKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateUserPool(ctx, key, func(rec *storage.UserPool) error {
		tags := maps.Clone(rec.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		maps.Copy(tags, in.Tags)
		if err := checkTags(tags); err != nil {
			return err
		}
		rec.Tags = tags
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.TagResourceResponse{}, nil
}

// UntagResource removes tags of a pool; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, in *api.UntagResourceRequest) (*api.UntagResourceResponse, error) {
	key, err := poolKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateUserPool(ctx, key, func(rec *storage.UserPool) error {
		for _, k := range in.TagKeys {
			delete(rec.Tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.UntagResourceResponse{}, nil
}

// ListTagsForResource returns a pool's tags, `{}` when there are none
// (inferred, as DescribeUserPool's UserPoolTags [OBS]).
func (s *Service) ListTagsForResource(ctx context.Context, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	key, err := poolKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetUserPool(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	tags := rec.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &api.ListTagsForResourceResponse{Tags: tags}, nil
}
