package e2e

// The differential test of `cognate cognito-idp` (issue 3, item 9): every
// case runs the same command line with cognate and with the AWS CLI v2
// against the same running Cognate and compares stdout, stderr and exit
// code byte for byte. Each run has a fresh environment of its own (temp
// HOME, throw-away keys, us-west-2, no pager, no colour, the model of the
// machine's botocore in AWS_DATA_PATH, the test server's --endpoint-url).
// The AWS CLI runs in fork servers (clidiff_awsserver_test.go) to fit the
// time budget; a sample of cases is also run with /usr/bin/aws directly
// and must print the same.
//
// The only AWS CLI v2 installable here is Debian's 2.9.19
// ($COGNATE_AWS_V2, installed by scripts/test.sh), while Cognate targets
// the behaviour of 2.34+. The known differences between the two versions
// are mapped by rules (clidiff_rules_test.go): each rule is a named
// function that rewrites what 2.9.19 prints (or, rarely, the command line
// it is given) into what 2.34+ prints, citing the v2 source that shows it.
// A case lists the rules it needs, and a listed rule that changes nothing
// fails the case, so no rule hides anything. A difference no rule can map
// is an exception (clidiffException) that says why and what is still
// compared.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// cliResult is what one CLI did.
type cliResult struct {
	args   []string
	stdout string
	stderr string
	code   int
}

// diffCase is one command line run with both CLIs.
type diffCase struct {
	name string
	// args follow the program name; "{dir}" is the case's directory, "{own}"
	// a user pool created for this case and this CLI alone (for deletes).
	args []string
	// files are written in the case's directory, which is the working
	// directory of both CLIs (so file:// paths and messages are the same).
	files map[string]string
	// config and credentials are written as the AWS config and credentials
	// files of each CLI's own HOME.
	config, credentials string
	env                 []string // extra KEY=VALUE
	unset               []string // variables removed from the environment
	stdin               string
	noEndpoint          bool     // do not append --endpoint-url
	server              *cognate // default: the main server
	rules               []rule
	// normalize is applied to both results: generated fields only.
	normalize []normalizer
	exception *clidiffException
}

// clidiffException is a reviewed difference that no rule can map.
type clidiffException struct {
	reason string
	// what is still compared byte for byte
	code, stdout, stderr bool
	// check, when set, makes further comparisons.
	check func(t *testing.T, cognate, aws cliResult)
}

// normalizer rewrites a generated field of both results.
type normalizer struct {
	name string
	fn   func(string) string
}

// fixtures are the resources every case can name.
type fixtures struct {
	dir     string // root of the cases' directories
	plus    string // PLUS pool with the seed log delivery configuration and two tags
	plusArn string
	ess     string // ESSENTIALS pool, never configured
	essArn  string
	setPool string // PLUS pool that set-log-delivery-configuration writes
	tagArn  string // pool that tag-resource/untag-resource write
	oddArn  string // pool whose tags are awkward to print
	// serviceTokens are ListUserPools' own tokens after 2, 4 and 6 pools
	// (MaxResults 2), pageTokens the CLI's --starting-token for them.
	serviceTokens, pageTokens []string
}

