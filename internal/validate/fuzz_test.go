package validate

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/model"
)

// FuzzRequest feeds arbitrary bodies to every operation's input shape. It
// must never panic; it must answer SerializationException or
// InvalidParameterException, or give JSON that decodes into the generated
// input struct.
func FuzzRequest(f *testing.F) {
	seeds := []string{
		`{"UserPoolId":"us-west-2_abc","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:g"}}]}`,
		`{"UserPoolId":"us-west-2_abc","LogConfigurations":[null,{},1,"x",[]]}`,
		`{"PoolName":"p","Schema":[{"Name":"a","AttributeDataType":"String"}],"UserPoolTags":{"k":"v"},"Policies":{"PasswordPolicy":{"MinimumLength":1e3}}}`,
		`{"MaxResults":1.5,"NextToken":"\u0000"}`,
		`[]`, `"x"`, `null`, `{`, "\xff", `{"a":{"b":{"c":[[[[]]]]}}}`,
	}
	m := model.CognitoIDP()
	endpoints := (&api.Handlers{}).Endpoints()
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	v := New(m)
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		op := m.Operations[int(opIndex)%len(m.Operations)]
		out, err := v.Request(op.Input, body)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) || (ae.Code != SerializationException && ae.Code != "InvalidParameterException") {
				t.Fatalf("%s: unexpected error %v", op.Name, err)
			}
			return
		}
		if err := json.Unmarshal(out, endpoints[op.Name].NewInput()); err != nil {
			t.Fatalf("%s: validated output %s does not decode: %v", op.Name, out, err)
		}
	})
}
