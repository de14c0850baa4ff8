package output

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

// The samples of the spec (/work/shared/spec/aws-cli.md §7), copied to
// testdata: the same GetLogDeliveryConfiguration response in every format.

func mustParse(t *testing.T, s string) any {
	t.Helper()
	v, err := value.ParseJSON([]byte(s))
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func format(t *testing.T, v any, o Options) string {
	t.Helper()
	out, err := Format(v, o)
	if err != nil {
		t.Fatalf("Format(%s): %v", o.Format, err)
	}
	return string(out)
}

func diff(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n--- got\n%s\n--- want\n%s\n--- got %q\n--- want %q", what, got, want, got, want)
	}
}

func TestSpecSamples(t *testing.T) {
	in := mustParse(t, readTestdata(t, "spec_input.json"))
	title := "GetLogDeliveryConfiguration"
	for _, c := range []struct {
		o      Options
		golden string
	}{
		{Options{Format: "json"}, "spec_json.golden"},
		{Options{Format: "text"}, "spec_text.golden"},
		{Options{Format: "table", Title: title}, "spec_table_80.golden"},
		{Options{Format: "yaml"}, "spec_yaml.golden"},
		{Options{Format: "yaml-stream"}, "spec_yaml_stream.golden"},
	} {
		diff(t, c.golden, format(t, in, c.o), readTestdata(t, c.golden))
	}
	// The 200-column terminal keeps the LogConfigurations sections
	// horizontal; the spec shows one of them.
	wide := format(t, in, Options{Format: "table", Title: title, Width: 200})
	if excerpt := readTestdata(t, "spec_table_200_excerpt.golden"); !strings.Contains(wide, excerpt) {
		t.Errorf("200 columns:\n%s\nlacks\n%s", wide, excerpt)
	}
	if got := format(t, in, Options{Format: "off"}); got != "" {
		t.Errorf("off wrote %q", got)
	}
}

// TestSpecTable200 is the whole 200-column table, from AWS CLI v1's
// formatter (identical to v2's table.py).
func TestSpecTable200(t *testing.T) {
	in := mustParse(t, readTestdata(t, "spec_input.json"))
	got := format(t, in, Options{Format: "table", Title: "GetLogDeliveryConfiguration", Width: 200})
	diff(t, "table 200", got, readTestdata(t, "spec_table_200.golden"))
}

func TestSpecStreams(t *testing.T) {
	// yaml-stream: every raw page is a one-element list.
	var b bytes.Buffer
	s, err := NewStream(&b, Options{Format: "yaml-stream"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`{"Users":[{"Username":"alice"}],"PaginationToken":"p2"}`, `{"Users":[{"Username":"bob"}]}`, `{}`} {
		if err := s.Page(mustParse(t, p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	diff(t, "yaml-stream pages", b.String(), "- PaginationToken: p2\n  Users:\n  - Username: alice\n- Users:\n  - Username: bob\n- {}\n")

	// text: pages formatted one by one (here after --query
	// 'Users[].Username'), then the NEXTTOKEN line.
	b.Reset()
	s, err = NewStream(&b, Options{Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`["alice","bob"]`, `["carol"]`, `[]`} {
		if err := s.Page(mustParse(t, p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Page(NextTokenPage("tok==")); err != nil {
		t.Fatal(err)
	}
	diff(t, "text pages", b.String(), "alice\tbob\ncarol\nNEXTTOKEN\ttok==\n")

	// Without --query, the first page carries the non-result keys.
	b.Reset()
	s, _ = NewStream(&b, Options{Format: "text"})
	_ = s.Page(mustParse(t, `{"Users":[{"Username":"alice","Enabled":true}]}`))
	_ = s.Page(mustParse(t, `{"Users":[{"Username":"bob","Enabled":false}]}`))
	diff(t, "text pages, no query", b.String(), "USERS\tTrue\talice\nUSERS\tFalse\tbob\n")

	if _, err := NewStream(&b, Options{Format: "json"}); err == nil {
		t.Error("json stream accepted")
	}
	s, _ = NewStream(&b, Options{Format: "off"})
	b.Reset()
	_ = s.Page(mustParse(t, `{"a":1}`))
	if b.Len() != 0 {
		t.Errorf("off stream wrote %q", b.String())
	}
}

func TestEmptyResults(t *testing.T) {
	empty := value.NewObject()
	for _, f := range []string{"json", "text", "table", "yaml", "yaml-stream", "off"} {
		if got := format(t, empty, Options{Format: f, Title: "Op"}); got != "" {
			t.Errorf("%s of {} = %q", f, got)
		}
	}
	for f, want := range map[string]string{
		"json": "[]\n", "text": "", "table": "", "yaml": "[]\n", "yaml-stream": "- []\n",
	} {
		if got := format(t, []any{}, Options{Format: f, Title: "Op"}); got != want {
			t.Errorf("%s of [] = %q, want %q", f, got, want)
		}
	}
	for f, want := range map[string]string{
		"json": "null\n", "text": "None\n", "table": "", "yaml": "null\n", "yaml-stream": "- null\n",
	} {
		if got := format(t, nil, Options{Format: f, Title: "Op"}); got != want {
			t.Errorf("%s of null = %q, want %q", f, got, want)
		}
	}
	for f, want := range map[string]string{
		"json":        "\"us-west-2_EXAMPLE\"\n",
		"text":        "us-west-2_EXAMPLE\n",
		"table":       "----\n|Op|\n+--+\n",
		"yaml":        "\"us-west-2_EXAMPLE\"\n",
		"yaml-stream": "- us-west-2_EXAMPLE\n",
	} {
		if got := format(t, "us-west-2_EXAMPLE", Options{Format: f, Title: "Op"}); got != want {
			t.Errorf("%s of a string = %q, want %q", f, got, want)
		}
	}
	if err := Write(&bytes.Buffer{}, 1, Options{Format: "xml"}); err == nil || err.Error() != "Unknown output type: xml" {
		t.Errorf("unknown format: %v", err)
	}
	if err := Write(&bytes.Buffer{}, map[string]any{}, Options{Format: "json"}); err == nil {
		t.Error("map accepted")
	}
}
