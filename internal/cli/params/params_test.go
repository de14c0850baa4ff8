package params

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

func tok(member string, tokens ...string) Arg {
	return Arg{Member: member, Option: "--" + names.Xform(member), Tokens: tokens}
}

func flag(member string, v bool) Arg { return Arg{Member: member, Bool: &v} }

func ptr(s string) *string { return &s }

// bodyOf builds and serialises, failing the test on error.
func bodyOf(t *testing.T, opName string, o Options, args ...Arg) string {
	t.Helper()
	m := model.CognitoIDP()
	op := m.Operation(opName)
	params, err := Build(m, op, args, o)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	body, err := Body(m, op, params)
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	return string(body)
}

// buildErr builds and returns the *clierr.Error, failing if there is none.
func buildErr(t *testing.T, opName string, o Options, args ...Arg) *clierr.Error {
	t.Helper()
	m := model.CognitoIDP()
	v, err := Build(m, m.Operation(opName), args, o)
	if err == nil {
		t.Fatalf("Build succeeded: %s", newPy().repr(v))
	}
	var ce *clierr.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %T %v is not a *clierr.Error", err, err)
	}
	return ce
}

func TestBuildBodies(t *testing.T) {
	cases := []struct {
		name string
		op   string
		o    Options
		args []Arg
		want string
	}{
		{"shorthand, one element per token", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "us-west-2_EXAMPLE"), tok("LogConfigurations",
				"LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported}",
				"LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::amzn-s3-demo-bucket1}")},
			`{"UserPoolId": "us-west-2_EXAMPLE", "LogConfigurations": [{"LogLevel": "ERROR", "EventSource": "userNotification", "CloudWatchLogsConfiguration": {"LogGroupArn": "arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported"}}, {"LogLevel": "INFO", "EventSource": "userAuthEvents", "S3Configuration": {"BucketArn": "arn:aws:s3:::amzn-s3-demo-bucket1"}}]}`},
		{"enum and list max are not validated", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", "LogLevel=DEBUG,EventSource=x", "LogLevel=DEBUG,EventSource=x", "LogLevel=DEBUG,EventSource=x")},
			`{"UserPoolId": "p", "LogConfigurations": [{"LogLevel": "DEBUG", "EventSource": "x"}, {"LogLevel": "DEBUG", "EventSource": "x"}, {"LogLevel": "DEBUG", "EventSource": "x"}]}`},
		{"JSON list in one token", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", ` [{"EventSource": "x", "LogLevel": "INFO"}]`)},
			`{"UserPoolId": "p", "LogConfigurations": [{"EventSource": "x", "LogLevel": "INFO"}]}`},
		{"JSON objects, one per token", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", `{"LogLevel": "INFO", "EventSource": "a"}`, `{"LogLevel": "ERROR", "EventSource": "b"}`)},
			`{"UserPoolId": "p", "LogConfigurations": [{"LogLevel": "INFO", "EventSource": "a"}, {"LogLevel": "ERROR", "EventSource": "b"}]}`},
		{"coercion of integers and booleans inside shorthand", "UpdateUserPool", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("Policies", "PasswordPolicy={MinimumLength=8,RequireUppercase=TRUE,RequireNumbers=false},SignInPolicy={AllowedFirstAuthFactors=PASSWORD}")},
			`{"UserPoolId": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true, "RequireNumbers": false}, "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}}}`},
		{"map shorthand", "AdminConfirmSignUp", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("Username", "u"), tok("ClientMetadata", "k1=v1,k2=v2")},
			`{"UserPoolId": "p", "Username": "u", "ClientMetadata": {"k1": "v1", "k2": "v2"}}`},
		{"integer and boolean options", "ListUsers", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("AttributesToGet", "email", "name"), tok("Limit", " 10\n")},
			`{"UserPoolId": "p", "AttributesToGet": ["email", "name"], "Limit": 10}`},
		{"boolean flags", "AdminSetUserPassword", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("Username", "u"), tok("Password", "pw"), flag("Permanent", false)},
			`{"UserPoolId": "p", "Username": "u", "Password": "pw", "Permanent": false}`},
		{"non-ASCII is escaped in the body", "GetUser", Options{},
			[]Arg{tok("AccessToken", "é\U0001F600\"\\\n")},
			`{"AccessToken": "\u00e9\ud83d\ude00\"\\\n"}`},
		{"document from JSON", "CreateManagedLoginBranding", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("ClientId", "c"), tok("Settings", `{"b": [1, 2.5, null, true], "a": {}}`)},
			`{"UserPoolId": "p", "ClientId": "c", "Settings": {"b": [1, 2.5, null, true], "a": {}}}`},
		{"cli-input-json merge: explicit options win", "SetLogDeliveryConfiguration",
			Options{CLIInputJSON: ptr(`{"LogConfigurations": [{"LogLevel": "INFO", "EventSource": "x"}], "UserPoolId": "from-json"}`)},
			[]Arg{tok("UserPoolId", "explicit")},
			`{"UserPoolId": "explicit", "LogConfigurations": [{"LogLevel": "INFO", "EventSource": "x"}]}`},
		{"cli-input-json keys come after the options, in file order", "AdminConfirmSignUp",
			Options{CLIInputJSON: ptr(`{"Username": "u", "ClientMetadata": {"z": "1", "a": "2"}}`)},
			[]Arg{tok("UserPoolId", "p")},
			`{"UserPoolId": "p", "Username": "u", "ClientMetadata": {"z": "1", "a": "2"}}`},
		{"cli-input-yaml", "SetLogDeliveryConfiguration",
			Options{CLIInputYAML: ptr("UserPoolId: p\nLogConfigurations:\n- LogLevel: ERROR\n  EventSource: userNotification\n")},
			nil,
			`{"UserPoolId": "p", "LogConfigurations": [{"LogLevel": "ERROR", "EventSource": "userNotification"}]}`},
		{"blob base64 decoded, sent base64", "SetUICustomization", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("ImageFile", "aGVs bG8=")},
			`{"UserPoolId": "p", "ImageFile": "aGVsbG8="}`},
		{"blob raw-in-base64-out", "SetUICustomization", Options{BinaryFormat: BinaryRawInBase64Out},
			[]Arg{tok("UserPoolId", "p"), tok("ImageFile", "héllo")},
			`{"UserPoolId": "p", "ImageFile": "aMOpbGxv"}`},
		{"blob in cli-input-json is decoded too", "CreateManagedLoginBranding",
			Options{CLIInputJSON: ptr(`{"Assets": [{"Category": "FAVICON_ICO", "ColorMode": "LIGHT", "Extension": "ICO", "Bytes": "AAEC"}]}`)},
			[]Arg{tok("UserPoolId", "p"), tok("ClientId", "c")},
			`{"UserPoolId": "p", "ClientId": "c", "Assets": [{"Category": "FAVICON_ICO", "ColorMode": "LIGHT", "Extension": "ICO", "Bytes": "AAEC"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := bodyOf(t, tc.op, tc.o, tc.args...); got != tc.want {
				t.Errorf("body\ngot  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		op   string
		o    Options
		args []Arg
		kind clierr.Kind
		msg  string
	}{
		{"missing param file", "GetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "file:///nonexistent.json")}, clierr.ParamParse,
			"Error parsing parameter '--user-pool-id': Unable to load paramfile file:///nonexistent.json: [Errno 2] No such file or directory: '/nonexistent.json'"},
		{"directory as param file", "GetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "file://"+dir)}, clierr.ParamParse,
			"Error parsing parameter '--user-pool-id': Unable to load paramfile file://" + dir + ": [Errno 21] Is a directory: '" + dir + "'"},
		{"undecodable text file", "GetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "file://"+write("bin", "\xff\x00"))}, clierr.ParamParse,
			"Error parsing parameter '--user-pool-id': Unable to load paramfile (" + filepath.Join(dir, "bin") + "), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix."},
		{"validation: min length, collected", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", ""), tok("LogConfigurations", "LogLevel=ERROR,EventSource=userNotification,Foo=1", "EventSource=x")}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid length for parameter UserPoolId, value: 0, valid min length: 1\nUnknown parameter in LogConfigurations[0]: \"Foo\", must be one of: LogLevel, EventSource, CloudWatchLogsConfiguration, S3Configuration, FirehoseConfiguration\nMissing required parameter in LogConfigurations[1]: \"LogLevel\""},
		{"validation: unknown top-level key from cli-input-json", "GetLogDeliveryConfiguration",
			Options{CLIInputJSON: ptr(`{"UserPoolId": "p", "Bogus": 1}`)}, nil, clierr.ParamValidation,
			"Parameter validation failed:\nUnknown parameter in input: \"Bogus\", must be one of: UserPoolId"},
		{"validation: boolean that is not true/false", "UpdateUserPool", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("Policies", "PasswordPolicy={RequireUppercase=yes}")}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid type for parameter Policies.PasswordPolicy.RequireUppercase, value: yes, type: <class 'str'>, valid types: <class 'bool'>"},
		{"validation: min value", "ListUserPools", Options{}, []Arg{tok("MaxResults", "0")}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid value for parameter MaxResults, value: 0, valid min value: 1"},
		{"validation: required, from cli-input", "SetLogDeliveryConfiguration", Options{CLIInputJSON: ptr(`{}`)}, nil, clierr.ParamValidation,
			"Parameter validation failed:\nMissing required parameter in input: \"UserPoolId\"\nMissing required parameter in input: \"LogConfigurations\""},
		{"validation: JSON values keep their types (OrderedDict)", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", `[{"LogLevel": {"a": 1}, "EventSource": 5}]`)}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid type for parameter LogConfigurations[0].LogLevel, value: OrderedDict({'a': 1}), type: <class 'collections.OrderedDict'>, valid types: <class 'str'>\nInvalid type for parameter LogConfigurations[0].EventSource, value: 5, type: <class 'int'>, valid types: <class 'str'>"},
		{"validation: a list param from a shorthand file is a dict", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", "file://"+write("sh.txt", "LogLevel=ERROR,EventSource=x"))}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid type for parameter LogConfigurations, value: {'LogLevel': 'ERROR', 'EventSource': 'x'}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>"},
		{"validation: bytes for a string", "GetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "fileb://"+write("b.dat", "a'\x00"))}, clierr.ParamValidation,
			"Parameter validation failed:\nInvalid type for parameter UserPoolId, value: b\"a'\\x00\", type: <class 'bytes'>, valid types: <class 'str'>"},
		{"invalid JSON", "SetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "p"), tok("LogConfigurations", `[{"LogLevel": }]`)}, clierr.ParamParse,
			"Error parsing parameter '--log-configurations': Invalid JSON: Expecting value: line 1 column 15 (char 14)\nJSON received: [{\"LogLevel\": }]"},
		{"JSON first, then shorthand", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", `{"LogLevel": "INFO", "EventSource": "a"}`, "LogLevel=ERROR,EventSource=b")}, clierr.ParamParse,
			"Error parsing parameter '--log-configurations': Invalid JSON:\nLogLevel=ERROR,EventSource=b"},
		{"shorthand first, then JSON", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", "LogLevel=ERROR,EventSource=b", `{"LogLevel": "INFO"}`)}, clierr.ParamParse,
			"Error parsing parameter '--log-configurations': Expected: '=', received: '{' for input:\n {\"LogLevel\": \"INFO\"}\n^"},
		{"duplicate shorthand key", "SetLogDeliveryConfiguration", Options{},
			[]Arg{tok("UserPoolId", "p"), tok("LogConfigurations", "LogLevel=INFO,EventSource=userAuthEvents,LogLevel=ERROR")}, clierr.ParamParse,
			"Error parsing parameter '--log-configurations': Second instance of key \"LogLevel\" encountered for input:\nLogLevel=INFO,EventSource=userAuthEvents,LogLevel=ERROR\n                                         ^\nThis is often because there is a preceding \",\" instead of a space."},
		{"structure given a JSON list", "AdminConfirmSignUp", Options{}, []Arg{tok("UserPoolId", "p"), tok("Username", "u"), tok("ClientMetadata", " [1]")}, clierr.ParamParse,
			"Error parsing parameter '--client-metadata': Invalid JSON:\n [1]"},
		{"document does not take shorthand", "CreateManagedLoginBranding", Options{}, []Arg{tok("UserPoolId", "p"), tok("ClientId", "c"), tok("Settings", "a=b")}, clierr.ParamParse,
			"Error parsing parameter '--settings': Invalid JSON: Expecting value: line 1 column 1 (char 0)\nJSON received: a=b"},
		{"int() failure is uncaught", "ListUserPools", Options{}, []Arg{tok("MaxResults", "abc")}, clierr.Other,
			"invalid literal for int() with base 10: 'abc'"},
		{"int() failure inside shorthand is uncaught", "UpdateUserPool", Options{}, []Arg{tok("UserPoolId", "p"), tok("Policies", "PasswordPolicy={MinimumLength=eight}")}, clierr.Other,
			"invalid literal for int() with base 10: 'eight'"},
		{"int() of a list inside shorthand", "UpdateUserPool", Options{}, []Arg{tok("UserPoolId", "p"), tok("Policies", "PasswordPolicy={MinimumLength=[1]}")}, clierr.Other,
			"int() argument must be a string, a bytes-like object or a real number, not 'list'"},
		{"empty JSON-ish list element", "SetLogDeliveryConfiguration", Options{}, []Arg{tok("UserPoolId", "p"), tok("LogConfigurations", `{"LogLevel": "INFO"}`, " ")}, clierr.Other,
			"string index out of range"},
		{"invalid base64", "SetUICustomization", Options{}, []Arg{tok("UserPoolId", "p"), tok("ImageFile", "abcde")}, clierr.Other,
			`Invalid base64: "abcde"`},
		{"non-ASCII base64", "SetUICustomization", Options{}, []Arg{tok("UserPoolId", "p"), tok("ImageFile", "é")}, clierr.Other,
			"string argument should contain only ASCII characters"},
		{"two --cli-input-*", "GetLogDeliveryConfiguration", Options{CLIInputJSON: ptr("{}"), CLIInputYAML: ptr("{}")}, nil, clierr.ParamParse,
			"Only one --cli-input- parameter may be specified."},
		{"bad cli-input-json", "GetLogDeliveryConfiguration", Options{CLIInputJSON: ptr("{")}, nil, clierr.ParamParse,
			"Error parsing parameter 'cli-input-json': Invalid JSON received."},
		{"bad cli-input-yaml", "GetLogDeliveryConfiguration", Options{CLIInputYAML: ptr("a: [")}, nil, clierr.ParamParse,
			"Error parsing parameter 'cli-input-yaml': Invalid YAML received."},
		{"cli-input-json not a map", "GetLogDeliveryConfiguration", Options{CLIInputJSON: ptr("[]")}, nil, clierr.ParamParse,
			"Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>"},
		{"cli-input-yaml empty", "GetLogDeliveryConfiguration", Options{CLIInputYAML: ptr("")}, nil, clierr.ParamParse,
			"Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'NoneType'>"},
		{"cli-input-json file missing", "GetLogDeliveryConfiguration", Options{CLIInputJSON: ptr("file:///nonexistent.json"), CLIInputYAML: ptr("{}")}, nil, clierr.ParamParse,
			"Error parsing parameter '--cli-input-json': Unable to load paramfile file:///nonexistent.json: [Errno 2] No such file or directory: '/nonexistent.json'"},
		{"argument errors come before --cli-input-* errors", "GetLogDeliveryConfiguration", Options{CLIInputJSON: ptr("{"), CLIInputYAML: ptr("{")},
			[]Arg{tok("UserPoolId", "file:///nonexistent.json")}, clierr.ParamParse,
			"Error parsing parameter '--user-pool-id': Unable to load paramfile file:///nonexistent.json: [Errno 2] No such file or directory: '/nonexistent.json'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ce := buildErr(t, tc.op, tc.o, tc.args...)
			if ce.Kind != tc.kind || ce.Message != tc.msg {
				t.Errorf("got kind %d\n%s\nwant kind %d\n%s", ce.Kind, ce.Message, tc.kind, tc.msg)
			}
			if (tc.kind == clierr.ParamParse || tc.kind == clierr.ParamValidation) && ce.Code != "ParamValidation" {
				t.Errorf("code %q, want ParamValidation", ce.Code)
			}
		})
	}
}

func TestParamFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "crlf.txt"), []byte("a\r\nb\rc"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", dir)
	t.Setenv("COGNATE_PARAMS_DIR", dir)
	m := model.CognitoIDP()
	op := m.Operation("AdminDeleteUserAttributes")
	for _, tc := range []struct {
		tokens []string
		want   string
	}{
		{[]string{"file://~/crlf.txt"}, `['a', '\n', 'b', '\n', 'c']`}, // a list from one file: its characters
		{[]string{"file://$COGNATE_PARAMS_DIR/crlf.txt"}, `['a', '\n', 'b', '\n', 'c']`},
		{[]string{"file://${COGNATE_PARAMS_DIR}/crlf.txt", "x"}, `['file://${COGNATE_PARAMS_DIR}/crlf.txt', 'x']`}, // two tokens: no file
		{[]string{"fileb://~/crlf.txt"}, `[97, 13, 10, 98, 13, 99]`},
		{[]string{`["x", "y"]`}, `['x', 'y']`},
		{[]string{"FILE://x"}, `['FILE://x']`},
	} {
		v, err := Prepare(m, op, []Arg{tok("UserPoolId", "p"), tok("Username", "u"), tok("UserAttributeNames", tc.tokens...)}, Options{})
		if err != nil {
			t.Fatalf("%q: %v", tc.tokens, err)
		}
		got, _ := v.Params.Get("UserAttributeNames")
		if r := v.py.repr(got); r != tc.want {
			t.Errorf("%q: got %s, want %s", tc.tokens, r, tc.want)
		}
	}
	var read []string
	o := Options{ReadFile: func(p string) ([]byte, error) { read = append(read, p); return []byte("id\n"), nil }}
	p, err := Build(m, m.Operation("GetLogDeliveryConfiguration"), []Arg{tok("UserPoolId", "file://$NO_SUCH_VAR_X/~/a")}, o)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Get("UserPoolId"); v != "id\n" || len(read) != 1 || read[0] != "$NO_SUCH_VAR_X/~/a" {
		t.Errorf("got %q, read %q", v, read)
	}
}

func TestShorthandFileValues(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "arn.txt"), []byte("arn:aws:logs:us-west-2:123456789012:log-group:x"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := bodyOf(t, "SetLogDeliveryConfiguration", Options{}, tok("UserPoolId", "p"),
		tok("LogConfigurations", "LogLevel=ERROR,EventSource=x,CloudWatchLogsConfiguration={LogGroupArn@=file://"+filepath.Join(dir, "arn.txt")+"}"))
	want := `{"UserPoolId": "p", "LogConfigurations": [{"LogLevel": "ERROR", "EventSource": "x", "CloudWatchLogsConfiguration": {"LogGroupArn": "arn:aws:logs:us-west-2:123456789012:log-group:x"}}]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	ce := buildErr(t, "SetLogDeliveryConfiguration", Options{}, tok("UserPoolId", "p"), tok("LogConfigurations", "LogLevel@=file:///nonexistent"))
	if ce.Kind != clierr.Other || ce.Message != "Unable to load paramfile file:///nonexistent: [Errno 2] No such file or directory: '/nonexistent'" {
		t.Errorf("got %d %q", ce.Kind, ce.Message)
	}
}

// testModel is a small model with what cognito-idp lacks: a nested
// document, a single-Value structure, a long and a list of integers.
func testModel(t *testing.T) *model.Model {
	t.Helper()
	svc := `{"metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T"},
	"operations": {"Op": {"name": "Op", "input": {"shape": "In"}, "output": {"shape": "Out"}}},
	"shapes": {
		"In": {"type": "structure", "required": ["Name"], "members": {
			"Name": {"shape": "Str"}, "Wrap": {"shape": "Wrap"}, "Single": {"shape": "Single"},
			"Big": {"shape": "Long"}, "Nums": {"shape": "Nums"}, "When": {"shape": "Time"}, "Ratio": {"shape": "Dbl"}}},
		"Out": {"type": "structure", "members": {"When": {"shape": "Time"}, "Data": {"shape": "Blob"}, "Doc": {"shape": "Doc"}}},
		"Wrap": {"type": "structure", "members": {"Inner": {"shape": "Doc"}, "Id": {"shape": "Str"}}},
		"Single": {"type": "structure", "members": {"Value": {"shape": "Str"}}},
		"Doc": {"type": "structure", "members": {}, "document": true},
		"Str": {"type": "string", "min": 1},
		"Long": {"type": "long", "min": 2},
		"Dbl": {"type": "double", "min": 1},
		"Nums": {"type": "list", "member": {"shape": "Int"}},
		"Int": {"type": "integer"},
		"Time": {"type": "timestamp"},
		"Blob": {"type": "blob"}}}`
	m, err := model.Parse([]byte(svc), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSyntheticModel(t *testing.T) {
	m := testModel(t)
	op := m.Operation("Op")
	build := func(args ...Arg) (string, error) {
		p, err := Build(m, op, args, Options{})
		if err != nil {
			return "", err
		}
		b, err := Body(m, op, p)
		return string(b), err
	}
	check := func(want string, args ...Arg) {
		t.Helper()
		got, err := build(args...)
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	check(`(ParamValidation) Error parsing parameter '--wrap': Shorthand syntax does not support document types. Use JSON input for top-level argument to specify nested parameter: Inner`,
		tok("Name", "n"), tok("Wrap", "Inner={a=b}"))
	check(`{"Name": "n", "Wrap": {"Id": "i"}}`, tok("Name", "n"), tok("Wrap", "Id=i"))
	check(`{"Name": "n", "Single": {"Value": "bare"}}`, tok("Name", "n"), tok("Single", "bare"))
	check(`{"Name": "n", "Big": 12, "Nums": [1, 2], "When": 1704067200, "Ratio": 1.5}`,
		tok("Name", "n"), tok("Big", "12"), tok("Nums", "1", "2"), tok("Ratio", "1.5"), tok("When", "2024-01-01T00:00:00Z"))
	check("argument --big: invalid int value: 'x'", tok("Name", "n"), tok("Big", "x"))
	check("(ParamValidation) Error parsing parameter '--nums': 1", tok("Name", "n"), tok("Nums", "1", "x"))
	check("(ParamValidation) Parameter validation failed:\nInvalid value for parameter Big, value: 1, valid min value: 2\nInvalid type for parameter When, value: soon, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string\nInvalid value for parameter Ratio, value: 0.5, valid min value: 1",
		tok("Name", "n"), tok("Big", "1"), tok("Ratio", "0.5"), tok("When", "soon"))
	// Documents nested in cli-input-yaml values keep their YAML types.
	p, err := Build(m, op, nil, Options{CLIInputYAML: ptr("Name: n\nWrap:\n  Inner:\n    b: [!!binary eA==]\n")})
	if err == nil {
		t.Fatalf("no error: %v", p)
	}
	if want := "Parameter validation failed:\nInvalid type for document parameter b[0], value: b'x', type: <class 'bytes'>, valid types: <class 'str'>, <class 'int'>, <class 'bool'>, <class 'float'>, <class 'list'>, <class 'dict'>"; err.(*clierr.Error).Message != want {
		t.Errorf("got %q", err.(*clierr.Error).Message)
	}
}

func TestRequiredOrderIsMemberOrder(t *testing.T) {
	var svc struct {
		Shapes map[string]struct {
			Required []string                   `json:"required"`
			Members  map[string]json.RawMessage `json:"members"`
		} `json:"shapes"`
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "model", model.CognitoIDPService.ServiceFile()))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &svc); err != nil {
		t.Fatal(err)
	}
	m := model.CognitoIDP()
	for name, s := range svc.Shapes {
		var inOrder []string
		for _, mem := range m.Shape(name).Members {
			if m.Shape(name).Required[mem.Name] {
				inOrder = append(inOrder, mem.Name)
			}
		}
		if strings.Join(inOrder, ",") != strings.Join(s.Required, ",") {
			t.Errorf("%s: required %v, member order %v", name, s.Required, inOrder)
		}
	}
}

func TestDecodeResponse(t *testing.T) {
	m := model.CognitoIDP()
	op := m.Operation("GetLogDeliveryConfiguration")
	body := `{"LogDeliveryConfiguration": {"LogConfigurations": [{"CloudWatchLogsConfiguration": {"LogGroupArn": "arn"}, "EventSource": "userNotification", "LogLevel": "ERROR", "Extra": 1}], "UserPoolId": "p", "Junk": null}}`
	got, err := DecodeResponse(m, op, []byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	if s := jsonOf(got); s != `{"LogDeliveryConfiguration": {"UserPoolId": "p", "LogConfigurations": [{"LogLevel": "ERROR", "EventSource": "userNotification", "CloudWatchLogsConfiguration": {"LogGroupArn": "arn"}}]}}` {
		t.Errorf("got %s", s)
	}
	for _, tc := range []struct{ body, want string }{
		{"", `{}`},
		{"not json", `{}`},
		{`{"Group": null}`, `{}`},
	} {
		got, err := DecodeResponse(m, m.Operation("GetGroup"), []byte(tc.body), TimestampISO8601)
		if err != nil || jsonOf(got) != tc.want {
			t.Errorf("%q: %v %v", tc.body, got, err)
		}
	}

	saved := time.Local
	defer func() { time.Local = saved }()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	getGroup := m.Operation("GetGroup")
	for _, tc := range []struct {
		loc    *time.Location
		format string
		wire   string
		want   string
	}{
		{time.UTC, "iso8601", "1704067200", `"2024-01-01T00:00:00+00:00"`},
		{time.UTC, "iso8601", "1704067200.123", `"2024-01-01T00:00:00.123000+00:00"`},
		{ny, "iso8601", "1704067200", `"2023-12-31T19:00:00-05:00"`},
		{ny, "iso8601", `"2024-01-01T00:00:00Z"`, `"2024-01-01T00:00:00+00:00"`},
		{time.UTC, "wire", "1704067200.123", `1704067200.123`},
		{time.UTC, "wire", "1704067200", `1704067200`},
	} {
		time.Local = tc.loc
		got, err := DecodeResponse(m, getGroup, []byte(`{"Group": {"CreationDate": `+tc.wire+`}}`), tc.format)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := got.Get("Group")
		c, _ := g.(*value.Object).Get("CreationDate")
		if s := jsonOf(c); s != tc.want {
			t.Errorf("%s %s in %s: got %s, want %s", tc.format, tc.wire, tc.loc, s, tc.want)
		}
	}
	time.Local = saved
	if _, err := DecodeResponse(m, getGroup, []byte(`{}`), "local"); err == nil || err.(*clierr.Error).Kind != clierr.Config {
		t.Errorf("bad format: %v", err)
	}
}

const setLogSkeleton = `{
    "UserPoolId": "",
    "LogConfigurations": [
        {
            "LogLevel": "ERROR",
            "EventSource": "userNotification",
            "CloudWatchLogsConfiguration": {
                "LogGroupArn": ""
            },
            "S3Configuration": {
                "BucketArn": ""
            },
            "FirehoseConfiguration": {
                "StreamArn": ""
            }
        }
    ]
}
`

func TestSkeleton(t *testing.T) {
	m := model.CognitoIDP()
	set, get := m.Operation("SetLogDeliveryConfiguration"), m.Operation("GetLogDeliveryConfiguration")
	if got, err := Skeleton(m, set, SkeletonInput, nil, Options{}); err != nil || got != setLogSkeleton {
		t.Errorf("input: %v\n%s", err, got)
	}
	if got, _ := Skeleton(m, get, SkeletonInput, nil, Options{}); got != "{\n    \"UserPoolId\": \"\"\n}\n" {
		t.Errorf("get input: %q", got)
	}
	if got, _ := Skeleton(m, get, SkeletonYAMLInput, nil, Options{}); got != "UserPoolId: ''  # [REQUIRED] A string of 1 to 55 characters.\n" {
		t.Errorf("get yaml-input: %q", got)
	}
	yml, _ := Skeleton(m, set, SkeletonYAMLInput, nil, Options{})
	for _, want := range []string{
		"UserPoolId: ''  # [REQUIRED] ",
		"\nLogConfigurations: # [REQUIRED] ",
		"\n- LogLevel: ERROR  # [REQUIRED] One value of the LogLevel set. Valid values are: ERROR, INFO.\n",
		"\n  EventSource: userNotification # [REQUIRED] ",
		"\n  CloudWatchLogsConfiguration: # ",
		"\n    LogGroupArn: ''  # ",
	} {
		if !strings.Contains(yml, want) {
			t.Errorf("yaml-input lacks %q:\n%s", want, yml)
		}
	}
	// Other arguments are parsed (and fail) before the skeleton.
	if _, err := Skeleton(m, set, SkeletonInput, []Arg{tok("LogConfigurations", "LogLevel")}, Options{}); err == nil {
		t.Error("input skeleton ignored a shorthand error")
	}
	if _, err := Skeleton(m, set, SkeletonInput, nil, Options{CLIInputJSON: ptr("[")}); err == nil {
		t.Error("input skeleton ignored a --cli-input-json error")
	}
	// output: the fake response fails botocore's own min-length check.
	_, err := Skeleton(m, set, SkeletonOutput, []Arg{tok("UserPoolId", "p"), tok("LogConfigurations", "LogLevel=ERROR,EventSource=x")}, Options{})
	if ce, ok := err.(*clierr.Error); !ok || ce.Kind != clierr.ParamValidation ||
		!strings.HasPrefix(ce.Message, "Parameter validation failed:\nInvalid length for parameter LogDeliveryConfiguration.LogConfigurations[0].CloudWatchLogsConfiguration.LogGroupArn, value: 11, valid min length: 20\n") {
		t.Errorf("output: %v", err)
	}
	got, err := Skeleton(m, get, SkeletonOutput, []Arg{tok("UserPoolId", "p")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "LogGroupArn, value: 11") {
		t.Errorf("get output: %q %v", got, err)
	}
	got, err = Skeleton(m, m.Operation("AdminGetUser"), SkeletonOutput, []Arg{tok("Username", "u"), tok("UserPoolId", "p")}, Options{})
	if err != nil || !strings.Contains(got, "\n    \"UserCreateDate\": \"1970-01-01T00:00:00\",\n") ||
		!strings.HasPrefix(got, "{\n    \"Username\": \"Username\",\n    \"UserAttributes\": [\n        {\n            \"Name\": \"Name\",") {
		t.Errorf("AdminGetUser output: %v\n%s", err, got)
	}
	// The parameters are validated after the stub.
	_, err = Skeleton(m, m.Operation("AdminGetUser"), SkeletonOutput, []Arg{tok("Username", "u")}, Options{CLIInputJSON: ptr(`{"Bogus": 1}`)})
	if err == nil || err.(*clierr.Error).Message != "Parameter validation failed:\nMissing required parameter in input: \"UserPoolId\"\nUnknown parameter in input: \"Bogus\", must be one of: UserPoolId, Username" {
		t.Errorf("AdminGetUser output without pool: %v", err)
	}
	if got, err := Skeleton(m, m.Operation("DeleteGroup"), SkeletonOutput, []Arg{tok("GroupName", "g"), tok("UserPoolId", "p")}, Options{}); err != nil || got != "" {
		t.Errorf("DeleteGroup output: %q %v", got, err)
	}
	if _, err := Skeleton(m, get, "yaml", nil, Options{}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestInputSkeletonYAMLShapes(t *testing.T) {
	m := model.CognitoIDP()
	got := InputSkeletonYAML(m, m.Operation("CreateManagedLoginBranding"))
	for _, want := range []string{"\nSettings: {} # A document: any JSON value.\n", "\n  Bytes: !!binary '' # Binary data", "\n- Category: FAVICON_ICO  # [REQUIRED] "} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	got = InputSkeletonYAML(m, m.Operation("AdminInitiateAuth"))
	if !strings.Contains(got, "\nAuthParameters: # A map from strings keys to strings values. Sensitive: kept out of logs.\n  KeyName: ''\n") {
		t.Errorf("map:\n%s", got)
	}
}

func TestPyJSONErrors(t *testing.T) {
	// Python 3.13+ messages (v2 2.34+ bundles 3.14).
	for _, tc := range []struct{ in, want string }{
		{`{"spam":42,}`, "Illegal trailing comma before end of object: line 1 column 11 (char 10)"},
		{`[123  , ]`, "Illegal trailing comma before end of array: line 1 column 7 (char 6)"},
		{"\n  \n\n     !", "Expecting value: line 4 column 6 (char 10)"},
		{`{"a":1}x`, "Extra data: line 1 column 8 (char 7)"},
		{"\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"},
	} {
		_, err := pyJSONLoads(tc.in, newPy(), true)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: %v, want %s", tc.in, err, tc.want)
		}
	}
	v, err := pyJSONLoads([]byte("\xef\xbb\xbf{\"a\": [1.0, 2]}"), newPy(), false)
	if err != nil || newPy().repr(v) != "{'a': [1.0, 2]}" {
		t.Errorf("bytes with BOM: %v %v", v, err)
	}
	v, err = pyJSONLoads([]byte("{\x00\"\x00a\x00\"\x00:\x001\x00}\x00"), newPy(), false)
	if err != nil || newPy().repr(v) != "{'a': 1}" {
		t.Errorf("utf-16-le: %v %v", v, err)
	}
}

func TestPyRepr(t *testing.T) {
	p := newPy()
	od := mkObj("a", int64(1))
	p.ordered[od] = true
	for _, tc := range []struct {
		v    any
		want string
	}{
		{od, "OrderedDict({'a': 1})"},
		{mkObj("x", od), "{'x': OrderedDict({'a': 1})}"},
		{"it's", `"it's"`},
		{"a\x00\u200b", `'a\x00\u200b'`},
		{"\xff", `'\udcff'`},
		{[]any{1.0, 1e16, nil, true}, "[1.0, 1e+16, None, True]"},
	} {
		if got := p.repr(tc.v); got != tc.want {
			t.Errorf("repr %#v = %s, want %s", tc.v, got, tc.want)
		}
	}
	legacyOrderedDictRepr = true
	defer func() { legacyOrderedDictRepr = false }()
	if got := p.repr(od); got != "OrderedDict([('a', 1)])" {
		t.Errorf("legacy: %s", got)
	}
}
