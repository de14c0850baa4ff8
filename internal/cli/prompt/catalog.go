package prompt

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/model"
)

// service is the one service of the command line.
const service = "cognito-idp"

// option is one option the prompt knows: an operation's (from the model,
// as the cli package's argument table builds them) or a global one.
type option struct {
	name     string   // "--user-pool-id"
	typ      string   // type as listed: string, integer, boolean, list, structure, map, blob, timestamp, int
	required bool     // required by the model (before --cli-input-json and friends are considered)
	value    bool     // takes a value
	list     bool     // takes one or more values (argparse nargs='+')
	values   []string // the enum or choices of the value (of a list's element)
	twin     string   // a boolean's other flag (--x ↔ --no-x)
	hidden   bool     // accepted but never suggested
	doc      string   // the doc line
}

// command is one operation.
type command struct {
	name    string // kebab
	op      *model.Operation
	options []*option // in the argument table's order
	doc     string    // its doc line, once made
}

// catalog is what the prompt completes, built from the model.
type catalog struct {
	m        *model.Model
	ops      map[string]*command
	opNames  []string // sorted
	globals  []*option
	byGlobal map[string]*option
}

func newCatalog(m *model.Model) *catalog {
	c := &catalog{m: m, ops: map[string]*command{}, byGlobal: map[string]*option{}}
	if m != nil {
		for _, op := range m.Operations {
			name := names.Xform(op.Name)
			c.ops[name] = &command{name: name, op: op}
			c.opNames = append(c.opNames, name)
		}
	}
	sort.Strings(c.opNames)
	c.globals = globalOptions()
	for _, g := range c.globals {
		c.byGlobal[g.name] = g
	}
	return c
}

// command returns the named operation with its options, or nil.
func (c *catalog) command(name string) *command {
	cmd := c.ops[name]
	if cmd == nil {
		return nil
	}
	if cmd.options == nil {
		cmd.options = operationOptions(c.m, cmd.op)
	}
	return cmd
}

// globalOptions are the AWS CLI v2's global options, in its order
// (awscli/data/cli.json). The two auto-prompt flags are accepted but not
// offered, as in the AWS CLI's prompt.
func globalOptions() []*option {
	flag := func(name, doc string) *option {
		return &option{name: name, typ: "boolean", doc: doc}
	}
	val := func(name, typ, doc string, values ...string) *option {
		return &option{name: name, typ: typ, value: true, values: values, doc: doc}
	}
	return []*option{
		flag("--debug", "write debug logs to stderr, including the signed request"),
		val("--endpoint-url", "string", "send requests to this URL (e.g. a local Cognate) instead of the regional endpoint"),
		flag("--no-verify-ssl", "do not verify TLS certificates"),
		flag("--no-paginate", "make one call only, for the first page of results"),
		val("--output", "string", "output format", "json", "text", "table", "yaml", "yaml-stream", "off"),
		val("--query", "string", "a JMESPath expression applied to the result"),
		val("--profile", "string", "the profile of the config and credentials files to use"),
		val("--region", "string", "the region to call"),
		val("--color", "string", "colour of table output", "on", "off", "auto"),
		flag("--no-sign-request", "send requests unsigned; no credentials are loaded"),
		val("--ca-bundle", "string", "a file of CA certificates to verify TLS with"),
		val("--cli-read-timeout", "int", "socket read timeout in seconds (0: none; default 60)"),
		val("--cli-connect-timeout", "int", "socket connect timeout in seconds (0: none; default 60)"),
		val("--cli-binary-format", "string", "how blob values are given", "base64", "raw-in-base64-out"),
		flag("--no-cli-pager", "do not send output through a pager"),
		{name: "--cli-auto-prompt", typ: "boolean", hidden: true},
		{name: "--no-cli-auto-prompt", typ: "boolean", hidden: true},
		val("--cli-error-format", "string", "how errors are shown", "legacy", "json", "yaml", "text", "table", "enhanced"),
		flag("--version", "print the version and exit"),
	}
}

