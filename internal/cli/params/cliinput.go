package params

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cognate/cognate/internal/cli/clierr"
	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// mergeCLIInput is customizations/cliinput.py: --cli-input-json, then
// --cli-input-yaml (their calling-command handlers run in that order). The
// loaded keys are added when the command line did not give them.
func (b *builder) mergeCLIInput(params *value.Object, o Options) error {
	inputs := []struct {
		val  *string
		name string
		raw  any
	}{{val: o.CLIInputJSON, name: "cli-input-json"}, {val: o.CLIInputYAML, name: "cli-input-yaml"}}
	// Like every argument, the --cli-input-* values first go through
	// load-cli-arg (after the operation's own arguments), whose param-file
	// errors are ParamErrors.
	for i := range inputs {
		in := &inputs[i]
		if in.val == nil {
			continue
		}
		in.raw = *in.val
		data, loaded, err := paramFile(*in.val, b.read)
		if err != nil {
			return paramError("--"+in.name, err.Error())
		}
		if loaded {
			in.raw = data
		}
	}
	// Then the calling-command handlers, --cli-input-json's first.
	for _, in := range inputs {
		if in.val == nil {
			continue
		}
		if o.CLIInputJSON != nil && o.CLIInputYAML != nil {
			return &clierr.Error{Kind: clierr.ParamParse, Code: "ParamValidation", Message: "Only one --cli-input- parameter may be specified."}
		}
		var doc any
		var err error
		if in.name == "cli-input-json" {
			doc, err = pyJSONLoads(in.raw, b.py, false)
			if err != nil {
				var je *python.JSONDecodeError
				if errors.As(err, &je) {
					return paramError(in.name, "Invalid JSON received.")
				}
				return uncaught(err)
			}
		} else {
			doc, err = loadYAML(in.raw)
			if err != nil {
				return paramError(in.name, "Invalid YAML received.")
			}
		}
		obj, ok := doc.(*value.Object)
		if !ok {
			return paramError("--"+in.name, "Invalid type: expecting map, received "+b.py.typeName(doc))
		}
		for _, k := range obj.Keys() {
			if _, have := params.Get(k); !have {
				v, _ := obj.Get(k)
				params.Set(k, v)
			}
		}
	}
	return nil
}

// yamlTime is a YAML timestamp, which ruamel's safe loader turns into a
// datetime.date or a naive (UTC) datetime.datetime.
type yamlTime struct {
	t        time.Time
	dateOnly bool
}

func (y yamlTime) str() string {
	if y.dateOnly {
		return y.t.Format("2006-01-02")
	}
	s := y.t.Format("2006-01-02 15:04:05")
	if us := y.t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

func (y yamlTime) repr() string {
	if y.dateOnly {
		return fmt.Sprintf("datetime.date(%d, %d, %d)", y.t.Year(), int(y.t.Month()), y.t.Day())
	}
	s := fmt.Sprintf("datetime.datetime(%d, %d, %d, %d, %d", y.t.Year(), int(y.t.Month()), y.t.Day(), y.t.Hour(), y.t.Minute())
	us := y.t.Nanosecond() / 1000
	if y.t.Second() != 0 || us != 0 {
		s += fmt.Sprintf(", %d", y.t.Second())
	}
	if us != 0 {
		s += fmt.Sprintf(", %d", us)
	}
	return s + ")"
}

// loadYAML is YAML(typ='safe', pure=True).load: YAML 1.2, one document,
// duplicate keys refused, mappings as dict. A stream with no document is
// None.
func loadYAML(raw any) (any, error) {
	var r io.Reader
	switch t := raw.(type) {
	case string:
		r = strings.NewReader(t)
	case []byte:
		r = strings.NewReader(string(t))
	}
	dec := yaml.NewDecoder(r)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, errors.New("expected a single document in the stream")
	}
	y := &yamlBuilder{}
	return y.node(&doc, 0)
}

// yamlBuilder copies aliased nodes (Python shares them): the budget bounds
// the expansion of alias bombs, which are refused as invalid YAML.
type yamlBuilder struct{ nodes int }

const (
	yamlMaxDepth = 1000
	yamlMaxNodes = 1 << 20
)

var (
	yamlBoolRE    = regexp.MustCompile(`^(?:true|True|TRUE|false|False|FALSE)$`)
	yamlNullRE    = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yamlIntRE     = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$`)
	yamlFloatRE   = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yamlTimeRE    = regexp.MustCompile(`^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$`)
	yamlTimeParts = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$`)
)

