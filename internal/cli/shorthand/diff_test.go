package shorthand

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// pythonHarness parses each input of a JSON list read from stdin with the
// installed AWS CLI's awscli.shorthand.ShorthandParser and prints a JSON
// list of results:
//
//	{"ok": <value>}          bytes as {"$bytes": "<base64>"}
//	{"err": <msg>, "index": <code point index>}
//	{"load": <msg>}          the stub loader failed
//	{"other": <repr>}        anything else (a test failure)
//
// File loads go through a stub with the behaviour of stubLoad, installed as
// the module's LOCAL_PREFIX_MAP, so the test does not touch files.
//
// The v1 CLI (1.45.x) has the same grammar as v2 but formats syntax
// errors differently: it prints the literal text "{self._error_location()}"
// (a missing f-string prefix) and lacks the space v2 2.24.21+ puts before
// the echoed input. The harness therefore rebuilds the v2 message
// ("Expected: '%s', received: '%s' for input:\n %s", awscli/shorthand.py in
// 2.36.7) from the exception's fields and the CLI's own _error_location().
// Duplicate-key messages are the same in v1 and v2 and are used as is.
const pythonHarness = `
import base64, json, sys
import awscli.shorthand as sh

class StubLoadError(Exception):
    pass

def stub(prefix, path, **kwargs):
    rest = path[len(prefix):]
    if rest == 'missing':
        raise StubLoadError('stub: cannot load missing')
    if prefix == 'fileb://':
        return ('B[' + rest + ']').encode('utf-8')
    return 'F[' + rest + ']'

if not hasattr(sh.ShorthandParser, '_resolve_paramfiles'):
    sys.stderr.write('awscli.shorthand has no @= support (needs v1 >= 1.45 / v2 >= 2.20.0)\n')
    sys.exit(3)
sh.LOCAL_PREFIX_MAP = {'file://': (stub, {}), 'fileb://': (stub, {})}

def enc(o):
    if isinstance(o, bytes):
        return {'$bytes': base64.b64encode(o).decode('ascii')}
    raise TypeError(repr(o))

out = []
for s in json.load(sys.stdin):
    try:
        out.append({'ok': sh.ShorthandParser().parse(s)})
    except sh.ShorthandParseSyntaxError as e:
        msg = "Expected: '%s', received: '%s' for input:\n %s" % (e.expected, e.actual, e._error_location())
        out.append({'err': msg, 'index': e.index})
    except sh.DuplicateKeyInObjectError as e:
        out.append({'err': str(e), 'index': e.index})
    except StubLoadError as e:
        out.append({'load': str(e)})
    except Exception as e:
        out.append({'other': repr(e)})
json.dump(out, sys.stdout, default=enc)
`

