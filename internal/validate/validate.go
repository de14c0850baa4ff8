package validate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/model"
)

// Validator checks requests against one model. It is safe for concurrent use.
type Validator struct {
	model    *model.Model
	mu       sync.RWMutex
	patterns map[string]*pattern
}

// New returns a Validator for m.
func New(m *model.Model) *Validator {
	return &Validator{model: m, patterns: map[string]*pattern{}}
}

// Request decodes body as the input of an operation whose input shape is
// shapeName, checks it, and returns the request as canonical JSON that holds
// only the model's members (exact names, null list elements dropped), ready
// for json.Unmarshal into the generated struct.
//
// It returns a SerializationException *api.Error when body is not JSON of the
// model's types, and an InvalidParameterException *api.Error listing every
// constraint violation.
func (v *Validator) Request(shapeName string, body []byte) ([]byte, error) {
	value, err := decode(body)
	if err != nil {
		return nil, err
	}
	switch value.(type) {
	case map[string]any:
	case []any:
		return nil, serializationError("Start of list found where not expected")
	default:
		// A top-level scalar or null: no message, as AWS answers [EMU].
		return nil, serializationError("")
	}
	shape := v.model.Shape(shapeName)
	clean, err := v.typecheck(shape, value, "")
	if err != nil {
		return nil, err
	}
	c := &collector{v: v}
	c.structure(shape, clean.(map[string]any), "", false)
	if len(c.errs) > 0 {
		return nil, &api.Error{Code: api.ErrInvalidParameter.Code, Message: c.message()}
	}
	out, err := json.Marshal(clean)
	if err != nil {
		// The cleaned tree holds only JSON values, so this cannot happen.
		return nil, fmt.Errorf("validate: re-encode request: %w", err)
	}
	return out, nil
}

// decode parses one JSON value with numbers kept as written. An empty body
// counts as {} (some clients send nothing for operations without input).
// A body that is not JSON gets a SerializationException with no message,
// as AWS's JSON framework answers it (research: Coral parser captures).
func decode(body []byte) (any, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return map[string]any{}, nil
	}
	if !utf8.Valid(body) {
		return nil, serializationError("")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, serializationError("")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, serializationError("")
	}
	return value, nil
}

// SerializationException is the error of AWS's JSON framework for a body it
// cannot read (HTTP 400). It is not a modelled Cognito exception.
const SerializationException = "SerializationException"

func serializationError(msg string) *api.Error {
	return &api.Error{Code: SerializationException, Message: msg}
}

// mismatch returns AWS's SerializationException for a JSON value of the
// wrong type. The texts are those of the Coral JSON deserializer as an
// emulator measured them on AWS ("STRING_VALUE can not be converted to an
// Integer", "Start of list found where not expected", …) [EMU].
func mismatch(shape *model.Shape, value any) *api.Error {
	switch value.(type) {
	case map[string]any:
		return serializationError("Start of structure or map found where not expected.")
	case []any:
		return serializationError("Start of list found where not expected")
	}
	switch shape.Type {
	case "structure", "map":
		return serializationError("Expected null")
	case "list":
		return serializationError("Expected list or null")
	}
	return serializationError(tokenName(value) + " can not be converted to " + javaType(shape.Type))
}

func tokenName(v any) string {
	switch t := v.(type) {
	case string:
		return "STRING_VALUE"
	case json.Number:
		return "NUMBER_VALUE"
	case bool:
		if t {
			return "TRUE_VALUE"
		}
		return "FALSE_VALUE"
	}
	return "NULL_VALUE"
}

func javaType(modelType string) string {
	switch modelType {
	case "integer":
		return "an Integer"
	case "long":
		return "a Long"
	case "boolean":
		return "a Boolean"
	case "timestamp":
		return "a Date"
	case "blob":
		return "a ByteBuffer"
	case "float":
		return "a Float"
	case "double":
		return "a Double"
	}
	return "a String"
}

