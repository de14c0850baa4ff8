package query

import "fmt"

// nodeType is the "type" of a jmespath.py AST node.
type nodeType int

const (
	nField nodeType = iota
	nSubexpression
	nIndexExpression
	nIndex
	nSlice
	nProjection
	nValueProjection
	nFilterProjection
	nFlatten
	nIdentity
	nCurrent
	nLiteral
	nMultiSelectList
	nMultiSelectDict
	nKeyValPair
	nComparator
	nOr
	nAnd
	nNot
	nPipe
	nFunction
	nExpref
)

// node is an AST node. value holds the field name, comparator, index,
// literal, function name or key name; slice the three slice parts.
type node struct {
	typ      nodeType
	value    any
	children []*node
	slice    [3]*int64
}

var bindingPower = map[string]int{
	"eof":                 0,
	"unquoted_identifier": 0,
	"quoted_identifier":   0,
	"literal":             0,
	"rbracket":            0,
	"rparen":              0,
	"comma":               0,
	"rbrace":              0,
	"number":              0,
	"current":             0,
	"expref":              0,
	"colon":               0,
	"pipe":                1,
	"or":                  2,
	"and":                 3,
	"eq":                  5,
	"gt":                  5,
	"lt":                  5,
	"gte":                 5,
	"lte":                 5,
	"ne":                  5,
	"flatten":             9,
	// Everything above stops a projection.
	"star":     20,
	"filter":   21,
	"dot":      40,
	"not":      45,
	"lbrace":   50,
	"lbracket": 55,
	"lparen":   60,
}

// projectionStop is the binding power below which a token ends a projection.
const projectionStop = 10

// maxParseDepth bounds the parser's recursion (Python stops at its
// recursion limit, around a few hundred nested parentheses).
const maxParseDepth = 2000

// parser is jmespath.py's Pratt parser. Errors are raised as panics of
// *Error and recovered in parse.
type parser struct {
	expr   string
	tokens []token
	index  int
	depth  int
}

func parse(expr string) (n *node, err *Error) {
	toks, lerr := tokenize(expr)
	if lerr != nil {
		return nil, lerr
	}
	p := &parser{expr: expr, tokens: toks}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			n, err = nil, e
		}
	}()
	n = p.expression(0)
	if p.current() != "eof" {
		t := p.lookaheadToken(0)
		p.fail(t, "Unexpected token: "+pyStr(t.value))
	}
	return n, nil
}

func (p *parser) expression(bp int) *node {
	if p.depth++; p.depth > maxParseDepth {
		panic(&Error{Class: "RecursionError", msg: "maximum recursion depth exceeded"})
	}
	defer func() { p.depth-- }()
	left := p.lookaheadToken(0)
	p.advance()
	n := p.nud(left)
	cur := p.current()
	for bp < bindingPower[cur] {
		p.advance()
		n = p.led(cur, n)
		cur = p.current()
	}
	return n
}

func (p *parser) nud(t token) *node {
	switch t.typ {
	case "literal":
		return &node{typ: nLiteral, value: t.value}
	case "unquoted_identifier":
		return &node{typ: nField, value: t.value}
	case "quoted_identifier":
		n := &node{typ: nField, value: t.value}
		if p.current() == "lparen" {
			lt := p.lookaheadToken(0)
			panic(parseError(p.expr, 0, lt.value, lt.typ, "Quoted identifier not allowed for function names."))
		}
		return n
	case "star":
		left := &node{typ: nIdentity}
		var right *node
		if p.current() == "rbracket" {
			right = &node{typ: nIdentity}
		} else {
			right = p.projectionRHS(bindingPower["star"])
		}
		return &node{typ: nValueProjection, children: []*node{left, right}}
	case "filter":
		return p.ledFilter(&node{typ: nIdentity})
	case "lbrace":
		return p.multiSelectHash()
	case "lparen":
		n := p.expression(0)
		p.match("rparen")
		return n
	case "flatten":
		left := &node{typ: nFlatten, children: []*node{{typ: nIdentity}}}
		right := p.projectionRHS(bindingPower["flatten"])
		return &node{typ: nProjection, children: []*node{left, right}}
	case "not":
		return &node{typ: nNot, children: []*node{p.expression(bindingPower["not"])}}
	case "lbracket":
		switch {
		case p.current() == "number" || p.current() == "colon":
			right := p.indexExpression()
			return p.projectIfSlice(&node{typ: nIdentity}, right)
		case p.current() == "star" && p.lookahead(1) == "rbracket":
			p.advance()
			p.advance()
			right := p.projectionRHS(bindingPower["star"])
			return &node{typ: nProjection, children: []*node{{typ: nIdentity}, right}}
		}
		return p.multiSelectList()
	case "current":
		return &node{typ: nCurrent}
	case "expref":
		return &node{typ: nExpref, children: []*node{p.expression(bindingPower["expref"])}}
	case "eof":
		panic(incompleteError(p.expr, len([]rune(p.expr))))
	}
	p.fail(t, "invalid token")
	return nil
}