// TestDifferentialAWSCLI compares Parse with the AWS CLI's parser on a
// corpus of edge cases, the table cases and generated inputs. It needs
// python3 with awscli importable; without them it skips, unless
// COGNATE_REQUIRE_PYTHON=1, when it fails.
func TestDifferentialAWSCLI(t *testing.T) {
	require := os.Getenv("COGNATE_REQUIRE_PYTHON") == "1"
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if require {
			t.Fatalf("COGNATE_REQUIRE_PYTHON=1 but %s", msg)
		}
		t.Skipf("skipping the comparison with the AWS CLI: %s (set COGNATE_REQUIRE_PYTHON=1 to make this a failure)", msg)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		unavailable("python3 is not on PATH")
	}
	if out, err := exec.Command(py, "-c", "import awscli.shorthand").CombinedOutput(); err != nil {
		unavailable("python3 cannot import awscli.shorthand: %v: %s", err, bytes.TrimSpace(out))
	}

	corpus := diffCorpus()
	in, err := json.Marshal(corpus)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", pythonHarness)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
			unavailable("%s", strings.TrimSpace(stderr.String()))
		}
		t.Fatalf("python harness: %v\n%s", err, stderr.String())
	}
	parsed, err := value.ParseJSON(out)
	if err != nil {
		t.Fatalf("harness output: %v", err)
	}
	results, ok := parsed.([]any)
	if !ok || len(results) != len(corpus) {
		t.Fatalf("harness returned %d results for %d inputs", len(results), len(corpus))
	}

	var nOK, nErr, nLoad, failures int
	for i, s := range corpus {
		r := results[i].(*value.Object)
		got, gotErr := Parse(s, Options{LoadFile: stubLoad})
		var problem string
		if want, ok := r.Get("ok"); ok {
			nOK++
			switch {
			case gotErr != nil:
				problem = fmt.Sprintf("AWS CLI: %s\nGo error: %v", canon(want), gotErr)
			case canon(got) != canon(want):
				problem = fmt.Sprintf("AWS CLI: %s\nGo:      %s", canon(want), canon(got))
			}
		} else if want, ok := r.Get("err"); ok {
			nErr++
			idx, _ := r.Get("index")
			se, isSyntax := gotErr.(*SyntaxError)
			switch {
			case !isSyntax:
				problem = fmt.Sprintf("AWS CLI error %q\nGo: %s, %v", want, canon(got), gotErr)
			case se.Error() != want:
				problem = fmt.Sprintf("AWS CLI error %q\nGo error      %q", want, se.Error())
			case int64(utf8.RuneCountInString(s[:se.Offset])) != idx:
				problem = fmt.Sprintf("AWS CLI index %v, Go offset %d", idx, se.Offset)
			}
		} else if _, ok := r.Get("load"); ok {
			nLoad++
			if gotErr != errMissing {
				problem = fmt.Sprintf("AWS CLI: load error\nGo: %s, %v", canon(got), gotErr)
			}
		} else {
			problem = "AWS CLI raised " + canon(r)
		}
		if problem != "" {
			failures++
			if failures <= 30 {
				t.Errorf("input %q\n%s", s, problem)
			}
		}
	}
	t.Logf("%d inputs compared with the AWS CLI: %d parsed, %d syntax errors, %d load errors; %d differences",
		len(corpus), nOK, nErr, nLoad, failures)
	if failures > 30 {
		t.Errorf("... %d differences in all", failures)
	}
}

// diffCorpus is the table cases, hand-written edge cases and generated
// inputs, all valid UTF-8 (they go to Python as JSON) and nested far less
// than CPython's recursion limit.
func diffCorpus() []string {
	var corpus []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] && utf8.ValidString(s) {
			seen[s] = true
			corpus = append(corpus, s)
		}
	}
	for _, group := range [][]parseCase{verifiedCases, grammarCases} {
		for _, c := range group {
			add(c.in)
		}
	}
	for _, s := range edgeCases {
		add(s)
	}
	r := rand.New(rand.NewPCG(20250101, 42))
	for range 1500 {
		add(randomTokens(r))
	}
	for range 800 {
		s := randomShorthand(r)
		add(s)
		add(mutate(r, s))
		add(mutate(r, mutate(r, s)))
	}
	return corpus
}

