package shorthand

import (
	"strings"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// Options configure Parse.
type Options struct {
	// LoadFile loads the value of a `key@=…` entry: prefix is "file://" or
	// "fileb://" and path the rest. It returns a string (file://) or []byte
	// (fileb://). nil: `@=` values are kept literally.
	LoadFile func(prefix, path string) (any, error)
}

// Parse parses one shorthand token into a *value.Object whose values are
// strings, []any and *value.Object (typing happens later, from the model).
// Keys keep their order.
//
// A grammar error is a *SyntaxError; an error from Options.LoadFile is
// returned unchanged (the caller formats it). Files are loaded where the
// CLI loads them, as each value is read, so a missing file fails the parse
// even in a csv item the back-tracking rule then gives up
// (a@=b,file://missing=c), as it does in the CLI.
func Parse(input string, opts Options) (*value.Object, error) {
	p := &parser{in: input, load: opts.LoadFile}
	obj, err := p.parameter()
	if err != nil {
		if le, ok := err.(loadError); ok {
			return nil, le.err
		}
		return nil, err
	}
	return obj, nil
}

// loadError carries a LoadFile error through the parser, so that the csv
// back-tracking, which recovers from syntax errors only, cannot mistake it
// for one.
type loadError struct{ err error }

func (e loadError) Error() string { return e.err.Error() }

// parser is a recursive-descent parser over the input's bytes. Offsets are
// byte offsets; every character the grammar looks at (quotes, brackets,
// `,` `=` `@` `\` and the skipped whitespace) is ASCII, so they never land
// inside a multi-byte character.
type parser struct {
	in   string
	pos  int
	load func(prefix, path string) (any, error)
	// fromFile is set by `key@=` and cleared by `key=`. As in the CLI
	// (ShorthandParser._should_resolve_paramfiles) it belongs to the parser,
	// not to the key: after a hash literal, the flag of its last key stays
	// in force for the rest of the enclosing list.
	fromFile bool
	depth    int
}

// parameter = keyval *( "," keyval ), keys unique.
func (p *parser) parameter() (*value.Object, error) {
	obj := value.NewObject()
	key, val, err := p.keyval()
	if err != nil {
		return nil, err
	}
	obj.Set(key, val)
	for !p.eof() {
		end := p.pos // where the previous keyval stopped
		if err := p.expect(',', true); err != nil {
			return nil, err
		}
		key, val, err := p.keyval()
		if err != nil {
			return nil, err
		}
		if _, dup := obj.Get(key); dup {
			// The CLI points one character past the end of the previous
			// keyval: the start of the repeated key when nothing but the
			// comma separates them.
			return nil, &SyntaxError{Kind: DuplicateKey, Input: p.in, Offset: end + 1, Key: key}
		}
		obj.Set(key, val)
	}
	return obj, nil
}

// keyval = key ws ["@"] ws "=" ws values
func (p *parser) keyval() (string, any, error) {
	key := p.key()
	if err := p.assign(); err != nil {
		return "", nil, err
	}
	val, err := p.values()
	if err != nil {
		return "", nil, err
	}
	return key, val, nil
}

// key is a possibly empty run of letters, digits and `-_.#/:`.
func (p *parser) key() string {
	start := p.pos
	for !p.eof() && isKeyChar(p.in[p.pos]) {
		p.pos++
	}
	return p.in[start:p.pos]
}

func isKeyChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.#/:", c) >= 0
}

// assign reads the optional "@" and the "=" after a key, each with the
// whitespace around it, and sets fromFile.
func (p *parser) assign() error {
	p.fromFile = p.expect('@', true) == nil
	return p.expect('=', true)
}

// values = EOF / explicit-list / hash-literal / csv-value
func (p *parser) values() (any, error) {
	switch {
	case p.eof():
		return "", nil
	case p.at('['):
		return p.list()
	case p.at('{'):
		return p.hash()
	}
	return p.csv()
}

// csv reads a first value and, when a comma follows, as many second values
// as it can. An item that does not parse (or is not followed by a comma or
// the end) ends the list: the parser moves back to the nearest comma at or
// before the failure, which the caller then reads as the separator of the
// next keyval (a=b,c,d=e). The move is a plain scan for ',' (the CLI's
// _backtrack_to), so it may stop at an escaped or quoted comma of the
// failed item: a=b,c\,d=e gives {"a":"b","d":"e"}.
func (p *parser) csv() (any, error) {
	first, err := p.firstValue()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.at(',') {
		return first, nil
	}
	p.pos++
	p.skipSpace()
	items := []any{first}
	for {
		v, err := p.secondValue()
		if err == nil {
			p.skipSpace()
			if p.eof() {
				items = append(items, v)
				break
			}
			if err = p.expect(',', true); err == nil {
				items = append(items, v)
				continue
			}
		}
		if _, ok := err.(*SyntaxError); !ok || p.eof() {
			return nil, err // a=b, and a=b,c, fail here
		}
		for p.pos > 0 && p.in[p.pos] != ',' {
			p.pos--
		}
		break
	}
	if len(items) == 1 {
		return first, nil
	}
	return items, nil
}

// list = "[" ws [ ev *( ws "," ws ev ) [ws ","] ] ws "]"
func (p *parser) list() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if err := p.expect('[', true); err != nil {
		return nil, err
	}
	items := []any{}
	for !p.at(']') {
		// At the end of the input this reads an empty value and then
		// fails on the missing ",".
		v, err := p.explicitValue()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		p.skipSpace()
		if !p.at(']') {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
	}
	p.pos++ // the "]"
	return items, nil
}