func (y *yamlBuilder) node(n *yaml.Node, depth int) (any, error) {
	y.nodes++
	if depth > yamlMaxDepth || y.nodes > yamlMaxNodes {
		return nil, errors.New("too deep or too large")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return y.node(n.Content[0], depth+1)
	case yaml.AliasNode:
		return y.node(n.Alias, depth+1)
	case yaml.SequenceNode:
		if n.Style&yaml.TaggedStyle != 0 && shortTag(n.Tag) != "!!seq" {
			return nil, fmt.Errorf("unsupported tag %s", n.Tag)
		}
		list := []any{}
		for _, c := range n.Content {
			v, err := y.node(c, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.MappingNode:
		if n.Style&yaml.TaggedStyle != 0 && shortTag(n.Tag) != "!!map" {
			return nil, fmt.Errorf("unsupported tag %s", n.Tag)
		}
		return y.mapping(n, depth)
	case yaml.ScalarNode:
		return y.scalar(n)
	}
	return nil, fmt.Errorf("unexpected YAML node kind %d", n.Kind)
}

func shortTag(tag string) string {
	if strings.HasPrefix(tag, "tag:yaml.org,2002:") {
		return "!!" + strings.TrimPrefix(tag, "tag:yaml.org,2002:")
	}
	return tag
}

// mapping is SafeConstructor.construct_mapping after flatten_mapping: the
// pairs merged with << come first, explicit keys override them.
func (y *yamlBuilder) mapping(n *yaml.Node, depth int) (any, error) {
	var merged, own [][2]any
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
			(kn.Value == "<<" || shortTag(kn.Tag) == "!!merge") {
			src := vn
			if src.Kind == yaml.AliasNode {
				src = src.Alias
			}
			var sources []*yaml.Node
			switch src.Kind {
			case yaml.MappingNode:
				sources = []*yaml.Node{src}
			case yaml.SequenceNode:
				for _, s := range src.Content {
					if s.Kind == yaml.AliasNode {
						s = s.Alias
					}
					if s.Kind != yaml.MappingNode {
						return nil, errors.New("expected a mapping for merging")
					}
					sources = append(sources, s)
				}
			default:
				return nil, errors.New("expected a mapping or list of mappings for merging")
			}
			// Earlier sources win over later ones.
			var pairs [][2]any
			for k := len(sources) - 1; k >= 0; k-- {
				m, err := y.node(sources[k], depth+1)
				if err != nil {
					return nil, err
				}
				obj := m.(*value.Object)
				for _, key := range obj.Keys() {
					v, _ := obj.Get(key)
					pairs = append(pairs, [2]any{key, v})
				}
			}
			merged = append(merged, pairs...)
			continue
		}
		k, err := y.node(kn, depth+1)
		if err != nil {
			return nil, err
		}
		var key string
		switch t := k.(type) {
		case string:
			key = t
		case nil, bool, int64, float64:
			key = newPy().str(t)
		default:
			return nil, errors.New("found unhashable key")
		}
		if seen[key] {
			return nil, fmt.Errorf("found duplicate key %q", key)
		}
		seen[key] = true
		v, err := y.node(vn, depth+1)
		if err != nil {
			return nil, err
		}
		own = append(own, [2]any{key, v})
	}
	obj := value.NewObject()
	for _, p := range append(merged, own...) {
		obj.Set(p[0].(string), p[1])
	}
	return obj, nil
}

func (y *yamlBuilder) scalar(n *yaml.Node) (any, error) {
	s := n.Value
	tag := ""
	switch {
	case n.Style&yaml.TaggedStyle != 0:
		tag = shortTag(n.Tag)
		if tag == "!" {
			tag = "!!str"
		}
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		tag = "!!str"
	default:
		switch {
		case yamlNullRE.MatchString(s):
			tag = "!!null"
		case yamlBoolRE.MatchString(s):
			tag = "!!bool"
		case yamlIntRE.MatchString(s) && strings.Trim(s, "+-_") != "":
			tag = "!!int"
		case yamlFloatRE.MatchString(s):
			tag = "!!float"
		case yamlTimeRE.MatchString(s):
			tag = "!!timestamp"
		default:
			tag = "!!str"
		}
	}
	switch tag {
	case "!!str":
		return s, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	case "!!int":
		return yamlInt(s)
	case "!!float":
		return yamlFloat(s)
	case "!!binary":
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				return -1
			}
			return r
		}, s)
		data, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			return nil, err
		}
		return data, nil
	case "!!timestamp":
		return yamlTimestamp(s)
	}
	return nil, fmt.Errorf("could not determine a constructor for the tag %s", tag)
}

func yamlInt(s string) (any, error) {
	v := strings.ReplaceAll(s, "_", "")
	neg := false
	if v != "" && (v[0] == '-' || v[0] == '+') {
		neg = v[0] == '-'
		v = v[1:]
	}
	base := 10
	switch {
	case v == "":
		return nil, errors.New("empty integer")
	case strings.HasPrefix(v, "0b"):
		base, v = 2, v[2:]
	case strings.HasPrefix(v, "0x"):
		base, v = 16, v[2:]
	case strings.HasPrefix(v, "0o"):
		base, v = 8, v[2:]
	}
	n, err := strconv.ParseInt(v, base, 64)
	if err != nil {
		u, err2 := strconv.ParseUint(v, base, 64)
		if err2 != nil {
			return nil, err
		}
		f := float64(u)
		if neg {
			f = -f
		}
		return f, nil
	}
	if neg {
		n = -n
	}
	return n, nil
}

func yamlFloat(s string) (any, error) {
	v := strings.ToLower(strings.ReplaceAll(s, "_", ""))
	sign := 1.0
	if v != "" && (v[0] == '-' || v[0] == '+') {
		if v[0] == '-' {
			sign = -1
		}
		v = v[1:]
	}
	switch v {
	case ".inf":
		return sign * math.Inf(1), nil
	case ".nan":
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !isRangeErr(err) {
		return nil, err
	}
	return sign * f, nil
}

func yamlTimestamp(s string) (any, error) {
	m := yamlTimeParts.FindStringSubmatch(s)
	if m == nil {
		return nil, errors.New("bad timestamp")
	}
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	if m[4] == "" {
		t := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), 0, 0, 0, 0, time.UTC)
		if t.Day() != atoi(m[3]) {
			return nil, errors.New("day is out of range for month")
		}
		return yamlTime{t: t, dateOnly: true}, nil
	}
	frac := m[7]
	if len(frac) > 6 {
		frac = frac[:6]
	}
	for len(frac) < 6 {
		frac += "0"
	}
	t := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6]), atoi(frac)*1000, time.UTC)
	if m[9] != "" {
		delta := time.Duration(atoi(m[10]))*time.Hour + time.Duration(atoi(m[11]))*time.Minute
		if m[9] == "-" {
			delta = -delta
		}
		t = t.Add(-delta)
	}
	return yamlTime{t: t}, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
