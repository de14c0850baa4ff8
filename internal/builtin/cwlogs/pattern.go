package cwlogs

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
)

// The filter pattern language of FilterLogEvents [DOC FilterAndPatternSyntax,
// current page and archived guide; issue4-facts §1.9]:
//
//   - terms: `ERROR Exception` (every term, case-sensitive substrings),
//     `"exact phrase"`, `?ERROR ?WARN` (any of the ? terms), `ERROR -WARN`
//     and `"ERROR" - "Exiting"` (exclusion); a bare term is letters, digits
//     and `_`, anything else must be quoted; `%regex%` terms;
//   - JSON: `{ $.a.b[0] = "x" }` with `=` `!=` (strings, `*` wildcards at
//     the start and end, %regex%), numeric `= != < <= > >=`, `IS TRUE`,
//     `IS FALSE`, `IS NULL`, `NOT EXISTS`, `&&`, `||` and parentheses
//     (precedence () > && > ||); the selector must reach a string or a
//     number for `=` and `!=` to hold; only messages that are JSON match;
//   - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]`, fields
//     split on spaces with `"…"` and `[…]` kept whole, `...` for any number
//     of fields, conditions joined with `&&` and `||`;
//   - an empty pattern (or `""`) matches every event.
//
// A pattern the language does not allow is InvalidParameterException with
// AWS's texts.

// Texts of pattern errors.
const (
	// [OBS aws-toolkit-jetbrains#3219; mapbox/ecs-watchbot#350]
	textInvalidPattern = "Invalid filter pattern"
	// [OBS jorgebastida/awslogs#210]
	textUnbalancedBrace = "If a filter pattern starts with '{' it must end with '}'"
)

// maxRegexes is how many %regex% a JSON or space-delimited pattern may hold
// [DOC quotas].
const maxRegexes = 2

func invalidPattern() *api.Error { return logsapi.InvalidParameter(textInvalidPattern) }

// invalidTerm is the 2025 form of the error, naming the term [OBS
// DefangLabs/defang#1008: `Invalid filter pattern: Invalid character(s) in
// term '""'`].
func invalidTerm(term string) *api.Error {
	return logsapi.InvalidParameter("%s: Invalid character(s) in term '%s'", textInvalidPattern, term)
}

// Pattern is a compiled filter pattern. It is safe for concurrent use.
type Pattern struct {
	src   string
	terms *termPattern
	json  node
	space *spacePattern
}

// ParsePattern compiles a filter pattern; its errors are
// InvalidParameterException *api.Error values.
func ParsePattern(src string) (*Pattern, error) {
	p := &Pattern{src: src}
	trimmed := strings.TrimSpace(src)
	switch {
	case trimmed == "" || trimmed == `""`:
		return p, nil
	case trimmed[0] == '{':
		if trimmed[len(trimmed)-1] != '}' {
			return nil, logsapi.InvalidParameter(textUnbalancedBrace)
		}
		n, err := parseExpr(trimmed[1:len(trimmed)-1], false)
		if err != nil {
			return nil, err
		}
		p.json = n
	case trimmed[0] == '[':
		if trimmed[len(trimmed)-1] != ']' {
			return nil, invalidPattern()
		}
		sp, err := parseSpacePattern(trimmed[1 : len(trimmed)-1])
		if err != nil {
			return nil, err
		}
		p.space = sp
	default:
		tp, err := parseTerms(trimmed)
		if err != nil {
			return nil, err
		}
		p.terms = tp
	}
	return p, nil
}

// MatchesAll reports whether the pattern matches every event.
func (p *Pattern) MatchesAll() bool { return p.terms == nil && p.json == nil && p.space == nil }

// Match reports whether a message matches the pattern.
func (p *Pattern) Match(msg string) bool {
	switch {
	case p.terms != nil:
		return p.terms.match(msg)
	case p.json != nil:
		doc, ok := parseJSONMessage(msg)
		return ok && p.json.eval(jsonResolver{doc})
	case p.space != nil:
		return p.space.match(msg)
	}
	return true
}

// ---- terms ----

type termKind int

const (
	termRequired termKind = iota
	termOptional          // ?term
	termExcluded          // -term
)

type term struct {
	kind termKind
	text string
	re   *regexp.Regexp
}

func (t *term) in(msg string) bool {
	if t.re != nil {
		return t.re.MatchString(msg)
	}
	return strings.Contains(msg, t.text)
}

type termPattern struct{ terms []term }

