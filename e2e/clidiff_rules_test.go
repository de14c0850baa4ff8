package e2e

// The rules of the differential test: how what the AWS CLI 2.9.19 prints
// maps to what 2.34+ prints. Each rule function cites the v2 source
// (aws/aws-cli branch v2, 2.36.7, read at /work/.mirror/aws+aws-cli) that
// shows the 2.34+ behaviour, and the CHANGELOG entry where there is one.
// 2.9.19's own code is /usr/lib/python3/dist-packages/awscli.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// rule maps one known difference between 2.9.19 and 2.34+. argv, when set,
// rewrites the command line 2.9.19 is given (for what it does not know),
// from the command line and the environment; out rewrites its answer. A
// case lists the rules it needs, in the order they apply.
type rule struct {
	name string
	argv func(args, env []string) []string
	out  func(r *cliResult)
}

var (
	ruleErrorPrefix     = rule{name: "errorPrefix", out: errorPrefix}
	ruleParamValidation = rule{name: "paramValidation", out: paramValidation}
	ruleArgparseLayout  = rule{name: "argparseLayout", out: argparseLayout}
	ruleInvalidChoice   = rule{name: "invalidChoice", out: invalidChoice}
	ruleUnknownOptions  = rule{name: "unknownOptions", out: unknownOptions}
	ruleShorthandEcho   = rule{name: "shorthandEchoSpace", out: shorthandEchoSpace}
	ruleNoCredentials   = rule{name: "noCredentials", out: noCredentials}
	ruleNoRegion        = rule{name: "noRegion", out: noRegion}
	ruleOutputOff       = rule{name: "outputOff", argv: outputOffArgv, out: outputOff}
	ruleAtEqualsFile    = rule{name: "atEqualsFile", argv: atEqualsFile}
	// --cli-error-format legacy: errorhandler.py _display_structured_error
	// returns False and the handler writes error_info["Message"] (or, for a
	// service error, str(ClientError)) with write_error's prefix only; the
	// enhanced format is the default, the prefixed text plus the
	// "Additional error details" these cases do not have.
	ruleErrorFormatLegacy = rule{name: "errorFormatLegacy", argv: dropErrorFormat, out: errorPrefix}
	ruleErrorFormatEnh    = rule{name: "errorFormatEnhanced", argv: dropErrorFormat, out: errorPrefix}
	ruleErrorFormatPlain  = rule{name: "errorFormatPlain", argv: dropErrorFormat}
	ruleEndpointURLEnv    = rule{name: "endpointURLEnv", argv: endpointURLEnv}
	ruleMaxItemsWarning   = rule{name: "maxItemsWarning", out: maxItemsWarning}
	ruleErrorFormatJSON   = rule{name: "errorFormatJSON", argv: dropErrorFormat, out: errorFormatJSON}
	ruleErrorFormatYAML   = rule{name: "errorFormatYAML", argv: dropErrorFormat, out: errorFormatYAML}
	ruleErrorFormatText   = rule{name: "errorFormatText", argv: dropErrorFormat, out: errorFormatText}
	ruleErrorFormatTable  = rule{name: "errorFormatTable", argv: dropErrorFormat, out: errorFormatTable}
)

// ruleErrorFormatFromConfig is a --cli-error-format rule for the format
// set by the cli_error_format setting or AWS_CLI_ERROR_FORMAT (2.34.0),
// which 2.9.19 ignores: its answer is mapped the same way, its command
// line is left alone.
func ruleErrorFormatFromConfig(r rule) rule {
	return rule{name: r.name + "FromConfig", out: r.out}
}

// errorFormatJSON, errorFormatYAML, errorFormatText and errorFormatTable
// are --cli-error-format json|yaml|text|table: see structuredError.
func errorFormatJSON(r *cliResult)  { structuredError(r, "json") }
func errorFormatYAML(r *cliResult)  { structuredError(r, "yaml") }
func errorFormatText(r *cliResult)  { structuredError(r, "text") }
func errorFormatTable(r *cliResult) { structuredError(r, "table") }

