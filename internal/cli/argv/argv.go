package argv

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cognate/cognate/internal/cli/py"
)

// Nargs is how many values an argument takes.
type Nargs int

// The argparse nargs this package supports.
const (
	One       Nargs = iota // nargs=None: exactly one value
	Optional               // nargs='?': zero or one value (Const when none)
	OneOrMore              // nargs='+': one or more values, greedily
	Zero                   // store_true / store_false: no value
)

// Kind is what an option does with its values.
type Kind int

// Option kinds.
const (
	Store      Kind = iota // keep the value(s)
	StoreTrue              // set Dest to true
	StoreFalse             // set Dest to false
)

// Arg is one argument of a parser: an option (Flag starts with "--") or a
// positional (Flag empty).
type Arg struct {
	Flag     string // "--user-pool-id"; empty for a positional
	Dest     string // the name under which the value is kept
	Kind     Kind
	Nargs    Nargs
	Const    string   // the value of an Optional argument given without one
	Required bool     // reported by "the following arguments are required"
	Choices  []string // allowed values, checked with the AWS CLI's "Found invalid choice" text
	Int      bool     // the value must parse as a Python int
	// Metavar names a positional in errors ("argument operation: …").
	Metavar string
}

func (a *Arg) name() string {
	if a.Flag != "" {
		return a.Flag
	}
	if a.Metavar != "" {
		return a.Metavar
	}
	return a.Dest
}

// Parser is a set of arguments, in the order they were added (which is the
// order argparse lists ambiguous matches and missing required options in).
type Parser struct {
	Args []*Arg
}

// Value is what a parse found for one Dest.
type Value struct {
	Strings []string // the values (one for One/Optional, several for OneOrMore)
	Bool    *bool    // for StoreTrue/StoreFalse
	Flag    string   // the option string used (last occurrence)
}

// Result maps Dest to the value found; a Dest that was not given is absent
// (except positionals with Nargs Optional, which get Const-less empties).
type Result map[string]*Value

// Error is an argparse error; Error() is argparse's message, such as
// "argument --user-pool-id: expected one argument".
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error { return &Error{Message: fmt.Sprintf(format, args...)} }

func argError(a *Arg, format string, args ...any) *Error {
	return &Error{Message: "argument " + a.name() + ": " + fmt.Sprintf(format, args...)}
}

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// optionTuple is argparse's classification of an option-like argument.
type optionTuple struct {
	arg         *Arg // nil: an unknown option
	flag        string
	explicitArg *string
}

// classify returns the option an argument names, or nil for a positional.
func (p *Parser) classify(s string, flags map[string]*Arg) (*optionTuple, error) {
	if s == "" || s[0] != '-' {
		return nil, nil
	}
	if a, ok := flags[s]; ok {
		return &optionTuple{arg: a, flag: s}, nil
	}
	if len(s) == 1 {
		return nil, nil
	}
	if name, value, ok := strings.Cut(s, "="); ok {
		if a, ok := flags[name]; ok {
			return &optionTuple{arg: a, flag: name, explicitArg: &value}, nil
		}
	}
	// Unambiguous prefixes (allow_abbrev), only for "--long" options.
	if strings.HasPrefix(s, "--") {
		prefix, value, hasValue := strings.Cut(s, "=")
		var matches []*optionTuple
		for _, a := range p.Args {
			if a.Flag != "" && strings.HasPrefix(a.Flag, prefix) {
				t := &optionTuple{arg: a, flag: a.Flag}
				if hasValue {
					v := value
					t.explicitArg = &v
				}
				matches = append(matches, t)
			}
		}
		if len(matches) > 1 {
			names := make([]string, len(matches))
			for i, m := range matches {
				names[i] = m.flag
			}
			return nil, errorf("ambiguous option: %s could match %s", s, strings.Join(names, ", "))
		}
		if len(matches) == 1 {
			return matches[0], nil
		}
	}
	if negativeNumber.MatchString(s) {
		return nil, nil // the CLI's parsers have no negative-number options
	}
	if strings.Contains(s, " ") {
		return nil, nil
	}
	return &optionTuple{flag: s}, nil // unknown option
}

// ParseKnown parses args as argparse's parse_known_args does: it returns
// what it recognised and, in order, the arguments it did not.
func (p *Parser) ParseKnown(args []string) (Result, []string, error) {
	flags := map[string]*Arg{}
	var positionals []*Arg
	for _, a := range p.Args {
		if a.Flag != "" {
			flags[a.Flag] = a
		} else {
			positionals = append(positionals, a)
		}
	}
	// The pattern: 'O' for an option, 'A' for anything else; after "--"
	// everything is 'A' and "--" itself is '-'.
	pattern := make([]byte, len(args))
	options := map[int]*optionTuple{}
	for i, s := range args {
		if s == "--" {
			pattern[i] = '-'
			for j := i + 1; j < len(args); j++ {
				pattern[j] = 'A'
			}
			break
		}
		t, err := p.classify(s, flags)
		if err != nil {
			return nil, nil, err
		}
		if t == nil {
			pattern[i] = 'A'
		} else {
			pattern[i] = 'O'
			options[i] = t
		}
	}
	st := &state{p: p, args: args, pattern: string(pattern), options: options, result: Result{}, seen: map[*Arg]bool{}, positionals: positionals}
	if err := st.run(); err != nil {
		return nil, nil, err
	}
	// Required arguments that were not seen.
	var missing []string
	for _, a := range p.Args {
		if a.Required && !st.seen[a] {
			missing = append(missing, a.name())
		}
	}
	if len(missing) > 0 {
		return nil, nil, errorf("the following arguments are required: %s", strings.Join(missing, ", "))
	}
	return st.result, st.extras, nil
}