func (p *parser) led(typ string, left *node) *node {
	switch typ {
	case "dot":
		if p.current() != "star" {
			right := p.dotRHS(bindingPower["dot"])
			if left.typ == nSubexpression {
				left.children = append(left.children, right)
				return left
			}
			return &node{typ: nSubexpression, children: []*node{left, right}}
		}
		p.advance()
		right := p.projectionRHS(bindingPower["dot"])
		return &node{typ: nValueProjection, children: []*node{left, right}}
	case "pipe":
		return &node{typ: nPipe, children: []*node{left, p.expression(bindingPower["pipe"])}}
	case "or":
		return &node{typ: nOr, children: []*node{left, p.expression(bindingPower["or"])}}
	case "and":
		return &node{typ: nAnd, children: []*node{left, p.expression(bindingPower["and"])}}
	case "lparen":
		if left.typ != nField {
			prev := p.lookaheadToken(-2)
			p.fail(prev, fmt.Sprintf("Invalid function name '%s'", pyStr(prev.value)))
		}
		var args []*node
		for p.current() != "rparen" {
			e := p.expression(0)
			if p.current() == "comma" {
				p.match("comma")
			}
			args = append(args, e)
		}
		p.match("rparen")
		return &node{typ: nFunction, value: left.value, children: args}
	case "filter":
		return p.ledFilter(left)
	case "eq", "ne", "gt", "gte", "lt", "lte":
		right := p.expression(bindingPower[typ])
		return &node{typ: nComparator, value: typ, children: []*node{left, right}}
	case "flatten":
		l := &node{typ: nFlatten, children: []*node{left}}
		right := p.projectionRHS(bindingPower["flatten"])
		return &node{typ: nProjection, children: []*node{l, right}}
	case "lbracket":
		t := p.lookaheadToken(0)
		if t.typ == "number" || t.typ == "colon" {
			right := p.indexExpression()
			if left.typ == nIndexExpression {
				left.children = append(left.children, right)
				return left
			}
			return p.projectIfSlice(left, right)
		}
		p.match("star")
		p.match("rbracket")
		right := p.projectionRHS(bindingPower["star"])
		return &node{typ: nProjection, children: []*node{left, right}}
	}
	// A token that binds but has no led: _error_led_token. The token was
	// already consumed by expression(); report it.
	p.fail(p.lookaheadToken(-1), "invalid token")
	return nil
}

func (p *parser) ledFilter(left *node) *node {
	cond := p.expression(0)
	p.match("rbracket")
	var right *node
	if p.current() == "flatten" {
		right = &node{typ: nIdentity}
	} else {
		right = p.projectionRHS(bindingPower["filter"])
	}
	return &node{typ: nFilterProjection, children: []*node{left, right, cond}}
}

func (p *parser) indexExpression() *node {
	if p.lookahead(0) == "colon" || p.lookahead(1) == "colon" {
		return p.sliceExpression()
	}
	n := &node{typ: nIndex, value: p.lookaheadToken(0).value.(numLit).val}
	p.advance()
	p.match("rbracket")
	return n
}

