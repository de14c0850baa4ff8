package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/term"

	"github.com/cognate/cognate/internal/cli/py"
)

// Pager is the output stream of the AWS CLI v2 (awscli.utils.
// OutputStreamFactory): a pager program's standard input when stdout is a
// terminal and a pager is configured, else stdout itself. The program is
// started by the first write (LazyPager); Close closes its input and waits
// for it. Once the program has gone (the user quit less), further output is
// dropped, as the CLI ignores the broken pipe.
type Pager struct {
	out  *os.File
	args []string // nil: no pager
	env  []string

	mu      sync.Mutex
	started bool
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	gone    bool
	err     error
}

// PagerError is the failure to start the pager program, which the CLI
// reports as "Unable to redirect output to pager. Received the following
// error when opening pager:\n<Err>\n\nLearn more about configuring the
// output pager by running \"aws help config-vars\"." with exit status 253.
// Its message is Python's for the FileNotFoundError.
type PagerError struct {
	Command string // the program name
	Err     error
}

func (e *PagerError) Error() string {
	return fmt.Sprintf("[Errno 2] No such file or directory: %s", py.StrRepr(e.Command))
}

func (e *PagerError) Unwrap() error { return e.Err }

// NewPager returns the stream the CLI writes a command's output to. The
// pager runs only when out is a terminal and disabled (--no-cli-pager) is
// false; its command line is AWS_PAGER if set, else configured (cli_pager
// of the profile, nil when unset), else PAGER if set, else "less", split
// like shlex.split; an empty command disables it. The program inherits the
// environment, with LESS=FRX when LESS is not set.
func NewPager(out *os.File, configured *string, disabled bool) *Pager {
	tty := out != nil && term.IsTerminal(int(out.Fd()))
	return newPager(out, configured, disabled, tty, os.LookupEnv, os.Environ())
}

func newPager(out *os.File, configured *string, disabled, tty bool, lookup func(string) (string, bool), environ []string) *Pager {
	p := &Pager{out: out}
	if disabled || !tty {
		return p
	}
	cmd := PagerCommand(configured, lookup)
	if cmd == "" {
		return p
	}
	args, err := ShlexSplit(cmd)
	if err != nil {
		p.err = err
		p.args = []string{}
		return p
	}
	if args == nil {
		args = []string{} // a blank command: Popen([]) fails
	}
	p.args = args
	p.env = append([]string(nil), environ...)
	if _, ok := lookup("LESS"); !ok {
		p.env = append(p.env, "LESS=FRX")
	}
	return p
}

// PagerCommand is the CLI's pager setting: AWS_PAGER, then cli_pager from
// the config (configured, nil if unset), then PAGER, then "less". A
// variable set to the empty string counts (and disables the pager).
func PagerCommand(configured *string, lookup func(string) (string, bool)) string {
	if v, ok := lookup("AWS_PAGER"); ok {
		return v
	}
	if configured != nil {
		return *configured
	}
	if v, ok := lookup("PAGER"); ok {
		return v
	}
	return "less"
}

// Paging reports whether output goes to a pager program.
func (p *Pager) Paging() bool { return p.args != nil }

// Write writes to stdout, or starts the pager and writes to it.
func (p *Pager) Write(b []byte) (int, error) {
	if p.args == nil {
		return p.out.Write(b)
	}
	if len(b) == 0 {
		return 0, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.started {
		p.started = true
		if err := p.start(); err != nil {
			p.err = err
		}
	}
	if p.err != nil {
		return 0, p.err
	}
	if p.gone {
		return len(b), nil
	}
	n, err := p.stdin.Write(b)
	if err != nil {
		if errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) {
			p.gone = true
			return len(b), nil
		}
		return n, err
	}
	return n, nil
}

func (p *Pager) start() error {
	if p.err != nil {
		return p.err
	}
	if len(p.args) == 0 {
		// Python's Popen([]) fails with an IndexError.
		return pyErr("IndexError", "list index out of range")
	}
	path, err := exec.LookPath(p.args[0])
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return &PagerError{Command: p.args[0], Err: err}
		}
		return err
	}
	cmd := exec.Command(path, p.args[1:]...)
	cmd.Args[0] = p.args[0]
	cmd.Env = p.env
	cmd.Stdout = p.out
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &PagerError{Command: p.args[0], Err: err}
		}
		return err
	}
	p.cmd, p.stdin = cmd, stdin
	return nil
}

// Close ends the output: the pager's input is closed and the pager waited
// for. Stdout is not closed. The pager's own exit status is not an error.
func (p *Pager) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return nil
	}
	_ = p.stdin.Close()
	err := p.cmd.Wait()
	p.cmd = nil
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil
	}
	return err
}

// ShlexSplit splits a command line as Python's shlex.split does (POSIX
// mode, no comments): blanks separate words; single quotes keep
// everything; double quotes keep everything but a backslash before " or \;
// a backslash outside quotes keeps the next character.
func ShlexSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	const (
		plain = iota
		single
		double
	)
	state := plain
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch state {
		case plain:
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				if inWord {
					words = append(words, cur.String())
					cur.Reset()
					inWord = false
				}
			case c == '\\':
				if i+1 >= len(rs) {
					return nil, pyErr("ValueError", "No escaped character")
				}
				i++
				cur.WriteRune(rs[i])
				inWord = true
			case c == '\'':
				state, inWord = single, true
			case c == '"':
				state, inWord = double, true
			default:
				cur.WriteRune(c)
				inWord = true
			}
		case single:
			if c == '\'' {
				state = plain
			} else {
				cur.WriteRune(c)
			}
		case double:
			switch {
			case c == '"':
				state = plain
			case c == '\\':
				if i+1 >= len(rs) {
					return nil, pyErr("ValueError", "No escaped character")
				}
				i++
				if rs[i] != '"' && rs[i] != '\\' {
					cur.WriteRune('\\')
				}
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(c)
			}
		}
	}
	if state != plain {
		return nil, pyErr("ValueError", "No closing quotation")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
