package awsjson

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// Operation is one operation a Service answers.
type Operation struct {
	Name       string
	InputShape string
	// NoAuth operations accept unsigned requests (the model's
	// smithy.api#noAuth); all others need a SigV4 signature.
	NoAuth   bool
	Endpoint api.Endpoint
}

// Service is one AWS JSON 1.1 API, such as AWSCognitoIdentityProviderService.
type Service struct {
	TargetPrefix string // the part of X-Amz-Target before the dot
	SigningName  string // the SigV4 service name its requests are scoped to
	Operations   map[string]*Operation
	// Validate checks a body against an input shape and returns the
	// canonical JSON to decode (see validate.Validator.Request).
	Validate func(shape string, body []byte) ([]byte, error)

	// build, for a Service made by Lazy, makes the real one on the first
	// request for it.
	build func() *Service
	once  sync.Once
	built *Service
}

// Lazy is a Service that build makes when the first request for
// targetPrefix comes: a server answers the services it seldom serves (the
// built-in CloudWatch Logs and Firehose) without compiling their models
// and validators, a few MiB, until someone calls them. build must return a
// Service with the same TargetPrefix.
func Lazy(targetPrefix string, build func() *Service) *Service {
	return &Service{TargetPrefix: targetPrefix, build: build}
}

// resolve returns the Service itself, or the one its build makes.
func (s *Service) resolve() *Service {
	if s.build == nil {
		return s
	}
	s.once.Do(func() { s.built = s.build() })
	return s.built
}

// Authenticator checks a request's signature; sigv4.Verifier is one.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (sigv4.Identity, error)
}

// Handler serves a set of Services on one endpoint.
type Handler struct {
	services      map[string]*Service
	auth          Authenticator
	defaultRegion string
	defaultAcct   string
	maxBodyBytes  int64
	log           *slog.Logger
}

// Config configures a Handler.
type Config struct {
	Auth Authenticator
	// DefaultRegion is the region of unsigned requests (no-auth operations).
	DefaultRegion string
	// DefaultAccountID is the account of unsigned requests.
	DefaultAccountID string
	// MaxBodyBytes bounds a request body; larger bodies get
	// RequestEntityTooLargeException (HTTP 413).
	MaxBodyBytes int64
	Logger       *slog.Logger
}

// DefaultMaxBodyBytes is the request-size limit when none is configured: far
// above any request the Cognito model allows in practice (its largest
// members are 1 MB asset files) and small enough to refuse floods early.
const DefaultMaxBodyBytes = 16 << 20

// NewHandler returns a Handler for services.
func NewHandler(cfg Config, services ...*Service) *Handler {
	h := &Handler{
		services:      map[string]*Service{},
		auth:          cfg.Auth,
		defaultRegion: cfg.DefaultRegion,
		defaultAcct:   cfg.DefaultAccountID,
		maxBodyBytes:  cfg.MaxBodyBytes,
		log:           cfg.Logger,
	}
	if h.maxBodyBytes <= 0 {
		h.maxBodyBytes = DefaultMaxBodyBytes
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, s := range services {
		h.services[s.TargetPrefix] = s
	}
	return h
}

// Errors of the JSON framework itself, not modelled by any service. Texts
// follow AWS where known; see the wire test table for sources.
const (
	codeUnknownOperation = "UnknownOperationException"
	codeNotImplemented   = "NotImplementedException"
	codeTooLarge         = "RequestEntityTooLargeException"
)

// ServeHTTP answers one AWS JSON 1.1 request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := newRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)
	op, out, err := h.serve(r, requestID)
	switch {
	case err != nil:
		h.writeError(w, op, err)
	case isEmpty(out):
		// Operations without an output shape answer 200 with no body, as
		// DeleteUserPool does (cloud-custodian's recordings) [OBS].
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	default:
		writeJSON(w, http.StatusOK, out)
	}
	if h.log.Enabled(r.Context(), slog.LevelDebug) {
		h.log.Debug("request", "target", r.Header.Get("X-Amz-Target"), "requestId", requestID, "err", err, "duration", time.Since(start))
	}
}

func (h *Handler) serve(r *http.Request, requestID string) (string, any, error) {
	// AWS answers an unknown X-Amz-Target with UnknownOperationException,
	// HTTP 400 and no message [OBS aws/aws-sdk-net#1536]; a missing target
	// and a method other than POST are treated alike (inferred).
	prefix, name, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	svc := h.services[prefix]
	if svc != nil {
		svc = svc.resolve()
	}
	var op *Operation
	if svc != nil && r.Method == http.MethodPost {
		op = svc.Operations[name]
	}
	if op == nil {
		return "", nil, &api.Error{Code: codeUnknownOperation}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, h.maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return op.Name, nil, &api.Error{Code: codeTooLarge, Message: fmt.Sprintf("Request body is larger than the %d bytes this endpoint accepts.", h.maxBodyBytes)}
		}
		return op.Name, nil, &api.Error{Code: "SerializationException", Message: "Could not read the request body."}
	}
	caller, err := h.authenticate(r, body, svc, op)
	if err != nil {
		return op.Name, nil, err
	}
	caller.RequestID = requestID
	caller.SourceIP, caller.UserAgent = sourceIP(r.RemoteAddr), r.Header.Get("User-Agent")
	clean, err := svc.Validate(op.InputShape, body)
	if err != nil {
		return op.Name, nil, err
	}
	if op.Endpoint.Call == nil {
		return op.Name, nil, &api.Error{Code: codeNotImplemented, Message: fmt.Sprintf("Cognate does not implement %s yet.", op.Name)}
	}
	input := op.Endpoint.NewInput()
	if err := json.Unmarshal(clean, input); err != nil {
		// The validator only passes values of the model's types.
		return op.Name, nil, fmt.Errorf("decode validated %s input: %w", op.Name, err)
	}
	out, err := call(api.WithCaller(r.Context(), caller), op, input)
	return op.Name, out, err
}

