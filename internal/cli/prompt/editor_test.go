package prompt

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/cli/names"
	"github.com/cognate/cognate/internal/model"
)

func newEd(args ...string) *Editor { return NewEditor(model.CognitoIDP(), args) }

// typeIn types s key by key.
func typeIn(t *testing.T, e *Editor, s string) {
	t.Helper()
	for _, r := range s {
		if a := e.Handle(Key{Code: KeyRune, Rune: r}); a != ActionNone {
			t.Fatalf("typing %q: action %v", r, a)
		}
	}
}

func press(e *Editor, codes ...KeyCode) Action {
	a := ActionNone
	for _, c := range codes {
		a = e.Handle(Key{Code: c})
	}
	return a
}

func texts(e *Editor) []string {
	var out []string
	for _, s := range e.Suggestions() {
		out = append(out, s.Text)
	}
	return out
}

func displays(e *Editor) []string {
	var out []string
	for _, s := range e.Suggestions() {
		out = append(out, s.Display)
	}
	return out
}

func checkLine(t *testing.T, e *Editor, line string, cursor int) {
	t.Helper()
	if e.Line() != line {
		t.Fatalf("line = %q, want %q", e.Line(), line)
	}
	if cursor < 0 {
		cursor = len([]rune(line))
	}
	if e.Cursor() != cursor {
		t.Fatalf("cursor = %d, want %d (line %q)", e.Cursor(), cursor, line)
	}
}

func allOperations() []string {
	var ops []string
	for _, op := range model.CognitoIDP().Operations {
		ops = append(ops, names.Xform(op.Name))
	}
	sort.Strings(ops)
	return ops
}

func TestStartLine(t *testing.T) {
	e := newEd()
	checkLine(t, e, "", 0)
	if got := texts(e); !slices.Equal(got, []string{"cognito-idp"}) {
		t.Errorf("empty line suggests %q", got)
	}

	e = newEd("cognito-idp")
	checkLine(t, e, "cognito-idp ", -1)
	if got := texts(e); !slices.Equal(got, allOperations()) {
		t.Errorf("after the service: %d suggestions, want the %d operations", len(got), len(allOperations()))
	}

	e = newEd("--cli-auto-prompt", "cognito-idp", "set-log-delivery-configuration", "--user-pool-id", "x")
	checkLine(t, e, "cognito-idp set-log-delivery-configuration --user-pool-id x ", -1)
	want := []string{"--log-configurations (required)", "--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton"}
	if got := displays(e); !slices.Equal(got, want) {
		t.Errorf("options = %q, want %q", got, want)
	}

	// An unfinished last word keeps the cursor on it.
	e = newEd("cognito-idp", "list-us")
	checkLine(t, e, "cognito-idp list-us", -1)
	if len(texts(e)) < 2 {
		t.Fatalf("list-us: %q", texts(e))
	}
	for _, s := range texts(e) {
		if !strings.HasPrefix(s, "list-us") {
			t.Errorf("list-us suggests %q", s)
		}
	}

	// Arguments are shell-quoted; only the first --cli-auto-prompt goes.
	e = newEd("cognito-idp", "list-users", "--user-pool-id", "a b", "--filter", "it's", "--cli-auto-prompt", "--query", "")
	checkLine(t, e, `cognito-idp list-users --user-pool-id 'a b' --filter 'it'"'"'s' --query '' `, -1)
	args, err := e.Args()
	if err != nil || !slices.Equal(args, []string{"cognito-idp", "list-users", "--user-pool-id", "a b", "--filter", "it's", "--query", ""}) {
		t.Errorf("Args = %q, %v", args, err)
	}

	// After an option with enum values: a space, then its values.
	e = newEd("cognito-idp", "list-users", "--output")
	checkLine(t, e, "cognito-idp list-users --output ", -1)
	if got := texts(e); !slices.Equal(got, []string{"json", "text", "table", "yaml", "yaml-stream", "off"}) {
		t.Errorf("--output values = %q", got)
	}
}

