// Command loadgen sends signed AWS JSON 1.1 Cognito requests to one endpoint
// as fast as it can from a fixed number of workers, and reports throughput
// and latency. It measures Cognate, moto and the no-op ceiling server
// (bench/noop) with exactly the same client, so their figures compare.
//
//	loadgen -endpoint http://127.0.0.1:9229 -op DescribeUserPool -c 8 -d 5s
//	loadgen -endpoint http://127.0.0.1:9229 -op CreateUserPool -c 64 -n 10000 -json
//
// Two helper modes serve bench/run.sh:
//
//	loadgen -endpoint E -print-pool             create a PLUS pool, print its ID
//	loadgen -endpoint E -launch -pidfile F -log L -- CMD ARGS...
//	                                            start CMD, poll it every -poll
//	                                            until it answers, print the delay
//
// The generator's own cost per request is kept small and identical for every
// target: requests are signed once, up front, and only copied afterwards
// (see newTemplate), and connections are kept alive.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	targetPrefix = "AWSCognitoIdentityProviderService."
	signingName  = "cognito-idp"
	// benchLogGroup is in account 123456789012, Cognate's default account:
	// a log group of another account is refused.
	benchLogGroup = "arn:aws:logs:us-west-2:123456789012:log-group:bench"
	// noopPoolID is the pool a Noop request names when -pool is empty; the
	// no-op server never looks.
	noopPoolID = "us-west-2_NoopNoop1"
)

// operation is one kind of request the generator can send.
type operation struct {
	// target is the operation named in X-Amz-Target.
	target string
	// needsPool is true when the body names an existing pool.
	needsPool bool
	// body returns the body of the seq-th request (seq counts from 0).
	// Bodies that differ per request must keep the same shape.
	body func(o *options, seq uint64) []byte
	// fixed is true when body ignores seq: the body is built once.
	fixed bool
	// needsUsers: the body names a pool made for users (createUserPool),
	// created first unless -pool is given; needsClient: and an app client
	// of it without a secret (-client).
	needsUsers, needsClient bool
	// needsSignIn: a pool, a client allowing USER_PASSWORD_AUTH and a
	// confirmed user with signInPassword (setUpSignIn); threat: the pool
	// has threat protection and exports userAuthEvents.
	needsSignIn, threat bool
}

// signInPassword is the bench user's password: it satisfies the default
// policy and is not on Cognate's breached-password list.
const signInPassword = "Bench-Sign1n-Passw0rd!"

func signInUser(o *options) string { return "bench-signin-" + o.runID }

func signInBody(o *options, _ uint64) []byte {
	return mustJSON(map[string]any{"ClientId": o.client, "AuthFlow": "USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": signInUser(o), "PASSWORD": signInPassword}})
}

// setUpSignIn makes what the InitiateAuth operations sign in to.
func setUpSignIn(o *options, rt http.RoundTripper, threat bool) error {
	pool := map[string]any{"PoolName": "bench-signin-" + o.runID}
	if threat {
		pool["UserPoolTier"] = "PLUS"
		pool["UserPoolAddOns"] = map[string]any{"AdvancedSecurityMode": "AUDIT"}
	}
	var out struct{ UserPool struct{ Id string } }
	if err := call(o, rt, "CreateUserPool", pool, &out); err != nil {
		return err
	}
	o.pool = out.UserPool.Id
	if threat {
		if err := createLogGroup(o, rt); err != nil {
			return err
		}
		if err := call(o, rt, "SetLogDeliveryConfiguration", map[string]any{"UserPoolId": o.pool, "LogConfigurations": []any{map[string]any{
			"EventSource": "userAuthEvents", "LogLevel": "INFO", "CloudWatchLogsConfiguration": map[string]any{"LogGroupArn": benchLogGroup}}}}, &struct{}{}); err != nil {
			return err
		}
	}
	var client struct{ UserPoolClient struct{ ClientId string } }
	if err := call(o, rt, "CreateUserPoolClient", map[string]any{"UserPoolId": o.pool, "ClientName": "bench",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}, &client); err != nil {
		return err
	}
	o.client = client.UserPoolClient.ClientId
	if err := call(o, rt, "AdminCreateUser", map[string]any{"UserPoolId": o.pool, "Username": signInUser(o), "MessageAction": "SUPPRESS"}, &struct{}{}); err != nil {
		return err
	}
	return call(o, rt, "AdminSetUserPassword", map[string]any{"UserPoolId": o.pool, "Username": signInUser(o), "Password": signInPassword, "Permanent": true}, &struct{}{})
}

