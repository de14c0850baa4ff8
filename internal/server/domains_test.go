package server

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestUserPoolDomains drives the domain operations through the Go SDK:
// a prefix and a custom domain per pool, uniqueness in the region,
// DescribeUserPool's Domain and CustomDomain, updates and deletes.
func TestUserPoolDomains(t *testing.T) {
	s := newTestServer(t, nil)
	c := s.client("us-east-1")
	pool := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	other := mustCreatePool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("q")})

	out, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app")})
	if err != nil {
		t.Fatal(err)
	}
	if out.CloudFrontDomain != nil || aws.ToInt32(out.ManagedLoginVersion) != 1 {
		t.Errorf("prefix domain answer = %+v", out)
	}
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
	cout, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("auth.example.com"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert)}})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^d[a-z0-9]{13}\.cloudfront\.net$`).MatchString(aws.ToString(cout.CloudFrontDomain)) {
		t.Errorf("CloudFrontDomain = %q", aws.ToString(cout.CloudFrontDomain))
	}

	// One of each kind per pool; names unique in the region.
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("second")})
	apiError(t, err, "InvalidParameterException", "User pool already has a domain configured.")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")})
	apiError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("Bad_Name")})
	apiError(t, err, "InvalidParameterException", "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("auth.example.com"), CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("bad")}})
	apiError(t, err, "InvalidParameterException", "")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-cognito-app")})
	apiError(t, err, "InvalidParameterException", "Domain cannot contain reserved word: cognito")
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String("us-east-1_nopenope1"), Domain: aws.String("free")})
	apiError(t, err, "ResourceNotFoundException", "User pool us-east-1_nopenope1 does not exist.")
	// The same prefix in another region is another domain.
	west := s.client("us-west-2")
	wpool := mustCreatePool(t, west, &cip.CreateUserPoolInput{PoolName: aws.String("w")})
	if _, err := west.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(wpool), Domain: aws.String("my-app")}); err != nil {
		t.Fatalf("same prefix in another region: %v", err)
	}

	desc, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
	if err != nil {
		t.Fatal(err)
	}
	d := desc.DomainDescription
	if aws.ToString(d.UserPoolId) != pool || aws.ToString(d.AWSAccountId) != "123456789012" || d.Status != types.DomainStatusTypeActive ||
		aws.ToString(d.Domain) != "my-app" || d.CustomDomainConfig != nil || aws.ToString(d.Version) == "" {
		t.Errorf("DescribeUserPoolDomain prefix = %+v", d)
	}
	desc, err = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if d := desc.DomainDescription; d.CustomDomainConfig == nil || aws.ToString(d.CustomDomainConfig.CertificateArn) != cert ||
		aws.ToString(d.CloudFrontDistribution) != aws.ToString(cout.CloudFrontDomain) {
		t.Errorf("DescribeUserPoolDomain custom = %+v", d)
	}
	// A domain nobody has: an empty description, not an error.
	desc, err = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("nobody")})
	if err != nil || desc.DomainDescription == nil || desc.DomainDescription.Domain != nil {
		t.Errorf("DescribeUserPoolDomain unknown = %+v, %v", desc, err)
	}

	pd, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(pd.UserPool.Domain) != "my-app" || aws.ToString(pd.UserPool.CustomDomain) != "auth.example.com" {
		t.Errorf("DescribeUserPool Domain %q CustomDomain %q", aws.ToString(pd.UserPool.Domain), aws.ToString(pd.UserPool.CustomDomain))
	}

	newCert := "arn:aws:acm:us-east-1:123456789012:certificate/99999999-2222-3333-4444-555555555555"
	up, err := c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("auth.example.com"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(newCert)}, ManagedLoginVersion: aws.Int32(2)})
	if err != nil || aws.ToString(up.CloudFrontDomain) != aws.ToString(cout.CloudFrontDomain) || aws.ToInt32(up.ManagedLoginVersion) != 2 {
		t.Fatalf("UpdateUserPoolDomain = %+v, %v", up, err)
	}
	desc, _ = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if aws.ToString(desc.DomainDescription.CustomDomainConfig.CertificateArn) != newCert || aws.ToInt32(desc.DomainDescription.ManagedLoginVersion) != 2 {
		t.Errorf("after update = %+v", desc.DomainDescription)
	}
	_, err = c.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(2)})
	apiError(t, err, "InvalidParameterException", "No such domain or user pool exists.")

	_, err = c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")})
	apiError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	if _, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app")}); err != nil {
		t.Fatal(err)
	}
	pd, _ = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if pd.UserPool.Domain != nil || aws.ToString(pd.UserPool.CustomDomain) != "auth.example.com" {
		t.Errorf("after delete: Domain %v CustomDomain %v", pd.UserPool.Domain, aws.ToString(pd.UserPool.CustomDomain))
	}
	// The prefix is free again.
	if _, err := c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")}); err != nil {
		t.Fatalf("prefix after delete: %v", err)
	}
	// A pool with a domain cannot be deleted; without, it can.
	_, err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(pool)})
	apiError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")
	if _, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("auth.example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(pool)}); err != nil {
		t.Fatal(err)
	}
	desc, err = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("auth.example.com")})
	if err != nil || desc.DomainDescription.Domain != nil {
		t.Errorf("a deleted custom domain = %+v, %v", desc, err)
	}
}
