package userpool

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// Resource servers (docs/research/oauth-facts.md §2): an API identified by
// Identifier whose custom scopes (<identifier>/<scope name>) app clients
// may be allowed and OAuth 2.0 tokens may carry [DOC "Scopes, M2M, and
// APIs with resource servers"]. The model checks the lengths and patterns
// (ResourceServerScopeListType max 100); the service adds the pool limit.

// maxResourceServers is the quota "Resource servers per user pool": 25
// [DOC Cognito quotas, adjustable].
const maxResourceServers = 25

// resourceServerNotFound is the answer for an identifier the pool lacks
// (inferred text [INF]).
func resourceServerNotFound(id string) error {
	return api.ResourceNotFound("Resource server %s does not exist.", id)
}

func toStorageScopes(in []api.ResourceServerScopeType) ([]storage.ResourceServerScope, error) {
	out := make([]storage.ResourceServerScope, 0, len(in))
	seen := map[string]bool{}
	for _, sc := range in {
		name := deref(sc.ScopeName)
		if seen[name] {
			return nil, api.InvalidParameter("Duplicate scope name %s in resource server scopes.", name) // inferred text [INF]
		}
		seen[name] = true
		out = append(out, storage.ResourceServerScope{Name: name, Description: deref(sc.ScopeDescription)})
	}
	return out, nil
}

// apiResourceServer is a resource server as the API returns it: Scopes
// present only when it has some [INF].
func apiResourceServer(r *storage.ResourceServer) *api.ResourceServerType {
	out := &api.ResourceServerType{UserPoolId: new(r.PoolID), Identifier: new(r.Identifier), Name: new(r.Name)}
	for _, sc := range r.Scopes {
		out.Scopes = append(out.Scopes, api.ResourceServerScopeType{ScopeName: new(sc.Name), ScopeDescription: new(sc.Description)})
	}
	return out
}

// CreateResourceServer adds a resource server to a pool.
func (s *Service) CreateResourceServer(ctx context.Context, in *api.CreateResourceServerRequest) (*api.CreateResourceServerResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	scopes, err := toStorageScopes(in.Scopes)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r := &storage.ResourceServer{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Identifier: deref(in.Identifier),
		Name: deref(in.Name), Scopes: scopes, CreatedAt: now, UpdatedAt: now}
	switch err := s.store.CreateResourceServer(ctx, r, maxResourceServers); {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, api.InvalidParameter("%s already exists in user pool %s.", r.Identifier, key.ID) // inferred text [INF]
	case errors.Is(err, storage.ErrLimitExceeded):
		return nil, api.LimitExceeded("The user pool has reached its limit of %d resource servers.", maxResourceServers) // inferred text [INF]
	case err != nil:
		return nil, storeError(key.ID, err)
	}
	return &api.CreateResourceServerResponse{ResourceServer: apiResourceServer(r)}, nil
}

// resourceServerError maps a store error of a resource server.
func resourceServerError(key storage.ResourceServerKey, err error) error {
	if errors.Is(err, storage.ErrResourceServerNotFound) {
		return resourceServerNotFound(key.Identifier)
	}
	return storeError(key.ID, err)
}

// resourceServerKey reads the request's key, answering a missing pool as
// the pool's ResourceNotFound.
func (s *Service) resourceServerKey(ctx context.Context, poolID, identifier *string) (storage.ResourceServerKey, error) {
	pk, err := poolKey(ctx, poolID)
	if err != nil {
		return storage.ResourceServerKey{}, err
	}
	if _, err := s.store.GetUserPool(ctx, pk); err != nil {
		return storage.ResourceServerKey{}, storeError(pk.ID, err)
	}
	return storage.ResourceServerKey{PoolKey: pk, Identifier: deref(identifier)}, nil
}

// DescribeResourceServer returns a resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, in *api.DescribeResourceServerRequest) (*api.DescribeResourceServerResponse, error) {
	key, err := s.resourceServerKey(ctx, in.UserPoolId, in.Identifier)
	if err != nil {
		return nil, err
	}
	r, err := s.store.GetResourceServer(ctx, key)
	if err != nil {
		return nil, resourceServerError(key, err)
	}
	return &api.DescribeResourceServerResponse{ResourceServer: apiResourceServer(r)}, nil
}