func TestCompleteOperation(t *testing.T) {
	e := newEd("cognito-idp")
	typeIn(t, e, "get-log")
	if got := texts(e); !slices.Equal(got, []string{"get-log-delivery-configuration"}) {
		t.Fatalf("get-log suggests %q", got)
	}
	press(e, KeyTab)
	checkLine(t, e, "cognito-idp get-log-delivery-configuration ", -1)
	if got := displays(e); len(got) == 0 || got[0] != "--user-pool-id (required)" {
		t.Fatalf("then %q", got)
	}

	// Case-insensitive prefix; several matches: Tab completes the common
	// prefix, then highlights the first.
	e = newEd("cognito-idp")
	typeIn(t, e, "ADMIN-LIST")
	got := texts(e)
	for _, s := range got {
		if !strings.HasPrefix(s, "admin-list-") {
			t.Errorf("ADMIN-LIST suggests %q", s)
		}
	}
	press(e, KeyTab)
	checkLine(t, e, "cognito-idp admin-list-", -1)
	if e.Selected() != -1 {
		t.Fatal("common-prefix completion highlighted something")
	}
	press(e, KeyTab)
	if e.Selected() != 0 {
		t.Fatalf("second Tab: selected %d", e.Selected())
	}
	press(e, KeyDown, KeyEnter)
	checkLine(t, e, "cognito-idp "+got[1]+" ", -1)

	// An unknown operation: nothing to suggest but global options.
	e = newEd("cognito-idp", "no-such-thing")
	checkLine(t, e, "cognito-idp no-such-thing ", -1)
	if len(e.Suggestions()) != 0 {
		t.Errorf("unknown operation suggests %q", texts(e))
	}
	typeIn(t, e, "--reg")
	if got := texts(e); !slices.Equal(got, []string{"--region"}) {
		t.Errorf("--reg suggests %q", got)
	}
	// An unknown service.
	e = newEd("s3")
	typeIn(t, e, "l")
	if len(e.Suggestions()) != 0 {
		t.Errorf("unknown service suggests %q", texts(e))
	}
}

