package userpool

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/storage"
)

// This file checks the destinations of a log delivery configuration
// against the built-in services that hold them, as AWS's vended-logs
// machinery does when Cognito calls CreateLogDelivery (spec §6): the
// CloudWatch Logs log group, the S3 bucket (built-in S3) and the Firehose
// delivery stream (built-in Firehose) must exist.
//
// Whether AWS checks any of this synchronously, and with which texts, is
// not public (issue4-facts §2.2). That the caller needs
// logs:DescribeLogGroups and logs:PutResourcePolicy [DOC] says Cognito reads
// the group and writes the policy at Set time; every text below is
// inferred, in AWS's style (issue4-facts §2.2 suggestions).

// LogGroupChecker reads and prepares the CloudWatch Logs log groups that
// log delivery configurations name. The default, BuiltinLogGroups, is the
// built-in CloudWatch Logs in the service's store; with an external
// CloudWatch Logs endpoint (`cognate serve --logs-endpoint-url`), where the
// exporter delivers the records, the server injects that endpoint's
// checker with WithLogGroupChecker, so that the group is checked where
// the records will go.
type LogGroupChecker interface {
	// LogGroupKMSKey returns the KMS key ID of the group key names ("" when
	// it is not encrypted), or an error wrapping storage.ErrNotFound when
	// the group does not exist.
	LogGroupKMSKey(ctx context.Context, key storage.LogGroupKey) (string, error)
	// AllowDelivery adds groups (names, in scope sc) to sc's delivery
	// resource policy, cwlogs.DeliveryPolicyName, as
	// cwlogs.EnsureDeliveryPolicy does; now becomes the policy's
	// lastUpdatedTime. Errors: cwlogs.ErrPolicyLimit and
	// cwlogs.ErrPolicyTooLarge for the two quotas.
	AllowDelivery(ctx context.Context, sc storage.Scope, groups []string, now time.Time) error
}

// BucketChecker says whether an S3 bucket exists where records go (the
// built-in S3) and belongs to an account: a log destination must be in
// the pool's account [DOC, spec/log-delivery.md §4].
type BucketChecker interface {
	BucketOwnedBy(account, name string) (bool, error)
}

// WithBucketChecker makes SetLogDeliveryConfiguration check S3
// destinations with c; without one they are not checked.
func WithBucketChecker(c BucketChecker) Option { return func(s *Service) { s.buckets = c } }

// checkBucket checks that the bucket of an S3 destination exists in the
// pool's account ("must exist", inferred as for log groups; the text is
// inferred, and a bucket of another account is answered as missing).
func (s *Service) checkBucket(account, arn string) error {
	a, _ := awsarn.Parse(arn) // logConfiguration checked the form
	ok, err := s.buckets.BucketOwnedBy(account, a.Resource)
	if err != nil {
		return err
	}
	if !ok {
		return api.InvalidParameter("The S3 bucket %s does not exist.", a.Resource)
	}
	return nil
}

// StreamChecker says whether a Firehose delivery stream exists where
// records go (the built-in Firehose).
type StreamChecker interface {
	StreamExists(ctx context.Context, key storage.FirehoseStreamKey) (bool, error)
}

// WithStreamChecker makes SetLogDeliveryConfiguration check Firehose
// destinations with c; without one they are not checked.
func WithStreamChecker(c StreamChecker) Option { return func(s *Service) { s.streams = c } }

// checkStream checks that the stream of a Firehose destination exists
// (as for buckets; the text is inferred).
func (s *Service) checkStream(ctx context.Context, arn string) error {
	a, _ := awsarn.Parse(arn) // logConfiguration checked the form
	name := strings.TrimPrefix(a.Resource, "deliverystream/")
	ok, err := s.streams.StreamExists(ctx, storage.FirehoseStreamKey{Scope: storage.Scope{AccountID: a.Account, Region: a.Region}, Name: name})
	if err != nil {
		return err
	}
	if !ok {
		return api.InvalidParameter("The Firehose delivery stream %s does not exist.", name)
	}
	return nil
}

// WithLogGroupChecker makes the service check log groups with c instead of
// the built-in CloudWatch Logs.
func WithLogGroupChecker(c LogGroupChecker) Option { return func(s *Service) { s.logGroups = c } }

// BuiltinLogGroups is the LogGroupChecker of the built-in CloudWatch Logs
// kept in Store.
type BuiltinLogGroups struct{ Store storage.LogStore }

// LogGroupKMSKey implements LogGroupChecker.
func (b BuiltinLogGroups) LogGroupKMSKey(ctx context.Context, key storage.LogGroupKey) (string, error) {
	g, err := b.Store.GetLogGroup(ctx, key)
	if err != nil {
		return "", err
	}
	return g.KMSKeyID, nil
}

