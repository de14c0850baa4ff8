package awsclient

import (
	"errors"
	"os"
	"os/user"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The shared config and credentials files are read as botocore reads them
// (botocore/configloader.py raw_config_parse): Python's
// configparser.RawConfigParser with its defaults (delimiters "=" and ":",
// full-line "#" and ";" comments, strict duplicate checks, lower-cased
// option names, indented continuation lines, a DEFAULT section inherited by
// every section), then values that start with a newline parsed as nested
// "key = value" blocks (the "s3 =" / services sub-sections).

// iniSection is one section: option name to a string, or to a
// map[string]string for a nested block.
type iniSection map[string]any

// iniFile is a parsed file: its sections in file order.
type iniFile struct {
	names    []string
	sections map[string]iniSection
}

// errConfigNotFound: the path is not a regular file (botocore's
// ConfigNotFound, which callers skip).
var errConfigNotFound = errors.New("config file not found")

// errConfigParse: the file could not be parsed (botocore's
// ConfigParseError: "Unable to parse config file: <path>").
var errConfigParse = errors.New("config file could not be parsed")

// expandPath is os.path.expanduser(os.path.expandvars(p)).
func expandPath(p string) string {
	p = pyExpandVars(p)
	if !strings.HasPrefix(p, "~") {
		return p
	}
	rest := p[1:]
	i := strings.IndexByte(rest, '/')
	name, tail := rest, ""
	if i >= 0 {
		name, tail = rest[:i], rest[i:]
	}
	var home string
	if name == "" {
		if h, ok := os.LookupEnv("HOME"); ok {
			home = h
		} else if u, err := user.Current(); err == nil {
			home = u.HomeDir
		} else {
			return p
		}
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return p
		}
		home = u.HomeDir
	}
	if home != "/" {
		home = strings.TrimRight(home, "/")
	}
	if home == "" {
		home = "/"
	}
	return home + tail
}

var varRE = regexp.MustCompile(`\$([A-Za-z0-9_]+|\{[^}]*\})`)

// pyExpandVars is posixpath.expandvars: $name and ${name} are replaced when
// the variable is set and left as they are otherwise.
func pyExpandVars(p string) string {
	if !strings.Contains(p, "$") {
		return p
	}
	return varRE.ReplaceAllStringFunc(p, func(m string) string {
		name := m[1:]
		if strings.HasPrefix(name, "{") {
			name = name[1 : len(name)-1]
		}
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return m
	})
}

// readINI reads and parses path (already expanded).
func readINI(path string) (*iniFile, error) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil, errConfigNotFound
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errConfigParse
	}
	return parseINI(data)
}

