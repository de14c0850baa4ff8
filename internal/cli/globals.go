package cli

import (
	"github.com/cognate/cognate/internal/cli/argv"
)

// globalArgs are the AWS CLI v2's global options (awscli/data/cli.json), in
// its order: argparse lists ambiguous prefixes in this order. --version is
// last because the CLI adds it again after the table.
func globalArgs() []*argv.Arg {
	return []*argv.Arg{
		{Flag: "--debug", Dest: "debug", Kind: argv.StoreTrue, Nargs: argv.Zero},
		{Flag: "--endpoint-url", Dest: "endpoint_url"},
		{Flag: "--no-verify-ssl", Dest: "verify_ssl", Kind: argv.StoreFalse, Nargs: argv.Zero},
		{Flag: "--no-paginate", Dest: "paginate", Kind: argv.StoreFalse, Nargs: argv.Zero},
		{Flag: "--output", Dest: "output", Choices: []string{"json", "text", "table", "yaml", "yaml-stream", "off"}},
		{Flag: "--query", Dest: "query"},
		{Flag: "--profile", Dest: "profile"},
		{Flag: "--region", Dest: "region"},
		{Flag: "--color", Dest: "color", Choices: []string{"on", "off", "auto"}},
		{Flag: "--no-sign-request", Dest: "sign_request", Kind: argv.StoreFalse, Nargs: argv.Zero},
		{Flag: "--ca-bundle", Dest: "ca_bundle"},
		{Flag: "--cli-read-timeout", Dest: "read_timeout", Int: true},
		{Flag: "--cli-connect-timeout", Dest: "connect_timeout", Int: true},
		{Flag: "--cli-binary-format", Dest: "cli_binary_format", Choices: []string{"base64", "raw-in-base64-out"}},
		{Flag: "--no-cli-pager", Dest: "no_cli_pager", Kind: argv.StoreTrue, Nargs: argv.Zero},
		{Flag: "--cli-auto-prompt", Dest: "cli_auto_prompt", Kind: argv.StoreTrue, Nargs: argv.Zero},
		{Flag: "--no-cli-auto-prompt", Dest: "no_cli_auto_prompt", Kind: argv.StoreTrue, Nargs: argv.Zero},
		{Flag: "--cli-error-format", Dest: "cli_error_format", Choices: []string{"legacy", "json", "yaml", "text", "table", "enhanced"}},
		{Flag: "--version", Dest: "version", Kind: argv.StoreTrue, Nargs: argv.Zero},
	}
}

// globals are the parsed global options.
type globals struct {
	debug, noVerifySSL, noPaginate, noSignRequest, noPager bool
	autoPrompt, noAutoPrompt, version                      bool
	endpointURL, output, query, profile, region            *string
	color, caBundle, binaryFormat, errorFormat             *string
	readTimeout, connectTimeout                            *int
}

func readGlobals(r argv.Result) (*globals, error) {
	g := &globals{}
	str := func(dest string) *string {
		if v := r[dest]; v != nil && len(v.Strings) > 0 {
			s := v.Strings[0]
			return &s
		}
		return nil
	}
	flag := func(dest string) bool { v := r[dest]; return v != nil && v.Bool != nil }
	g.debug = flag("debug")
	g.noVerifySSL = flag("verify_ssl")
	g.noPaginate = flag("paginate")
	g.noSignRequest = flag("sign_request")
	g.noPager = flag("no_cli_pager")
	g.autoPrompt = flag("cli_auto_prompt")
	g.noAutoPrompt = flag("no_cli_auto_prompt")
	g.version = flag("version")
	g.endpointURL, g.output, g.query = str("endpoint_url"), str("output"), str("query")
	g.profile, g.region, g.color = str("profile"), str("region"), str("color")
	g.caBundle, g.binaryFormat, g.errorFormat = str("ca_bundle"), str("cli_binary_format"), str("cli_error_format")
	for dest, dst := range map[string]**int{"read_timeout": &g.readTimeout, "connect_timeout": &g.connectTimeout} {
		if s := str(dest); s != nil {
			n, err := argv.ParseInt(*s)
			if err != nil {
				return nil, err
			}
			i := int(n)
			*dst = &i
		}
	}
	return g, nil
}
