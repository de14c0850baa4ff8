package argv

import (
	"reflect"
	"strings"
	"testing"
)

func opParser() *Parser {
	return &Parser{Args: []*Arg{
		{Flag: "--user-pool-id", Dest: "UserPoolId", Required: true},
		{Flag: "--username", Dest: "Username"},
		{Flag: "--log-configurations", Dest: "LogConfigurations", Nargs: OneOrMore},
		{Flag: "--force", Dest: "Force", Kind: StoreTrue, Nargs: Zero},
		{Flag: "--no-force", Dest: "Force", Kind: StoreFalse, Nargs: Zero},
		{Flag: "--generate-cli-skeleton", Dest: "skeleton", Nargs: Optional, Const: "input", Choices: []string{"input", "output", "yaml-input"}},
		{Flag: "--max-items", Dest: "max_items", Int: true},
		{Dest: "help", Nargs: Optional},
	}}
}

func TestParseKnown(t *testing.T) {
	cases := []struct {
		name   string
		args   string
		want   map[string][]string
		extras []string
		err    string
	}{
		{"space and equals forms", "--user-pool-id a --username=b", map[string][]string{"UserPoolId": {"a"}, "Username": {"b"}}, nil, ""},
		{"unambiguous prefix", "--user-pool a --usern b", map[string][]string{"UserPoolId": {"a"}, "Username": {"b"}}, nil, ""},
		{"ambiguous prefix", "--user-pool-id a --user b", nil, nil, "ambiguous option: --user could match --user-pool-id, --username"},
		{"value starting with a dash needs =", "--user-pool-id -x", nil, nil, "argument --user-pool-id: expected one argument"},
		{"equals with a dash", "--user-pool-id=-x", map[string][]string{"UserPoolId": {"-x"}}, nil, ""},
		{"negative number is a value", "--user-pool-id a --max-items -5", map[string][]string{"UserPoolId": {"a"}, "max_items": {"-5"}}, nil, ""},
		{"greedy list", "--user-pool-id a --log-configurations x y z --username u", map[string][]string{"UserPoolId": {"a"}, "LogConfigurations": {"x", "y", "z"}, "Username": {"u"}}, nil, ""},
		{"last wins, also for lists", "--user-pool-id a --log-configurations x --log-configurations y --user-pool-id b", map[string][]string{"UserPoolId": {"b"}, "LogConfigurations": {"y"}}, nil, ""},
		{"unknown option; the stray value lands in the help positional", "--user-pool-id a --bogus x", map[string][]string{"UserPoolId": {"a"}, "help": {"x"}}, []string{"--bogus"}, ""},
		{"missing required", "--username u", nil, nil, "the following arguments are required: --user-pool-id"},
		{"skeleton without value", "--user-pool-id a --generate-cli-skeleton", map[string][]string{"UserPoolId": {"a"}, "skeleton": {"input"}}, nil, ""},
		{"skeleton bad value", "--generate-cli-skeleton yaml --user-pool-id a", nil, nil, "argument --generate-cli-skeleton: Found invalid choice 'yaml'\n"},
		{"skeleton close match", "--generate-cli-skeleton inputt --user-pool-id a", nil, nil, "argument --generate-cli-skeleton: Found invalid choice 'inputt'\n\nMaybe you meant:\n\n  * input"},
		{"int option", "--user-pool-id a --max-items x", nil, nil, "argument --max-items: invalid int value: 'x'"},
		{"help positional", "help", map[string][]string{"help": {"help"}}, nil, "the following arguments are required: --user-pool-id"},
		{"positional after options", "--user-pool-id a stray", map[string][]string{"UserPoolId": {"a"}, "help": {"stray"}}, nil, ""},
		{"double dash", "--user-pool-id a -- --username", map[string][]string{"UserPoolId": {"a"}, "help": {"--username"}}, nil, ""},
		{"explicit value for a flag", "--user-pool-id a --force=yes", nil, nil, "argument --force: ignored explicit argument 'yes'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, extras, err := opParser().ParseKnown(strings.Fields(tc.args))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for k, v := range res {
				got[k] = v.Strings
			}
			if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(extras, tc.extras) {
				t.Errorf("got %v extras %v, want %v extras %v", got, extras, tc.want, tc.extras)
			}
		})
	}
}

func TestBooleanPairs(t *testing.T) {
	res, _, err := opParser().ParseKnown([]string{"--user-pool-id", "a", "--force", "--no-force"})
	if err != nil || res["Force"] == nil || *res["Force"].Bool {
		t.Fatalf("--force --no-force: %+v %v", res["Force"], err)
	}
}

func TestCloseMatches(t *testing.T) {
	ops := []string{"get-log-delivery-configuration", "set-log-delivery-configuration", "list-user-pools", "describe-user-pool"}
	got := closeMatches("get-log-delivery-configurationz", ops, 3, 0.8)
	want := []string{"get-log-delivery-configuration", "set-log-delivery-configuration"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("closeMatches = %v, want %v (the spec's sample)", got, want)
	}
	if r := ratio("abcd", "bcde"); r != 0.75 {
		t.Errorf("ratio = %v", r)
	}
}
