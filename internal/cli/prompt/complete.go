package prompt

import (
	"fmt"
	"slices"
	"strings"
)

// Suggestion is one entry of the suggestion list.
type Suggestion struct {
	Text    string // the word it puts in place of the one being typed (unquoted)
	Display string // as listed: the name, "(required)" after a required option
	Meta    string // "[type]" for an option
	Doc     string // the doc line shown while it is highlighted (see Editor.Doc)

	cmd *command // an operation, whose Doc is made when first shown
}

// analysis is what the words of a line say: how far the command goes,
// which options are given and which option waits for values.
type analysis struct {
	level    int      // 0: before the service; 1: before the operation; 2: after it
	bad      bool     // an unknown service or operation: no positional completion
	cmd      *command // the operation at level 2 (nil when unknown)
	given    map[string]bool
	pending  *option  // the option whose values come next
	values   []string // values already given to pending
	optional bool     // --cli-input-json, --cli-input-yaml or --generate-cli-skeleton (not output): nothing is required
	help     bool     // "help" in place of the operation or after it
}

// optionLike reports whether argparse would take a word for an option
// (not a negative number).
func optionLike(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	rest := s[1:]
	digits, dot := 0, 0
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dot++
		default:
			return true
		}
	}
	return digits == 0 || dot > 1
}

// resolve finds the option a typed name means, as argparse does at each
// level: an exact name, else an unambiguous prefix, globals first (the AWS
// CLI parses the global options before the operation's).
func (c *catalog) resolve(name string, cmd *command) *option {
	if o := c.byGlobal[name]; o != nil {
		return o
	}
	var ops []*option
	if cmd != nil {
		ops = cmd.options
		for _, o := range ops {
			if o.name == name {
				return o
			}
		}
	}
	for _, set := range [][]*option{c.globals, ops} {
		var found *option
		n := 0
		for _, o := range set {
			if strings.HasPrefix(o.name, name) {
				found = o
				n++
			}
		}
		if n == 1 {
			return found
		}
		if n > 1 {
			return nil
		}
	}
	return nil
}

// analyse reads complete words.
func (c *catalog) analyse(ws []word) *analysis {
	a := &analysis{given: map[string]bool{}}
	skeleton, skeletonOutput := false, false
	for _, w := range ws {
		v := w.value
		if a.pending != nil && !optionLike(v) {
			if a.pending.name == "--generate-cli-skeleton" {
				skeletonOutput = v == "output"
			}
			a.values = append(a.values, v)
			if !a.pending.list {
				a.pending = nil
			}
			continue
		}
		a.pending, a.values = nil, nil
		if optionLike(v) {
			name, _, eq := strings.Cut(v, "=")
			o := c.resolve(name, a.cmd)
			if o == nil {
				continue
			}
			a.given[o.name] = true
			if o.twin != "" {
				a.given[o.twin] = true
			}
			switch o.name {
			case "--cli-input-json", "--cli-input-yaml":
				a.optional = true
			case "--generate-cli-skeleton":
				skeleton, skeletonOutput = true, false
				if eq {
					_, val, _ := strings.Cut(v, "=")
					skeletonOutput = val == "output"
				}
			}
			if o.value && !eq {
				a.pending = o
			}
			continue
		}
		switch {
		case a.level == 0:
			if v != service {
				a.bad = true
			}
			a.level = 1
		case v == "help":
			a.help = true
			a.level = 2
		case a.level == 1:
			a.cmd = c.command(v)
			if a.cmd == nil {
				a.bad = true
			}
			a.level = 2
		}
	}
	if skeleton && !skeletonOutput {
		a.optional = true
	}
	return a
}

// required reports whether an option counts as required on this line.
func (a *analysis) required(o *option) bool { return o.required && !a.optional }

// missing lists the required options the line lacks.
func (a *analysis) missing() []string {
	var out []string
	if a.cmd == nil {
		return nil
	}
	for _, o := range a.cmd.options {
		if a.required(o) && !a.given[o.name] {
			out = append(out, o.name)
		}
	}
	return out
}

