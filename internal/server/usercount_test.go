package server

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestEstimatedNumberOfUsers: DescribeUserPool's EstimatedNumberOfUsers
// [DOC idp model UserPoolType] is the pool's number of users, read through
// the Go SDK right after each AdminCreateUser, SignUp and AdminDeleteUser
// (the cached count is dropped by each), per pool.
func TestEstimatedNumberOfUsers(t *testing.T) {
	srv := newUserServer(t, nil)
	c := srv.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("counted")})
	other := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	client, _ := mustClient(t, c, pool, false)
	estimate := func(pool string) int32 {
		t.Helper()
		out, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
		if err != nil {
			t.Fatal(err)
		}
		return out.UserPool.EstimatedNumberOfUsers
	}
	if n := estimate(pool); n != 0 {
		t.Fatalf("new pool: %d users", n)
	}
	for i := range 5 {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String(fmt.Sprint("admin-", i)),
			MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
		if n := estimate(pool); n != int32(i+1) {
			t.Fatalf("after %d AdminCreateUser: %d", i+1, n)
		}
	}
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("signed-up"), Password: aws.String("Passw0rd!long")}); err != nil {
		t.Fatal(err)
	}
	if n := estimate(pool); n != 6 {
		t.Errorf("after SignUp: %d", n)
	}
	// A refused creation counts nothing.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("admin-0"),
		MessageAction: types.MessageActionTypeSuppress}); err == nil {
		t.Fatal("duplicate user created")
	}
	if _, err := c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("admin-3")}); err != nil {
		t.Fatal(err)
	}
	if n := estimate(pool); n != 5 {
		t.Errorf("after AdminDeleteUser: %d", n)
	}
	if n := estimate(other); n != 0 {
		t.Errorf("other pool: %d users", n)
	}
}
