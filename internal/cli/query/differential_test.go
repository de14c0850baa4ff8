package query

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// pyWorker evaluates one {"e": expression, "d": data JSON} per line with
// jmespath.py and answers one outcome per line, as gen_golden.py does.
const pyWorker = `
import json, re, sys
import jmespath

def enc(o):
    raise TypeError('Encountered unrecognized type in JSON encoder.')

def norm(m):
    return re.sub(r'object at 0x[0-9a-f]+', 'object at 0x7f0000000000', m)

for line in sys.stdin:
    req = json.loads(line)
    data = json.loads(req['d'])
    try:
        c = jmespath.compile(req['e'])
    except Exception as ex:
        res = {'phase': 'compile', 'class': type(ex).__name__, 'message': norm(str(ex))}
    else:
        try:
            r = c.search(data)
        except Exception as ex:
            res = {'phase': 'search', 'class': type(ex).__name__, 'message': norm(str(ex))}
        else:
            try:
                res = {'phase': 'ok', 'json': json.dumps(r, separators=(',', ':'), default=enc)}
            except TypeError as ex:
                res = {'phase': 'search', 'class': 'TypeError', 'message': str(ex)}
    if 'json' in res:
        res['json'] = norm(res['json'])
    sys.stdout.write(json.dumps(res) + '\n')
`

