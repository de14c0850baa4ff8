package prompt

import (
	"encoding/json"
	"os/exec"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestQuoteSplit(t *testing.T) {
	for in, want := range map[string]string{
		"":              "''",
		"abc":           "abc",
		"a_b@%+=:,./-9": "a_b@%+=:,./-9",
		"a b":           "'a b'",
		"it's":          `'it'"'"'s'`,
		`{"a":1}`:       `'{"a":1}'`,
		"é":             "'é'",
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][]string{
		``:                        {},
		`  a  b `:                 {"a", "b"},
		`a\ b`:                    {"a b"},
		`'a "b' "c 'd"`:           {`a "b`, `c 'd`},
		`"a\"b\\c\d"`:             {`a"b\c\d`},
		`a''b ''`:                 {"ab", ""},
		`x='{"k": [1, 2]}'`:       {`x={"k": [1, 2]}`},
		`--q "Users[?Name=='x']"`: {"--q", "Users[?Name=='x']"},
	} {
		got, err := split(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("split(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]error{`a 'b`: errNoClosingQuote, `"a`: errNoClosingQuote, `a\`: errNoEscapedChar} {
		if _, err := split(in); err != want {
			t.Errorf("split(%q) error %v, want %v", in, err, want)
		}
	}
	ws := words([]rune(`ab 'c d' "e`))
	if len(ws) != 3 || ws[1].start != 3 || ws[1].end != 8 || ws[1].value != "c d" || ws[2].err != errNoClosingQuote || ws[2].value != "e" {
		t.Errorf("words: %+v", ws)
	}
}

// TestShlexOracle compares quote and split with Python's shlex, when
// python3 is there.
func TestShlexOracle(t *testing.T) {
	lines := []string{`a b`, `'a b' c\ d "e \" f" g\\h`, `x"y"'z'`, `"a\nb" 'c\d'`, `--p '{"a": "b c"}' --q=1`, `é "ü ß"`, `a\'b`, `"\$x" "\` + "`" + `"`}
	args := []string{"", "a b", "it's", `{"x": [1,2]}`, "tab\there", `back\slash`, `"dq"`, "ü"}
	in, _ := json.Marshal(map[string]any{"lines": lines, "args": args})
	out, err := exec.Command("python3", "-c", `import sys, json, shlex
d = json.loads(sys.argv[1])
print(json.dumps({"split": [shlex.split(l) for l in d["lines"]], "quote": [shlex.quote(a) for a in d["args"]]}))`, string(in)).Output()
	if err != nil {
		t.Skipf("python3 is not available: %v", err)
	}
	var want struct {
		Split [][]string
		Quote []string
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		got, err := split(l)
		if err != nil || !slices.Equal(got, want.Split[i]) {
			t.Errorf("split(%q) = %q, %v; shlex says %q", l, got, err, want.Split[i])
		}
	}
	for i, a := range args {
		if got := quote(a); got != want.Quote[i] {
			t.Errorf("quote(%q) = %q; shlex says %q", a, got, want.Quote[i])
		}
	}
}

func FuzzQuoteSplit(f *testing.F) {
	f.Add("a", "b c", "it's")
	f.Add("", "\\", "\"")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		args := []string{a, b, c}
		for _, s := range args {
			if !utf8.ValidString(s) {
				return // the editor holds runes: invalid UTF-8 cannot round-trip
			}
		}
		got, err := split(joinArgs(args))
		if err != nil || !slices.Equal(got, args) {
			t.Fatalf("split(joinArgs(%q)) = %q, %v", args, got, err)
		}
	})
}