// benchUser and benchEmail are the username and email address of the
// seq-th user of a run: distinct, and the same length for every request.
func benchUser(o *options, seq uint64) string {
	return fmt.Sprintf("bench-%s-%010d", o.runID, seq)
}

func benchEmail(o *options, seq uint64) string {
	return fmt.Sprintf("success+%s-%010d@simulator.amazonses.com", o.runID, seq)
}

var operations = map[string]operation{
	"DescribeUserPool": {target: "DescribeUserPool", needsPool: true, fixed: true, body: func(o *options, _ uint64) []byte {
		return mustJSON(map[string]any{"UserPoolId": o.pool})
	}},
	"ListUserPools": {target: "ListUserPools", fixed: true, body: func(o *options, _ uint64) []byte {
		return mustJSON(map[string]any{"MaxResults": o.maxResults})
	}},
	"CreateUserPool": {target: "CreateUserPool", body: func(o *options, seq uint64) []byte {
		// Distinct names: a run prefix (unique per process) and a
		// zero-padded sequence number, so every body has the same length.
		return mustJSON(map[string]any{"PoolName": fmt.Sprintf("bench-%s-%010d", o.runID, seq)})
	}},
	"GetLogDeliveryConfiguration": {target: "GetLogDeliveryConfiguration", needsPool: true, fixed: true, body: func(o *options, _ uint64) []byte {
		return mustJSON(map[string]any{"UserPoolId": o.pool})
	}},
	"SetLogDeliveryConfiguration": {target: "SetLogDeliveryConfiguration", needsPool: true, fixed: true, body: func(o *options, _ uint64) []byte {
		return mustJSON(map[string]any{
			"UserPoolId": o.pool,
			"LogConfigurations": []any{map[string]any{
				"EventSource":                 "userNotification",
				"LogLevel":                    "ERROR",
				"CloudWatchLogsConfiguration": map[string]any{"LogGroupArn": benchLogGroup},
			}},
		})
	}},
	// The user operations run against a pool of their own (see
	// createUserPool): usernames are distinct per request, the same length
	// for every request; emails go to the SES mailbox simulator's success
	// address, which Cognate keeps in its outbox without counting it
	// against the COGNITO_DEFAULT daily quota [DOC SES mailbox simulator].
	// AdminCreateUser sends no invitation (MessageAction SUPPRESS): no
	// message, no password hash.
	"AdminCreateUser": {target: "AdminCreateUser", needsUsers: true, body: func(o *options, seq uint64) []byte {
		return mustJSON(map[string]any{"UserPoolId": o.pool, "Username": benchUser(o, seq), "MessageAction": "SUPPRESS",
			"UserAttributes": []any{map[string]any{"Name": "email", "Value": benchEmail(o, seq)}}})
	}},
	// AdminCreateUserInvite sends the invitation by email: a generated
	// temporary password, hashed, and a message in the outbox.
	"AdminCreateUserInvite": {target: "AdminCreateUser", needsUsers: true, body: func(o *options, seq uint64) []byte {
		return mustJSON(map[string]any{"UserPoolId": o.pool, "Username": benchUser(o, seq), "DesiredDeliveryMediums": []string{"EMAIL"},
			"UserAttributes": []any{map[string]any{"Name": "email", "Value": benchEmail(o, seq)}}})
	}},
	// SignUp through an app client without a secret: the chosen password
	// is hashed with the server's preset, and the pool verifies email, so
	// a confirmation code goes out.
	"SignUp": {target: "SignUp", needsUsers: true, needsClient: true, body: func(o *options, seq uint64) []byte {
		return mustJSON(map[string]any{"ClientId": o.client, "Username": benchUser(o, seq), "Password": "Bench-Passw0rd!",
			"UserAttributes": []any{map[string]any{"Name": "email", "Value": benchEmail(o, seq)}}})
	}},
	// InitiateAuth signs one user in with USER_PASSWORD_AUTH, again and
	// again (signInUser): one password check per request at the server's
	// hash cost, and on Cognate the signing of three tokens.
	"InitiateAuth": {target: "InitiateAuth", needsSignIn: true, fixed: true, body: signInBody},
	// InitiateAuthThreat is the same on a Plus pool with threat protection
	// in AUDIT that exports userAuthEvents to the built-in CloudWatch Logs:
	// every sign-in also writes an auth event and its record (Cognate only;
	// moto has no threat protection).
	"InitiateAuthThreat": {target: "InitiateAuth", needsSignIn: true, threat: true, fixed: true, body: signInBody},
	// Noop sends the very request DescribeUserPool sends, to a server that
	// does nothing with it (bench/noop): the ceiling of the machine.
	"Noop": {target: "DescribeUserPool", fixed: true, body: func(o *options, _ uint64) []byte {
		pool := o.pool
		if pool == "" {
			pool = noopPoolID
		}
		return mustJSON(map[string]any{"UserPoolId": pool})
	}},
}

