package params

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/names"
	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/shorthand"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// Arg is what the argument parser collected for one top-level member of
// the operation's input: the raw tokens (one for scalars and structures;
// zero or more for lists, each token one element unless a single token is
// JSON or a param file), or Bool for --flag / --no-flag.
type Arg struct {
	Member string // the model member name, "UserPoolId"
	// Option is the option as typed ("--user-pool-id", or an abbreviation).
	// Messages do not use it: like the CLI they name the argument by its
	// full name, "--" + botocore's xform_name(Member, "-").
	Option string
	Tokens []string // the values as typed
	Bool   *bool    // set for boolean members
}

// Binary formats (--cli-binary-format, cli_binary_format).
const (
	BinaryBase64         = "base64"
	BinaryRawInBase64Out = "raw-in-base64-out"
)

// Options are the global settings Build depends on.
type Options struct {
	// CLIInputJSON and CLIInputYAML are the values of --cli-input-json and
	// --cli-input-yaml when given (their "--cli-input-*" presence making
	// every option optional is the argument parser's business).
	CLIInputJSON, CLIInputYAML *string
	// BinaryFormat is "base64" (v2's default, also when empty) or
	// "raw-in-base64-out".
	BinaryFormat string
	// ReadFile reads a param file; its argument is the path after the
	// prefix with ~ and $VARS already expanded as Python's os.path does.
	// nil: os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// AfterArgs, when set, is called once every option's value is parsed
	// and before the --cli-input-* merge: where the CLI's own options
	// (after the members in its argument table) are built into the call's
	// parameters.
	AfterArgs func()
}

func (o *Options) read() func(string) ([]byte, error) {
	if o.ReadFile != nil {
		return o.ReadFile
	}
	return os.ReadFile
}

// Prepared is a request between parsing and validation: the parameters
// after param files, shorthand/JSON, coercion and the --cli-input-* merge.
// In the AWS CLI the client is created (which needs a region) between
// these two steps; Build does both at once.
type Prepared struct {
	// Params are the parameters in botocore's order: the options given,
	// in model order, then the keys --cli-input-* added, in their order.
	Params *value.Object
	py     *py
}

// Build turns the collected arguments into the operation's request
// parameters, running the whole pipeline of spec §2: Prepare, then
// Finalize. See the package documentation for the errors.
func Build(m *model.Model, op *model.Operation, args []Arg, o Options) (*value.Object, error) {
	p, err := Prepare(m, op, args, o)
	if err != nil {
		return nil, err
	}
	return p.Finalize(m, op, o)
}

// Prepare runs the CLI's side of the pipeline: for each argument in model
// order the param file, shorthand or JSON, and model coercion (stopping at
// the first error, as the CLI does), then the --cli-input-json/yaml merge.
func Prepare(m *model.Model, op *model.Operation, args []Arg, o Options) (*Prepared, error) {
	b := &builder{m: m, py: newPy(), read: o.read()}
	params := value.NewObject()
	if op.Input != "" {
		in := m.Shape(op.Input)
		byMember := map[string]Arg{}
		for _, a := range args {
			if in.MemberByName(a.Member) == nil {
				return nil, clierr.New(clierr.Other, "%s has no member %s", op.Name, a.Member)
			}
			byMember[a.Member] = a
		}
		for _, mem := range in.Members {
			a, ok := byMember[mem.Name]
			if !ok {
				continue
			}
			v, set, err := b.unpackArg(mem, a)
			if err != nil {
				return nil, err
			}
			if set {
				params.Set(mem.Name, v)
			}
		}
	} else if len(args) > 0 {
		return nil, clierr.New(clierr.Other, "%s has no input members", op.Name)
	}
	if o.AfterArgs != nil {
		o.AfterArgs()
	}
	if err := b.mergeCLIInput(params, o); err != nil {
		return nil, err
	}
	return &Prepared{Params: params, py: b.py}, nil
}

// Finalize runs botocore's side: base64 decoding of blob values (binary
// format base64), then ParamValidator. It returns the parameters to send.
func (p *Prepared) Finalize(m *model.Model, op *model.Operation, o Options) (*value.Object, error) {
	if err := p.Decode(m, op, o); err != nil {
		return nil, err
	}
	if err := p.Validate(m, op, p.Params); err != nil {
		return nil, err
	}
	return p.Params, nil
}

// Decode is the first half of Finalize: base64 decoding of blob values
// (binary format base64), in place.
func (p *Prepared) Decode(m *model.Model, op *model.Operation, o Options) error {
	if op.Input == "" {
		return nil
	}
	switch o.BinaryFormat {
	case "", BinaryBase64:
		if err := decodeBlobs(m, m.Shape(op.Input), p.Params); err != nil {
			return uncaught(err)
		}
	case BinaryRawInBase64Out:
	default:
		return clierr.New(clierr.Other, "Unknown binary format: %s", o.BinaryFormat)
	}
	return nil
}

