package userpool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// User pool groups (CreateGroup … ListUsersInGroup) and the claims they
// put in tokens. Group names compare exactly (case-sensitively; inferred
// from GroupNameType, which has no case rule). The model's validation
// already checked lengths, patterns and ranges (GroupName 1..128,
// Precedence >= 0, RoleArn an ARN, Limit 0..60).

// groupNotFound is AWS's text for an unknown group [OBS
// aws-amplify/amplify-cli#2214 "ResourceNotFoundException: Group not
// found."].
func groupNotFound() error { return api.ResourceNotFound("Group not found.") }

// groupExists is the text of GroupExistsException [INF: no observed text
// found; the form of Cognito's other "already exists" messages].
func groupExists(name string) error {
	return api.GroupExists("A group with the name %s already exists.", name)
}

// groupError maps a GroupStore error: an unknown group is "Group not
// found." unless its pool does not exist either, which is the pool's
// error, as every operation on a missing pool answers.
func (s *Service) groupError(ctx context.Context, pool storage.PoolKey, err error) error {
	if errors.Is(err, storage.ErrGroupNotFound) {
		if _, perr := s.store.GetUserPool(ctx, pool); errors.Is(perr, storage.ErrNotFound) {
			return poolNotFound(pool.ID)
		}
		return groupNotFound()
	}
	return storeError(pool.ID, err)
}

func groupKeyOf(ctx context.Context, poolID, name *string) (storage.GroupKey, error) {
	pool, err := poolKey(ctx, poolID)
	if err != nil {
		return storage.GroupKey{}, err
	}
	return storage.GroupKey{PoolKey: pool, Name: deref(name)}, nil
}

// groupType is the GroupType AWS returns: Description, RoleArn and
// Precedence only when set.
func groupType(g *storage.Group) *api.GroupType {
	out := &api.GroupType{
		GroupName: new(g.Name), UserPoolId: new(g.PoolID), Precedence: g.Precedence,
		CreationDate: api.NewTime(g.CreatedAt), LastModifiedDate: api.NewTime(g.UpdatedAt),
	}
	if g.Description != "" {
		out.Description = new(g.Description)
	}
	if g.RoleARN != "" {
		out.RoleArn = new(g.RoleARN)
	}
	return out
}

func groupTypes(gs []*storage.Group) []api.GroupType {
	out := make([]api.GroupType, 0, len(gs))
	for _, g := range gs {
		out = append(out, *groupType(g))
	}
	return out
}

// invalidToken answers a NextToken the store did not make [INF: the text
// of ListUserPoolClients', itself inferred].
func invalidToken(tok *string) error {
	return api.InvalidParameter("Invalid NextToken: %s", deref(tok))
}

