package prompt

import (
	"errors"
	"os"
)

// ErrInterrupted is what an interrupted prompt's error matches
// (errors.Is): Ctrl-C or Ctrl-D, or SIGINT, SIGTERM or SIGHUP while
// prompting.
var ErrInterrupted = errors.New("prompt interrupted")

// ErrNotTerminal is what Prompt's error matches when its input or output
// is not a terminal.
var ErrNotTerminal = errors.New("--cli-auto-prompt needs a terminal")

// Interrupted is the error of an interrupted prompt. The AWS CLI writes
// Line and a newline to stderr and exits with 130 (128+SIGINT); Line is
// Prefix and the command line as it stood.
type Interrupted struct {
	Line   string
	Signal os.Signal // the signal, or nil for Ctrl-C and Ctrl-D
}

func (e *Interrupted) Error() string {
	if e.Signal != nil {
		return "prompt interrupted by " + e.Signal.String()
	}
	return ErrInterrupted.Error()
}

// Is makes errors.Is(err, ErrInterrupted) true.
func (e *Interrupted) Is(target error) bool { return target == ErrInterrupted }
