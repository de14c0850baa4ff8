package awsclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// PageOptions are the CLI's pagination arguments; nil means not given.
type PageOptions struct {
	MaxItems      *int    // --max-items
	PageSize      *int    // --page-size (sent as the paginator's limit key)
	StartingToken *string // --starting-token
}

// truncateKey is the member botocore adds to a token when a page was cut.
const truncateKey = "boto_truncate_amount"

// Paginate is PaginateWith for callers that hold the arguments as plain
// values: maxItems and pageSize 0 and startingToken "" mean not given
// (use PaginateWith to pass --max-items 0 or an empty --starting-token
// through as botocore would).
func (c *Client) Paginate(ctx context.Context, op *model.Operation, p *model.Paginator, params *value.Object, maxItems, pageSize int, startingToken string, page func(body []byte, params *value.Object) error) (nextToken string, err error) {
	var opts PageOptions
	if maxItems != 0 {
		opts.MaxItems = &maxItems
	}
	if pageSize != 0 {
		opts.PageSize = &pageSize
	}
	if startingToken != "" {
		opts.StartingToken = &startingToken
	}
	return c.PaginateWith(ctx, op, p, params, opts, page)
}

// PaginateWith drives a paginated operation as botocore's PageIterator does
// for the CLI (botocore/paginate.py): it sends params (not modified) with
// the starting token's service token and the page size injected, follows
// the output token from page to page, and calls page for each page with
// the response body and the parameters sent. The body handed to page is
// the response with the result list cut as the paginator cuts it: the
// items a starting token's boto_truncate_amount skips are dropped from the
// first page, and the items past --max-items from the last. When
// --max-items stops the iteration, nextToken is the CLI's NextToken:
// base64 of the JSON of the next input token, e.g. {"NextToken": "p2"},
// with "boto_truncate_amount" when a page was cut, byte for byte as
// botocore's TokenEncoder writes it, so tokens interoperate with the AWS
// CLI. Config.Serialize turns each page's parameters into its body.
//
// Paginators with more than one token or result key are not in the
// cognito-idp model and are not supported; the result key and the tokens
// are top-level member names.
func (c *Client) PaginateWith(ctx context.Context, op *model.Operation, p *model.Paginator, params *value.Object, opts PageOptions, page func(body []byte, params *value.Object) error) (nextToken string, err error) {
	inputTokens := []string{p.InputToken}
	kwargs := value.NewObject()
	if params != nil {
		kwargs = value.Clone(params).(*value.Object)
	}

	next := value.NewObject()
	for _, k := range inputTokens {
		next.Set(k, nil)
	}
	var startIdx int
	var startTok *value.Object
	if opts.StartingToken != nil {
		startTok, startIdx, err = c.parseStartingToken(*opts.StartingToken, inputTokens)
		if err != nil {
			return "", err
		}
		next = value.Clone(startTok).(*value.Object)
		injectToken(kwargs, startTok)
	}
	if opts.PageSize != nil {
		if p.LimitKey == "" {
			return "", &clierr.Error{Kind: clierr.Other, Message: "Error during pagination: PageSize parameter is not supported for the pagination interface for this operation."}
		}
		kwargs.Set(p.LimitKey, c.limitValue(op, p.LimitKey, *opts.PageSize))
	}

	total := 0
	first := true
	var prev *value.Object
	for {
		body, err := c.serialize(op, kwargs)
		if err != nil {
			return "", err
		}
		raw, err := c.Call(ctx, op, body)
		if err != nil {
			return "", err
		}
		sent := value.Clone(kwargs).(*value.Object)
		parsed, _ := parseObject(raw)
		items, isList := resultList(parsed, p.ResultKey)
		// The page keeps items[lo:hi] of the list the service sent.
		lo, hi := 0, len(items)
		startingTruncation := 0
		cut := false
		if first {
			if startTok != nil {
				// _handle_first_request: slice into the first page; a
				// result that is not a list becomes null.
				startingTruncation = startIdx
				lo = pyIndex(startIdx, len(items))
				cut = true
			}
			first = false
		}
		n := hi - lo
		truncate := 0
		if opts.MaxItems != nil {
			truncate = total + n - *opts.MaxItems
		}
		if truncate > 0 {
			// _truncate_response: keep amount_to_keep items and resume
			// from the token this page was asked with.
			keep := n - truncate
			hi = lo + pyIndex(keep, n)
			next.Set(truncateKey, int64(keep+startingTruncation))
			token, err := encodeResumeToken(next, inputTokens)
			if err != nil {
				return "", err
			}
			if err := page(spliceResult(raw, p.ResultKey, lo, hi, true), sent); err != nil {
				return "", err
			}
			return token, nil
		}
		out := raw
		if cut {
			out = spliceResult(raw, p.ResultKey, lo, hi, isList)
		}
		if err := page(out, sent); err != nil {
			return "", err
		}
		total += n
		next = nextTokens(parsed, []string{p.OutputToken}, inputTokens)
		allNil := true
		for _, k := range next.Keys() {
			if v, _ := next.Get(k); v != nil {
				allNil = false
			}
		}
		if allNil {
			return "", nil
		}
		if opts.MaxItems != nil && total == *opts.MaxItems {
			return encodeResumeToken(next, inputTokens)
		}
		if prev != nil && valuesEqual(prev, next) {
			return "", &clierr.Error{Kind: clierr.Other, Message: "Error during pagination: The same next token was received twice: " + py.Repr(next)}
		}
		injectToken(kwargs, next)
		prev = next
	}
}