type options struct {
	endpoint    string
	op          string
	concurrency int
	duration    time.Duration
	count       int64
	warmup      time.Duration
	region      string
	pool        string
	client      string
	maxResults  int
	timeout     time.Duration
	jsonOut     bool
	// signEach signs every request afresh, as SDK clients do, instead of
	// reusing one signature: the generator then costs what a real client
	// costs, which lowers every figure, the no-op ceiling included.
	signEach bool

	printPool bool

	launch  bool
	pidFile string
	logFile string
	poll    time.Duration

	runID string
}

func main() {
	o := &options{}
	flag.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "base URL of the target")
	flag.BoolVar(&o.signEach, "sign-each", false, "sign every request afresh (SigV4 per request, as an SDK does) instead of reusing one signature")
	flag.StringVar(&o.op, "op", "DescribeUserPool", "operation: "+strings.Join(opNames(), ", "))
	flag.IntVar(&o.concurrency, "c", 1, "concurrent workers (one connection each)")
	flag.DurationVar(&o.duration, "d", 5*time.Second, "how long to send requests (ignored when -n is set)")
	flag.Int64Var(&o.count, "n", 0, "send exactly this many requests instead of running for -d")
	flag.DurationVar(&o.warmup, "warmup", 0, "send unmeasured requests for this long first (a CreateUserPool warm-up creates pools too)")
	flag.StringVar(&o.region, "region", "us-west-2", "region of the SigV4 scope")
	flag.StringVar(&o.pool, "pool", "", "existing user pool ID; empty: create a PLUS pool when the operation needs one")
	flag.StringVar(&o.client, "client", "", "existing app client ID (without a secret) of -pool, for SignUp; empty: create one")
	flag.IntVar(&o.maxResults, "max-results", 60, "MaxResults of ListUserPools (1..60)")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "longest wait for one answer's headers")
	flag.BoolVar(&o.jsonOut, "json", false, "print one JSON line of results")
	flag.BoolVar(&o.printPool, "print-pool", false, "create a PLUS pool (unless -pool is set), print its ID and exit")
	flag.BoolVar(&o.launch, "launch", false, "start the command after the flags, poll -endpoint until it answers, print the delay")
	flag.StringVar(&o.pidFile, "pidfile", "", "with -launch: write the started process's ID here")
	flag.StringVar(&o.logFile, "log", "", "with -launch: the started process's stdout and stderr (default: discarded)")
	flag.DurationVar(&o.poll, "poll", 2*time.Millisecond, "with -launch: time between polls")
	flag.Parse()
	o.endpoint = strings.TrimRight(o.endpoint, "/")
	o.runID = strconv.FormatInt(time.Now().UnixNano(), 36)

	var err error
	switch {
	case o.launch:
		err = launch(o, flag.Args())
	case o.printPool:
		err = printPool(o)
	default:
		err = bench(o)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

func opNames() []string {
	names := make([]string, 0, len(operations)+1)
	for n := range operations {
		names = append(names, n)
	}
	names = append(names, "SRPSignIn") // benchSRP
	slices.Sort(names)
	return names
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// newTransport returns a keep-alive transport with room for one idle
// connection per worker, so no request pays for a new connection once the
// workers have started.
func newTransport(conns int, timeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          2 * conns,
		MaxIdleConnsPerHost:   2 * conns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: timeout,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
	}
}

// template is a signed request whose copies are sent again and again.
type template struct {
	req    *http.Request
	region string
	// signer is set when every copy is signed afresh (-sign-each).
	signer *v4.Signer
}

var benchCreds = aws.Credentials{AccessKeyID: "AKIDBENCHMARK0000000", SecretAccessKey: "bench/secret/key/not/checked/000000000000"}

// newTemplate builds and signs one request with the aws-sdk-go-v2 SigV4
// signer, as an SDK would send it.
//
// The signature is computed once and then reused for every copy, also with
// a different body (CreateUserPool's distinct names) and long after its
// X-Amz-Date. That is fine here because the targets run in a mode that does
// not verify signatures: Cognate without --keys-file accepts any well-formed
// SigV4 header (it still parses it, region and service included), and moto
// and the no-op server do not check them at all. Signing per request would
// add the generator's own HMAC work to every measurement.
func newTemplate(o *options, target string, body []byte) (*template, error) {
	req, err := http.NewRequest(http.MethodPost, o.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+target)
	req.Header.Set("User-Agent", "cognate-bench-loadgen")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), benchCreds, req, hex.EncodeToString(sum[:]), signingName, o.region, time.Now().UTC()); err != nil {
		return nil, err
	}
	t := &template{req: req, region: o.region}
	if o.signEach {
		t.signer = v4.NewSigner()
	}
	return t, nil
}