func TestCompleteOptions(t *testing.T) {
	e := newEd("cognito-idp", "admin-create-user")
	want := []string{
		"--user-pool-id (required)", "--username (required)", "--user-attributes", "--validation-data",
		"--temporary-password", "--force-alias-creation", "--no-force-alias-creation", "--message-action",
		"--desired-delivery-mediums", "--client-metadata", "--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton",
	}
	if got := displays(e); !slices.Equal(got, want) {
		t.Fatalf("options:\n got %q\nwant %q", got, want)
	}
	metas := map[string]string{}
	for _, s := range e.Suggestions() {
		metas[s.Text] = s.Meta
	}
	for name, meta := range map[string]string{"--user-pool-id": "[string]", "--user-attributes": "[list]", "--force-alias-creation": "[boolean]",
		"--no-force-alias-creation": "[boolean]", "--client-metadata": "[map]"} {
		if metas[name] != meta {
			t.Errorf("%s meta %q, want %q", name, metas[name], meta)
		}
	}
	// Required ones come first even when typed later; given ones go.
	typeIn(t, e, "--username bob ")
	if got := displays(e); got[0] != "--user-pool-id (required)" || slices.Contains(texts(e), "--username") {
		t.Errorf("after --username: %q", got)
	}
	// A boolean takes no value: options follow, without its pair.
	typeIn(t, e, "--no-force-alias-creation ")
	if got := texts(e); slices.Contains(got, "--force-alias-creation") || slices.Contains(got, "--no-force-alias-creation") || got[0] != "--user-pool-id" {
		t.Errorf("after --no-force-alias-creation: %q", got)
	}
	// A word without dashes matches option names.
	typeIn(t, e, "temp")
	if got := texts(e); !slices.Equal(got, []string{"--temporary-password"}) {
		t.Errorf("temp suggests %q", got)
	}
	press(e, KeyTab)
	if !strings.HasSuffix(e.Line(), " --temporary-password ") {
		t.Errorf("line %q", e.Line())
	}
	// After a value option: no suggestion (free text), its doc on the doc line.
	if len(e.Suggestions()) != 0 || !strings.HasPrefix(e.Doc(), "--temporary-password: string") || !strings.Contains(e.Doc(), "sensitive") {
		t.Errorf("value of --temporary-password: %q, doc %q", texts(e), e.Doc())
	}

	// Global options only once the word starts with "-".
	e = newEd("cognito-idp", "list-users")
	if slices.Contains(texts(e), "--output") {
		t.Error("globals offered on an empty word")
	}
	typeIn(t, e, "--")
	got := texts(e)
	if !slices.Contains(got, "--output") || !slices.Contains(got, "--page-size") || got[0] != "--user-pool-id" {
		t.Errorf("-- suggests %q", got)
	}
	if slices.Contains(got, "--cli-auto-prompt") || slices.Contains(got, "--no-cli-auto-prompt") {
		t.Error("auto-prompt flags offered")
	}
	if i, j := slices.Index(got, "--max-items"), slices.Index(got, "--debug"); i < 0 || j < 0 || i > j {
		t.Errorf("operation options must come before globals: %q", got)
	}
	// Paginated operation: its pagination options, in the CLI's order.
	if i, j, k := slices.Index(got, "--starting-token"), slices.Index(got, "--page-size"), slices.Index(got, "--max-items"); !(i >= 0 && i < j && j < k) {
		t.Errorf("pagination options: %q", got)
	}
	typeIn(t, e, "no-")
	if got := texts(e); !slices.Equal(got, []string{"--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager"}) {
		t.Errorf("--no- suggests %q", got)
	}

	// An unambiguous prefix counts as the option (argparse).
	e = newEd("cognito-idp", "list-users", "--user-pool", "x")
	if slices.Contains(texts(e), "--user-pool-id") {
		t.Errorf("--user-pool did not count as --user-pool-id: %q", texts(e))
	}
	// --cli-input-json makes nothing required.
	e = newEd("cognito-idp", "list-users", "--cli-input-json", "{}")
	if got := displays(e); slices.Contains(got, "--user-pool-id (required)") || !slices.Contains(got, "--user-pool-id") {
		t.Errorf("with --cli-input-json: %q", got)
	}
	e = newEd("cognito-idp", "list-users", "--generate-cli-skeleton", "output")
	if got := displays(e); !slices.Contains(got, "--user-pool-id (required)") {
		t.Errorf("with --generate-cli-skeleton output: %q", got)
	}
}

