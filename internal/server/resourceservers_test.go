package server

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func scopes(kv ...string) []types.ResourceServerScopeType {
	var out []types.ResourceServerScopeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.ResourceServerScopeType{ScopeName: aws.String(kv[i]), ScopeDescription: aws.String(kv[i+1])})
	}
	return out
}

// TestResourceServers drives the resource-server operations through the
// Go SDK: create, describe, update (scopes left out are removed), paged
// listing, delete, and the errors and limits.
func TestResourceServers(t *testing.T) {
	s := newTestServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})

	out, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"),
		Name: aws.String("API"), Scopes: scopes("read", "Read things", "write", "Write things")})
	if err != nil {
		t.Fatal(err)
	}
	rs := out.ResourceServer
	if aws.ToString(rs.UserPoolId) != pool || aws.ToString(rs.Identifier) != "https://api.example.com" || len(rs.Scopes) != 2 ||
		aws.ToString(rs.Scopes[1].ScopeName) != "write" || aws.ToString(rs.Scopes[1].ScopeDescription) != "Write things" {
		t.Errorf("CreateResourceServer = %+v", rs)
	}
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"), Name: aws.String("again")})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String("us-east-1_nopenope1"), Identifier: aws.String("x"), Name: aws.String("x")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_nopenope1 does not exist.")
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("dup"), Name: aws.String("x"),
		Scopes: scopes("a", "A", "a", "again")})
	apiError(t, err, "InvalidParameterException", "")
	// The model's patterns: a scope name may not contain "/".
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("slash"), Name: aws.String("x"),
		Scopes: scopes("a/b", "A")})
	apiError(t, err, "InvalidParameterException", "")

	d, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com")})
	if err != nil || aws.ToString(d.ResourceServer.Name) != "API" || len(d.ResourceServer.Scopes) != 2 {
		t.Fatalf("DescribeResourceServer = %+v, %v", d, err)
	}
	_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("nope")})
	apiError(t, err, "ResourceNotFoundException", "Resource server nope does not exist.")

	up, err := c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"),
		Name: aws.String("Renamed"), Scopes: scopes("read", "Read only")})
	if err != nil || aws.ToString(up.ResourceServer.Name) != "Renamed" || len(up.ResourceServer.Scopes) != 1 {
		t.Fatalf("UpdateResourceServer = %+v, %v", up, err)
	}
	up, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"), Name: aws.String("Bare")})
	if err != nil || len(up.ResourceServer.Scopes) != 0 {
		t.Fatalf("UpdateResourceServer without scopes = %+v, %v", up, err)
	}

	for i := 2; i <= 25; i++ {
		if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String(fmt.Sprintf("api%02d", i)), Name: aws.String("n")}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("one-too-many"), Name: aws.String("n")})
	apiError(t, err, "LimitExceededException", "")

	var ids []string
	p := cip.NewListResourceServersPaginator(c, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(10)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.ResourceServers {
			ids = append(ids, aws.ToString(r.Identifier))
		}
	}
	if len(ids) != 25 || pages != 3 || ids[0] != "api02" || ids[24] != "https://api.example.com" {
		t.Errorf("listed %d in %d pages: %v", len(ids), pages, ids)
	}
	_, err = c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(51)})
	apiError(t, err, "InvalidParameterException", "")

	if _, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("api02")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("api02")})
	apiError(t, err, "ResourceNotFoundException", "Resource server api02 does not exist.")
}

// TestClientScopesChecked: an app client's AllowedOAuthScopes must be
// standard scopes or scopes of the pool's resource servers, at create and
// at update (ScopeDoesNotExistException), and client_credentials needs a
// secret (InvalidOAuthFlowException).
func TestClientScopesChecked(t *testing.T) {
	s := newTestServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("orders"),
		Name: aws.String("Orders"), Scopes: scopes("read", "Read")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("c"),
		AllowedOAuthScopes: []string{"openid", "orders/write"}})
	apiError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: orders/write")
	out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("c"),
		AllowedOAuthScopes: []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin", "orders/read"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: out.UserPoolClient.ClientId,
		AllowedOAuthScopes: []string{"nope"}})
	apiError(t, err, "ScopeDoesNotExistException", "Invalid scope requested: nope")
	_, err = c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{"client_credentials"}, AllowedOAuthScopes: []string{"orders/read"}})
	apiError(t, err, "InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
}
