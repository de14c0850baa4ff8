package output

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/value"
)

// The YAML output of the AWS CLI v2 is ruamel.yaml's YAML(typ='safe') with
// default_flow_style=False. With ruamel.yaml.clib installed (as in the CLI's
// installers) that is ruamel's SafeRepresenter, the YAML 1.2 implicit
// resolvers of ruamel.yaml.resolver, and libyaml's emitter (emitter.c as
// vendored by ruamel.yaml.clib). This file reproduces those three for
// JSON-shaped data: the representer builds a node graph (keys sorted,
// repeated lists/dicts shared), the serializer gives shared nodes anchors,
// and the emitter is a port of the parts of emitter.c that block-style
// documents of plain, single- and double-quoted scalars use.

const (
	tagPrefix = "tag:yaml.org,2002:"
	tagStr    = tagPrefix + "str"
	tagInt    = tagPrefix + "int"
	tagFloat  = tagPrefix + "float"
	tagBool   = tagPrefix + "bool"
	tagNull   = tagPrefix + "null"
)

type ykind int

const (
	yScalar ykind = iota
	ySeq
	yMap
)

type ynode struct {
	kind   ykind
	tag    string
	value  string   // scalars
	items  []*ynode // sequences
	keys   []*ynode // mappings, in order
	vals   []*ynode
	anchor string
}

// sliceID identifies a non-empty []any the way Python's id() identifies a
// list: the same backing array and length.
type sliceID struct {
	first *any
	n     int
}

// yamlRepresenter is ruamel's SafeRepresenter for the value types.
type yamlRepresenter struct {
	seen map[any]*ynode
}

func (r *yamlRepresenter) represent(v any) (*ynode, error) {
	var id any
	switch t := v.(type) {
	case *value.Object:
		id = t
	case []any:
		if len(t) > 0 {
			id = sliceID{&t[0], len(t)}
		}
	}
	if id != nil {
		if n, ok := r.seen[id]; ok {
			return n, nil
		}
	}
	switch t := v.(type) {
	case nil:
		return &ynode{kind: yScalar, tag: tagNull, value: "null"}, nil
	case bool:
		s := "false"
		if t {
			s = "true"
		}
		return &ynode{kind: yScalar, tag: tagBool, value: s}, nil
	case string:
		return &ynode{kind: yScalar, tag: tagStr, value: strings.ToValidUTF8(t, "\uFFFD")}, nil
	case int64:
		return &ynode{kind: yScalar, tag: tagInt, value: strconv.FormatInt(t, 10)}, nil
	case float64:
		var s string
		switch p := value.PyFloat(t); p {
		case "nan":
			s = ".nan"
		case "inf":
			s = ".inf"
		case "-inf":
			s = "-.inf"
		default:
			s = strings.ToLower(p)
		}
		return &ynode{kind: yScalar, tag: tagFloat, value: s}, nil
	case []any:
		n := &ynode{kind: ySeq, tag: tagPrefix + "seq"}
		if id != nil {
			r.seen[id] = n
		}
		for _, e := range t {
			c, err := r.represent(e)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, c)
		}
		return n, nil
	case *value.Object:
		n := &ynode{kind: yMap, tag: tagPrefix + "map"}
		r.seen[id] = n
		for _, k := range sortedKeys(t) {
			e, _ := t.Get(k)
			c, err := r.represent(e)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, &ynode{kind: yScalar, tag: tagStr, value: strings.ToValidUTF8(k, "\uFFFD")})
			n.vals = append(n.vals, c)
		}
		return n, nil
	}
	return nil, errUnsupported(v)
}