var edgeCases = []string{
	"a=b,c=d,e=f", "a=b,c,d,e=f,g", "a=b,c,d=", "a=b,=c", "a=b,,", "a=,", "a=,,", ",a=b", "a=b,,c", "a=b,c,,d=e",
	"a=b ,c", "a=b, c", "a=b\t,\tc", "a=b\n,\nc=d", "a=\nb", "a=b\n", "a=b\r\n", "a=b\x0b", "a=b\x0c", "a=b\x1c\x1dc",
	"a=b\u0085", "a=b\u2028c", "a = b", "a\t=\tb", "a\n=\nb", "a @= b", "a@ =b", "a @ =b", "a=@", "a=b@c",
	"a=[b,c],d=[e]", "a=[b,[c,{d=[e,{f=g}]}]]", "a=[ ,b]", "a=[b, ]", "a=[b ,]", "a=[b,,]", "a=[[],[]]", "a=[{}]",
	"a=[b", "a=[b,", "a=[b,c", "a=[{b=c}", "a=[b]]", "a=[b]c", "a=[b] c", "a=[]]", "a=[[", "a=[{", "a=[\"b\"c]",
	"a={b=c,d=e}", "a={b=[c,d],e={f=g}}", "a={ }", "a={b=c ,}", "a={b=c d}", "a={b='c,d'}", "a={b=c}}", "a={b=c}d",
	"a={b}", "a={b=", "a={b=c,", "a={b=c,,d=e}", "a={b=[}", "a={b={}", "a={'b'=c}", "a={b c=d}", "a={b=c}{d=e}",
	"a='", "a=\"", "a=''b", "a='b''c'", "a='b'\"c\"", "a='\\'", "a='\\\\'", "a='\\\\\\''", "a='\\'\\''", "a='\\''",
	"a='b\\'c\\'d", "a='b\\'c'd'", "a=\"b\\\"c\\\"d", "a=\"b\\\\\"", "a=\"\\\"\"", "a='\"'", "a=\"'\"", "a='b\\\\c'",
	"a='b\\nc'", "a='\\x'", "a=b,'c", "a=b,'c'd", "a=b,'c\\'d", "a=b,'c\\',d=e", "a=b,\"c,d\"e=f", "a=b,'c' ,d",
	"a=\\,", "a=\\,\\,", "a=b\\", "a=b\\\\", "a=b\\,,c", "a=b,c\\,", "a=b,\\,c", "a=[\\,]", "a={b=\\,}", "a=\\'",
	"a=b,c\\,d,e=f", "a=b,'c,d'x=y", "a=b,c=d,c=e", "a=b,a=c", "a=b,b=c,a=d", "a=[b],a=c", "a={b=c},a=d", "a=b ,a=c",
	"a=b\n,a=c", "a=b,\na=c", "a=b,\n\na=c", "a=b\n\n,\n\na=c", "\n", " ", "\t", ",", "=", "@", "@=", "[", "{", "'",
	"a=b,c=d\n,e", "a=b\n,c=d\n,e", "a=😀,b=c", "a=b,😀", "a=[😀]", "a={b=😀}", "a=é😀é", "ü=b", "a=b,ü=c", "a=ü,b",
	"a=\x00", "a=b\x00", "a=b,\x00", "a=\x7f", "a=b\x7fc", "a=\u00a0b", "a=b\u00a0,c", "a=\ufffd", "a=\ufeffb",
	"a@=file://x", "a@=fileb://x", "a@=file://missing", "a@=b,file://missing", "a@=b,file://missing=c",
	"a@=[file://x,{b=file://y},file://z]", "a@=[{b@=file://y},file://z]", "a@={b=file://x}", "a@='fileb://q'",
	"a@=\"file://missing\"", "a@=file://", "a@=fileb://", "a@=file:/x", "a@=File://x", "a@= file://x ",
	"a@=file://x\\,y", "a@=file://x,b@=fileb://y,c=file://z", "a=[file://x],b@=[file://y]", "a@=b,c,file://x",
	"a={b@=file://x,c@=[file://y]}", "a@=file://missing,b=c", "a@=x,file://y,z=w", "a@={},file://x",
}

// randomTokens strings together fragments of the grammar at random.
func randomTokens(r *rand.Rand) string {
	tokens := []string{
		"a", "b", "Key", "k1", "-", ".", ":", "#", "/", "_", "=", "=", "=", "@=", "@", ",", ",", ",", ",,",
		"[", "]", "{", "}", "'", "\"", "\\", "\\,", "\\'", "\\\"", "\\\\", " ", " ", "\t", "\n", "é", "😀",
		"\u00a0", "\x1c", "\x01", "file://x", "fileb://y", "file://missing", "!", "~", "|", "}", "x y",
	}
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteString("a=")
	}
	for range 1 + r.IntN(12) {
		b.WriteString(tokens[r.IntN(len(tokens))])
	}
	return b.String()
}

