package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

type complianceCase struct {
	file, expression string
	group, index     int
	given            any
	kind             string // result, error or bench
	result           any
	errorKind        string
}

func loadCompliance(t *testing.T) []complianceCase {
	t.Helper()
	files, _ := filepath.Glob("testdata/compliance/*.json")
	legacy, _ := filepath.Glob("testdata/compliance/legacy/*.json")
	files = append(files, legacy...)
	if len(files) < 16 {
		t.Fatalf("compliance files missing: %v", files)
	}
	var out []complianceCase
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := value.ParseJSON(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		name, _ := filepath.Rel("testdata/compliance", path)
		for gi, g := range doc.([]any) {
			group := g.(*value.Object)
			given, _ := group.Get("given")
			cases, _ := group.Get("cases")
			for ci, c := range cases.([]any) {
				co := c.(*value.Object)
				expr, _ := co.Get("expression")
				cc := complianceCase{file: name, group: gi, index: ci, expression: expr.(string), given: given}
				if r, ok := co.Get("result"); ok {
					cc.kind, cc.result = "result", r
				} else if e, ok := co.Get("error"); ok {
					cc.kind, cc.errorKind = "error", e.(string)
				} else {
					cc.kind = "bench"
				}
				out = append(out, cc)
			}
		}
	}
	return out
}

// outcome is what a case gives, in the golden file's terms.
type outcome struct {
	Phase   string `json:"phase"`
	Class   string `json:"class,omitempty"`
	Message string `json:"message,omitempty"`
	JSON    string `json:"json,omitempty"`
}

func run(expr string, given any) (outcome, any) {
	q, err := Compile(expr)
	if err != nil {
		return errOutcome("compile", err), nil
	}
	r, err := q.Search(given)
	if err != nil {
		return errOutcome("search", err), nil
	}
	return outcome{Phase: "ok", JSON: pyJSONDumps(r)}, r
}

func errOutcome(phase string, err error) outcome {
	var e *Error
	if !errors.As(err, &e) {
		return outcome{Phase: phase, Class: fmt.Sprintf("%T", err), Message: err.Error()}
	}
	return outcome{Phase: phase, Class: e.Class, Message: e.Error()}
}

// TestCompliance runs jmespath.py's compliance suite: every "result" case
// must give a result equal (Python ==) to the expected one, every "error"
// case must fail, and every case (benchmarks included) must give exactly
// what jmespath.py gives (testdata/compliance_golden.json): the same JSON
// text (key order, int/float spelling) or the same exception and message.
func TestCompliance(t *testing.T) {
	cases := loadCompliance(t)
	data, err := os.ReadFile("testdata/compliance_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden []struct {
		File       string `json:"file"`
		Group      int    `json:"group"`
		Case       int    `json:"case"`
		Expression string `json:"expression"`
		outcome
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden) != len(cases) {
		t.Fatalf("golden has %d cases, suite %d", len(golden), len(cases))
	}
	specPass, goldenPass, specTotal := 0, 0, 0
	for i, c := range cases {
		g := golden[i]
		if g.File != c.file || g.Group != c.group || g.Case != c.index || g.Expression != c.expression {
			t.Fatalf("golden entry %d is %s/%d/%d %q, suite has %s/%d/%d %q",
				i, g.File, g.Group, g.Case, g.Expression, c.file, c.group, c.index, c.expression)
		}
		got, result := run(c.expression, c.given)
		where := fmt.Sprintf("%s group %d case %d %q", c.file, c.group, c.index, c.expression)
		switch c.kind {
		case "result":
			specTotal++
			if got.Phase != "ok" {
				t.Errorf("%s: want %s, got %s error %s: %s", where, pyJSONDumps(c.result), got.Phase, got.Class, got.Message)
			} else if !pyEqual(result, c.result) {
				t.Errorf("%s: want %s, got %s", where, pyJSONDumps(c.result), got.JSON)
			} else {
				specPass++
			}
		case "error":
			specTotal++
			if got.Phase == "ok" {
				t.Errorf("%s: want a %s error, got %s", where, c.errorKind, got.JSON)
			} else {
				specPass++
			}
		}
		if got != g.outcome {
			t.Errorf("%s: jmespath.py gives %+v\n got %+v", where, g.outcome, got)
		} else {
			goldenPass++
		}
	}
	t.Logf("compliance: %d/%d result and error cases pass; %d/%d cases identical to jmespath.py",
		specPass, specTotal, goldenPass, len(cases))
}
