package cli

import (
	"github.com/cognate/cognate/internal/cli/argv"
	"github.com/cognate/cognate/internal/cli/py"
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
		// cli.json says "type": "int", which awscli does not give argparse:
		// globalargs.py _resolve_timeout converts them with int().
		{Flag: "--cli-read-timeout", Dest: "read_timeout"},
		{Flag: "--cli-connect-timeout", Dest: "connect_timeout"},
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
	rawReadTimeout, rawConnectTimeout                      *string
}

func readGlobals(r argv.Result) *globals {
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
	g.rawReadTimeout, g.rawConnectTimeout = str("read_timeout"), str("connect_timeout")
	return g
}

// resolveTimeouts converts --cli-read-timeout and --cli-connect-timeout
// with Python's int(), read first (globalargs.py resolve_cli_read_timeout
// and resolve_cli_connect_timeout, in their registration order).
func (g *globals) resolveTimeouts() error {
	for _, t := range []struct {
		raw *string
		dst **int
	}{{g.rawReadTimeout, &g.readTimeout}, {g.rawConnectTimeout, &g.connectTimeout}} {
		if t.raw == nil {
			continue
		}
		n, err := py.Int(*t.raw)
		if err != nil {
			return err
		}
		i := int(n)
		*t.dst = &i
	}
	return nil
}
