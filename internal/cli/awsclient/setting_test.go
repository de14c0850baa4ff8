package awsclient

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSetting reads one profile setting without a client: the profile
// named, else AWS_PROFILE, AWS_DEFAULT_PROFILE, default; AWS_CONFIG_FILE
// moves the file; no file or no profile is not found.
func TestSetting(t *testing.T) {
	home := isolate(t)
	if _, ok := Setting("", "cli_error_format"); ok {
		t.Fatal("found a setting without a config file")
	}
	writeAWSFiles(t, home, "[default]\ncli_error_format = json\n\n[profile p]\ncli_error_format = yaml\n", "")
	for _, c := range []struct {
		profile, env, want string
		ok                 bool
	}{
		{"", "", "json", true},
		{"p", "", "yaml", true},
		{"", "p", "yaml", true},
		{"nope", "", "", false},
	} {
		t.Setenv("AWS_PROFILE", c.env)
		if c.env == "" {
			os.Unsetenv("AWS_PROFILE")
		}
		if got, ok := Setting(c.profile, "cli_error_format"); got != c.want || ok != c.ok {
			t.Errorf("Setting(%q) with AWS_PROFILE=%q = %q %v, want %q %v", c.profile, c.env, got, ok, c.want, c.ok)
		}
	}
	other := filepath.Join(home, "other")
	if err := os.WriteFile(other, []byte("[default]\ncli_error_format = table\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", other)
	if got, _ := Setting("", "cli_error_format"); got != "table" {
		t.Errorf("AWS_CONFIG_FILE: %q", got)
	}
}