// UpdateResourceServer replaces a resource server's name and scopes;
// scopes left out are removed [DOC "If you don't provide a value for an
// attribute, it is set to the default value"].
func (s *Service) UpdateResourceServer(ctx context.Context, in *api.UpdateResourceServerRequest) (*api.UpdateResourceServerResponse, error) {
	key, err := s.resourceServerKey(ctx, in.UserPoolId, in.Identifier)
	if err != nil {
		return nil, err
	}
	scopes, err := toStorageScopes(in.Scopes)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r, err := s.store.UpdateResourceServer(ctx, key, func(r *storage.ResourceServer) error {
		r.Name, r.Scopes, r.UpdatedAt = deref(in.Name), scopes, now
		return nil
	})
	if err != nil {
		return nil, resourceServerError(key, err)
	}
	return &api.UpdateResourceServerResponse{ResourceServer: apiResourceServer(r)}, nil
}

// DeleteResourceServer removes a resource server. App clients that allow
// its scopes keep them; tokens can no longer be issued with them [INF].
func (s *Service) DeleteResourceServer(ctx context.Context, in *api.DeleteResourceServerRequest) (*api.Empty, error) {
	key, err := s.resourceServerKey(ctx, in.UserPoolId, in.Identifier)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteResourceServer(ctx, key); err != nil {
		return nil, resourceServerError(key, err)
	}
	return &api.Empty{}, nil
}

// ListResourceServers lists a pool's resource servers in identifier
// order, MaxResults (1..50 [DOC model], default 50 [INF]) at a time.
func (s *Service) ListResourceServers(ctx context.Context, in *api.ListResourceServersRequest) (*api.ListResourceServersResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	recs, next, err := s.store.ListResourceServers(ctx, key, storage.Page{Cursor: deref(in.NextToken), Limit: int(deref(in.MaxResults))})
	if errors.Is(err, storage.ErrInvalidCursor) {
		return nil, api.InvalidParameter("Invalid NextToken: %s", deref(in.NextToken)) // inferred, as ListUserPools'
	}
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out := &api.ListResourceServersResponse{ResourceServers: make([]api.ResourceServerType, 0, len(recs))}
	for _, r := range recs {
		out.ResourceServers = append(out.ResourceServers, *apiResourceServer(r))
	}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

// standardScopes are the scopes every pool has [DOC "Scopes, M2M, and APIs
// with resource servers"].
var standardScopes = []string{"openid", "email", "phone", "profile", adminScope}

// checkAllowedScopes checks an app client's AllowedOAuthScopes: each is a
// standard scope or <identifier>/<scope name> of one of the pool's
// resource servers. AWS refuses an unknown one with
// ScopeDoesNotExistException "Invalid scope requested: <scope>" [OBS,
// widely quoted; inferred for several scopes: the first is named].
func (s *Service) checkAllowedScopes(ctx context.Context, pool storage.PoolKey, scopes []string) error {
	var custom map[string]bool
	for _, sc := range scopes {
		if contains(standardScopes, sc) {
			continue
		}
		if custom == nil {
			var err error
			if custom, err = s.customScopes(ctx, pool); err != nil {
				return err
			}
		}
		if !custom[sc] {
			return api.ScopeDoesNotExist("Invalid scope requested: %s", sc)
		}
	}
	return nil
}

// customScopes returns the pool's <identifier>/<scope name> scopes.
func (s *Service) customScopes(ctx context.Context, pool storage.PoolKey) (map[string]bool, error) {
	out := map[string]bool{}
	cursor := ""
	for {
		page, next, err := s.store.ListResourceServers(ctx, pool, storage.Page{Cursor: cursor, Limit: 50})
		if err != nil {
			return nil, fmt.Errorf("resource servers of %s: %w", pool.ID, err)
		}
		for _, r := range page {
			for _, sc := range r.Scopes {
				out[r.Identifier+"/"+sc.Name] = true
			}
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// splitScopes splits a space-separated scope parameter.
func splitScopes(s string) []string { return strings.Fields(s) }