// AllowDelivery implements LogGroupChecker, one transaction per group.
func (b BuiltinLogGroups) AllowDelivery(ctx context.Context, sc storage.Scope, groups []string, now time.Time) error {
	for _, g := range groups {
		if err := cwlogs.EnsureDeliveryPolicy(ctx, b.Store, sc, g, now.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// checkCloudWatchDestinations checks the log groups the configuration
// names, each once, in request order, then gives log delivery the right to
// write to them through the account's AWSLogDeliveryWrite20150319 resource
// policy. pool is the pool's account and region. Every group is read
// before any policy is written, so that a refused request changes nothing.
func (s *Service) checkCloudWatchDestinations(ctx context.Context, pool storage.Scope, configs []storage.LogConfiguration) error {
	var groups []string
	for _, c := range configs {
		if c.DestinationType == storage.DestinationS3 && s.buckets != nil {
			if err := s.checkBucket(pool.AccountID, c.DestinationARN); err != nil {
				return err
			}
		}
		if c.DestinationType == storage.DestinationFirehose && s.streams != nil {
			if err := s.checkStream(ctx, c.DestinationARN); err != nil {
				return err
			}
		}
		if c.DestinationType != storage.DestinationCloudWatchLogs {
			continue
		}
		name, err := s.checkLogGroup(ctx, pool, c.DestinationARN)
		if err != nil {
			return err
		}
		if !contains(groups, name) {
			groups = append(groups, name)
		}
	}
	if len(groups) == 0 {
		return nil
	}
	return s.allowDelivery(ctx, pool, groups)
}

// checkLogGroup returns the name of the group arn names, after checking
// that it is in the pool's account and region, exists in the CloudWatch
// Logs the records go to and is not KMS-encrypted ("The log group must not
// be encrypted with Key Management Service and must be in the same Amazon
// Web Services account as your user pool" [DOC idp model
// CloudWatchLogsConfigurationType]). logConfiguration has already checked
// that arn is a logs log-group ARN of the pool's account.
func (s *Service) checkLogGroup(ctx context.Context, pool storage.Scope, arn string) (string, error) {
	a, _ := awsarn.Parse(arn)
	name := strings.TrimPrefix(a.Resource, "log-group:")
	if strings.Contains(name, ":") {
		// `log-group:<name>:*` (the IAM form) fails the ArnType pattern
		// before this; any other suffix names no log group, whose names
		// have no colon [DOC logs model LogGroupName]. Inferred text.
		return "", api.InvalidParameter("%s is not the ARN of a CloudWatch Logs log group.", arn)
	}
	if a.Account != pool.AccountID || a.Region != pool.Region || a.Partition != awsarn.Partition(pool.Region) {
		// Same account [DOC]; same region: vended logs are delivered
		// within a region [INF spec §4]. Inferred text.
		return "", api.InvalidParameter("The log group %s must be in the same account and region as the user pool (%s, %s).", arn, pool.AccountID, pool.Region)
	}
	kmsKey, err := s.logGroups.LogGroupKMSKey(ctx, storage.LogGroupKey{Scope: pool, Name: name})
	if errors.Is(err, storage.ErrNotFound) {
		// Inferred text (issue4-facts §2.2).
		return "", api.InvalidParameter("The specified log group does not exist: %s", arn)
	}
	if err != nil {
		return "", destinationError(err, "read the log group "+arn)
	}
	if kmsKey != "" {
		// Inferred text (issue4-facts §2.2).
		return "", api.InvalidParameter("The log group %s is encrypted with a KMS key; Amazon Cognito can't deliver logs to KMS-encrypted log groups.", arn)
	}
	return name, nil
}

// allowDelivery adds the groups to the account's delivery policy, with the
// two quotas of resource policies turned into Cognito errors (inferred
// texts; the second follows the live text of Step Functions for the same
// vended-logs policy [OBS issue4-facts §2.2]).
func (s *Service) allowDelivery(ctx context.Context, pool storage.Scope, groups []string) error {
	err := s.logGroups.AllowDelivery(ctx, pool, groups, s.now())
	switch {
	case err == nil:
		return nil
	case errors.Is(err, cwlogs.ErrPolicyLimit):
		return api.InvalidParameter("Cannot create the CloudWatch Logs resource policy %s for log delivery: the account already has 10 resource policies in %s, the most CloudWatch Logs allows. Delete one with DeleteResourcePolicy.", cwlogs.DeliveryPolicyName, pool.Region)
	case errors.Is(err, cwlogs.ErrPolicyTooLarge):
		return api.InvalidParameter("The CloudWatch Logs resource policy size was exceeded. We suggest prefixing your CloudWatch log group name with /aws/vendedlogs/.")
	}
	return destinationError(err, "update the resource policy "+cwlogs.DeliveryPolicyName)
}

// destinationError words a failure of the CloudWatch Logs that holds the
// log groups. An answer of an external endpoint that refuses the call (an
// AWS error: AccessDeniedException, an invalid signature, …) is the
// caller's to fix: InvalidParameterException with CloudWatch Logs' code
// and message. Anything else (the endpoint unreachable or too slow, the
// store failing) is InternalErrorException, the 500 that
// SetLogDeliveryConfiguration documents [DOC idp model], so that clients
// retry. How AWS words either is not public: both texts are inferred.
func destinationError(err error, what string) error {
	var refused interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if errors.As(err, &refused) {
		return api.InvalidParameter("CloudWatch Logs refused to let Amazon Cognito %s: %s: %s", what, refused.ErrorCode(), refused.ErrorMessage()).Wrap(err)
	}
	return api.InternalError("Amazon Cognito could not %s in CloudWatch Logs; the log delivery configuration was not changed. Try again.", what).Wrap(fmt.Errorf("log group check: %w", err))
}