// The YAML 1.2 implicit resolvers of ruamel.yaml.resolver, keyed by the
// first characters they apply to (Python's re.match with a trailing $,
// which also matches before a final newline).
var yamlResolvers = []struct {
	tag   string
	first string
	re    *regexp.Regexp
}{
	{tagBool, "tTfF", regexp.MustCompile(`^(?:true|True|TRUE|false|False|FALSE)$`)},
	{tagFloat, "-+0123456789.", regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?` +
		`|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)` +
		`|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?` +
		`|[-+]?\.(?:inf|Inf|INF)` +
		`|\.(?:nan|NaN|NAN))$`)},
	{tagInt, "-+0123456789", regexp.MustCompile(`^(?:[-+]?0b[0-1_]+` +
		`|[-+]?0o?[0-7_]+` +
		`|[-+]?[0-9_]+` +
		`|[-+]?0x[0-9a-fA-F_]+)$`)},
	{tagPrefix + "merge", "<", regexp.MustCompile(`^(?:<<)$`)},
	{tagNull, "~nN", regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)},
	{tagPrefix + "timestamp", "0123456789", regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]` +
		`|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?` +
		`(?:[Tt]|[ \t]+)[0-9][0-9]?` +
		`:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?` +
		`(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)},
	{tagPrefix + "value", "=", regexp.MustCompile(`^(?:=)$`)},
	{tagPrefix + "yaml", "!&*", regexp.MustCompile(`^(?:!|&|\*)$`)},
}

// resolveImplicit is the tag a plain scalar with this text would load as.
func resolveImplicit(s string) string {
	if s == "" {
		return tagNull
	}
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range yamlResolvers {
		if !strings.ContainsRune(r.first, first) {
			continue
		}
		if r.re.MatchString(s) || (strings.HasSuffix(s, "\n") && r.re.MatchString(s[:len(s)-1])) {
			return r.tag
		}
	}
	return tagStr
}

// assignAnchors is the serializer's anchor pass: a node reached a second
// time gets the next "id%03d".
func assignAnchors(root *ynode) {
	seen := map[*ynode]bool{}
	last := 0
	var walk func(n *ynode)
	walk = func(n *ynode) {
		if seen[n] {
			if n.anchor == "" {
				last++
				n.anchor = fmt.Sprintf("id%03d", last)
			}
			return
		}
		seen[n] = true
		switch n.kind {
		case ySeq:
			for _, c := range n.items {
				walk(c)
			}
		case yMap:
			for i := range n.keys {
				walk(n.keys[i])
				walk(n.vals[i])
			}
		}
	}
	walk(root)
}

type scalarStyle int

const (
	stylePlain scalarStyle = iota
	styleSingle
	styleDouble
)

// yamlEmitter holds the state of libyaml's emitter.
type yamlEmitter struct {
	out []byte

	bestIndent, bestWidth int
	indent                int
	indents               []int
	column                int
	whitespace, indention bool
	openEnded             bool

	rootCtx, mappingCtx, simpleKeyCtx bool

	serialized map[*ynode]bool

	// analysis of the current node
	anchor       string
	alias        bool
	tagHandle    string
	tagSuffix    string
	plainImp     bool
	quotedImp    bool
	multiline    bool
	blockPlain   bool
	singleQuoted bool
	length       int
	style        scalarStyle
}

func dumpYAML(v any) ([]byte, error) {
	r := yamlRepresenter{seen: map[any]*ynode{}}
	root, err := r.represent(v)
	if err != nil {
		return nil, err
	}
	assignAnchors(root)
	e := yamlEmitter{
		bestIndent: 2, bestWidth: 80, indent: -1,
		whitespace: true, indention: true,
		serialized: map[*ynode]bool{},
	}
	// Implicit document start; the root node; the document end writes a
	// final line break; the stream end closes an open-ended root scalar.
	e.analyze(root)
	e.emitNode(root, true, false, false)
	e.writeIndent()
	if e.openEnded {
		e.writeIndicator("...", true, false, false)
		e.writeIndent()
	}
	return e.out, nil
}

func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	if e.indent < 0 {
		if flow {
			e.indent = e.bestIndent
		} else {
			e.indent = 0
		}
	} else if !indentless {
		e.indent += e.bestIndent
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

// analyze is yaml_emitter_analyze_event for the event the node starts with.
func (e *yamlEmitter) analyze(n *ynode) {
	e.anchor, e.alias = "", false
	e.tagHandle, e.tagSuffix = "", ""
	e.length = 0
	if e.serialized[n] {
		e.anchor, e.alias = n.anchor, true
		return
	}
	e.anchor = n.anchor
	if n.kind != yScalar {
		return // collection tags are implicit
	}
	e.plainImp = resolveImplicit(n.value) == n.tag
	e.quotedImp = n.tag == tagStr
	if !e.plainImp && !e.quotedImp {
		if strings.HasPrefix(n.tag, tagPrefix) && len(n.tag) > len(tagPrefix) {
			e.tagHandle, e.tagSuffix = "!!", n.tag[len(tagPrefix):]
		} else {
			e.tagSuffix = n.tag
		}
	}
	e.analyzeScalar(n.value)
}

func isBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// isBlankZ is libyaml's IS_BLANKZ: space, tab, a line break or NUL (the
// end of the string reads as NUL).
func isBlankZ(r rune) bool {
	return r == ' ' || r == '\t' || isBreak(r) || r == 0
}

// isPrintable is libyaml's IS_PRINTABLE: LF, printable ASCII, and the BMP
// from U+00A0 except surrogates, U+FEFF, U+FFFE and U+FFFF. Characters
// outside the BMP are not printable.
func isPrintable(r rune) bool {
	switch {
	case r == 0x0A, r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	}
	return false
}

// runeAt decodes the character at byte offset i; past the end it is NUL.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

// analyzeScalar is yaml_emitter_analyze_scalar, less what only flow
// context uses.
func (e *yamlEmitter) analyzeScalar(s string) {
	e.length = len(s)
	if s == "" {
		e.multiline = false
		e.blockPlain, e.singleQuoted = true, true
		return
	}
	var blockInd, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	var previousSpace, previousBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd = true
	}
	precededByWS := true
	_, w0 := runeAt(s, 0)
	next, _ := runeAt(s, w0)
	followedByWS := isBlankZ(next)
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockInd = true
			case '?', ':', '-':
				if followedByWS {
					blockInd = true
				}
			}
		} else {
			switch r {
			case ':':
				if followedByWS {
					blockInd = true
				}
			case '#':
				if precededByWS {
					blockInd = true
				}
			}
		}
		if !isPrintable(r) {
			special = true
		}
		if isBreak(r) {
			lineBreaks = true
		}
		switch {
		case r == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(s) {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case isBreak(r):
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(s) {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWS = isBlankZ(r)
		i += w
		if i < len(s) {
			_, nw := runeAt(s, i)
			nn, _ := runeAt(s, i+nw)
			followedByWS = isBlankZ(nn)
		}
	}
	e.multiline = lineBreaks
	e.blockPlain, e.singleQuoted = true, true
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		e.blockPlain = false
	}
	if breakSpace {
		e.blockPlain, e.singleQuoted = false, false
	}
	if spaceBreak || special {
		e.blockPlain, e.singleQuoted = false, false
	}
	if lineBreaks {
		e.blockPlain = false
	}
	if blockInd {
		e.blockPlain = false
	}
}

// emitNode is yaml_emitter_emit_node for an analyzed node.
func (e *yamlEmitter) emitNode(n *ynode, root, mapping, simpleKey bool) {
	e.rootCtx, e.mappingCtx, e.simpleKeyCtx = root, mapping, simpleKey
	if e.alias {
		e.processAnchor()
		return
	}
	e.serialized[n] = true
	switch n.kind {
	case yScalar:
		e.selectScalarStyle()
		e.processAnchor()
		e.processTag()
		e.increaseIndent(true, false)
		e.processScalar(n.value)
		e.popIndent()
	case ySeq:
		e.processAnchor()
		e.processTag()
		if len(n.items) == 0 {
			e.emitFlowEmpty("[", "]")
		} else {
			e.emitBlockSequence(n)
		}
	case yMap:
		e.processAnchor()
		e.processTag()
		if len(n.keys) == 0 {
			e.emitFlowEmpty("{", "}")
		} else {
			e.emitBlockMapping(n)
		}
	}
}

// emitFlowEmpty writes an empty sequence or mapping, the only flow
// collections of a default_flow_style=False dump ("[]", "{}").
func (e *yamlEmitter) emitFlowEmpty(open, close string) {
	e.writeIndicator(open, true, true, false)
	e.writeIndicator(close, false, false, false)
}

func (e *yamlEmitter) emitBlockSequence(n *ynode) {
	e.increaseIndent(false, e.mappingCtx && !e.indention)
	for _, c := range n.items {
		e.writeIndent()
		e.writeIndicator("-", true, false, true)
		e.analyze(c)
		e.emitNode(c, false, false, false)
	}
	e.popIndent()
}

func (e *yamlEmitter) emitBlockMapping(n *ynode) {
	e.increaseIndent(false, false)
	for i := range n.keys {
		e.writeIndent()
		e.analyze(n.keys[i])
		if e.checkSimpleKey(n.keys[i]) {
			e.emitNode(n.keys[i], false, true, true)
			e.writeIndicator(":", false, false, false)
		} else {
			e.writeIndicator("?", true, false, true)
			e.emitNode(n.keys[i], false, true, false)
			e.writeIndent()
			e.writeIndicator(":", true, false, true)
		}
		e.analyze(n.vals[i])
		e.emitNode(n.vals[i], false, true, false)
	}
	e.popIndent()
}

// checkSimpleKey is yaml_emitter_check_simple_key for the analyzed node.
func (e *yamlEmitter) checkSimpleKey(n *ynode) bool {
	length := len(e.anchor)
	if !e.alias {
		switch n.kind {
		case yScalar:
			if e.multiline {
				return false
			}
			length += len(e.tagHandle) + len(e.tagSuffix) + e.length
		case ySeq:
			if len(n.items) > 0 {
				return false
			}
			length += len(e.tagHandle) + len(e.tagSuffix)
		case yMap:
			if len(n.keys) > 0 {
				return false
			}
			length += len(e.tagHandle) + len(e.tagSuffix)
		}
	}
	return length <= 128
}

// selectScalarStyle is yaml_emitter_select_scalar_style for a scalar the
// representer left without a style.
func (e *yamlEmitter) selectScalarStyle() {
	noTag := e.tagHandle == "" && e.tagSuffix == ""
	style := stylePlain
	if e.simpleKeyCtx && e.multiline {
		style = styleDouble
	}
	if style == stylePlain {
		// (Block context: the only flow collections are empty.)
		if !e.blockPlain {
			style = styleSingle
		}
		if e.length == 0 && e.simpleKeyCtx {
			style = styleSingle
		}
		if noTag && !e.plainImp {
			style = styleSingle
		}
	}
	if style == styleSingle && !e.singleQuoted {
		style = styleDouble
	}
	if noTag && !e.quotedImp && style != stylePlain {
		e.tagHandle = "!"
	}
	e.style = style
}

func (e *yamlEmitter) processAnchor() {
	if e.anchor == "" {
		return
	}
	if e.alias {
		e.writeIndicator("*", true, false, false)
	} else {
		e.writeIndicator("&", true, false, false)
	}
	e.writeRaw(e.anchor)
	e.whitespace, e.indention = false, false
}

func (e *yamlEmitter) processTag() {
	switch {
	case e.tagHandle == "" && e.tagSuffix == "":
	case e.tagHandle != "":
		if !e.whitespace {
			e.put(' ')
		}
		e.writeRaw(e.tagHandle)
		e.whitespace, e.indention = false, false
		if e.tagSuffix != "" {
			e.writeTagContent(e.tagSuffix)
		}
	default:
		e.writeIndicator("!<", true, false, false)
		e.writeTagContent(e.tagSuffix)
		e.writeIndicator(">", false, false, false)
	}
}

func (e *yamlEmitter) writeTagContent(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' ||
			strings.IndexByte("-;/?:@&=+$,_.~*'()[]", c) >= 0 {
			e.put(c)
		} else {
			e.put('%')
			e.put("0123456789ABCDEF"[c>>4])
			e.put("0123456789ABCDEF"[c&0xf])
		}
	}
	e.whitespace, e.indention = false, false
}

func (e *yamlEmitter) processScalar(s string) {
	switch e.style {
	case stylePlain:
		e.writePlain(s, !e.simpleKeyCtx)
	case styleSingle:
		e.writeSingleQuoted(s, !e.simpleKeyCtx)
	default:
		e.writeDoubleQuoted(s, !e.simpleKeyCtx)
	}
}

// put writes one ASCII byte.
func (e *yamlEmitter) put(c byte) {
	e.out = append(e.out, c)
	e.column++
}

func (e *yamlEmitter) putBreak() {
	e.out = append(e.out, '\n')
	e.column = 0
}

// writeRaw copies characters, one column each.
func (e *yamlEmitter) writeRaw(s string) {
	e.out = append(e.out, s...)
	e.column += utf8.RuneCountInString(s)
}

func (e *yamlEmitter) writeBreak(s string, r rune) {
	if r == '\n' {
		e.putBreak()
		return
	}
	e.out = append(e.out, s...)
	e.column = 0
}

func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace, e.indention = true, true
}

func (e *yamlEmitter) writeIndicator(ind string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	e.writeRaw(ind)
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
	e.openEnded = false
}

func (e *yamlEmitter) writePlain(s string, allowBreaks bool) {
	if !e.whitespace {
		e.put(' ')
	}
	spaces, breaks := false, false
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		switch {
		case r == ' ':
			if next, _ := runeAt(s, i+1); allowBreaks && !spaces && e.column > e.bestWidth && next != ' ' {
				e.writeIndent()
			} else {
				e.writeRaw(s[i : i+w])
			}
			spaces = true
		case isBreak(r):
			if !breaks && r == '\n' {
				e.putBreak()
			}
			e.writeBreak(s[i:i+w], r)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			e.writeRaw(s[i : i+w])
			e.indention = false
			spaces, breaks = false, false
		}
		i += w
	}
	e.whitespace, e.indention = false, false
	if e.rootCtx {
		e.openEnded = true
	}
}

func (e *yamlEmitter) writeSingleQuoted(s string, allowBreaks bool) {
	e.writeIndicator("'", true, false, false)
	spaces, breaks := false, false
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		switch {
		case r == ' ':
			if next, _ := runeAt(s, i+1); allowBreaks && !spaces && e.column > e.bestWidth &&
				i != 0 && i != len(s)-1 && next != ' ' {
				e.writeIndent()
			} else {
				e.writeRaw(s[i : i+w])
			}
			spaces = true
		case isBreak(r):
			if !breaks && r == '\n' {
				e.putBreak()
			}
			e.writeBreak(s[i:i+w], r)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if r == '\'' {
				e.put('\'')
			}
			e.writeRaw(s[i : i+w])
			e.indention = false
			spaces, breaks = false, false
		}
		i += w
	}
	if breaks {
		e.writeIndent()
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

func (e *yamlEmitter) writeDoubleQuoted(s string, allowBreaks bool) {
	e.writeIndicator("\"", true, false, false)
	spaces := false
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		switch {
		case !isPrintable(r) || r == 0xFEFF || isBreak(r) || r == '"' || r == '\\':
			e.put('\\')
			switch r {
			case 0x00:
				e.put('0')
			case 0x07:
				e.put('a')
			case 0x08:
				e.put('b')
			case 0x09:
				e.put('t')
			case 0x0A:
				e.put('n')
			case 0x0B:
				e.put('v')
			case 0x0C:
				e.put('f')
			case 0x0D:
				e.put('r')
			case 0x1B:
				e.put('e')
			case 0x22:
				e.put('"')
			case 0x5C:
				e.put('\\')
			case 0x85:
				e.put('N')
			case 0xA0:
				e.put('_')
			case 0x2028:
				e.put('L')
			case 0x2029:
				e.put('P')
			default:
				var digits int
				switch {
				case r <= 0xFF:
					e.put('x')
					digits = 2
				case r <= 0xFFFF:
					e.put('u')
					digits = 4
				default:
					e.put('U')
					digits = 8
				}
				for k := (digits - 1) * 4; k >= 0; k -= 4 {
					e.put("0123456789ABCDEF"[(r>>k)&0xF])
				}
			}
			spaces = false
		case r == ' ':
			if allowBreaks && !spaces && e.column > e.bestWidth && i != 0 && i != len(s)-1 {
				e.writeIndent()
				if next, _ := runeAt(s, i+1); next == ' ' {
					e.put('\\')
				}
			} else {
				e.writeRaw(s[i : i+w])
			}
			spaces = true
		default:
			e.writeRaw(s[i : i+w])
			spaces = false
		}
		i += w
	}
	e.writeIndicator("\"", false, false, false)
	e.whitespace, e.indention = false, false
}

// formatYAML is the CLI's YAMLDumper.dump: a JSON scalar is written with
// json.dumps, anything else as a YAML document.
func formatYAML(v any) ([]byte, error) {
	if value.IsScalar(v) {
		out, err := jsonOut.Append(nil, v)
		if err != nil {
			return nil, err
		}
		return append(out, '\n'), nil
	}
	return dumpYAML(v)
}