func TestCLIDiff(t *testing.T) {
	awsBin := os.Getenv("COGNATE_AWS_V2")
	if awsBin == "" {
		t.Skip("COGNATE_AWS_V2 is not set (scripts/test.sh installs the AWS CLI v2 and sets it)")
	}
	if out, err := exec.Command(awsBin, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "aws-cli/2.9.19 ") {
		t.Fatalf("the rules of this test map the AWS CLI 2.9.19; %s --version: %q %v", awsBin, out, err)
	}
	start0 := time.Now()
	dataPath := botocoreModel(t)
	modelPath = dataPath
	var err error
	if awsPython, err = shebang(awsBin); err != nil {
		t.Fatal(err)
	}
	main := start(t, "--in-memory")
	pages := start(t, "--in-memory")
	fx := setupFixtures(t, main, pages)
	cases := clidiffCases(fx, main, pages)
	if len(cases) < 150 {
		t.Fatalf("%d cases; the issue asks for at least 150", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("two cases are named %q", c.name)
		}
		names[c.name] = true
	}

	// Pools of their own for the cases that delete one: one per CLI.
	own := map[string][2]string{}
	for i, c := range cases {
		if slices.Contains(c.args, "{own}") {
			own[c.name] = [2]string{
				createPool(t, main, fmt.Sprintf(`{"PoolName":"clidiff-own-%d-cognate"}`, i)),
				createPool(t, main, fmt.Sprintf(`{"PoolName":"clidiff-own-%d-aws"}`, i)),
			}
		}
	}

	// The AWS CLI runs in fork servers, one per worker.
	workers := runtime.NumCPU() + 1
	servers := make(chan *awsServer, workers)
	for range workers {
		s, err := startAWSServer(t, awsPython, awsBin, dataPath)
		if err != nil {
			t.Fatal(err)
		}
		servers <- s
	}

	// Run every invocation in a bounded pool, then compare case by case.
	type pair struct{ cognate, aws, direct cliResult }
	results := make([]pair, len(cases))
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*workers)
	for i := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = func() error {
				c := cases[i]
				dir := filepath.Join(fx.dir, fmt.Sprintf("case%03d", i))
				if err := writeCaseFiles(dir, c.files); err != nil {
					return err
				}
				for k := range 2 {
					args := make([]string, 0, len(c.args)+2)
					for _, a := range c.args {
						a = strings.ReplaceAll(a, "{dir}", dir)
						if a == "{own}" {
							a = own[c.name][k]
						}
						args = append(args, a)
					}
					srv := main
					if c.server != nil {
						srv = c.server
					}
					if !c.noEndpoint {
						args = append(args, "--endpoint-url", srv.endpoint)
					}
					env, err := caseEnv(t, c, dataPath)
					if err != nil {
						return err
					}
					if k == 0 {
						if results[i].cognate, err = runDirect(binary, args, env, dir, c.stdin); err != nil {
							return err
						}
						continue
					}
					for _, r := range c.rules {
						if r.argv != nil {
							before := slices.Clone(args)
							args = r.argv(args, env)
							if slices.Equal(before, args) {
								return fmt.Errorf("rule %s did not change the command line", r.name)
							}
						}
					}
					s := <-servers
					results[i].aws, err = s.run(args, env, dir, c.stdin)
					servers <- s
					if err != nil {
						return err
					}
					if awsServerCheck[c.name] {
						if results[i].direct, err = runDirect(awsBin, args, env, dir, c.stdin); err != nil {
							return err
						}
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	checked := 0
	for i, c := range cases {
		if awsServerCheck[c.name] {
			checked++
			if errs[i] == nil && !sameResult(results[i].aws, results[i].direct) {
				t.Errorf("%s: the fork server's run differs from /usr/bin/aws's:\nserver:\n%s\ndirect:\n%s", c.name, showResult(results[i].aws), showResult(results[i].direct))
			}
		}
	}
	if checked != len(awsServerCheck) {
		t.Errorf("awsServerCheck names %d cases, %d found", len(awsServerCheck), checked)
	}
	t.Logf("%d cases, %d invocations, %v", len(cases), 2*len(cases), time.Since(start0).Round(time.Millisecond))
	uses := map[string]int{}
	var ruleNames []string
	for _, c := range cases {
		for _, r := range c.rules {
			if uses[r.name] == 0 {
				ruleNames = append(ruleNames, r.name)
			}
			uses[r.name]++
		}
		for _, n := range c.normalize {
			if uses["normalizer "+n.name] == 0 {
				ruleNames = append(ruleNames, "normalizer "+n.name)
			}
			uses["normalizer "+n.name]++
		}
		if c.exception != nil {
			t.Logf("exception %s: %s", c.name, c.exception.reason)
		}
	}
	slices.Sort(ruleNames)
	for _, n := range ruleNames {
		t.Logf("rule %s: %d cases", n, uses[n])
	}

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			cg, aw := results[i].cognate, results[i].aws
			for _, r := range c.rules {
				if r.out == nil {
					continue
				}
				before := aw
				r.out(&aw)
				same := before.stdout == aw.stdout && before.stderr == aw.stderr && before.code == aw.code
				if same && r.argv == nil {
					t.Errorf("rule %s changed nothing in the AWS CLI's answer:\n%s", r.name, showResult(before))
				}
			}
			for _, n := range c.normalize {
				before := cg.stdout + cg.stderr + aw.stdout + aw.stderr
				cg.stdout, cg.stderr = n.fn(cg.stdout), n.fn(cg.stderr)
				aw.stdout, aw.stderr = n.fn(aw.stdout), n.fn(aw.stderr)
				if cg.stdout+cg.stderr+aw.stdout+aw.stderr == before {
					t.Errorf("normalizer %s changed nothing", n.name)
				}
			}
			compareResults(t, c, cg, aw)
		})
	}
}

