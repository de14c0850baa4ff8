package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/cognate/cognate/internal/cli/argv"
	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/cli/prompt"
	"github.com/cognate/cognate/internal/model"
)

// The help pages are Cognate's own: the model in this repository carries no
// AWS prose, so descriptions are written here (for the log delivery
// operations) or generated from the model's facts (for every option: type,
// required, length and range, pattern, enum values, shorthand and JSON
// syntax).

// writeServiceHelp lists the operations.
func writeServiceHelp(w io.Writer, m *model.Model) error {
	fmt.Fprintf(w, "COGNITO-IDP\n\nDESCRIPTION\n\n  The user-pool API of Amazon Cognito (%s, API version %s), called\n"+
		"  on Cognate or on AWS. Run \"cognate cognito-idp <command> help\" for a command's options.\n\n"+
		"AVAILABLE COMMANDS\n\n", m.Metadata.ServiceFullName, m.Metadata.APIVersion)
	for _, op := range m.Operations {
		fmt.Fprintf(w, "  o %s\n", names.Xform(op.Name))
	}
	fmt.Fprintln(w)
	return nil
}

// descriptions are the hand-written descriptions of the operations at the
// centre of Cognate.
var descriptions = map[string]string{
	"SetLogDeliveryConfiguration": `Replaces the log delivery configuration of a user pool. A pool exports
  two kinds of logs, each at most once in the list: "userNotification"
  (errors of email and SMS delivery, level ERROR, to a CloudWatch Logs log
  group) and "userAuthEvents" (threat-protection user activity, level
  INFO, to one of a CloudWatch Logs log group, an S3 bucket or a Data
  Firehose stream; the pool must be on the PLUS feature plan). Destinations
  must be in the pool's own account. An empty list turns log export off.`,
	"GetLogDeliveryConfiguration": `Shows the log delivery configuration of a user pool: the event sources
  it exports, at which level and to which destination, in the order they
  were set. A pool that never had one shows an empty list.`,
}

var examples = map[string]string{
	"SetLogDeliveryConfiguration": `To export delivery errors to a log group and user activity to a bucket

  cognate cognito-idp set-log-delivery-configuration \
      --user-pool-id us-west-2_EXAMPLE \
      --log-configurations \
        LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported} \
        LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::amzn-s3-demo-bucket1}

  The answer repeats the configuration as stored: LogDeliveryConfiguration
  with the pool ID and the two entries in the order given.

To turn log export off

  cognate cognito-idp set-log-delivery-configuration --user-pool-id us-west-2_EXAMPLE --log-configurations '[]'`,
	"GetLogDeliveryConfiguration": `To see where a user pool exports its logs

  cognate cognito-idp get-log-delivery-configuration --user-pool-id us-west-2_EXAMPLE`,
}

// globalHelp describes the global options.
var globalHelp = [][2]string{
	{"--debug (boolean)", "Write debug logs to stderr, including the signed request."},
	{"--endpoint-url (string)", "Send requests to this URL instead of the service's regional endpoint (e.g. a local Cognate)."},
	{"--no-verify-ssl (boolean)", "Do not verify TLS certificates."},
	{"--no-paginate (boolean)", "Make one call only, for the first page of results."},
	{"--output (string)", "Output format: json, text, table, yaml, yaml-stream or off."},
	{"--query (string)", "A JMESPath expression applied to the result."},
	{"--profile (string)", "Use this profile of the config and credentials files."},
	{"--region (string)", "The region to call."},
	{"--version (string)", "Print the version and exit."},
	{"--color (string)", "Colour table output: on, off or auto (on a terminal)."},
	{"--no-sign-request (boolean)", "Send requests unsigned; no credentials are loaded."},
	{"--ca-bundle (string)", "CA certificates to verify TLS with."},
	{"--cli-read-timeout (int)", "Socket read timeout in seconds (0: none; default 60)."},
	{"--cli-connect-timeout (int)", "Socket connect timeout in seconds (0: none; default 60)."},
	{"--cli-binary-format (string)", "How binary values are given: base64 (default) or raw-in-base64-out."},
	{"--no-cli-pager (boolean)", "Do not send output through a pager."},
	{"--cli-auto-prompt (boolean)", "Prompt for the command's parameters on a terminal."},
	{"--no-cli-auto-prompt (boolean)", "Turn automatic prompting off."},
	{"--cli-error-format (string)", "How errors are shown: enhanced (default), legacy, json, yaml, text or table."},
}