// parseINI follows configparser.RawConfigParser._read (Python 3.11).
func parseINI(data []byte) (*iniFile, error) {
	if !utf8.Valid(data) {
		return nil, errConfigParse
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	lines := strings.SplitAfter(text, "\n")

	type rawSection struct {
		keys []string
		vals map[string][]string
	}
	newRaw := func() *rawSection { return &rawSection{vals: map[string][]string{}} }
	sections := map[string]*rawSection{}
	var order []string
	defaults := newRaw()
	added := map[string]bool{}

	var cur *rawSection
	curName, optName := "", ""
	indentLevel := 0
	bad := false
	for _, line := range lines {
		if line == "" {
			continue
		}
		stripped := strings.TrimSpace(line)
		comment := strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";")
		val := stripped
		if comment {
			val = ""
		}
		if val == "" {
			// An empty line belongs to a multi-line value; a comment line
			// neither adds to nor ends it.
			if !comment && cur != nil && optName != "" {
				if _, ok := cur.vals[optName]; ok {
					cur.vals[optName] = append(cur.vals[optName], "")
				}
			}
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t\n\r\f\v"))
		if cur != nil && optName != "" && indent > indentLevel {
			cur.vals[optName] = append(cur.vals[optName], val)
			continue
		}
		indentLevel = indent
		if strings.HasPrefix(val, "[") {
			if end := strings.LastIndexByte(val, ']'); end >= 2 {
				name := val[1:end]
				switch {
				case sections[name] != nil:
					if added[name] {
						return nil, errConfigParse // DuplicateSectionError
					}
					cur = sections[name]
				case name == "DEFAULT":
					cur = defaults
				default:
					cur = newRaw()
					sections[name] = cur
					order = append(order, name)
				}
				added[name] = true
				curName, optName = name, ""
				continue
			}
		}
		if cur == nil {
			return nil, errConfigParse // MissingSectionHeaderError
		}
		i := strings.IndexAny(val, "=:")
		if i < 0 {
			bad = true // ParsingError, raised after the whole file is read
			continue
		}
		opt := strings.ToLower(strings.TrimRight(val[:i], " \t\n\r\f\v"))
		if opt == "" {
			bad = true
		}
		key := curName + "\x00" + opt
		if added[key] {
			return nil, errConfigParse // DuplicateOptionError
		}
		added[key] = true
		if _, ok := cur.vals[opt]; !ok {
			cur.keys = append(cur.keys, opt)
		}
		cur.vals[opt] = []string{strings.TrimSpace(val[i+1:])}
		optName = opt
	}
	if bad {
		return nil, errConfigParse
	}
	join := func(v []string) string {
		return strings.TrimRight(strings.Join(v, "\n"), " \t\n\r\f\v")
	}
	f := &iniFile{sections: map[string]iniSection{}}
	for _, name := range order {
		rs := sections[name]
		sec := iniSection{}
		keys := append([]string(nil), rs.keys...)
		for _, k := range defaults.keys {
			if _, ok := rs.vals[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			raw, ok := rs.vals[k]
			if !ok {
				raw = defaults.vals[k]
			}
			v := join(raw)
			if strings.HasPrefix(v, "\n") {
				nested, err := parseNested(v)
				if err != nil {
					return nil, errConfigParse
				}
				sec[k] = nested
			} else {
				sec[k] = v
			}
		}
		f.names = append(f.names, name)
		f.sections[name] = sec
	}
	return f, nil
}

// parseNested is configloader._parse_nested.
func parseNested(v string) (map[string]string, error) {
	out := map[string]string{}
	for _, line := range strings.Split(v, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, errConfigParse
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return out, nil
}

// shlexSplit2 returns the second word of a section name such as
// `profile "my name"` the way configloader._parse_section does with
// shlex.split; ok is false unless there are exactly two words.
func shlexSplit2(s string) (string, bool) {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := rune(0)
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true // approximation: shlex only escapes \ " $ ` in "..."
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return "", false // shlex raises ValueError: the section is ignored
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) != 2 {
		return "", false
	}
	return words[1], true
}

// sharedConfig is botocore's session.full_config: the config file's
// profiles ("[default]", "[profile x]"), services and sso-session sections,
// with the credentials file's sections merged over the profiles.
type sharedConfig struct {
	profiles map[string]iniSection
	services map[string]iniSection
	// credsKeys records, per profile, which keys came from the
	// credentials file (for the "Found credentials in ..." message).
	credsKeys map[string]map[string]bool
}

// loadSharedConfig reads both files (paths expanded); a missing file is
// empty. The error is errConfigParse with the offending path.
func loadSharedConfig(configPath, credsPath string) (*sharedConfig, string, error) {
	sc := &sharedConfig{profiles: map[string]iniSection{}, services: map[string]iniSection{}, credsKeys: map[string]map[string]bool{}}
	cf, err := readINI(configPath)
	switch {
	case err == nil:
		for _, name := range cf.names {
			sec := cf.sections[name]
			switch {
			case strings.HasPrefix(name, "profile"):
				if p, ok := shlexSplit2(name); ok {
					sc.profiles[p] = sec
				}
			case strings.HasPrefix(name, "sso-session"):
			case strings.HasPrefix(name, "services"):
				if p, ok := shlexSplit2(name); ok {
					sc.services[p] = sec
				}
			case name == "default":
				sc.profiles[name] = sec
			}
		}
	case errors.Is(err, errConfigNotFound):
	default:
		return nil, configPath, err
	}
	crf, err := readINI(credsPath)
	switch {
	case err == nil:
		for _, name := range crf.names {
			sec := crf.sections[name]
			prof := sc.profiles[name]
			if prof == nil {
				prof = iniSection{}
				sc.profiles[name] = prof
			} else {
				// Copy: the config file's section is shared with nobody,
				// but keep the merge explicit.
				cp := iniSection{}
				for k, v := range prof {
					cp[k] = v
				}
				prof = cp
				sc.profiles[name] = prof
			}
			keys := map[string]bool{}
			for k, v := range sec {
				prof[k] = v
				keys[k] = true
			}
			sc.credsKeys[name] = keys
		}
	case errors.Is(err, errConfigNotFound):
	default:
		return nil, credsPath, err
	}
	return sc, "", nil
}

// str returns a flat string option of a section.
func (s iniSection) str(key string) (string, bool) {
	v, ok := s[key].(string)
	return v, ok
}