func TestCompleteValues(t *testing.T) {
	e := newEd("cognito-idp", "admin-create-user", "--message-action")
	if got := texts(e); !slices.Equal(got, []string{"RESEND", "SUPPRESS"}) {
		t.Fatalf("--message-action values %q", got)
	}
	if !strings.Contains(e.Doc(), "values: RESEND, SUPPRESS") {
		t.Errorf("doc %q", e.Doc())
	}
	typeIn(t, e, "s")
	press(e, KeyTab)
	checkLine(t, e, "cognito-idp admin-create-user --message-action SUPPRESS ", -1)
	if got := displays(e); got[0] != "--user-pool-id (required)" {
		t.Errorf("after the value: %q", got)
	}

	// A list of enum values: the values not yet given, then options.
	e = newEd("cognito-idp", "admin-create-user", "--desired-delivery-mediums")
	if got := texts(e); !slices.Equal(got, []string{"SMS", "EMAIL"}) {
		t.Fatalf("--desired-delivery-mediums values %q", got)
	}
	press(e, KeyDown, KeyEnter)
	if got := texts(e); !slices.Equal(got, []string{"EMAIL"}) {
		t.Fatalf("after SMS: %q", got)
	}
	typeIn(t, e, "--u")
	if got := texts(e); !slices.Equal(got, []string{"--user-pool-id", "--username", "--user-attributes"}) {
		t.Errorf("--u after a list: %q", got)
	}

	// A list without enum values: options after its first value.
	e = newEd("cognito-idp", "set-log-delivery-configuration", "--log-configurations", "LogLevel=ERROR")
	if got := texts(e); !slices.Equal(got, []string{"--user-pool-id", "--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton"}) {
		t.Errorf("after a list value: %q", got)
	}

	// --name=value completion.
	e = newEd("cognito-idp", "list-users")
	typeIn(t, e, "--output=t")
	if got := texts(e); !slices.Equal(got, []string{"--output=text", "--output=table"}) {
		t.Fatalf("--output=t suggests %q", got)
	}
	press(e, KeyTab) // the common prefix is the word: highlight the first
	checkLine(t, e, "cognito-idp list-users --output=t", -1)
	if e.Selected() != 0 {
		t.Fatalf("selected %d", e.Selected())
	}
	press(e, KeyDown, KeyTab)
	checkLine(t, e, "cognito-idp list-users --output=table ", -1)
	if slices.Contains(texts(e), "--output") {
		t.Error("--output=table did not count as given")
	}

	// Global choices.
	for opt, want := range map[string][]string{
		"--color":                 {"on", "off", "auto"},
		"--cli-binary-format":     {"base64", "raw-in-base64-out"},
		"--cli-error-format":      {"legacy", "json", "yaml", "text", "table", "enhanced"},
		"--generate-cli-skeleton": {"input", "output", "yaml-input"},
	} {
		e = newEd("cognito-idp", "list-users", opt)
		if got := texts(e); !slices.Equal(got, want) {
			t.Errorf("%s values %q", opt, got)
		}
	}
	// A value option with no enum: nothing, even when a value is typed.
	e = newEd("cognito-idp", "list-users", "--region")
	typeIn(t, e, "eu")
	if len(e.Suggestions()) != 0 || !strings.Contains(e.Doc(), "--region (global)") {
		t.Errorf("--region eu: %q %q", texts(e), e.Doc())
	}
	// A word starting with "--" after a value option is an option.
	typeIn(t, e, " --output ")
	press(e, KeyBackspace, KeyBackspace, KeyBackspace, KeyBackspace, KeyBackspace, KeyBackspace, KeyBackspace)
	checkLine(t, e, "cognito-idp list-users --region eu --", -1)
	typeIn(t, e, "out")
	if got := texts(e); !slices.Equal(got, []string{"--output"}) {
		t.Errorf("--out: %q", got)
	}
}

func TestDocLine(t *testing.T) {
	e := newEd("cognito-idp", "list-users")
	if d := e.Doc(); d != "ListUsers: requires --user-pool-id; 11 options; paginated" {
		t.Errorf("operation doc %q", d)
	}
	press(e, KeyDown)
	if d := e.Doc(); d != `--user-pool-id (required): string; length 1 to 55; pattern [\w-]+_[0-9a-zA-Z]+` {
		t.Errorf("--user-pool-id doc %q", d)
	}
	e = newEd("cognito-idp", "set-log-delivery-configuration", "--user-pool-id", "x")
	press(e, KeyDown)
	d := e.Doc()
	for _, w := range []string{"--log-configurations (required): list of structure", "items 0 to 2", "members: LogLevel (required), EventSource (required)"} {
		if !strings.Contains(d, w) {
			t.Errorf("doc %q lacks %q", d, w)
		}
	}
	e = newEd("cognito-idp", "admin-create-user")
	typeIn(t, e, "--client")
	press(e, KeyDown)
	if d := e.Doc(); !strings.HasPrefix(d, "--client-metadata: map of string to string") {
		t.Errorf("map doc %q", d)
	}
	e = newEd("cognito-idp", "admin-create-user")
	typeIn(t, e, "--no-force")
	press(e, KeyDown)
	if d := e.Doc(); !strings.Contains(d, "to false") {
		t.Errorf("boolean doc %q", d)
	}
	e = newEd("cognito-idp", "list-users")
	typeIn(t, e, "--col")
	press(e, KeyDown)
	if d := e.Doc(); d != "--color (global): string; colour of table output: on, off, auto" {
		t.Errorf("global doc %q", d)
	}
	e = newEd("cognito-idp")
	typeIn(t, e, "admin-create-user")
	press(e, KeyDown)
	if d := e.Doc(); !strings.HasPrefix(d, "AdminCreateUser: requires --user-pool-id --username; ") {
		t.Errorf("operation suggestion doc %q", d)
	}
}

