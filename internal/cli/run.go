package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/cognate/cognate/internal/cli/argv"
	"github.com/cognate/cognate/internal/cli/awsclient"
	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/cli/output"
	"github.com/cognate/cognate/internal/cli/params"
	"github.com/cognate/cognate/internal/cli/prompt"
	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/query"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// service is the one service this command line speaks.
const service = "cognito-idp"

// Version is the version the CLI reports; internal/app sets it.
var Version = "dev"

// Main runs `cognate <args>` where args start at the CLI's own arguments
// (globals, "cognito-idp", the operation, …) and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr *os.File) int {
	r := &runner{stdin: stdin, stdout: stdout, stderr: stderr, model: model.CognitoIDP()}
	if slices.Contains(args, "--cli-auto-prompt") && slices.Contains(args, "--no-cli-auto-prompt") {
		return writeError(stderr, clierr.New(clierr.ParamValidation, "Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time."), r.resolveErrorFormat())
	}
	// Auto-prompt (awscli/clidriver.py resolve_auto_prompt_mode): decided
	// from the raw arguments, the environment and the cli_auto_prompt of
	// the profile named by the environment, before any parsing. It only
	// runs on a terminal.
	configured, _ := awsclient.Setting("", "cli_auto_prompt")
	mode := prompt.Mode(args, os.LookupEnv, configured)
	if mode != prompt.ModeOff && !(isTerminal(stdout) && isTerminalReader(stdin)) {
		mode = prompt.ModeOff
	}
	if mode == prompt.ModeOn {
		prompted, code, done := r.prompt(args)
		if done {
			return code
		}
		args = prompted
	}
	if mode == prompt.ModeOnPartial {
		// Run once with parameter errors silenced; on 252, prompt and run
		// again with normal errors.
		code := r.main(args, true)
		if code != 252 {
			return code
		}
		prompted, code, done := r.prompt(args)
		if done {
			return code
		}
		args = prompted
	}
	return r.main(args, false)
}

// prompt runs the interactive prompt; done reports that the command ends
// there (interrupted) with code.
func (r *runner) prompt(args []string) (prompted []string, code int, done bool) {
	in, _ := r.stdin.(*os.File)
	prompted, err := prompt.Prompt(r.model, args, in, r.stdout)
	var intr *prompt.Interrupted
	switch {
	case errors.As(err, &intr):
		fmt.Fprintln(r.stderr, intr.Line)
		return nil, 130, true
	case err != nil:
		return nil, writeError(r.stderr, err, r.resolveErrorFormat()), true
	}
	return prompted, 0, false
}

func isTerminalReader(in io.Reader) bool {
	f, ok := in.(*os.File)
	return ok && isTerminal(f)
}

// main runs one command line; silenceParams hides parameter errors (the
// first pass of on-partial mode).
func (r *runner) main(args []string, silenceParams bool) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code, err := r.run(ctx, args)
	if ctx.Err() != nil {
		// Ctrl-C: a newline on stdout and 128+SIGINT (awscli InterruptExceptionHandler).
		fmt.Fprint(r.stdout, "\n")
		return 130
	}
	if err != nil {
		if silenceParams && isParamError(err) {
			return 252
		}
		return writeError(r.stderr, err, r.resolveErrorFormat())
	}
	return code
}

// isParamError reports the errors on-partial mode prompts after: argparse
// and parameter errors (awscli SilenceParamValidationMsgErrorHandler);
// unknown options are still printed.
func isParamError(err error) bool {
	var pe *argv.Error
	var ce *clierr.Error
	switch {
	case errors.As(err, &pe):
		return true
	case errors.As(err, &ce):
		return ce.Kind == clierr.Usage || ce.Kind == clierr.ParamParse || ce.Kind == clierr.ParamValidation
	}
	return false
}

type runner struct {
	stdin          io.Reader
	stdout, stderr *os.File
	model          *model.Model
	errorFormat    string // --cli-error-format
	profile        string // --profile
}

// resolveErrorFormat is the error format when an error is reported:
// --cli-error-format > AWS_CLI_ERROR_FORMAT > the profile's
// cli_error_format (awscli/clidriver.py _construct_cli_error_format_chain,
// consulted by errorhandler.py for every error, those of the argument
// parsing included); "" is "enhanced".
func (r *runner) resolveErrorFormat() string {
	if r.errorFormat != "" {
		return r.errorFormat
	}
	if v, ok := os.LookupEnv("AWS_CLI_ERROR_FORMAT"); ok {
		return v
	}
	v, _ := awsclient.Setting(r.profile, "cli_error_format")
	return v
}

