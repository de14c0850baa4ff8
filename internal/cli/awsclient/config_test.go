package awsclient

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/clierr"
)

const testConfig = `[default]
region = eu-west-1
output = table
cli_pager =
aws_access_key_id = AKIDCONFIGDEFAULT
aws_secret_access_key = secretconfigdefault

[profile dev]
region = ap-south-1
output = text
cli_timestamp_format = wire
endpoint_url = http://dev.example:9229

[profile svc]
region = us-west-2
services = local
endpoint_url = http://profile.example:1

[services local]
cognito_identity_provider =
    endpoint_url = http://services.example:2

[profile badsvc]
region = us-west-2
services = missing

[profile onlyconfig]
region = us-east-2
aws_access_key_id = AKIDONLYCONFIG
aws_secret_access_key = secretonlyconfig

[profile partial]
region = us-east-2
aws_access_key_id = AKIDPARTIAL

[profile retries]
region = us-east-1
max_attempts = 7
retry_mode = adaptive

[profile fips]
region = us-east-1
use_fips_endpoint = true
`

const testCredentials = `[default]
aws_access_key_id = AKIDCREDSDEFAULT
aws_secret_access_key = secretcredsdefault

[dev]
aws_access_key_id = AKIDCREDSDEV
aws_secret_access_key = secretcredsdev
aws_session_token = tokendev

[credsonly]
aws_access_key_id = AKIDCREDSONLY
aws_secret_access_key = secretcredsonly
region = sa-east-1
`

