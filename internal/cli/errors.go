package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cognate/cognate/internal/cli/argv"
	"github.com/cognate/cognate/internal/cli/awsclient"
	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/output"
	"github.com/cognate/cognate/internal/cli/value"
)

// usage is the AWS CLI's usage block (awscli/argparser.py USAGE).
const usage = "aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n" +
	"To see help text, you can run:\n" +
	"\n" +
	"  aws help\n" +
	"  aws <command> help\n" +
	"  aws <command> <subcommand> help\n"

// unknownOptions is UnknownArgumentError: printed with the usage block
// first and no structured format (awscli/errorhandler.py
// UnknownArgumentErrorHandler: "\n", f'usage: {USAGE}\n', then
// write_error, so two blank lines separate the usage from the message).
type unknownOptions struct{ names []string }

func (e *unknownOptions) Error() string { return "Unknown options: " + strings.Join(e.names, ", ") }

// writeError writes err as the AWS CLI v2 (2.34+) does and returns the
// exit code. errorFormat is --cli-error-format (or its config), "" for the
// default "enhanced".
func writeError(stderr io.Writer, err error, errorFormat string) int {
	var unknown *unknownOptions
	if errors.As(err, &unknown) {
		fmt.Fprintf(stderr, "\nusage: %s\n", usage)
		writeLine(stderr, unknown.Error())
		return 252
	}
	var pagerErr *output.PagerError
	if errors.As(err, &pagerErr) {
		// awscli PagerErrorHandler.
		err = &clierr.Error{Kind: clierr.Config, Code: "Pager", Message: "Unable to redirect output to pager. Received the following error when opening pager:\n" +
			pagerErr.Error() + "\n\nLearn more about configuring the output pager by running \"aws help config-vars\".", Err: pagerErr}
	}
	var pe *argv.Error
	if errors.As(err, &pe) {
		// ArgParseException: the message, a blank line and the usage.
		err = &clierr.Error{Kind: clierr.Usage, Message: pe.Message + "\n\nusage: " + usage}
	}
	var ce *clierr.Error
	if !errors.As(err, &ce) {
		writeLine(stderr, err.Error())
		return 255
	}
	code := ce.Code
	switch ce.Kind {
	case clierr.Usage, clierr.ParamParse, clierr.ParamValidation:
		code = "ParamValidation"
	}
	if code == "" {
		writeLine(stderr, ce.Message)
		return ce.Kind.ExitCode()
	}
	formatted := fmt.Sprintf("An error occurred (%s): %s", code, ce.Message)
	if ce.Kind == clierr.Service {
		formatted = serviceErrorText(ce)
	}
	format := strings.ToLower(errorFormat)
	switch format {
	case "legacy":
		// The plain str(exception): no "An error occurred (…)" wrapper
		// except for service errors, whose str() has it.
		if ce.Kind == clierr.Service {
			writeLine(stderr, formatted)
		} else {
			writeLine(stderr, ce.Message)
		}
	case "json", "yaml", "text", "table":
		info := value.NewObject()
		if len(ce.Info) > 0 {
			for _, f := range ce.Info {
				info.Set(f.Key, f.Value)
			}
		} else {
			info.Set("Code", code)
			info.Set("Message", ce.Message)
			for _, d := range ce.Details {
				info.Set(d[0], d[1])
			}
		}
		if werr := output.Write(stderr, info, output.Options{Format: format, Title: "error"}); werr != nil {
			writeLine(stderr, formatted)
		}
	default:
		writeLine(stderr, formatted)
		if len(ce.Details) > 0 {
			fmt.Fprint(stderr, "\nAdditional error details:\n")
			for _, d := range ce.Details {
				fmt.Fprintf(stderr, "%s: %s\n", d[0], d[1])
			}
		}
	}
	return ce.Kind.ExitCode()
}

// serviceErrorText is botocore's ClientError text, with the retry
// information when the attempts ran out.
func serviceErrorText(ce *clierr.Error) string { return awsclient.ClientErrorText(ce) }

// writeLine is awscli.errorformat.write_error: a newline, the prefixed and
// stripped message, a newline.
func writeLine(w io.Writer, msg string) {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		fmt.Fprint(w, "\naws: [ERROR]:\n")
		return
	}
	fmt.Fprintf(w, "\naws: [ERROR]: %s\n", msg)
}
