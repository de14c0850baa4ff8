package awsclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// usersPages are ListUsers pages keyed by the PaginationToken that asks
// for them ("" = none).
var usersPages = map[string]any{
	"":   map[string]any{"Users": []any{map[string]any{"Username": "u1"}, map[string]any{"Username": "u2"}, map[string]any{"Username": "u3"}}, "PaginationToken": "p2"},
	"p2": map[string]any{"Users": []any{map[string]any{"Username": "u4"}, map[string]any{"Username": "u5"}}, "PaginationToken": "p3"},
	"p3": map[string]any{"Users": []any{map[string]any{"Username": "u6"}}},
}

var loopPages = map[string]any{
	"":  map[string]any{"Users": []any{"a"}, "PaginationToken": "x"},
	"x": map[string]any{"Users": []any{"b"}, "PaginationToken": "x"},
}

var emptyTokenPages = map[string]any{
	"": map[string]any{"Users": []any{"a"}, "PaginationToken": ""},
}

type pageScenario struct {
	Name          string         `json:"name"`
	Pages         map[string]any `json:"pages"`
	MaxItems      *int           `json:"max_items"`
	PageSize      *int           `json:"page_size"`
	StartingToken *string        `json:"starting_token"`
	// Pinned: the NextToken botocore 1.43.11 gives, the users of each
	// page and the error.
	wantToken string
	wantUsers [][]string
	wantErr   string
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

var pageScenarios = []pageScenario{
	{Name: "all", Pages: usersPages,
		wantUsers: [][]string{{"u1", "u2", "u3"}, {"u4", "u5"}, {"u6"}}},
	{Name: "max-items inside first page", Pages: usersPages, MaxItems: intp(2),
		wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==",
		wantUsers: [][]string{{"u1", "u2"}}},
	{Name: "max-items on page boundary", Pages: usersPages, MaxItems: intp(3),
		wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIifQ==",
		wantUsers: [][]string{{"u1", "u2", "u3"}}},
	{Name: "max-items inside second page", Pages: usersPages, MaxItems: intp(4),
		wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==",
		wantUsers: [][]string{{"u1", "u2", "u3"}, {"u4"}}},
	{Name: "max-items beyond the end", Pages: usersPages, MaxItems: intp(10),
		wantUsers: [][]string{{"u1", "u2", "u3"}, {"u4", "u5"}, {"u6"}}},
	{Name: "resume truncated first page", Pages: usersPages, MaxItems: intp(2),
		StartingToken: strp("eyJQYWdpbmF0aW9uVG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="),
		wantToken:     "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==",
		wantUsers:     [][]string{{"u3"}, {"u4"}}},
	{Name: "resume truncated first page within it", Pages: usersPages, MaxItems: intp(1),
		StartingToken: strp("eyJQYWdpbmF0aW9uVG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="),
		wantToken:     "eyJQYWdpbmF0aW9uVG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==",
		wantUsers:     [][]string{{"u2"}}},
	{Name: "resume second page to the end", Pages: usersPages,
		StartingToken: strp("eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="),
		wantUsers:     [][]string{{"u5"}, {"u6"}}},
	{Name: "resume on boundary", Pages: usersPages, MaxItems: intp(2),
		StartingToken: strp("eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIifQ=="),
		wantToken:     "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDMifQ==",
		wantUsers:     [][]string{{"u4", "u5"}}},
	{Name: "page size", Pages: usersPages, PageSize: intp(2), MaxItems: intp(5),
		wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDMifQ==",
		wantUsers: [][]string{{"u1", "u2", "u3"}, {"u4", "u5"}}},
	{Name: "old-style token", Pages: usersPages, StartingToken: strp("p2___1"),
		wantUsers: [][]string{{"u5"}, {"u6"}}},
	{Name: "opaque service token", Pages: usersPages, StartingToken: strp("p3"),
		wantUsers: [][]string{{"u6"}}},
	{Name: "None in old-style token", Pages: usersPages, StartingToken: strp("None___2"), MaxItems: intp(1),
		wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIifQ==",
		wantUsers: [][]string{{"u3"}}},
	{Name: "same token twice", Pages: loopPages,
		wantUsers: [][]string{{"a"}, {"b"}},
		wantErr:   "Error during pagination: The same next token was received twice: {'PaginationToken': 'x'}"},
	{Name: "empty token ends", Pages: emptyTokenPages, MaxItems: intp(1),
		wantUsers: [][]string{{"a"}}},
	{Name: "max-items zero", Pages: usersPages, MaxItems: intp(0),
		wantUsers: [][]string{nil}, wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAwfQ=="},
	{Name: "page cut twice", Pages: usersPages, MaxItems: intp(1),
		StartingToken: strp("eyJQYWdpbmF0aW9uVG9rZW4iOiAicDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="),
		wantUsers:     [][]string{{"u5"}}, wantToken: "eyJQYWdpbmF0aW9uVG9rZW4iOiAicDMifQ=="},
}

// pageServer serves a scenario's pages for ListUsers and records the
// request bodies.
type pageServer struct {
	mu     sync.Mutex
	pages  map[string]any
	bodies []map[string]any
}

func (ps *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req map[string]any
	_ = json.Unmarshal(b, &req)
	tok, _ := req["PaginationToken"].(string)
	ps.mu.Lock()
	ps.bodies = append(ps.bodies, req)
	ps.mu.Unlock()
	page, ok := ps.pages[tok]
	if !ok {
		w.WriteHeader(400)
		io.WriteString(w, `{"__type":"InvalidParameterException","message":"bad token"}`)
		return
	}
	out, _ := json.Marshal(page)
	w.Write(out)
}

type pageResult struct {
	Pages []map[string]any `json:"pages"`
	Calls []map[string]any `json:"calls"`
	Token *string          `json:"token"`
	Error *string          `json:"error"`
}

func runCognatePages(t *testing.T, sc pageScenario) pageResult {
	t.Helper()
	ps := &pageServer{pages: sc.Pages}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c, _ := testClient(t, srv.URL)
	m := model.CognitoIDP()
	params := value.NewObject()
	params.Set("UserPoolId", "us-east-1_x")
	var res pageResult
	var sent []map[string]any
	tok, err := c.PaginateWith(context.Background(), m.Operation("ListUsers"), m.Paginators["ListUsers"], params,
		PageOptions{MaxItems: sc.MaxItems, PageSize: sc.PageSize, StartingToken: sc.StartingToken},
		func(body []byte, p *value.Object) error {
			var page map[string]any
			if err := json.Unmarshal(body, &page); err != nil {
				t.Fatalf("page body %q: %v", body, err)
			}
			res.Pages = append(res.Pages, page)
			var kw map[string]any
			_ = json.Unmarshal([]byte(py.JSONDumps(p)), &kw)
			sent = append(sent, kw)
			return nil
		})
	if err != nil {
		msg := err.Error()
		if ce := asCLIErr(t, err); ce != nil {
			msg = ce.Message
		}
		res.Error = &msg
	} else if tok != "" {
		res.Token = &tok
	}
	res.Calls = ps.bodies
	if !reflect.DeepEqual(sent, ps.bodies[:len(sent)]) {
		t.Errorf("params handed to page %v differ from the bodies sent %v", sent, ps.bodies)
	}
	return res
}

func users(page map[string]any) []string {
	var out []string
	l, _ := page["Users"].([]any)
	for _, u := range l {
		switch x := u.(type) {
		case map[string]any:
			out = append(out, x["Username"].(string))
		case string:
			out = append(out, x)
		}
	}
	return out
}

func TestPaginatePinned(t *testing.T) {
	for _, sc := range pageScenarios {
		t.Run(sc.Name, func(t *testing.T) {
			res := runCognatePages(t, sc)
			var got [][]string
			for _, p := range res.Pages {
				got = append(got, users(p))
			}
			if !reflect.DeepEqual(got, sc.wantUsers) {
				t.Errorf("pages %v, want %v", got, sc.wantUsers)
			}
			tok := ""
			if res.Token != nil {
				tok = *res.Token
			}
			if tok != sc.wantToken {
				d, _ := base64.StdEncoding.DecodeString(tok)
				t.Errorf("token %q (%s), want %q", tok, d, sc.wantToken)
			}
			errMsg := ""
			if res.Error != nil {
				errMsg = *res.Error
			}
			if errMsg != sc.wantErr {
				t.Errorf("error %q, want %q", errMsg, sc.wantErr)
			}
			if sc.PageSize != nil {
				for _, call := range res.Calls {
					if call["Limit"] != float64(*sc.PageSize) {
						t.Errorf("call without Limit: %v", call)
					}
				}
			}
		})
	}
}

const botocorePaginateScript = `
import json, sys, copy
import jmespath
from botocore.paginate import PageIterator
out = []
for sc in json.loads(sys.stdin.read()):
    calls = []
    def method(**kw):
        calls.append(copy.deepcopy(kw))
        return copy.deepcopy(sc['pages'][kw.get('PaginationToken', '')])
    it = PageIterator(method, ['PaginationToken'], [jmespath.compile('PaginationToken')], None,
                      [jmespath.compile('Users')], [], 'Limit', sc['max_items'], sc['starting_token'],
                      sc['page_size'], {'UserPoolId': 'us-east-1_x'})
    res = {'pages': [], 'calls': calls, 'token': None, 'error': None}
    try:
        for page in it:
            res['pages'].append(copy.deepcopy(page))
        res['token'] = it.resume_token
    except Exception as e:
        res['error'] = str(e)
    out.append(res)
print(json.dumps(out))
`

func TestPaginateMatchesBotocore(t *testing.T) {
	isolate(t)
	in, _ := json.Marshal(pageScenarios)
	var boto []pageResult
	runPythonStdin(t, botocorePaginateScript, in, &boto)
	for i, sc := range pageScenarios {
		t.Run(sc.Name, func(t *testing.T) {
			b := boto[i]
			res := runCognatePages(t, sc)
			if !reflect.DeepEqual(res.Pages, b.Pages) {
				t.Errorf("pages\n got %v\nboto %v", res.Pages, b.Pages)
			}
			if !reflect.DeepEqual(res.Calls, b.Calls) {
				t.Errorf("calls\n got %v\nboto %v", res.Calls, b.Calls)
			}
			if !reflect.DeepEqual(res.Token, b.Token) {
				t.Errorf("token got %v boto %v", deref(res.Token), deref(b.Token))
			}
			if !reflect.DeepEqual(res.Error, b.Error) {
				t.Errorf("error got %v boto %v", deref(res.Error), deref(b.Error))
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestStartingTokenErrors(t *testing.T) {
	c := &Client{}
	in := []string{"NextToken"}
	cases := map[string]string{
		b64(`5`):    "'int' object has no attribute 'pop'",
		b64(`"s"`):  "'str' object has no attribute 'pop'",
		b64(`null`): "'NoneType' object has no attribute 'pop'",
		"a___b___c": "Bad starting token: a___b___c",
		b64(`{"NextToken": "x", "boto_truncate_amount": "2"}`): "slice indices must be integers or None or have an __index__ method",
	}
	for tok, want := range cases {
		_, _, err := c.parseStartingToken(tok, in)
		if err == nil || asCLIErr(t, err).Message != want {
			t.Errorf("%q: %v, want %q", tok, err, want)
		}
	}
	ok := map[string]struct {
		tok string
		idx int
	}{
		b64(`{"NextToken": "x", "boto_truncate_amount": 3}`): {`{"NextToken": "x"}`, 3},
		b64(`["a"]`):                   {`{"NextToken": "` + b64(`["a"]`) + `"}`, 0},
		"abc___x":                      {`{"NextToken": "abc___x"}`, 0},
		"None":                         {`{"NextToken": null}`, 0},
		b64(`{"NextToken": "x"}`)[:10]: {`{"NextToken": "` + b64(`{"NextToken": "x"}`)[:10] + `"}`, 0},
	}
	for tok, want := range ok {
		got, idx, err := c.parseStartingToken(tok, in)
		if err != nil || py.JSONDumps(got) != want.tok || idx != want.idx {
			t.Errorf("%q: %s %d %v, want %s %d", tok, py.JSONDumps(got), idx, err, want.tok, want.idx)
		}
	}
}

func TestSpliceResult(t *testing.T) {
	body := []byte(`{"Users": [{"a": 1}, {"b": [2, 3]}, {"c": "x"}], "PaginationToken": "p"}`)
	if got := spliceResult(body, "Users", 1, 2, true); !bytes.Equal(got, []byte(`{"Users": [{"b": [2, 3]}], "PaginationToken": "p"}`)) {
		t.Errorf("got %s", got)
	}
	if got := spliceResult([]byte(`{"X": 1}`), "Users", 0, 0, false); string(got) != `{"X": 1, "Users": null}` {
		t.Errorf("got %s", got)
	}
	if got := spliceResult([]byte(`{}`), "Users", 0, 0, true); string(got) != `{"Users": []}` {
		t.Errorf("got %s", got)
	}
	if got := spliceResult([]byte(`not json`), "Users", 0, 0, true); string(got) != `not json` {
		t.Errorf("got %s", got)
	}
}

func TestPyB64Decode(t *testing.T) {
	cases := map[string]string{"YQ==": "a", "YWI=": "ab", "YWJj": "abc", "Y W\nJ j": "abc", "YWJj=": "abc", "YQ==YQ==": "a"}
	for in, want := range cases {
		got, ok := pyB64Decode(in)
		if !ok || string(got) != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"YQ", "YQ=", "Y", "YWJjZ"} {
		if _, ok := pyB64Decode(bad); ok {
			t.Errorf("%q decoded", bad)
		}
	}
}