func (r *runner) run(ctx context.Context, args []string) (int, error) {
	main := &argv.Parser{Args: append(globalArgs(), &argv.Arg{Dest: "command", Metavar: "command", Required: true, Choices: []string{service}})}
	if i := slices.Index(args, "--version"); i >= 0 && versionFirst(main, args) {
		fmt.Fprintln(r.stdout, versionString())
		return 0, nil
	}
	res, rest, err := main.ParseKnown(args)
	if err != nil {
		return 0, err
	}
	g := readGlobals(res)
	if g.debug {
		log := awsclient.NewLogger(r.stderr)
		log.Debug("awscli.clidriver", "CLI version: %s", versionString())
		log.Debug("awscli.clidriver", "Arguments entered to CLI: %s", py.ListRepr(args))
	}
	if g.errorFormat != nil {
		r.errorFormat = *g.errorFormat
	}
	r.profile = deref(g.profile)
	if g.version {
		fmt.Fprintln(r.stdout, versionString())
		return 0, nil
	}
	// The top-level-args-parsed handlers, in awscli/customizations/
	// globalargs.py's order: --query and --endpoint-url (resolve_types),
	// then the timeouts, which Python's int() converts (ValueError: exit
	// 255).
	var q *query.Query
	if g.query != nil {
		if q, err = query.Compile(*g.query); err != nil {
			return 0, &clierr.Error{Kind: clierr.ParamParse, Message: "Bad value for --query " + *g.query + ": " + err.Error(), Err: err}
		}
	}
	if g.endpointURL != nil {
		if err := awsclient.CheckEndpointURL(*g.endpointURL); err != nil {
			return 0, err
		}
	}
	if err := g.resolveTimeouts(); err != nil {
		return 0, clierr.New(clierr.Other, "%s", err.Error())
	}

	// The service level: the operation (or help).
	ops := map[string]*model.Operation{}
	choices := []string{}
	for _, op := range r.model.Operations {
		ops[names.Xform(op.Name)] = op
		choices = append(choices, names.Xform(op.Name))
	}
	choices = append(choices, "help")
	svc := &argv.Parser{Args: []*argv.Arg{{Dest: "operation", Metavar: "operation", Required: true, Choices: choices}}}
	sres, opArgs, err := svc.ParseKnown(rest)
	if err != nil {
		return 0, err
	}
	opName := sres["operation"].Strings[0]
	if opName == "help" {
		return 0, writeServiceHelp(r.stdout, r.model)
	}
	op := ops[opName]

	// The operation level. "help" alone asks for the page before any
	// option is checked (awscli/argparser.py ArgTableArgParser
	// .parse_known_args).
	table := operationArgs(r.model, op, opArgs)
	if len(opArgs) == 1 && opArgs[0] == "help" {
		return 0, writeOperationHelp(r.stdout, r.model, op, table)
	}
	ores, extras, err := parserOf(table).ParseKnown(opArgs)
	if err != nil {
		return 0, err
	}
	if h := ores[destHelp]; h != nil {
		if h.Strings[0] == "help" {
			return 0, writeOperationHelp(r.stdout, r.model, op, table)
		}
		extras = append(extras, h.Strings[0])
	}
	if len(extras) > 0 {
		return 0, &unknownOptions{names: extras}
	}
	return r.call(ctx, g, q, op, table, ores)
}

// versionFirst reports whether --version comes before anything argparse
// would fail on: argparse prints the version as soon as it meets the flag.
func versionFirst(p *argv.Parser, args []string) bool {
	i := slices.Index(args, "--version")
	_, _, err := p.ParseKnown(args[:i])
	var pe *argv.Error
	return err == nil || (errors.As(err, &pe) && strings.HasPrefix(pe.Message, "the following arguments are required"))
}

