package params

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"regexp"
	"strings"
	"syscall"
	"unicode/utf8"

	python "github.com/cognate/cognate/internal/cli/py"
)

// resourceLoadingError is paramfile.ResourceLoadingError.
type resourceLoadingError struct{ msg string }

func (e *resourceLoadingError) Error() string { return e.msg }

// paramFile is paramfile.get_paramfile with the local prefixes: for a value
// that starts with file:// or fileb:// (case-sensitive) it returns the
// file's text (string) or bytes ([]byte) and true; for any other value it
// returns false.
func paramFile(v string, read func(string) ([]byte, error)) (any, bool, error) {
	for _, prefix := range []string{"file://", "fileb://"} {
		if strings.HasPrefix(v, prefix) {
			data, err := loadFile(prefix, v, read)
			return data, true, err
		}
	}
	return nil, false, nil
}

// loadFile is paramfile.get_file: path is the whole value, prefix included.
func loadFile(prefix, path string, read func(string) ([]byte, error)) (any, error) {
	filePath := expandVars(expandUser(path[len(prefix):]))
	data, err := read(filePath)
	if err != nil {
		return nil, &resourceLoadingError{fmt.Sprintf("Unable to load paramfile %s: %s", path, osErrorText(err, filePath))}
	}
	if prefix == "fileb://" {
		return data, nil
	}
	if !utf8.Valid(data) {
		return nil, &resourceLoadingError{fmt.Sprintf("Unable to load paramfile (%s), text contents could not be decoded.  If this is a binary file, please use the fileb:// prefix instead of the file:// prefix.", filePath)}
	}
	// Text mode: universal newlines.
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), nil
}

// osErrorText is str() of the OSError Python's open() or read() raises:
// "[Errno 2] No such file or directory: '/x'".
func osErrorText(err error, path string) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		text := errno.Error()
		if text != "" {
			text = strings.ToUpper(text[:1]) + text[1:]
		}
		return fmt.Sprintf("[Errno %d] %s: %s", int(errno), text, python.StrRepr(path))
	}
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Sprintf("[Errno 2] No such file or directory: %s", python.StrRepr(path))
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Sprintf("[Errno 13] Permission denied: %s", python.StrRepr(path))
	}
	return err.Error()
}

// expandUser is os.path.expanduser (POSIX).
func expandUser(path string) string {
	if !strings.HasPrefix(path, "~") {
		return path
	}
	i := strings.IndexByte(path[1:], '/') + 1
	if i == 0 {
		i = len(path)
	}
	var home string
	if i == 1 {
		if h, ok := os.LookupEnv("HOME"); ok {
			home = h
		} else {
			u, err := user.Current()
			if err != nil {
				return path
			}
			home = u.HomeDir
		}
	} else {
		u, err := user.Lookup(path[1:i])
		if err != nil {
			return path
		}
		home = u.HomeDir
	}
	home = strings.TrimRight(home, "/")
	if out := home + path[i:]; out != "" {
		return out
	}
	return "/"
}

var varRE = regexp.MustCompile(`\$([a-zA-Z0-9_]+|\{[^}]*\})`)

// expandVars is os.path.expandvars (POSIX): $name and ${name}; unknown
// variables are left as they are.
func expandVars(path string) string {
	if !strings.Contains(path, "$") {
		return path
	}
	i := 0
	for {
		loc := varRE.FindStringSubmatchIndex(path[i:])
		if loc == nil {
			return path
		}
		start, end := i+loc[0], i+loc[1]
		name := path[i+loc[2] : i+loc[3]]
		if strings.HasPrefix(name, "{") && strings.HasSuffix(name, "}") {
			name = name[1 : len(name)-1]
		}
		val, ok := os.LookupEnv(name)
		if !ok {
			i = end
			continue
		}
		tail := path[end:]
		path = path[:start] + val
		i = len(path)
		path += tail
	}
}
