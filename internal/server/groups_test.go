package server

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func mustGroup(t *testing.T, c *cip.Client, pool, name string, precedence *int32, role string) *types.GroupType {
	t.Helper()
	in := &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(name), Precedence: precedence}
	if role != "" {
		in.RoleArn = aws.String(role)
	}
	out, err := c.CreateGroup(ctx, in)
	if err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
	return out.Group
}

func addToGroup(t *testing.T, c *cip.Client, pool, user, group string) {
	t.Helper()
	if _, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String(user), GroupName: aws.String(group)}); err != nil {
		t.Fatalf("AdminAddUserToGroup %s %s: %v", user, group, err)
	}
}

func groupNamesOf(gs []types.GroupType) []string {
	var out []string
	for _, g := range gs {
		out = append(out, aws.ToString(g.GroupName))
	}
	return out
}

func groupsOf(t *testing.T, c *cip.Client, pool, user string) []string {
	t.Helper()
	out, err := c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String(user)})
	if err != nil {
		t.Fatalf("AdminListGroupsForUser: %v", err)
	}
	return groupNamesOf(out.Groups)
}

func membersOf(t *testing.T, c *cip.Client, pool, group string) []string {
	t.Helper()
	out, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(group)})
	if err != nil {
		t.Fatalf("ListUsersInGroup: %v", err)
	}
	var names []string
	for _, u := range out.Users {
		names = append(names, aws.ToString(u.Username))
	}
	return names
}

const roleA = "arn:aws:iam::123456789012:role/a"

func TestGroupCreateGetUpdateDelete(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("groups")})
	created := mustGroup(t, c, pool, "admins", aws.Int32(3), roleA)
	if aws.ToString(created.UserPoolId) != pool || aws.ToInt32(created.Precedence) != 3 || aws.ToString(created.RoleArn) != roleA ||
		created.Description != nil || created.CreationDate == nil || created.LastModifiedDate == nil {
		t.Fatalf("created %+v", created)
	}
	_, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")})
	apiError(t, err, "GroupExistsException", "A group with the name admins already exists.")
	// Names are case-sensitive.
	mustGroup(t, c, pool, "Admins", nil, "")

	got, err := c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")})
	if err != nil || !reflect.DeepEqual(got.Group, created) {
		t.Fatalf("GetGroup = %+v, %v; want %+v", got, err, created)
	}
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nobody")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String("us-east-1_NOPE"), GroupName: aws.String("admins")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_NOPE does not exist.")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String("us-east-1_NOPE"), GroupName: aws.String("x")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_NOPE does not exist.")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("bad"), Precedence: aws.Int32(-1)})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("bad"), RoleArn: aws.String("not-an-arn")})
	apiError(t, err, "InvalidParameterException", "")

	// UpdateGroup changes what it is given and keeps the rest.
	s.clock.Add(time.Minute)
	up, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins"), Description: aws.String("the admins")})
	if err != nil {
		t.Fatal(err)
	}
	g := up.Group
	if aws.ToString(g.Description) != "the admins" || aws.ToInt32(g.Precedence) != 3 || aws.ToString(g.RoleArn) != roleA ||
		!g.CreationDate.Equal(*created.CreationDate) || !g.LastModifiedDate.After(*created.LastModifiedDate) {
		t.Fatalf("updated %+v", g)
	}
	up, err = c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins"), Precedence: aws.Int32(0),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/b")})
	if err != nil || aws.ToInt32(up.Group.Precedence) != 0 || up.Group.Precedence == nil || aws.ToString(up.Group.Description) != "the admins" ||
		aws.ToString(up.Group.RoleArn) != "arn:aws:iam::123456789012:role/b" {
		t.Fatalf("updated %+v, %v", up, err)
	}
	_, err = c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nobody"), Description: aws.String("x")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")

	if _, err := c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	// Another region does not see the pool's groups.
	_, err = s.client("eu-west-1").GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("Admins")})
	apiError(t, err, "ResourceNotFoundException", "")
}

func TestGroupListPages(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("groups")})
	var want []string
	for i := range 65 {
		name := fmt.Sprintf("g%03d", 64-i)
		mustGroup(t, c, pool, name, nil, "")
		want = append(want, name)
	}
	slices.Sort(want)
	out, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(pool)})
	if err != nil || len(out.Groups) != 60 || out.NextToken == nil {
		t.Fatalf("default page: %d groups, token %v, %v", len(out.Groups), out.NextToken, err)
	}
	var got []string
	p := cip.NewListGroupsPaginator(c, &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(20)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, groupNamesOf(page.Groups)...)
	}
	if !slices.Equal(got, want) || pages != 4 {
		t.Fatalf("%d pages: %v", pages, got)
	}
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(pool), NextToken: aws.String("bogus")})
	apiError(t, err, "InvalidParameterException", "Invalid NextToken: bogus")
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(61)})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String("us-east-1_NOPE")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_NOPE does not exist.")
	empty := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("empty")})
	if out, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(empty)}); err != nil || len(out.Groups) != 0 || out.NextToken != nil {
		t.Fatalf("empty pool: %+v, %v", out, err)
	}
}