func TestEditingKeys(t *testing.T) {
	e := newEd()
	typeIn(t, e, "abc def ghi")
	press(e, KeyLeft, KeyLeft)
	checkLine(t, e, "abc def ghi", 9)
	press(e, KeyBackspace)
	checkLine(t, e, "abc def hi", 8)
	press(e, KeyDelete)
	checkLine(t, e, "abc def i", 8)
	press(e, KeyHome)
	checkLine(t, e, "abc def i", 0)
	press(e, KeyBackspace, KeyLeft) // no-ops at the start
	checkLine(t, e, "abc def i", 0)
	press(e, KeyDelete)
	checkLine(t, e, "bc def i", 0)
	press(e, KeyWordRight)
	checkLine(t, e, "bc def i", 2)
	press(e, KeyWordRight)
	checkLine(t, e, "bc def i", 6)
	press(e, KeyWordLeft)
	checkLine(t, e, "bc def i", 3)
	press(e, KeyKillEnd)
	checkLine(t, e, "bc ", 3)
	typeIn(t, e, "xyz  ")
	press(e, KeyKillWord)
	checkLine(t, e, "bc ", 3)
	press(e, KeyEnd, KeyDelete, KeyRight)
	checkLine(t, e, "bc ", 3)
	typeIn(t, e, "q")
	press(e, KeyLeft, KeyKillStart)
	checkLine(t, e, "q", 0)
	press(e, KeyKillStart, KeyEnd, KeyKillEnd) // no-ops
	checkLine(t, e, "q", 1)

	// Unprintable runes are not inserted; pasted line breaks become spaces.
	e.Handle(Key{Code: KeyRune, Rune: 0x07})
	e.Handle(Key{Code: KeyPaste, Text: "a\nb\tc\x1bd"})
	checkLine(t, e, "qa b cd", -1)
	e.Handle(Key{Code: KeyPaste, Text: ""})
	checkLine(t, e, "qa b cd", -1)

	// Completion in the middle of a line replaces the whole word.
	e = newEd("cognito-idp", "list-users", "--user-pool-id", "x")
	press(e, KeyHome)
	for range len("cognito-idp list-") {
		press(e, KeyRight)
	}
	if got := texts(e); len(got) < 10 {
		t.Fatalf("mid-word suggestions %q", got)
	}
	typeIn(t, e, "groups")
	press(e, KeyDelete, KeyDelete, KeyDelete, KeyDelete, KeyDelete) // "users" gone
	checkLine(t, e, "cognito-idp list-groups --user-pool-id x ", len("cognito-idp list-groups"))
	e = newEd("cognito-idp", "list-users", "--user-pool-id", "x")
	press(e, KeyHome)
	for range len("cognito-idp list-u") {
		press(e, KeyRight)
	}
	press(e, KeyBackspace) // cognito-idp list-|sers
	typeIn(t, e, "user-pool-c")
	if got := texts(e); !slices.Equal(got, []string{"list-user-pool-clients", "list-user-pool-client-secrets"}) && !slices.Contains(got, "list-user-pool-clients") {
		t.Fatalf("suggestions %q", got)
	}
	i := slices.Index(texts(e), "list-user-pool-clients")
	for range i + 1 {
		press(e, KeyDown)
	}
	press(e, KeyEnter)
	checkLine(t, e, "cognito-idp list-user-pool-clients --user-pool-id x ", len("cognito-idp list-user-pool-clients "))
}

