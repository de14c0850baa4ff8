package prompt

import (
	"errors"
	"strings"
)

// The command line in the editor is shell words, as in the AWS CLI's
// prompt (which quotes the starting arguments with Python's shlex.quote and
// splits the result with shlex.split). quote and split are those two
// functions; words is a forgiving split that also reports positions, for
// completion while a quote is still open.

// quote is Python's shlex.quote: the word unchanged when it holds only
// ASCII letters, digits and @%+=:,./-_, else in single quotes (an inner '
// as '"'"').
func quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_@%+=:,./-", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// Errors of split (shlex's "No closing quotation" and "No escaped
// character").
var (
	errNoClosingQuote = errors.New("no closing quotation")
	errNoEscapedChar  = errors.New("no escaped character")
)

// word is one shell word of the line: its rune offsets [start, end), its
// value with quotes and escapes removed, and whether it ends inside a quote
// or after a lone backslash (then err says which).
type word struct {
	start, end int
	value      string
	err        error
}

// isSpace is shlex's whitespace.
func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }

// words splits line as shlex.split does (POSIX mode, no comments), never
// failing: an open quote or a trailing backslash ends the last word, which
// carries the error shlex would raise.
func words(line []rune) []word {
	var out []word
	i := 0
	for i < len(line) {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			break
		}
		w := word{start: i}
		var b strings.Builder
	token:
		for i < len(line) {
			r := line[i]
			switch {
			case isSpace(r):
				break token
			case r == '\\':
				if i+1 >= len(line) {
					w.err = errNoEscapedChar
					i++
					break token
				}
				b.WriteRune(line[i+1])
				i += 2
			case r == '\'':
				i++
				for i < len(line) && line[i] != '\'' {
					b.WriteRune(line[i])
					i++
				}
				if i >= len(line) {
					w.err = errNoClosingQuote
					break token
				}
				i++
			case r == '"':
				i++
				for i < len(line) && line[i] != '"' {
					if line[i] == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
						i++
					}
					b.WriteRune(line[i])
					i++
				}
				if i >= len(line) {
					w.err = errNoClosingQuote
					break token
				}
				i++
			default:
				b.WriteRune(r)
				i++
			}
		}
		w.end = i
		w.value = b.String()
		out = append(out, w)
	}
	return out
}

// split is shlex.split(line): the words, or shlex's error for an open
// quote or a trailing backslash.
func split(line string) ([]string, error) {
	ws := words([]rune(line))
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if w.err != nil {
			return nil, w.err
		}
		out = append(out, w.value)
	}
	return out, nil
}

// joinArgs is the AWS CLI's starting line: every argument quoted, joined
// by spaces.
func joinArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = quote(a)
	}
	return strings.Join(q, " ")
}