// compareResults compares what cognate did with what the AWS CLI (mapped
// to 2.34+) did, within the case's exception if it has one.
func compareResults(t *testing.T, c diffCase, cg, aw cliResult) {
	t.Helper()
	code, stdout, stderr := true, true, true
	if e := c.exception; e != nil {
		if e.reason == "" {
			t.Fatal("an exception needs its reason")
		}
		code, stdout, stderr = e.code, e.stdout, e.stderr
		if e.check != nil {
			e.check(t, cg, aw)
		}
	}
	if code && cg.code != aw.code {
		t.Errorf("exit code: cognate %d, aws %d", cg.code, aw.code)
	}
	if stdout && cg.stdout != aw.stdout {
		t.Errorf("stdout differs\n%s", textDiff(cg.stdout, aw.stdout))
	}
	if stderr && cg.stderr != aw.stderr {
		t.Errorf("stderr differs\n%s", textDiff(cg.stderr, aw.stderr))
	}
	if t.Failed() {
		t.Logf("command line: %q\ncognate:\n%s\naws (mapped):\n%s", cg.args, showResult(cg), showResult(aw))
	}
}

func showResult(r cliResult) string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s---", r.code, r.stdout, r.stderr)
}

// textDiff shows the first differing line of two texts, quoted.
func textDiff(cg, aw string) string {
	a, b := strings.SplitAfter(cg, "\n"), strings.SplitAfter(aw, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  cognate %q\n  aws     %q", i+1, x, y)
		}
	}
	return ""
}

// caseEnv is the fresh environment of one CLI's run: its own HOME (with
// the case's config files), throw-away keys, us-west-2, no pager, no IMDS,
// UTC, then the case's changes.
func caseEnv(t *testing.T, c diffCase, dataPath string) ([]string, error) {
	env := awsEnv(t)
	home := ""
	for _, kv := range env {
		if h, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = h
		}
	}
	if c.config != "" {
		if err := os.WriteFile(filepath.Join(home, "config"), []byte(c.config), 0o600); err != nil {
			return nil, err
		}
	}
	if c.credentials != "" {
		if err := os.WriteFile(filepath.Join(home, "credentials"), []byte(c.credentials), 0o600); err != nil {
			return nil, err
		}
	}
	env = append(env, "AWS_DATA_PATH="+dataPath, "AWS_EC2_METADATA_DISABLED=true", "TZ=UTC")
	env = append(env, c.env...)
	env = slices.DeleteFunc(env, func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.Contains(c.unset, k)
	})
	return env, nil
}

// runDirect runs a program and collects what it printed.
func runDirect(program string, args, env []string, dir, stdin string) (cliResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Env = env
	cmd.Dir = dir
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := cliResult{args: args, stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		return res, fmt.Errorf("run %s: %v", program, err)
	}
	return res, nil
}

func writeCaseFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// botocoreModel writes the machine's botocore model of cognito-idp (the
// AWS CLI 2.9.19's own lacks the log delivery operations) into a directory
// for AWS_DATA_PATH.
func botocoreModel(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		t.Fatalf("find botocore: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "data", "cognito-idp", "2016-04-18")
	dst := filepath.Join(t.TempDir(), "cognito-idp", "2016-04-18")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"service-2.json", "paginators-1.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if os.IsNotExist(err) {
			var gz []byte
			if gz, err = os.ReadFile(filepath.Join(src, name+".gz")); err == nil {
				var r *gzip.Reader
				if r, err = gzip.NewReader(bytes.NewReader(gz)); err == nil {
					b, err = io.ReadAll(r)
				}
			}
		}
		if err != nil {
			t.Fatalf("botocore model %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Dir(filepath.Dir(dst))
}

// createPool creates a user pool with a raw signed request and returns its ID.
func createPool(t *testing.T, c *cognate, body string) string {
	t.Helper()
	var out struct{ UserPool struct{ Id, Arn string } }
	mustCall(t, c, "CreateUserPool", body, &out)
	return out.UserPool.Id
}

func mustCall(t *testing.T, c *cognate, op, body string, out any) {
	t.Helper()
	status, b, err := c.call(context.Background(), op, body)
	if err != nil || status != 200 {
		t.Fatalf("%s %s: %d %v %s", op, body, status, err, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}

// The seed configuration of the AWS CLI page, in shorthand.
const (
	seedCW = "LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported}"
	seedS3 = "LogLevel=INFO,EventSource=userAuthEvents,S3Configuration={BucketArn=arn:aws:s3:::amzn-s3-demo-bucket1}"
)

const seedJSON = `[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:us-west-2:123456789012:log-group:cognito-exported"}},` +
	`{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"arn:aws:s3:::amzn-s3-demo-bucket1"}}]`

// oddTags are tag values that test the formats' quoting, escaping and
// widths: wide and non-BMP characters, quotes, a newline, a tab, strings
// that look like numbers, booleans, null, dates, YAML indicators, and a
// long value.
const oddTags = `{"名前":"値です","emoji":"😀 smile","quote":"it's \"q\"","multi":"a\nb","tab":"a\tb","num":"1111","float":"1.5","bool":"true","null":"null","date":"2024-01-01","star":"*x","colon":"a: b","empty":"","space":" lead","long":"` +
	`word word word word word word word word word word word word word word word word word word word word"}`

// pagePools is how many pools the pagination server holds.
const pagePools = 7

func setupFixtures(t *testing.T, main, pages *cognate) fixtures {
	t.Helper()
	fx := fixtures{dir: t.TempDir()}
	var out struct{ UserPool struct{ Id, Arn string } }
	mustCall(t, main, "CreateUserPool", `{"PoolName":"clidiff-plus","UserPoolTier":"PLUS","UserPoolTags":{"team":"cognito","env":"test"}}`, &out)
	fx.plus, fx.plusArn = out.UserPool.Id, out.UserPool.Arn
	// The log groups the cases name as destinations must exist.
	for _, g := range []string{"cognito-exported", "a", "from-file", "g", "yaml"} {
		mustCreateLogGroup(t, main, g)
	}
	mustCreateBucket(t, main, "amzn-s3-demo-bucket1")
	mustCreateStream(t, main, "s") // named by the json/one-token-per-element case
	mustCall(t, main, "SetLogDeliveryConfiguration", `{"UserPoolId":"`+fx.plus+`","LogConfigurations":`+seedJSON+`}`, nil)
	mustCall(t, main, "CreateUserPool", `{"PoolName":"clidiff-ess"}`, &out)
	fx.ess, fx.essArn = out.UserPool.Id, out.UserPool.Arn
	fx.setPool = createPool(t, main, `{"PoolName":"clidiff-set","UserPoolTier":"PLUS"}`)
	mustCall(t, main, "CreateUserPool", `{"PoolName":"clidiff-tag"}`, &out)
	fx.tagArn = out.UserPool.Arn
	mustCall(t, main, "CreateUserPool", `{"PoolName":"clidiff-odd","UserPoolTags":`+oddTags+`}`, &out)
	fx.oddArn = out.UserPool.Arn
	for i := 1; i <= pagePools; i++ {
		createPool(t, pages, fmt.Sprintf(`{"PoolName":"page-%d"}`, i))
	}
	// The service's tokens after 2 and 4 pools, as the CLI encodes them
	// (botocore paginate.TokenEncoder: base64 of json.dumps).
	token := ""
	for range 3 {
		body := `{"MaxResults":2}`
		if token != "" {
			body = `{"MaxResults":2,"NextToken":"` + token + `"}`
		}
		var page struct{ NextToken string }
		mustCall(t, pages, "ListUserPools", body, &page)
		token = page.NextToken
		fx.serviceTokens = append(fx.serviceTokens, token)
		fx.pageTokens = append(fx.pageTokens, base64.StdEncoding.EncodeToString([]byte(`{"NextToken": "`+token+`"}`)))
	}
	return fx
}