func TestHighlight(t *testing.T) {
	e := newEd("cognito-idp", "admin-create-user", "--message-action")
	if e.Selected() != -1 {
		t.Fatal("starts highlighted")
	}
	press(e, KeyDown)
	if e.Selected() != 0 {
		t.Fatal()
	}
	press(e, KeyDown)
	if e.Selected() != 1 {
		t.Fatal()
	}
	press(e, KeyDown) // past the end: none
	if e.Selected() != -1 {
		t.Fatal()
	}
	press(e, KeyUp) // from none: the last
	if e.Selected() != 1 {
		t.Fatal()
	}
	press(e, KeyBackTab, KeyBackTab)
	if e.Selected() != -1 {
		t.Fatal()
	}
	press(e, KeyDown, KeyEscape)
	if e.Selected() != -1 || e.Line() != "cognito-idp admin-create-user --message-action " {
		t.Fatal("Esc")
	}
	// Typing drops the highlight.
	press(e, KeyDown)
	typeIn(t, e, "R")
	if e.Selected() != -1 || !slices.Equal(texts(e), []string{"RESEND"}) {
		t.Fatal("typing")
	}
	// Tab on the highlighted entry accepts it.
	e = newEd("cognito-idp", "admin-create-user", "--message-action")
	press(e, KeyDown, KeyDown, KeyTab)
	checkLine(t, e, "cognito-idp admin-create-user --message-action SUPPRESS ", -1)
	// No suggestions: Up, Down and Tab do nothing.
	e = newEd("cognito-idp", "list-users", "--region")
	press(e, KeyDown, KeyUp, KeyTab)
	if e.Selected() != -1 || e.Line() != "cognito-idp list-users --region " {
		t.Fatal("no suggestions")
	}
}

func TestAcceptAndCancel(t *testing.T) {
	e := newEd("cognito-idp", "get-log-delivery-configuration", "--user-pool-id", "us-east-1_X")
	if a := press(e, KeyEnter); a != ActionAccept {
		t.Fatalf("Enter on a complete line: %v (%q)", a, e.Status())
	}
	args, err := e.Args()
	if err != nil || !slices.Equal(args, []string{"cognito-idp", "get-log-delivery-configuration", "--user-pool-id", "us-east-1_X"}) {
		t.Fatalf("Args %q %v", args, err)
	}

	// Missing required option: said once, the second Enter runs.
	e = newEd("cognito-idp", "get-log-delivery-configuration")
	if a := press(e, KeyEnter); a != ActionNone || !strings.Contains(e.Status(), "missing required --user-pool-id") {
		t.Fatalf("first Enter: %v %q", a, e.Status())
	}
	if r := e.Render(80, 24); r.Lines[len(r.Lines)-1].Style != StyleStatus || !strings.Contains(r.Lines[len(r.Lines)-1].Text, "Enter again") {
		t.Errorf("status line %+v", r.Lines)
	}
	if a := press(e, KeyEnter); a != ActionAccept {
		t.Fatalf("second Enter: %v", a)
	}
	// An edit between the two Enters asks again.
	e = newEd("cognito-idp", "get-log-delivery-configuration")
	press(e, KeyEnter)
	typeIn(t, e, "--debug ")
	if e.Status() != "" {
		t.Error("status kept after an edit")
	}
	if a := press(e, KeyEnter); a != ActionNone {
		t.Fatal("Enter after an edit ran the line")
	}
	// Highlighted suggestion: Enter takes it and does not run.
	e = newEd("cognito-idp", "get-log-delivery-configuration")
	if a := press(e, KeyDown, KeyEnter); a != ActionNone || e.Line() != "cognito-idp get-log-delivery-configuration --user-pool-id " {
		t.Fatalf("Enter on a highlight: %v %q", a, e.Line())
	}
	// No operation.
	e = newEd("cognito-idp")
	if a := press(e, KeyEnter); a != ActionNone || !strings.HasPrefix(e.Status(), "no operation given") {
		t.Fatalf("no operation: %v %q", a, e.Status())
	}
	// --cli-input-json: nothing is required.
	e = newEd("cognito-idp", "get-log-delivery-configuration", "--cli-input-json", "file://in.json")
	if a := press(e, KeyEnter); a != ActionAccept {
		t.Fatalf("with --cli-input-json: %v %q", a, e.Status())
	}
	// An open quote never runs.
	e = newEd("cognito-idp", "list-users", "--user-pool-id", "x")
	typeIn(t, e, "--filter 'name")
	for range 2 {
		if a := press(e, KeyEnter); a != ActionNone || e.Status() != "cannot run: no closing quotation" {
			t.Fatalf("open quote: %v %q", a, e.Status())
		}
	}
	typeIn(t, e, "'")
	if a := press(e, KeyEnter); a != ActionAccept {
		t.Fatalf("closed quote: %v %q", a, e.Status())
	}
	if args, _ := e.Args(); args[len(args)-1] != "name" {
		t.Errorf("args %q", args)
	}
	// "help" needs nothing else.
	for _, args := range [][]string{{"cognito-idp", "help"}, {"cognito-idp", "list-users", "help"}} {
		e = newEd(args...)
		if a := press(e, KeyEnter); a != ActionAccept {
			t.Errorf("%q: %v %q", args, a, e.Status())
		}
	}
	// Ctrl-C and Ctrl-D give up, whatever the state.
	for _, k := range []KeyCode{KeyInterrupt, KeyEOF} {
		e = newEd("cognito-idp", "list-users")
		press(e, KeyDown)
		if a := press(e, k); a != ActionCancel {
			t.Errorf("%v: %v", k, a)
		}
	}
}

