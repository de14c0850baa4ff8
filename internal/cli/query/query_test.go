package query

import (
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

func mustSearch(t *testing.T, expr string, data any) any {
	t.Helper()
	q, err := Compile(expr)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	r, err := q.Search(data)
	if err != nil {
		t.Fatalf("Search(%q): %v", expr, err)
	}
	return r
}

func TestCompileErrorText(t *testing.T) {
	for _, tc := range []struct{ expr, class, msg string }{
		{"Log[[", ClassParse, "Expecting: star, got: lbracket: Parse error at column 4, token \"[\" (LBRACKET), for expression:\n\"Log[[\"\n     ^"},
		{"", ClassEmpty, "Invalid JMESPath expression: cannot be empty."},
		{"a ==", ClassIncomplete, "Invalid jmespath expression: Incomplete expression:\n\"a ==\"\n     ^"},
		{"foo.", ClassParse, "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^"},
		{"a#", ClassLexer, "Bad jmespath expression: Unknown token #:\na#\n ^"},
		{"éa = b", ClassLexer, "Bad jmespath expression: Unknown token é:\néa = b\n^"},
		{"a = b", ClassLexer, "Bad jmespath expression: Unknown token '=':\na = b\n  ^"},
		{"\"\\x\"", ClassLexer, "Bad jmespath expression: Invalid \\escape:\n\"\\x\"\n^"},
		{"`\"foo`", ClassLexer, "Bad jmespath expression: Bad token \"foo:\n`\"foo`\n^"},
		{"'abc", ClassLexer, "Bad jmespath expression: Unclosed ' delimiter:\n'abc\n^"},
		{"\"a\"(b)", ClassParse, "Quoted identifier not allowed for function names.: Parse error at column 0, token \"(\" (LPAREN), for expression:\n\"\"a\"(b)\"\n ^"},
		{"`{\"a\": [1, \"x'y\", null, true, 1.0]}` foo", ClassParse, "Unexpected token: foo: Parse error at column 37, token \"foo\" (UNQUOTED_IDENTIFIER), for expression:\n\"`{\"a\": [1, \"x'y\", null, true, 1.0]}` foo\"\n                                      ^"},
		{"a `{\"a\": [1, \"x'y\"]}`", ClassParse, "Unexpected token: {'a': [1, \"x'y\"]}: Parse error at column 2, token \"{'a': [1, \"x'y\"]}\" (LITERAL), for expression:\n\"a `{\"a\": [1, \"x'y\"]}`\"\n   ^"},
		{"$x", ClassLexer, "Bad jmespath expression: Unknown token $:\n$x\n^"},
		{"let $x = 1 in $x", ClassLexer, "Bad jmespath expression: Unknown token $:\nlet $x = 1 in $x\n    ^"},
		{"a + b", ClassLexer, "Bad jmespath expression: Unknown token +:\na + b\n  ^"},
		{"a - b", ClassLexer, "Bad jmespath expression: Unknown token '-':\na - b\n  ^"},
		{"a * b", ClassParse, "invalid token: Parse error at column 2, token \"*\" (STAR), for expression:\n\"a * b\"\n   ^"},
		{"a[007 1]", ClassParse, "Expecting: rbracket, got: number: Parse error at column 6, token \"1\" (NUMBER), for expression:\n\"a[007 1]\"\n       ^"},
	} {
		_, err := Compile(tc.expr)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%q) = %v, want an *Error", tc.expr, err)
			continue
		}
		if e.Class != tc.class || e.Error() != tc.msg {
			t.Errorf("Compile(%q):\n got %s %q\nwant %s %q", tc.expr, e.Class, e.Error(), tc.class, tc.msg)
		}
	}
}

