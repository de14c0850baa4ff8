package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/storage"
)

// User pool domains (docs/research/oauth-facts.md §1). A pool has at most
// one prefix domain (<prefix>.auth.<region>.amazoncognito.com) and one
// custom domain (a fully qualified name with an ACM certificate) [DOC
// "Configuring a user pool domain"]. Names are unique in a region across
// accounts [DOC]. Cognate serves a pool's OAuth 2.0 endpoints on every
// domain it has (internal/server/oauth2.go); nothing here talks to ACM or
// CloudFront.

// prefixPattern is DomainType's pattern, which the service applies to
// prefix domains only: custom domains have dots [DOC model; OBS
// terraform-linters/tflint-ruleset-aws#156].
var prefixPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

// hostnamePattern is a fully qualified host name of lower-case labels.
var hostnamePattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

// errInvalidPrefix is AWS's text for a prefix that breaks the pattern
// [OBS mineiros-io/terraform-aws-cognito-user-pool#69].
const errInvalidPrefix = "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"

// domainVersion is the Version DescribeUserPoolDomain shows, a timestamp
// of the domain's last change in the form of AWS's ("20190128175402")
// [OBS aws-cli describe-user-pool-domain example].
const domainVersionLayout = "20060102150405"

// checkDomainName checks a domain for CreateUserPoolDomain: a prefix
// without the reserved words, or a custom host name.
func checkDomainName(name string, custom bool) error {
	if custom {
		if len(name) > 253 || !hostnamePattern.MatchString(name) {
			return api.InvalidParameter("Domain %s is not a valid domain name.", name) // inferred text [INF]
		}
		return nil
	}
	if !prefixPattern.MatchString(name) {
		return api.InvalidParameter("%s", errInvalidPrefix)
	}
	// "You can't use the text aws, amazon, or cognito in the domain
	// prefix" [DOC]; the text is inferred.
	for _, w := range []string{"aws", "amazon", "cognito"} {
		if strings.Contains(name, w) {
			return api.InvalidParameter("Domain cannot contain reserved word: %s", w) // inferred text [INF]
		}
	}
	return nil
}

// cloudFrontDomain makes the CloudFront distribution name of a custom
// domain: d + 13 lower-case alphanumerics, as AWS's are
// (d111111abcdef8.cloudfront.net) [DOC example].
func cloudFrontDomain() string { return "d" + randomFrom(clientAlphabet, 13) + ".cloudfront.net" }

// loginVersion is ManagedLoginVersion: 1 (hosted UI classic) unless 2 is
// asked for [DOC].
func loginVersion(v *int32) (int32, error) {
	switch deref(v) {
	case 0, 1:
		return 1, nil
	case 2:
		return 2, nil
	}
	return 0, api.InvalidParameter("ManagedLoginVersion must be 1 or 2.") // inferred text [INF]
}

// CreateUserPoolDomain gives a pool a prefix domain or, with
// CustomDomainConfig, a custom domain [DOC].
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *api.CreateUserPoolDomainRequest) (*api.CreateUserPoolDomainResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	name := deref(in.Domain)
	custom := in.CustomDomainConfig != nil
	if err := checkDomainName(name, custom); err != nil {
		return nil, err
	}
	lv, err := loginVersion(in.ManagedLoginVersion)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUserPool(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	}
	now := s.now().UTC()
	d := &storage.Domain{AccountID: key.AccountID, Region: key.Region, PoolID: key.ID, Name: name, Custom: custom,
		ManagedLoginVersion: lv, Version: now.Format(domainVersionLayout), CreatedAt: now, UpdatedAt: now}
	if custom {
		d.CertificateARN, d.CloudFrontDomain = deref(in.CustomDomainConfig.CertificateArn), cloudFrontDomain()
	}
	switch err := s.store.CreateDomain(ctx, d); {
	case errors.Is(err, storage.ErrAlreadyExists):
		// [OBS mineiros-io/terraform-aws-cognito-user-pool#69]
		return nil, api.InvalidParameter("Domain already associated with another user pool.")
	case errors.Is(err, storage.ErrPoolHasDomain):
		kind := "domain"
		if custom {
			kind = "custom domain"
		}
		return nil, api.InvalidParameter("User pool already has a %s configured.", kind) // inferred text [INF]
	case err != nil:
		return nil, storeError(key.ID, err)
	}
	out := &api.CreateUserPoolDomainResponse{ManagedLoginVersion: new(lv)}
	if custom {
		// "Amazon Cognito returns this value if you set a custom domain"
		// [DOC CreateUserPoolDomainResponse.CloudFrontDomain].
		out.CloudFrontDomain = new(d.CloudFrontDomain)
	}
	return out, nil
}