func TestRender(t *testing.T) {
	e := newEd("cognito-idp")
	sc := e.Render(80, 24)
	if sc.Lines[0].Text != "> cognate cognito-idp " || sc.CursorCol != len("> cognate cognito-idp ") {
		t.Fatalf("prompt line %q col %d", sc.Lines[0].Text, sc.CursorCol)
	}
	if len(sc.Lines) != 1+MaxMenu+1 {
		t.Fatalf("%d lines", len(sc.Lines))
	}
	ops := allOperations()
	if !strings.HasPrefix(sc.Lines[1].Text, "  "+ops[0]) || !strings.HasPrefix(sc.Lines[len(sc.Lines)-1].Text, "[1-10 of ") {
		t.Errorf("menu %q … %q", sc.Lines[1].Text, sc.Lines[len(sc.Lines)-1].Text)
	}
	// Scrolling follows the highlight.
	for range 12 {
		press(e, KeyDown)
	}
	sc = e.Render(80, 24)
	if sc.Lines[MaxMenu].Style != StyleSelected || !strings.Contains(sc.Lines[MaxMenu].Text, ops[11]) {
		t.Errorf("highlight row %+v", sc.Lines[MaxMenu])
	}
	if !strings.HasPrefix(sc.Lines[len(sc.Lines)-1].Text, "[3-12 of ") {
		t.Errorf("count %q", sc.Lines[len(sc.Lines)-1].Text)
	}
	press(e, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp, KeyUp) // to 0
	sc = e.Render(80, 24)
	if sc.Lines[1].Style != StyleSelected {
		t.Errorf("back to the top: %+v", sc.Lines[1])
	}
	// Small terminals: at most height-1 lines, at most width-1 columns.
	for _, size := range [][2]int{{80, 24}, {20, 5}, {12, 3}, {5, 2}, {1, 1}, {0, 0}, {200, 4}} {
		sc = e.Render(size[0], size[1])
		w, h := size[0], size[1]
		if w == 0 {
			w, h = 80, 24
		}
		if len(sc.Lines) > max(1, h-1) {
			t.Errorf("%v: %d lines", size, len(sc.Lines))
		}
		for _, l := range sc.Lines {
			if n := len([]rune(l.Text)); n > max(1, w-1) {
				t.Errorf("%v: line of %d: %q", size, n, l.Text)
			}
		}
		if sc.CursorCol > max(1, w-1) {
			t.Errorf("%v: cursor at %d", size, sc.CursorCol)
		}
	}

	// A long line scrolls sideways to keep the cursor in view.
	e = newEd("cognito-idp", "list-users", "--user-pool-id", strings.Repeat("x", 100))
	sc = e.Render(40, 10)
	if sc.CursorCol != 39 || !strings.HasSuffix(sc.Lines[0].Text, "xxx ") || !strings.HasPrefix(sc.Lines[0].Text, Prefix) {
		t.Errorf("end of a long line: %q col %d", sc.Lines[0].Text, sc.CursorCol)
	}
	press(e, KeyHome)
	sc = e.Render(40, 10)
	if sc.CursorCol != len(Prefix) || !strings.HasPrefix(sc.Lines[0].Text, Prefix+"cognito-idp list-users") {
		t.Errorf("start of a long line: %q col %d", sc.Lines[0].Text, sc.CursorCol)
	}
	press(e, KeyEnd, KeyKillStart)
	sc = e.Render(40, 10)
	if sc.Lines[0].Text != Prefix || sc.CursorCol != len(Prefix) {
		t.Errorf("after Ctrl-U: %q col %d", sc.Lines[0].Text, sc.CursorCol)
	}
}