// errorMessage splits 2.9.19's error output, "\n" + str(exception) + "\n"
// (errorhandler.py FilteredExceptionHandler._do_handle_exception), into
// str(exception).
func errorMessage(stderr string) (string, bool) {
	if len(stderr) < 2 || stderr[0] != '\n' || stderr[len(stderr)-1] != '\n' {
		return "", false
	}
	return stderr[1 : len(stderr)-1], true
}

// writeError is v2's awscli/errorformat.py write_error: a newline, "aws:
// [ERROR]: " and the stripped message, a newline.
func writeError(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "\naws: [ERROR]:\n"
	}
	return "\naws: [ERROR]: " + msg + "\n"
}

// errorPrefix: 2.34+ writes every error message through
// awscli/errorformat.py write_error, which prefixes "aws: [ERROR]: " and
// strips the message; for a service error (errorhandler.py
// ClientErrorHandler, str(ClientError)) and any other exception
// (GeneralExceptionHandler: unknown profile, connection failure, uncaught
// Python errors) the message is otherwise the same. CHANGELOG 2.34.0
// "Standardize CLI error message format to use `aws: [ERROR]: <message>`".
// The service errors of these cases have no modelled members beyond the
// message, so the enhanced format adds no "Additional error details".
func errorPrefix(r *cliResult) {
	if msg, ok := errorMessage(r.stderr); ok {
		r.stderr = writeError(msg)
	}
}

// paramValidation: in 2.34+ errorhandler.py ParamValidationErrorsHandler
// (ParamError, ParamSyntaxError, customizations ParamValidationError,
// botocore ParamValidationError) gives the error info {"Code":
// "ParamValidation"}, and FilteredExceptionHandler._get_formatted_message
// writes "An error occurred (ParamValidation): " + str(exception) with
// write_error's prefix (CHANGELOG 2.34.0, structured error output).
func paramValidation(r *cliResult) {
	if msg, ok := errorMessage(r.stderr); ok {
		r.stderr = writeError("An error occurred (ParamValidation): " + msg)
	}
}

// argparse2919 is 2.9.19's ArgParseException text inside the handler's
// newlines: format_usage(), "\n", "aws: error: <message>\n"
// (argparser.py CLIArgParser.error).
var argparse2919 = regexp.MustCompile(`(?s)^\n(usage: aws .*?  aws <command> <subcommand> help\n)\naws: error: (.*)\n\n$`)

// argparseLayout: 2.31.0 ("Update message formatting when entering an
// invalid command to improve identification of an error", #9737) put the
// message before the usage, and 2.34.0 (commit 8f7bc7e9, "Fix double aws:
// [ERROR]: prefix on argparse validation errors") left argparser.py
// CLIArgParser.error raising ArgParseException(f'{message}\n\n
// {usage_message}'): the message, a blank line, the usage, written as a
// ParamValidation error (see paramValidation).
func argparseLayout(r *cliResult) {
	m := argparse2919.FindStringSubmatch(r.stderr)
	if m == nil {
		return
	}
	r.stderr = writeError("An error occurred (ParamValidation): " + m[2] + "\n\n" + m[1])
}

// invalidChoice: since 2.31.0 ("Reduce output from help when entering an
// invalid command", #9457; commit 7514322f) argparser.py
// CLIArgParser._check_value says "Found invalid choice '<value>'\n" and,
// when difflib finds close matches (cutoff 0.8), "Maybe you meant:\n" and
// "  * <match>" lines, joined by "\n", instead of 2.9.19's two-column list
// of every choice. 2.9.19 names the value only when there are close
// matches, so otherwise it is taken from the command line. Apply before
// argparseLayout.
func invalidChoice(r *cliResult) {
	const head = ": Invalid choice, valid choices are:\n\n"
	i := strings.Index(r.stderr, head)
	j := strings.LastIndex(r.stderr[:max(i, 0)], "argument ")
	if i < 0 || j < 0 {
		return
	}
	action := r.stderr[j+len("argument ") : i]
	rest := r.stderr[i+len(head):]
	tail := rest[strings.Index(rest, "\n\n"):] // after the list of choices
	var value, matches string
	const maybe, meant = "\n\n\nInvalid choice: '", "', maybe you meant:\n\n"
	if t, ok := strings.CutPrefix(tail, maybe); ok {
		k := strings.Index(t, meant)
		value, t = t[:k], t[k+len(meant):]
		e := strings.Index(t, "\n\n")
		matches, tail = t[:e], t[e:]
	} else {
		value = choiceValue(r.args, action)
	}
	msg := "Found invalid choice '" + value + "'\n"
	if matches != "" {
		msg += "\nMaybe you meant:\n\n" + matches
	}
	r.stderr = r.stderr[:i] + ": " + msg + tail
}