// hash = "{" ws *( key ["@"] "=" ws ev ws ["," ws] ) "}". A repeated key
// replaces the value in place (a Python dict), only top-level keys are
// checked for duplicates.
func (p *parser) hash() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if err := p.expect('{', true); err != nil {
		return nil, err
	}
	obj := value.NewObject()
	for !p.at('}') {
		key := p.key()
		if err := p.assign(); err != nil {
			return nil, err
		}
		v, err := p.explicitValue()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if !p.at('}') {
			if err := p.expect(',', false); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
		obj.Set(key, v)
	}
	p.pos++ // the "}"
	return obj, nil
}

func (p *parser) enter() error {
	if p.depth >= MaxDepth {
		return &SyntaxError{Kind: TooDeep, Input: p.in, Offset: p.pos}
	}
	p.depth++
	return nil
}

func (p *parser) leave() { p.depth-- }

// explicitValue is an element of a list or hash literal.
func (p *parser) explicitValue() (any, error) {
	switch {
	case p.at('['):
		return p.list()
	case p.at('{'):
		return p.hash()
	}
	return p.firstValue()
}

// firstValue is a quoted string or an unquoted first value; where neither
// starts, it is the empty string and nothing is consumed (a=,b=c and
// "[,b]" rely on this).
func (p *parser) firstValue() (any, error) {
	if p.at('\'') || p.at('"') {
		return p.quoted()
	}
	s, ok := p.unquoted(isFirstFollow)
	if !ok {
		return "", nil
	}
	return p.resolve(s)
}

// secondValue is a quoted string or an unquoted second value, which must
// not be empty.
func (p *parser) secondValue() (any, error) {
	if p.at('\'') || p.at('"') {
		return p.quoted()
	}
	s, ok := p.unquoted(isSecondFollow)
	if !ok {
		return nil, p.unexpected("<second>", "<none>")
	}
	return p.resolve(s)
}

// unquoted reads a start character then follow characters, either of them
// possibly an escaped comma `\,`. It returns the text with `\,` turned
// into `,` and trailing whitespace removed.
func (p *parser) unquoted(follow func(rune) bool) (string, bool) {
	start := p.pos
	class := isStart
	for !p.eof() {
		if strings.HasPrefix(p.in[p.pos:], `\,`) {
			p.pos += 2
		} else if r, n := utf8.DecodeRuneInString(p.in[p.pos:]); class(r) {
			p.pos += n
		} else {
			break
		}
		class = follow
	}
	if p.pos == start {
		return "", false
	}
	s := strings.ReplaceAll(p.in[start:p.pos], `\,`, ",")
	return strings.TrimRightFunc(s, isReSpace), true
}

// quoted reads a string in single or double quotes. Inside, `\q` (q the
// quote) does not end the string; after the quotes are removed `\q`
// becomes q and then `\\` becomes `\`, nothing else is an escape.
//
// The CLI matches '(?:\\'|[^'])*' (the form since 2.18.14). When no
// unescaped quote closes the string, that regex backs up and ends the
// string at the quote of the last `\q` instead ('a\'b → "a\\", rest "b");
// with no `\q` either, it is an error.
func (p *parser) quoted() (any, error) {
	q := p.in[p.pos]
	end, lastEscaped := -1, -1
	for i := p.pos + 1; i < len(p.in); i++ {
		if p.in[i] == '\\' && i+1 < len(p.in) && p.in[i+1] == q {
			i++
			lastEscaped = i
		} else if p.in[i] == q {
			end = i
			break
		}
	}
	if end < 0 {
		end = lastEscaped
	}
	if end < 0 {
		name := "<singled quoted>" // sic, the CLI's spelling
		if q == '"' {
			name = "<double quoted>"
		}
		return nil, p.unexpected(name, "<none>")
	}
	s := p.in[p.pos+1 : end]
	p.pos = end + 1
	s = strings.ReplaceAll(s, `\`+string(q), string(q))
	s = strings.ReplaceAll(s, `\\`, `\`)
	return p.resolve(s)
}

// resolve loads s from a file when the keyval was written `key@=` and s
// starts with file:// or fileb:// (case-sensitive, paramfile.get_paramfile).
func (p *parser) resolve(s string) (any, error) {
	if !p.fromFile || p.load == nil {
		return s, nil
	}
	for _, prefix := range [...]string{"file://", "fileb://"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			v, err := p.load(prefix, rest)
			if err != nil {
				return nil, loadError{err}
			}
			if v == nil { // get_paramfile's None: keep the text
				return s, nil
			}
			return v, nil
		}
	}
	return s, nil
}

// expect consumes the character c, with the whitespace around it when ws.
func (p *parser) expect(c byte, ws bool) error {
	if ws {
		p.skipSpace()
	}
	if p.eof() {
		return p.unexpected(string(c), "EOF")
	}
	if p.in[p.pos] != c {
		r, n := utf8.DecodeRuneInString(p.in[p.pos:])
		got := string(r)
		if r == utf8.RuneError && n == 1 {
			got = p.in[p.pos : p.pos+1]
		}
		return p.unexpected(string(c), got)
	}
	p.pos++
	if ws {
		p.skipSpace()
	}
	return nil
}

func (p *parser) unexpected(expected, received string) *SyntaxError {
	return &SyntaxError{Kind: Unexpected, Input: p.in, Offset: p.pos, Expected: expected, Received: received}
}

func (p *parser) skipSpace() {
	for !p.eof() && isSkipSpace(p.in[p.pos]) {
		p.pos++
	}
}

func (p *parser) eof() bool { return p.pos >= len(p.in) }

func (p *parser) at(c byte) bool { return p.pos < len(p.in) && p.in[p.pos] == c }
