package cwlsink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/testutil/motoserver"
)

var motoScope = storage.Scope{AccountID: "123456789012", Region: "us-west-2"}

func createGroups(t *testing.T, logs *cloudwatchlogs.Client, kms string, names ...string) {
	t.Helper()
	for _, n := range names {
		in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(n)}
		if kms != "" {
			in.KmsKeyId = aws.String(kms)
		}
		if _, err := logs.CreateLogGroup(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLogGroupKMSKey: the group is found by its exact name among those the
// prefix returns, across pages, with its KMS key; a prefix of a group's
// name, a group of another region and no group at all are not found.
func TestLogGroupKMSKey(t *testing.T) {
	url := motoserver.Start(t)
	logs := motoserver.Logs(url, motoScope.Region)
	createGroups(t, logs, "", "/aws/vendedlogs/cognito/a", "/aws/vendedlogs/cognito/ab")
	createGroups(t, logs, "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "encrypted")
	var many []string
	for i := range 60 { // more than a page of DescribeLogGroups (50)
		many = append(many, fmt.Sprintf("paged/%02d", i))
	}
	createGroups(t, logs, "", many...)
	sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials})
	ctx := context.Background()
	key := func(name string) storage.LogGroupKey { return storage.LogGroupKey{Scope: motoScope, Name: name} }

	for _, name := range []string{"/aws/vendedlogs/cognito/a", "/aws/vendedlogs/cognito/ab", "paged/59"} {
		if k, err := sink.LogGroupKMSKey(ctx, key(name)); err != nil || k != "" {
			t.Errorf("%s: %q, %v; want no key", name, k, err)
		}
	}
	if k, err := sink.LogGroupKMSKey(ctx, key("encrypted")); err != nil || k == "" {
		t.Errorf("encrypted: %q, %v; want its key", k, err)
	}
	for _, name := range []string{"/aws/vendedlogs/cognito/", "paged/", "absent"} {
		if _, err := sink.LogGroupKMSKey(ctx, key(name)); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", name, err)
		}
	}
	other := storage.LogGroupKey{Scope: storage.Scope{AccountID: motoScope.AccountID, Region: "eu-west-1"}, Name: "encrypted"}
	if _, err := sink.LogGroupKMSKey(ctx, other); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("other region: err = %v, want ErrNotFound", err)
	}
}

// deliveryResources returns the Resource list of the delivery statement of
// the endpoint's delivery policy, and its document.
func deliveryResources(t *testing.T, logs *cloudwatchlogs.Client) ([]string, string) {
	t.Helper()
	out, err := logs.DescribeResourcePolicies(context.Background(), &cloudwatchlogs.DescribeResourcePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.ResourcePolicies {
		if aws.ToString(p.PolicyName) != cwlogs.DeliveryPolicyName {
			continue
		}
		var doc struct {
			Statement []struct {
				Sid       string
				Principal struct{ Service []string }
				Resource  []string
			}
		}
		if err := json.Unmarshal([]byte(aws.ToString(p.PolicyDocument)), &doc); err != nil || len(doc.Statement) != 1 {
			t.Fatalf("policy document %s: %v", aws.ToString(p.PolicyDocument), err)
		}
		st := doc.Statement[0]
		if st.Sid != cwlogs.DeliveryPolicyName || !slices.Equal(st.Principal.Service, []string{"delivery.logs.amazonaws.com"}) {
			t.Fatalf("delivery statement %+v", st)
		}
		return st.Resource, aws.ToString(p.PolicyDocument)
	}
	return nil, ""
}

// TestAllowDelivery: the delivery policy is created on the endpoint with
// every group in one document, read before it is written, and left alone
// when it covers the groups already; a later group is added to it.
func TestAllowDelivery(t *testing.T) {
	url := motoserver.Start(t)
	logs := motoserver.Logs(url, motoScope.Region)
	sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials})
	ctx := context.Background()
	arn := func(g string) string { return "arn:aws:logs:us-west-2:123456789012:log-group:" + g + ":log-stream:*" }

	if err := sink.AllowDelivery(ctx, motoScope, []string{"one", "two"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, doc := deliveryResources(t, logs)
	if want := []string{arn("one"), arn("two")}; !slices.Equal(got, want) {
		t.Fatalf("resources %v, want %v", got, want)
	}
	// The same document as the built-in CloudWatch Logs would write.
	first, _, _ := cwlogs.DeliveryPolicyDocument(nil, motoScope, "one")
	if want, _, _ := cwlogs.DeliveryPolicyDocument(&storage.ResourcePolicy{Document: first}, motoScope, "two"); doc != want {
		t.Errorf("document\n%s\nwant\n%s", doc, want)
	}
	if err := sink.AllowDelivery(ctx, motoScope, []string{"two"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, again := deliveryResources(t, logs); again != doc {
		t.Errorf("covered group changed the document:\n%s", again)
	}
	if err := sink.AllowDelivery(ctx, motoScope, []string{"three"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := deliveryResources(t, logs); !slices.Equal(got, []string{arn("one"), arn("two"), arn("three")}) {
		t.Errorf("resources %v after a third group", got)
	}
}

// TestAllowDeliveryPolicyLimit: with 10 other policies on the endpoint,
// its LimitExceededException is cwlogs.ErrPolicyLimit.
func TestAllowDeliveryPolicyLimit(t *testing.T) {
	url := motoserver.Start(t)
	logs := motoserver.Logs(url, motoScope.Region)
	for i := range 10 {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"es.amazonaws.com"},"Action":"logs:PutLogEvents","Resource":"*"}]}`
		if _, err := logs.PutResourcePolicy(context.Background(), &cloudwatchlogs.PutResourcePolicyInput{PolicyName: aws.String(fmt.Sprint("p", i)), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatal(err)
		}
	}
	sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials})
	if err := sink.AllowDelivery(context.Background(), motoScope, []string{"g"}, time.Now()); !errors.Is(err, cwlogs.ErrPolicyLimit) {
		t.Errorf("err = %v, want ErrPolicyLimit", err)
	}
}

// TestCheckUnreachable: an endpoint that refuses connections, or accepts
// them and never answers, gives an error within the check's timeout, never
// ErrNotFound and never a hang.
func TestCheckUnreachable(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + refused.Addr().String()
	refused.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() { // accept, read nothing, answer nothing
		var held []net.Conn
		for {
			c, err := silent.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	for name, url := range map[string]string{"refused": refusedURL, "silent": "http://" + silent.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			sink := New(Config{Endpoint: url, Credentials: motoserver.Credentials, CheckTimeout: 500 * time.Millisecond})
			start := time.Now()
			_, err := sink.LogGroupKMSKey(context.Background(), storage.LogGroupKey{Scope: motoScope, Name: "g"})
			if err == nil || errors.Is(err, storage.ErrNotFound) {
				t.Errorf("LogGroupKMSKey: err = %v, want a transport error", err)
			}
			if err := sink.AllowDelivery(context.Background(), motoScope, []string{"g"}, time.Now()); err == nil {
				t.Error("AllowDelivery: no error")
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v for two checks of 500 ms", d)
			}
		})
	}
}