func (p *parser) sliceExpression() *node {
	var parts [3]*int64
	index := 0
	cur := p.current()
	for cur != "rbracket" && index < 3 {
		switch cur {
		case "colon":
			index++
			if index == 3 {
				p.fail(p.lookaheadToken(0), "syntax error")
			}
			p.advance()
		case "number":
			v := p.lookaheadToken(0).value.(numLit).val
			parts[index] = &v
			p.advance()
		default:
			p.fail(p.lookaheadToken(0), "syntax error")
		}
		cur = p.current()
	}
	p.match("rbracket")
	return &node{typ: nSlice, slice: parts}
}

func (p *parser) projectIfSlice(left, right *node) *node {
	idx := &node{typ: nIndexExpression, children: []*node{left, right}}
	if right.typ == nSlice {
		return &node{typ: nProjection, children: []*node{idx, p.projectionRHS(bindingPower["star"])}}
	}
	return idx
}

func (p *parser) multiSelectList() *node {
	var exprs []*node
	for {
		exprs = append(exprs, p.expression(0))
		if p.current() == "rbracket" {
			break
		}
		p.match("comma")
	}
	p.match("rbracket")
	return &node{typ: nMultiSelectList, children: exprs}
}

func (p *parser) multiSelectHash() *node {
	var pairs []*node
	for {
		keyTok := p.lookaheadToken(0)
		p.matchMultiple("['quoted_identifier', 'unquoted_identifier']", "quoted_identifier", "unquoted_identifier")
		p.match("colon")
		v := p.expression(0)
		pairs = append(pairs, &node{typ: nKeyValPair, value: keyTok.value, children: []*node{v}})
		if p.current() == "comma" {
			p.match("comma")
		} else if p.current() == "rbrace" {
			p.match("rbrace")
			break
		}
	}
	return &node{typ: nMultiSelectDict, children: pairs}
}

func (p *parser) projectionRHS(bp int) *node {
	cur := p.current()
	switch {
	case bindingPower[cur] < projectionStop:
		return &node{typ: nIdentity}
	case cur == "lbracket", cur == "filter":
		return p.expression(bp)
	case cur == "dot":
		p.match("dot")
		return p.dotRHS(bp)
	}
	p.fail(p.lookaheadToken(0), "syntax error")
	return nil
}

func (p *parser) dotRHS(bp int) *node {
	switch p.current() {
	case "quoted_identifier", "unquoted_identifier", "star":
		return p.expression(bp)
	case "lbracket":
		p.match("lbracket")
		return p.multiSelectList()
	case "lbrace":
		p.match("lbrace")
		return p.multiSelectHash()
	}
	t := p.lookaheadToken(0)
	p.fail(t, "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: "+t.typ)
	return nil
}

func (p *parser) match(typ string) {
	if p.current() == typ {
		p.advance()
		return
	}
	p.failMaybeEOF(typ, p.lookaheadToken(0))
}

func (p *parser) matchMultiple(expected string, types ...string) {
	cur := p.current()
	for _, t := range types {
		if cur == t {
			p.advance()
			return
		}
	}
	p.failMaybeEOF(expected, p.lookaheadToken(0))
}

func (p *parser) advance() { p.index++ }

func (p *parser) current() string { return p.tokens[p.index].typ }

func (p *parser) lookahead(n int) string { return p.lookaheadToken(n).typ }

// lookaheadToken is _lookahead_token; Python's negative indices wrap.
func (p *parser) lookaheadToken(n int) token {
	i := p.index + n
	if i < 0 {
		i += len(p.tokens)
	}
	if i >= len(p.tokens) { // cannot happen: eof stops every loop
		return p.tokens[len(p.tokens)-1]
	}
	return p.tokens[i]
}

func (p *parser) fail(t token, msg string) {
	panic(parseError(p.expr, t.start, t.value, t.typ, msg))
}

func (p *parser) failMaybeEOF(expected string, t token) {
	if t.typ == "eof" {
		panic(incompleteError(p.expr, len([]rune(p.expr))))
	}
	p.fail(t, fmt.Sprintf("Expecting: %s, got: %s", expected, t.typ))
}
