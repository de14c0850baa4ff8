package cwlogs

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

// TestEnsureDeliveryPolicyExtendsLiveForms: an existing delivery policy in
// the forms seen live (Sid AWSLogDeliveryWrite, Resource as a string or a
// list, other statements beside it [OBS sst#125, kevinslin/cdk-constants#19])
// is extended in place, not replaced.
func TestEnsureDeliveryPolicyExtendsLiveForms(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(sqlstore.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sc := storage.Scope{AccountID: "123456789012", Region: "us-east-1"}
	prefix := "arn:aws:logs:us-east-1:123456789012:log-group:"
	live := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Other","Effect":"Allow","Principal":{"Service":"es.amazonaws.com"},"Action":"logs:PutLogEvents","Resource":"*"},` +
		`{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"` + prefix + `first:log-stream:*"}]}`
	if err := store.UpdateResourcePolicies(ctx, sc, func([]*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		return []*storage.ResourcePolicy{{Name: DeliveryPolicyName, Document: live, LastUpdatedTime: 1}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"first", "second", "second"} {
		if err := EnsureDeliveryPolicy(ctx, store, sc, g, 2); err != nil {
			t.Fatal(err)
		}
	}
	policies, err := store.ResourcePolicies(ctx, sc)
	if err != nil || len(policies) != 1 {
		t.Fatalf("policies %v %v", policies, err)
	}
	var doc struct {
		Statement []struct {
			Sid      string
			Resource any
		}
	}
	if err := json.Unmarshal([]byte(policies[0].Document), &doc); err != nil || len(doc.Statement) != 2 {
		t.Fatalf("document %s: %v", policies[0].Document, err)
	}
	if doc.Statement[0].Sid != "Other" || doc.Statement[0].Resource != "*" {
		t.Errorf("other statement changed: %+v", doc.Statement[0])
	}
	got, _ := json.Marshal(doc.Statement[1].Resource)
	if want := `["` + prefix + `first:log-stream:*","` + prefix + `second:log-stream:*"]`; string(got) != want {
		t.Errorf("Resource = %s\nwant %s", got, want)
	}
	if policies[0].LastUpdatedTime != 2 {
		t.Errorf("lastUpdatedTime = %d", policies[0].LastUpdatedTime)
	}

	// A /aws/vendedlogs/* entry covers the groups under it: no change.
	broad := strings.Replace(live, prefix+"first:log-stream:*", prefix+"/aws/vendedlogs/*", 1)
	other := storage.Scope{AccountID: "123456789012", Region: "eu-west-1"}
	broad = strings.ReplaceAll(broad, "us-east-1", "eu-west-1")
	if err := store.UpdateResourcePolicies(ctx, other, func([]*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		return []*storage.ResourcePolicy{{Name: DeliveryPolicyName, Document: broad, LastUpdatedTime: 1}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := EnsureDeliveryPolicy(ctx, store, other, "/aws/vendedlogs/cognito/x", 3); err != nil {
		t.Fatal(err)
	}
	if p, _ := store.ResourcePolicies(ctx, other); p[0].Document != broad || p[0].LastUpdatedTime != 1 {
		t.Errorf("covered group changed the policy: %s", p[0].Document)
	}

	// A new policy counts towards the ten.
	full := storage.Scope{AccountID: "123456789012", Region: "ap-south-1"}
	if err := store.UpdateResourcePolicies(ctx, full, func([]*storage.ResourcePolicy) ([]*storage.ResourcePolicy, error) {
		var ps []*storage.ResourcePolicy
		for _, n := range "abcdefghij" {
			ps = append(ps, &storage.ResourcePolicy{Name: string(n), Document: "{}"})
		}
		return ps, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := EnsureDeliveryPolicy(ctx, store, full, "g", 4); !errors.Is(err, ErrPolicyLimit) {
		t.Errorf("eleventh policy: %v, want ErrPolicyLimit", err)
	}
}