// hasPrefix is a case-insensitive prefix test.
func hasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// suggest lists the suggestions for the word frag typed after the words
// of a, and the doc line of the context (the option being given a value,
// else the operation).
func (c *catalog) suggest(a *analysis, frag string) ([]Suggestion, string) {
	if a.pending != nil && !optionLike(frag) {
		o := a.pending
		doc := c.optionDoc(a, o)
		var out []Suggestion
		for _, v := range o.values {
			if hasPrefix(v, frag) && !slices.Contains(a.values, v) {
				out = append(out, Suggestion{Text: v, Display: v, Doc: doc})
			}
		}
		if len(out) == 0 && o.list && len(a.values) > 0 && frag == "" && len(o.values) == 0 {
			// After a list's values, the next thing is an option.
			return c.options(a, "", false), doc
		}
		return out, doc
	}
	var doc string
	if a.cmd != nil {
		doc = c.commandDoc(a.cmd)
	}
	if strings.HasPrefix(frag, "-") {
		if name, val, eq := strings.Cut(frag, "="); eq {
			o := c.resolve(name, a.cmd)
			if o == nil || !o.value {
				return nil, doc
			}
			odoc := c.optionDoc(a, o)
			var out []Suggestion
			for _, v := range o.values {
				if hasPrefix(v, val) {
					out = append(out, Suggestion{Text: name + "=" + v, Display: v, Doc: odoc})
				}
			}
			return out, odoc
		}
		return c.options(a, frag, true), doc
	}
	if a.bad {
		return nil, doc
	}
	switch a.level {
	case 0:
		if hasPrefix(service, frag) {
			return []Suggestion{{Text: service, Display: service,
				Doc: fmt.Sprintf("%s: Amazon Cognito user pools, %d operations", service, len(c.opNames))}}, doc
		}
		return nil, doc
	case 1:
		var out []Suggestion
		for _, n := range c.opNames {
			if hasPrefix(n, frag) {
				out = append(out, Suggestion{Text: n, Display: n, cmd: c.ops[n]})
			}
		}
		return out, doc
	}
	if a.cmd == nil {
		return nil, doc
	}
	return c.options(a, "--"+frag, false), doc
}

// options lists the options not yet given whose name starts with prefix:
// the operation's, the required ones first, then (withGlobals) the global
// ones.
func (c *catalog) options(a *analysis, prefix string, withGlobals bool) []Suggestion {
	var req, opt []Suggestion
	add := func(o *option) {
		if o.hidden || a.given[o.name] || !hasPrefix(o.name, prefix) {
			return
		}
		s := Suggestion{Text: o.name, Display: o.name, Meta: "[" + o.typ + "]", Doc: c.optionDoc(a, o)}
		if a.required(o) {
			s.Display += " (required)"
			req = append(req, s)
			return
		}
		opt = append(opt, s)
	}
	if a.cmd != nil {
		for _, o := range a.cmd.options {
			add(o)
		}
	}
	if withGlobals {
		for _, o := range c.globals {
			add(o)
		}
	}
	return append(req, opt...)
}

// optionDoc is an option's doc line.
func (c *catalog) optionDoc(a *analysis, o *option) string {
	head := o.name
	if a.required(o) {
		head += " (required)"
	}
	if _, global := c.byGlobal[o.name]; global {
		head += " (global)"
		if len(o.values) > 0 {
			return fmt.Sprintf("%s: %s; %s: %s", head, o.typ, o.doc, strings.Join(o.values, ", "))
		}
		if o.typ == "boolean" {
			return fmt.Sprintf("%s: %s", head, o.doc)
		}
		return fmt.Sprintf("%s: %s; %s", head, o.typ, o.doc)
	}
	return head + ": " + o.doc
}

// commandDoc is an operation's doc line.
func (c *catalog) commandDoc(cmd *command) string {
	if cmd.doc == "" {
		cmd.doc = c.makeCommandDoc(cmd)
	}
	return cmd.doc
}

func (c *catalog) makeCommandDoc(cmd *command) string {
	var req []string
	n := 0
	for _, o := range cmd.options {
		if o.required {
			req = append(req, o.name)
		}
		n++
	}
	doc := cmd.op.Name + ": "
	if len(req) > 0 {
		doc += "requires " + strings.Join(req, " ") + "; "
	}
	doc += fmt.Sprintf("%d options", n)
	if c.m.Paginators[cmd.op.Name] != nil {
		doc += "; paginated"
	}
	return doc
}
