package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cognate/cognate/internal/cli/clierr"
)

// runCLI runs Main in an isolated environment and returns what it printed.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	code = Main(args, strings.NewReader(""), out, errf)
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(out.Name())
	e, _ := os.ReadFile(errf.Name())
	return string(o), string(e), code
}

// isolateEnv gives Main throw-away keys, us-west-2 and no configuration.
func isolateEnv(t *testing.T) {
	home := t.TempDir()
	for _, kv := range [][2]string{
		{"HOME", home}, {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", "secret"},
		{"AWS_DEFAULT_REGION", "us-west-2"}, {"AWS_CONFIG_FILE", filepath.Join(home, "config")},
		{"AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials")}, {"AWS_EC2_METADATA_DISABLED", "true"},
		{"AWS_PAGER", ""}, {"TZ", "UTC"},
	} {
		t.Setenv(kv[0], kv[1])
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_DEFAULT_OUTPUT", "AWS_SESSION_TOKEN", "AWS_CLI_ERROR_FORMAT"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

const usageBlock = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n" +
	"To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n"

// TestUnknownOptionsLayout: "\n", f'usage: {USAGE}\n', then write_error:
// two blank lines before the message (awscli/errorhandler.py
// UnknownArgumentErrorHandler; v2 tests/unit/test_structured_error.py
// test_unknown_argument_error_remains_plain_text).
func TestUnknownOptionsLayout(t *testing.T) {
	var b bytes.Buffer
	if code := writeError(&b, &unknownOptions{names: []string{"--bogus", "x"}}, "json"); code != 252 {
		t.Fatalf("exit %d", code)
	}
	want := "\n" + usageBlock + "\n\naws: [ERROR]: Unknown options: --bogus, x\n"
	if b.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// TestStructuredErrorInfo: --cli-error-format json prints a service
// error's Info in its order; other errors are Code then Message.
func TestStructuredErrorInfo(t *testing.T) {
	var b bytes.Buffer
	err := &clierr.Error{Kind: clierr.Service, Code: "ResourceNotFoundException", Message: "gone", Operation: "DescribeUserPool",
		Info: []clierr.Field{{Key: "Message", Value: "gone"}, {Key: "Code", Value: "ResourceNotFoundException"}, {Key: "message", Value: "gone"}}}
	if code := writeError(&b, err, "json"); code != 254 {
		t.Fatalf("exit %d", code)
	}
	want := "{\n    \"Message\": \"gone\",\n    \"Code\": \"ResourceNotFoundException\",\n    \"message\": \"gone\"\n}\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	writeError(&b, clierr.New(clierr.ParamValidation, "bad"), "json")
	if want := "{\n    \"Code\": \"ParamValidation\",\n    \"Message\": \"bad\"\n}\n"; b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestOperationHelpAlone: "help" as the operation's only argument prints
// the page before the required options are checked
// (argparser.py ArgTableArgParser.parse_known_args).
func TestOperationHelpAlone(t *testing.T) {
	isolateEnv(t)
	out, errOut, code := runCLI(t, "cognito-idp", "get-log-delivery-configuration", "help", "--output", "json")
	if code != 0 || errOut != "" || !strings.Contains(out, "--user-pool-id") {
		t.Fatalf("exit %d\nstdout %.300q\nstderr %q", code, out, errOut)
	}
	// Anything else with it is parsed as usual.
	_, errOut, code = runCLI(t, "cognito-idp", "get-log-delivery-configuration", "help", "x")
	if code != 252 || !strings.Contains(errOut, "the following arguments are required: --user-pool-id") {
		t.Fatalf("exit %d\nstderr %q", code, errOut)
	}
}

// TestGlobalsResolvedFirst: the top-level-args-parsed handlers run before
// the operation is parsed, in globalargs.py's order: --query, then
// --endpoint-url, then the timeouts, which Python's int() converts
// (ValueError: exit 255).
func TestGlobalsResolvedFirst(t *testing.T) {
	isolateEnv(t)
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--cli-read-timeout", "soon", "cognito-idp", "get-log-delivery-configuration"}, 255,
			"\naws: [ERROR]: invalid literal for int() with base 10: 'soon'\n"},
		{[]string{"cognito-idp", "get-log-delivery-configuration", "--cli-connect-timeout", " 7_0", "--cli-read-timeout", "x"}, 255,
			"\naws: [ERROR]: invalid literal for int() with base 10: 'x'\n"},
		{[]string{"--endpoint-url", "127.0.0.1", "--cli-read-timeout", "soon", "cognito-idp", "get-log-delivery-configuration"}, 252,
			"\naws: [ERROR]: An error occurred (ParamValidation): Bad value for --endpoint-url \"127.0.0.1\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/\n"},
		{[]string{"--endpoint-url", "", "--query", "a[[", "cognito-idp", "get-log-delivery-configuration"}, 252,
			"\naws: [ERROR]: An error occurred (ParamValidation): Bad value for --query a[[: "},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, c.args...)
		if code != c.code || !strings.HasPrefix(errOut, c.stderr) {
			t.Errorf("%q: exit %d\n%q\nwant %d\n%q", c.args, code, errOut, c.code, c.stderr)
		}
	}
}

// fakeListUserPools answers ListUserPools from 5 pools, MaxResults per
// page, NextToken "t<offset>", and records the requests.
type fakeListUserPools struct {
	mu       sync.Mutex
	requests []map[string]any
}

func (f *fakeListUserPools) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req map[string]any
	_ = json.Unmarshal(b, &req)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	n, _ := req["MaxResults"].(float64)
	off := 0
	if tok, ok := req["NextToken"].(string); ok {
		fmt.Sscanf(tok, "t%d", &off)
	}
	var pools []string
	for i := off; i < 5 && i < off+int(n); i++ {
		pools = append(pools, fmt.Sprintf(`{"Id":"us-west-2_pool%05d","Name":"p%d"}`, i, i))
	}
	next := ""
	if end := off + int(n); end < 5 {
		next = fmt.Sprintf(`,"NextToken":"t%d"`, end)
	}
	fmt.Fprintf(w, `{"UserPools":[%s]%s}`, strings.Join(pools, ","), next)
}

