package params

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// Skeleton kinds (--generate-cli-skeleton's choices).
const (
	SkeletonInput     = "input"
	SkeletonYAMLInput = "yaml-input"
	SkeletonOutput    = "output"
)

// Skeleton returns what --generate-cli-skeleton prints (newline included):
//
//   - "input": botocore's ArgumentGenerator skeleton of the input as JSON
//     (indent 4, ensure_ascii), enums as their first value, blobs null;
//   - "yaml-input": the same shape as v2's ruamel round-trip YAML, each
//     member with an end-of-line comment "# [REQUIRED] <what the model
//     says of its type and bounds> Valid values are: A, B." (the texts are
//     this package's, since the committed model has no AWS prose);
//   - "output": the stub response (see OutputSkeleton) printed as the json
//     output format does (nothing for an empty response).
//
// As in the CLI the other options are still parsed first (their
// errors, and those of --cli-input-*, come before the skeleton), but their
// values are not used for "input" and "yaml-input".
func Skeleton(m *model.Model, op *model.Operation, kind string, args []Arg, o Options) (string, error) {
	switch kind {
	case SkeletonInput, SkeletonYAMLInput:
		if _, err := Prepare(m, op, args, o); err != nil {
			return "", err
		}
		if kind == SkeletonInput {
			return InputSkeletonJSON(m, op), nil
		}
		return InputSkeletonYAML(m, op), nil
	case SkeletonOutput:
		out, err := OutputSkeleton(m, op, args, o)
		if err != nil {
			return "", err
		}
		if out.Len() == 0 {
			return "", nil
		}
		var buf bytes.Buffer
		writeIndentJSON(&buf, out, false)
		buf.WriteByte('\n')
		return buf.String(), nil
	}
	return "", clierr.New(clierr.Usage, "argument --generate-cli-skeleton: Found invalid choice '%s'\n", kind)
}

// OutputSkeleton is --generate-cli-skeleton output up to the printing: the
// arguments are parsed and merged; botocore's Stubber validates the fake
// response (strings are their member names, list elements their shape's
// name, numbers 0, booleans true, timestamps 1970-01-01T00:00:00, blobs
// None) against the output shape, which fails for some operations (e.g.
// SetLogDeliveryConfiguration: a LogGroupArn of 11 characters is under the
// minimum of 20); then the call validates the parameters. The result's
// timestamps are the strings the json output prints.
func OutputSkeleton(m *model.Model, op *model.Operation, args []Arg, o Options) (*value.Object, error) {
	p, err := Prepare(m, op, args, o)
	if err != nil {
		return nil, err
	}
	stub := value.NewObject()
	if op.Output != "" {
		out := m.Shape(op.Output)
		g := &argGen{m: m, memberNames: true}
		stub, _ = noBlobs(g.gen(out, "")).(*value.Object)
		if report := validateParams(m, newPy(), stub, out); report != "" {
			return nil, validationError(report)
		}
	}
	if _, err := p.Finalize(m, op, o); err != nil {
		return nil, err
	}
	return isoTimes(stub).(*value.Object), nil
}

// noBlobs turns the skeleton's blob placeholders into None, as in Python.
func noBlobs(v any) any {
	switch t := v.(type) {
	case skBlob:
		return nil
	case *value.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			t.Set(k, noBlobs(e))
		}
	case []any:
		for i, e := range t {
			t[i] = noBlobs(e)
		}
	}
	return v
}

// isoTimes replaces the generated datetimes by their isoformat().
func isoTimes(v any) any {
	switch t := v.(type) {
	case yamlTime:
		return pyISOFormat(t.t, false)
	case *value.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			t.Set(k, isoTimes(e))
		}
	case []any:
		for i, e := range t {
			t[i] = isoTimes(e)
		}
	}
	return v
}

// skBlob is the blob placeholder of the skeletons: None in JSON, an empty
// !!binary in YAML.
type skBlob struct{}

var epoch = yamlTime{t: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}

// argGen is botocore.utils.ArgumentGenerator.
type argGen struct {
	m           *model.Model
	memberNames bool
	stack       []string
}

func (g *argGen) count(name string) int {
	n := 0
	for _, s := range g.stack {
		if s == name {
			n++
		}
	}
	return n
}

func (g *argGen) gen(shape *model.Shape, name string) any {
	g.stack = append(g.stack, shape.Name)
	defer func() { g.stack = g.stack[:len(g.stack)-1] }()
	switch shape.Type {
	case "structure":
		obj := value.NewObject()
		if g.count(shape.Name) > 1 {
			return obj
		}
		for _, mem := range shape.Members {
			obj.Set(mem.Name, g.gen(g.m.Shape(mem.Shape), mem.Name))
		}
		return obj
	case "list":
		elemName := ""
		if g.memberNames {
			elemName = shape.Member
		}
		return []any{g.gen(g.m.Shape(shape.Member), elemName)}
	case "map":
		obj := value.NewObject()
		obj.Set("KeyName", g.gen(g.m.Shape(shape.Value), ""))
		return obj
	case "string":
		if g.memberNames {
			return name
		}
		if len(shape.Enum) > 0 {
			return shape.Enum[0]
		}
		return ""
	case "integer", "long":
		return int64(0)
	case "float", "double":
		return 0.0
	case "boolean":
		return true
	case "timestamp":
		return epoch
	case "blob":
		return skBlob{}
	}
	return nil
}

