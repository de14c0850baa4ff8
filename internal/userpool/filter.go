package userpool

import (
	"strings"

	"github.com/cognate/cognate/internal/api"
)

// userFilter is a parsed ListUsers Filter: `AttributeName = "value"` or
// `AttributeName ^= "value"` (prefix), one attribute only [DOC ListUsers].
type userFilter struct {
	attribute string
	prefix    bool
	value     string
}

// searchable are the attributes ListUsers can filter on, and whether the
// match ignores case: username and status are case-sensitive,
// cognito:user_status is not, the others are treated as case-insensitive
// (the archived guide says all searches are; inferred for the rest)
// [DOC, docs/research/issue4-facts.md §5].
var searchable = map[string]bool{
	"username": false, "email": true, "phone_number": true, "name": true, "given_name": true,
	"family_name": true, "preferred_username": true, "cognito:user_status": true, "status": false, "sub": true,
}

// errFilter is AWS's answer for a filter it cannot read [OBS].
func errFilter() error { return api.InvalidParameter("Error while parsing filter.") }

// parseUserFilter parses a Filter; an empty one matches every user.
func parseUserFilter(s string) (*userFilter, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	rest := strings.TrimLeft(s, " ")
	i := strings.IndexAny(rest, " =^")
	if i <= 0 {
		return nil, errFilter()
	}
	f := &userFilter{attribute: rest[:i]}
	rest = strings.TrimLeft(rest[i:], " ")
	switch {
	case strings.HasPrefix(rest, "^="):
		f.prefix, rest = true, rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	default:
		return nil, errFilter()
	}
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, `"`) {
		return nil, errFilter()
	}
	var value strings.Builder
	closed := false
	for j := 1; j < len(rest); j++ {
		c := rest[j]
		if c == '\\' && j+1 < len(rest) {
			j++
			value.WriteByte(rest[j])
			continue
		}
		if c == '"' {
			if strings.TrimSpace(rest[j+1:]) != "" {
				return nil, errFilter()
			}
			closed = true
			break
		}
		value.WriteByte(c)
	}
	if !closed {
		return nil, errFilter()
	}
	if _, ok := searchable[f.attribute]; !ok {
		return nil, errFilter()
	}
	f.value = value.String()
	return f, nil
}

// matches reports whether a user's value of the filter's attribute
// satisfies it.
func (f *userFilter) matches(value string) bool {
	want := f.value
	if searchable[f.attribute] {
		value, want = strings.ToLower(value), strings.ToLower(want)
	}
	if f.prefix {
		return strings.HasPrefix(value, want)
	}
	return value == want
}
