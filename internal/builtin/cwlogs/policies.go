package cwlogs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// maxResourcePolicies is how many account-level resource policies a region
// of an account may have; the quota cannot be raised [DOC].
const maxResourcePolicies = 10

const (
	policyScopeAccount = "ACCOUNT"
	// [OBS DNXLabs/terraform-aws-ecs-app#40; copilot-cli#5743]
	textPolicyLimit = "Resource limit exceeded."
	// Cognate keeps account-level policies only (the newer resource-scoped
	// ones, with resourceArn, are not built): Cognate's text.
	textAccountPoliciesOnly = "Cognate supports account-level resource policies only: resourceArn is not supported."
)

// policyNotFound is AWS's text for an unknown name [OBS relayed by
// CloudFormation in aws-cdk#12016; moto uses it too].
func policyNotFound(name string) *api.Error {
	return logsapi.ResourceNotFound("Policy with name [%s] does not exist", name)
}

// PutResourcePolicy creates or replaces an account-level resource policy.
func (s *Service) PutResourcePolicy(ctx context.Context, in *logsapi.PutResourcePolicyRequest) (*logsapi.PutResourcePolicyResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	if in.ResourceArn != nil {
		return nil, logsapi.InvalidParameter(textAccountPoliciesOnly)
	}
	name, doc := deref(in.PolicyName), deref(in.PolicyDocument)
	// Both are "required" in the API reference though not in the model;
	// the texts are inferred.
	if name == "" {
		return nil, logsapi.InvalidParameter("policyName is required.")
	}
	if doc == "" {
		return nil, logsapi.InvalidParameter("policyDocument is required.")
	}
	if !json.Valid([]byte(doc)) {
		return nil, logsapi.InvalidParameter("The policy document is not valid JSON.") // inferred
	}
	p := &storage.ResourcePolicy{Name: name, Document: doc, LastUpdatedTime: s.nowMillis()}
	if err := s.store.UpdateResourcePolicies(ctx, sc, func(current []*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		return putPolicy(current, p)
	}); err != nil {
		return nil, storeError(err)
	}
	return &logsapi.PutResourcePolicyResponse{ResourcePolicy: describePolicy(p)}, nil
}

// putPolicy replaces the policy of p's name or adds p, within the limit.
func putPolicy(current []*storage.ResourcePolicy, p *storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
	for i, c := range current {
		if c.Name == p.Name {
			current[i] = p
			return current, nil
		}
	}
	if len(current) >= maxResourcePolicies {
		return nil, logsapi.LimitExceeded(textPolicyLimit)
	}
	return append(current, p), nil
}

// describePolicy is a ResourcePolicy as the API shows it; the document is
// a string [DOC; OBS sst#125]. policyScope came with the resource-scoped
// policies (2025); that AWS sends it for account-level ones is inferred.
func describePolicy(p *storage.ResourcePolicy) *logsapi.ResourcePolicy {
	return &logsapi.ResourcePolicy{
		PolicyName: new(p.Name), PolicyDocument: new(p.Document),
		LastUpdatedTime: new(p.LastUpdatedTime), PolicyScope: new(policyScopeAccount),
	}
}

// DescribeResourcePolicies lists the account-level policies by name.
func (s *Service) DescribeResourcePolicies(ctx context.Context, in *logsapi.DescribeResourcePoliciesRequest) (*logsapi.DescribeResourcePoliciesResponse, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	out := &logsapi.DescribeResourcePoliciesResponse{ResourcePolicies: []logsapi.ResourcePolicy{}}
	if in.ResourceArn != nil || (in.PolicyScope != nil && *in.PolicyScope != policyScopeAccount) {
		return out, nil // no resource-scoped policies exist in Cognate
	}
	after := ""
	if in.NextToken != nil {
		fields, err := decodeToken(*in.NextToken, "rp1", 1)
		if err != nil {
			return nil, err
		}
		after = fields[0]
	}
	policies, err := s.store.ResourcePolicies(ctx, sc)
	if err != nil {
		return nil, storeError(err)
	}
	limit := limitOf(in.Limit, describeLimit)
	for _, p := range policies {
		if p.Name <= after {
			continue
		}
		if len(out.ResourcePolicies) == limit {
			out.NextToken = new(encodeToken("rp1", *out.ResourcePolicies[limit-1].PolicyName))
			break
		}
		out.ResourcePolicies = append(out.ResourcePolicies, *describePolicy(p))
	}
	return out, nil
}

