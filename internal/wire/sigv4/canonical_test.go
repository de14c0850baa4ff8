package sigv4

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestCanonicalURI(t *testing.T) {
	// Normalisation cases are those of AWS's SigV4 test suite (get-slash,
	// get-slashes, get-relative, get-slash-dot-slash, ...): the expected
	// canonical URIs follow create-signed-request.html.
	cases := []struct {
		path   string
		s3     bool
		want   string
		reason string
	}{
		{"", false, "/", "an empty path is /"},
		{"/", false, "/", "the root stays"},
		{"//example//", false, "/example/", "redundant slashes go, the trailing one stays"},
		{"/example/..", false, "/", "'..' removes the segment before it"},
		{"/example1/example2/../..", false, "/", "'..' twice"},
		{"/./", false, "/", "'.' goes"},
		{"/./example", false, "/example", "a leading '.' goes"},
		{"/..", false, "/", "'..' cannot climb above the root"},
		{"/a/b/.", false, "/a/b", "no trailing slash unless the path had one"},
		{"/example%20space/", false, "/example%2520space/", "a non-S3 path is encoded a second time"},
		{"/%E1%88%B4", false, "/%25E1%2588%25B4", "UTF-8 escapes are encoded again"},
		{"/a=b!c", false, "/a%3Db%21c", "reserved characters sent raw are encoded"},
		{"/-_.~", false, "/-_.~", "unreserved characters stay"},
		{"//example//", true, "//example//", "S3 paths are not normalised"},
		{"/example%20space/../x", true, "/example%20space/../x", "S3 paths are used as sent, encoded once"},
	}
	for _, tc := range cases {
		if got := canonicalURI(tc.path, tc.s3); got != tc.want {
			t.Errorf("canonicalURI(%q, s3=%v) = %q, want %q (%s)", tc.path, tc.s3, got, tc.want, tc.reason)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	cases := []struct {
		raw    string
		skip   string
		want   string
		reason string
	}{
		{"", "", "", "no query"},
		{"Param2=value2&Param1=value1", "", "Param1=value1&Param2=value2", "sorted by name (get-vanilla-query-order-key)"},
		{"Param1=value2&Param1=Value1", "", "Param1=Value1&Param1=value2", "same name sorted by value (get-vanilla-query-order-value)"},
		{"k=a-b&k=a%2Fb", "", "k=a%2Fb&k=a-b", "sorted after encoding: '%' sorts before '-'"},
		{"novalue&e=", "", "e=&novalue=", "a name without '=' has an empty value"},
		{"a=b+c", "", "a=b%2Bc", "'+' is a literal plus, not a space"},
		{"a=%zz&b=%4", "", "a=%25zz&b=%254", "malformed escapes are kept and encoded"},
		{"sp=x%20y&t=~", "", "sp=x%20y&t=~", "space is %20, '~' is unreserved"},
		{"&&a=1&", "", "a=1", "empty pairs are dropped"},
		{"a=1&X-Amz-Signature=abc&b=2", "X-Amz-Signature", "a=1&b=2", "a presigned URL's signature is left out"},
		{"a;b=1", "", "a%3Bb=1", "';' is not a separator"},
	}
	for _, tc := range cases {
		if got := canonicalQuery(parseQuery(tc.raw), tc.skip); got != tc.want {
			t.Errorf("canonicalQuery(%q) = %q, want %q (%s)", tc.raw, got, tc.want, tc.reason)
		}
	}
}

func TestNormalizeValue(t *testing.T) {
	cases := map[string]string{
		"a":                   "a",
		"  a   b    c  ":      "a b c",
		"\tvalue\t":           "value",
		"My-Header1: a   b  ": "My-Header1: a b",
		"":                    "",
	}
	for in, want := range cases {
		if got := normalizeValue(in); got != want {
			t.Errorf("normalizeValue(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAWSTestSuiteVanilla verifies the get-vanilla example of AWS's SigV4
// test suite: a vector independent of any SDK.
func TestAWSTestSuiteVanilla(t *testing.T) {
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	v := &Verifier{
		Keys: map[string]Key{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}},
		Now:  func() time.Time { return at },
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Host = "example.amazonaws.com"
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	id, err := v.Authenticate(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if id.Region != "us-east-1" || id.Service != "service" || id.AccountID != DefaultAccount {
		t.Fatalf("identity = %+v", id)
	}
}

// TestS3Path checks that a scope for service "s3" switches the canonical URI
// to S3's rules, by signing as the SDK's S3 client does (no second
// encoding).
func TestS3Path(t *testing.T) {
	at := testNow
	v := strictVerifier()
	for _, path := range []string{"/bucket/key%20with%20space", "/bucket//double/../dots"} {
		r := httptest.NewRequest("PUT", path, nil)
		r.Host = "localhost:9229"
		r.Header.Set("X-Amz-Content-Sha256", hashHex(nil))
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret},
			r, hashHex(nil), "s3", "us-east-1", at, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		if err != nil {
			t.Fatal(err)
		}
		id, err := v.Authenticate(r, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if id.Service != "s3" {
			t.Fatalf("identity = %+v", id)
		}
	}
}

// TestContentLengthHeader: a Go server may hand over Content-Length as a
// header; the value is the same either way.
func TestContentLengthHeader(t *testing.T) {
	r := newRequest(http.MethodPost, "/", testBody)
	signRequest(t, r, testBody, testCreds, testNow)
	r.Header.Set("Content-Length", "17")
	if _, err := strictVerifier().Authenticate(r, []byte(testBody)); err != nil {
		t.Fatal(err)
	}
}