// InputSkeletonJSON is --generate-cli-skeleton input (v2: enums take their
// first value).
func InputSkeletonJSON(m *model.Model, op *model.Operation) string {
	var tree any = value.NewObject()
	if op.Input != "" {
		tree = (&argGen{m: m}).gen(m.Shape(op.Input), "")
	}
	var buf bytes.Buffer
	writeIndentJSON(&buf, tree, true)
	buf.WriteByte('\n')
	return buf.String()
}

// writeIndentJSON is json.dump(v, indent=4) with the CLI's json_encoder
// (datetimes as isoformat(); the blob placeholder None).
func writeIndentJSON(buf *bytes.Buffer, v any, ensureASCII bool) {
	j := python.JSON{Indent: 4, Unicode: !ensureASCII, Default: skeletonJSONDefault}
	out, _ := j.Append(buf.AvailableBuffer(), v)
	buf.Write(out)
}

func skeletonJSONDefault(v any) (any, error) {
	switch t := v.(type) {
	case yamlTime:
		return pyISOFormat(t.t, false), nil
	case skBlob:
		return nil, nil
	}
	return bodyJSON.Default(v)
}

// InputSkeletonYAML is --generate-cli-skeleton yaml-input: ruamel's
// round-trip dump of YAMLArgumentGenerator's CommentedMap. Every member
// has an end-of-line comment; ruamel puts it two spaces after the first
// key of a mapping and one space after the others (the column of the
// preceding comment, 0, is kept).
func InputSkeletonYAML(m *model.Model, op *model.Operation) string {
	e := &yamlSkel{argGen: argGen{m: m}}
	if op.Input == "" {
		return "{}\n"
	}
	in := m.Shape(op.Input)
	if len(in.Members) == 0 {
		return "{}\n"
	}
	e.stack = append(e.stack, in.Name)
	e.mapping(in, 0, false)
	return e.buf.String()
}

type yamlSkel struct {
	argGen
	buf bytes.Buffer
}

// mapping writes the members of a structure at indent; inline: the first
// key goes on the current line (after "- ").
func (e *yamlSkel) mapping(shape *model.Shape, indent int, inline bool) {
	for i, mem := range shape.Members {
		if i > 0 || !inline {
			e.buf.WriteString(strings.Repeat(" ", indent))
		}
		e.buf.WriteString(yamlKey(mem.Name))
		e.buf.WriteByte(':')
		sep := " # "
		if i == 0 {
			sep = "  # "
		}
		comment := sep + memberComment(e.m, shape, mem)
		e.value(e.m.Shape(mem.Shape), mem.Name, indent, comment)
	}
}

// value writes a member's value after "key:" (and the comment, if any, at
// the end of that line).
func (e *yamlSkel) value(shape *model.Shape, name string, indent int, comment string) {
	e.stack = append(e.stack, shape.Name)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	switch shape.Type {
	case "structure":
		if e.count(shape.Name) > 1 || len(shape.Members) == 0 {
			e.buf.WriteString(" {}" + comment + "\n")
			return
		}
		e.buf.WriteString(comment + "\n")
		e.mapping(shape, indent+2, false)
	case "list":
		e.buf.WriteString(comment + "\n")
		e.buf.WriteString(strings.Repeat(" ", indent) + "- ")
		e.item(e.m.Shape(shape.Member), indent+2)
	case "map":
		e.buf.WriteString(comment + "\n")
		e.buf.WriteString(strings.Repeat(" ", indent+2) + "KeyName:")
		e.value(e.m.Shape(shape.Value), "", indent+2, "")
	default:
		e.buf.WriteString(" " + e.scalar(shape) + comment + "\n")
	}
}

// item writes a list element after "- ".
func (e *yamlSkel) item(shape *model.Shape, indent int) {
	e.stack = append(e.stack, shape.Name)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	switch shape.Type {
	case "structure":
		if e.count(shape.Name) > 1 || len(shape.Members) == 0 {
			e.buf.WriteString("{}\n")
			return
		}
		e.mapping(shape, indent, true)
	case "list":
		e.buf.WriteString("- ")
		e.item(e.m.Shape(shape.Member), indent+2)
	case "map":
		e.buf.WriteString("KeyName:")
		e.value(e.m.Shape(shape.Value), "", indent, "")
	default:
		e.buf.WriteString(e.scalar(shape) + "\n")
	}
}

