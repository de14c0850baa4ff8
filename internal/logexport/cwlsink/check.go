package cwlsink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/storage"
)

// This file lets SetLogDeliveryConfiguration check its log groups on the
// external endpoint the records go to (userpool.LogGroupChecker), as it
// checks them in the built-in CloudWatch Logs otherwise: the group exists
// and is not KMS-encrypted, and the delivery resource policy covers it.

// defaultCheckTimeout bounds each check, retries included, so that an
// endpoint that accepts connections and never answers cannot hold an API
// call: the caller gets an error instead (Cognate's choice).
const defaultCheckTimeout = 10 * time.Second

func (s *Sink) checkContext(ctx context.Context) (context.Context, context.CancelFunc) {
	t := s.cfg.CheckTimeout
	if t <= 0 {
		t = defaultCheckTimeout
	}
	return context.WithTimeout(ctx, t)
}

// LogGroupKMSKey returns the KMS key ID of the group key names ("" when it
// has none), read with DescribeLogGroups in key's region: the group whose
// name is exactly key.Name among those logGroupNamePrefix returns, page by
// page. An error wrapping storage.ErrNotFound when there is none. The
// account is the one of the endpoint's credentials; the caller has
// checked that the ARN names the pool's account.
func (s *Sink) LogGroupKMSKey(ctx context.Context, key storage.LogGroupKey) (string, error) {
	ctx, cancel := s.checkContext(ctx)
	defer cancel()
	c := s.client(key.Region)
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(key.Name)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("describe log groups %s: %w", key.Name, err)
		}
		for _, g := range out.LogGroups {
			if aws.ToString(g.LogGroupName) == key.Name {
				return aws.ToString(g.KmsKeyId), nil
			}
		}
	}
	return "", fmt.Errorf("log group %s: %w", key.Name, storage.ErrNotFound)
}

// AllowDelivery adds groups to the delivery resource policy
// cwlogs.DeliveryPolicyName of the endpoint, in sc's region: it reads the
// policy with DescribeResourcePolicies, builds the document as the
// built-in CloudWatch Logs does (cwlogs.DeliveryPolicyDocument) and, when
// it changed, writes it with one PutResourcePolicy, so that the policy
// either covers every group or is unchanged. The endpoint's quota of 10
// policies (LimitExceededException) is cwlogs.ErrPolicyLimit. now is
// unused: the endpoint stamps the policy itself.
func (s *Sink) AllowDelivery(ctx context.Context, sc storage.Scope, groups []string, _ time.Time) error {
	ctx, cancel := s.checkContext(ctx)
	defer cancel()
	c := s.client(sc.Region)
	var existing *storage.ResourcePolicy
	in := &cloudwatchlogs.DescribeResourcePoliciesInput{}
	for existing == nil {
		out, err := c.DescribeResourcePolicies(ctx, in)
		if err != nil {
			return fmt.Errorf("describe resource policies: %w", err)
		}
		for _, rp := range out.ResourcePolicies {
			if aws.ToString(rp.PolicyName) == cwlogs.DeliveryPolicyName {
				existing = &storage.ResourcePolicy{Name: cwlogs.DeliveryPolicyName, Document: aws.ToString(rp.PolicyDocument)}
				break
			}
		}
		if aws.ToString(out.NextToken) == "" || aws.ToString(out.NextToken) == aws.ToString(in.NextToken) {
			break
		}
		in.NextToken = out.NextToken
	}
	changed := false
	for _, g := range groups {
		doc, ch, err := cwlogs.DeliveryPolicyDocument(existing, sc, g)
		if err != nil {
			return err
		}
		if ch {
			existing = &storage.ResourcePolicy{Name: cwlogs.DeliveryPolicyName, Document: doc}
			changed = true
		}
	}
	if !changed {
		return nil // a read, no write
	}
	_, err := c.PutResourcePolicy(ctx, &cloudwatchlogs.PutResourcePolicyInput{
		PolicyName: aws.String(cwlogs.DeliveryPolicyName), PolicyDocument: aws.String(existing.Document),
	})
	var limit *types.LimitExceededException
	if errors.As(err, &limit) {
		return fmt.Errorf("put resource policy: %w (%w)", cwlogs.ErrPolicyLimit, err)
	}
	if err != nil {
		return fmt.Errorf("put resource policy %s: %w", cwlogs.DeliveryPolicyName, err)
	}
	return nil
}