func TestSearchErrorText(t *testing.T) {
	data := mustJSON(`{"a": 1, "s": "x", "l": [1, "a"]}`)
	for _, tc := range []struct{ expr, class, msg string }{
		{"length(a)", ClassType, `In function length(), invalid type for value: 1, expected one of: ['string', 'array', 'object'], received: "number"`},
		{"sum(l)", ClassType, `In function sum(), invalid type for value: a, expected one of: ['array-number'], received: "str"`},
		{"max(l)", ClassType, `In function max(), invalid type for value: a, expected one of: ['array-number', 'array-string'], received: "str"`},
		{"length(@)", "", ""},
		{"length(@, a)", ClassArity, "Expected 1 argument for function length(), received 2"},
		{"contains(s)", ClassArity, "Expected 2 arguments for function contains(), received 1"},
		{"merge()", ClassVariadicArity, "Expected at least 1 argument for function merge(), received 0"},
		{"nope(@)", ClassUnknownFunction, "Unknown function: nope()"},
		{"l[::0]", ClassValueError, "slice step cannot be zero"},
		{"a < s", ClassTypeError, "'<' not supported between instances of 'int' and 'str'"},
		{"contains(s, a)", ClassTypeError, "'in <string>' requires string as left operand, not int"},
		{"ceil(`1e400`)", ClassOverflowError, "cannot convert float infinity to integer"},
		{"&a", ClassTypeError, "Encountered unrecognized type in JSON encoder."},
		{"length(&a)", ClassType, `In function length(), invalid type for value: <jmespath.visitor._Expression object at 0x7f0000000000>, expected one of: ['string', 'array', 'object'], received: "expref"`},
	} {
		q, err := Compile(tc.expr)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.expr, err)
		}
		_, err = q.Search(data)
		if tc.class == "" {
			if err != nil {
				t.Errorf("Search(%q): %v", tc.expr, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Class != tc.class || e.Error() != tc.msg {
			t.Errorf("Search(%q) = %#v, want %s %q", tc.expr, err, tc.class, tc.msg)
		}
	}
}

// TestKeyOrder: results keep model (input) order, multi-select hashes
// expression order, merge() first-seen order with last values.
func TestKeyOrder(t *testing.T) {
	data := mustJSON(`{"Z": 1, "A": {"y": 1, "x": 2}, "M": [{"b": 1, "a": 2}], "L": 1.0}`)
	for expr, want := range map[string]string{
		"@":                                `{"Z":1,"A":{"y":1,"x":2},"M":[{"b":1,"a":2}],"L":1.0}`,
		"{S: Z, L: L, A: A}":               `{"S":1,"L":1.0,"A":{"y":1,"x":2}}`,
		"{b: Z, a: Z, b: L}":               `{"b":1.0,"a":1}`,
		"M[].{z: a, a: b}":                 `[{"z":2,"a":1}]`,
		"keys(@)":                          `["Z","A","M","L"]`,
		"values(A)":                        `[1,2]`,
		"merge(A, `{\"z\": 0, \"y\": 3}`)": `{"y":3,"x":2,"z":0}`,
		"*":                                `[1,{"y":1,"x":2},[{"b":1,"a":2}],1.0]`,
		"to_string(@)":                     `"{\"Z\":1,\"A\":{\"y\":1,\"x\":2},\"M\":[{\"b\":1,\"a\":2}],\"L\":1.0}"`,
	} {
		if got := pyJSONDumps(mustSearch(t, expr, data)); got != want {
			t.Errorf("%s: got %s, want %s", expr, got, want)
		}
	}
}

// TestNumbers: Python's int/float rules, with the AWS CLI's Python (3.14:
// sum() of floats is compensated).
func TestNumbers(t *testing.T) {
	for expr, want := range map[string]any{
		"sum(`[1, 2, 3]`)":       int64(6),
		"sum(`[1, 2.0]`)":        3.0,
		"sum(`[]`)":              int64(0),
		"sum(`[0.1, 0.2, 0.3]`)": 0.6, // 0.6000000000000001 before Python 3.12
		"avg(`[0.1, 0.2, 0.3]`)": 0.19999999999999998,
		"avg(`[1, 2]`)":          1.5,
		"avg(`[2, 2]`)":          2.0,
		"avg(`[]`)":              nil,
		"ceil(`1.5`)":            int64(2),
		"floor(`-1.5`)":          int64(-2),
		"abs(`-2`)":              int64(2),
		"abs(`-2.0`)":            2.0,
		"to_number('7')":         int64(7),
		"to_number('7.0')":       7.0,
		"to_number(' 1_000 ')":   int64(1000),
		"to_number('x')":         nil,
		"length('😀é')":           int64(2),
		"`1` == `1.0`":           true,
		"`1` == `true`":          false,
		"`[1]` == `[true]`":      true,
		"`2` < `2.5`":            true,
		"max(`[1, 1.0]`)":        int64(1),
		"min(`[1.0, 1]`)":        1.0,
		"`9007199254740993` > `9007199254740992.0`": true,
	} {
		got := mustSearch(t, expr, nil)
		if f, ok := want.(float64); ok {
			if g, ok := got.(float64); !ok || g != f {
				t.Errorf("%s = %#v, want float64 %v", expr, got, f)
			}
			continue
		}
		if got != want {
			t.Errorf("%s = %#v, want %#v", expr, got, want)
		}
	}
	if r := mustSearch(t, "to_number('nan')", nil).(float64); !math.IsNaN(r) {
		t.Errorf("to_number('nan') = %v", r)
	}
}

func TestLiterals(t *testing.T) {
	for expr, want := range map[string]string{
		"`foo`":                            `"foo"`, // JEP-12 deprecated form
		"` foo`":                           `"foo"`,
		"`\"a\\`b\"`":                      `"a` + "`" + `b"`,
		"'\\\\'":                           `"\\\\"`, // jmespath.py keeps both backslashes
		"'it\\'s'":                         `"it's"`,
		"`{\"a\": 1, \"b\": 2, \"a\": 3}`": `{"a":3,"b":2}`,
		"`1.0`":                            `1.0`,
		"`1e2`":                            `100.0`,
		"`-0`":                             `0`,
		"`NaN`":                            `NaN`,
		"\"\\u00e9\"":                      `null`,
	} {
		if got := pyJSONDumps(mustSearch(t, expr, nil)); got != want {
			t.Errorf("%s: got %s, want %s", expr, got, want)
		}
	}
}

func TestSearchConcurrent(t *testing.T) {
	q, err := Compile("sort_by(items, &n)[*].{n: n, k: keys(@)}")
	if err != nil {
		t.Fatal(err)
	}
	data := mustJSON(`{"items": [{"n": 3}, {"n": 1}, {"n": 2}]}`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				r, err := q.Search(data)
				if err != nil || pyJSONDumps(r) != `[{"n":1,"k":["n"]},{"n":2,"k":["n"]},{"n":3,"k":["n"]}]` {
					t.Errorf("%v %v", pyJSONDumps(r), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if q.String() != "sort_by(items, &n)[*].{n: n, k: keys(@)}" {
		t.Errorf("String() = %q", q.String())
	}
}

func TestResultTypes(t *testing.T) {
	r := mustSearch(t, "{a: [`1`, 'x', `2.5`, `null`, `true`], b: `{}`}", value.NewObject())
	o, ok := r.(*value.Object)
	if !ok {
		t.Fatalf("%T", r)
	}
	a, _ := o.Get("a")
	l := a.([]any)
	if l[0] != int64(1) || l[1] != "x" || l[2] != 2.5 || l[3] != nil || l[4] != true {
		t.Errorf("%#v", l)
	}
	if r := mustSearch(t, "[?a]", []any{}); r == nil || len(r.([]any)) != 0 {
		t.Errorf("empty projection = %#v, want []any{}", r)
	}
}