// with returns a copy of the signed request carrying body. The copy shares
// the template's header map, which nothing writes once signed.
func (t *template) with(body []byte) *http.Request {
	r := *t.req
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if t.signer != nil {
		r.Header = t.req.Header.Clone()
		r.Header.Del("Authorization")
		r.Header.Del("X-Amz-Date")
		sum := sha256.Sum256(body)
		// The template was signed with the same inputs, so this cannot fail.
		_ = t.signer.SignHTTP(context.Background(), benchCreds, &r, hex.EncodeToString(sum[:]), signingName, t.region, time.Now().UTC())
	}
	return &r
}

// send sends one request and reads the whole answer. It returns the status
// and, for a non-2xx answer, the body.
func send(rt http.RoundTripper, req *http.Request) (int, []byte, error) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return resp.StatusCode, b, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil, err
}

// createPool creates a PLUS-tier pool (PLUS so that every log delivery
// configuration is allowed) and returns its ID.
func createPool(o *options, rt http.RoundTripper) (string, error) {
	body := mustJSON(map[string]any{"PoolName": "bench-pool-" + o.runID, "UserPoolTier": "PLUS"})
	t, err := newTemplate(o, "CreateUserPool", body)
	if err != nil {
		return "", err
	}
	resp, err := rt.RoundTrip(t.with(body))
	if err != nil {
		return "", fmt.Errorf("CreateUserPool: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("CreateUserPool: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("CreateUserPool: HTTP %d: %s", resp.StatusCode, b)
	}
	var out struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal(b, &out); err != nil || out.UserPool.Id == "" {
		return "", fmt.Errorf("CreateUserPool: no UserPool.Id in %s", b)
	}
	return out.UserPool.Id, nil
}

// createUserPool creates the pool the user operations use: email
// verified automatically (SignUp sends a code), the default password
// policy and email settings. Returns its ID.
func createUserPool(o *options, rt http.RoundTripper) (string, error) {
	var out struct{ UserPool struct{ Id string } }
	err := call(o, rt, "CreateUserPool", map[string]any{"PoolName": "bench-users-" + o.runID, "AutoVerifiedAttributes": []string{"email"}}, &out)
	if err == nil && out.UserPool.Id == "" {
		err = errors.New("CreateUserPool: no UserPool.Id in the answer")
	}
	return out.UserPool.Id, err
}

// createLogGroup creates benchLogGroup in the built-in CloudWatch Logs
// (same endpoint), the destination SetLogDeliveryConfiguration names; one
// that exists already is fine.
func createLogGroup(o *options, rt http.RoundTripper) error {
	body := mustJSON(map[string]any{"logGroupName": "bench"})
	req, err := http.NewRequest(http.MethodPost, o.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "Logs_20140328.CreateLogGroup")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), benchCreds, req, hex.EncodeToString(sum[:]), "logs", "us-west-2", time.Now().UTC()); err != nil { // benchLogGroup's region
		return err
	}
	status, b, err := send(rt, req)
	if err != nil {
		return fmt.Errorf("CreateLogGroup: %w", err)
	}
	if status/100 != 2 && !bytes.Contains(b, []byte("ResourceAlreadyExistsException")) {
		return fmt.Errorf("CreateLogGroup: HTTP %d: %s", status, b)
	}
	return nil
}