func TestGroupMembers(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, _ := authPool(t, c)
	mustGroup(t, c, pool, "b", nil, "")
	mustGroup(t, c, pool, "a", nil, "")
	mustUser(t, c, pool, "alice", "Passw0rd!", "email", "alice@example.com", "email_verified", "true")
	mustUser(t, c, pool, "bob", "Passw0rd!")

	addToGroup(t, c, pool, "alice", "b")
	addToGroup(t, c, pool, "alice@example.com", "a") // by alias
	addToGroup(t, c, pool, "alice", "a")             // again: no error
	addToGroup(t, c, pool, "bob", "a")
	if got := groupsOf(t, c, pool, "alice"); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("groups of alice = %v", got)
	}
	if got := groupsOf(t, c, pool, "alice@example.com"); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("groups of alice by alias = %v", got)
	}
	out, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("a")})
	if err != nil || len(out.Users) != 2 {
		t.Fatalf("ListUsersInGroup = %+v, %v", out, err)
	}
	u := out.Users[0]
	if aws.ToString(u.Username) != "alice" || !u.Enabled || u.UserStatus != "CONFIRMED" || attrMap(u.Attributes)["email"] != "alice@example.com" ||
		attrMap(u.Attributes)["sub"] == "" || u.UserCreateDate == nil {
		t.Fatalf("user %+v", u)
	}

	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("nobody"), GroupName: aws.String("a")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String("nobody")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String("us-east-1_NOPE"), Username: aws.String("alice"), GroupName: aws.String("a")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_NOPE does not exist.")
	_, err = c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(pool), Username: aws.String("nobody"), GroupName: aws.String("a")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String("nobody")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	apiError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nobody")})
	apiError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String("us-east-1_NOPE"), GroupName: aws.String("a")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_NOPE does not exist.")

	for range 2 { // removing a non-member is no error either
		if _, err := c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String("b")}); err != nil {
			t.Fatal(err)
		}
	}
	if got := groupsOf(t, c, pool, "alice"); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("groups of alice after remove = %v", got)
	}
	if got := membersOf(t, c, pool, "b"); len(got) != 0 {
		t.Fatalf("members of b = %v", got)
	}

	// Deleting a user or a group ends its memberships.
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if got := membersOf(t, c, pool, "a"); !slices.Equal(got, []string{"bob"}) {
		t.Fatalf("members of a after deleting alice = %v", got)
	}
	mustUser(t, c, pool, "alice", "Passw0rd!")
	if got := groupsOf(t, c, pool, "alice"); len(got) != 0 {
		t.Fatalf("a new alice is in %v", got)
	}
	if _, err := c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if got := groupsOf(t, c, pool, "bob"); len(got) != 0 {
		t.Fatalf("bob is still in %v", got)
	}
	mustGroup(t, c, pool, "a", nil, "")
	if got := membersOf(t, c, pool, "a"); len(got) != 0 {
		t.Fatalf("a new group a has %v", got)
	}
}

func TestGroupMembersPages(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("groups")})
	mustGroup(t, c, pool, "all", nil, "")
	var users []string
	for i := range 5 {
		name := fmt.Sprintf("user%d", i)
		mustUser(t, c, pool, name, "Passw0rd!")
		addToGroup(t, c, pool, name, "all")
		users = append(users, name)
		mustGroup(t, c, pool, fmt.Sprintf("g%d", i), nil, "")
		addToGroup(t, c, pool, "user0", fmt.Sprintf("g%d", i))
	}
	var got []string
	p := cip.NewListUsersInGroupPaginator(c, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("all"), Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Users) > 2 {
			t.Fatalf("page of %d", len(page.Users))
		}
		for _, u := range page.Users {
			got = append(got, aws.ToString(u.Username))
		}
	}
	if !slices.Equal(got, users) {
		t.Fatalf("members %v, want %v", got, users)
	}
	got = nil
	gp := cip.NewAdminListGroupsForUserPaginator(c, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("user0"), Limit: aws.Int32(2)})
	for gp.HasMorePages() {
		page, err := gp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, groupNamesOf(page.Groups)...)
	}
	if want := []string{"all", "g0", "g1", "g2", "g3", "g4"}; !slices.Equal(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	_, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("all"), NextToken: aws.String("bogus")})
	apiError(t, err, "InvalidParameterException", "Invalid NextToken: bogus")
}