// Validate is the second half of Finalize: botocore's ParamValidator on
// params, the request of one call. For a paginated operation botocore
// validates each page's request, with the page size and token injected,
// so the CLI calls it per page.
func (p *Prepared) Validate(m *model.Model, op *model.Operation, params *value.Object) error {
	if op.Input == "" {
		return nil
	}
	if report := validateParams(m, p.py, params, m.Shape(op.Input)); report != "" {
		return validationError(report)
	}
	return nil
}

func validationError(report string) *clierr.Error {
	return &clierr.Error{Kind: clierr.ParamValidation, Code: "ParamValidation", Message: "Parameter validation failed:\n" + report}
}

// paramError is argprocess.ParamError.
func paramError(cliName, msg string) *clierr.Error {
	return &clierr.Error{Kind: clierr.ParamParse, Code: "ParamValidation", Message: fmt.Sprintf("Error parsing parameter '%s': %s", cliName, msg)}
}

// uncaught reports a Python exception the AWS CLI does not handle.
func uncaught(err error) *clierr.Error {
	return &clierr.Error{Kind: clierr.Other, Message: err.Error(), Err: err}
}

type builder struct {
	m    *model.Model
	py   *py
	read func(string) ([]byte, error)
}

// pyError is an exception other than ValueError/TypeError (IndexError,
// AttributeError, …): argprocess' list unpacking does not turn it into a
// ParamError.
type pyError struct{ msg string }

func (e *pyError) Error() string { return e.msg }

// unpackArg is the CLI's handling of one top-level argument: argparse's
// type conversion, load-cli-arg (param files), process-cli-arg (shorthand)
// and unpack_cli_arg. set is false when the argument adds nothing.
func (b *builder) unpackArg(mem *model.Member, a Arg) (any, bool, error) {
	shape := b.m.Shape(mem.Shape)
	cliName := "--" + names.Xform(mem.Name)
	if a.Bool != nil {
		if shape.Type != "boolean" {
			return nil, false, clierr.New(clierr.Other, "%s is not a boolean option", cliName)
		}
		return *a.Bool, true, nil
	}
	if shape.Type == "boolean" && len(a.Tokens) == 0 {
		return nil, false, nil
	}
	var v any
	if shape.Type == "list" {
		tokens := make([]any, len(a.Tokens))
		for i, t := range a.Tokens {
			tokens[i] = t
		}
		v = tokens
	} else {
		if len(a.Tokens) != 1 {
			return nil, false, clierr.New(clierr.Usage, "argument %s: expected one argument", cliName)
		}
		v = a.Tokens[0]
		// argparse's type= for long (int) and float/double (float).
		switch shape.Type {
		case "long", "float", "double":
			conv, name := pyInt, "int"
			if shape.Type != "long" {
				conv, name = pyFloat, "float"
			}
			n, err := conv(a.Tokens[0])
			if err != nil {
				return nil, false, clierr.New(clierr.Usage, "argument %s: invalid %s value: %s", cliName, name, python.StrRepr(a.Tokens[0]))
			}
			v = n
		}
	}
	// load-cli-arg: param files, for a list only when one token was given.
	check := v
	if l, ok := v.([]any); ok && len(l) == 1 {
		check = l[0]
	}
	if s, ok := check.(string); ok {
		data, loaded, err := paramFile(s, b.read)
		if err != nil {
			return nil, false, paramError(cliName, err.Error())
		}
		if loaded {
			v = data
		}
	}
	out, err := b.processArg(shape, v, cliName)
	if err != nil {
		return nil, false, b.wrap(err, cliName)
	}
	return out, true, nil
}

// wrap turns the Python-side errors into clierr errors.
func (b *builder) wrap(err error, cliName string) error {
	var ce *clierr.Error
	if errors.As(err, &ce) {
		return ce
	}
	var se *shorthand.SyntaxError
	if errors.As(err, &se) {
		if se.Kind == shorthand.TooDeep {
			return uncaught(err)
		}
		return paramError(cliName, se.Error())
	}
	return uncaught(err)
}

// processArg is process-cli-arg (ParamShorthandParser) falling back to
// unpack_cli_arg.
func (b *builder) processArg(shape *model.Shape, v any, cliName string) (any, error) {
	check := v
	if l, ok := v.([]any); ok && len(l) > 0 {
		check = l[0]
	}
	looksJSON := false
	if s, ok := check.(string); ok {
		t := pyStrip(s)
		looksJSON = strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")
	}
	if !looksJSON && b.supportsShorthand(shape) {
		return b.parseShorthand(shape, v, cliName)
	}
	return b.unpackCLIArg(shape, v, cliName)
}