type state struct {
	p           *Parser
	args        []string
	pattern     string
	options     map[int]*optionTuple
	result      Result
	seen        map[*Arg]bool
	extras      []string
	positionals []*Arg
}

func (st *state) run() error {
	maxOption := -1
	for i := range st.options {
		if i > maxOption {
			maxOption = i
		}
	}
	start := 0
	for start <= maxOption {
		next := len(st.args)
		for i := range st.options {
			if i >= start && i < next {
				next = i
			}
		}
		if start != next {
			end, err := st.consumePositionals(start)
			if err != nil {
				return err
			}
			if end > start {
				start = end
				continue
			}
			start = end
		}
		if _, ok := st.options[start]; !ok {
			st.extras = append(st.extras, st.args[start:next]...)
			start = next
		}
		end, err := st.consumeOptional(start)
		if err != nil {
			return err
		}
		start = end
	}
	stop, err := st.consumePositionals(start)
	if err != nil {
		return err
	}
	st.extras = append(st.extras, st.args[stop:]...)
	return nil
}

// nargsPattern is argparse's regular expression for a number of values;
// for options the "--" markers do not count.
func nargsPattern(a *Arg) *regexp.Regexp {
	var p string
	switch a.Nargs {
	case One:
		p = "(-*A-*)"
	case Optional:
		p = "(-*A?-*)"
	case OneOrMore:
		p = "(-*A[A-]*)"
	case Zero:
		p = "(-*-*)"
	}
	if a.Flag != "" {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "-*", ""), "-", "")
	}
	return regexp.MustCompile("^" + p)
}

func (st *state) consumeOptional(start int) (int, error) {
	t := st.options[start]
	if t.arg == nil {
		st.extras = append(st.extras, st.args[start])
		return start + 1, nil
	}
	a := t.arg
	if t.explicitArg != nil {
		if a.Nargs == Zero {
			return 0, argError(a, "ignored explicit argument %s", py.StrRepr(*t.explicitArg))
		}
		return start + 1, st.take(a, []string{*t.explicitArg}, t.flag)
	}
	from := start + 1
	m := nargsPattern(a).FindStringSubmatch(st.pattern[from:])
	if m == nil {
		switch a.Nargs {
		case One:
			return 0, argError(a, "expected one argument")
		case Optional:
			return 0, argError(a, "expected at most one argument")
		case OneOrMore:
			return 0, argError(a, "expected at least one argument")
		}
		return 0, argError(a, "expected %d arguments", 0)
	}
	n := len(m[1])
	return from + n, st.take(a, st.args[from:from+n], t.flag)
}

// consumePositionals matches as many remaining positionals as the pattern
// allows from start.
func (st *state) consumePositionals(start int) (int, error) {
	rest := st.pattern[start:]
	consumed := 0
	for len(st.positionals) > 0 {
		a := st.positionals[0]
		m := nargsPattern(a).FindStringSubmatch(rest)
		if m == nil {
			break
		}
		n := len(m[1])
		var vals []string
		for i := start; i < start+n; i++ {
			if st.args[i] != "--" {
				vals = append(vals, st.args[i])
			}
		}
		if err := st.take(a, vals, ""); err != nil {
			return 0, err
		}
		start += n
		rest = rest[n:]
		st.positionals = st.positionals[1:]
		consumed++
	}
	return start, nil
}

func (st *state) take(a *Arg, vals []string, flag string) error {
	st.seen[a] = true
	switch a.Kind {
	case StoreTrue, StoreFalse:
		b := a.Kind == StoreTrue
		st.result[a.Dest] = &Value{Bool: &b, Flag: flag}
		return nil
	}
	if a.Nargs == Optional && len(vals) == 0 {
		if a.Flag == "" {
			// A positional left empty keeps its default: absent.
			return nil
		}
		vals = []string{a.Const}
	}
	for _, v := range vals {
		if a.Int {
			if _, err := py.Int(v); err != nil {
				return argError(a, "invalid int value: %s", py.StrRepr(v))
			}
		}
		if len(a.Choices) > 0 && !contains(a.Choices, v) {
			return argError(a, "%s", invalidChoice(v, a.Choices))
		}
	}
	st.result[a.Dest] = &Value{Strings: append([]string(nil), vals...), Flag: flag}
	return nil
}

// invalidChoice is the AWS CLI's text (awscli/argparser.py _check_value)
// with difflib's close matches.
func invalidChoice(v string, choices []string) string {
	msg := []string{fmt.Sprintf("Found invalid choice '%s'\n", v)}
	if close := closeMatches(v, choices, 3, 0.8); len(close) > 0 {
		msg = append(msg, "Maybe you meant:\n")
		for _, c := range close {
			msg = append(msg, "  * "+c)
		}
	}
	return strings.Join(msg, "\n")
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