// claimStrings reads a JSON array claim.
func claimStrings(t *testing.T, claims map[string]any, name string) []string {
	t.Helper()
	v, ok := claims[name]
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		t.Fatalf("%s = %#v, not an array", name, v)
	}
	var out []string
	for _, x := range arr {
		out = append(out, x.(string))
	}
	return out
}

func TestGroupClaimsInTokens(t *testing.T) {
	s := newUserServer(t, nil)
	c := s.client("us-east-1")
	pool, client := authPool(t, c)
	mustUser(t, c, pool, "alice", "Passw0rd!")
	keys := s.jwks(t, pool)

	// Without groups, none of the group claims.
	res := mustSignIn(t, c, client, "alice", "Passw0rd!")
	id, access := verifyJWT(t, keys, *res.IdToken), verifyJWT(t, keys, *res.AccessToken)
	for _, name := range []string{"cognito:groups", "cognito:roles", "cognito:preferred_role"} {
		if _, ok := id[name]; ok {
			t.Errorf("ID token has %s without groups", name)
		}
		if _, ok := access[name]; ok {
			t.Errorf("access token has %s without groups", name)
		}
	}

	roleB := "arn:aws:iam::123456789012:role/b"
	mustGroup(t, c, pool, "readers", nil, "")             // no precedence, no role
	mustGroup(t, c, pool, "editors", aws.Int32(5), roleB) // lowest precedence with a role
	mustGroup(t, c, pool, "owners", aws.Int32(9), roleA)
	mustGroup(t, c, pool, "zeta", aws.Int32(1), "") // lowest precedence, no role
	for _, g := range []string{"readers", "editors", "owners", "zeta"} {
		addToGroup(t, c, pool, "alice", g)
	}
	res = mustSignIn(t, c, client, "alice", "Passw0rd!")
	id, access = verifyJWT(t, keys, *res.IdToken), verifyJWT(t, keys, *res.AccessToken)
	wantGroups := []string{"zeta", "editors", "owners", "readers"}
	if got := claimStrings(t, id, "cognito:groups"); !slices.Equal(got, wantGroups) {
		t.Errorf("ID cognito:groups = %v, want %v", got, wantGroups)
	}
	if got := claimStrings(t, access, "cognito:groups"); !slices.Equal(got, wantGroups) {
		t.Errorf("access cognito:groups = %v, want %v", got, wantGroups)
	}
	if got := claimStrings(t, id, "cognito:roles"); !slices.Equal(got, []string{roleB, roleA}) {
		t.Errorf("cognito:roles = %v", got)
	}
	if id["cognito:preferred_role"] != roleB {
		t.Errorf("cognito:preferred_role = %v", id["cognito:preferred_role"])
	}
	if _, ok := access["cognito:roles"]; ok {
		t.Error("access token has cognito:roles")
	}
	if _, ok := access["cognito:preferred_role"]; ok {
		t.Error("access token has cognito:preferred_role")
	}

	// Two groups of the same precedence with different roles: no
	// preferred role.
	if _, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("owners"), Precedence: aws.Int32(5)}); err != nil {
		t.Fatal(err)
	}
	id = verifyJWT(t, keys, *mustSignIn(t, c, client, "alice", "Passw0rd!").IdToken)
	if v, ok := id["cognito:preferred_role"]; ok {
		t.Errorf("tied precedences: cognito:preferred_role = %v", v)
	}
	// The same role on both: that role.
	if _, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("owners"), RoleArn: aws.String(roleB)}); err != nil {
		t.Fatal(err)
	}
	res = mustSignIn(t, c, client, "alice", "Passw0rd!")
	id = verifyJWT(t, keys, *res.IdToken)
	if id["cognito:preferred_role"] != roleB || !slices.Equal(claimStrings(t, id, "cognito:roles"), []string{roleB}) {
		t.Errorf("same role: preferred %v, roles %v", id["cognito:preferred_role"], id["cognito:roles"])
	}

	// A refresh carries the groups as of the refresh.
	for _, g := range []string{"editors", "owners", "zeta"} {
		if _, err := c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(pool), Username: aws.String("alice"), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": *res.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	id, access = verifyJWT(t, keys, *out.AuthenticationResult.IdToken), verifyJWT(t, keys, *out.AuthenticationResult.AccessToken)
	if got := claimStrings(t, access, "cognito:groups"); !slices.Equal(got, []string{"readers"}) {
		t.Errorf("refreshed access cognito:groups = %v", got)
	}
	if got := claimStrings(t, id, "cognito:groups"); !slices.Equal(got, []string{"readers"}) {
		t.Errorf("refreshed ID cognito:groups = %v", got)
	}
	if _, ok := id["cognito:roles"]; ok {
		t.Errorf("refreshed ID token has cognito:roles %v", id["cognito:roles"])
	}
	if _, ok := id["cognito:preferred_role"]; ok {
		t.Error("refreshed ID token has cognito:preferred_role")
	}
}