// writeOperationHelp prints an operation's page.
func writeOperationHelp(w io.Writer, m *model.Model, op *model.Operation, table []opArg) error {
	name := names.Xform(op.Name)
	fmt.Fprintf(w, "%s\n\nDESCRIPTION\n\n", strings.ToUpper(name))
	if d, ok := descriptions[op.Name]; ok {
		fmt.Fprintf(w, "  %s\n\n", d)
	} else {
		fmt.Fprintf(w, "  Calls the %s operation of the Amazon Cognito user pools API.\n\n", op.Name)
	}
	if m.Paginators[op.Name] != nil {
		fmt.Fprintf(w, "  %s is paginated: several calls may be made to get every result; --max-items,\n  --starting-token and --page-size control them, --no-paginate makes one call.\n\n", name)
	}
	fmt.Fprintf(w, "SYNOPSIS\n\n    %s\n", name)
	for _, a := range table {
		if a.arg.Flag == "" || a.arg.Flag == "--cli-input-yaml" {
			continue
		}
		switch {
		case a.arg.Flag == "--cli-input-json":
			fmt.Fprint(w, "  [--cli-input-json | --cli-input-yaml]\n")
		case a.arg.Kind == argv.StoreTrue:
			fmt.Fprintf(w, "  [%s | --no-%s]\n", a.arg.Flag, strings.TrimPrefix(a.arg.Flag, "--"))
		case a.arg.Kind == argv.StoreFalse:
		case a.arg.Required:
			fmt.Fprintf(w, "  %s <value>\n", a.arg.Flag)
		default:
			fmt.Fprintf(w, "  [%s <value>]\n", a.arg.Flag)
		}
	}
	for _, g := range globalHelp {
		flag, _, _ := strings.Cut(g[0], " ")
		if strings.HasSuffix(g[0], "(boolean)") {
			fmt.Fprintf(w, "  [%s]\n", flag)
		} else {
			fmt.Fprintf(w, "  [%s <value>]\n", flag)
		}
	}
	fmt.Fprint(w, "\nOPTIONS\n\n")
	if op.Input != "" {
		in := m.Shape(op.Input)
		for _, mem := range in.Members {
			req := ""
			if in.Required[mem.Name] {
				req = " [required]"
			}
			s := m.Shape(mem.Shape)
			fmt.Fprintf(w, "  --%s (%s)%s\n", names.Xform(mem.Name), typeName(s), req)
			for _, line := range rules(s) {
				fmt.Fprintf(w, "      %s\n", line)
			}
			if complexShape(m, s) {
				fmt.Fprint(w, "\n      Members:\n")
				writeMembers(w, m, s, "        ", 0)
				fmt.Fprintf(w, "\n      Shorthand syntax:\n\n        %s\n", shorthandSyntax(m, s))
				fmt.Fprintf(w, "\n      JSON syntax:\n\n%s\n", indent(jsonSyntax(m, s, "  ", 0), "        "))
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprint(w, "  --cli-input-json | --cli-input-yaml (string)\n      Read the parameters from JSON or YAML in the form --generate-cli-skeleton prints;\n      options given on the command line win over the file's top-level keys.\n\n")
	fmt.Fprint(w, "  --generate-cli-skeleton (string)\n      Print a JSON (input, the default) or YAML (yaml-input) skeleton of the parameters,\n      or a sample answer (output), without calling the service.\n\n")
	fmt.Fprint(w, "GLOBAL OPTIONS\n\n")
	for _, g := range globalHelp {
		fmt.Fprintf(w, "  %s\n      %s\n\n", g[0], g[1])
		if strings.HasPrefix(g[0], "--cli-auto-prompt ") {
			fmt.Fprintf(w, "%s\n\n", indent(strings.TrimSpace(prompt.Help), "      "))
		}
	}
	if e, ok := examples[op.Name]; ok {
		fmt.Fprintf(w, "EXAMPLES\n\n  %s\n\n", e)
	}
	fmt.Fprint(w, "OUTPUT\n\n")
	if op.Output == "" || len(m.Shape(op.Output).Members) == 0 {
		fmt.Fprint(w, "  None\n\n")
		return nil
	}
	writeMembers(w, m, m.Shape(op.Output), "  ", 0)
	fmt.Fprintln(w)
	return nil
}

func typeName(s *model.Shape) string {
	if s.Type == "map" {
		return "map"
	}
	return s.Type
}

// rules lists a shape's constraints in words.
func rules(s *model.Shape) []string {
	var out []string
	unit := "length"
	switch s.Type {
	case "list", "map":
		unit = "items"
	case "integer", "long":
		unit = "value"
	}
	switch {
	case s.Min != nil && s.Max != nil:
		out = append(out, fmt.Sprintf("%s %d to %d", strings.ToUpper(unit[:1])+unit[1:], *s.Min, *s.Max))
	case s.Min != nil:
		out = append(out, fmt.Sprintf("%s at least %d", strings.ToUpper(unit[:1])+unit[1:], *s.Min))
	case s.Max != nil:
		out = append(out, fmt.Sprintf("%s at most %d", strings.ToUpper(unit[:1])+unit[1:], *s.Max))
	}
	if s.Pattern != "" {
		out = append(out, "Pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		out = append(out, "Valid values: "+strings.Join(s.Enum, ", "))
	}
	if s.Sensitive {
		out = append(out, "Sensitive: not shown in logs")
	}
	return out
}

func complexShape(m *model.Model, s *model.Shape) bool {
	switch s.Type {
	case "structure", "map":
		return !s.Document
	case "list":
		e := m.Shape(s.Member)
		return e.Type == "structure" || e.Type == "list" || e.Type == "map"
	}
	return false
}

// writeMembers prints a structure's members (or a list's element) as
// "Name -> (type) [required]" lines with their rules, recursively.
func writeMembers(w io.Writer, m *model.Model, s *model.Shape, pad string, depth int) {
	if depth > 6 {
		return
	}
	switch s.Type {
	case "list":
		e := m.Shape(s.Member)
		fmt.Fprintf(w, "%s(%s)\n", pad, typeName(e))
		writeMembers(w, m, e, pad+"  ", depth+1)
	case "map":
		fmt.Fprintf(w, "%skey -> (%s)\n%svalue -> (%s)\n", pad, typeName(m.Shape(s.Key)), pad, typeName(m.Shape(s.Value)))
	case "structure":
		for _, mem := range s.Members {
			ms := m.Shape(mem.Shape)
			req := ""
			if s.Required[mem.Name] {
				req = " [required]"
			}
			fmt.Fprintf(w, "%s%s -> (%s)%s\n", pad, mem.Name, typeName(ms), req)
			for _, line := range rules(ms) {
				fmt.Fprintf(w, "%s    %s\n", pad, line)
			}
			if ms.Type == "structure" || ms.Type == "list" || ms.Type == "map" {
				writeMembers(w, m, ms, pad+"  ", depth+1)
			}
		}
	}
}

// shorthandSyntax is the shorthand template of a shape, as the AWS CLI's
// pages show it (LogLevel=string,EventSource=string,… ...).
func shorthandSyntax(m *model.Model, s *model.Shape) string {
	switch s.Type {
	case "list":
		return shorthandValue(m, m.Shape(s.Member), 0) + " ..."
	case "map":
		return "KeyName1=string,KeyName2=string"
	}
	return shorthandValue(m, s, 0)
}

func shorthandValue(m *model.Model, s *model.Shape, depth int) string {
	switch s.Type {
	case "structure":
		if depth > 3 {
			return "{...}"
		}
		var parts []string
		for _, mem := range s.Members {
			ms := m.Shape(mem.Shape)
			v := shorthandValue(m, ms, depth+1)
			if ms.Type == "structure" {
				v = "{" + v + "}"
			}
			parts = append(parts, mem.Name+"="+v)
		}
		return strings.Join(parts, ",")
	case "list":
		e := m.Shape(s.Member)
		if e.Type == "structure" {
			return "[{" + shorthandValue(m, e, depth+1) + "},{" + shorthandValue(m, e, depth+1) + "}]"
		}
		return e.Type + "," + e.Type
	case "map":
		return "{KeyName1=string,KeyName2=string}"
	}
	return s.Type
}

// jsonSyntax is the JSON template of a shape.
func jsonSyntax(m *model.Model, s *model.Shape, unit string, depth int) string {
	pad := strings.Repeat(unit, depth)
	switch s.Type {
	case "structure":
		if depth > 6 {
			return "{...}"
		}
		var b strings.Builder
		b.WriteString("{\n")
		for i, mem := range s.Members {
			fmt.Fprintf(&b, "%s%s%q: %s", pad, unit, mem.Name, jsonSyntax(m, m.Shape(mem.Shape), unit, depth+1))
			if i < len(s.Members)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(pad + "}")
		return b.String()
	case "list":
		return "[\n" + pad + unit + jsonSyntax(m, m.Shape(s.Member), unit, depth+1) + "\n" + pad + unit + "...\n" + pad + "]"
	case "map":
		return "{\"string\": " + jsonSyntax(m, m.Shape(s.Value), unit, depth+1) + "\n" + pad + "  ...}"
	case "string":
		if len(s.Enum) > 0 {
			q := make([]string, len(s.Enum))
			for i, e := range s.Enum {
				q[i] = fmt.Sprintf("%q", e)
			}
			return strings.Join(q, "|")
		}
		return `"string"`
	case "boolean":
		return "true|false"
	case "timestamp":
		return "timestamp"
	case "blob":
		return "blob"
	}
	return s.Type
}

func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}
