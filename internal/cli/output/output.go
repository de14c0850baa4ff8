package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"golang.org/x/term"

	"github.com/cognate/cognate/internal/cli/value"
)

// Formats lists the --output values of AWS CLI v2.34+, in its order.
var Formats = []string{"json", "text", "table", "yaml", "yaml-stream", "off"}

// Options say how a result is written.
type Options struct {
	// Format is one of Formats.
	Format string
	// Color styles tables (the caller resolves --color on|off|auto; auto
	// means stdout is a terminal). Only the table format uses it.
	Color bool
	// Width is the terminal width a table must fit; 0 detects it from the
	// writer (an *os.File or a Pager on a terminal), else 80, as the CLI
	// does with an ioctl on stdout.
	Width int
	// Title is the table's title, the operation name
	// ("GetLogDeliveryConfiguration").
	Title string
}

// ResetAll is the sequence colorama writes to reset styles.
const ResetAll = ansiReset

// Write formats one complete result (after pagination merge and --query)
// to w. The result holds the value package's types only. A result the AWS
// CLI's formatter would fail on (a table or text rendering of a list that
// mixes dicts with other values, for instance) gives a *PythonError; the
// text format has then written the lines before the failure, as the CLI's
// does, the others nothing.
func Write(w io.Writer, v any, o Options) error {
	if !slices.Contains(Formats, o.Format) {
		return pyErr("ValueError", "Unknown output type: %s", o.Format)
	}
	if err := check(v); err != nil {
		return err
	}
	var out []byte
	var err error
	switch o.Format {
	case "json":
		out, err = formatJSON(v)
	case "text":
		out, err = formatText(v)
	case "table":
		out, err = formatTable(v, o, terminalWidth(w, o.Width), colorama(w))
	case "yaml":
		if isEmptyObject(v) {
			return nil
		}
		out, err = formatYAML(v)
	case "yaml-stream":
		if isEmptyObject(v) {
			return nil
		}
		out, err = dumpYAML([]any{v})
	default: // off
		return nil
	}
	if len(out) > 0 {
		// The text formatter writes as it goes: what it had written
		// before failing is out too.
		if _, werr := w.Write(out); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// Format returns what Write would write.
func Format(v any, o Options) ([]byte, error) {
	var b bytesWriter
	err := Write(&b, v, o)
	return b.buf, err
}

type bytesWriter struct{ buf []byte }

func (b *bytesWriter) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// A Stream formats a paginated result page by page, for the formats the
// AWS CLI writes per page: text (each page formatted on its own; the caller
// puts the non-result keys in the first page, applies --query to each page,
// and ends a truncated result with NextTokenPage) and yaml-stream (each raw
// page as a one-element list, even an empty one). "off" discards pages.
type Stream interface {
	// Page formats one page.
	Page(v any) error
	// Close ends the stream; it does not close the writer.
	Close() error
}

// NewStream starts a Stream for o.Format, which must be text, yaml-stream
// or off.
func NewStream(w io.Writer, o Options) (Stream, error) {
	switch o.Format {
	case "text", "yaml-stream", "off":
		return &stream{w: w, format: o.Format}, nil
	}
	return nil, fmt.Errorf("output: format %q is not written page by page", o.Format)
}

type stream struct {
	w      io.Writer
	format string
	err    error
}

func (s *stream) Page(v any) error {
	if s.err != nil {
		return s.err
	}
	if err := check(v); err != nil {
		return err
	}
	var out []byte
	var err error
	switch s.format {
	case "text":
		out, err = formatText(v)
	case "yaml-stream":
		out, err = dumpYAML([]any{v})
	}
	if len(out) > 0 {
		if _, werr := s.w.Write(out); werr != nil {
			s.err = werr
		}
	}
	if err != nil {
		return err
	}
	return s.err
}

func (s *stream) Close() error { return s.err }

// NextTokenPage is what the CLI's text output formats after the pages of a
// result truncated by --max-items: {"NextToken": {"NextToken": token}},
// which prints NEXTTOKEN<TAB>token. Like every text page it goes through
// --query first (a query that does not select it prints "None").
func NextTokenPage(token string) *value.Object {
	inner := value.NewObject()
	inner.Set("NextToken", token)
	outer := value.NewObject()
	outer.Set("NextToken", inner)
	return outer
}

// TerminalWidth is the width of the terminal f is, or 80 when it is not
// one (awscli.table.determine_terminal_width).
func TerminalWidth(f *os.File) int {
	if f != nil {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 80
}

func terminalWidth(w io.Writer, width int) int {
	if width != 0 {
		return width
	}
	switch t := w.(type) {
	case *os.File:
		return TerminalWidth(t)
	case *Pager:
		return TerminalWidth(t.out)
	}
	return 80
}

// colorama reports whether the CLI's table output would pass through
// colorama's autoreset wrapper of sys.stdout: always, except when it goes
// into a pager program's pipe (a writer whose Paging method says so, like
// a Pager running one).
func colorama(w io.Writer) bool {
	if p, ok := w.(interface{ Paging() bool }); ok {
		return !p.Paging()
	}
	return true
}

// ColoramaAtExit writes what colorama's exit handler writes after a table
// output in colour (--color on, or auto on a terminal): a reset, when out is
// a terminal. Call it last, after the pager has been closed.
func ColoramaAtExit(out *os.File, o Options) error {
	if o.Format != "table" || !o.Color || out == nil || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	_, err := io.WriteString(out, ansiReset)
	return err
}

var errNilObject = errors.New("output: nil *value.Object")

// check rejects values outside the value package's types.
func check(v any) error {
	switch t := v.(type) {
	case nil, bool, string, int64, float64:
		return nil
	case []any:
		for _, e := range t {
			if err := check(e); err != nil {
				return err
			}
		}
		return nil
	case *value.Object:
		if t == nil {
			return errNilObject
		}
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			if err := check(e); err != nil {
				return err
			}
		}
		return nil
	}
	return errUnsupported(v)
}
