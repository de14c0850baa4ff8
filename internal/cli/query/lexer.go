package query

import (
	"strings"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// token is one token of jmespath.py's lexer. Positions count code points.
type token struct {
	typ   string
	value any // string for most tokens, numLit for numbers, any value for literals
	start int
}

var simpleTokens = map[rune]string{
	'.': "dot",
	'*': "star",
	']': "rbracket",
	',': "comma",
	':': "colon",
	'@': "current",
	'(': "lparen",
	')': "rparen",
	'{': "lbrace",
	'}': "rbrace",
}

const eofRune = -1

type lexer struct {
	expr  string
	chars []rune
	pos   int
	cur   rune // eofRune at the end
}

func isIdentStart(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
}

func isIdentChar(r rune) bool { return isIdentStart(r) || r >= '0' && r <= '9' }

// tokenize is Lexer.tokenize run to the end (the parser lists all tokens
// before parsing, so the first lexer error wins over any parse error).
func tokenize(expr string) ([]token, *Error) {
	if expr == "" {
		return nil, &Error{Class: ClassEmpty, msg: "Invalid JMESPath expression: cannot be empty."}
	}
	lx := &lexer{expr: expr, chars: []rune(expr)}
	lx.cur = lx.chars[0]
	var toks []token
	for lx.cur != eofRune {
		c := lx.cur
		if typ, ok := simpleTokens[c]; ok {
			toks = append(toks, token{typ, string(c), lx.pos})
			lx.next()
			continue
		}
		switch {
		case isIdentStart(c):
			start := lx.pos
			var b strings.Builder
			b.WriteRune(c)
			for isIdentChar(lx.next()) {
				b.WriteRune(lx.cur)
			}
			toks = append(toks, token{"unquoted_identifier", b.String(), start})
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			lx.next()
		case c == '[':
			start := lx.pos
			switch lx.next() {
			case ']':
				lx.next()
				toks = append(toks, token{"flatten", "[]", start})
			case '?':
				lx.next()
				toks = append(toks, token{"filter", "[?", start})
			default:
				toks = append(toks, token{"lbracket", "[", start})
			}
		case c == '\'':
			t, err := lx.rawStringLiteral()
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		case c == '|':
			toks = append(toks, lx.matchOrElse('|', "or", "pipe"))
		case c == '&':
			toks = append(toks, lx.matchOrElse('&', "and", "expref"))
		case c == '`':
			t, err := lx.literal()
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		case c >= '0' && c <= '9':
			start := lx.pos
			t, err := numberToken(lx.consumeNumber(), start)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		case c == '-':
			start := lx.pos
			buff := lx.consumeNumber()
			if len(buff) == 1 {
				return nil, lexerError(expr, start, "Unknown token '-'")
			}
			t, err := numberToken(buff, start)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		case c == '"':
			t, err := lx.quotedIdentifier()
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		case c == '<':
			toks = append(toks, lx.matchOrElse('=', "lte", "lt"))
		case c == '>':
			toks = append(toks, lx.matchOrElse('=', "gte", "gt"))
		case c == '!':
			toks = append(toks, lx.matchOrElse('=', "ne", "not"))
		case c == '=':
			if lx.next() == '=' {
				toks = append(toks, token{"eq", "==", lx.pos - 1})
				lx.next()
			} else {
				pos := lx.pos - 1
				if lx.cur == eofRune {
					pos = lx.pos
				}
				return nil, lexerError(expr, pos, "Unknown token '='")
			}
		default:
			return nil, lexerError(expr, lx.pos, "Unknown token "+string(c))
		}
	}
	return append(toks, token{"eof", "", len(lx.chars)}), nil
}

// next is Lexer._next: at the last character the position stays put.
func (lx *lexer) next() rune {
	if lx.pos == len(lx.chars)-1 {
		lx.cur = eofRune
	} else {
		lx.pos++
		lx.cur = lx.chars[lx.pos]
	}
	return lx.cur
}

func (lx *lexer) consumeNumber() string {
	var b strings.Builder
	b.WriteRune(lx.cur)
	for c := lx.next(); c >= '0' && c <= '9'; c = lx.next() {
		b.WriteRune(c)
	}
	return b.String()
}

// numberToken is Python's int(buff) of an optionally negative run of ASCII
// digits.
func numberToken(buff string, start int) (token, *Error) {
	neg := buff[0] == '-'
	digits := strings.TrimPrefix(buff, "-")
	if len(digits) > py.IntMaxStrDigits {
		return token{}, intDigitsError(len(digits))
	}
	text := strings.TrimLeft(digits, "0")
	if text == "" {
		text = "0"
	} else if neg {
		text = "-" + text
	}
	var v int64
	switch n := value.Number(text).(type) {
	case int64:
		v = n
	default: // beyond int64: saturate
		v = 1<<63 - 1
		if neg {
			v = -1 << 63
		}
	}
	return token{"number", numLit{text: text, val: v}, start}, nil
}

// consumeUntil is Lexer._consume_until: a backslash keeps itself and the
// character after it.
func (lx *lexer) consumeUntil(delim rune) (string, *Error) {
	start := lx.pos
	var b strings.Builder
	lx.next()
	for lx.cur != delim {
		if lx.cur == '\\' {
			b.WriteByte('\\')
			lx.next()
		}
		if lx.cur == eofRune {
			return "", lexerError(lx.expr, start, "Unclosed "+string(delim)+" delimiter")
		}
		b.WriteRune(lx.cur)
		lx.next()
	}
	lx.next()
	return b.String(), nil
}

func (lx *lexer) literal() (token, *Error) {
	start := lx.pos
	raw, err := lx.consumeUntil('`')
	if err != nil {
		return token{}, err
	}
	lexeme := strings.ReplaceAll(raw, "\\`", "`")
	v, jerr := literalJSON.Loads(lexeme)
	if jerr != nil {
		if _, deep := jerr.(*py.JSONDepthError); deep {
			return token{}, recursionError(lexeme)
		}
		// JEP-12 deprecation period: an invalid JSON value is a string.
		v, jerr = literalJSON.Loads(`"` + strings.TrimLeftFunc(lexeme, py.IsSpace) + `"`)
		if jerr != nil {
			return token{}, lexerError(lx.expr, start, "Bad token "+lexeme)
		}
	}
	return token{"literal", v, start}, nil
}

// recursionError stands in for the RecursionError json.loads raises on
// deeply nested literals (Python's limit depends on the caller's stack).
func recursionError(lexeme string) *Error {
	kind := "array"
	if strings.HasPrefix(strings.TrimLeft(lexeme, " \t\n\r"), "{") {
		kind = "object"
	}
	return &Error{Class: "RecursionError",
		msg: "maximum recursion depth exceeded while decoding a JSON " + kind + " from a unicode string"}
}

func (lx *lexer) quotedIdentifier() (token, *Error) {
	start := lx.pos
	raw, err := lx.consumeUntil('"')
	if err != nil {
		return token{}, err
	}
	v, jerr := literalJSON.Loads(`"` + raw + `"`)
	if jerr != nil {
		msg, _, _ := strings.Cut(jerr.Error(), ":")
		return token{}, lexerError(lx.expr, start, msg)
	}
	return token{"quoted_identifier", v, start}, nil
}

func (lx *lexer) rawStringLiteral() (token, *Error) {
	start := lx.pos
	raw, err := lx.consumeUntil('\'')
	if err != nil {
		return token{}, err
	}
	return token{"literal", strings.ReplaceAll(raw, `\'`, `'`), start}, nil
}

func (lx *lexer) matchOrElse(expected rune, matchType, elseType string) token {
	start := lx.pos
	cur := lx.cur
	if lx.next() == expected {
		lx.next()
		return token{matchType, string(cur) + string(expected), start}
	}
	return token{elseType, string(cur), start}
}