// FuzzEditor drives the editor with keys from a small alphabet that
// reaches completion, quoting and every editing key, checking its
// invariants after each.
func FuzzEditor(f *testing.F) {
	f.Add([]byte("cognito-idp list-users --u\t\x80 --output\x81\x81\x82"), uint8(40), uint8(8))
	f.Add([]byte("\x84\x85'a b\x83\x86\x87\x88 \"x\\"), uint8(10), uint8(3))
	special := []KeyCode{KeyTab, KeyDown, KeyEnter, KeyBackspace, KeyLeft, KeyRight, KeyHome, KeyEnd, KeyDelete,
		KeyKillStart, KeyKillEnd, KeyKillWord, KeyWordLeft, KeyWordRight, KeyUp, KeyBackTab, KeyEscape}
	f.Fuzz(func(t *testing.T, in []byte, w, h uint8) {
		e := newEd("cognito-idp")
		for _, b := range in {
			var k Key
			if b >= 0x80 {
				k = Key{Code: special[int(b-0x80)%len(special)]}
			} else if b >= 0x20 && b < 0x7f {
				k = Key{Code: KeyRune, Rune: rune(b)}
			} else {
				continue
			}
			a := e.Handle(k)
			if e.Cursor() < 0 || e.Cursor() > len([]rune(e.Line())) {
				t.Fatalf("cursor %d on %q", e.Cursor(), e.Line())
			}
			if sel := e.Selected(); sel < -1 || sel >= len(e.Suggestions()) {
				t.Fatalf("selected %d of %d", sel, len(e.Suggestions()))
			}
			if a == ActionAccept {
				if _, err := e.Args(); err != nil {
					t.Fatalf("accepted %q: %v", e.Line(), err)
				}
			}
			sc := e.Render(int(w), int(h))
			width, height := int(w), int(h)
			if width == 0 || height == 0 {
				width, height = 80, 24
			}
			if len(sc.Lines) > max(1, height-1) || sc.CursorCol > max(1, width-1) {
				t.Fatalf("screen %dx%d: %d lines, cursor %d", width, height, len(sc.Lines), sc.CursorCol)
			}
			for _, l := range sc.Lines {
				if len([]rune(l.Text)) > max(1, width-1) {
					t.Fatalf("screen %dx%d: line %q", width, height, l.Text)
				}
			}
		}
	})
}