func (e *yamlSkel) scalar(shape *model.Shape) string {
	switch shape.Type {
	case "string":
		if len(shape.Enum) > 0 {
			return yamlString(shape.Enum[0])
		}
		return "''"
	case "integer", "long":
		return "0"
	case "float", "double":
		return "0.0"
	case "boolean":
		return "true"
	case "timestamp":
		return "1970-01-01 00:00:00"
	case "blob":
		return "!!binary ''"
	}
	return "null"
}

var yamlIndicatorStart = regexp.MustCompile("^[-?:,\\[\\]{}#&*!|>'\"%@`]")

// yamlString is how ruamel writes a str: plain unless plain would read
// back as something else or is not allowed.
func yamlString(s string) string {
	quote := s == "" || yamlNullRE.MatchString(s) || yamlBoolRE.MatchString(s) ||
		yamlIntRE.MatchString(s) || yamlFloatRE.MatchString(s) || yamlTimeRE.MatchString(s) ||
		yamlIndicatorStart.MatchString(s) || strings.Contains(s, ": ") || strings.Contains(s, " #") ||
		strings.HasSuffix(s, ":") || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t")
	if !quote {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func yamlKey(s string) string { return yamlString(s) }

// memberComment is YAMLArgumentGenerator._add_member_comments with this
// package's description of the member's shape in place of AWS's prose.
func memberComment(m *model.Model, parent *model.Shape, mem *model.Member) string {
	shape := m.Shape(mem.Shape)
	var parts []string
	if parent.Required[mem.Name] {
		parts = append(parts, "[REQUIRED]")
	}
	parts = append(parts, describeShape(m, shape))
	if len(shape.Enum) > 0 {
		parts = append(parts, "Valid values are: "+strings.Join(shape.Enum, ", ")+".")
	}
	return strings.Join(parts, " ")
}

// describeShape says what a value of shape is, from the model alone.
func describeShape(m *model.Model, shape *model.Shape) string {
	bounds := func(unit, units string) string {
		plural := func(n int64) string {
			if n == 1 {
				return unit
			}
			return units
		}
		switch {
		case shape.Min != nil && shape.Max != nil && *shape.Min == *shape.Max:
			return fmt.Sprintf(" of exactly %d %s", *shape.Min, plural(*shape.Min))
		case shape.Min != nil && shape.Max != nil:
			return fmt.Sprintf(" of %d to %d %s", *shape.Min, *shape.Max, units)
		case shape.Min != nil:
			return fmt.Sprintf(" of at least %d %s", *shape.Min, plural(*shape.Min))
		case shape.Max != nil:
			return fmt.Sprintf(" of at most %d %s", *shape.Max, plural(*shape.Max))
		}
		return ""
	}
	sensitive := ""
	if shape.Sensitive {
		sensitive = " Sensitive: kept out of logs."
	}
	switch {
	case shape.Document:
		return "A document: any JSON value."
	case shape.Type == "string":
		if len(shape.Enum) > 0 {
			return "One value of the " + shape.Name + " set." + sensitive
		}
		return "A string" + bounds("character", "characters") + "." + sensitive
	case shape.Type == "integer" || shape.Type == "long":
		kind := "An integer"
		if shape.Type == "long" {
			kind = "A 64-bit integer"
		}
		switch {
		case shape.Min != nil && shape.Max != nil:
			return fmt.Sprintf("%s from %d to %d.", kind, *shape.Min, *shape.Max)
		case shape.Min != nil:
			return fmt.Sprintf("%s, at least %d.", kind, *shape.Min)
		case shape.Max != nil:
			return fmt.Sprintf("%s, at most %d.", kind, *shape.Max)
		}
		return kind + "."
	case shape.Type == "float" || shape.Type == "double":
		return "A number."
	case shape.Type == "boolean":
		return "true or false."
	case shape.Type == "timestamp":
		return "A date and time."
	case shape.Type == "blob":
		return "Binary data" + bounds("byte", "bytes") + ", base64 inline or raw from fileb://." + sensitive
	case shape.Type == "list":
		return "A list" + bounds("item", "items") + " of " + describeElement(m, m.Shape(shape.Member)) + "." + sensitive
	case shape.Type == "map":
		return "A map" + bounds("entry", "entries") + " from " + describeElement(m, m.Shape(shape.Key)) + " keys to " + describeElement(m, m.Shape(shape.Value)) + " values." + sensitive
	case shape.Type == "structure":
		return "An object of type " + shape.Name + "." + sensitive
	}
	return shape.Type + "."
}

// describeElement names the type of list elements and map keys/values.
func describeElement(m *model.Model, shape *model.Shape) string {
	switch {
	case shape.Document:
		return "documents"
	case shape.Type == "structure":
		return shape.Name + " objects"
	case shape.Type == "string" && len(shape.Enum) > 0:
		return shape.Name + " values"
	case shape.Type == "string":
		return "strings"
	case shape.Type == "integer", shape.Type == "long":
		return "integers"
	case shape.Type == "boolean":
		return "booleans"
	case shape.Type == "list":
		return "lists"
	case shape.Type == "map":
		return "maps"
	}
	return shape.Type + " values"
}
