package prompt

import "strings"

// The auto-prompt modes.
const (
	ModeOn        = "on"
	ModeOnPartial = "on-partial"
	ModeOff       = "off"
)

// Mode resolves the auto-prompt mode as the AWS CLI v2 does
// (awscli/clidriver.py resolve_auto_prompt_mode), returning ModeOn,
// ModeOnPartial or ModeOff:
//
//   - "off" when any argument is exactly "help" or "--version" (wherever
//     it stands, even as an option's value);
//   - "off" when an argument is exactly "--no-cli-auto-prompt", else "on"
//     when one is exactly "--cli-auto-prompt" (raw tokens, as the AWS CLI
//     looks before parsing: an abbreviation such as --cli-auto does not
//     count);
//   - else the AWS_CLI_AUTO_PROMPT environment variable when it is set
//     (even to ""), else configValue (the cli_auto_prompt setting of the
//     profile; "" when unset or when the profile does not exist), compared
//     case-insensitively; any value other than on and on-partial is "off".
//
// The caller reports both flags together (a ParamValidation error, rc 252)
// before calling Mode; given both, Mode answers "off".
func Mode(args []string, env func(string) (string, bool), configValue string) string {
	on, off := false, false
	for _, a := range args {
		switch a {
		case "help", "--version":
			return ModeOff
		case "--cli-auto-prompt":
			on = true
		case "--no-cli-auto-prompt":
			off = true
		}
	}
	if off {
		return ModeOff
	}
	if on {
		return ModeOn
	}
	v := configValue
	if env != nil {
		if e, ok := env("AWS_CLI_AUTO_PROMPT"); ok {
			v = e
		}
	}
	switch strings.ToLower(v) {
	case ModeOn:
		return ModeOn
	case ModeOnPartial:
		return ModeOnPartial
	}
	return ModeOff
}