func (f *fakeListUserPools) sent() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// TestPaginationDecision follows awscli/customizations/paginate.py: the
// options are checked when parsed, a token or limit from --cli-input-*
// turns pagination off later and leaves the options as an unknown
// "PaginationConfig" parameter, each page's request is validated with
// the page size in it, and --max-items 0 is an item count.
func TestPaginationDecision(t *testing.T) {
	isolateEnv(t)
	f := &fakeListUserPools{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	list := func(args ...string) (string, string, int) {
		return runCLI(t, append(append([]string{"cognito-idp", "list-user-pools"}, args...), "--endpoint-url", srv.URL)...)
	}

	// --page-size provides the required MaxResults of every page.
	out, errOut, code := list("--cli-input-json", "{}", "--page-size", "2", "--query", "UserPools[].Name", "--output", "text")
	if code != 0 || errOut != "" || out != "p0\tp1\np2\tp3\np4\n" {
		t.Fatalf("page size: exit %d %q %q", code, out, errOut)
	}
	if reqs := f.sent(); len(reqs) != 3 || reqs[0]["MaxResults"] != 2.0 || reqs[2]["NextToken"] != "t4" {
		t.Fatalf("requests %v", reqs)
	}

	// MaxResults from --cli-input-json: one call, the service's token.
	out, _, code = list("--cli-input-json", `{"MaxResults": 2}`, "--query", "NextToken")
	if code != 0 || out != "\"t2\"\n" {
		t.Fatalf("cli-input MaxResults: exit %d %q", code, out)
	}

	// ... and the pagination options become an unknown parameter.
	_, errOut, code = list("--cli-input-json", `{"MaxResults": 2}`, "--max-items", "1")
	if want := "\naws: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nUnknown parameter in input: \"PaginationConfig\", must be one of: NextToken, MaxResults\n"; code != 252 || errOut != want {
		t.Fatalf("PaginationConfig: exit %d %q", code, errOut)
	}

	// --no-paginate with options is refused before anything else.
	_, errOut, code = list("--cli-input-json", "{}", "--no-paginate", "--page-size", "2", "--max-items", "0")
	if want := "\naws: [ERROR]: An error occurred (ParamValidation): Cannot specify --no-paginate along with pagination arguments: --page-size\n"; code != 252 || errOut != want {
		t.Fatalf("no-paginate: exit %d %q", code, errOut)
	}

	// --max-items 0: the warning, then an empty page and a token.
	out, errOut, code = list("--cli-input-json", "{}", "--page-size", "2", "--max-items", "0")
	if code != 0 || errOut != "warning: Non-positive values for --max-items may result in undefined behavior.\n" ||
		!strings.HasPrefix(out, "{\n    \"UserPools\": [],\n    \"NextToken\": ") {
		t.Fatalf("max-items 0: exit %d %q %q", code, out, errOut)
	}

	// The warning comes when the options are built, before --cli-input-*
	// is read.
	_, errOut, code = list("--max-items", "0", "--cli-input-json", "[")
	if want := "warning: Non-positive values for --max-items may result in undefined behavior.\n\naws: [ERROR]: An error occurred (ParamValidation): Error parsing parameter 'cli-input-json': Invalid JSON received.\n"; code != 252 || errOut != want {
		t.Fatalf("warning order: exit %d %q", code, errOut)
	}

	// yaml-stream applies --query to each page.
	out, _, code = list("--cli-input-json", "{}", "--page-size", "3", "--output", "yaml-stream", "--query", "UserPools[].Name")
	if code != 0 || out != "- - p0\n  - p1\n  - p2\n- - p3\n  - p4\n" {
		t.Fatalf("yaml-stream: exit %d %q", code, out)
	}
}

// TestErrorFormatChain: --cli-error-format > AWS_CLI_ERROR_FORMAT > the
// profile's cli_error_format, for every error, those of the argument
// parsing included (clidriver.py _construct_cli_error_format_chain).
func TestErrorFormatChain(t *testing.T) {
	isolateEnv(t)
	config := "[default]\ncli_error_format = json\n\n[profile y]\ncli_error_format = YAML\n"
	if err := os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := []string{"cognito-idp", "get-log-delivery-configuration"}
	msg := "the following arguments are required: --user-pool-id\n\n" + usageBlock
	var jsonMsg bytes.Buffer
	enc := json.NewEncoder(&jsonMsg)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(msg)

	_, errOut, code := runCLI(t, missing...)
	if want := "{\n    \"Code\": \"ParamValidation\",\n    \"Message\": " + strings.TrimSuffix(jsonMsg.String(), "\n") + "\n}\n"; code != 252 || errOut != want {
		t.Errorf("config json: exit %d\n%s\nwant\n%s", code, errOut, want)
	}
	_, errOut, _ = runCLI(t, append(missing, "--profile", "y")...)
	if !strings.HasPrefix(errOut, "Code: ParamValidation\nMessage: ") {
		t.Errorf("profile yaml:\n%s", errOut)
	}
	t.Setenv("AWS_CLI_ERROR_FORMAT", "text")
	_, errOut, _ = runCLI(t, missing...)
	if !strings.HasPrefix(errOut, "ParamValidation\tthe following arguments are required") {
		t.Errorf("env text:\n%q", errOut)
	}
	_, errOut, _ = runCLI(t, append(missing, "--cli-error-format", "legacy")...)
	if want := "\naws: [ERROR]: " + strings.TrimSpace(msg) + "\n"; errOut != want {
		t.Errorf("flag legacy:\n%q\nwant\n%q", errOut, want)
	}
}