// DeleteResourcePolicy deletes an account-level policy.
func (s *Service) DeleteResourcePolicy(ctx context.Context, in *logsapi.DeleteResourcePolicyRequest) (*api.Empty, error) {
	sc, err := scope(ctx)
	if err != nil {
		return nil, err
	}
	if in.ResourceArn != nil {
		return nil, logsapi.InvalidParameter(textAccountPoliciesOnly)
	}
	name := deref(in.PolicyName)
	err = s.store.UpdateResourcePolicies(ctx, sc, func(current []*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		i := slices.IndexFunc(current, func(p *storage.ResourcePolicy) bool { return p.Name == name })
		if i < 0 {
			return nil, policyNotFound(name)
		}
		return slices.Delete(current, i, i+1), nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	return &api.Empty{}, nil
}

// DeliveryPolicyName is the account-level policy AWS creates for vended
// logs delivered to CloudWatch Logs, Cognito's among them
// (issue4-facts §2.1).
const DeliveryPolicyName = "AWSLogDeliveryWrite20150319"

// Sizes of the delivery policy's document.
const (
	// maxPolicyDocument is the longest document PutResourcePolicy accepts
	// [DOC logs model PolicyDocument max 51200; OBS anomalyco/sst#6231].
	maxPolicyDocument = 51200
	// vendedLogsThreshold: "To send logs to log groups with a resource
	// policy of a size greater than 5120 characters, configure a log group
	// with a path that starts with /aws/vendedlogs" [DOC idp model
	// CloudWatchLogsConfigurationType]. Past it, a group under
	// /aws/vendedlogs/ is covered by one `…:log-group:/aws/vendedlogs/*`
	// entry, as CloudWatch "automatically enables" near the limit [DOC CWL
	// guide; OBS kevinslin/cdk-constants#19 for the entry's form; the
	// threshold is inferred, issue4-facts §2.3].
	vendedLogsThreshold = 5120
	vendedLogsPrefix    = "/aws/vendedlogs/"
)

// Errors of EnsureDeliveryPolicy; the caller words them for its own API.
var (
	// ErrPolicyLimit means the scope already has maxResourcePolicies
	// policies and none of them is the delivery policy.
	ErrPolicyLimit = errors.New("cwlogs: the account and region already have 10 resource policies")
	// ErrPolicyTooLarge means the delivery policy's document would pass
	// 51200 characters with the group added.
	ErrPolicyTooLarge = errors.New("cwlogs: the delivery resource policy would exceed 51200 characters")
)

// deliveryStatement is the statement of DeliveryPolicyName, in the
// documented current form [DOC CWL guide "Enabling logging from AWS
// services"].
type deliveryStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// EnsureDeliveryPolicy lets log delivery (delivery.logs.amazonaws.com)
// write to a group of store in scope sc, as AWS does when a service's logs
// are set to go to CloudWatch Logs (issue4-facts §2.1): it creates the
// account-level policy DeliveryPolicyName if there is none, or adds the
// group's `…:log-group:<name>:log-stream:*` to the Resource list of its
// delivery statement, unless the list already covers the group (the same
// entry, or `…:log-group:/aws/vendedlogs/*` for a group under
// /aws/vendedlogs/). Past 5120 characters a group under /aws/vendedlogs/
// is added as that broad entry instead. It is one transaction. now
// (epoch milliseconds) becomes the policy's lastUpdatedTime when it
// changes. A new policy counts towards the 10-policy quota: ErrPolicyLimit
// beyond it; a document that would pass 51200 characters: ErrPolicyTooLarge
// (AWS's behaviour in both cases is not public).
func EnsureDeliveryPolicy(ctx context.Context, store storage.LogStore, sc storage.Scope, group string, now int64) error {
	find := func(policies []*storage.ResourcePolicy) *storage.ResourcePolicy {
		i := slices.IndexFunc(policies, func(p *storage.ResourcePolicy) bool { return p.Name == DeliveryPolicyName })
		if i < 0 {
			return nil
		}
		return policies[i]
	}
	// Most calls find the group covered already: a read, no write.
	policies, err := store.ResourcePolicies(ctx, sc)
	if err != nil {
		return fmt.Errorf("read resource policies: %w", err)
	}
	if _, changed, err := DeliveryPolicyDocument(find(policies), sc, group); err != nil || !changed {
		return err
	}
	return store.UpdateResourcePolicies(ctx, sc, func(current []*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		doc, changed, err := DeliveryPolicyDocument(find(current), sc, group)
		if err != nil || !changed {
			return current, err
		}
		out, err := putPolicy(current, &storage.ResourcePolicy{Name: DeliveryPolicyName, Document: doc, LastUpdatedTime: now})
		if errors.Is(err, logsapi.ErrLimitExceeded) {
			return nil, ErrPolicyLimit
		}
		return out, err
	})
}

// DeliveryPolicyDocument returns the document of the delivery policy
// DeliveryPolicyName of scope sc with group added, as EnsureDeliveryPolicy
// writes it, and whether it differs from existing (nil when the scope has
// no such policy yet): false when an entry already covers the group. It
// is the document logic alone, for a caller that keeps the policy
// elsewhere (an external CloudWatch Logs endpoint). ErrPolicyTooLarge when
// the document would pass 51200 characters.
func DeliveryPolicyDocument(existing *storage.ResourcePolicy, sc storage.Scope, group string) (string, bool, error) {
	prefix := "arn:" + awsarn.Partition(sc.Region) + ":logs:" + sc.Region + ":" + sc.AccountID + ":log-group:"
	entry := prefix + group + ":log-stream:*"
	covers := func(r string) bool {
		if r == entry || r == prefix+group+":*" {
			return true
		}
		base, ok := strings.CutSuffix(r, "*")
		return ok && strings.HasPrefix(base, prefix+vendedLogsPrefix) && strings.HasPrefix(prefix+group, base)
	}
	doc, changed, err := deliveryDocument(existing, sc, entry, covers)
	if err != nil || !changed {
		return "", false, err
	}
	if len(doc) > vendedLogsThreshold && strings.HasPrefix(group, vendedLogsPrefix) {
		broad := prefix + vendedLogsPrefix + "*"
		if doc, _, err = deliveryDocument(existing, sc, broad, covers); err != nil {
			return "", false, err
		}
	}
	if len(doc) > maxPolicyDocument {
		return "", false, ErrPolicyTooLarge
	}
	return doc, true, nil
}

// deliveryDocument returns the delivery policy's document with entry in
// the Resource list of its delivery statement, and whether it changed
// (not when an entry already covers the group). Statements other than the
// delivery one are kept as they are.
func deliveryDocument(existing *storage.ResourcePolicy, sc storage.Scope, entry string, covers func(string) bool) (string, bool, error) {
	var doc struct {
		Version   string            `json:"Version"`
		Statement []json.RawMessage `json:"Statement"`
	}
	doc.Version = "2012-10-17"
	if existing != nil {
		if err := json.Unmarshal([]byte(existing.Document), &doc); err != nil {
			// A document someone put by hand under this name, in a form
			// this code does not know: replace it (Cognate's choice).
			doc.Version, doc.Statement = "2012-10-17", nil
		}
	}
	for i, raw := range doc.Statement {
		var st struct {
			Sid      string `json:"Sid"`
			Resource any    `json:"Resource"`
		}
		if json.Unmarshal(raw, &st) != nil || (st.Sid != DeliveryPolicyName && st.Sid != "AWSLogDeliveryWrite") {
			continue
		}
		// Resource is a string or a list [OBS both forms].
		var resources []string
		switch r := st.Resource.(type) {
		case string:
			resources = []string{r}
		case []any:
			for _, v := range r {
				if s, ok := v.(string); ok {
					resources = append(resources, s)
				}
			}
		}
		if slices.ContainsFunc(resources, covers) {
			return "", false, nil
		}
		var full map[string]any
		if err := json.Unmarshal(raw, &full); err != nil {
			return "", false, fmt.Errorf("decode delivery policy statement: %w", err)
		}
		full["Resource"] = append(resources, entry)
		b, err := json.Marshal(full)
		if err != nil {
			return "", false, fmt.Errorf("encode delivery policy statement: %w", err)
		}
		doc.Statement[i] = b
		out, err := json.Marshal(doc)
		if err != nil {
			return "", false, fmt.Errorf("encode delivery policy: %w", err)
		}
		return string(out), true, nil
	}
	st := deliveryStatement{
		Sid:       DeliveryPolicyName,
		Effect:    "Allow",
		Principal: map[string]any{"Service": []string{"delivery.logs.amazonaws.com"}},
		Action:    []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource:  []string{entry},
		Condition: map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": []string{sc.AccountID}},
			"ArnLike":      map[string]any{"aws:SourceArn": []string{"arn:" + awsarn.Partition(sc.Region) + ":logs:" + sc.Region + ":" + sc.AccountID + ":*"}},
		},
	}
	b, err := json.Marshal(st)
	if err != nil {
		return "", false, fmt.Errorf("encode delivery policy statement: %w", err)
	}
	doc.Statement = append(doc.Statement, b)
	out, err := json.Marshal(doc)
	if err != nil {
		return "", false, fmt.Errorf("encode delivery policy: %w", err)
	}
	return string(out), true, nil
}
