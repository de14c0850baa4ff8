package userpool

import "testing"

func TestParseUserFilter(t *testing.T) {
	ok := map[string]userFilter{
		`email = "a@example.com"`:             {attribute: "email", value: "a@example.com"},
		`given_name ^= "Jon"`:                 {attribute: "given_name", prefix: true, value: "Jon"},
		`family_name="Reddy"`:                 {attribute: "family_name", value: "Reddy"},
		`username = "a\"b"`:                   {attribute: "username", value: `a"b`},
		`cognito:user_status = "UNCONFIRMED"`: {attribute: "cognito:user_status", value: "UNCONFIRMED"},
		`status = "Enabled"`:                  {attribute: "status", value: "Enabled"},
	}
	for in, want := range ok {
		f, err := parseUserFilter(in)
		if err != nil || *f != want {
			t.Errorf("%q = %+v, %v; want %+v", in, f, err, want)
		}
	}
	if f, err := parseUserFilter(""); f != nil || err != nil {
		t.Errorf("empty filter: %v %v", f, err)
	}
	for _, bad := range []string{`email`, `email = a`, `email == "a"`, `email = "a`, `email = "a" and`, `custom:x = "a"`, `= "a"`, `email ~ "a"`} {
		if _, err := parseUserFilter(bad); err == nil || err.Error() != "InvalidParameterException: Error while parsing filter." {
			t.Errorf("%q: %v", bad, err)
		}
	}
	f, _ := parseUserFilter(`email ^= "ALICE"`)
	if !f.matches("alice@example.com") || f.matches("bob@example.com") {
		t.Error("email prefix should ignore case")
	}
	f, _ = parseUserFilter(`username = "Alice"`)
	if f.matches("alice") || !f.matches("Alice") {
		t.Error("username is case-sensitive")
	}
}
