package prompt

import "testing"

func TestMode(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	none := env(nil)
	cases := []struct {
		name   string
		args   []string
		env    func(string) (string, bool)
		config string
		want   string
	}{
		{"default off", []string{"cognito-idp", "list-users"}, none, "", ModeOff},
		{"flag", []string{"cognito-idp", "--cli-auto-prompt"}, none, "", ModeOn},
		{"flag beats env and config", []string{"--cli-auto-prompt"}, env(map[string]string{"AWS_CLI_AUTO_PROMPT": "off"}), "off", ModeOn},
		{"no-flag beats env", []string{"--no-cli-auto-prompt"}, env(map[string]string{"AWS_CLI_AUTO_PROMPT": "on"}), "on", ModeOff},
		{"both flags: off", []string{"--cli-auto-prompt", "--no-cli-auto-prompt"}, none, "", ModeOff},
		{"help wins", []string{"cognito-idp", "help", "--cli-auto-prompt"}, none, "", ModeOff},
		{"help as a value still wins", []string{"cognito-idp", "list-users", "--user-pool-id", "help"}, none, "on", ModeOff},
		{"--version wins", []string{"--version", "--cli-auto-prompt"}, none, "on", ModeOff},
		{"abbreviation does not count", []string{"--cli-auto"}, none, "", ModeOff},
		{"env on", nil, env(map[string]string{"AWS_CLI_AUTO_PROMPT": "on"}), "", ModeOn},
		{"env case", nil, env(map[string]string{"AWS_CLI_AUTO_PROMPT": "On-Partial"}), "", ModeOnPartial},
		{"env beats config", nil, env(map[string]string{"AWS_CLI_AUTO_PROMPT": "off"}), "on", ModeOff},
		{"empty env beats config", nil, env(map[string]string{"AWS_CLI_AUTO_PROMPT": ""}), "on", ModeOff},
		{"config", nil, none, "on-partial", ModeOnPartial},
		{"config case", nil, none, "ON", ModeOn},
		{"unknown value", nil, none, "yes", ModeOff},
		{"nil env", nil, nil, "on", ModeOn},
	}
	for _, c := range cases {
		if got := Mode(c.args, c.env, c.config); got != c.want {
			t.Errorf("%s: Mode = %q, want %q", c.name, got, c.want)
		}
	}
}