func (tp *termPattern) match(msg string) bool {
	anyOptional, optionalHit := false, false
	for i := range tp.terms {
		t := &tp.terms[i]
		switch t.kind {
		case termRequired:
			if !t.in(msg) {
				return false
			}
		case termExcluded:
			if t.in(msg) {
				return false
			}
		case termOptional:
			anyOptional = true
			if !optionalHit && t.in(msg) {
				optionalHit = true
			}
		}
	}
	return !anyOptional || optionalHit
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func parseTerms(src string) (*termPattern, error) {
	tp := &termPattern{}
	i := 0
	skip := func() {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
	}
	for {
		skip()
		if i == len(src) {
			return tp, nil
		}
		t := term{kind: termRequired}
		switch src[i] {
		case '?':
			t.kind = termOptional
			i++
			skip()
		case '-':
			t.kind = termExcluded
			i++
			skip()
		}
		if i == len(src) {
			return nil, invalidPattern()
		}
		switch src[i] {
		case '"':
			text, n, ok := readQuoted(src[i:])
			if !ok {
				return nil, invalidPattern()
			}
			if text == "" {
				return nil, invalidTerm(src[i : i+n])
			}
			t.text = text
			i += n
		case '%':
			re, n, err := readRegex(src[i:])
			if err != nil {
				return nil, err
			}
			t.re = re
			i += n
		default:
			start := i
			for i < len(src) && !isSpace(src[i]) {
				i++
			}
			word := src[start:i]
			if !isBareTerm(word) {
				return nil, invalidTerm(word)
			}
			t.text = word
		}
		if i < len(src) && !isSpace(src[i]) {
			// A quoted term or regex runs straight into the next.
			return nil, invalidPattern()
		}
		tp.terms = append(tp.terms, t)
	}
}

// isBareTerm: "terms that include characters other than alphanumeric or
// underscore must be placed inside double quotes" [DOC].
func isBareTerm(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return s != ""
}

// readQuoted reads a double-quoted string at the start of s (a backslash
// escapes the next character) and returns its text and length.
func readQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				return "", 0, false
			}
			i++
			b.WriteByte(s[i])
		case '"':
			return b.String(), i + 1, true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, false
}

// readRegex reads a %regex% at the start of s. Allowed: ASCII letters and
// digits, the symbols _ # = @ / ; , - : and the operators ^ $ ? [ ] { } |
// \ * + . — no ( ) and no multi-byte characters [DOC].
func readRegex(s string) (*regexp.Regexp, int, error) {
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			body := s[1:i]
			if body == "" {
				return nil, 0, invalidPattern()
			}
			re, err := regexp.Compile(body)
			if err != nil {
				return nil, 0, invalidPattern()
			}
			return re, i + 1, nil
		case c == '\\':
			if i+1 == len(s) || s[i+1] >= utf8.RuneSelf || s[i+1] < ' ' {
				return nil, 0, invalidPattern()
			}
			i++
		case c >= utf8.RuneSelf, !strings.ContainsRune(regexChars, rune(c)) && !isAlnum(c):
			return nil, 0, invalidPattern()
		}
	}
	return nil, 0, invalidPattern()
}

const regexChars = "_#=@/;,-:^$?[]{}|*+."

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ---- JSON and space-delimited conditions ----

// node is a boolean expression over conditions.
type node interface {
	eval(r resolver) bool
}

// resolver finds what a condition's left side names: a JSON value (a
// string, json.Number, bool, nil, map or slice) or a field of a
// space-delimited event (a string).
type resolver interface {
	resolve(c *cond) (any, bool)
	// numericStrings reports whether a string value that reads as a number
	// compares as one (space-delimited fields are all strings).
	numericStrings() bool
}

type andNode []node
type orNode []node

func (n andNode) eval(r resolver) bool {
	for _, c := range n {
		if !c.eval(r) {
			return false
		}
	}
	return true
}

func (n orNode) eval(r resolver) bool {
	for _, c := range n {
		if c.eval(r) {
			return true
		}
	}
	return false
}

type pathElem struct {
	key   string
	index int // -1 for a key
}

// cond is `lhs op value`, or `lhs IS TRUE|FALSE|NULL`, or `lhs NOT EXISTS`.
type cond struct {
	path []pathElem // JSON selector
	name string     // space-delimited field
	op   string     // = != < <= > >= isTrue isFalse isNull notExists
	val  value
}