// DescribeUserPoolDomain describes a domain by its name. A name no pool
// has is not an error: AWS answers an empty DomainDescription [OBS].
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *api.DescribeUserPoolDomainRequest) (*api.DescribeUserPoolDomainResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.store.FindDomain(ctx, sc.Region, deref(in.Domain))
	if errors.Is(err, storage.ErrNotFound) || (err == nil && d.AccountID != sc.AccountID) {
		return &api.DescribeUserPoolDomainResponse{DomainDescription: &api.DomainDescriptionType{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe domain: %w", err)
	}
	return &api.DescribeUserPoolDomainResponse{DomainDescription: describeDomain(d)}, nil
}

// describeDomain is a domain as DescribeUserPoolDomain shows it [OBS
// aws-cli example: UserPoolId, AWSAccountId, Domain, S3Bucket,
// CloudFrontDistribution, Version, Status, CustomDomainConfig]. Cognate's
// domains are ACTIVE at once; the S3 bucket is AWS's asset bucket name,
// which nothing reads [INF].
func describeDomain(d *storage.Domain) *api.DomainDescriptionType {
	out := &api.DomainDescriptionType{
		UserPoolId: new(d.PoolID), AWSAccountId: new(d.AccountID), Domain: new(d.Name),
		S3Bucket: new("aws-cognito-prod-" + d.Region + "-assets"), Version: new(d.Version), Status: new("ACTIVE"),
		ManagedLoginVersion: new(d.ManagedLoginVersion),
	}
	if d.Custom {
		out.CloudFrontDistribution = new(d.CloudFrontDomain)
		out.CustomDomainConfig = &api.CustomDomainConfigType{CertificateArn: new(d.CertificateARN)}
	}
	return out
}

// UpdateUserPoolDomain changes a domain's managed login version and a
// custom domain's certificate; it never renames a domain [DOC].
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *api.UpdateUserPoolDomainRequest) (*api.UpdateUserPoolDomainResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUserPool(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	}
	now := s.now().UTC()
	d, err := s.store.UpdateDomain(ctx, key, deref(in.Domain), func(d *storage.Domain) error {
		if in.CustomDomainConfig != nil {
			if !d.Custom {
				return api.InvalidParameter("CustomDomainConfig applies only to custom domains.") // inferred text [INF]
			}
			d.CertificateARN = deref(in.CustomDomainConfig.CertificateArn)
		}
		if in.ManagedLoginVersion != nil {
			lv, err := loginVersion(in.ManagedLoginVersion)
			if err != nil {
				return err
			}
			d.ManagedLoginVersion = lv
		}
		d.Version, d.UpdatedAt = now.Format(domainVersionLayout), now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, noSuchDomain()
	}
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	out := &api.UpdateUserPoolDomainResponse{ManagedLoginVersion: new(d.ManagedLoginVersion)}
	if d.Custom {
		out.CloudFrontDomain = new(d.CloudFrontDomain)
	}
	return out, nil
}

// noSuchDomain answers a domain the pool does not have [INF: the text
// widely quoted for DeleteUserPoolDomain].
func noSuchDomain() error { return api.InvalidParameter("No such domain or user pool exists.") }

// DeleteUserPoolDomain removes a domain of a pool.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *api.DeleteUserPoolDomainRequest) (*api.DeleteUserPoolDomainResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUserPool(ctx, key); err != nil {
		return nil, storeError(key.ID, err)
	}
	if err := s.store.DeleteDomain(ctx, key, deref(in.Domain)); errors.Is(err, storage.ErrNotFound) {
		return nil, noSuchDomain()
	} else if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.DeleteUserPoolDomainResponse{}, nil
}

// poolDomainNames returns the pool's prefix and custom domain, "" for
// none, for DescribeUserPool's Domain and CustomDomain [DOC UserPoolType].
func (s *Service) poolDomainNames(ctx context.Context, key storage.PoolKey) (prefix, custom string, err error) {
	ds, err := s.store.PoolDomains(ctx, key)
	if err != nil {
		return "", "", err
	}
	for _, d := range ds {
		if d.Custom {
			custom = d.Name
		} else {
			prefix = d.Name
		}
	}
	return prefix, custom, nil
}
