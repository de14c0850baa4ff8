package shorthand

import (
	"strings"
	"unicode/utf8"
)

// ErrorKind tells the kinds of SyntaxError apart.
type ErrorKind int

const (
	// Unexpected: the parser wanted Expected and found Received.
	Unexpected ErrorKind = iota
	// DuplicateKey: a top-level key was given twice (Key).
	DuplicateKey
	// TooDeep: lists and hash literals nested more than MaxDepth levels.
	// The AWS CLI has no such check; CPython stops it with a RecursionError
	// at about 490 levels (see MaxDepth).
	TooDeep
)

// MaxDepth is the deepest nesting of explicit lists and hash literals
// Parse accepts. The AWS CLI recurses until CPython's recursion limit
// (about 490 levels of `[`, "maximum recursion depth exceeded", rc 255);
// this bound only keeps a huge loaded file from exhausting the stack.
const MaxDepth = 10000

// SyntaxError is a shorthand parse error. Error() is the AWS CLI v2
// message that follows "Error parsing parameter '--x': ".
type SyntaxError struct {
	Kind ErrorKind
	// Input is the whole token that was parsed.
	Input string
	// Offset is the byte offset in Input the error points at (the caret).
	Offset int
	// Expected is what the parser wanted: a character ("=", ",", "]") or a
	// value class ("<second>", "<singled quoted>", "<double quoted>").
	Expected string
	// Received is the character found, "EOF" at the end of the input, or
	// "<none>" when a value class did not match.
	Received string
	// Key is the repeated key of a DuplicateKey error.
	Key string
}

// Error returns the AWS CLI's message. An Unexpected error reads
//
//	Expected: ',', received: ']' for input:
//	 a=x]y
//	    ^
//
// with the single space v2 (since 2.24.21) puts before the echoed input,
// which shifts it one column right of the caret; a duplicate key has no
// such space.
func (e *SyntaxError) Error() string {
	switch e.Kind {
	case DuplicateKey:
		return `Second instance of key "` + e.Key + `" encountered for input:` + "\n" +
			location(e.Input, e.Offset) +
			"\nThis is often because there is a preceding \",\" instead of a space."
	case TooDeep:
		return "maximum recursion depth exceeded"
	}
	return "Expected: '" + e.Expected + "', received: '" + e.Received + "' for input:\n " +
		location(e.Input, e.Offset)
}

// location is ShorthandParseError._error_location: the input with a caret
// line inserted after the line that holds the error. The caret is indented
// by the error's column in characters (code points, as Python counts)
// from the start of that line; lines before and after are echoed too.
func location(input string, off int) string {
	if off > len(input) {
		off = len(input)
	}
	consumed, remaining := input, ""
	col := utf8.RuneCountInString(input[:off])
	if nl := strings.LastIndexByte(input[:off], '\n'); nl >= 0 {
		col = utf8.RuneCountInString(input[nl+1 : off])
	}
	if nl := strings.IndexByte(input[off:], '\n'); nl >= 0 {
		consumed, remaining = input[:off+nl], input[off+nl:]
	}
	return consumed + "\n" + strings.Repeat(" ", col) + "^" + remaining
}