// operationOptions builds an operation's options in the order of the cli
// package's argument table: one per input member in model order (booleans
// as a --x/--no-x pair, lists taking one or more values), the pagination
// options of a paginated operation, --cli-input-json, --cli-input-yaml and
// --generate-cli-skeleton.
func operationOptions(m *model.Model, op *model.Operation) []*option {
	var out []*option
	if op.Input != "" {
		in := m.Shape(op.Input)
		for _, mem := range in.Members {
			s := m.Shape(mem.Shape)
			name := "--" + names.Xform(mem.Name)
			o := &option{name: name, typ: s.Type, required: in.Required[mem.Name], value: true, doc: shapeDoc(m, s)}
			if mem.Deprecated {
				o.doc += "; deprecated"
			}
			switch s.Type {
			case "boolean":
				no := "--no-" + names.Xform(mem.Name)
				o.value, o.twin = false, no
				o.doc = "boolean flag; " + no + " sets it to false"
				out = append(out, o, &option{name: no, typ: "boolean", twin: name, doc: "sets " + mem.Name + " to false; " + name + " sets it to true"})
				continue
			case "list":
				o.list = true
				o.values = m.Shape(s.Member).Enum
			default:
				o.values = s.Enum
			}
			out = append(out, o)
		}
	}
	if p := m.Paginators[op.Name]; p != nil {
		out = append(out, &option{name: "--starting-token", typ: "string", value: true, doc: "string; the NextToken of an earlier --max-items answer, to resume from"})
		if p.LimitKey != "" {
			out = append(out, &option{name: "--page-size", typ: "integer", value: true, doc: "integer; items asked for in each call of the pagination"})
		}
		out = append(out, &option{name: "--max-items", typ: "integer", value: true, doc: "integer; the most items to print in all (a NextToken follows when there are more)"})
	}
	out = append(out,
		&option{name: "--cli-input-json", typ: "string", value: true, doc: "string; the parameters as JSON (or file://path), in --generate-cli-skeleton's form"},
		&option{name: "--cli-input-yaml", typ: "string", value: true, doc: "string; the parameters as YAML (or file://path), in --generate-cli-skeleton yaml-input's form"},
		&option{name: "--generate-cli-skeleton", typ: "string", value: true, values: []string{"input", "output", "yaml-input"},
			doc: "string; print a skeleton of the parameters (input, yaml-input) or of the answer (output) and make no call"},
	)
	return out
}

// shapeDoc describes a member's shape from the model's facts: type, element
// type, length or range, pattern, enum values.
func shapeDoc(m *model.Model, s *model.Shape) string {
	var parts []string
	switch s.Type {
	case "list":
		e := m.Shape(s.Member)
		t := "list of " + e.Type + " (one or more values"
		if e.Type == "structure" || e.Type == "map" || e.Type == "list" {
			t += ", each shorthand or JSON"
		}
		parts = append(parts, t+")")
		parts = append(parts, limits(s)...)
		if e.Type == "structure" {
			parts = append(parts, "members: "+members(e))
		}
		parts = append(parts, limits(e)...)
		if len(e.Enum) > 0 {
			parts = append(parts, "values: "+strings.Join(e.Enum, ", "))
		}
		return strings.Join(parts, "; ")
	case "structure":
		parts = append(parts, "structure (shorthand or JSON)", "members: "+members(s))
	case "map":
		parts = append(parts, fmt.Sprintf("map of %s to %s (shorthand Key=Value,… or JSON)", m.Shape(s.Key).Type, m.Shape(s.Value).Type))
	case "blob":
		parts = append(parts, "blob (base64, or fileb://path)")
	default:
		parts = append(parts, s.Type)
	}
	parts = append(parts, limits(s)...)
	if s.Pattern != "" && len(s.Enum) == 0 {
		parts = append(parts, "pattern "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		parts = append(parts, "values: "+strings.Join(s.Enum, ", "))
	}
	if s.Sensitive {
		parts = append(parts, "sensitive")
	}
	return strings.Join(parts, "; ")
}

// limits is a shape's min/max in words.
func limits(s *model.Shape) []string {
	unit := "length"
	switch s.Type {
	case "list", "map":
		unit = "items"
	case "integer", "long":
		unit = "range"
	case "structure", "boolean", "timestamp", "blob":
		if s.Type != "blob" {
			return nil
		}
	}
	switch {
	case s.Min != nil && s.Max != nil:
		return []string{fmt.Sprintf("%s %d to %d", unit, *s.Min, *s.Max)}
	case s.Min != nil:
		return []string{fmt.Sprintf("%s at least %d", unit, *s.Min)}
	case s.Max != nil:
		return []string{fmt.Sprintf("%s at most %d", unit, *s.Max)}
	}
	return nil
}

// members lists a structure's member names, the required ones marked.
func members(s *model.Shape) string {
	names := make([]string, 0, len(s.Members))
	for _, mem := range s.Members {
		n := mem.Name
		if s.Required[mem.Name] {
			n += " (required)"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}