// typecheck returns value with only the model's members, or a
// SerializationException for the first value of the wrong JSON type.
func (v *Validator) typecheck(shape *model.Shape, value any, path string) (any, error) {
	if value == nil {
		return nil, nil
	}
	if shape.Document {
		return value, nil
	}
	switch shape.Type {
	case "structure":
		obj, ok := value.(map[string]any)
		if !ok {
			return nil, mismatch(shape, value)
		}
		clean := make(map[string]any, len(shape.Members))
		for _, mem := range shape.Members {
			raw, present := obj[mem.Name]
			if !present {
				continue
			}
			cv, err := v.typecheck(v.model.Shape(mem.Shape), raw, join(path, mem.Name))
			if err != nil {
				return nil, err
			}
			if cv != nil {
				clean[mem.Name] = cv
			}
		}
		return clean, nil
	case "list":
		arr, ok := value.([]any)
		if !ok {
			return nil, mismatch(shape, value)
		}
		elem := v.model.Shape(shape.Member)
		clean := make([]any, 0, len(arr))
		for i, raw := range arr {
			// AWS drops null list elements rather than rejecting them
			// (spec/log-delivery.md §3).
			if raw == nil {
				continue
			}
			cv, err := v.typecheck(elem, raw, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			clean = append(clean, cv)
		}
		return clean, nil
	case "map":
		obj, ok := value.(map[string]any)
		if !ok {
			return nil, mismatch(shape, value)
		}
		val := v.model.Shape(shape.Value)
		clean := make(map[string]any, len(obj))
		for k, raw := range obj {
			if raw == nil {
				continue
			}
			cv, err := v.typecheck(val, raw, path+"."+k)
			if err != nil {
				return nil, err
			}
			clean[k] = cv
		}
		return clean, nil
	case "string":
		if _, ok := value.(string); !ok {
			return nil, mismatch(shape, value)
		}
	case "boolean":
		if _, ok := value.(bool); !ok {
			return nil, mismatch(shape, value)
		}
	case "integer", "long":
		n, ok := value.(json.Number)
		if !ok {
			return nil, mismatch(shape, value)
		}
		i, ok := truncate(n, shape.Type)
		if !ok {
			return nil, mismatch(shape, value)
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "float", "double", "timestamp":
		n, ok := value.(json.Number)
		if !ok {
			return nil, mismatch(shape, value)
		}
		if _, err := strconv.ParseFloat(string(n), 64); err != nil {
			return nil, mismatch(shape, value)
		}
	case "blob":
		s, ok := value.(string)
		if !ok {
			return nil, mismatch(shape, value)
		}
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return nil, serializationError("Invalid base64: " + s)
		}
	default:
		return nil, fmt.Errorf("validate: shape %s has unsupported type %s", shape.Name, shape.Type)
	}
	return value, nil
}

// truncate reads a JSON number as AWS's framework does for an integer
// member: a fraction is cut off (1.9 is 1) [EMU]; a value outside the Java
// type's range is refused (inferred).
func truncate(n json.Number, modelType string) (int64, bool) {
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(n), 64)
		if ferr != nil || math.IsNaN(f) || f >= math.MaxInt64 || f <= math.MinInt64 {
			return 0, false
		}
		i = int64(f) // conversion truncates toward zero
	}
	if modelType == "integer" && (i < math.MinInt32 || i > math.MaxInt32) {
		return 0, false
	}
	return i, true
}

func join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// collector walks a type-checked request and gathers constraint violations
// in AWS's order: members in model order, depth first, a container's own
// constraint before those of its elements.
type collector struct {
	v    *Validator
	errs []string
}

// maxReported is how many violations AWS lists: the header counts only those
// listed ("10 validation errors detected" for 27 violations, seen for
// DynamoDB and Kinesis) [OBS].
const maxReported = 10

func (c *collector) message() string {
	errs := c.errs
	if len(errs) > maxReported {
		errs = errs[:maxReported]
	}
	noun := "errors"
	if len(errs) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(errs), noun, strings.Join(errs, "; "))
}

// add records "Value 'X' at 'path' failed to satisfy constraint: <rule>";
// the value is left out for sensitive members, as AWS does
// (`Value at 'password' failed to satisfy constraint: …`, boto/boto3#2951).
func (c *collector) add(value string, sensitive bool, path, rule string) {
	if sensitive {
		c.errs = append(c.errs, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, rule))
		return
	}
	c.errs = append(c.errs, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, path, rule))
}

// memberPath is the path of a member as AWS names it: the member name with a
// lower-case first letter (`logConfigurations.1.member.logLevel`).
func memberPath(parent, name string) string {
	camel := strings.ToLower(name[:1]) + name[1:]
	if parent == "" {
		return camel
	}
	return parent + "." + camel
}