func (c *Client) serialize(op *model.Operation, params *value.Object) ([]byte, error) {
	if c.cfg.Serialize != nil {
		return c.cfg.Serialize(op, params)
	}
	return []byte(py.JSONDumps(params)), nil
}

// limitValue is the page size as the limit key's type wants it
// (Paginator._extract_paging_params).
func (c *Client) limitValue(op *model.Operation, key string, n int) any {
	if op.Input != "" {
		if sh, ok := c.model.Shapes[op.Input]; ok {
			if mem := sh.MemberByName(key); mem != nil {
				if t, ok := c.model.Shapes[mem.Shape]; ok && t.Type == "string" {
					return strconv.Itoa(n)
				}
			}
		}
	}
	return int64(n)
}

// injectToken is PageIterator._inject_token_into_kwargs.
func injectToken(kwargs, token *value.Object) {
	for _, k := range token.Keys() {
		v, _ := token.Get(k)
		if s, isStr := v.(string); v != nil && !(isStr && s == "None") {
			kwargs.Set(k, v)
		} else {
			kwargs.Delete(k)
		}
	}
}

// nextTokens is PageIterator._get_next_token: falsy tokens are None.
func nextTokens(parsed *value.Object, outputTokens, inputTokens []string) *value.Object {
	out := value.NewObject()
	for i, ot := range outputTokens {
		var v any
		if parsed != nil {
			v, _ = parsed.Get(ot)
		}
		if !py.Truthy(v) {
			v = nil
		}
		out.Set(inputTokens[i], v)
	}
	return out
}

// encodeResumeToken is the PageIterator.resume_token setter and
// TokenEncoder.encode.
func encodeResumeToken(tok *value.Object, inputTokens []string) (string, error) {
	want := slices.Clone(inputTokens)
	if _, ok := tok.Get(truncateKey); ok {
		want = append(want, truncateKey)
	}
	got := slices.Clone(tok.Keys())
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return "", &clierr.Error{Kind: clierr.Other, Message: "Bad starting token: " + py.Repr(tok)}
	}
	return base64.StdEncoding.EncodeToString([]byte(py.JSONDumps(tok))), nil
}

// parseStartingToken is PageIterator._parse_starting_token with its
// fallback to the old "token___index" format.
func (c *Client) parseStartingToken(token string, inputTokens []string) (*value.Object, int, error) {
	if raw, ok := pyB64Decode(token); ok && utf8.Valid(raw) {
		if v, err := value.ParseJSON(raw); err == nil {
			switch t := v.(type) {
			case *value.Object:
				if enc, ok := t.Get("boto_encoded_keys"); ok {
					t.Delete("boto_encoded_keys")
					decodeEncodedKeys(t, enc)
				}
				idx := 0
				if amt, ok := t.Get(truncateKey); ok {
					t.Delete(truncateKey)
					switch a := amt.(type) {
					case int64:
						idx = int(a)
					case bool:
						if a {
							idx = 1
						}
					case nil:
					default:
						return nil, 0, &clierr.Error{Kind: clierr.Other, Message: "slice indices must be integers or None or have an __index__ method"}
					}
				}
				return t, idx, nil
			case []any:
				// list.pop('boto_encoded_keys', None) is a TypeError, which
				// sends botocore to the old format below.
			default:
				return nil, 0, &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("'%s' object has no attribute 'pop'", py.TypeName(v))}
			}
		}
	}
	c.log.Debug("botocore.paginate", "Attempting to fall back to old starting token parser. For token: %s", token)
	parts := strings.Split(token, "___")
	idx := 0
	if len(parts) == len(inputTokens)+1 {
		if n, err := py.Int(parts[len(parts)-1]); err == nil {
			idx = int(n)
			parts = parts[:len(parts)-1]
		} else {
			parts = []string{token}
		}
	}
	if len(parts) > len(inputTokens) {
		return nil, 0, &clierr.Error{Kind: clierr.Other, Message: "Bad starting token: " + token}
	}
	out := value.NewObject()
	for i, k := range inputTokens {
		var v any
		if i < len(parts) && parts[i] != "None" {
			v = parts[i]
		}
		out.Set(k, v)
	}
	return out, idx, nil
}