// createClient creates an app client without a secret of o.pool.
func createClient(o *options, rt http.RoundTripper) (string, error) {
	var out struct{ UserPoolClient struct{ ClientId string } }
	err := call(o, rt, "CreateUserPoolClient", map[string]any{"UserPoolId": o.pool, "ClientName": "bench"}, &out)
	if err == nil && out.UserPoolClient.ClientId == "" {
		err = errors.New("CreateUserPoolClient: no UserPoolClient.ClientId in the answer")
	}
	return out.UserPoolClient.ClientId, err
}

// call sends one signed request and decodes a 2xx answer into out.
func call(o *options, rt http.RoundTripper, target string, in, out any) error {
	body := mustJSON(in)
	t, err := newTemplate(o, target, body)
	if err != nil {
		return err
	}
	resp, err := rt.RoundTrip(t.with(body))
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d: %s", target, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w in %s", target, err, b)
	}
	return nil
}

func printPool(o *options) error {
	if o.pool == "" {
		var err error
		if o.pool, err = createPool(o, newTransport(1, o.timeout)); err != nil {
			return err
		}
	}
	fmt.Println(o.pool)
	return nil
}

// result is what one run reports; its JSON form is one line of -json output.
type result struct {
	Endpoint    string  `json:"endpoint"`
	Op          string  `json:"op"`
	Concurrency int     `json:"concurrency"`
	Pool        string  `json:"pool,omitempty"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	Seconds     float64 `json:"seconds"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	FirstError  string  `json:"first_error,omitempty"`
}

// firstError keeps the first failure of a run.
type firstError struct {
	once sync.Once
	text string
}

func (f *firstError) set(status int, body []byte, err error) {
	f.once.Do(func() {
		if err != nil {
			f.text = err.Error()
			return
		}
		f.text = fmt.Sprintf("HTTP %d: %s", status, strings.TrimSpace(string(body)))
	})
}

func bench(o *options) error {
	if o.op == "SRPSignIn" {
		return benchSRP(o)
	}
	spec, ok := operations[o.op]
	if !ok {
		return fmt.Errorf("-op %q: want one of %s", o.op, strings.Join(opNames(), ", "))
	}
	if o.concurrency < 1 {
		return fmt.Errorf("-c %d: want at least 1", o.concurrency)
	}
	if o.count < 0 || (o.count == 0 && o.duration <= 0) {
		return errors.New("want -n > 0 or -d > 0")
	}
	if o.maxResults < 1 || o.maxResults > 60 {
		return fmt.Errorf("-max-results %d: want 1..60", o.maxResults)
	}
	rt := newTransport(o.concurrency, o.timeout)
	if spec.needsPool && o.pool == "" {
		var err error
		if o.pool, err = createPool(o, rt); err != nil {
			return err
		}
	}
	if o.op == "SetLogDeliveryConfiguration" {
		// Cognate checks that the log group exists.
		if err := createLogGroup(o, rt); err != nil {
			return err
		}
	}
	if spec.needsUsers && o.pool == "" {
		var err error
		if o.pool, err = createUserPool(o, rt); err != nil {
			return err
		}
	}
	if spec.needsSignIn {
		if err := setUpSignIn(o, rt, spec.threat); err != nil {
			return err
		}
	}
	if spec.needsClient && o.client == "" {
		var err error
		if o.client, err = createClient(o, rt); err != nil {
			return err
		}
	}

	// One signed template per worker, signed now and never again.
	var fixedBody []byte
	if spec.fixed {
		fixedBody = spec.body(o, 0)
	}
	templates := make([]*template, o.concurrency)
	for i := range templates {
		b := fixedBody
		if b == nil {
			b = spec.body(o, uint64(i))
		}
		t, err := newTemplate(o, spec.target, b)
		if err != nil {
			return err
		}
		templates[i] = t
	}
	var seq atomic.Uint64 // next body number, for per-request bodies
	bodyFor := func() []byte {
		if fixedBody != nil {
			return fixedBody
		}
		return spec.body(o, seq.Add(1)-1)
	}

	if o.warmup > 0 {
		run(o, rt, templates, bodyFor, 0, o.warmup, nil)
	}
	var first firstError
	lat, errs, elapsed := run(o, rt, templates, bodyFor, o.count, o.duration, &first)

	res := result{Endpoint: o.endpoint, Op: o.op, Concurrency: o.concurrency, Pool: o.pool,
		Requests: int64(len(lat)), Errors: errs, Seconds: elapsed.Seconds(), FirstError: first.text}
	if elapsed > 0 {
		res.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50ms = ms(percentile(lat, 0.50))
		res.P99ms = ms(percentile(lat, 0.99))
		res.MaxMs = ms(lat[len(lat)-1])
	}
	return report(o, res)
}