// randomShorthand builds a mostly valid parameter: keyvals whose values
// are scalars, csv lists, explicit lists and hash literals, with random
// quoting, spacing, escaped commas and `@=`.
func randomShorthand(r *rand.Rand) string {
	var b strings.Builder
	n := 1 + r.IntN(4)
	for i := range n {
		if i > 0 {
			b.WriteString(randomSpace(r) + "," + randomSpace(r))
		}
		b.WriteString(randomKey(r, i))
		b.WriteString(randomAssign(r))
		switch r.IntN(5) {
		case 0:
			b.WriteString(randomScalar(r, true))
		case 1:
			for j := range 2 + r.IntN(3) {
				if j > 0 {
					b.WriteString(randomSpace(r) + "," + randomSpace(r))
				}
				b.WriteString(randomScalar(r, j == 0))
			}
		default:
			b.WriteString(randomNested(r, 0))
		}
	}
	return b.String()
}

func randomNested(r *rand.Rand, depth int) string {
	if depth > 3 || r.IntN(3) == 0 {
		return randomScalar(r, true)
	}
	var b strings.Builder
	list := r.IntN(2) == 0
	open, close := "{", "}"
	if list {
		open, close = "[", "]"
	}
	b.WriteString(open + randomSpace(r))
	for i := range r.IntN(4) {
		if i > 0 {
			b.WriteString(randomSpace(r) + "," + randomSpace(r))
		}
		if !list {
			b.WriteString(randomKey(r, i) + randomAssign(r))
		}
		b.WriteString(randomNested(r, depth+1))
	}
	if r.IntN(4) == 0 {
		b.WriteString(",")
	}
	b.WriteString(randomSpace(r) + close)
	return b.String()
}

func randomKey(r *rand.Rand, i int) string {
	keys := []string{"a", "b", "Key", "k-1", "x.y", "#", "a/b:c", "", "LogLevel"}
	if r.IntN(5) == 0 {
		return keys[r.IntN(len(keys))] // may repeat a key
	}
	return fmt.Sprintf("%s%d", keys[r.IntN(len(keys))], i)
}

func randomAssign(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return "@="
	case 1:
		return " = "
	}
	return "="
}

func randomScalar(r *rand.Rand, first bool) string {
	scalars := []string{
		"v", "value with space", "1", "-2.5", "true", "arn:aws:s3:::b", "b=c", "x{y", "c}d", "]", "a\\,b", "é",
		"file://x", "fileb://y", "file://missing", "", "'q,uo'", "\"d,q\"", "'it\\'s'", "\"say \\\"hi\\\"\"",
		"'back\\\\slash'", "'x\\\\'", "~|^", "v ", "\\", "v\\", "😀",
	}
	s := scalars[r.IntN(len(scalars))]
	if !first && s == "" {
		s = "w"
	}
	return s
}

func randomSpace(r *rand.Rand) string {
	return []string{"", "", "", " ", "\t", "\n", "  "}[r.IntN(7)]
}

// mutate deletes, duplicates or replaces one character, or inserts one of
// the grammar's special characters.
func mutate(r *rand.Rand, s string) string {
	runes := []rune(s)
	specials := []rune(",=[]{}'\"\\@ \n😀")
	if len(runes) == 0 {
		return string(specials[r.IntN(len(specials))])
	}
	i := r.IntN(len(runes))
	switch r.IntN(4) {
	case 0:
		return string(runes[:i]) + string(runes[i+1:])
	case 1:
		return string(runes[:i+1]) + string(runes[i:])
	case 2:
		return string(runes[:i]) + string(specials[r.IntN(len(specials))]) + string(runes[i+1:])
	}
	return string(runes[:i]) + string(specials[r.IntN(len(specials))]) + string(runes[i:])
}
