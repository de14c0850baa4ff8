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
	"github.com/cognate/cognate/internal/cli/output"
	"github.com/cognate/cognate/internal/cli/params"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code, err := r.run(ctx, args)
	if ctx.Err() != nil {
		// Ctrl-C: a newline on stdout and 128+SIGINT (awscli InterruptExceptionHandler).
		fmt.Fprint(stdout, "\n")
		return 130
	}
	if err != nil {
		return writeError(stderr, err, r.errorFormat)
	}
	return code
}

type runner struct {
	stdin          io.Reader
	stdout, stderr *os.File
	model          *model.Model
	errorFormat    string
}

func (r *runner) run(ctx context.Context, args []string) (int, error) {
	if slices.Contains(args, "--cli-auto-prompt") && slices.Contains(args, "--no-cli-auto-prompt") {
		return 0, clierr.New(clierr.ParamValidation, "Both --cli-auto-prompt and --no-cli-auto-prompt cannot be specified at the same time.")
	}
	main := &argv.Parser{Args: append(globalArgs(), &argv.Arg{Dest: "command", Metavar: "command", Required: true, Choices: []string{service}})}
	if i := slices.Index(args, "--version"); i >= 0 && versionFirst(main, args) {
		fmt.Fprintln(r.stdout, versionString())
		return 0, nil
	}
	res, rest, err := main.ParseKnown(args)
	if err != nil {
		return 0, err
	}
	g, err := readGlobals(res)
	if err != nil {
		return 0, clierr.New(clierr.Other, "%s", err.Error())
	}
	if g.debug {
		log := awsclient.NewLogger(r.stderr)
		log.Debug("awscli.clidriver", "CLI version: %s", versionString())
		log.Debug("awscli.clidriver", "Arguments entered to CLI: %s", pyList(args))
	}
	if g.errorFormat != nil {
		r.errorFormat = *g.errorFormat
	}
	if g.version {
		fmt.Fprintln(r.stdout, versionString())
		return 0, nil
	}
	var q *query.Query
	if g.query != nil {
		if q, err = query.Compile(*g.query); err != nil {
			return 0, &clierr.Error{Kind: clierr.ParamParse, Message: "Bad value for --query " + *g.query + ": " + err.Error(), Err: err}
		}
	}

	// The service level: the operation (or help).
	ops := map[string]*model.Operation{}
	choices := []string{}
	for _, op := range r.model.Operations {
		ops[kebab(op.Name)] = op
		choices = append(choices, kebab(op.Name))
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

	// The operation level.
	table := operationArgs(r.model, op, opArgs)
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
	// The AWS CLI's order: arguments are parsed (shorthand, JSON, files,
	// --cli-input-*), input skeletons printed, then the client is made
	// (profile, region, endpoint), then the parameters validated.
	opts.BinaryFormat = firstNonEmpty(deref(g.binaryFormat), params.BinaryBase64)
	prepared, err := params.Prepare(r.model, op, args, opts)
	if err != nil {
		return 0, err
	}
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
		UserAgent: "cognate/" + Version + " md/command#" + service + "." + kebab(op.Name),
		Model:     r.model,
		Serialize: func(op *model.Operation, p *value.Object) ([]byte, error) { return params.Body(r.model, op, p) },
	})
	if r.errorFormat == "" {
		r.errorFormat = settings["cli_error_format"]
	}
	if cerr != nil {
		return 0, cerr
	}
	opts.BinaryFormat = firstNonEmpty(deref(g.binaryFormat), settings["cli_binary_format"], params.BinaryBase64)
	in, err := prepared.Finalize(r.model, op, opts)
	if err != nil {
		return 0, err
	}

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
	paginate := paginator != nil && !g.noPaginate
	if paginator != nil {
		// A manual pagination member turns pagination off
		// (awscli/customizations/paginate.py).
		for _, a := range args {
			if a.Member == paginator.InputToken || a.Member == paginator.LimitKey {
				paginate = false
			}
		}
		if !paginate {
			var used []string
			for _, d := range []string{destStartingToken, destPageSize, destMaxItems} {
				if res[d] != nil {
					used = append(used, "--"+strings.ReplaceAll(d, "_", "-"))
				}
			}
			if len(used) > 0 {
				return 0, clierr.New(clierr.ParamValidation, "Cannot specify --no-paginate along with pagination arguments: %s", strings.Join(used, ", "))
			}
		}
	}
	if !paginate {
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
	maxItems, pageSize := 0, 0
	if v := res[destMaxItems]; v != nil {
		n, _ := argv.ParseInt(v.Strings[0]) // argv checked it
		maxItems = int(n)
		if maxItems <= 0 {
			fmt.Fprint(r.stderr, "warning: Non-positive values for --max-items may result in undefined behavior.\n")
		}
	}
	if v := res[destPageSize]; v != nil {
		n, _ := argv.ParseInt(v.Strings[0])
		pageSize = int(n)
	}
	starting := ""
	if v := res[destStartingToken]; v != nil {
		starting = v.Strings[0]
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
	next, err := client.Paginate(ctx, op, p, in, maxItems, pageSize, starting, func(body []byte, _ *value.Object) error {
		page, err := params.DecodeResponse(r.model, op, body, tsFormat)
		if err != nil {
			return err
		}
		defer func() { pageNo++ }()
		switch o.Format {
		case "yaml-stream":
			// Each raw page, tokens included (awscli YAMLStreamFormatter).
			return stream.Page(page)
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

// pyList is Python's repr of a list of strings (sys.argv in --debug).
func pyList(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = argv.PyRepr(a)
	}
	return "[" + strings.Join(q, ", ") + "]"
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