func (c *collector) structure(shape *model.Shape, obj map[string]any, path string, sensitive bool) {
	for _, mem := range shape.Members {
		mpath := memberPath(path, mem.Name)
		ms := c.v.model.Shape(mem.Shape)
		val, present := obj[mem.Name]
		if !present || val == nil {
			if !shape.Required[mem.Name] {
				continue
			}
			if !primitive(ms, mem) {
				c.errs = append(c.errs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", mpath))
				continue
			}
			// A required Java primitive is never null: AWS checks its
			// default instead (ListUserPools without MaxResults answers
			// "Value '0' at 'maxResults' … greater than or equal to 1",
			// aws/aws-sdk-js-v3#2335) [OBS].
			val = json.Number("0")
			if ms.Type == "boolean" {
				val = false
			}
		}
		c.value(ms, val, mpath, sensitive || ms.Sensitive)
	}
}

// primitive reports whether a member is held as a Java primitive: a number
// or boolean without the model's box trait.
func primitive(shape *model.Shape, mem *model.Member) bool {
	switch shape.Type {
	case "integer", "long", "boolean", "float", "double":
		return !mem.Box
	}
	return false
}

func (c *collector) value(shape *model.Shape, val any, path string, sensitive bool) {
	switch shape.Type {
	case "structure":
		if shape.Document {
			return
		}
		c.structure(shape, val.(map[string]any), path, sensitive)
	case "list":
		arr := val.([]any)
		if rule := lengthRule(shape, len(arr)); rule != "" {
			c.add(c.v.render(shape, val), sensitive, path, rule)
		}
		elem := c.v.model.Shape(shape.Member)
		if elem.Type == "structure" || elem.Type == "list" || elem.Type == "map" {
			for i, e := range arr {
				c.value(elem, e, fmt.Sprintf("%s.%d.member", path, i+1), sensitive || elem.Sensitive)
			}
			return
		}
		// Scalar elements are reported once, on the list, listing every
		// rule of the element shape: `Member must satisfy constraint:
		// [Member must have length less than or equal to 253, Member must
		// have length greater than or equal to 1, Member must satisfy
		// regular expression pattern: …]` (ACM, Cognito explicitAuthFlows) [OBS].
		if c.v.anyBreaks(elem, arr) {
			c.add(c.v.render(shape, val), sensitive || elem.Sensitive, path, "Member must satisfy constraint: ["+strings.Join(rulesOf(elem), ", ")+"]")
		}
	case "map":
		obj := val.(map[string]any)
		if rule := lengthRule(shape, len(obj)); rule != "" {
			c.add(c.v.render(shape, val), sensitive, path, rule)
		}
		keys := make([]any, 0, len(obj))
		values := make([]any, 0, len(obj))
		for _, k := range sortedKeys(obj) {
			keys = append(keys, k)
			values = append(values, obj[k])
		}
		// Keys before values, each once per map (Cognito Identity's
		// `logins`: "Map value must satisfy constraint: [...]") [OBS].
		if key := c.v.model.Shape(shape.Key); c.v.anyBreaks(key, keys) {
			c.add(c.v.render(shape, val), sensitive, path, "Map keys must satisfy constraint: ["+strings.Join(rulesOf(key), ", ")+"]")
		}
		if value := c.v.model.Shape(shape.Value); c.v.anyBreaks(value, values) {
			c.add(c.v.render(shape, val), sensitive, path, "Map value must satisfy constraint: ["+strings.Join(rulesOf(value), ", ")+"]")
		}
	default:
		for _, rule := range c.v.scalarRules(shape, val) {
			c.add(c.v.render(shape, val), sensitive, path, rule)
		}
	}
}

// anyBreaks reports whether one of values breaks a rule of shape.
func (v *Validator) anyBreaks(shape *model.Shape, values []any) bool {
	for _, e := range values {
		if len(v.scalarRules(shape, e)) > 0 {
			return true
		}
	}
	return false
}

// rulesOf lists every rule of a scalar shape in the order AWS prints them
// inside brackets: maximum, minimum, pattern, enum.
func rulesOf(shape *model.Shape) []string {
	var rules []string
	unit := "length"
	if shape.Type == "integer" || shape.Type == "long" {
		unit = "value"
	}
	if shape.Max != nil {
		rules = append(rules, fmt.Sprintf("Member must have %s less than or equal to %d", unit, *shape.Max))
	}
	if shape.Min != nil {
		rules = append(rules, fmt.Sprintf("Member must have %s greater than or equal to %d", unit, *shape.Min))
	}
	if shape.Pattern != "" {
		rules = append(rules, "Member must satisfy regular expression pattern: "+shape.Pattern)
	}
	if len(shape.Enum) > 0 {
		rules = append(rules, enumRule(shape))
	}
	return rules
}

// enumRule is the enum text. AWS's order of the values is its own: the two
// sets seen for log delivery are alphabetical ([ERROR, INFO],
// [userAuthEvents, userNotification], spec §3) while the model lists
// userNotification first, so values are sorted.
func enumRule(shape *model.Shape) string {
	return "Member must satisfy enum value set: [" + strings.Join(sortedCopy(shape.Enum), ", ") + "]"
}

// scalarRules returns the rules a scalar value breaks: length, then pattern,
// then enum, then range — the order AWS lists them in (e.g. SignUp with an
// empty password reports the length before the pattern).
func (v *Validator) scalarRules(shape *model.Shape, val any) []string {
	var rules []string
	switch shape.Type {
	case "string":
		s := val.(string)
		if r := lengthRule(shape, utf8.RuneCountInString(s)); r != "" {
			rules = append(rules, r)
		}
		if shape.Pattern != "" && !v.pattern(shape.Pattern).match(s) {
			rules = append(rules, "Member must satisfy regular expression pattern: "+shape.Pattern)
		}
		if len(shape.Enum) > 0 && !contains(shape.Enum, s) {
			rules = append(rules, enumRule(shape))
		}
	case "blob":
		b, _ := base64.StdEncoding.DecodeString(val.(string)) // type-checked already
		if r := lengthRule(shape, len(b)); r != "" {
			rules = append(rules, r)
		}
	case "integer", "long":
		n, _ := strconv.ParseInt(string(val.(json.Number)), 10, 64) // type-checked already
		if shape.Min != nil && n < *shape.Min {
			rules = append(rules, fmt.Sprintf("Member must have value greater than or equal to %d", *shape.Min))
		}
		if shape.Max != nil && n > *shape.Max {
			rules = append(rules, fmt.Sprintf("Member must have value less than or equal to %d", *shape.Max))
		}
	}
	return rules
}

func lengthRule(shape *model.Shape, n int) string {
	if shape.Min != nil && int64(n) < *shape.Min {
		return fmt.Sprintf("Member must have length greater than or equal to %d", *shape.Min)
	}
	if shape.Max != nil && int64(n) > *shape.Max {
		return fmt.Sprintf("Member must have length less than or equal to %d", *shape.Max)
	}
	return ""
}

// render prints a value as AWS's Java framework does in validation messages:
// lists as [a, b], maps as {k=v}, structures as
// `LogConfigurationType(logLevel=ERROR, s3Configuration=null, …)`.
func (v *Validator) render(shape *model.Shape, val any) string {
	if val == nil {
		return "null"
	}
	if shape.Sensitive {
		return "*** Sensitive Data Redacted ***"
	}
	switch shape.Type {
	case "structure":
		obj, ok := val.(map[string]any)
		if !ok || shape.Document {
			return fmt.Sprint(val)
		}
		parts := make([]string, 0, len(shape.Members))
		for _, mem := range shape.Members {
			parts = append(parts, memberPath("", mem.Name)+"="+v.render(v.model.Shape(mem.Shape), obj[mem.Name]))
		}
		return shape.Name + "(" + strings.Join(parts, ", ") + ")"
	case "list":
		arr := val.([]any)
		elem := v.model.Shape(shape.Member)
		parts := make([]string, len(arr))
		for i, e := range arr {
			parts[i] = v.render(elem, e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case "map":
		obj := val.(map[string]any)
		value := v.model.Shape(shape.Value)
		parts := make([]string, 0, len(obj))
		for _, k := range sortedKeys(obj) {
			parts = append(parts, k+"="+v.render(value, obj[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(val)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// pattern is a model pattern compiled for Go. AWS's framework applies Java's
// Matcher.matches, so the whole value must match.
type pattern struct {
	re *regexp.Regexp
	// notSuffix holds what the value must not end with: Go's RE2 has no
	// look-behind, so a trailing `(?<!X)$` of the model becomes this check.
	notSuffix string
}

func (p *pattern) match(s string) bool {
	if p.re == nil {
		return true
	}
	if p.notSuffix != "" && strings.HasSuffix(s, p.notSuffix) {
		return false
	}
	return p.re.MatchString(s)
}

var lookbehindSuffix = regexp.MustCompile(`\(\?<!\\?(.)\)\$$`)

func (v *Validator) pattern(src string) *pattern {
	v.mu.RLock()
	p, ok := v.patterns[src]
	v.mu.RUnlock()
	if ok {
		return p
	}
	p = compilePattern(src)
	v.mu.Lock()
	v.patterns[src] = p
	v.mu.Unlock()
	return p
}

// compilePattern translates a Java pattern of the model to Go. A pattern Go
// cannot express at all is not enforced (the model test lists none today).
func compilePattern(src string) *pattern {
	p := &pattern{}
	expr := src
	if m := lookbehindSuffix.FindStringSubmatch(expr); m != nil {
		p.notSuffix = m[1]
		expr = strings.TrimSuffix(expr, m[0]) + "$"
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return p
	}
	p.re = re
	return p
}

// Compiles reports whether every pattern of m is enforceable in Go; it
// returns the ones that are not.
func Compiles(m *model.Model) []string {
	var bad []string
	for _, name := range m.ShapeNames {
		s := m.Shapes[name]
		if s.Pattern != "" && compilePattern(s.Pattern).re == nil {
			bad = append(bad, name+": "+s.Pattern)
		}
	}
	return bad
}