// choiceValue finds the value argparse rejected: the token after
// cognito-idp for the operation, the option's value otherwise.
func choiceValue(args []string, action string) string {
	for i, a := range args {
		switch {
		case action == "operation" && a == "cognito-idp" && i+1 < len(args):
			return args[i+1]
		case a == action && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, action+"="):
			return strings.TrimPrefix(a, action+"=")
		}
	}
	return ""
}

// unknownOptions: 2.34+ errorhandler.py UnknownArgumentErrorHandler writes
// "\n", f'usage: {USAGE}\n' and then write_error(str(exception)), i.e. two
// blank lines and the prefixed message (checked byte for byte by v2's
// tests/unit/test_structured_error.py
// test_unknown_argument_error_remains_plain_text); 2.9.19 writes
// f'usage: {USAGE}\n{exception}\n' and "\n".
func unknownOptions(r *cliResult) {
	const tail = "  aws <command> <subcommand> help\n\n"
	i := strings.Index(r.stderr, tail)
	if i < 0 || !strings.HasSuffix(r.stderr, "\n\n") {
		return
	}
	head := r.stderr[:i+len(tail)]
	msg := strings.TrimSuffix(r.stderr[i+len(tail):], "\n\n")
	r.stderr = head + writeError(msg)
}

// shorthandEchoSpace: since 2.24.21 (commit 98ee4cc7) shorthand.py
// ShorthandParseSyntaxError._construct_msg is "Expected: '%s', received:
// '%s' for input:\n %s": one space before the echoed input, while the
// caret line keeps its indentation.
func shorthandEchoSpace(r *cliResult) {
	r.stderr = regexp.MustCompile(`(Expected: '[^\n]*', received: '[^\n]*' for input:\n)`).ReplaceAllString(r.stderr, "$1 ")
}

// noCredentials: 2.34+ errorhandler.py NoCredentialsErrorHandler gives
// {"Code": "NoCredentials", "Message": f'{exception}. You can configure
// credentials by running "aws login".'} (the advice changed with the `aws
// login` command, CHANGELOG 2.32.0), written as "An error occurred
// (NoCredentials): …" with the prefix.
func noCredentials(r *cliResult) {
	msg, ok := errorMessage(r.stderr)
	if !ok {
		return
	}
	msg = strings.Replace(msg, `by running "aws configure".`, `by running "aws login".`, 1)
	r.stderr = writeError("An error occurred (NoCredentials): " + msg)
}

// noRegion: 2.34+ errorhandler.py NoRegionErrorHandler gives {"Code":
// "NoRegion", "Message": "<exception> You can also configure your region by
// running \"aws configure\"."}, written as "An error occurred (NoRegion):
// …" with the prefix (tests/unit/test_structured_error.py
// test_enhanced_format_includes_error_prefix).
func noRegion(r *cliResult) {
	if msg, ok := errorMessage(r.stderr); ok {
		r.stderr = writeError("An error occurred (NoRegion): " + msg)
	}
}

// outputOffArgv asks 2.9.19, which has no "off" output (its --output
// choices are json, text, table, yaml, yaml-stream), for json instead.
func outputOffArgv(args, _ []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == "--output" && i+1 < len(out) && out[i+1] == "off" {
			out[i+1] = "json"
		}
	}
	return out
}

// outputOff: 2.34+ formatter.py OffFormatter prints nothing on stdout (it
// only consumes the pages); errors still go to stderr. CHANGELOG 2.34.0
// "Add support for --output off to suppress all stdout output while
// preserving stderr for errors and warnings".
func outputOff(r *cliResult) { r.stdout = "" }

