package shorthand

// Character classes of unquoted values. The AWS CLI defines them as Python
// `re` classes bounded by \uffff (ShorthandParser._START_WORD,
// _FIRST_FOLLOW_CHARS, _SECOND_FOLLOW_CHARS), so characters above the BMP
// are never part of an unquoted value, and control characters other than
// Python's `\s` whitespace are excluded from the continuation classes.
//
// A byte that is not valid UTF-8 is passed to these functions as
// utf8.RuneError and counts as a BMP character, the way Python sees such a
// byte of argv (decoded with surrogateescape to U+DC80..U+DCFF).

// isStart reports whether r may begin an unquoted value: `!`..U+FFFF
// except `"` `'` `,` `=` `[` `{`.
func isStart(r rune) bool {
	if r < '!' || r > 0xFFFF {
		return false
	}
	switch r {
	case '"', '\'', ',', '=', '[', '{':
		return false
	}
	return true
}

// isFirstFollow reports whether r may continue a first value (the only
// value of a key, or an element of an explicit list or hash literal):
// whitespace and `!`..U+FFFF except `"` `'` `,` `]` `}`.
func isFirstFollow(r rune) bool {
	if isReSpace(r) {
		return true
	}
	if r < '!' || r > 0xFFFF {
		return false
	}
	switch r {
	case '"', '\'', ',', ']', '}':
		return false
	}
	return true
}

// isSecondFollow reports whether r may continue a later csv value:
// whitespace and `!`..U+FFFF except `"` `'` `,` `=`.
func isSecondFollow(r rune) bool {
	if isReSpace(r) {
		return true
	}
	if r < '!' || r > 0xFFFF {
		return false
	}
	switch r {
	case '"', '\'', ',', '=':
		return false
	}
	return true
}

// isReSpace is Python's `\s` for str patterns, which is also what
// str.isspace() and str.rstrip() use: note U+001C..U+001F, which Go's
// unicode.IsSpace leaves out.
func isReSpace(r rune) bool {
	switch {
	case r >= 0x09 && r <= 0x0D, r >= 0x1C && r <= 0x20:
		return true
	case r < 0x85:
		return false
	}
	switch r {
	case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isSkipSpace is Python's string.whitespace, the only characters the
// parser skips between tokens.
func isSkipSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}