// page is a listing's page: Limit 0 or absent means 60, the maximum
// [DOC QueryLimitType max 60; the default is inferred, as ListUsers'].
func page(limit *int32, token *string) storage.Page {
	return storage.Page{Cursor: deref(token), Limit: int(deref(limit))}
}

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, in *api.CreateGroupRequest) (*api.CreateGroupResponse, error) {
	key, err := groupKeyOf(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	g := &storage.Group{
		AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Name: key.Name,
		Description: deref(in.Description), RoleARN: deref(in.RoleArn), Precedence: in.Precedence,
		CreatedAt: now, UpdatedAt: now,
	}
	switch err := s.store.CreateGroup(ctx, g); {
	case errors.Is(err, storage.ErrAlreadyExists):
		return nil, groupExists(key.Name)
	case err != nil:
		return nil, storeError(key.ID, err)
	}
	return &api.CreateGroupResponse{Group: groupType(g)}, nil
}

// GetGroup returns a group.
func (s *Service) GetGroup(ctx context.Context, in *api.GetGroupRequest) (*api.GetGroupResponse, error) {
	key, err := groupKeyOf(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	g, err := s.store.GetGroup(ctx, key)
	if err != nil {
		return nil, s.groupError(ctx, key.PoolKey, err)
	}
	return &api.GetGroupResponse{Group: groupType(g)}, nil
}

// UpdateGroup changes the description, role and precedence a request
// gives and keeps the ones it omits: "updates any of the properties for
// precedence, IAM role, or description" [DOC UpdateGroup]; that omitted
// ones are kept is inferred (the API reference's example omits RoleArn
// and gets the group's role back). An empty Description removes it.
func (s *Service) UpdateGroup(ctx context.Context, in *api.UpdateGroupRequest) (*api.UpdateGroupResponse, error) {
	key, err := groupKeyOf(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	g, err := s.store.UpdateGroup(ctx, key, func(g *storage.Group) error {
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleARN = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = new(*in.Precedence)
		}
		g.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, s.groupError(ctx, key.PoolKey, err)
	}
	return &api.UpdateGroupResponse{Group: groupType(g)}, nil
}

// DeleteGroup deletes a group; its members lose it from their next
// tokens [DOC DeleteGroup].
func (s *Service) DeleteGroup(ctx context.Context, in *api.DeleteGroupRequest) (*api.Empty, error) {
	key, err := groupKeyOf(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteGroup(ctx, key); err != nil {
		return nil, s.groupError(ctx, key.PoolKey, err)
	}
	return &api.Empty{}, nil
}

// ListGroups lists a pool's groups in name order (inferred), Limit at a
// time, with an opaque NextToken.
func (s *Service) ListGroups(ctx context.Context, in *api.ListGroupsRequest) (*api.ListGroupsResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	gs, next, err := s.store.ListGroups(ctx, key, page(in.Limit, in.NextToken))
	if errors.Is(err, storage.ErrInvalidCursor) {
		return nil, invalidToken(in.NextToken)
	}
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out := &api.ListGroupsResponse{Groups: groupTypes(gs)}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

// groupMember resolves the group and the user (username or alias) of
// AdminAddUserToGroup and AdminRemoveUserFromGroup. The group is checked
// first [INF order].
func (s *Service) groupMember(ctx context.Context, poolID, groupName, username *string) (storage.GroupKey, *poolView, *storage.User, error) {
	key, err := groupKeyOf(ctx, poolID, groupName)
	if err != nil {
		return key, nil, nil, err
	}
	p, err := s.loadPool(ctx, key.PoolKey)
	if err != nil {
		return key, nil, nil, err
	}
	if _, err := s.store.GetGroup(ctx, key); err != nil {
		return key, nil, nil, s.groupError(ctx, key.PoolKey, err)
	}
	rec, err := s.mustFindUser(ctx, p, deref(username))
	if err != nil {
		return key, nil, nil, err
	}
	return key, p, rec, nil
}

// membershipError maps an error of AddUserToGroup/RemoveUserFromGroup
// (a group or user deleted since groupMember read them).
func (s *Service) membershipError(ctx context.Context, key storage.GroupKey, err error) error {
	switch {
	case errors.Is(err, storage.ErrGroupNotFound):
		return s.groupError(ctx, key.PoolKey, err)
	case errors.Is(err, storage.ErrNotFound):
		return userNotFound()
	}
	return storeError(key.ID, err)
}

// AdminAddUserToGroup adds a user to a group; adding a member again
// succeeds and changes nothing (inferred: AWS documents no error for it).
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *api.AdminAddUserToGroupRequest) (*api.Empty, error) {
	key, _, rec, err := s.groupMember(ctx, in.UserPoolId, in.GroupName, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.store.AddUserToGroup(ctx, key, rec.Key); err != nil {
		return nil, s.membershipError(ctx, key, err)
	}
	return &api.Empty{}, nil
}

// AdminRemoveUserFromGroup removes a user from a group; removing a user
// who is not a member succeeds (inferred).
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *api.AdminRemoveUserFromGroupRequest) (*api.Empty, error) {
	key, _, rec, err := s.groupMember(ctx, in.UserPoolId, in.GroupName, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemoveUserFromGroup(ctx, key, rec.Key); err != nil {
		return nil, s.membershipError(ctx, key, err)
	}
	return &api.Empty{}, nil
}

// AdminListGroupsForUser lists the groups of a user (username or alias)
// in name order (inferred), Limit at a time.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *api.AdminListGroupsForUserRequest) (*api.AdminListGroupsForUserResponse, error) {
	_, rec, _, err := s.adminUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	gs, next, err := s.store.ListGroupsOfUser(ctx, rec.UserKey(), page(in.Limit, in.NextToken))
	switch {
	case errors.Is(err, storage.ErrInvalidCursor):
		return nil, invalidToken(in.NextToken)
	case errors.Is(err, storage.ErrNotFound):
		return nil, userNotFound()
	case err != nil:
		return nil, storeError(rec.PoolID, err)
	}
	out := &api.AdminListGroupsForUserResponse{Groups: groupTypes(gs)}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

// ListUsersInGroup lists the members of a group as ListUsers returns
// users, in the order they were created, Limit at a time.
func (s *Service) ListUsersInGroup(ctx context.Context, in *api.ListUsersInGroupRequest) (*api.ListUsersInGroupResponse, error) {
	key, err := groupKeyOf(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	recs, next, err := s.store.ListUsersInGroup(ctx, key, page(in.Limit, in.NextToken))
	if errors.Is(err, storage.ErrInvalidCursor) {
		return nil, invalidToken(in.NextToken)
	}
	if err != nil {
		return nil, s.groupError(ctx, key.PoolKey, err)
	}
	out := &api.ListUsersInGroupResponse{Users: make([]api.UserType, 0, len(recs))}
	for _, rec := range recs {
		u, err := decodeUser(rec)
		if err != nil {
			return nil, err
		}
		out.Users = append(out.Users, userType(rec, u, apiAttributes(u)))
	}
	if next != "" {
		out.NextToken = new(next)
	}
	return out, nil
}

// userGroups returns every group of a user, for its tokens.
func (s *Service) userGroups(ctx context.Context, rec *storage.User) ([]*storage.Group, error) {
	var (
		all    []*storage.Group
		cursor string
	)
	for {
		gs, next, err := s.store.ListGroupsOfUser(ctx, rec.UserKey(), storage.Page{Cursor: cursor, Limit: 500})
		if errors.Is(err, storage.ErrNotFound) {
			return nil, nil // deleted meanwhile: in no group
		}
		if err != nil {
			return nil, fmt.Errorf("groups of user %s: %w", rec.Key, err)
		}
		all = append(all, gs...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// groupClaims are the claims a user's groups put in tokens [DOC
// AdminAddUserToGroup: "populates a cognito:groups claim to their access
// and identity tokens"; DOC CreateGroup Precedence]:
//   - cognito:groups, in ID and access tokens: the group names, ordered by
//     precedence (lowest value first, groups without one last, then by
//     name; the order is inferred);
//   - cognito:roles, in the ID token: the distinct role ARNs of those
//     groups, in the same order (inferred from tokens seen in the wild,
//     which list every group's role);
//   - cognito:preferred_role, in the ID token: the role of the group with
//     the lowest Precedence among groups with a role; when several such
//     groups share that precedence, their role if they all have the same
//     one, else no claim [DOC]. Groups without a precedence rank after
//     every group with one and tie with each other (inferred from "higher
//     or null Precedence values").
//
// A user in no group gets none of them.
func groupClaims(gs []*storage.Group) (groups []string, roles []string, preferred string) {
	if len(gs) == 0 {
		return nil, nil, ""
	}
	sorted := slices.Clone(gs)
	slices.SortStableFunc(sorted, func(a, b *storage.Group) int {
		if c := comparePrecedence(a.Precedence, b.Precedence); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	var best *storage.Group
	ambiguous := false
	for _, g := range sorted {
		groups = append(groups, g.Name)
		if g.RoleARN == "" {
			continue
		}
		if !slices.Contains(roles, g.RoleARN) {
			roles = append(roles, g.RoleARN)
		}
		switch {
		case best == nil:
			best = g
		case comparePrecedence(g.Precedence, best.Precedence) == 0 && g.RoleARN != best.RoleARN:
			ambiguous = true
		}
	}
	if best != nil && !ambiguous {
		preferred = best.RoleARN
	}
	return groups, roles, preferred
}

// comparePrecedence orders precedences: lower values first, none last.
func comparePrecedence(a, b *int32) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}
