package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/cognate/cognate/internal/model/ordered"
)

// Service names one service model this package holds.
type Service struct {
	Name       string // botocore's directory name, e.g. "cognito-idp"
	APIVersion string // e.g. "2016-04-18"
	GoFile     string // the generated literal in this package
	Compiled   string // the generated function returning the literal
}

// The services Cognate speaks: the user-pool API, and the built-in
// CloudWatch Logs and Amazon Data Firehose that user pools export logs to.
var (
	CognitoIDPService = Service{Name: "cognito-idp", APIVersion: "2016-04-18", GoFile: "cognitoidp_gen.go", Compiled: "compiledCognitoIDP"}
	LogsService       = Service{Name: "logs", APIVersion: "2014-03-28", GoFile: "logs_gen.go", Compiled: "compiledLogs"}
	FirehoseService   = Service{Name: "firehose", APIVersion: "2015-08-04", GoFile: "firehose_gen.go", Compiled: "compiledFirehose"}
)

// ServiceFile is the committed service model of s, in botocore's file
// name, relative to this package's directory.
func (s Service) ServiceFile() string { return s.Name + "/service-2.json" }

// PaginatorsFile is the committed paginators file of s.
func (s Service) PaginatorsFile() string { return s.Name + "/paginators-1.json" }

// Model is the API of one service.
type Model struct {
	Metadata   Metadata
	Operations []*Operation // in model order
	Shapes     map[string]*Shape
	ShapeNames []string // in model order
	Paginators map[string]*Paginator

	opsByName map[string]*Operation
}

// Metadata is the model's "metadata" object.
type Metadata struct {
	APIVersion       string
	EndpointPrefix   string
	JSONVersion      string
	Protocol         string
	ServiceFullName  string
	ServiceID        string
	SignatureVersion string
	TargetPrefix     string
	SigningName      string
}

// Operation is one API action.
type Operation struct {
	Name   string
	Input  string   // input shape name ("" if none)
	Output string   // output shape name ("" if none)
	Errors []string // modelled error shape names, in model order
	// NoAuth is true for the operations the model marks smithy.api#noAuth
	// (authtype "none"): they are called with tokens or nothing, not SigV4.
	NoAuth bool
}

// Shape is a named type.
type Shape struct {
	Name      string
	Type      string // structure, list, map, string, integer, long, boolean, blob, timestamp
	Members   []*Member
	Required  map[string]bool
	Member    string // list element shape
	Key       string // map key shape
	Value     string // map value shape
	Min, Max  *int64
	Pattern   string
	Enum      []string
	Sensitive bool
	Exception bool
	Fault     bool
	Document  bool

	memberIndex map[string]*Member
}

// MemberByName returns a structure member, or nil.
func (s *Shape) MemberByName(name string) *Member { return s.memberIndex[name] }

// Member is a member of a structure.
type Member struct {
	Name       string
	Shape      string
	Deprecated bool
	// Box marks a member AWS's framework holds as a nullable object. A
	// numeric or boolean member without it is a Java primitive: absent
	// means 0 or false, never null.
	Box bool
}

// Paginator describes how an operation pages through results. Some
// paginators (in the logs model) have several tokens or result keys: the
// lists hold them all, the single fields the first.
type Paginator struct {
	InputToken  string
	OutputToken string
	LimitKey    string
	ResultKey   string

	InputTokens  []string
	OutputTokens []string
	ResultKeys   []string
}

// Operation returns the named operation, or nil.
func (m *Model) Operation(name string) *Operation { return m.opsByName[name] }

// Shape returns the named shape; it panics on a name the model lacks, which
// can only be a programming error since shape names come from the model.
func (m *Model) Shape(name string) *Shape {
	s, ok := m.Shapes[name]
	if !ok {
		panic(fmt.Sprintf("model: unknown shape %q", name))
	}
	return s
}

// CognitoIDP returns the cognito-idp model. Models are compiled into the
// binary (cognitoidp_gen.go, logs_gen.go: generated from the committed
// JSON, which a test keeps equal to them), so that neither the server nor
// the command line spends its start-up parsing hundreds of KB of JSON.
var CognitoIDP = compiled(compiledCognitoIDP)