// report prints a run's result.
func report(o *options, res result) error {
	if res.FirstError != "" {
		fmt.Fprintf(os.Stderr, "loadgen: %s against %s: first error: %s\n", o.op, o.endpoint, res.FirstError)
	}
	if o.jsonOut {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("%s %s c=%d: %d requests, %d errors in %.2fs: %.0f req/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
		res.Op, res.Endpoint, res.Concurrency, res.Requests, res.Errors, res.Seconds, res.RPS, res.P50ms, res.P99ms, res.MaxMs)
	return nil
}

// run sends requests from len(templates) workers until count requests have
// been sent (count > 0) or for d, and returns every latency, the number of
// failed requests (transport errors and non-2xx answers) and the elapsed
// time. A worker starts no request after the deadline; the elapsed time
// runs until the last answer.
func run(o *options, rt http.RoundTripper, templates []*template, bodyFor func() []byte, count int64, d time.Duration, first *firstError) ([]time.Duration, int64, time.Duration) {
	var (
		wg      sync.WaitGroup
		tickets atomic.Int64
		errs    atomic.Int64
		lats    = make([][]time.Duration, len(templates))
	)
	start := time.Now()
	deadline := start.Add(d)
	for i, t := range templates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 4096)
			for {
				if count > 0 {
					if tickets.Add(1) > count {
						break
					}
				} else if !time.Now().Before(deadline) {
					break
				}
				req := t.with(bodyFor())
				t0 := time.Now()
				status, body, err := send(rt, req)
				mine = append(mine, time.Since(t0))
				if err != nil || status/100 != 2 {
					errs.Add(1)
					if first != nil {
						first.set(status, body, err)
					}
				}
			}
			lats[i] = mine
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return all, errs.Load(), elapsed
}

// percentile returns the nearest-rank p-quantile of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// launch starts argv, writes its process ID to -pidfile at once (so that a
// caller's cleanup can stop it even if this helper fails), then sends a
// cheap signed request (ListUserPools, MaxResults 1) every -poll until one is
// answered with 2xx, and prints the time from just before the process was
// started to that answer. The process is left running.
func launch(o *options, argv []string) error {
	if len(argv) == 0 {
		return errors.New("-launch: no command after the flags")
	}
	body := mustJSON(map[string]any{"MaxResults": 1})
	t, err := newTemplate(o, "ListUserPools", body)
	if err != nil {
		return err
	}
	rt := newTransport(1, o.timeout)
	cmd := exec.Command(argv[0], argv[1:]...)
	if o.logFile != "" {
		f, err := os.OpenFile(o.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.Stdout, cmd.Stderr = f, f
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	if o.pidFile != "" {
		if err := os.WriteFile(o.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
			_ = cmd.Process.Kill()
			return err
		}
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	giveUp := start.Add(o.timeout)
	polls := 0
	for {
		polls++
		status, _, err := send(rt, t.with(body))
		if err == nil && status/100 == 2 {
			break
		}
		select {
		case err := <-exited:
			return fmt.Errorf("%s exited before answering: %v", argv[0], err)
		case <-time.After(o.poll):
		}
		if time.Now().After(giveUp) {
			_ = cmd.Process.Kill()
			return fmt.Errorf("%s did not answer within %s (last: status %d, %v)", argv[0], o.timeout, status, err)
		}
	}
	delay := time.Since(start)
	if o.jsonOut {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"pid": cmd.Process.Pid, "ready_ms": ms(delay), "polls": polls})
	}
	fmt.Printf("pid %d answered after %.1f ms (%d polls)\n", cmd.Process.Pid, ms(delay), polls)
	return nil
}