type value struct {
	text  string
	num   float64
	isNum bool
	re    *regexp.Regexp
	// glob: `*` matches anything anywhere (space-delimited fields);
	// otherwise only a leading or trailing `*` is a wildcard (JSON: "Ev*ent
	// will only match the actual string Ev*ent" [DOC]).
	glob bool
}

func (c *cond) eval(r resolver) bool {
	v, found := r.resolve(c)
	switch c.op {
	case "notExists":
		return !found
	case "isNull":
		return found && v == nil
	case "isTrue":
		b, ok := v.(bool)
		return found && ok && b
	case "isFalse":
		b, ok := v.(bool)
		return found && ok && !b
	}
	if !found {
		return false
	}
	// The selector must reach a value node, a string or a number; on an
	// array or object both = and != are false [DOC].
	var (
		text   string
		num    float64
		hasNum bool
	)
	switch t := v.(type) {
	case string:
		text = t
		if f, err := strconv.ParseFloat(t, 64); err == nil && r.numericStrings() {
			num, hasNum = f, true
		}
	case json.Number:
		text = string(t)
		f, err := t.Float64()
		num, hasNum = f, err == nil
	default:
		return false
	}
	switch c.op {
	case "=", "!=":
		var eq bool
		if c.val.isNum && hasNum {
			eq = num == c.val.num
		} else {
			eq = c.val.matchText(text)
		}
		return eq == (c.op == "=")
	}
	if !hasNum {
		return false
	}
	switch c.op {
	case "<":
		return num < c.val.num
	case "<=":
		return num <= c.val.num
	case ">":
		return num > c.val.num
	case ">=":
		return num >= c.val.num
	}
	return false
}

func (v *value) matchText(s string) bool {
	switch {
	case v.re != nil:
		return v.re.MatchString(s)
	case v.glob:
		return globMatch(v.text, s)
	}
	core := v.text
	lead := strings.HasPrefix(core, "*")
	core = strings.TrimPrefix(core, "*")
	trail := strings.HasSuffix(core, "*")
	core = strings.TrimSuffix(core, "*")
	switch {
	case lead && trail:
		return strings.Contains(s, core)
	case lead:
		return strings.HasSuffix(s, core)
	case trail:
		return strings.HasPrefix(s, core)
	}
	return s == core
}

// globMatch matches s against a pattern where `*` is any run of characters.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// jsonResolver walks a parsed JSON message.
type jsonResolver struct{ doc any }

func (j jsonResolver) numericStrings() bool { return false }

func (j jsonResolver) resolve(c *cond) (any, bool) {
	v := j.doc
	for _, p := range c.path {
		if p.index >= 0 {
			arr, ok := v.([]any)
			if !ok || p.index >= len(arr) {
				return nil, false
			}
			v = arr[p.index]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[p.key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// parseJSONMessage parses a message as JSON, numbers kept as written; it
// reports false for a message that is not one JSON value.
func parseJSONMessage(msg string) (any, bool) {
	s := strings.TrimLeft(msg, " \t\r\n")
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return nil, false // only objects and arrays have selectors to reach
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	return doc, true
}

// ---- lexing and parsing conditions ----

type tokKind int

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tAnd
	tOr
	tOp
	tSelector
	tString
	tRegex
	tWord
)

type token struct {
	kind tokKind
	text string
	path []pathElem
	re   *regexp.Regexp
}

// lex splits the inside of a JSON pattern or one field of a
// space-delimited pattern into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case isSpace(c):
			i++
		case c == '(':
			toks = append(toks, token{kind: tLParen})
			i++
		case c == ')':
			toks = append(toks, token{kind: tRParen})
			i++
		case c == '&' || c == '|':
			if i+1 == len(src) || src[i+1] != c {
				return nil, invalidPattern()
			}
			k := tAnd
			if c == '|' {
				k = tOr
			}
			toks = append(toks, token{kind: k})
			i += 2
		case c == '=':
			toks = append(toks, token{kind: tOp, text: "="})
			i++
		case c == '!':
			if i+1 == len(src) || src[i+1] != '=' {
				return nil, invalidPattern()
			}
			toks = append(toks, token{kind: tOp, text: "!="})
			i += 2
		case c == '<' || c == '>':
			op := string(c)
			i++
			if i < len(src) && src[i] == '=' {
				op += "="
				i++
			}
			toks = append(toks, token{kind: tOp, text: op})
		case c == '"':
			text, n, ok := readQuoted(src[i:])
			if !ok {
				return nil, invalidPattern()
			}
			toks = append(toks, token{kind: tString, text: text})
			i += n
		case c == '%':
			re, n, err := readRegex(src[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tRegex, re: re})
			i += n
		case c == '$':
			path, n, ok := readSelector(src[i:])
			if !ok {
				return nil, invalidPattern()
			}
			toks = append(toks, token{kind: tSelector, path: path})
			i += n
		default:
			start := i
			for i < len(src) && !isSpace(src[i]) && !strings.ContainsRune("()&|=!<>\"", rune(src[i])) {
				i++
			}
			toks = append(toks, token{kind: tWord, text: src[start:i]})
		}
	}
	return append(toks, token{kind: tEOF}), nil
}

