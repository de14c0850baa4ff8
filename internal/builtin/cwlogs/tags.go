package cwlogs

import (
	"context"
	"maps"
	"strings"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// The tagging APIs take a log group's ARN without `:*` [DOC]; the model's
// pattern refuses `*`, so an ARN with `:*` never gets here. The deprecated
// TagLogGroup, UntagLogGroup and ListTagsLogGroup take the group's name.

// groupKeyFromARN resolves a resourceArn of the tagging APIs. Texts are
// inferred: AWS's for these cases are not public (issue4-facts §8.3).
func groupKeyFromARN(ctx context.Context, resourceARN string) (storage.LogGroupKey, error) {
	sc, err := scope(ctx)
	if err != nil {
		return storage.LogGroupKey{}, err
	}
	a, ok := awsarn.Parse(resourceARN)
	if !ok || a.Service != "logs" {
		return storage.LogGroupKey{}, logsapi.InvalidParameter("%s is not a valid CloudWatch Logs resource ARN.", resourceARN)
	}
	name, isGroup := strings.CutPrefix(a.Resource, "log-group:")
	if !isGroup || name == "" || strings.Contains(name, ":") {
		// Destinations can be tagged too; Cognate has none.
		return storage.LogGroupKey{}, logsapi.ResourceNotFound("The specified resource does not exist.")
	}
	if a.Account != sc.AccountID || a.Region != sc.Region {
		return storage.LogGroupKey{}, logsapi.ResourceNotFound(textGroupNotFound)
	}
	return storage.LogGroupKey{Scope: sc, Name: name}, nil
}

// tag merges tags into a group's: an existing key gets the new value [DOC].
func (s *Service) tag(ctx context.Context, key storage.LogGroupKey, tags map[string]string, tooMany func(string, ...any) *api.Error) error {
	_, err := s.store.UpdateLogGroup(ctx, key, func(g *storage.LogGroup) error {
		merged := maps.Clone(g.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, tags)
		if err := checkTags(merged, tooMany); err != nil {
			return err
		}
		g.Tags = merged
		return nil
	})
	return storeError(err)
}

func (s *Service) untag(ctx context.Context, key storage.LogGroupKey, keys []string) error {
	_, err := s.store.UpdateLogGroup(ctx, key, func(g *storage.LogGroup) error {
		for _, k := range keys {
			delete(g.Tags, k)
		}
		return nil
	})
	return storeError(err)
}

func (s *Service) tagsOf(ctx context.Context, key storage.LogGroupKey) (map[string]string, error) {
	g, err := s.getGroup(ctx, key)
	if err != nil {
		return nil, err
	}
	if g.Tags == nil {
		return map[string]string{}, nil // `{"tags":{}}` (inferred)
	}
	return g.Tags, nil
}

// TagResource adds or replaces tags of a log group.
func (s *Service) TagResource(ctx context.Context, in *logsapi.TagResourceRequest) (*api.Empty, error) {
	key, err := groupKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	if err := s.tag(ctx, key, in.Tags, logsapi.TooManyTags); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// UntagResource removes tags of a log group; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, in *logsapi.UntagResourceRequest) (*api.Empty, error) {
	key, err := groupKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	if err := s.untag(ctx, key, in.TagKeys); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// ListTagsForResource returns a log group's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *logsapi.ListTagsForResourceRequest) (*logsapi.ListTagsForResourceResponse, error) {
	key, err := groupKeyFromARN(ctx, deref(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	tags, err := s.tagsOf(ctx, key)
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsForResourceResponse{Tags: tags}, nil
}

// TagLogGroup is the deprecated TagResource by name. Its model has no
// TooManyTagsException: too many tags are InvalidParameterException
// (inferred).
func (s *Service) TagLogGroup(ctx context.Context, in *logsapi.TagLogGroupRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := s.tag(ctx, key, in.Tags, logsapi.InvalidParameter); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// UntagLogGroup is the deprecated UntagResource by name; its `tags` member
// is the list of keys [DOC].
func (s *Service) UntagLogGroup(ctx context.Context, in *logsapi.UntagLogGroupRequest) (*api.Empty, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := s.untag(ctx, key, in.Tags); err != nil {
		return nil, err
	}
	return &api.Empty{}, nil
}

// ListTagsLogGroup is the deprecated ListTagsForResource by name.
func (s *Service) ListTagsLogGroup(ctx context.Context, in *logsapi.ListTagsLogGroupRequest) (*logsapi.ListTagsLogGroupResponse, error) {
	key, err := groupKey(ctx, in.LogGroupName)
	if err != nil {
		return nil, err
	}
	tags, err := s.tagsOf(ctx, key)
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsLogGroupResponse{Tags: tags}, nil
}