// atEqualsFile: `key@=file://…` (shorthand.py _key_value / _parse_assignment
// with the "@=" operator, CHANGELOG 2.20.0 "Adds support to shorthand
// syntax for loading parameters from files via the @= assignment
// operator") loads the value from the file; 2.9.19 rejects the "@", so it
// is given the file's contents as a single-quoted value instead (the
// files of these cases hold no quote or backslash).
func atEqualsFile(args, _ []string) []string {
	re := regexp.MustCompile(`([A-Za-z0-9_.#/:-]*)@=file://([^,}\]]+)`)
	out := slices.Clone(args)
	for i, a := range out {
		out[i] = re.ReplaceAllStringFunc(a, func(m string) string {
			sub := re.FindStringSubmatch(m)
			b, err := os.ReadFile(sub[2])
			if err != nil {
				return m
			}
			return sub[1] + "='" + string(b) + "'"
		})
	}
	return out
}

// dropErrorFormat removes --cli-error-format (added in 2.34.0) from the
// command line 2.9.19 is given. Alone (errorFormatPlain) it is the rule of
// the errors 2.34+ never formats: errorhandler.py
// UnknownArgumentErrorHandler and GeneralExceptionHandler write plain text
// whatever the format ("intentionally excluded from structured
// formatting"; tests/unit/test_structured_error.py
// test_unknown_argument_error_remains_plain_text).
func dropErrorFormat(args, _ []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--cli-error-format" {
			i++
			continue
		}
		if strings.HasPrefix(args[i], "--cli-error-format=") {
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// endpointURLEnv: since 2.13.0 ("Configure the endpoint URL in the shared
// configuration file or via an environment variable for a specific AWS
// service or all AWS services") v2 takes the endpoint from
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else AWS_ENDPOINT_URL
// (botocore/configprovider.py ConfiguredEndpointProvider), which 2.9.19
// ignores; it is given --endpoint-url with that value instead.
func endpointURLEnv(args, env []string) []string {
	get := func(name string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
	url := get("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
	if url == "" {
		url = get("AWS_ENDPOINT_URL")
	}
	if url == "" || slices.Contains(args, "--endpoint-url") {
		return args
	}
	return append(slices.Clone(args), "--endpoint-url", url)
}

// maxItemsWarning: since 2.17.56 ("Add warning when a non-positive value
// is provided for the max-items pagination parameter")
// customizations/paginate.py PageArgument.add_to_params writes "warning:
// Non-positive values for --max-items may result in undefined
// behavior.\n" on stderr when the --max-items option is built into the
// call's parameters, before anything else is printed.
func maxItemsWarning(r *cliResult) {
	r.stderr = "warning: Non-positive values for --max-items may result in undefined behavior.\n" + r.stderr
}

var clientError2919 = regexp.MustCompile(`(?s)^An error occurred \(([^)]*)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: (.*)$`)

// structuredError: with --cli-error-format json|yaml|text|table (2.34.0,
// "Add structured error output with configurable formats") 2.34+
// errorhandler.py FilteredExceptionHandler._display_structured_error
// writes the error info with the output formatter
// (formatter.get_formatter(format, Namespace(query=None, color=…))
// ('error', info, stderr)) instead of the message. The info is
// {"Code": "ParamValidation", "Message": str(exception)} for exit 252
// (an argparse error's str() in its 2.34+ layout), NoCredentials or
// NoRegion with their 2.34+ messages for exit 253;
// for a service error (exit 254) it is ClientErrorHandler's copy of
// response["Error"], whose keys botocore's JSON parser creates as Message
// then Code (botocore/parsers.py BaseJSONParser._do_error_parse), plus the
// modelled members of the error shape that botocore/endpoint.py
// _add_modeled_error_fields put in the response (Cognate's error bodies
// always carry "message", a member of every cognito-idp error shape).
// The formatters are 2.9.19's (awscli/formatter.py, unchanged since but
// for style), run with its Python.
func structuredError(r *cliResult, format string) {
	msg, ok := errorMessage(r.stderr)
	if !ok {
		return
	}
	type kv struct{ k, v string }
	var info []kv
	switch r.code {
	case 252:
		if m := argparse2919.FindStringSubmatch(r.stderr); m != nil {
			// str(ArgParseException) in 2.34+ (see argparseLayout).
			msg = m[2] + "\n\n" + m[1]
		}
		info = []kv{{"Code", "ParamValidation"}, {"Message", msg}}
	case 253:
		switch {
		case strings.HasPrefix(msg, "Unable to locate credentials."):
			// See noCredentials.
			info = []kv{{"Code", "NoCredentials"}, {"Message", strings.Replace(msg, `"aws configure"`, `"aws login"`, 1)}}
		case strings.HasPrefix(msg, "You must specify a region."):
			info = []kv{{"Code", "NoRegion"}, {"Message", msg}}
		default:
			return
		}
	case 254:
		m := clientError2919.FindStringSubmatch(msg)
		if m == nil {
			return
		}
		info = []kv{{"Message", m[3]}, {"Code", m[1]}}
		if errorShapeHasMessage(m[1]) {
			info = append(info, kv{"message", m[3]})
		}
	default:
		return
	}
	var b strings.Builder
	b.WriteString("{")
	for i, e := range info {
		if i > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(e.k)
		v, _ := json.Marshal(e.v)
		b.Write(k)
		b.WriteString(":")
		b.Write(v)
	}
	b.WriteString("}")
	out, err := pythonFormat(format, b.String())
	if err != nil {
		r.stderr = "structuredError: " + err.Error()
		return
	}
	r.stderr = out
}

var (
	modelOnce   sync.Once
	modelShapes map[string]struct {
		Exception bool
		Members   map[string]json.RawMessage
	}
	modelPath string // set by the test before any rule runs
)

// errorShapeHasMessage reports whether the model has an exception shape
// named code with a member "message".
func errorShapeHasMessage(code string) bool {
	modelOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join(modelPath, "cognito-idp", "2016-04-18", "service-2.json"))
		if err != nil {
			return
		}
		var m struct {
			Shapes map[string]struct {
				Exception bool
				Members   map[string]json.RawMessage
			}
		}
		if json.Unmarshal(b, &m) == nil {
			modelShapes = m.Shapes
		}
	})
	s, ok := modelShapes[code]
	if !ok || !s.Exception {
		return false
	}
	_, has := s.Members["message"]
	return has
}