// readSelector reads `$`, then `.name` and `[N]` parts: names are letters,
// digits, `-` and `_` [DOC], plus `@` and `:` seen in real keys.
func readSelector(s string) ([]pathElem, int, bool) {
	path := []pathElem{}
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			start := i + 1
			i++
			for i < len(s) && (isAlnum(s[i]) || strings.IndexByte("-_@:", s[i]) >= 0 || s[i] >= utf8.RuneSelf) {
				i++
			}
			if i == start {
				return nil, 0, false
			}
			path = append(path, pathElem{key: s[start:i], index: -1})
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, 0, false
			}
			n, err := strconv.Atoi(s[i+1 : i+end])
			if err != nil || n < 0 {
				return nil, 0, false
			}
			path = append(path, pathElem{index: n})
			i += end + 1
		default:
			return path, i, true
		}
	}
	return path, i, true
}

// parser builds a node from tokens; space selects the space-delimited form
// (conditions on field names instead of JSON selectors).
type parser struct {
	toks    []token
	i       int
	space   bool
	regexes *int
}

func parseExpr(src string, space bool) (node, error) {
	regexes := 0
	return parseExprCounting(src, space, &regexes)
}

func parseExprCounting(src string, space bool, regexes *int) (node, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, space: space, regexes: regexes}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, invalidPattern()
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) or() (node, error) {
	var terms orNode
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
		if p.peek().kind != tOr {
			break
		}
		p.next()
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *parser) and() (node, error) {
	var terms andNode
	for {
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
		if p.peek().kind != tAnd {
			break
		}
		p.next()
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *parser) unary() (node, error) {
	if p.peek().kind == tLParen {
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next().kind != tRParen {
			return nil, invalidPattern()
		}
		return n, nil
	}
	return p.condition()
}

var numberRE = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

func (p *parser) condition() (node, error) {
	lhs := p.next()
	c := &cond{}
	switch {
	case !p.space && lhs.kind == tSelector:
		c.path = lhs.path
	case p.space && lhs.kind == tWord && lhs.text != "":
		c.name = lhs.text
	default:
		return nil, invalidPattern()
	}
	op := p.next()
	switch {
	case op.kind == tWord && strings.EqualFold(op.text, "IS"):
		w := p.next()
		switch {
		case w.kind == tWord && strings.EqualFold(w.text, "TRUE"):
			c.op = "isTrue"
		case w.kind == tWord && strings.EqualFold(w.text, "FALSE"):
			c.op = "isFalse"
		case w.kind == tWord && strings.EqualFold(w.text, "NULL"):
			c.op = "isNull"
		default:
			return nil, invalidPattern()
		}
		return c, nil
	case op.kind == tWord && strings.EqualFold(op.text, "NOT"):
		if w := p.next(); w.kind != tWord || !strings.EqualFold(w.text, "EXISTS") {
			return nil, invalidPattern()
		}
		c.op = "notExists"
		return c, nil
	case op.kind != tOp:
		return nil, invalidPattern()
	}
	c.op = op.text
	v := p.next()
	switch v.kind {
	case tString:
		c.val = value{text: v.text, glob: p.space}
	case tRegex:
		*p.regexes++
		if *p.regexes > maxRegexes {
			return nil, invalidPattern()
		}
		c.val = value{re: v.re}
	case tWord:
		c.val = value{text: v.text, glob: p.space}
		if numberRE.MatchString(v.text) {
			f, err := strconv.ParseFloat(v.text, 64)
			if err != nil {
				return nil, invalidPattern()
			}
			c.val.num, c.val.isNum = f, true
		} else if !isBareValue(v.text) {
			return nil, invalidTerm(v.text)
		}
	default:
		return nil, invalidPattern()
	}
	if c.op != "=" && c.op != "!=" && !c.val.isNum {
		return nil, invalidPattern() // numeric comparisons take numbers
	}
	return c, nil
}

// isBareValue: unquoted values are alphanumeric [DOC], with the `*`
// wildcard and the `.`, `-`, `_`, `/` and `:` of the documentation's
// examples (`123.123.*`, `*.html*`).
func isBareValue(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("*._-/:", r) {
			return false
		}
	}
	return s != ""
}