// Logs returns the CloudWatch Logs model.
var Logs = compiled(compiledLogs)

// Firehose returns the Amazon Data Firehose model.
var Firehose = compiled(compiledFirehose)

// compiled returns a function that builds the model once.
func compiled(build func() *Model) func() *Model {
	return sync.OnceValue(func() *Model {
		m := build()
		m.index()
		return m
	})
}

// ptr is used by the generated literals.
func ptr(v int64) *int64 { return &v }

// index builds the lookup tables Parse builds.
func (m *Model) index() {
	m.opsByName = make(map[string]*Operation, len(m.Operations))
	for _, op := range m.Operations {
		m.opsByName[op.Name] = op
	}
	for _, s := range m.Shapes {
		if s.Type == "structure" {
			s.memberIndex = make(map[string]*Member, len(s.Members))
			for _, mem := range s.Members {
				s.memberIndex[mem.Name] = mem
			}
		}
	}
}

// Parse builds a Model from botocore-format service and paginator JSON.
func Parse(service, paginators []byte) (*Model, error) {
	root, err := ordered.Decode(bytes.NewReader(service))
	if err != nil {
		return nil, fmt.Errorf("parse service model: %w", err)
	}
	obj, ok := root.(*ordered.Object)
	if !ok {
		return nil, fmt.Errorf("service model is not an object")
	}
	m := &Model{Shapes: map[string]*Shape{}, Paginators: map[string]*Paginator{}, opsByName: map[string]*Operation{}}
	if md, ok := obj.Get("metadata").(*ordered.Object); ok {
		m.Metadata = Metadata{
			APIVersion:       str(md.Get("apiVersion")),
			EndpointPrefix:   str(md.Get("endpointPrefix")),
			JSONVersion:      str(md.Get("jsonVersion")),
			Protocol:         str(md.Get("protocol")),
			ServiceFullName:  str(md.Get("serviceFullName")),
			ServiceID:        str(md.Get("serviceId")),
			SignatureVersion: str(md.Get("signatureVersion")),
			TargetPrefix:     str(md.Get("targetPrefix")),
			SigningName:      str(md.Get("signingName")),
		}
		if m.Metadata.SigningName == "" {
			m.Metadata.SigningName = m.Metadata.EndpointPrefix
		}
	}
	ops, _ := obj.Get("operations").(*ordered.Object)
	if ops == nil {
		return nil, fmt.Errorf("service model has no operations")
	}
	for _, name := range ops.Keys {
		o, _ := ops.Get(name).(*ordered.Object)
		if o == nil {
			return nil, fmt.Errorf("operation %s is not an object", name)
		}
		op := &Operation{Name: name, Input: shapeRef(o.Get("input")), Output: shapeRef(o.Get("output"))}
		if errs, ok := o.Get("errors").([]any); ok {
			for _, e := range errs {
				op.Errors = append(op.Errors, shapeRef(e))
			}
		}
		op.NoAuth = str(o.Get("authtype")) == "none"
		if auth, ok := o.Get("auth").([]any); ok {
			for _, a := range auth {
				if str(a) == "smithy.api#noAuth" {
					op.NoAuth = true
				}
			}
		}
		m.Operations = append(m.Operations, op)
		m.opsByName[name] = op
	}
	shapes, _ := obj.Get("shapes").(*ordered.Object)
	if shapes == nil {
		return nil, fmt.Errorf("service model has no shapes")
	}
	for _, name := range shapes.Keys {
		s, _ := shapes.Get(name).(*ordered.Object)
		if s == nil {
			return nil, fmt.Errorf("shape %s is not an object", name)
		}
		sh, err := parseShape(name, s)
		if err != nil {
			return nil, err
		}
		m.Shapes[name] = sh
		m.ShapeNames = append(m.ShapeNames, name)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	if len(paginators) > 0 {
		var pf struct {
			Pagination map[string]struct {
				InputToken  stringOrList `json:"input_token"`
				OutputToken stringOrList `json:"output_token"`
				LimitKey    string       `json:"limit_key"`
				ResultKey   stringOrList `json:"result_key"`
			} `json:"pagination"`
		}
		if err := json.Unmarshal(paginators, &pf); err != nil {
			return nil, fmt.Errorf("parse paginators: %w", err)
		}
		for name, p := range pf.Pagination {
			m.Paginators[name] = &Paginator{
				InputToken: p.InputToken.first(), OutputToken: p.OutputToken.first(), LimitKey: p.LimitKey, ResultKey: p.ResultKey.first(),
				InputTokens: p.InputToken, OutputTokens: p.OutputToken, ResultKeys: p.ResultKey,
			}
		}
	}
	return m, nil
}

func parseShape(name string, s *ordered.Object) (*Shape, error) {
	sh := &Shape{
		Name:      name,
		Type:      str(s.Get("type")),
		Pattern:   str(s.Get("pattern")),
		Sensitive: s.Get("sensitive") == true,
		Exception: s.Get("exception") == true,
		Fault:     s.Get("fault") == true,
		Document:  s.Get("document") == true,
		Member:    shapeRef(s.Get("member")),
		Key:       shapeRef(s.Get("key")),
		Value:     shapeRef(s.Get("value")),
		Required:  map[string]bool{},
	}
	var err error
	if sh.Min, err = num(s.Get("min")); err != nil {
		return nil, fmt.Errorf("shape %s min: %w", name, err)
	}
	if sh.Max, err = num(s.Get("max")); err != nil {
		return nil, fmt.Errorf("shape %s max: %w", name, err)
	}
	if enum, ok := s.Get("enum").([]any); ok {
		for _, e := range enum {
			sh.Enum = append(sh.Enum, str(e))
		}
	}
	if req, ok := s.Get("required").([]any); ok {
		for _, r := range req {
			sh.Required[str(r)] = true
		}
	}
	if members, ok := s.Get("members").(*ordered.Object); ok {
		sh.memberIndex = map[string]*Member{}
		for _, mn := range members.Keys {
			mo, _ := members.Get(mn).(*ordered.Object)
			if mo == nil {
				return nil, fmt.Errorf("shape %s member %s is not an object", name, mn)
			}
			mem := &Member{Name: mn, Shape: shapeRef(mo), Deprecated: mo.Get("deprecated") == true, Box: mo.Get("box") == true}
			sh.Members = append(sh.Members, mem)
			sh.memberIndex[mn] = mem
		}
	}
	return sh, nil
}

// check verifies that every shape reference resolves.
func (m *Model) check() error {
	resolve := func(where, ref string) error {
		if ref == "" {
			return nil
		}
		if _, ok := m.Shapes[ref]; !ok {
			return fmt.Errorf("%s refers to unknown shape %q", where, ref)
		}
		return nil
	}
	for _, op := range m.Operations {
		for _, ref := range append([]string{op.Input, op.Output}, op.Errors...) {
			if err := resolve("operation "+op.Name, ref); err != nil {
				return err
			}
		}
	}
	for _, name := range m.ShapeNames {
		s := m.Shapes[name]
		for _, ref := range []string{s.Member, s.Key, s.Value} {
			if err := resolve("shape "+name, ref); err != nil {
				return err
			}
		}
		for _, mem := range s.Members {
			if err := resolve("shape "+name+"."+mem.Name, mem.Shape); err != nil {
				return err
			}
		}
		for req := range s.Required {
			if s.MemberByName(req) == nil {
				return fmt.Errorf("shape %s requires unknown member %s", name, req)
			}
		}
	}
	return nil
}

// stringOrList is a paginator field: one name or several.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

func (s stringOrList) first() string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func shapeRef(v any) string {
	if o, ok := v.(*ordered.Object); ok {
		return str(o.Get("shape"))
	}
	return ""
}

func num(v any) (*int64, error) {
	if v == nil {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("not a number: %v", v)
	}
	i, err := n.Int64()
	if err != nil {
		return nil, err
	}
	return &i, nil
}
