package sigv4

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxKeyFileBytes bounds a key file; a few thousand keys fit in far less.
const maxKeyFileBytes = 1 << 20

// LoadKeys reads access keys from the file at path, for Verifier.Keys. A key
// without an account gets defaultAccount (which may be empty: the Verifier's
// DefaultAccountID then applies). The file is in one of two formats, told
// apart by its first line that is neither blank nor a comment:
//
// CSV, one key a line:
//
//	# access_key_id,secret_access_key[,account_id]
//	AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY,123456789012
//	AKIDLOCAL,localsecret
//
// Blank lines and lines starting with '#' are ignored, fields are trimmed,
// and a first line "Access key ID,Secret access key" (the header of the
// accessKeys.csv the IAM console downloads) is skipped.
//
// The AWS CLI credentials file (INI), when the first line is a [section]:
//
//	[default]
//	aws_access_key_id = AKIAIOSFODNN7EXAMPLE
//	aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//	aws_account_id = 123456789012
//
// Each profile with aws_access_key_id and aws_secret_access_key is one key;
// its account is aws_account_id (the AWS CLI's own name for it) or
// account_id. Other settings (aws_session_token, region, ...) are ignored, as
// are profiles with neither key setting. Lines starting with '#' or ';' are
// comments.
//
// An access key ID may not contain whitespace, ',' or '/' (it is the first
// element of the credential scope); an account ID is 12 digits. A key listed
// twice with the same secret is kept once; with two secrets it is an error.
// A file with no key is an error, as strict mode would then refuse every
// request.
func LoadKeys(path string, defaultAccount string) (map[string]Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sigv4: read keys: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sigv4: read keys: %w", err)
	}
	if len(data) > maxKeyFileBytes {
		return nil, fmt.Errorf("sigv4: %s: key file larger than %d bytes", path, maxKeyFileBytes)
	}
	keys, err := parseKeyFile(string(data), defaultAccount)
	if err != nil {
		return nil, fmt.Errorf("sigv4: %s: %w", path, err)
	}
	return keys, nil
}

// ParseKeys reads access keys from a string such as an environment variable
// holds: entries access_key_id,secret_access_key[,account_id] separated by
// ';' or newlines, e.g.
//
//	COGNATE_KEYS='AKIDLOCAL,localsecret;AKIDOTHER,othersecret,210987654321'
//
// The rules are those of LoadKeys' CSV format.
func ParseKeys(s string, defaultAccount string) (map[string]Key, error) {
	keys, err := parseCSVKeys(strings.ReplaceAll(s, ";", "\n"), defaultAccount)
	if err != nil {
		return nil, fmt.Errorf("sigv4: keys: %w", err)
	}
	return keys, nil
}

func parseKeyFile(text, defaultAccount string) (map[string]Key, error) {
	text = strings.TrimPrefix(text, "\ufeff") // spreadsheet exports start with a BOM
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			return parseINIKeys(text, defaultAccount)
		}
		break
	}
	return parseCSVKeys(text, defaultAccount)
}

type keySet struct {
	keys           map[string]Key
	defaultAccount string
}

func newKeySet(defaultAccount string) (*keySet, error) {
	if defaultAccount != "" && !validAccount(defaultAccount) {
		return nil, fmt.Errorf("default account %q is not 12 digits", defaultAccount)
	}
	return &keySet{keys: map[string]Key{}, defaultAccount: defaultAccount}, nil
}

func (s *keySet) add(where, akid, secret, account string) error {
	switch {
	case akid == "":
		return fmt.Errorf("%s: empty access key ID", where)
	case strings.ContainsAny(akid, ",/") || hasSpaceOrControl(akid):
		return fmt.Errorf("%s: access key ID %q contains whitespace, ',' or '/'", where, akid)
	case secret == "":
		return fmt.Errorf("%s: empty secret access key for %s", where, akid)
	case hasSpaceOrControl(secret):
		return fmt.Errorf("%s: secret access key for %s contains whitespace", where, akid)
	case account != "" && !validAccount(account):
		return fmt.Errorf("%s: account ID %q is not 12 digits", where, account)
	}
	if account == "" {
		account = s.defaultAccount
	}
	k := Key{AccessKeyID: akid, SecretAccessKey: secret, AccountID: account}
	if old, ok := s.keys[akid]; ok && old != k {
		return fmt.Errorf("%s: access key ID %s listed twice with different secrets or accounts", where, akid)
	}
	s.keys[akid] = k
	return nil
}

func (s *keySet) result() (map[string]Key, error) {
	if len(s.keys) == 0 {
		return nil, errors.New("no access keys found")
	}
	return s.keys, nil
}

func parseCSVKeys(text, defaultAccount string) (map[string]Key, error) {
	set, err := newKeySet(defaultAccount)
	if err != nil {
		return nil, err
	}
	first := true
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if first && isCSVHeader(fields[0]) {
			first = false
			continue
		}
		first = false
		where := fmt.Sprintf("line %d", n+1)
		if len(fields) < 2 || len(fields) > 3 {
			return nil, fmt.Errorf("%s: want access_key_id,secret_access_key[,account_id], got %d fields", where, len(fields))
		}
		account := ""
		if len(fields) == 3 {
			account = fields[2]
		}
		if err := set.add(where, fields[0], fields[1], account); err != nil {
			return nil, err
		}
	}
	return set.result()
}

// isCSVHeader recognises the first column title of a key CSV:
// "Access key ID" (IAM console) or "access_key_id".
func isCSVHeader(field string) bool {
	return strings.EqualFold(strings.ReplaceAll(field, "_", " "), "access key id")
}

func parseINIKeys(text, defaultAccount string) (map[string]Key, error) {
	set, err := newKeySet(defaultAccount)
	if err != nil {
		return nil, err
	}
	type profile struct {
		name, start           string
		akid, secret, account string
		hasAKID, hasSecret    bool
	}
	var cur *profile
	flush := func() error {
		if cur == nil || (!cur.hasAKID && !cur.hasSecret) {
			return nil
		}
		where := fmt.Sprintf("%s [%s]", cur.start, cur.name)
		if !cur.hasAKID {
			return fmt.Errorf("%s: aws_secret_access_key without aws_access_key_id", where)
		}
		if !cur.hasSecret {
			return fmt.Errorf("%s: aws_access_key_id without aws_secret_access_key", where)
		}
		return set.add(where, cur.akid, cur.secret, cur.account)
	}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		where := fmt.Sprintf("line %d", n+1)
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("%s: section header %q has no closing ']'", where, line)
			}
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &profile{name: strings.TrimSpace(line[1 : len(line)-1]), start: where}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: want key = value, got %q", where, line)
		}
		if cur == nil {
			return nil, fmt.Errorf("%s: setting before the first [profile]", where)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "aws_access_key_id":
			cur.akid, cur.hasAKID = v, true
		case "aws_secret_access_key":
			cur.secret, cur.hasSecret = v, true
		case "aws_account_id", "account_id":
			cur.account = v
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return set.result()
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hasSpaceOrControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}