// TestDifferential compares Compile+Search with jmespath.py (the AWS CLI v1
// on this machine brings it) on generated expressions and data: results as
// JSON text (key order, int/float spelling), exception classes, messages.
// It is skipped when python3 cannot import jmespath, unless
// COGNATE_REQUIRE_PYTHON=1. COGNATE_DIFF_N sets the number of cases,
// COGNATE_DIFF_SEED the seed, COGNATE_DIFF_EXPRS a file of NUL-separated
// expressions to add (e.g. a fuzzing corpus).
func TestDifferential(t *testing.T) {
	// jmespath.py 1.1.0 differs from 1.0.1 only in its parser cache and in
	// avg() dividing by len instead of float(len) (the same in Python 3).
	ver, err := exec.Command("python3", "-c", "import jmespath; print(jmespath.__version__)").Output()
	if v := strings.TrimSpace(string(ver)); err != nil || (!strings.HasPrefix(v, "1.0.") && v != "1.1.0") {
		if os.Getenv("COGNATE_REQUIRE_PYTHON") == "1" {
			t.Fatalf("python3 with jmespath 1.0.x/1.1.0 is required: %q %v", v, err)
		}
		t.Skipf("python3 cannot import jmespath 1.0.x/1.1.0: %q %v", v, err)
	}
	n := 20000
	if testing.Short() {
		n = 3000
	}
	if s := os.Getenv("COGNATE_DIFF_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	seed := uint64(1)
	if s := os.Getenv("COGNATE_DIFF_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, 2))}
	type tc struct {
		expr string
		data any
	}
	var cases []tc
	for _, d := range fixedDiffDatas() {
		for _, e := range fixedDiffCases {
			cases = append(cases, tc{e, d})
		}
	}
	for range n {
		cases = append(cases, tc{g.query(), g.data(3)})
	}
	if path := os.Getenv("COGNATE_DIFF_EXPRS"); path != "" { // NUL-separated extra expressions
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range strings.Split(string(b), "\x00") {
			if utf8.ValidString(e) { // Python would see surrogate escapes
				for _, d := range fixedDiffDatas()[:4] {
					cases = append(cases, tc{e, d})
				}
			}
		}
	}
	var in bytes.Buffer
	for _, c := range cases {
		line, _ := json.Marshal(map[string]string{"e": c.expr, "d": pyJSONDumps(c.data)})
		in.Write(line)
		in.WriteByte('\n')
	}
	cmd := exec.Command("python3", "-c", pyWorker)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<26)
	fails, ok, errs, bigInts, surrogates := 0, 0, 0, 0, 0
	for i := 0; sc.Scan(); i++ {
		var want outcome
		if err := json.Unmarshal(sc.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		c := cases[i]
		got, _ := run(c.expr, c.data)
		want.Message, want.JSON = canonAddr(want.Message), canonAddr(want.JSON)
		if got != want && sameButBigInts(got, want) {
			bigInts++
			continue
		}
		if got != want && sameButLoneSurrogates(got, want) {
			surrogates++
			continue
		}
		if got != want {
			fails++
			if fails <= 25 {
				t.Errorf("case %d %q on %s:\n jmespath.py: %+v\n query:       %+v", i, c.expr, pyJSONDumps(c.data), want, got)
			}
		}
		if want.Phase == "ok" {
			ok++
		} else {
			errs++
		}
	}
	if fails > 0 {
		t.Errorf("%d of %d cases differ", fails, len(cases))
	}
	t.Logf("%d cases (%d results, %d errors), %d differ; known divergences: %d by ints beyond int64, %d by lone surrogates",
		len(cases), ok, errs, fails, bigInts, surrogates)
}

// sameButBigInts reports whether want differs from got only by integers
// beyond int64, which values carry as float64 (a known divergence).
func sameButBigInts(got, want outcome) bool {
	floatBig := func(s string) string {
		return bigIntRE.ReplaceAllStringFunc(s, func(d string) string {
			b, _ := new(big.Int).SetString(d, 10)
			if b.IsInt64() {
				return d
			}
			f, _ := new(big.Float).SetInt(b).Float64()
			return value.PyFloat(f)
		})
	}
	want.Message, want.JSON = floatBig(want.Message), floatBig(want.JSON)
	return got == want
}

// sameButLoneSurrogates reports whether want differs from got only by
// lone UTF-16 surrogates (a Python str can hold one, a Go string holds
// U+FFFD instead): \udXXX escapes in want's JSON text or repr message.
func sameButLoneSurrogates(got, want outcome) bool {
	want.JSON = replaceLoneSurrogates(want.JSON, `\ufffd`)
	want.Message = replaceLoneSurrogates(want.Message, "\ufffd")
	return got == want
}

func replaceLoneSurrogates(s, repl string) string {
	var b strings.Builder
	for {
		loc := surrogateRE.FindStringIndex(s)
		if loc == nil {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:loc[0]])
		esc := s[loc[0]:loc[1]]
		rest := s[loc[1]:]
		if high := esc[3] <= 'b'; high {
			if next := surrogateRE.FindStringIndex(rest); next != nil && next[0] == 0 && rest[3] >= 'c' {
				b.WriteString(esc + rest[:6])
				s = rest[6:]
				continue
			}
		}
		b.WriteString(repl)
		s = rest
	}
}

var (
	surrogateRE = regexp.MustCompile(`\\ud[89a-f][0-9a-f]{2}`)
	bigIntRE    = regexp.MustCompile(`-?[0-9]{19,}`)
	addrRE      = regexp.MustCompile(`_Expression object at 0x[0-9a-f]+`)
	rAddrRE     = regexp.MustCompile(`[0-9a-f]+x0 ta tcejbo noisserpxE_`)
)

// canonAddr puts this package's stand-in for the address of an
// _Expression object (Python prints the real one) into a text, also when
// reverse() turned it around.
func canonAddr(s string) string {
	s = addrRE.ReplaceAllString(s, "_Expression object at 0x7f0000000000")
	return rAddrRE.ReplaceAllString(s, "0000000000f7x0 ta tcejbo noisserpxE_")
}

// fixedDiffData and fixedDiffCases pin corners the generator may not reach.
var fixedDiffData = mustJSON(`{"a": 1, "b": [1, 2.5, 3], "c": {"x": "y", "z": [true, null]}, "s": ["b", "a", "é"],
 "objs": [{"k": 2, "n": "b"}, {"k": 1, "n": "a"}, {"k": 2.0, "n": "c"}], "e": [], "o": {}, "str": "abc",
 "nums": ["1", " 2 ", "1_000", "1e3", "٣", "0x1", "", "-0", "+5", "1__0", "_1", ".5", "5.", "inf", "-Infinity", "1e400"]}`)

var fixedDiffCases = []string{
	"Log[[", "", " ", "foo.", "a ==", "a =", "=", "a = b", "!", "-", "-a", "a[-]", "@", "$", "$a", "let $x = 1 in $x",
	"a + b", "a - b", "a * b", "a % b", "a // b", "`1` + `2`", "a.b.c.d", "a[0][1]", "[0]", "[-1]", "[]", "[*]", "*",
	"*.*", "**", "a[?b]", "[?a == `1`]", "[?]", "a[?b == `1`", "a[1:2:3:4]", "[::]", "[:::]", "[::0]", "b[::0]",
	"b[::-1]", "b[10:-10:-1]", "b[-100:100]", "b[9223372036854775807:]", "b[::-9223372036854775808]",
	"b[99999999999999999999999]", "b[-99999999999999999999999]", "b[007]", "b[-0]",
	"{a: a, b: b, a: c}", "{a: a b: b}", "{}", "{a}", "{a:}", "{\"q\": a}", "{'a': a}", "{a: a,}",
	"[a, b", "[a b]", "[a,]", "f(", "length()", "length(a, b)", "length(`1`)", "length(&a)", "length(str)",
	"nope()", "nope(@, a)", "\"length\"(a)", "a.length(@)", "(length)(a)", "b[0](a)", "abs(`-1`)", "abs(`-1.5`)",
	"abs(`-9223372036854775808`)", "avg(b)", "avg(e)", "avg(`[1, 2]`)", "avg(`[9007199254740993, 0]`)",
	"sum(b)", "sum(e)", "sum(`[9223372036854775807, 1, -1]`)", "sum(`[9223372036854775807, 1]`)",
	"sum(`[1, true]`)", "sum(`[true]`)", "max(b)", "min(s)", "max(`[1, \"a\"]`)", "max(`[\"a\", 1]`)", "max(e)",
	"max(`[1, 1.0]`)", "min(`[1.0, 1]`)", "sort(s)", "sort(`[3, 1.5, 1, 2]`)", "sort(`[1, \"a\"]`)",
	"sort_by(objs, &k)", "sort_by(objs, &n)", "sort_by(objs, &x)", "sort_by(e, &x)", "sort_by(objs, &[k])",
	"sort_by(`[{\"a\": 1}, {\"a\": \"b\"}]`, &a)", "min_by(objs, &k)", "max_by(objs, &k)", "max_by(objs, &n)",
	"min_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)", "max_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)", "min_by(e, &a)",
	"max_by(objs, &x)", "map(&k, objs)", "map(&x, objs)", "map(k, objs)", "merge(c, `{\"x\": 1, \"q\": 2}`)",
	"merge()", "merge(`1`)", "merge(c, `1`)", "merge(c, `null`)", "merge(c, 'ab')", "merge(c, '')",
	"merge(c, `[\"ab\"]`)", "merge(c, `[[1, 2]]`)", "merge(c, `[[\"k\", 2]]`)", "merge(c, `[[[1], 2]]`)",
	"merge(c, `[1]`)", "merge(c, `[{\"p\": 1, \"q\": 2}]`)", "merge(c, `[[1, 2, 3]]`)", "keys(c)", "values(c)",
	"keys(a)", "type(@)", "type(a)", "type(b)", "type(str)", "type(`null`)", "type(`true`)", "type(&a)",
	"to_string(@)", "to_string(str)", "to_string(`\"é\\u2028\\ud83d\\ude00\\u007f\"`)", "to_string(`1.0`)",
	"to_string(`1e16`)", "to_string(`1e400`)", "to_string(&a)", "to_string(`[&a]`)", "to_string([&a])",
	"nums[*].to_number(@)", "to_number(`true`)", "to_number(a)", "to_number(&a)", "to_number('12345678901234567890')",
	"to_array(a)", "to_array(b)", "not_null()", "not_null(x, y, a)", "not_null(x)", "contains(b, `1`)",
	"contains(b, `1.0`)", "contains(`[true]`, `1`)", "contains(`[1]`, `true`)", "contains(str, 'b')",
	"contains(str, `1`)", "contains(str, &a)", "contains(a, `1`)", "ends_with(str, 'c')", "starts_with(str, `1`)",
	"reverse(str)", "reverse(b)", "reverse(e)", "reverse(a)", "ceil(`1.5`)", "floor(`-1.5`)", "ceil(`1e300`)",
	"ceil(`1e400`)", "floor(`NaN`)", "ceil(a)", "join(', ', s)", "join(', ', b)", "join(`1`, s)",
	"&a", "[&a]", "{x: &a}", "&a == &a", "!&a", "a == `1.0`", "a == `true`", "`true` == `1`", "`[1]` == `[true]`",
	"`{\"a\": 1}` == `{\"a\": 1.0}`", "`0` == `false`", "`0.0` == `false`", "`2` == `true`", "`1` < `1.5`",
	"`1` < 'a'", "'a' < 'b'", "'a' <= `null`", "a < b", "`9007199254740993` > `9007199254740992.0`",
	"!a", "!`0`", "!`0.0`", "!e", "!o", "!''", "!`null`", "a && b", "e && b", "e || o || str", "`false` || a",
	"a | b", "a | [0]", "b | [0]", "`1`", "`foo`", "` foo`", "`\"foo`", "`{\"a\": }`", "`[1, 2]`", "`1e`",
	"`01`", "`-`", "`NaN`", "`Infinity`", "`-Infinity`", "`1e400`", "`[1, {\"a\": [\"x'y\", null, true, 1.0]}]` x",
	"'it\\'s'", "'\\\\'", "'a\\nb'", "'é'", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\x\"", "\"\\u12\"", "\"a\tb\"",
	"\"a", "'a", "`a", "a\"", "a`", "a'", "\"\"", "\"\\\"\"", "a.\"b\"", "a.'b'", "a.1", "a.[b]", "a.{b: b}",
	"a.*", "a.@", "a.&b", "a.[]", "a.(b)", "foo[?a<`1`]", "[?a>=`1`]", "b[?@ > `1`]", "b[?@ > `1`]|[0]",
	"b[?@ > `1`][]", "b[?!@]", "*[?a]", "c.*", "c.*.x", "o.*", "a.*", "@.@", "@[0]", "@.a",
	"é", "a#", "a^b", "a ~ b", "a.b..c", "a[[0]]", "[[0]]", "[a, [b, c]]", "{a: {b: c}}",
	"objs[*].k", "objs[].n", "objs[?k == `2`].n", "objs[?k == `2.0`].n", "objs[*].[k, n]", "objs[*].{n: n, k: k}",
	"objs | [*].k | sort(@)", "sort_by(objs, &k)[*].n", "b[1:]", "b[:-1]", "b[::2]", "s[::-1]", "str[0]", "str[::-1]",
	"a[0]", "a[:]", "c[0]", "c[*]", "c[]", "e[0]", "e[*]", "o.*", "`null`.a", "`null`[0]", "`null`[*]", "`null`.*",
	"`null` | {a: a}", "`null` | [a]", "x.{a: a}", "x.[a]", "length(@)", "length(c)", "length('é')",
	"\"" + strings.Repeat("1", 10) + "\"", "b[" + strings.Repeat("1", 5000) + "]", "b[-" + strings.Repeat("0", 4301) + "]",
	"`" + strings.Repeat("1", 4301) + "`", "to_number('" + strings.Repeat("1", 4301) + "')",
	// lexer corners
	"`{\"a\": 1, \"b\": 2, \"a\": 3}`", "` [1, 2] `", "`\t1`", "`a\\`b`", "`\\u00e9`", "`\"\\x\"`", "`\"a\tb\"`",
	"`\"a\nb\"`", "`\"\\ud83d\\ude00\"`", "`\ufeff1`", "`\u00a0foo`", "`\u2003 foo`", "` `", "``",
	"`[1,]`", "`{\"a\":1,}`", "`-0`", "`-0.0`", "`1E2`", "`1e-2`", "`0.5e1`", "`.5`", "`5.`", "`+1`", "`tru`", "`true false`",
	"`null`x", "`1`.a", "a.`1`", "'a''b'", "''", "'\\''", "'a\\'", "'\\\\'", "\"\\u00e9\\u00E9\"", "\"\\/\"",
	"\"\\ud800\"", "\"a\\\"", "é.a", "a.é", "aé", "a\u00a0b", "[?a == 'é'] | é", "\"é\" | x x",
	"a =b", "a=", "a = ", "!=", "a != b !", "a ! b", "a < b < c", "a == b == c", "a || b && c | d",
	"foo[?a==`1`]", "[?a==`1`][0]", "[?a].b[?c]", "a[?b][]", "a[?b]|[]", "*[0]", "[*][0]", "[][0]", "a[][0][]",
	"a[1:2].b", "a[1:2][0]", "a[::-1][*].b", "a.*.b.*", "{a: a}.a", "[a][0]", "a.b | c.d || e", "&&", "||", "|",
	"a | | b", "a ||| b", "a &&& b", "a & b", "&", "&&a", "& a", "!!a", "!(a)", "(a", "a)", "()", "(a, b)",
	"f(a b)", "f(a,)", "f(,)", "f(a,,b)", "length(a b)", "{a: b c: d}", "{a: b, c}", "{a: b,,}", "{,}", "{a, b}",
	"[a,,b]", "[,]", "[:", "[1", "[1:", "[-", "[--1]", "[1 2]", "[1:2 3]", "[1:2:3 4]", "[a:b]", "[1.5]", "a[\"b\"]",
	"a[?]", "a[?b", "a[?b]c", "[?a]]", "]", ")", "}", ",", ":", ".", "..", ".a", "a..b", "a.[", "a.{", "a.\"b", "a.(",
	"nums[*].to_number(@)", "nums[*].type(to_number(@))",
	"to_number(@)", "abs(@)", "avg(@)", "sum(@)", "ceil(@)", "floor(@)", "sort(@)", "max(@)", "min(@)", "length(@)",
	"to_string(@)", "keys(@)", "values(@)", "type(@)", "reverse(@)", "not_null(@)", "to_array(@)",
	"join('-', @)", "contains(@, 'a')", "map(&@, @)", "sort_by(@, &@)", "min_by(@, &@)", "max_by(@, &@)", "merge(@)",
	"@[?@ > `1`]", "@[?@ < 'b']", "@[?@ == `null`]", "@[?!@]", "@[*].to_number(@)", "@[*].to_string(@)",
	// numbers at the edges of int64 and float64
	"sum(`[9223372036854775807, 1, 0.5, 1]`)", "sum(`[9223372036854775807, 1, -2]`)", "sum(`[-9223372036854775808, -1]`)",
	"sum(`[1, 0.5, 9223372036854775807]`)", "avg(`[9223372036854775807, 9223372036854775807]`)", "avg(`[1, 2, 4]`)",
	"avg(`[0.5, 1]`)", "sum(`[1e308, 1e308]`)", "sum(`[1e308, 1e308, -1e308]`)", "avg(`[1e308, 1e308]`)",
	"`9223372036854775807` < `9223372036854775808.0`", "`9223372036854775807` == `9223372036854775807.0`",
	"`-9223372036854775808` > `-1e19`", "`-9223372036854775808` == `-9223372036854775808.0`", "`1e19` > `9223372036854775807`",
	"`9007199254740993` == `9007199254740992.0`", "`0.5` < `1`", "`-0.0` == `0`", "`-0.0` == `false`",
	"`NaN` == `NaN`", "`NaN` < `1`", "`1` >= `NaN`", "[`NaN`] == [`NaN`]", "abs(`-0.0`)", "abs(`9223372036854775807`)",
	"ceil(`-0.5`)", "floor(`0.5`)", "ceil(`9.3e18`)", "floor(`-9.3e18`)", "ceil(`-9223372036854775808.0`)", "ceil(`-Infinity`)",
	"to_string(`\"\\b\\f\\u0001\\u007f\\u0080\\uffff\"`)", "to_string(`[1.5e300, 1e-7, 123456789.125, -0.0, 1e22]`)",
	"to_string(`{\"a\": {\"b\": [null, false]}}`)", "length(`\"\\ud83d\\ude00\"`)", "reverse(`\"a\\ud83d\\ude00b\"`)",
	"contains(`\"a\\ud83d\\ude00b\"`, `\"\\ud83d\\ude00\"`)", "sort(`[\"\\ud83d\\ude00\", \"\\uffff\", \"z\"]`)",
	"max(`[\"\\ud83d\\ude00\", \"\\uffff\"]`)", "`\"\\ud83d\\ude00\"` > `\"\\uffff\"`",
}

// numberStrings feed to_number() and the other functions through "@".
var numberStrings = []string{"1", " 2 ", "1_000", "1e3", "٣", "１２", "𝟏𝟐", "0x1", "", "-0", "+5", "1__0", "_1", "1_",
	".5", "5.", "5.e3", "e5", "1e", "1e+", "1e1_0", "1_.5", "1._5", "1.5_0", "inf", "-Infinity", "INFINITY", "iNf",
	"infinityx", "nan", "-nan", "NaN", "1e400", "-1e400", "1e-400", "\u00a012\u2003", "12\x1c", "\x1f12", "+-1", "--1",
	"- 1", "1 2", "١٢٣.٤", "0000000000000000000000012", "99999999999999999999", "-9223372036854775808",
	"9223372036854775807", "9223372036854775808", "1.7976931348623157e308", "0.1", "4.35", "\t-7\n", "\u2028 3"}

// fixedDiffDatas are the data every fixed case runs on.
func fixedDiffDatas() []any {
	strs := make([]any, len(numberStrings))
	for i, s := range numberStrings {
		strs[i] = s
	}
	out := []any{fixedDiffData, strs, nil, "abc", int64(3), 2.5,
		mustJSON(`[3, 1.5, 1, 2, -0.0, 0, 1e16, 2.0]`), mustJSON(`["b", "a", "é", "B", "", "aa", "😀", "\u00e9"]`),
		mustJSON(`[{"a": 1}, {"a": 2}, {"b": 3}, [1, 2], null]`), mustJSON(`{"a": {"b": {"c": [1, [2, [3]]]}}, "b": [], "c": ""}`),
	}
	for _, s := range numberStrings {
		out = append(out, s)
	}
	return out
}

func mustJSON(s string) any {
	v, err := value.ParseJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

// gen makes random expressions and data. Floats are multiples of 1/4 so
// that sums are exact (Python 3.12+ compensates float sums, the local
// Python may not).
type gen struct {
	r     *rand.Rand
	depth int
}

var (
	genIdents = []string{"a", "b", "c", "foo", "bar", "_x", "A1", "k", "n"}
	genQuoted = []string{`"a"`, `"with space"`, `"\u00e9"`, `"a\"b"`, `""`, `"\\"`, `"b"`}
	genFuncs  = []string{"abs", "avg", "not_null", "to_array", "to_string", "to_number", "contains", "length",
		"ends_with", "starts_with", "reverse", "ceil", "floor", "join", "map", "max", "merge", "min", "sort",
		"sum", "keys", "values", "type", "sort_by", "min_by", "max_by", "nope"}
	genStrings = []string{"", "a", "b", "é", "1", " 12 ", "1_0", "1e3", "x'y", `q"q`, "a\\b", "\u2028", "😀", "B", "-3", "2.5"}
	genFloats  = []float64{0.5, -1.5, 2.0, 1e16, 1.5e300, math.Copysign(0, -1), 0.25, 3.75, -2.25, 1e-5, 100.0}
	genInts    = []int64{0, 1, -1, 2, 3, 10, -7, 1 << 53, 1<<53 + 1, 9223372036854775807, -9223372036854775808}
	genSoup    = []string{"a", "b", ".", "*", "[", "]", "[]", "[?", "?", "(", ")", "{", "}", ",", ":", "@", "&", "&&",
		"|", "||", "!", "!=", "==", "=", "<", "<=", ">", ">=", "`1`", "`", "'x'", "'", "\"a\"", "\"", "1", "-1", "-",
		" ", "#", "$", "+", "é", "\\", "foo", "length", "sort_by", "\t", "\n"}
)

func (g *gen) pick(l []string) string { return l[g.r.IntN(len(l))] }

func (g *gen) query() string {
	g.depth = 0
	switch g.r.IntN(10) {
	case 0: // token soup: mostly syntax and lexer errors
		var b strings.Builder
		for range 1 + g.r.IntN(8) {
			b.WriteString(g.pick(genSoup))
		}
		return b.String()
	case 1: // a mutation of a valid expression
		e := []rune(g.expr())
		if len(e) > 0 {
			i := g.r.IntN(len(e))
			switch g.r.IntN(3) {
			case 0:
				e = append(e[:i], e[i+1:]...)
			case 1:
				e = append(e[:i], append([]rune(g.pick(genSoup)), e[i:]...)...)
			default:
				e = e[:i]
			}
		}
		return string(e)
	}
	return g.expr()
}

func (g *gen) expr() string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 4 {
		return g.primaryLeaf()
	}
	switch g.r.IntN(16) {
	case 0, 1, 2:
		return g.primaryLeaf()
	case 3:
		return g.expr() + "." + g.dotRHS()
	case 4:
		return g.expr() + g.bracket()
	case 5:
		ops := []string{" | ", " || ", " && ", " == ", " != ", " < ", " <= ", " > ", " >= "}
		return g.expr() + g.pick(ops) + g.expr()
	case 6:
		return "!" + g.expr()
	case 7:
		return "(" + g.expr() + ")"
	case 8, 9:
		return g.call()
	case 10:
		return g.hash()
	case 11:
		return "[" + g.list() + "]"
	case 12:
		return g.expr() + "[?" + g.expr() + "]" + g.maybe(g.bracket)
	case 13:
		return g.expr() + ".*" + g.maybe(func() string { return "." + g.dotRHS() })
	case 14:
		return g.expr() + "[*]" + g.maybe(func() string { return "." + g.dotRHS() })
	}
	return g.expr() + "[]" + g.maybe(func() string { return "." + g.dotRHS() })
}

func (g *gen) maybe(f func() string) string {
	if g.r.IntN(2) == 0 {
		return ""
	}
	return f()
}

func (g *gen) primaryLeaf() string {
	switch g.r.IntN(10) {
	case 0:
		return "@"
	case 1:
		return "`" + strings.ReplaceAll(pyJSONDumps(g.data(2)), "`", "\\`") + "`"
	case 2:
		return "'" + strings.ReplaceAll(g.pick(genStrings), "'", "\\'") + "'"
	case 3:
		return g.pick(genQuoted)
	case 4:
		return "&" + g.pick(genIdents)
	}
	return g.pick(genIdents)
}

func (g *gen) dotRHS() string {
	switch g.r.IntN(6) {
	case 0:
		return g.pick(genQuoted)
	case 1:
		return g.hash()
	case 2:
		return "[" + g.list() + "]"
	case 3:
		return g.call()
	}
	return g.pick(genIdents)
}

func (g *gen) bracket() string {
	num := func() string {
		if g.r.IntN(3) == 0 {
			return ""
		}
		return strconv.Itoa(g.r.IntN(9) - 4)
	}
	switch g.r.IntN(5) {
	case 0:
		return "[" + strconv.Itoa(g.r.IntN(7)-3) + "]"
	case 1:
		return "[" + num() + ":" + num() + "]"
	case 2:
		return "[" + num() + ":" + num() + ":" + num() + "]"
	case 3:
		return "[*]"
	}
	return "[]"
}

func (g *gen) list() string {
	parts := make([]string, 1+g.r.IntN(3))
	for i := range parts {
		parts[i] = g.expr()
	}
	return strings.Join(parts, ", ")
}

func (g *gen) hash() string {
	parts := make([]string, 1+g.r.IntN(3))
	for i := range parts {
		k := g.pick(genIdents)
		if g.r.IntN(4) == 0 {
			k = g.pick(genQuoted)
		}
		parts[i] = k + ": " + g.expr()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (g *gen) call() string {
	name := g.pick(genFuncs)
	var args []string
	switch name {
	case "sort_by", "min_by", "max_by":
		if g.r.IntN(4) > 0 {
			args = []string{g.expr(), "&" + g.expr()}
		}
	case "map":
		if g.r.IntN(4) > 0 {
			args = []string{"&" + g.expr(), g.expr()}
		}
	}
	if args == nil {
		n := g.r.IntN(4)
		if g.r.IntN(3) > 0 { // mostly the right arity
			switch name {
			case "contains", "ends_with", "starts_with", "join", "map", "sort_by", "min_by", "max_by":
				n = 2
			case "not_null", "merge":
				n = 1 + g.r.IntN(3)
			default:
				n = 1
			}
		}
		for range n {
			args = append(args, g.expr())
		}
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

func (g *gen) data(depth int) any {
	k := g.r.IntN(12)
	if depth <= 0 && k >= 8 {
		k = g.r.IntN(8)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return g.r.IntN(2) == 0
	case 2, 3:
		return genInts[g.r.IntN(len(genInts))]
	case 4:
		return genFloats[g.r.IntN(len(genFloats))]
	case 5, 6, 7:
		return g.pick(genStrings)
	case 8, 9:
		l := make([]any, g.r.IntN(4))
		for i := range l {
			l[i] = g.data(depth - 1)
		}
		return l
	}
	o := value.NewObject()
	for range g.r.IntN(5) {
		o.Set(g.pick(genIdents), g.data(depth-1))
	}
	return o
}

func TestGenDeterministic(t *testing.T) {
	a, b := &gen{r: rand.New(rand.NewPCG(7, 2))}, &gen{r: rand.New(rand.NewPCG(7, 2))}
	for range 100 {
		if x, y := a.query(), b.query(); x != y {
			t.Fatalf("%q != %q", x, y)
		}
	}
	_ = fmt.Sprint
}
