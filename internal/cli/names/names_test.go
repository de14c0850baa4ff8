package names

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/cognate/cognate/internal/model"
)

// TestXformMatchesBotocore compares every operation name and every member
// name of the model with botocore's xform_name on the machine's Python
// (the AWS CLI v2's copy of botocore when that Python has it).
func TestXformMatchesBotocore(t *testing.T) {
	m := model.CognitoIDP()
	set := map[string]bool{}
	for _, op := range m.Operations {
		set[op.Name] = true
	}
	for _, name := range m.ShapeNames {
		for _, mem := range m.Shape(name).Members {
			set[mem.Name] = true
		}
	}
	var list []string
	for n := range set {
		list = append(list, n)
	}
	in, _ := json.Marshal(list)
	out, err := exec.Command("python3", "-c", `import sys, json
try:
    from awscli.botocore import xform_name
except ImportError:
    from botocore import xform_name
print(json.dumps({n: xform_name(n, "-") for n in json.loads(sys.argv[1])}))`, string(in)).Output()
	if err != nil {
		t.Fatalf("python3 with botocore is needed (it comes with the machine's Python): %v", err)
	}
	var want map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(list) {
		t.Fatalf("botocore named %d of %d names", len(want), len(list))
	}
	for n, w := range want {
		if got := Xform(n); got != w {
			t.Errorf("Xform(%s) = %s, botocore says %s", n, got, w)
		}
	}
	for _, c := range [][2]string{{"SetLogDeliveryConfiguration", "set-log-delivery-configuration"}, {"MFAOptions", "mfa-options"}, {"UserPoolARNs", "user-pool-arns"}} {
		if got := Xform(c[0]); got != c[1] {
			t.Errorf("Xform(%s) = %s, want %s", c[0], got, c[1])
		}
	}
}
