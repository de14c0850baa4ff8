package cli

import (
	"slices"

	"github.com/cognate/cognate/internal/cli/argv"
	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/model"
)

// opArg is one option of an operation and the model member behind it
// (Member empty for the CLI's own options).
type opArg struct {
	arg    *argv.Arg
	member string
}

// Destinations of the CLI's own operation options.
const (
	destStartingToken = "starting_token"
	destPageSize      = "page_size"
	destMaxItems      = "max_items"
	destCLIInputJSON  = "cli_input_json"
	destCLIInputYAML  = "cli_input_yaml"
	destSkeleton      = "generate_cli_skeleton"
	destHelp          = "help"
)

// operationArgs builds the argument table of an operation as the AWS CLI
// does: one option per input member in model order (lists take one or
// more values, booleans get a --no- twin), then the pagination options,
// --cli-input-json/--cli-input-yaml and --generate-cli-skeleton, then the
// positional "help". Required members stay required unless the command line
// holds --cli-input-json, --cli-input-yaml or --generate-cli-skeleton
// (other than "output"), exactly as typed.
func operationArgs(m *model.Model, op *model.Operation, args []string) []opArg {
	optional := slices.Contains(args, "--cli-input-json") || slices.Contains(args, "--cli-input-yaml")
	if i := slices.Index(args, "--generate-cli-skeleton"); i >= 0 && !(i+1 < len(args) && args[i+1] == "output") {
		optional = true
	}
	var table []opArg
	if op.Input != "" {
		in := m.Shape(op.Input)
		for _, mem := range in.Members {
			shape := m.Shape(mem.Shape)
			flag := "--" + names.Xform(mem.Name)
			required := in.Required[mem.Name] && !optional
			switch shape.Type {
			case "boolean":
				table = append(table,
					opArg{&argv.Arg{Flag: flag, Dest: mem.Name, Kind: argv.StoreTrue, Nargs: argv.Zero, Required: required}, mem.Name},
					opArg{&argv.Arg{Flag: "--no-" + names.Xform(mem.Name), Dest: mem.Name, Kind: argv.StoreFalse, Nargs: argv.Zero}, mem.Name})
			case "list":
				table = append(table, opArg{&argv.Arg{Flag: flag, Dest: mem.Name, Nargs: argv.OneOrMore, Required: required}, mem.Name})
			default:
				table = append(table, opArg{&argv.Arg{Flag: flag, Dest: mem.Name, Required: required}, mem.Name})
			}
		}
	}
	if p := m.Paginators[op.Name]; p != nil {
		// awscli/customizations/paginate.py: --starting-token, --page-size
		// (when there is a limit key), --max-items; the last two are ints.
		table = append(table, opArg{arg: &argv.Arg{Flag: "--starting-token", Dest: destStartingToken}})
		if p.LimitKey != "" {
			table = append(table, opArg{arg: &argv.Arg{Flag: "--page-size", Dest: destPageSize, Int: true}})
		}
		table = append(table, opArg{arg: &argv.Arg{Flag: "--max-items", Dest: destMaxItems, Int: true}})
	}
	table = append(table,
		opArg{arg: &argv.Arg{Flag: "--cli-input-json", Dest: destCLIInputJSON}},
		opArg{arg: &argv.Arg{Flag: "--cli-input-yaml", Dest: destCLIInputYAML}},
		opArg{arg: &argv.Arg{Flag: "--generate-cli-skeleton", Dest: destSkeleton, Nargs: argv.Optional, Const: "input", Choices: []string{"input", "output", "yaml-input"}}},
		opArg{arg: &argv.Arg{Dest: destHelp, Nargs: argv.Optional}},
	)
	return table
}

func parserOf(table []opArg) *argv.Parser {
	p := &argv.Parser{}
	for _, a := range table {
		p.Args = append(p.Args, a.arg)
	}
	return p
}