// decodeEncodedKeys is TokenDecoder._decode: the values at the listed
// paths were bytes, base64-encoded.
func decodeEncodedKeys(tok *value.Object, enc any) {
	paths, _ := enc.([]any)
	for _, p := range paths {
		steps, _ := p.([]any)
		if len(steps) == 0 {
			continue
		}
		var container any = tok
		for _, s := range steps[:len(steps)-1] {
			container = step(container, s)
		}
		last := steps[len(steps)-1]
		s, _ := step(container, last).(string)
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			continue
		}
		switch c := container.(type) {
		case *value.Object:
			if k, ok := last.(string); ok {
				c.Set(k, string(dec))
			}
		case []any:
			if i, ok := last.(int64); ok && i >= 0 && int(i) < len(c) {
				c[i] = string(dec)
			}
		}
	}
}

func step(v any, s any) any {
	switch c := v.(type) {
	case *value.Object:
		if k, ok := s.(string); ok {
			e, _ := c.Get(k)
			return e
		}
	case []any:
		if i, ok := s.(int64); ok && i >= 0 && int(i) < len(c) {
			return c[i]
		}
	}
	return nil
}

// pyB64Decode is base64.b64decode(s) without validate: characters outside
// the alphabet are dropped, and the padding must be right.
func pyB64Decode(s string) ([]byte, bool) {
	var data strings.Builder
	pads := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '=':
			if data.Len()%4 >= 2 {
				pads++
				if data.Len()%4+pads == 4 {
					goto done
				}
			} else if data.Len()%4 == 0 && data.Len() > 0 {
				goto done
			}
		case ch >= 'A' && ch <= 'Z', ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9', ch == '+', ch == '/':
			if pads > 0 {
				// Data after a partial padding: Python treats the
				// padding as not there yet.
				pads = 0
			}
			data.WriteByte(ch)
		}
	}
	if data.Len()%4 != 0 {
		return nil, false
	}
done:
	d := data.String()
	if len(d)%4 == 1 {
		return nil, false
	}
	out, err := base64.RawStdEncoding.DecodeString(d)
	if err != nil {
		return nil, false
	}
	return out, true
}

// parseObject parses a response body; nil when it is not a JSON object.
func parseObject(body []byte) (*value.Object, bool) {
	v, err := value.ParseJSON(body)
	if err != nil {
		return nil, false
	}
	o, ok := v.(*value.Object)
	return o, ok
}

// resultList is the result key's list in a parsed page.
func resultList(parsed *value.Object, key string) ([]any, bool) {
	if parsed == nil {
		return nil, false
	}
	v, _ := parsed.Get(key)
	l, ok := v.([]any)
	return l, ok
}

// pyIndex is a Python slice bound i on a sequence of length n.
func pyIndex(i, n int) int {
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	return i
}

// spliceResult rewrites the result key's member in a response body to
// the elements [lo:hi] of the list it holds (each kept as its original
// bytes) or, when isList is false, to null, leaving every other byte
// alone; a missing member is added. A body that is not a JSON object is
// returned as it is.
func spliceResult(body []byte, key string, lo, hi int, isList bool) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return body
	}
	start, end := -1, -1
	var rawItems []json.RawMessage
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return body
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return body
		}
		if k, _ := kt.(string); k == key {
			// A repeated key: the last one counts, as in json.loads.
			end = int(dec.InputOffset())
			start = end - len(raw)
			rawItems = nil
			_ = json.Unmarshal(raw, &rawItems)
		}
	}
	repl := []byte("null")
	if isList {
		var b bytes.Buffer
		b.WriteByte('[')
		for i := lo; i < hi && i < len(rawItems); i++ {
			if i > lo {
				b.WriteString(", ")
			}
			b.Write(rawItems[i])
		}
		b.WriteByte(']')
		repl = b.Bytes()
	}
	if start >= 0 {
		out := make([]byte, 0, len(body)-(end-start)+len(repl))
		out = append(out, body[:start]...)
		out = append(out, repl...)
		return append(out, body[end:]...)
	}
	i := bytes.LastIndexByte(body, '}')
	open := bytes.IndexByte(body, '{')
	if i < 0 || open < 0 || open > i {
		return body
	}
	member := py.JSONDumps(key) + ": " + string(repl)
	if len(bytes.TrimSpace(body[open+1:i])) > 0 {
		member = ", " + member
	}
	out := append([]byte(nil), body[:i]...)
	out = append(out, member...)
	return append(out, body[i:]...)
}

// valuesEqual is Python's == on JSON-shaped values (dicts regardless of
// key order).
func valuesEqual(a, b any) bool {
	switch x := a.(type) {
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			yv, ok := y.Get(k)
			if !ok || !valuesEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !valuesEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	}
	return a == b
}
