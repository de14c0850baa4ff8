package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

// TestAgainstPython compares every format, byte for byte, with the AWS
// CLI's own Python formatters (testdata/oracle.py) on a corpus of handpicked
// and generated values, once per Python found (python3 on PATH,
// /usr/bin/python3) that has the awscli package (v1 or v2) and a YAML
// emitter (ruamel.yaml with its C emitter, or PyYAML with libyaml). It is
// skipped without one unless COGNATE_REQUIRE_PYTHON=1.
func TestAgainstPython(t *testing.T) {
	oracles := findOracles(t)
	cases := oracleCorpus()
	for _, o := range oracles {
		t.Run(o.name, func(t *testing.T) { compareWithOracle(t, o.python, cases) })
	}
}

func compareWithOracle(t *testing.T, python string, cases []any) {
	tables := []tableCase{
		{80, false, false}, {200, false, false}, {40, true, true}, {120, true, false}, {1, false, false},
	}
	const title = "DescribeUserPool"

	dir := t.TempDir()
	corpus := []byte(`{"title": "` + title + `", "tables": [`)
	for i, tc := range tables {
		if i > 0 {
			corpus = append(corpus, ',')
		}
		corpus = fmt.Appendf(corpus, "[%d, %t, %t]", tc.width, tc.color, tc.autoreset)
	}
	corpus = append(corpus, `], "cases": [`...)
	for i, c := range cases {
		if i > 0 {
			corpus = append(corpus, ',')
		}
		var err error
		if corpus, err = jsonOut.Append(corpus, c); err != nil {
			t.Fatal(err)
		}
	}
	corpus = append(corpus, "]}"...)
	in, out := filepath.Join(dir, "corpus.json"), filepath.Join(dir, "results.json")
	if err := os.WriteFile(in, corpus, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "oracle.py"), in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oracle: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var results struct {
		YAML    string `json:"yaml"`
		Results []struct {
			JSON       json.RawMessage   `json:"json"`
			Text       json.RawMessage   `json:"text"`
			YAML       json.RawMessage   `json:"yaml"`
			YAMLStream json.RawMessage   `json:"yaml-stream"`
			Table      []json.RawMessage `json:"table"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &results); err != nil {
		t.Fatal(err)
	}
	if len(results.Results) != len(cases) {
		t.Fatalf("%d results for %d cases", len(results.Results), len(cases))
	}
	t.Logf("%d cases, yaml oracle %s", len(cases), results.YAML)

	failures := 0
	check := func(i int, what string, want json.RawMessage, got []byte, gotErr error) {
		if failures >= 25 {
			return
		}
		var wantStr string
		var wantErr struct {
			Error   string
			Written *string
		}
		if err := json.Unmarshal(want, &wantStr); err != nil {
			if err := json.Unmarshal(want, &wantErr); err != nil {
				t.Fatalf("case %d %s: bad oracle result %s", i, what, want)
			}
		}
		input, _ := jsonOut.Append(nil, cases[i])
		switch {
		case wantErr.Error != "" && gotErr == nil:
			failures++
			t.Errorf("case %d %s: Python raised %s, Go wrote %q\ninput: %s", i, what, wantErr.Error, got, input)
		case wantErr.Error != "":
			var pe *PythonError
			if !errors.As(gotErr, &pe) || pe.Type+": "+pe.Msg != wantErr.Error {
				failures++
				t.Errorf("case %d %s: Python raised %s, Go: %v\ninput: %s", i, what, wantErr.Error, gotErr, input)
			} else if wantErr.Written != nil && string(got) != *wantErr.Written {
				failures++
				t.Errorf("case %d %s: before failing, Python wrote %q, Go %q\ninput: %s", i, what, *wantErr.Written, got, input)
			}
		case gotErr != nil:
			failures++
			t.Errorf("case %d %s: Go failed: %v\ninput: %s", i, what, gotErr, input)
		case string(got) != wantStr:
			failures++
			t.Errorf("case %d %s:\n--- go\n%s--- python\n%s--- go %q\n--- python %q\ninput: %s", i, what, got, wantStr, got, wantStr, input)
		}
	}
	for i, v := range cases {
		r := results.Results[i]
		got, err := Format(v, Options{Format: "json"})
		check(i, "json", r.JSON, got, err)
		got, err = Format(v, Options{Format: "text"})
		check(i, "text", r.Text, got, err)
		got, err = Format(v, Options{Format: "yaml"})
		check(i, "yaml", r.YAML, got, err)
		got, err = Format(v, Options{Format: "yaml-stream"})
		check(i, "yaml-stream", r.YAMLStream, got, err)
		for j, tc := range tables {
			o := Options{Format: "table", Title: title, Width: tc.width, Color: tc.color}
			var b strings.Builder
			var err error
			if tc.color && !tc.autoreset {
				err = Write(&noColorama{&b}, v, o)
			} else {
				err = Write(&b, v, o)
			}
			check(i, fmt.Sprintf("table%+v", tc), r.Table[j], []byte(b.String()), err)
		}
	}
}

type tableCase struct {
	width            int
	color, autoreset bool
}

// noColorama is a writer that is not the CLI's own stdout, like a pager.
type noColorama struct{ w *strings.Builder }

func (n *noColorama) Write(p []byte) (int, error) { return n.w.Write(p) }

func (n *noColorama) Paging() bool { return true }

type oracle struct{ name, python string }

func findOracles(t *testing.T) []oracle {
	t.Helper()
	var found []oracle
	seen := map[string]bool{}
	var problems []string
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, c := range candidates {
		real, err := filepath.EvalSymlinks(c)
		if err != nil || seen[real] {
			continue
		}
		seen[real] = true
		msg, err := exec.Command(c, filepath.Join("testdata", "oracle.py"), "CHECK").CombinedOutput()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v: %s", c, err, msg))
			continue
		}
		found = append(found, oracle{name: strings.ReplaceAll(strings.TrimSpace(string(msg)), " ", "_"), python: c})
	}
	if len(found) == 0 {
		if os.Getenv("COGNATE_REQUIRE_PYTHON") == "1" {
			t.Fatalf("no python3 with awscli and a YAML emitter: %v", problems)
		}
		t.Skipf("no python3 with awscli and a YAML emitter: %v", problems)
	}
	return found
}

// oracleCorpus is the handpicked values and a fixed pseudo-random sample.
func oracleCorpus() []any {
	var cases []any
	strs := append([]string(nil), corpusStrings...)
	for s := range yamlScalarCases {
		strs = append(strs, s)
	}
	slices.Sort(strs[len(corpusStrings):]) // a fixed order
	for _, s := range strs {
		cases = append(cases, s, obj("Key", s), []any{s}, obj("Key", s, "Other", "x"))
	}
	for _, k := range corpusKeys {
		cases = append(cases, obj(k, "value"), obj(k, []any{int64(1), "two"}), obj(k, obj("Inner", k)),
			[]any{obj(k, int64(1), "Z", int64(2)), obj("Z", int64(3))})
	}
	for _, n := range corpusNumbers {
		cases = append(cases, n, obj("N", n), []any{n, n})
	}
	cases = append(cases, corpusShapes()...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		cases = append(cases, genValue(rng, 0))
	}
	return cases
}

func obj(kv ...any) *value.Object {
	o := value.NewObject()
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

var corpusKeys = []string{
	"a", "B", "Name", "name", "UserPoolId", "ß", "straße", "ﬁle", "Ключ", "键", "キー", "x y", "", "with\ttab",
	"colon: key", "- dash", "true", "123", "null", "~", "#hash", "key:", "it's", "é", "ǅ",
	strings.Repeat("LongKey", 20), strings.Repeat("k", 128), strings.Repeat("k", 129), "multi\nline key",
}

var corpusNumbers = []any{
	int64(0), int64(1), int64(-1), int64(42), int64(9007199254740993), int64(math.MinInt64), int64(math.MaxInt64),
	0.0, math.Copysign(0, -1), 1.5, 2.0, 1e16, 1e15, 1e-5, 0.0001, 1e300, 0.1, 123456789.125, 1e22, -2.5e-7,
	5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), true, false, nil,
}

var lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."

var corpusStrings = []string{
	"", " ", "a", "hello world", "true", "True", "TRUE", "false", "yes", "no", "on", "off", "y", "n", "null", "Null", "~",
	"1111", "0", "-1", "+1", "1_000", "1.5", "1.", ".5", "-.5", "1e3", "1E+3", "1e", "0x1F", "0o17", "0b101", "017", "08",
	".inf", "-.inf", ".nan", ".NaN", "inf", "nan", "1:20", "2024-01-01", "2024-1-1", "2024-01-01T00:00:00+00:00",
	"2024-01-01 00:00:00", "2024-01-01t00:00:00.5Z", "2024-01-01T00:00:00.123000+00:00", "12:30:45",
	"*x", "&x", "!x", "|x", ">x", "- x", "-x", "-", "--", "---", "--- x", "...", "....", "#x", "a #b", "a#b", "a# b",
	"@x", "`x", "%x", "?x", "? x", "?", ":x", ": x", "x:", "a: b", "a:b", "a :b", "a,b", "[x]", "{x}", "x]", "=", "<<",
	"http://example.com/a?b=c&d=e#frag", "arn:aws:s3:::amzn-s3-demo-bucket1", "it's", "say \"hi\"", "'quoted'",
	"\"dq\"", "a\tb", "\t", "line1\nline2", "trailing\n", "\nleading", "a\n\nb", "a\n \nb", "a \nb", "a\n b",
	"a\r\nb", "cr\r", "  indented", "trailing ", "a  b", "a   b", "café", "café 😀", "😀", "日本語テキスト", "ｶﾀｶﾅ",
	"！全角", "±€", "e\u0301", "\u00a0nbsp", "nb\u00a0sp", "\u2028ls", "ls\u2028x", "ps\u2029", "x\u0085y",
	"\ufeffbom", "bom\ufeff", "bell\x07", "esc\x1b[0m", "nul\x00x", "del\x7f", "c1\u0080", "\\backslash",
	"<html>&amp;</html>", "/slash", "\ue000private", "\ufffd", "\U0010FFFD", "\U000F0000x",
	lorem, lorem + " " + lorem, strings.Repeat("x", 100), strings.Repeat("word ", 30),
	strings.Repeat("ab  ", 30), "tab\t" + lorem, lorem + "\n" + lorem, "'" + lorem + "'", lorem + ": colon",
	strings.Repeat("日本語 ", 40), strings.Repeat("é ", 60), "😀 " + lorem + " 😀", " " + lorem,
	lorem + " ", strings.Repeat("a ", 45) + " b", strings.Repeat("x", 79) + " " + strings.Repeat("y", 10) + "  z",
}

func corpusShapes() []any {
	// Distinct objects: the oracle's JSON cannot share one (see
	// TestYAMLAnchors for what sharing does).
	cfg := func() *value.Object {
		return obj("LogLevel", "ERROR", "EventSource", "userNotification",
			"CloudWatchLogsConfiguration", obj("LogGroupArn", "arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported"))
	}
	user := func(name string, enabled bool, attrs ...any) *value.Object {
		var list []any
		for i := 0; i < len(attrs); i += 2 {
			list = append(list, obj("Name", attrs[i], "Value", attrs[i+1]))
		}
		return obj("Username", name, "Enabled", enabled, "UserStatus", "CONFIRMED",
			"UserCreateDate", "2024-01-01T00:00:00+00:00", "Attributes", list)
	}
	return []any{
		obj(), []any{}, []any{[]any{}}, []any{obj()}, []any{obj(), obj()}, obj("E", obj()), obj("E", []any{}),
		obj("E", []any{obj()}), obj("E", []any{[]any{}}), obj("A", obj("B", obj("C", obj("D", obj())))),
		obj("LogDeliveryConfiguration", obj("UserPoolId", "us-west-2_EXAMPLE", "LogConfigurations", []any{cfg(), cfg()})),
		obj("Users", []any{
			user("alice", true, "email", "alice@example.com", "sub", "5b8a1c2e-0000-4000-8000-000000000001"),
			user("bob", false), user("карл", true, "name", "Карл Юнг", "locale", "日本"),
		}, "PaginationToken", "p2"),
		// lists of lists, mixed lists
		[]any{[]any{int64(1), int64(2)}, []any{int64(3), int64(4)}},
		[]any{[]any{int64(1), int64(2)}, []any{int64(3)}},
		[]any{"a", []any{"b", "c"}, "d", []any{"e"}},
		[]any{[]any{[]any{"deep"}}, "x"},
		[]any{[]any{"a", []any{"b"}}, []any{"c", "d"}},
		[]any{"a", obj("K", "v", "L", int64(2))},
		[]any{int64(1), obj("K", "v"), obj()},
		[]any{[]any{"x"}, obj("K", "v")},
		[]any{[]any{int64(1)}, []any{obj("a", int64(1), "b", int64(2))}},
		[]any{[]any{obj("a", int64(1))}, []any{obj("b", int64(1), "c", []any{"x"})}},
		obj("L", []any{int64(1), []any{int64(2), int64(3)}, obj("x", int64(1))}),
		obj("L", []any{[]any{"a", "b"}, []any{"c"}}),
		obj("L", []any{"s", []any{"a", "b"}}),
		// dicts first, then other values: the CLI's formatters fail
		[]any{obj("a", int64(1)), "str"}, []any{obj("a", int64(1)), ""}, []any{obj("a", int64(1)), int64(3)},
		[]any{obj("a", int64(1)), nil}, []any{obj("a", int64(1)), []any{}}, []any{obj("a", int64(1)), []any{"x"}},
		[]any{obj("a", int64(1)), []any{}, "str"},
		// heterogeneous list of dicts
		[]any{obj("a", int64(1)), obj("b", int64(2)), obj("a", int64(3), "c", []any{"x"})},
		[]any{obj("a", int64(1)), obj("a", obj("x", int64(1)))},
		[]any{obj("a", obj("x", int64(1))), obj("a", int64(2))},
		[]any{obj("a", []any{}), obj("a", "")},
		obj("only", obj("nested", []any{"a", "b"})),
		// falsy values in tables
		int64(0), 0.0, false, "", obj("Zero", int64(0)), obj("F", false), obj("S", ""),
		obj("One", "x", "Two", "y", "Three", obj("Deep", "z")),
		// wide cells and titles
		obj("K", strings.Repeat("w", 300)), obj(strings.Repeat("h", 90), "v", "k2", "v2"),
		obj("Wide", "日本語テキスト", "Narrow", "x"), obj("Emoji", "😀😀", "Mixed", "aé日"),
		[]any{obj("Col", strings.Repeat("x", 50), "Other", strings.Repeat("y", 50))},
		[]any{obj("a", "1", "b", "2"), obj("a", "333333333333333333333333333333", "b", "4")},
		obj("Many", obj("A1", "a", "A2", "b", "A3", "c", "A4", "d", "A5", "e", "A6", "f", "A7", "g", "A8", "h", "A9",
			"i", "A10", "j", "A11", "k", "A12", "l", "A13", "m", "A14", "n", "A15", "o")),
	}
}

// genValue draws a JSON-shaped value; lists of dicts share most keys, as
// responses do.
func genValue(rng *rand.Rand, depth int) any {
	if depth >= 4 || rng.IntN(10) < 3 {
		return genScalar(rng)
	}
	switch rng.IntN(6) {
	case 0, 1:
		return genObject(rng, depth, nil)
	case 2:
		keys := pickKeys(rng, 1+rng.IntN(4))
		list := []any{}
		for range rng.IntN(4) {
			list = append(list, genObject(rng, depth, keys))
		}
		return list
	case 3:
		list := []any{}
		for range rng.IntN(5) {
			list = append(list, genScalar(rng))
		}
		return list
	case 4:
		list := []any{}
		for range rng.IntN(4) {
			inner := []any{}
			for range rng.IntN(3) + 1 {
				inner = append(inner, genScalar(rng))
			}
			list = append(list, inner)
		}
		return list
	default:
		list := []any{}
		for range rng.IntN(4) {
			if rng.IntN(2) == 0 {
				list = append(list, genScalar(rng))
			} else {
				list = append(list, genValue(rng, depth+1))
			}
		}
		return list
	}
}

func genObject(rng *rand.Rand, depth int, keys []string) *value.Object {
	o := value.NewObject()
	if keys == nil {
		keys = pickKeys(rng, rng.IntN(5))
	}
	for _, k := range keys {
		if rng.IntN(5) == 0 {
			continue // an element without this key
		}
		o.Set(k, genValue(rng, depth+1))
	}
	if rng.IntN(4) == 0 {
		o.Set(pickKeys(rng, 1)[0], genValue(rng, depth+1))
	}
	return o
}

var genKeys = []string{"Name", "Value", "Id", "Arn", "Enabled", "Count", "Items", "Nested", "Tags", "CreationDate",
	"Description", "a", "b", "ß", "日本", "x y"}

func pickKeys(rng *rand.Rand, n int) []string {
	perm := rng.Perm(len(genKeys))
	keys := make([]string, 0, n)
	for _, i := range perm[:min(n, len(perm))] {
		keys = append(keys, genKeys[i])
	}
	return keys
}

func genScalar(rng *rand.Rand) any {
	switch rng.IntN(8) {
	case 0:
		return nil
	case 1:
		return rng.IntN(2) == 0
	case 2:
		return int64(rng.IntN(2000) - 1000)
	case 3:
		return corpusNumbers[rng.IntN(len(corpusNumbers))]
	case 4:
		return float64(rng.IntN(100000)) / 64
	default:
		return corpusStrings[rng.IntN(len(corpusStrings))]
	}
}