// authenticate returns the caller of a request: from the signature, or the
// defaults for an unsigned request of a no-auth operation.
func (h *Handler) authenticate(r *http.Request, body []byte, svc *Service, op *Operation) (api.Caller, error) {
	id, err := h.auth.Authenticate(r, body)
	switch {
	case op.NoAuth:
		// No-auth operations are authorised by their tokens or not at all;
		// the signature, if any, only tells the region.
		if err == nil && id.Signed {
			return api.Caller{AccountID: id.AccountID, Region: id.Region, Signed: true}, nil
		}
		return api.Caller{AccountID: h.defaultAcct, Region: h.defaultRegion}, nil
	case errors.Is(err, sigv4.ErrMissingAuth):
		// Seen for Cognito admin calls sent unsigned
		// (aws/aws-sdk-net-extensions-cognito#95): spec/log-delivery.md §1.
		return api.Caller{}, sigv4.ErrMissingAuth
	case err != nil:
		return api.Caller{}, err
	}
	if id.Service != svc.SigningName {
		return api.Caller{}, sigv4.WrongService(svc.SigningName)
	}
	return api.Caller{AccountID: id.AccountID, Region: id.Region, Signed: true}, nil
}

// call runs the handler, turning a panic into InternalErrorException so one
// bad request cannot take the process down.
func call(ctx context.Context, op *Operation, input any) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &api.Error{Code: api.ErrInternalError.Code, Fault: true, Message: "Internal server error.",
				Err: fmt.Errorf("panic in %s: %v\n%s", op.Name, p, debug.Stack())}
		}
	}()
	return op.Endpoint.Call(ctx, input)
}

// writeError is the one place where errors become AWS JSON 1.1 error
// responses: `{"__type": "<Code>", "message": "<text>"}` (a bare type name
// and a lower-case message key, as Cognito sends them), with
// `x-amzn-ErrorType: <Code>:` (trailing colon, as captured live) and
// `x-amzn-ErrorMessage`. Errors that are not *api.Error are internal.
func (h *Handler) writeError(w http.ResponseWriter, op string, err error) {
	var ae *api.Error
	if !errors.As(err, &ae) {
		ae = &api.Error{Code: api.ErrInternalError.Code, Fault: true, Message: "Internal server error.", Err: err}
	}
	status := statusOf(ae)
	if status >= 500 {
		h.log.Error("internal error", "operation", op, "err", err)
	}
	// A framework error without a text (SerializationException for a body
	// that is not JSON, UnknownOperationException) has no message member,
	// as on AWS [OBS aws/aws-sdk-net#1536].
	body := map[string]string{"__type": ae.Code}
	if ae.Message != "" {
		body["message"] = ae.Message
	}
	if ae.ReasonCode != "" {
		body["reasonCode"] = ae.ReasonCode
	}
	w.Header().Set("x-amzn-ErrorType", ae.Code+":")
	if ae.Message != "" && isHeaderSafe(ae.Message) {
		w.Header().Set("x-amzn-ErrorMessage", ae.Message)
	}
	writeJSON(w, status, body)
}

// statusOf returns the HTTP status AWS uses: 500 for faults, the SigV4
// layer's statuses for its errors, 413 for an oversized body, and 400 for
// every other client error (the API reference lists 400 for all of them).
func statusOf(e *api.Error) int {
	switch {
	case e.Fault:
		return http.StatusInternalServerError
	case e.Code == codeTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	if s := sigv4.Status(e.Code); s != 0 {
		return s
	}
	return http.StatusBadRequest
}

func isEmpty(out any) bool {
	_, ok := out.(*api.Empty)
	return ok
}

func isHeaderSafe(s string) bool {
	if len(s) > 1024 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var (
		b   []byte
		err error
	)
	if a, ok := v.(api.JSONAppender); ok {
		// Generated, reflection-free encoding of the model's structures.
		buf := bufferPool.Get().(*[]byte)
		defer bufferPool.Put(buf)
		*buf = a.AppendJSON((*buf)[:0])
		b = *buf
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		// Response types are generated from the model and always encode.
		status, b = http.StatusInternalServerError, []byte(`{"__type":"InternalErrorException","message":"Internal server error."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// bufferPool recycles response buffers.
var bufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// newRequestID returns a random UUID (version 4), the form of AWS request IDs.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// sourceIP is the address part of a request's remote address.
func sourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