// awsPython is the Python interpreter of the AWS CLI 2.9.19 (its script's
// shebang), which has its awscli package.
var awsPython string

func pythonFormat(format, infoJSON string) (string, error) {
	const script = `import argparse, io, json, sys
from awscli.formatter import get_formatter
info = json.loads(sys.argv[2])
out = io.StringIO()
get_formatter(sys.argv[1], argparse.Namespace(query=None, color="auto"))("error", info, out)
sys.stdout.write(out.getvalue())
`
	out, err := exec.Command(awsPython, "-c", script, format, infoJSON).Output()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	return string(out), nil
}

// shebang returns the interpreter of a script.
func shebang(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "#!") {
		return "", fmt.Errorf("%s has no #! line", path)
	}
	return strings.Fields(strings.TrimPrefix(line, "#!"))[0], nil
}

// Normalisers, applied to both CLIs' results.
var (
	// yamlComments: the comments of --generate-cli-skeleton yaml-input are
	// Cognate's own words (issue 3, item 4), where the AWS CLI has the
	// first sentence of the model's documentation
	// (customizations/generatecliskeleton.py YAMLArgumentGenerator); the
	// comment's place and spacing, its [REQUIRED] mark and its "Valid
	// values are: …" list are still compared.
	normYAMLComments = normalizer{name: "yamlComments", fn: func(s string) string {
		return yamlComment.ReplaceAllString(s, "#$1 …$2")
	}}
	// generated: the ID, ARN and timestamps of a pool created by the case
	// itself differ between the two runs.
	normGenerated = normalizer{name: "generated", fn: func(s string) string {
		s = poolID.ReplaceAllString(s, "${1}_POOLID")
		return timestamp.ReplaceAllString(s, "TIMESTAMP")
	}}
)

var (
	yamlComment = regexp.MustCompile(`(?m)#( \[REQUIRED\])? .*?( Valid values are: [^\n]*)?$`)
	poolID      = regexp.MustCompile(`\b([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]{9}\b`)
	timestamp   = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d)?`)
)
