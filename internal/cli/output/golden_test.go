package output

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

// TestGolden checks testdata/golden.json: edge-case inputs with the outputs
// of the AWS CLI v2's own formatters (written by testdata/gen_golden.py).
func TestGolden(t *testing.T) {
	var doc struct {
		Generator string                                `json:"generator"`
		Title     string                                `json:"title"`
		Tables    map[string][3]any                     `json:"tables"`
		Cases     map[string]map[string]json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal([]byte(readTestdata(t, "golden.json")), &doc); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases from %s", len(doc.Cases), doc.Generator)
	names := make([]string, 0, len(doc.Cases))
	for n := range doc.Cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := doc.Cases[name]
		var input string
		if err := json.Unmarshal(c["input"], &input); err != nil {
			t.Fatal(err)
		}
		v, err := value.ParseJSON([]byte(input))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for what, raw := range c {
			if what == "input" {
				continue
			}
			o := Options{Format: what, Title: doc.Title}
			var w interface {
				Write([]byte) (int, error)
				String() string
			} = &strings.Builder{}
			if tc, ok := doc.Tables[what]; ok {
				o.Format = "table"
				o.Width = int(tc[0].(float64))
				o.Color = tc[1].(bool)
				if !tc[2].(bool) {
					w = &pagerLike{}
				}
			}
			gotErr := Write(w, v, o)
			got := w.String()
			var want string
			var wantErr struct {
				Error   string
				Written *string
			}
			if json.Unmarshal(raw, &want) != nil {
				if err := json.Unmarshal(raw, &wantErr); err != nil {
					t.Fatalf("%s %s: %s", name, what, raw)
				}
			}
			if wantErr.Error != "" {
				var pe *PythonError
				if !errors.As(gotErr, &pe) || pe.Type+": "+pe.Msg != wantErr.Error {
					t.Errorf("%s %s: want %s, got %v and %q", name, what, wantErr.Error, gotErr, got)
				} else if wantErr.Written != nil && got != *wantErr.Written {
					t.Errorf("%s %s: before failing, want %q, got %q", name, what, *wantErr.Written, got)
				}
				continue
			}
			if gotErr != nil {
				t.Errorf("%s %s: %v", name, what, gotErr)
				continue
			}
			diff(t, name+" "+what, got, want)
		}
	}
}

// pagerLike is a writer into a pager program: no colorama autoreset.
type pagerLike struct{ strings.Builder }

func (p *pagerLike) Paging() bool { return true }
