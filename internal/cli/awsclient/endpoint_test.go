package awsclient

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

type endpointCase struct {
	Region    string `json:"region"`
	FIPS      bool   `json:"fips"`
	DualStack bool   `json:"dualstack"`
	want      string // botocore 1.43.11's answer (pinned)
}

var endpointCases = []endpointCase{
	{Region: "us-east-1", want: "https://cognito-idp.us-east-1.amazonaws.com"},
	{Region: "us-west-2", want: "https://cognito-idp.us-west-2.amazonaws.com"},
	{Region: "eu-west-1", want: "https://cognito-idp.eu-west-1.amazonaws.com"},
	{Region: "ap-southeast-5", want: "https://cognito-idp.ap-southeast-5.amazonaws.com"},
	{Region: "cn-north-1", want: "https://cognito-idp.cn-north-1.amazonaws.com.cn"},
	{Region: "cn-northwest-1", want: "https://cognito-idp.cn-northwest-1.amazonaws.com.cn"},
	{Region: "us-gov-west-1", want: "https://cognito-idp.us-gov-west-1.amazonaws.com"},
	{Region: "us-gov-east-1", want: "https://cognito-idp.us-gov-east-1.amazonaws.com"},
	{Region: "us-iso-east-1", want: "https://cognito-idp.us-iso-east-1.c2s.ic.gov"},
	{Region: "us-isob-east-1", want: "https://cognito-idp.us-isob-east-1.sc2s.sgov.gov"},
	{Region: "us-east-1", FIPS: true, want: "https://cognito-idp-fips.us-east-1.amazonaws.com"},
	{Region: "us-gov-west-1", FIPS: true, want: "https://cognito-idp-fips.us-gov-west-1.amazonaws.com"},
	{Region: "cn-north-1", FIPS: true, want: "https://cognito-idp-fips.cn-north-1.amazonaws.com.cn"},
	{Region: "us-east-1", DualStack: true, want: "https://cognito-idp.us-east-1.amazonaws.com"},
	{Region: "cn-north-1", DualStack: true, want: "https://cognito-idp.cn-north-1.api.amazonwebservices.com.cn"},
	{Region: "us-gov-west-1", DualStack: true, want: "https://cognito-idp.us-gov-west-1.api.aws"},
	{Region: "eu-west-1", FIPS: true, DualStack: true, want: "https://cognito-idp-fips.eu-west-1.api.aws"},
	{Region: "us-east-1", FIPS: true, DualStack: true, want: "https://cognito-idp-fips.us-east-1.amazonaws.com"},
}

const botocoreEndpointScript = `
import json, sys
import botocore.session, botocore.config
s = botocore.session.get_session()
out = []
for case in json.loads(sys.stdin.read()):
    try:
        c = s.create_client('cognito-idp', region_name=case['region'], aws_access_key_id='a', aws_secret_access_key='b',
            config=botocore.config.Config(use_fips_endpoint=case['fips'], use_dualstack_endpoint=case['dualstack']))
        op = c.meta.service_model.operation_model('ListUserPools')
        out.append(c._ruleset_resolver.construct_endpoint(op, {}, {}).url)
    except Exception as e:
        out.append('ERROR ' + str(e))
print(json.dumps(out))
`

func cognateEndpoint(t *testing.T, tc endpointCase) string {
	t.Helper()
	isolate(t)
	if tc.FIPS {
		t.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	}
	if tc.DualStack {
		t.Setenv("AWS_USE_DUALSTACK_ENDPOINT", "true")
	}
	c, _, err := New(context.Background(), Config{Region: tc.Region})
	if err != nil {
		t.Fatal(err)
	}
	return c.Endpoint()
}

func endpointName(tc endpointCase) string {
	return fmt.Sprintf("%s/fips=%v/dualstack=%v", tc.Region, tc.FIPS, tc.DualStack)
}

func TestDefaultEndpointsPinned(t *testing.T) {
	for _, tc := range endpointCases {
		t.Run(endpointName(tc), func(t *testing.T) {
			if got := cognateEndpoint(t, tc); got != tc.want {
				t.Fatalf("endpoint %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDefaultEndpointsMatchBotocore(t *testing.T) {
	isolate(t)
	in, _ := json.Marshal(endpointCases)
	var boto []string
	runPythonStdin(t, botocoreEndpointScript, in, &boto)
	for i, tc := range endpointCases {
		t.Run(endpointName(tc), func(t *testing.T) {
			if boto[i] != tc.want {
				t.Errorf("botocore says %q, pinned %q", boto[i], tc.want)
			}
			if got := cognateEndpoint(t, tc); got != boto[i] {
				t.Errorf("endpoint %q, botocore %q", got, boto[i])
			}
		})
	}
}

func TestURLHelpers(t *testing.T) {
	joins := []struct{ endpoint, want string }{
		{"https://cognito-idp.us-east-1.amazonaws.com", "https://cognito-idp.us-east-1.amazonaws.com/"},
		{"http://127.0.0.1:9229/", "http://127.0.0.1:9229/"},
		{"http://127.0.0.1:9229/base", "http://127.0.0.1:9229/base"},
		{"http://127.0.0.1:9/x?y=1", "http://127.0.0.1:9/x?y=1"},
		{"HTTP://Example.com", "http://Example.com/"},
	}
	for _, j := range joins {
		if got := urlJoin(j.endpoint, "/"); got != j.want {
			t.Errorf("urlJoin(%q) = %q, want %q", j.endpoint, got, j.want)
		}
	}
	valid := map[string]bool{
		"http://127.0.0.1:9229":    true,
		"https://a.b-c.example/x":  true,
		"localhost:9229":           false,
		"http://":                  false,
		"http://a_b":               false,
		"http://-a.example":        false,
		"http://[::1]:9229/":       true,
		"http://[fe80::1%25eth0]/": true,
		"http://user:pw@host:1/":   true,
		"http://example.com.":      true,
		"file:///etc/passwd":       false,
		"http://exa mple.com/":     false,
		"https://cognito-idp.cn-north-1.amazonaws.com.cn": true,
	}
	for u, want := range valid {
		if got := validEndpointURL(u); got != want {
			t.Errorf("validEndpointURL(%q) = %v, want %v", u, got, want)
		}
	}
	schemes := map[string]string{"127.0.0.1:9229": "", "localhost:9229": "localhost", "http://x": "http", "1http://x": "", "": ""}
	for u, want := range schemes {
		if got, _, _, _ := pyURLSplit(u); got != want {
			t.Errorf("scheme(%q) = %q, want %q", u, got, want)
		}
	}
}