// versionString is what --version prints, in the AWS CLI's shape with
// Cognate's own name.
func versionString() string {
	goos := runtime.GOOS
	return fmt.Sprintf("cognate/%s %s/%s exe/%s", Version, strings.ToUpper(goos[:1])+goos[1:], runtime.Version(), runtime.GOARCH)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// call builds the request, sends it and writes the answer.
func (r *runner) call(ctx context.Context, g *globals, q *query.Query, op *model.Operation, table []opArg, res argv.Result) (int, error) {
	var args []params.Arg
	for _, a := range table {
		if a.member == "" {
			continue
		}
		v := res[a.arg.Dest]
		if v == nil || (a.arg.Kind == argv.StoreFalse && v.Bool != nil && *v.Bool) || (a.arg.Kind == argv.StoreTrue && v.Bool != nil && !*v.Bool) {
			continue
		}
		if slices.ContainsFunc(args, func(x params.Arg) bool { return x.Member == a.member }) {
			continue
		}
		args = append(args, params.Arg{Member: a.member, Option: v.Flag, Tokens: v.Strings, Bool: v.Bool})
	}
	opts := params.Options{}
	if v := res[destCLIInputJSON]; v != nil {
		opts.CLIInputJSON = &v.Strings[0]
	}
	if v := res[destCLIInputYAML]; v != nil {
		opts.CLIInputYAML = &v.Strings[0]
	}
	// The AWS CLI's order: the pagination options are checked
	// (operation-args-parsed), arguments are parsed (shorthand, JSON,
	// files, --cli-input-*), input skeletons printed, then the client is
	// made (profile, region, endpoint), then the parameters validated.
	pg, err := r.paginationOf(op, g, args, res)
	if err != nil {
		return 0, err
	}
	opts.BinaryFormat = firstNonEmpty(deref(g.binaryFormat), params.BinaryBase64)
	opts.AfterArgs = func() {
		// paginate.py PageArgument.add_to_params, for a paginated
		// operation whether it paginates or not.
		if v := res[destMaxItems]; v != nil {
			if n, _ := py.Int(v.Strings[0]); n <= 0 {
				fmt.Fprint(r.stderr, "warning: Non-positive values for --max-items may result in undefined behavior.\n")
			}
		}
	}
	prepared, err := params.Prepare(r.model, op, args, opts)
	if err != nil {
		return 0, err
	}
	pg.afterInput(prepared.Params)
	if v := res[destSkeleton]; v != nil && v.Strings[0] != "output" {
		out, serr := params.Skeleton(r.model, op, v.Strings[0], args, opts)
		if serr != nil {
			return 0, serr
		}
		fmt.Fprint(r.stdout, out)
		return 0, nil
	}
	client, settings, cerr := awsclient.New(ctx, awsclient.Config{
		Profile: deref(g.profile), Region: deref(g.region), EndpointURL: deref(g.endpointURL), CABundle: deref(g.caBundle),
		NoSignRequest: g.noSignRequest, NoVerifySSL: g.noVerifySSL,
		ReadTimeout: g.readTimeout, ConnectTimeout: g.connectTimeout,
		Debug:     debugWriter(g, r.stderr),
		UserAgent: "cognate/" + Version + " md/command#" + service + "." + names.Xform(op.Name),
		Model:     r.model,
		// Each page's request is validated with the page size and token
		// in it (botocore validates every call the paginator makes).
		Serialize: func(op *model.Operation, p *value.Object) ([]byte, error) {
			if err := prepared.Validate(r.model, op, p); err != nil {
				return nil, err
			}
			return params.Body(r.model, op, p)
		},
	})
	if cerr != nil {
		return 0, cerr
	}
	opts.BinaryFormat = firstNonEmpty(deref(g.binaryFormat), settings["cli_binary_format"], params.BinaryBase64)
	if err := prepared.Decode(r.model, op, opts); err != nil {
		return 0, err
	}
	if !pg.on {
		pg.addPaginationConfig(prepared.Params, args)
		if err := prepared.Validate(r.model, op, prepared.Params); err != nil {
			return 0, err
		}
	}
	in := prepared.Params

	format := firstNonEmpty(deref(g.output), os.Getenv("AWS_DEFAULT_OUTPUT"), settings["output"], "json")
	switch format {
	case "json", "text", "table", "yaml", "yaml-stream", "off":
	default:
		return 0, clierr.New(clierr.Other, "Unknown output type: %s", format)
	}
	tsFormat := firstNonEmpty(settings["cli_timestamp_format"], "iso8601")
	color := false
	switch deref(g.color) {
	case "on":
		color = true
	case "", "auto":
		color = isTerminal(r.stdout)
	}
	out, closeOut := r.outputStream(g, settings)
	defer closeOut()
	oo := output.Options{Format: format, Color: color, Title: op.Name}
	// colorama's reset when a coloured table went to a terminal, after the
	// pager is closed (deferred calls run last-in first-out).
	defer func() { _ = output.ColoramaAtExit(r.stdout, oo) }()
	if v := res[destSkeleton]; v != nil {
		// --generate-cli-skeleton output: a stub answer, formatted.
		stub, serr := params.OutputSkeleton(r.model, op, args, opts)
		if serr != nil {
			return 0, serr
		}
		return 0, writeResult(out, stub, q, oo)
	}

	paginator := r.model.Paginators[op.Name]
	if !pg.on {
		body, err := params.Body(r.model, op, in)
		if err != nil {
			return 0, err
		}
		raw, err := client.Call(ctx, op, body)
		if err != nil {
			return 0, err
		}
		resp, err := params.DecodeResponse(r.model, op, raw, tsFormat)
		if err != nil {
			return 0, clierr.New(clierr.Other, "%s", err.Error())
		}
		return 0, writeResult(out, resp, q, oo)
	}
	return 0, r.paginate(ctx, client, op, paginator, in, res, q, oo, out, tsFormat)
}

// pagination is the AWS CLI's decision to paginate an operation
// (awscli/customizations/paginate.py).
type pagination struct {
	p  *model.Paginator
	on bool
	// given are the pagination options on the command line (not None),
	// in the argument table's order, with their values.
	given []pageOption
}

type pageOption struct {
	dest, value string
}

// paginationOf is check_should_enable_pagination (operation-args-parsed):
// pagination is on for a paginated operation unless --no-paginate or the
// service's own token or limit option is given; when it is off, the
// pagination options that are set (truthy, as Python tests them) are an
// error.
func (r *runner) paginationOf(op *model.Operation, g *globals, args []params.Arg, res argv.Result) (*pagination, error) {
	pg := &pagination{p: r.model.Paginators[op.Name]}
	if pg.p == nil {
		return pg, nil
	}
	pg.on = !g.noPaginate
	for _, a := range args {
		if a.Member == pg.p.InputToken || a.Member == pg.p.LimitKey {
			pg.on = false
		}
	}
	var used []string
	for _, d := range []string{destStartingToken, destPageSize, destMaxItems} {
		v := res[d]
		if v == nil {
			continue
		}
		pg.given = append(pg.given, pageOption{d, v.Strings[0]})
		if pyTruthy(d, v.Strings[0]) {
			used = append(used, "--"+strings.ReplaceAll(d, "_", "-"))
		}
	}
	if !pg.on && len(used) > 0 {
		return nil, clierr.New(clierr.ParamValidation, "Cannot specify --no-paginate along with pagination arguments: %s", strings.Join(used, ", "))
	}
	return pg, nil
}

// pyTruthy is Python's truth of a pagination option's value: the empty
// token, and the page size or item count 0, are false.
func pyTruthy(dest, v string) bool {
	if dest == destStartingToken {
		return v != ""
	}
	n, err := py.Int(v)
	return err != nil || n != 0
}

// afterInput is check_should_enable_pagination_call_parameters
// (calling-command): a token or limit member that --cli-input-json/yaml
// put in the parameters turns pagination off too, without the check of
// the options.
func (pg *pagination) afterInput(p *value.Object) {
	if !pg.on {
		return
	}
	for _, k := range p.Keys() {
		if k == pg.p.InputToken || k == pg.p.LimitKey {
			pg.on = false
		}
	}
}

// addPaginationConfig: the pagination options put a "PaginationConfig"
// member in the call's parameters (paginate.py PageArgument.add_to_params),
// after the options' members and before --cli-input-*'s; a call that is
// not paginated sends it to botocore's validation, which reports it as an
// unknown parameter.
func (pg *pagination) addPaginationConfig(p *value.Object, args []params.Arg) {
	if pg.p == nil || len(pg.given) == 0 {
		return
	}
	config := value.NewObject()
	for _, o := range pg.given {
		switch o.dest {
		case destStartingToken:
			config.Set("StartingToken", o.value)
		case destPageSize:
			n, _ := py.Int(o.value)
			config.Set("PageSize", n)
		case destMaxItems:
			n, _ := py.Int(o.value)
			config.Set("MaxItems", n)
		}
	}
	fromArgs := map[string]bool{}
	for _, a := range args {
		fromArgs[a.Member] = true
	}
	rebuilt := value.NewObject()
	keys := p.Keys()
	i := 0
	for ; i < len(keys) && fromArgs[keys[i]]; i++ {
		v, _ := p.Get(keys[i])
		rebuilt.Set(keys[i], v)
	}
	rebuilt.Set("PaginationConfig", config)
	for ; i < len(keys); i++ {
		v, _ := p.Get(keys[i])
		rebuilt.Set(keys[i], v)
	}
	for _, k := range keys {
		p.Delete(k)
	}
	for _, k := range rebuilt.Keys() {
		v, _ := rebuilt.Get(k)
		p.Set(k, v)
	}
}

// writeResult applies --query and writes one complete result.
func writeResult(w io.Writer, v any, q *query.Query, o output.Options) error {
	if q != nil {
		var err error
		if v, err = q.Search(v); err != nil {
			return clierr.New(clierr.Other, "%s", err.Error())
		}
	}
	return output.Write(w, v, o)
}

func (r *runner) paginate(ctx context.Context, client *awsclient.Client, op *model.Operation, p *model.Paginator, in *value.Object, res argv.Result, q *query.Query, o output.Options, w io.Writer, tsFormat string) error {
	// Every option given goes into PaginationConfig, 0 and "" included
	// (paginate.py PageArgument.add_to_params: "if value is not None").
	var po awsclient.PageOptions
	if v := res[destMaxItems]; v != nil {
		n, _ := py.Int(v.Strings[0]) // argv checked it
		maxItems := int(n)
		po.MaxItems = &maxItems
	}
	if v := res[destPageSize]; v != nil {
		n, _ := py.Int(v.Strings[0])
		pageSize := int(n)
		po.PageSize = &pageSize
	}
	if v := res[destStartingToken]; v != nil {
		po.StartingToken = &v.Strings[0]
	}
	streaming := o.Format == "text" || o.Format == "yaml-stream"
	var stream output.Stream
	if streaming {
		// text and yaml-stream are written page by page.
		var err error
		if stream, err = output.NewStream(w, o); err != nil {
			return err
		}
	}
	var merged *value.Object
	pageNo := 0
	next, err := client.PaginateWith(ctx, op, p, in, po, func(body []byte, _ *value.Object) error {
		page, err := params.DecodeResponse(r.model, op, body, tsFormat)
		if err != nil {
			return err
		}
		defer func() { pageNo++ }()
		switch o.Format {
		case "yaml-stream":
			// Each raw page, tokens included, --query per page (awscli
			// StreamedYAMLFormatter._get_transformed_response_for_output).
			return streamPage(stream, page, q)
		case "text":
			// The first page with the keys that are not results, the
			// others with the result key only; --query per page
			// (awscli TextFormatter).
			current := value.NewObject()
			if pageNo == 0 {
				for _, k := range page.Keys() {
					if k != p.ResultKey && k != p.OutputToken {
						v, _ := page.Get(k)
						current.Set(k, v)
					}
				}
			}
			result, _ := page.Get(p.ResultKey)
			current.Set(p.ResultKey, result)
			return streamPage(stream, current, q)
		}
		merged = mergePage(merged, page, p)
		return nil
	})
	if err != nil {
		return err
	}
	if streaming {
		if next != "" && o.Format == "text" {
			if err := streamPage(stream, output.NextTokenPage(next), q); err != nil {
				return err
			}
		}
		return stream.Close()
	}
	if merged == nil {
		merged = value.NewObject()
	}
	if next != "" {
		merged.Set("NextToken", next)
	}
	return writeResult(w, merged, q, o)
}

// streamPage applies --query to one page and writes it.
func streamPage(s output.Stream, v any, q *query.Query) error {
	if q != nil {
		var err error
		if v, err = q.Search(v); err != nil {
			return err
		}
	}
	return s.Page(v)
}

// mergePage adds a page to the full result as botocore's
// build_full_result does: the result key's list grows, other keys keep the
// first page's values, the service's own token is dropped.
func mergePage(full, page *value.Object, p *model.Paginator) *value.Object {
	if full == nil {
		full = value.NewObject()
		if v, ok := page.Get(p.ResultKey); ok {
			full.Set(p.ResultKey, v)
		}
		for _, k := range page.Keys() {
			if k != p.ResultKey && k != p.OutputToken {
				v, _ := page.Get(k)
				full.Set(k, v)
			}
		}
		return full
	}
	if v, ok := page.Get(p.ResultKey); ok {
		if list, ok := v.([]any); ok {
			prev, _ := full.Get(p.ResultKey)
			prevList, _ := prev.([]any)
			full.Set(p.ResultKey, append(prevList, list...))
		}
	}
	return full
}

// outputStream returns where results go: the pager on a terminal, unless
// disabled, else stdout.
func (r *runner) outputStream(g *globals, settings awsclient.Settings) (io.Writer, func()) {
	var configured *string
	if v, ok := settings["cli_pager"]; ok {
		configured = &v
	}
	pager := output.NewPager(r.stdout, configured, g.noPager)
	return pager, func() { _ = pager.Close() }
}

func debugWriter(g *globals, stderr *os.File) io.Writer {
	if g.debug {
		return stderr
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
