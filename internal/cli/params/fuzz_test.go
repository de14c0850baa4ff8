package params

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/model"
)

// FuzzBuild feeds shorthand/JSON tokens (separated by NUL) to one member of
// one operation, optionally with a --cli-input-json/yaml document: Build
// must not panic, its errors must be *clierr.Error, and what it accepts
// must serialise.
func FuzzBuild(f *testing.F) {
	m := model.CognitoIDP()
	index := map[string]uint16{}
	for i, op := range m.Operations {
		index[op.Name] = uint16(i)
	}
	seeds := []struct {
		op, member, tokens, input string
		yaml                      bool
	}{
		{"SetLogDeliveryConfiguration", "LogConfigurations", "LogLevel=ERROR,EventSource=userNotification\x00LogLevel=INFO,EventSource=userAuthEvents", "", false},
		{"SetLogDeliveryConfiguration", "LogConfigurations", `[{"LogLevel": "ERROR", "EventSource": 1}]`, `{"UserPoolId": "p"}`, false},
		{"SetLogDeliveryConfiguration", "LogConfigurations", "a={b=[1,2],c={d=e}}", "UserPoolId: p\n", true},
		{"UpdateUserPool", "Policies", "PasswordPolicy={MinimumLength=8,RequireUppercase=true}", "", false},
		{"UpdateUserPool", "Policies", "PasswordPolicy={MinimumLength=[x]}", "", false},
		{"CreateManagedLoginBranding", "Settings", `{"a": [1, NaN, "x"]}`, "", false},
		{"CreateManagedLoginBranding", "Assets", "Category=X,Bytes=AAEC\x00Bytes=@@", "", false},
		{"SetUICustomization", "ImageFile", "aGVsbG8=", "", false},
		{"AdminDeleteUserAttributes", "UserAttributeNames", "file://x", "", false},
		{"ListUserPools", "MaxResults", "1_0", "", false},
		{"AdminInitiateAuth", "AuthParameters", "USERNAME=u,PASSWORD='p,w'", `{"Bogus": {"x": [1]}}`, false},
		{"AdminSetUserPassword", "Permanent", "", "", false},
		{"GetUser", "AccessToken", "fileb://x", "[1", false},
	}
	for _, s := range seeds {
		op := m.Operation(s.op)
		mi := 0
		for i, mem := range m.Shape(op.Input).Members {
			if mem.Name == s.member {
				mi = i
			}
		}
		f.Add(index[s.op], uint8(mi), s.tokens, s.input, s.yaml)
	}
	f.Fuzz(func(t *testing.T, opIdx uint16, memIdx uint8, raw, input string, yamlIn bool) {
		op := m.Operations[int(opIdx)%len(m.Operations)]
		if op.Input == "" || len(m.Shape(op.Input).Members) == 0 {
			return
		}
		in := m.Shape(op.Input)
		mem := in.Members[int(memIdx)%len(in.Members)]
		o := Options{ReadFile: func(string) ([]byte, error) { return []byte(raw), nil }}
		if input != "" {
			if yamlIn {
				o.CLIInputYAML = &input
			} else {
				o.CLIInputJSON = &input
			}
		}
		arg := Arg{Member: mem.Name, Tokens: strings.Split(raw, "\x00")}
		if m.Shape(mem.Shape).Type == "boolean" {
			b := len(raw)%2 == 0
			arg = Arg{Member: mem.Name, Bool: &b}
		}
		v, err := Build(m, op, []Arg{arg}, o)
		if err != nil {
			var ce *clierr.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *clierr.Error", err, err)
			}
			return
		}
		if _, err := Body(m, op, v); err != nil {
			t.Fatalf("Body of accepted parameters %s: %v", newPy().repr(v), err)
		}
	})
}

// FuzzDecodeResponse: any body, no panic, errors are *clierr.Error.
func FuzzDecodeResponse(f *testing.F) {
	m := model.CognitoIDP()
	f.Add(uint16(0), []byte(`{"Group": {"CreationDate": 1.5, "GroupName": 3}}`), false)
	f.Add(uint16(1), []byte(`{"LogDeliveryConfiguration": {"LogConfigurations": "abc"}}`), true)
	f.Add(uint16(2), []byte(`[1, {"a": null}]`), false)
	f.Fuzz(func(t *testing.T, opIdx uint16, body []byte, wire bool) {
		op := m.Operations[int(opIdx)%len(m.Operations)]
		format := TimestampISO8601
		if wire {
			format = TimestampWire
		}
		if _, err := DecodeResponse(m, op, body, format); err != nil {
			var ce *clierr.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *clierr.Error", err, err)
			}
		}
	})
}
