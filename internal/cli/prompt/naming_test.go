package prompt

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/cognate/cognate/internal/model"
)

// TestKebabMatchesBotocore checks this package's copy of xform_name over
// every operation and input member name, against botocore when the
// machine's Python has it (the cli package's test does the same for its
// copy).
func TestKebabMatchesBotocore(t *testing.T) {
	m := model.CognitoIDP()
	var names []string
	for _, op := range m.Operations {
		names = append(names, op.Name)
		if op.Input != "" {
			for _, mem := range m.Shape(op.Input).Members {
				names = append(names, mem.Name)
			}
		}
	}
	in, _ := json.Marshal(names)
	out, err := exec.Command("python3", "-c", `import sys, json
from botocore import xform_name
print(json.dumps({n: xform_name(n, "-") for n in json.loads(sys.argv[1])}))`, string(in)).Output()
	if err != nil {
		t.Skipf("python3 with botocore is not available: %v", err)
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
	for _, c := range [][2]string{{"SetLogDeliveryConfiguration", "set-log-delivery-configuration"}, {"MFAOptions", "mfa-options"}, {"UserPoolARNs", "user-pool-arns"}} {
		if got := kebab(c[0]); got != c[1] {
			t.Errorf("kebab(%s) = %s, want %s", c[0], got, c[1])
		}
	}
}
