package output

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func ptr(s string) *string { return &s }

func TestPagerCommand(t *testing.T) {
	for _, c := range []struct {
		vars       map[string]string
		configured *string
		want       string
	}{
		{nil, nil, "less"},
		{map[string]string{"PAGER": "more"}, nil, "more"},
		{map[string]string{"PAGER": "more"}, ptr("most"), "most"},
		{map[string]string{"PAGER": "more", "AWS_PAGER": "cat"}, ptr("most"), "cat"},
		{map[string]string{"AWS_PAGER": ""}, ptr("most"), ""},
		{nil, ptr(""), ""},
		{map[string]string{"PAGER": ""}, nil, ""},
	} {
		if got := PagerCommand(c.configured, env(c.vars)); got != c.want {
			t.Errorf("PagerCommand(%v, %v) = %q, want %q", c.configured, c.vars, got, c.want)
		}
	}
}

func TestShlexSplit(t *testing.T) {
	// Outputs of Python's shlex.split.
	for in, want := range map[string][]string{
		"less -R":                   {"less", "-R"},
		"  less   -S  ":             {"less", "-S"},
		`"my pager" --opt="a b"`:    {"my pager", "--opt=a b"},
		`a\ b c`:                    {"a b", "c"},
		`x"y z"w`:                   {"xy zw"},
		`it's' x`:                   {"its", "x"},
		`"a\\b\"c\d"`:               {`a\b"c\d`},
		`'\n'`:                      {`\n`},
		`""`:                        {""},
		`a '' b`:                    {"a", "", "b"},
		"":                          nil,
		"   ":                       nil,
		"less\t-FRX\n":              {"less", "-FRX"},
		`sh -c 'cat; echo "$LESS"'`: {"sh", "-c", `cat; echo "$LESS"`},
	} {
		got, err := ShlexSplit(in)
		if err != nil || strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Errorf("ShlexSplit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{`"open`: "No closing quotation", `'open`: "No closing quotation",
		`trailing\`: "No escaped character", `"esc\\`: "No closing quotation"} {
		if _, err := ShlexSplit(in); err == nil || err.Error() != want {
			t.Errorf("ShlexSplit(%q): %v, want %s", in, err, want)
		}
	}
}

func tempOut(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func contents(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPagerDirect(t *testing.T) {
	for _, c := range []struct {
		name     string
		disabled bool
		tty      bool
		vars     map[string]string
	}{
		{"not a terminal", false, false, nil},
		{"--no-cli-pager", true, true, nil},
		{"empty AWS_PAGER", false, true, map[string]string{"AWS_PAGER": ""}},
	} {
		out := tempOut(t)
		p := newPager(out, nil, c.disabled, c.tty, env(c.vars), nil)
		if p.Paging() {
			t.Errorf("%s: paging", c.name)
		}
		if _, err := p.Write([]byte("hello\n")); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if got := contents(t, out); got != "hello\n" {
			t.Errorf("%s: wrote %q", c.name, got)
		}
	}
	// NewPager on a file that is not a terminal writes straight to it.
	out := tempOut(t)
	p := NewPager(out, ptr("no-such-pager"), false)
	if p.Paging() {
		t.Error("NewPager pages to a file")
	}
}

func TestPagerProgram(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	out := tempOut(t)
	p := newPager(out, ptr(`sh -c 'cat; printf "[%s]" "$LESS"'`), false, true, env(nil), []string{"PATH=" + os.Getenv("PATH")})
	if !p.Paging() {
		t.Fatal("not paging")
	}
	if p.cmd != nil {
		t.Fatal("started before the first write")
	}
	if _, err := p.Write([]byte("page 1\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte("page 2\n")); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, out); got != "page 1\npage 2\n[FRX]" {
		t.Errorf("pager output %q", got)
	}

	// LESS set by the user is kept.
	out = tempOut(t)
	p = newPager(out, ptr(`sh -c 'cat >/dev/null; printf "[%s]" "$LESS"'`), false, true,
		env(map[string]string{"LESS": "-S"}), []string{"PATH=" + os.Getenv("PATH"), "LESS=-S"})
	_, _ = p.Write([]byte("x"))
	_ = p.Close()
	if got := contents(t, out); got != "[-S]" {
		t.Errorf("LESS: %q", got)
	}

	// Nothing written: no pager started.
	p = newPager(tempOut(t), ptr("sh -c 'echo started'"), false, true, env(nil), nil)
	if err := p.Close(); err != nil || p.started {
		t.Errorf("lazy pager: %v %v", err, p.started)
	}

	// A pager that quits early: the rest of the output is dropped.
	out = tempOut(t)
	p = newPager(out, ptr("true"), false, true, env(nil), []string{"PATH=" + os.Getenv("PATH")})
	big := []byte(strings.Repeat("0123456789abcdef", 1<<16))
	for range 8 {
		if _, err := p.Write(big); err != nil {
			t.Fatalf("write after the pager quit: %v", err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPagerNotFound(t *testing.T) {
	p := newPager(tempOut(t), ptr("no-such-pager-cognate --flag"), false, true, env(nil), nil)
	_, err := p.Write([]byte("x"))
	var pe *PagerError
	if !errors.As(err, &pe) || err.Error() != "[Errno 2] No such file or directory: 'no-such-pager-cognate'" {
		t.Fatalf("err = %v", err)
	}
	if _, err2 := p.Write([]byte("y")); err2 != err {
		t.Errorf("second write: %v", err2)
	}
	if err := p.Close(); err != nil {
		t.Error(err)
	}

	p = newPager(tempOut(t), ptr(`"unbalanced`), false, true, env(nil), nil)
	_, err = p.Write([]byte("x"))
	var pyErr *PythonError
	if !errors.As(err, &pyErr) || pyErr.Type != "ValueError" || pyErr.Msg != "No closing quotation" {
		t.Errorf("bad command line: %v", err)
	}
	p = newPager(tempOut(t), ptr("   "), false, true, env(nil), nil)
	if _, err = p.Write([]byte("x")); err == nil {
		t.Error("blank command started")
	}
}
