package cli

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/cognate/cognate/internal/model"
)

// TestKebabMatchesBotocore compares every operation and member name of the
// model with botocore's xform_name on the machine's Python.
func TestKebabMatchesBotocore(t *testing.T) {
	m := model.CognitoIDP()
	names := map[string]bool{}
	for _, op := range m.Operations {
		names[op.Name] = true
		if op.Input != "" {
			for _, mem := range m.Shape(op.Input).Members {
				names[mem.Name] = true
			}
		}
	}
	var list []string
	for n := range names {
		list = append(list, n)
	}
	in, _ := json.Marshal(list)
	out, err := exec.Command("python3", "-c", `import sys, json
from botocore import xform_name
print(json.dumps({n: xform_name(n, "-") for n in json.loads(sys.argv[1])}))`, string(in)).Output()
	if err != nil {
		t.Fatalf("python3 with botocore is needed (it comes with the machine's Python): %v", err)
	}
	var want map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for n, w := range want {
		if got := kebab(n); got != w {
			t.Errorf("kebab(%s) = %s, botocore says %s", n, got, w)
		}
	}
}