// supportsShorthand is argprocess._supports_shorthand_syntax.
func (b *builder) supportsShorthand(shape *model.Shape) bool {
	if b.isDocumentContainer(shape) {
		return false
	}
	switch shape.Type {
	case "structure", "map":
		return true
	case "list":
		switch b.m.Shape(shape.Member).Type {
		case "structure", "list", "map":
			return true
		}
	}
	return false
}

// isDocumentContainer is utils.is_document_type_container: a document, or
// lists and maps whose innermost values are documents.
func (b *builder) isDocumentContainer(shape *model.Shape) bool {
	for {
		switch {
		case shape.Document:
			return true
		case shape.Type == "list":
			shape = b.m.Shape(shape.Member)
		case shape.Type == "map":
			shape = b.m.Shape(shape.Value)
		default:
			return false
		}
	}
}

func (b *builder) loadForShorthand(prefix, path string) (any, error) {
	data, err := loadFile(prefix, prefix+path, b.read)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// parseShorthand is ParamShorthandParser._parse_as_shorthand.
func (b *builder) parseShorthand(shape *model.Shape, v any, cliName string) (any, error) {
	// The back-compat special case: a structure whose only member is a
	// string named Value takes a bare word.
	if shape.Type == "structure" && len(shape.Members) == 1 && shape.Members[0].Name == "Value" &&
		b.m.Shape(shape.Members[0].Shape).Type == "string" {
		switch t := v.(type) {
		case string:
			if !strings.Contains(t, "=") {
				obj := value.NewObject()
				obj.Set("Value", t)
				return obj, nil
			}
		case []byte:
			return nil, &pyValueError{"a bytes-like object is required, not 'str'"}
		}
	}
	opts := shorthand.Options{LoadFile: b.loadForShorthand}
	var parsed any
	switch t := v.(type) {
	case []any:
		list := make([]any, len(t))
		for i, e := range t {
			obj, err := shorthand.Parse(e.(string), opts)
			if err != nil {
				return nil, err
			}
			list[i] = obj
		}
		parsed = list
	case string:
		obj, err := shorthand.Parse(t, opts)
		if err != nil {
			return nil, err
		}
		parsed = obj
	case []byte:
		return nil, &pyValueError{"'in <string>' requires string as left operand, not int"}
	default:
		return nil, &pyValueError{fmt.Sprintf("unexpected %T", v)}
	}
	if _, err := b.backCompat(shape, parsed); err != nil {
		if de, ok := err.(*docInShorthand); ok {
			return nil, paramError(cliName, de.Error())
		}
		return nil, err
	}
	return parsed, nil
}

// errDocument is DocumentTypesNotSupportedError before a structure names
// the member.
var errDocument = errors.New("document type in shorthand")

// docInShorthand is the ShorthandParseError BackCompatVisitor raises for a
// document-typed member.
type docInShorthand struct{ member string }

func (e *docInShorthand) Error() string {
	return "Shorthand syntax does not support document types. Use JSON input for top-level argument to specify nested parameter: " + e.member
}

// backCompat is shorthand.BackCompatVisitor._visit for one value. It
// returns the value the parent must store (the same value when nothing
// changes); at the top level the CLI drops that replacement (the visitor's
// parent there is a throw-away dict).
func (b *builder) backCompat(shape *model.Shape, v any) (any, error) {
	switch {
	case shape.Type == "structure":
		if shape.Document && v != nil {
			return nil, errDocument
		}
		obj, ok := v.(*value.Object)
		if !ok {
			return v, nil
		}
		for _, mem := range shape.Members {
			child, present := obj.Get(mem.Name)
			nv, err := b.backCompat(b.m.Shape(mem.Shape), child)
			if err == errDocument {
				return nil, &docInShorthand{mem.Name}
			}
			if err != nil {
				return nil, err
			}
			if present {
				obj.Set(mem.Name, nv)
			}
		}
		return v, nil
	case shape.Type == "list":
		list, ok := v.([]any)
		if !ok {
			if v != nil {
				return []any{v}, nil
			}
			return v, nil
		}
		member := b.m.Shape(shape.Member)
		for i, e := range list {
			nv, err := b.backCompat(member, e)
			if err != nil {
				return nil, err
			}
			list[i] = nv
		}
		return v, nil
	case shape.Type == "map":
		obj, ok := v.(*value.Object)
		if !ok {
			return v, nil
		}
		vs := b.m.Shape(shape.Value)
		for _, k := range obj.Keys() {
			child, _ := obj.Get(k)
			nv, err := b.backCompat(vs, child)
			if err != nil {
				return nil, err
			}
			obj.Set(k, nv)
		}
		return v, nil
	}
	if v == nil {
		return nil, nil
	}
	switch shape.Type {
	case "integer", "long":
		return pyInt(v)
	case "float", "double":
		return pyFloat(v)
	case "boolean":
		switch t := v.(type) {
		case string:
			switch strings.ToLower(t) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		case []byte:
		default:
			return nil, &pyError{fmt.Sprintf("'%s' object has no attribute 'lower'", b.pyTypeShort(v))}
		}
	}
	return v, nil
}

func (b *builder) pyTypeShort(v any) string {
	s := b.py.typeName(v)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<class '"), "'>")
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// unpackCLIArg is argprocess._unpack_cli_arg.
func (b *builder) unpackCLIArg(shape *model.Shape, v any, cliName string) (any, error) {
	if shape.Document {
		return b.unpackJSON(v, cliName)
	}
	switch shape.Type {
	case "structure", "map", "list":
		return b.unpackComplex(shape, v, cliName)
	case "string", "float", "integer", "long", "boolean", "double", "blob", "timestamp":
		return b.unpackScalar(shape, v)
	}
	return b.py.str(v), nil
}

// unpackJSON is argprocess._unpack_json_cli_arg.
func (b *builder) unpackJSON(v any, cliName string) (any, error) {
	out, err := pyJSONLoads(v, b.py, true)
	if err != nil {
		var je *python.JSONDecodeError
		if errors.As(err, &je) {
			return nil, paramError(cliName, fmt.Sprintf("Invalid JSON: %s\nJSON received: %s", je.Msg, b.py.str(v)))
		}
		return nil, err
	}
	return out, nil
}

// firstAfterLStrip is value.lstrip()[0] for str and bytes.
func (b *builder) firstAfterLStrip(v any) (rune, error) {
	switch t := v.(type) {
	case string:
		s := pyLStrip(t)
		if s == "" {
			return 0, &pyError{"string index out of range"}
		}
		for _, r := range s {
			return r, nil
		}
	case []byte:
		s := strings.TrimLeft(string(t), " \t\n\r\v\f")
		if s == "" {
			return 0, &pyError{"index out of range"}
		}
		// bytes[0] is an int, never equal to a one-character str.
		return -1, nil
	}
	return 0, &pyError{fmt.Sprintf("'%s' object has no attribute 'lstrip'", b.pyTypeShort(v))}
}

// unpackComplex is argprocess._unpack_complex_cli_arg.
func (b *builder) unpackComplex(shape *model.Shape, v any, cliName string) (any, error) {
	switch shape.Type {
	case "structure", "map":
		first, err := b.firstAfterLStrip(v)
		if err != nil {
			return nil, err
		}
		if first == '{' {
			return b.unpackJSON(v, cliName)
		}
		return nil, paramError(cliName, "Invalid JSON:\n"+b.py.str(v))
	}
	// list
	var elems []any
	switch t := v.(type) {
	case string:
		first, err := b.firstAfterLStrip(t)
		if err != nil {
			return nil, err
		}
		if first == '[' {
			return b.unpackJSON(t, cliName)
		}
		for _, r := range t {
			elems = append(elems, string(r))
		}
	case []any:
		if len(t) == 1 {
			if s, ok := t[0].(string); ok {
				if single := pyStrip(s); strings.HasPrefix(single, "[") {
					return b.unpackJSON(s, cliName)
				}
			}
		}
		elems = t
	case []byte:
		for _, c := range t {
			elems = append(elems, int64(c))
		}
	default:
		return nil, &pyValueError{fmt.Sprintf("'%s' object is not iterable", b.pyTypeShort(v))}
	}
	member := b.m.Shape(shape.Member)
	out := make([]any, 0, len(elems))
	for _, e := range elems {
		u, err := b.unpackCLIArg(member, e, cliName)
		if err != nil {
			var ve *pyValueError
			if errors.As(err, &ve) {
				return nil, paramError(cliName, b.py.str(elems[0]))
			}
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// unpackScalar is argprocess.unpack_scalar_cli_arg.
func (b *builder) unpackScalar(shape *model.Shape, v any) (any, error) {
	switch shape.Type {
	case "integer", "long":
		return pyInt(v)
	case "float", "double":
		return pyFloat(v)
	case "boolean":
		if s, ok := v.(string); ok && strings.ToLower(s) == "false" {
			return false, nil
		}
		return python.Truthy(v), nil
	}
	return v, nil
}