func TestRegionPrecedence(t *testing.T) {
	cases := []struct {
		name    string
		flag    string
		env     map[string]string
		profile string
		want    string
	}{
		{"profile default", "", nil, "", "eu-west-1"},
		{"named profile", "", nil, "dev", "ap-south-1"},
		{"AWS_PROFILE", "", map[string]string{"AWS_PROFILE": "dev"}, "", "ap-south-1"},
		{"AWS_DEFAULT_PROFILE", "", map[string]string{"AWS_DEFAULT_PROFILE": "dev"}, "", "ap-south-1"},
		{"AWS_PROFILE over AWS_DEFAULT_PROFILE", "", map[string]string{"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "svc"}, "", "ap-south-1"},
		{"AWS_DEFAULT_REGION over profile", "", map[string]string{"AWS_DEFAULT_REGION": "ca-central-1"}, "dev", "ca-central-1"},
		{"AWS_REGION over AWS_DEFAULT_REGION", "", map[string]string{"AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "ca-central-1"}, "dev", "eu-north-1"},
		{"--region over all", "me-south-1", map[string]string{"AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "ca-central-1"}, "dev", "me-south-1"},
		{"credentials file region", "", nil, "credsonly", "sa-east-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			writeAWSFiles(t, home, testConfig, testCredentials)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, s, err := New(context.Background(), Config{Region: tc.flag, Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			if c.Region() != tc.want || s["region"] != tc.want {
				t.Fatalf("region %q settings %q, want %q", c.Region(), s["region"], tc.want)
			}
		})
	}
}

func TestSettings(t *testing.T) {
	home := isolate(t)
	writeAWSFiles(t, home, testConfig, testCredentials)
	_, s, err := New(context.Background(), Config{Profile: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"region": "ap-south-1", "output": "text", "cli_timestamp_format": "wire", "endpoint_url": "http://dev.example:9229"}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("settings[%q] = %q, want %q", k, s[k], v)
		}
	}
	for _, secret := range []string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token"} {
		if _, ok := s[secret]; ok {
			t.Errorf("settings leak %s", secret)
		}
	}
	_, s, err = New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s["cli_pager"]; !ok || v != "" {
		t.Errorf("cli_pager = %q %v, want empty and present", v, ok)
	}
	if s["output"] != "table" {
		t.Errorf("output = %q", s["output"])
	}
}

func TestNewErrors(t *testing.T) {
	cases := []struct {
		name     string
		cfg      Config
		env      map[string]string
		files    bool
		kind     clierr.Kind
		code     string
		msg      string
		settings bool
	}{
		{"unknown --profile", Config{Profile: "nope"}, nil, true, clierr.Other, "", "The config profile (nope) could not be found", false},
		{"unknown AWS_PROFILE", Config{}, map[string]string{"AWS_PROFILE": "nope"}, true, clierr.Other, "", "The config profile (nope) could not be found", false},
		{"named default without files", Config{Profile: "default", Region: "us-east-1"}, nil, false, clierr.Other, "", "The config profile (default) could not be found", false},
		{"no region", Config{}, nil, false, clierr.Config, "NoRegion", `You must specify a region. You can also configure your region by running "aws configure".`, true},
		{"no region with endpoint", Config{EndpointURL: "http://127.0.0.1:9229"}, nil, false, clierr.Config, "NoRegion", `You must specify a region. You can also configure your region by running "aws configure".`, true},
		{"endpoint without scheme", Config{EndpointURL: "127.0.0.1:9229", Region: "us-east-1"}, nil, false, clierr.ParamParse, "",
			`Bad value for --endpoint-url "127.0.0.1:9229": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/`, false},
		{"endpoint without host", Config{EndpointURL: "localhost:9229", Region: "us-east-1"}, nil, false, clierr.Other, "", "Invalid endpoint: localhost:9229", true},
		{"bad region", Config{Region: "bad region"}, nil, false, clierr.Other, "", "Provided region_name 'bad region' doesn't match a supported format.", true},
		{"max_attempts 0", Config{Region: "us-east-1"}, map[string]string{"AWS_MAX_ATTEMPTS": "0"}, false, clierr.Other, "",
			`Value provided to "max_attempts": 0 must be an integer greater than or equal to one.`, true},
		{"max_attempts abc", Config{Region: "us-east-1"}, map[string]string{"AWS_MAX_ATTEMPTS": "abc"}, false, clierr.Other, "",
			"invalid literal for int() with base 10: 'abc'", true},
		{"retry mode legacy", Config{Region: "us-east-1"}, map[string]string{"AWS_RETRY_MODE": "legacy"}, false, clierr.Other, "",
			`Invalid value provided to "mode": "legacy" must be one of: "standard" or "adaptive"`, true},
		{"fips with custom endpoint", Config{Region: "us-east-1", EndpointURL: "http://x"}, map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, false, clierr.Other, "",
			"Invalid Configuration: FIPS and custom endpoint are not supported", true},
		{"missing services section", Config{Profile: "badsvc"}, nil, true, clierr.Other, "",
			`The profile is configured to use the services section but the "missing" services configuration does not exist.`, true},
		{"blank CA bundle", Config{Region: "us-east-1", CABundle: " "}, nil, false, clierr.Other, "",
			"Invalid CA bundle: the configured value (ca_bundle, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE, or verify) resolved to an empty or whitespace-only string. Provide a valid path to a CA bundle file.", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			if tc.files {
				writeAWSFiles(t, home, testConfig, testCredentials)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, s, err := New(context.Background(), tc.cfg)
			if err == nil {
				t.Fatal("no error")
			}
			ce := asCLIErr(t, err)
			if ce.Kind != tc.kind || ce.Code != tc.code || ce.Message != tc.msg {
				t.Fatalf("got kind %v code %q msg %q\nwant kind %v code %q msg %q", ce.Kind, ce.Code, ce.Message, tc.kind, tc.code, tc.msg)
			}
			if (s != nil) != tc.settings {
				t.Fatalf("settings returned = %v, want %v", s != nil, tc.settings)
			}
		})
	}
}

func TestUnparsableConfig(t *testing.T) {
	home := isolate(t)
	writeAWSFiles(t, home, "region = us-east-1\n", "")
	_, _, err := New(context.Background(), Config{Region: "us-east-1"})
	ce := asCLIErr(t, err)
	want := "Unable to parse config file: " + filepath.Join(home, ".aws", "config")
	if ce.Kind != clierr.Other || ce.Message != want {
		t.Fatalf("got %v %q, want %q", ce.Kind, ce.Message, want)
	}
}

func TestEndpointPrecedence(t *testing.T) {
	cases := []struct {
		name    string
		flag    string
		env     map[string]string
		profile string
		want    string
	}{
		{"default rules", "", nil, "onlyconfig", "https://cognito-idp.us-east-2.amazonaws.com/"},
		{"profile endpoint_url", "", nil, "dev", "http://dev.example:9229/"},
		{"services section over profile endpoint_url", "", nil, "svc", "http://services.example:2/"},
		{"AWS_ENDPOINT_URL over config", "", map[string]string{"AWS_ENDPOINT_URL": "http://global.example:3"}, "svc", "http://global.example:3/"},
		{"service variable over AWS_ENDPOINT_URL", "", map[string]string{"AWS_ENDPOINT_URL": "http://global.example:3", endpointEnvVar: "http://service.example:4/base"}, "svc", "http://service.example:4/base"},
		{"--endpoint-url over all", "https://flag.example:5", map[string]string{"AWS_ENDPOINT_URL": "http://global.example:3", endpointEnvVar: "http://service.example:4"}, "svc", "https://flag.example:5/"},
		{"ignore configured endpoints", "", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://global.example:3"}, "dev", "https://cognito-idp.ap-south-1.amazonaws.com/"},
		{"ignore does not drop --endpoint-url", "http://flag.example", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "dev", "http://flag.example/"},
		{"empty variable falls through", "", map[string]string{endpointEnvVar: ""}, "dev", "http://dev.example:9229/"},
		{"query kept", "http://127.0.0.1:9/x?y=1", nil, "dev", "http://127.0.0.1:9/x?y=1"},
		{"fips", "", nil, "fips", "https://cognito-idp-fips.us-east-1.amazonaws.com/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			writeAWSFiles(t, home, testConfig, testCredentials)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, _, err := New(context.Background(), Config{EndpointURL: tc.flag, Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			if c.url != tc.want {
				t.Fatalf("url %q, want %q", c.url, tc.want)
			}
		})
	}
}

func TestRetrySettings(t *testing.T) {
	home := isolate(t)
	writeAWSFiles(t, home, testConfig, testCredentials)
	c, _, err := New(context.Background(), Config{Profile: "retries"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAttempts() != 7 || c.retryMode != "adaptive" {
		t.Fatalf("profile: %d %s", c.MaxAttempts(), c.retryMode)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", " 2 ")
	t.Setenv("AWS_RETRY_MODE", "standard")
	c, _, err = New(context.Background(), Config{Profile: "retries"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAttempts() != 2 || c.retryMode != "standard" {
		t.Fatalf("env: %d %s", c.MaxAttempts(), c.retryMode)
	}
	c, _, err = New(context.Background(), Config{Profile: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAttempts() != 2 {
		t.Fatalf("default: %d", c.MaxAttempts())
	}
}

func TestCredentialPrecedence(t *testing.T) {
	envKeys := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secretenv"}
	merge := func(ms ...map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	cases := []struct {
		name      string
		profile   string
		env       map[string]string
		wantKey   string
		wantToken string
		wantLog   string
	}{
		{"env keys", "", envKeys, "AKIDENV", "", "Found credentials in environment variables."},
		{"env session token", "", merge(envKeys, map[string]string{"AWS_SESSION_TOKEN": "tok"}), "AKIDENV", "tok", ""},
		{"AWS_SECURITY_TOKEN first", "", merge(envKeys, map[string]string{"AWS_SESSION_TOKEN": "tok", "AWS_SECURITY_TOKEN": "sec"}), "AKIDENV", "sec", ""},
		{"AWS_PROFILE keeps env keys", "", merge(envKeys, map[string]string{"AWS_PROFILE": "dev"}), "AKIDENV", "", ""},
		{"--profile disables env keys", "dev", envKeys, "AKIDCREDSDEV", "tokendev", "Found credentials in shared credentials file: ~/.aws/credentials"},
		{"credentials file over config file", "", nil, "AKIDCREDSDEFAULT", "", ""},
		{"config file", "onlyconfig", nil, "AKIDONLYCONFIG", "", "Credentials found in config file: ~/.aws/config"},
		{"AWS_PROFILE profile", "", map[string]string{"AWS_PROFILE": "dev"}, "AKIDCREDSDEV", "tokendev", ""},
		{"empty AWS_ACCESS_KEY_ID is skipped", "", map[string]string{"AWS_ACCESS_KEY_ID": ""}, "AKIDCREDSDEFAULT", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			writeAWSFiles(t, home, testConfig, testCredentials)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var log strings.Builder
			c, _, err := New(context.Background(), Config{Profile: tc.profile, Debug: &log})
			if err != nil {
				t.Fatal(err)
			}
			cr, err := c.retrieveCredentials(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cr.AccessKeyID != tc.wantKey || cr.SessionToken != tc.wantToken {
				t.Fatalf("got %q/%q, want %q/%q", cr.AccessKeyID, cr.SessionToken, tc.wantKey, tc.wantToken)
			}
			if tc.wantLog != "" && !strings.Contains(log.String(), " - botocore.credentials - INFO - "+tc.wantLog+"\n") {
				t.Fatalf("log lacks %q:\n%s", tc.wantLog, log.String())
			}
		})
	}
}

func TestCredentialErrors(t *testing.T) {
	cases := []struct {
		name    string
		profile string
		env     map[string]string
		files   bool
		kind    clierr.Kind
		code    string
		msg     string
	}{
		{"none", "", map[string]string{"AWS_DEFAULT_REGION": "us-east-1"}, false, clierr.Config, "NoCredentials",
			`Unable to locate credentials. You can configure credentials by running "aws login".`},
		{"env secret missing", "", map[string]string{"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID"}, false, clierr.Other, "",
			"Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"},
		{"config file secret missing", "partial", nil, true, clierr.Other, "",
			"Partial credentials found in config-file, missing: aws_secret_access_key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			if tc.files {
				writeAWSFiles(t, home, testConfig, testCredentials)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, _, err := New(context.Background(), Config{Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{"MaxResults": 5}`))
			ce := asCLIErr(t, err)
			if ce.Kind != tc.kind || ce.Code != tc.code || ce.Message != tc.msg {
				t.Fatalf("got %v %q %q", ce.Kind, ce.Code, ce.Message)
			}
		})
	}
}

func TestCustomFilePaths(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	t.Setenv("CFGDIR", dir)
	if err := os.WriteFile(filepath.Join(dir, "cfg"), []byte("[profile x]\nregion = eu-central-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "creds"), []byte("[x]\naws_access_key_id = AKIDX\naws_secret_access_key = s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", "$CFGDIR/cfg")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "${CFGDIR}/creds")
	var log strings.Builder
	c, _, err := New(context.Background(), Config{Profile: "x", Debug: &log})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != "eu-central-1" {
		t.Fatalf("region %q", c.Region())
	}
	cr, err := c.retrieveCredentials(context.Background())
	if err != nil || cr.AccessKeyID != "AKIDX" {
		t.Fatalf("%v %v", cr, err)
	}
	if !strings.Contains(log.String(), "Found credentials in shared credentials file: ${CFGDIR}/creds") {
		t.Fatalf("log:\n%s", log.String())
	}
}

func TestNoSignRequestNeedsNoCredentials(t *testing.T) {
	isolate(t)
	c, _, err := New(context.Background(), Config{Region: "us-east-1", NoSignRequest: true, EndpointURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	c.maxAttempts = 1
	_, err = c.Call(context.Background(), op(t, "ListUserPools"), []byte(`{}`))
	ce := asCLIErr(t, err)
	if ce.Code == "NoCredentials" || !strings.HasPrefix(ce.Message, "Could not connect to the endpoint URL") {
		t.Fatalf("got %v", ce)
	}
}

func TestCredentialProcessViaSDK(t *testing.T) {
	home := isolate(t)
	script := filepath.Join(home, "creds.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\"}'\n"), 0o700)
	writeAWSFiles(t, home, "[profile proc]\nregion = us-east-1\ncredential_process = "+script+"\n", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secretenv")
	var log strings.Builder
	c, _, err := New(context.Background(), Config{Profile: "proc", Debug: &log})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := c.retrieveCredentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cr.AccessKeyID != "AKIDPROCESS" || cr.SessionToken != "t" {
		t.Fatalf("got %+v", cr)
	}
	if !strings.Contains(log.String(), "Found credentials via: custom-process") {
		t.Fatalf("log:\n%s", log.String())
	}
	// A failing process is reported, not "Unable to locate credentials".
	writeAWSFiles(t, home, "[profile proc]\nregion = us-east-1\ncredential_process = /bin/false\n", "")
	c, _, err = New(context.Background(), Config{Profile: "proc"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.retrieveCredentials(context.Background())
	ce := asCLIErr(t, err)
	t.Log(ce.Message)
	if ce.Kind != clierr.Other || ce.Code == "NoCredentials" {
		t.Fatalf("got %v", ce)
	}
}