// ---- space-delimited patterns ----

type slotKind int

const (
	slotField    slotKind = iota // a (possibly named) field
	slotEllipsis                 // ... : any number of fields
)

type slot struct {
	kind slotKind
	name string // "" for an unnamed field
	cond node   // nil when the field has no condition
}

type spacePattern struct {
	slots []slot
}

// parseSpacePattern parses the inside of `[...]`: comma-separated fields,
// each `...`, a name, or conditions on names.
func parseSpacePattern(src string) (*spacePattern, error) {
	parts, ok := splitFields(src)
	if !ok {
		return nil, invalidPattern()
	}
	sp := &spacePattern{}
	regexes := 0
	for _, part := range parts {
		part = strings.TrimSpace(part)
		switch {
		case part == "":
			sp.slots = append(sp.slots, slot{kind: slotField})
		case part == "..." || part == "…":
			sp.slots = append(sp.slots, slot{kind: slotEllipsis})
		case isFieldName(part):
			sp.slots = append(sp.slots, slot{kind: slotField, name: part})
		default:
			n, err := parseExprCounting(part, true, &regexes)
			if err != nil {
				return nil, err
			}
			sp.slots = append(sp.slots, slot{kind: slotField, name: firstName(n), cond: n})
		}
	}
	return sp, nil
}

func isFieldName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return s != ""
}

// firstName is the field a slot's conditions are about: the first named.
func firstName(n node) string {
	switch t := n.(type) {
	case *cond:
		return t.name
	case andNode:
		return firstName(t[0])
	case orNode:
		return firstName(t[0])
	}
	return ""
}

// splitFields splits on the commas outside quotes and regexes.
func splitFields(s string) ([]string, bool) {
	var parts []string
	start, inQuote, inRegex := 0, false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && (inQuote || inRegex):
			i++
		case c == '"' && !inRegex:
			inQuote = !inQuote
		case c == '%' && !inQuote:
			inRegex = !inRegex
		case c == ',' && !inQuote && !inRegex:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if inQuote || inRegex {
		return nil, false
	}
	return append(parts, s[start:]), true
}

// splitEvent splits a message into fields: runs of spaces separate them,
// and what is between double quotes or square brackets is one field,
// without them [DOC].
func splitEvent(msg string) []string {
	var fields []string
	i := 0
	for i < len(msg) {
		for i < len(msg) && isSpace(msg[i]) {
			i++
		}
		if i == len(msg) {
			break
		}
		var close byte
		switch msg[i] {
		case '"':
			close = '"'
		case '[':
			close = ']'
		}
		if close != 0 {
			if end := strings.IndexByte(msg[i+1:], close); end >= 0 {
				fields = append(fields, msg[i+1:i+1+end])
				i += end + 2
				continue
			}
		}
		start := i
		for i < len(msg) && !isSpace(msg[i]) {
			i++
		}
		fields = append(fields, msg[start:i])
	}
	return fields
}

// spaceResolver is the fields bound to a pattern's names.
type spaceResolver map[string]string

func (s spaceResolver) numericStrings() bool { return true }

func (s spaceResolver) resolve(c *cond) (any, bool) {
	v, ok := s[c.name]
	return v, ok
}

// maxSpaceSteps bounds the backtracking of patterns with several `...`.
const maxSpaceSteps = 100000

func (sp *spacePattern) match(msg string) bool {
	fields := splitEvent(msg)
	bound := spaceResolver{}
	steps := 0
	var try func(si, fi int) bool
	try = func(si, fi int) bool {
		if steps++; steps > maxSpaceSteps {
			return false
		}
		if si == len(sp.slots) {
			if fi != len(fields) {
				return false
			}
			for i := range sp.slots {
				if c := sp.slots[i].cond; c != nil && !c.eval(bound) {
					return false
				}
			}
			return true
		}
		s := &sp.slots[si]
		if s.kind == slotEllipsis {
			for k := fi; k <= len(fields); k++ {
				if try(si+1, k) {
					return true
				}
			}
			return false
		}
		if fi == len(fields) {
			return false
		}
		if s.name != "" {
			bound[s.name] = fields[fi]
		}
		return try(si+1, fi+1)
	}
	return try(0, 0)
}
