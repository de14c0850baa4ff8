package validate

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/model"
)

func newValidator() *Validator { return New(model.CognitoIDP()) }

func TestEveryModelPatternCompiles(t *testing.T) {
	for _, m := range []*model.Model{model.CognitoIDP(), model.Logs()} {
		if bad := Compiles(m); len(bad) > 0 {
			t.Errorf("%s patterns Go cannot enforce:\n%s", m.Metadata.ServiceID, strings.Join(bad, "\n"))
		}
	}
}

// TestValidationMessages pins AWS's texts. Sources: spec/log-delivery.md §1
// and §3 ([OBS] = seen on AWS, [EMU] = an emulator that copies AWS).
func TestValidationMessages(t *testing.T) {
	cwl := `"CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:g"}`
	cases := []struct {
		name, shape, body, want string
	}{
		{"missing list [EMU]", "SetLogDeliveryConfigurationRequest", `{"UserPoolId":"us-west-2_abc"}`,
			"1 validation error detected: Value null at 'logConfigurations' failed to satisfy constraint: Member must not be null"},
		{"explicit null is missing", "SetLogDeliveryConfigurationRequest", `{"UserPoolId":"us-west-2_abc","LogConfigurations":null}`,
			"1 validation error detected: Value null at 'logConfigurations' failed to satisfy constraint: Member must not be null"},
		{"bad log level [OBS]", "SetLogDeliveryConfigurationRequest", `{"UserPoolId":"us-west-2_abc","LogConfigurations":[{"LogLevel":"TRACE","EventSource":"userNotification",` + cwl + `}]}`,
			"1 validation error detected: Value 'TRACE' at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, INFO]"},
		{"bad event source, enum sorted [OBS]", "SetLogDeliveryConfigurationRequest", `{"UserPoolId":"us-west-2_abc","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification",` + cwl + `},{"LogLevel":"INFO","EventSource":"notAThing"}]}`,
			"1 validation error detected: Value 'notAThing' at 'logConfigurations.2.member.eventSource' failed to satisfy constraint: Member must satisfy enum value set: [userAuthEvents, userNotification]"},
		{"missing members of an element", "SetLogDeliveryConfigurationRequest", `{"UserPoolId":"us-west-2_abc","LogConfigurations":[{}]}`,
			"2 validation errors detected: Value null at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must not be null; Value null at 'logConfigurations.1.member.eventSource' failed to satisfy constraint: Member must not be null"},
		{"three entries, items printed as Java toString [EMU]", "SetLogDeliveryConfigurationRequest",
			`{"UserPoolId":"us-west-2_abc","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification",` + cwl + `},{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"arn:aws:s3:::b"}},{"LogLevel":"ERROR","EventSource":"userNotification"}]}`,
			"1 validation error detected: Value '[LogConfigurationType(logLevel=ERROR, eventSource=userNotification, cloudWatchLogsConfiguration=CloudWatchLogsConfigurationType(logGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:g), s3Configuration=null, firehoseConfiguration=null), " +
				"LogConfigurationType(logLevel=INFO, eventSource=userAuthEvents, cloudWatchLogsConfiguration=null, s3Configuration=S3ConfigurationType(bucketArn=arn:aws:s3:::b), firehoseConfiguration=null), " +
				"LogConfigurationType(logLevel=ERROR, eventSource=userNotification, cloudWatchLogsConfiguration=null, s3Configuration=null, firehoseConfiguration=null)]' at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"list length before element errors [EMU]", "SetLogDeliveryConfigurationRequest",
			`{"UserPoolId":"us-west-2_abc","LogConfigurations":[{"LogLevel":"X","EventSource":"userNotification"},{"LogLevel":"ERROR","EventSource":"userNotification"},{"LogLevel":"ERROR","EventSource":"userNotification"}]}`,
			"2 validation errors detected: Value '[LogConfigurationType(logLevel=X, eventSource=userNotification, cloudWatchLogsConfiguration=null, s3Configuration=null, firehoseConfiguration=null), LogConfigurationType(logLevel=ERROR, eventSource=userNotification, cloudWatchLogsConfiguration=null, s3Configuration=null, firehoseConfiguration=null), LogConfigurationType(logLevel=ERROR, eventSource=userNotification, cloudWatchLogsConfiguration=null, s3Configuration=null, firehoseConfiguration=null)]' at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2; " +
				"Value 'X' at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, INFO]"},
		{"pool id pattern [OBS]", "DescribeUserPoolRequest", `{"UserPoolId":"nounderscore"}`,
			"1 validation error detected: Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"pattern is a whole-value match", "DescribeUserPoolRequest", `{"UserPoolId":"us-east-1_abc!"}`,
			"1 validation error detected: Value 'us-east-1_abc!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"length before pattern", "DescribeUserPoolRequest", `{"UserPoolId":""}`,
			"2 validation errors detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		{"numeric range", "ListUserPoolsRequest", `{"MaxResults":0}`,
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"numeric range max", "ListUserPoolsRequest", `{"MaxResults":61}`,
			"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"sensitive members hide their value [OBS boto/boto3#2951]", "SignUpRequest", `{"ClientId":"abc","Username":"bob","Password":""}`,
			"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"},
		{"required null of a sensitive member", "InitiateAuthRequest", `{"AuthFlow":"USER_PASSWORD_AUTH"}`,
			"1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"nested structure path", "CreateUserPoolRequest", `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":5}}}`,
			"1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
	}
	v := newValidator()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Request(tc.shape, []byte(tc.body))
			var ae *api.Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want InvalidParameterException", err)
			}
			if ae.Code != "InvalidParameterException" || ae.Message != tc.want {
				t.Errorf("got  %s: %s\nwant InvalidParameterException: %s", ae.Code, ae.Message, tc.want)
			}
		})
	}
}

func TestLookBehindPattern(t *testing.T) {
	p := compilePattern(`^[0-9A-Za-z\.\-_]*(?<!\.)$`)
	for s, want := range map[string]bool{"bucket": true, "a.b": true, "": true, "bucket.": false, "bu/ck": false} {
		if got := p.match(s); got != want {
			t.Errorf("match(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSerializationErrors pins the Coral deserializer's texts, as an
// emulator measured them on AWS [EMU]; a body that is not JSON at all gets
// no message.
func TestSerializationErrors(t *testing.T) {
	v := newValidator()
	const set, list, create = "SetLogDeliveryConfigurationRequest", "ListUserPoolsRequest", "CreateUserPoolRequest"
	cases := []struct{ name, shape, body, want string }{
		{"list given a string [EMU floci]", set, `{"UserPoolId":"us-west-2_abc","LogConfigurations":"nope"}`, "Expected list or null"},
		{"list of numbers [EMU floci]", set, `{"UserPoolId":"us-west-2_abc","LogConfigurations":[1,2]}`, "Expected null"},
		{"string given a number", set, `{"UserPoolId":5}`, "NUMBER_VALUE can not be converted to a String"},
		{"string given true", set, `{"UserPoolId":true}`, "TRUE_VALUE can not be converted to a String"},
		{"string given an object", set, `{"UserPoolId":{}}`, "Start of structure or map found where not expected."},
		{"string given a list", set, `{"UserPoolId":[]}`, "Start of list found where not expected"},
		{"integer given a string", list, `{"MaxResults":"5"}`, "STRING_VALUE can not be converted to an Integer"},
		{"integer beyond int32", list, `{"MaxResults":4294967296}`, "NUMBER_VALUE can not be converted to an Integer"},
		{"boolean given a string", create, `{"PoolName":"p","AdminCreateUserConfig":{"AllowAdminCreateUserOnly":"yes"}}`, "STRING_VALUE can not be converted to a Boolean"},
		{"top level array", set, `[]`, "Start of list found where not expected"},
		{"top level scalar", set, `"x"`, ""},
		{"top level null", set, `null`, ""},
		{"broken JSON", set, `{"UserPoolId":`, ""},
		{"trailing comma", set, `{"UserPoolId":"a_b",}`, ""},
		{"trailing garbage", set, `{"UserPoolId":"a_b"} x`, ""},
		{"invalid UTF-8", set, "{\"UserPoolId\":\"a_\xff\"}", ""},
		{"raw control character", set, "{\"UserPoolId\":\"a_\x01\"}", ""},
	}
	for _, tc := range cases {
		_, err := v.Request(tc.shape, []byte(tc.body))
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != SerializationException || ae.Message != tc.want {
			t.Errorf("%s: err = %v, want SerializationException %q", tc.name, err, tc.want)
		}
	}
}

func TestIntegerFractionIsTruncated(t *testing.T) {
	out, err := newValidator().Request("ListUserPoolsRequest", []byte(`{"MaxResults":1.9}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"MaxResults":1}` {
		t.Errorf("out = %s", out)
	}
	_, err = newValidator().Request("ListUserPoolsRequest", []byte(`{"MaxResults":0.5}`))
	if err == nil || !strings.Contains(err.Error(), "Value '0' at 'maxResults'") {
		t.Errorf("0.5 should truncate to 0 and fail the range: %v", err)
	}
}

func TestMoreRules(t *testing.T) {
	v := newValidator()
	cases := []struct{ name, shape, body, want string }{
		{"required primitive absent is 0 [OBS aws-sdk-js-v3#2335]", "ListUserPoolsRequest", `{}`,
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"list of scalars lists every element rule [OBS]", "ListUsersRequest", `{"UserPoolId":"us-east-1_a","AttributesToGet":["ok",""]}`,
			"1 validation error detected: Value '[ok, ]' at 'attributesToGet' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 32, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+]"},
		{"map values", "TagResourceRequest", `{"ResourceArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a","Tags":{"k":"` + strings.Repeat("v", 257) + `"}}`,
			"1 validation error detected: Value '{k=" + strings.Repeat("v", 257) + "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]"},
		{"map keys before values", "TagResourceRequest", `{"ResourceArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a","Tags":{"":"` + strings.Repeat("v", 257) + `"}}`,
			"2 validation errors detected: Value '{=" + strings.Repeat("v", 257) + "}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]; " +
				"Value '{=" + strings.Repeat("v", 257) + "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]"},
	}
	for _, tc := range cases {
		_, err := v.Request(tc.shape, []byte(tc.body))
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Message != tc.want {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

func TestAtMostTenViolationsAreListed(t *testing.T) {
	var entries []string
	for i := 0; i < 12; i++ {
		entries = append(entries, `{"LogLevel":"X","EventSource":"userNotification"}`)
	}
	_, err := newValidator().Request("SetLogDeliveryConfigurationRequest", []byte(`{"UserPoolId":"a_b","LogConfigurations":[`+strings.Join(entries, ",")+`]}`))
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ae.Message, "10 validation errors detected: ") || strings.Count(ae.Message, "failed to satisfy") != 10 {
		t.Errorf("message = %s", ae.Message)
	}
	if !strings.Contains(ae.Message, "Member must have length less than or equal to 2;") {
		t.Errorf("the list length error should come first: %s", ae.Message)
	}
}

func TestRequestCleansInput(t *testing.T) {
	v := newValidator()
	body := `{"UserPoolId":"us-west-2_abc","userpoolid":"evil","Unknown":1,"LogConfigurations":[null,{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:g"}},null]}`
	out, err := v.Request("SetLogDeliveryConfigurationRequest", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var in api.SetLogDeliveryConfigurationRequest
	if err := json.Unmarshal(out, &in); err != nil {
		t.Fatal(err)
	}
	if *in.UserPoolId != "us-west-2_abc" {
		t.Errorf("UserPoolId = %q: a differently cased duplicate must not win", *in.UserPoolId)
	}
	if len(in.LogConfigurations) != 1 || *in.LogConfigurations[0].LogLevel != "ERROR" {
		t.Errorf("null elements should be dropped: %+v", in.LogConfigurations)
	}
	if strings.Contains(string(out), "Unknown") || strings.Contains(string(out), "evil") {
		t.Errorf("unknown members kept: %s", out)
	}
}

func TestEmptyBodyIsEmptyObject(t *testing.T) {
	_, err := newValidator().Request("DescribeUserPoolRequest", nil)
	var ae *api.Error
	if !errors.As(err, &ae) || !strings.Contains(ae.Message, "Value null at 'userPoolId'") {
		t.Errorf("err = %v", err)
	}
}
