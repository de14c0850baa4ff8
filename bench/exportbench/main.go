// Command exportbench measures userNotification export: how many records
// per second become readable in CloudWatch Logs, and how long each takes.
//
//	exportbench -mode api -endpoint http://127.0.0.1:9229 -c 64 -d 10s
//	exportbench -mode pipeline -rate 10000 -d 10s
//
// api: against a running Cognate. It creates a log group, a user pool
// that sends email through its own SES identity (no daily quota) and
// exports userNotification errors to the group, then invites users with
// bouncing addresses (the SES mailbox simulator) from -c workers: every
// call that is answered 200 owes one record. A reader follows the stream
// with GetLogEvents. Latency is from sending the AdminCreateUser call to
// the reader first seeing its record (the reader polls every -poll, which
// adds up to that much). Throughput is records readable ÷ the time from
// the first call to the last record read.
//
// pipeline: the export pipeline alone, in process, on a SQLite store in a
// temporary directory (durable, as `cognate serve` runs it): producers
// commit records to the export outbox (one write per record, as one API
// call makes one, kicking the exporter as the server does) at -rate per
// second (0: as fast as they can), the exporter delivers them to the
// built-in CloudWatch Logs, and a reader follows the stream. Latency is
// from the commit returning to the record being read.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/logexport"
	"github.com/cognate/cognate/internal/logexport/builtinsink"
	"github.com/cognate/cognate/internal/logexport/firehosesink"
	"github.com/cognate/cognate/internal/logexport/s3sink"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
)

type options struct {
	mode, endpoint, region, op  string
	concurrency                 int
	duration, poll, drain       time.Duration
	rate                        int
	jsonOut, noExport, signEach bool
	// source and dest choose the pipeline's records: userNotification
	// or userAuthEvents, to cloudwatchlogs or s3.
	source, dest string
}

func main() {
	o := &options{}
	flag.StringVar(&o.mode, "mode", "api", "api (through a running server) or pipeline (the exporter alone, in process)")
	flag.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "api: the Cognate server")
	flag.StringVar(&o.region, "region", "us-west-2", "api: the region of the pool and group")
	flag.StringVar(&o.op, "op", "AdminCreateUser", "api: the failing send: AdminCreateUser (an invitation to a new user: hashes a temporary password) or AdminUpdateUserAttributes (a changed email's verification code, one user per worker)")
	flag.IntVar(&o.concurrency, "c", 64, "api: concurrent callers; pipeline: producers")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "how long to produce records")
	flag.DurationVar(&o.poll, "poll", 10*time.Millisecond, "how often the reader polls the stream")
	flag.DurationVar(&o.drain, "drain", 60*time.Second, "how long to wait for the last records after producing stops")
	flag.IntVar(&o.rate, "rate", 0, "pipeline: records per second offered in all (0: as fast as possible)")
	flag.BoolVar(&o.jsonOut, "json", false, "print one JSON line of results")
	flag.BoolVar(&o.noExport, "no-export", false, "api: the same AdminUpdateUserAttributes calls on a pool without log delivery (the API path alone; latency is the call's)")
	flag.BoolVar(&o.signEach, "sign-each", false, "api: sign every request afresh (as an SDK does) instead of reusing one signature per operation, as bench/loadgen does")
	flag.StringVar(&o.source, "source", "userNotification", "pipeline: the records' event source: userNotification or userAuthEvents (threat protection's user activity)")
	flag.StringVar(&o.dest, "dest", "cloudwatchlogs", "pipeline: the destination: cloudwatchlogs (built-in CloudWatch Logs), s3 (built-in S3) or firehose (built-in Firehose, into the built-in S3)")
	cpuProfile := flag.String("cpuprofile", "", "pipeline: write a CPU profile here")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "exportbench: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var (
		r   *result
		err error
	)
	switch o.mode {
	case "api":
		r, err = benchAPI(o)
	case "pipeline":
		r, err = benchPipeline(o)
	default:
		err = fmt.Errorf("-mode must be api or pipeline")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "exportbench: %v\n", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	r.print(o.jsonOut)
}

// tracker maps record IDs to the time they were produced and collects
// the latency of each one read.
type tracker struct {
	mu        sync.Mutex
	sent      map[int64]time.Time
	latencies []time.Duration
	first     time.Time // first production
	last      time.Time // last record read
	produced  atomic.Int64
	errors    atomic.Int64
	firstErr  atomic.Value
}

func newTracker() *tracker { return &tracker{sent: map[int64]time.Time{}} }

func (t *tracker) produced1(id int64, at time.Time) {
	t.mu.Lock()
	if t.first.IsZero() || at.Before(t.first) {
		t.first = at
	}
	t.sent[id] = at
	t.mu.Unlock()
	t.produced.Add(1)
}

// committed moves id's start to at if it has not been read yet.
func (t *tracker) committed(id int64, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.sent[id]; ok {
		t.sent[id] = at
	}
}

// forget drops a record that was not produced after all.
func (t *tracker) forget(id int64) {
	t.mu.Lock()
	delete(t.sent, id)
	t.mu.Unlock()
	t.produced.Add(-1)
}

// seen notes a record read now; it reports false for an unknown or
// repeated ID.
func (t *tracker) seen(id int64, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := t.sent[id]
	if !ok {
		return false
	}
	delete(t.sent, id)
	t.latencies = append(t.latencies, now.Sub(at))
	t.last = now
	return true
}

func (t *tracker) fail(err error) {
	t.errors.Add(1)
	t.firstErr.CompareAndSwap(nil, err.Error())
}

type result struct {
	Mode          string  `json:"mode"`
	Produced      int64   `json:"produced"`
	Readable      int     `json:"readable"`
	Missing       int     `json:"missing"`
	Errors        int64   `json:"errors"`
	FirstError    string  `json:"first_error,omitempty"`
	ProduceRate   float64 `json:"produced_per_s"`
	ReadableRate  float64 `json:"readable_per_s"`
	P50Ms         float64 `json:"p50_ms"`
	P99Ms         float64 `json:"p99_ms"`
	MaxMs         float64 `json:"max_ms"`
	Concurrency   int     `json:"concurrency"`
	OfferedRate   int     `json:"offered_rate,omitempty"`
	ProduceSecond float64 `json:"produce_seconds"`
	// InStream and Distinct count the stream at the end: its events and
	// the distinct records among them (duplicates = InStream - Distinct).
	InStream int `json:"in_stream"`
	Distinct int `json:"distinct"`
	// Dest is where the records went when not to a log stream (s3,
	// firehose): the tracker saw each delivered, no stream is counted.
	Dest string `json:"dest,omitempty"`
	// Followed is how many records the api reader saw while following the
	// stream with nextForwardToken (their latencies are the figures);
	// the others were found by the final full read.
	Followed int `json:"followed,omitempty"`
}

func (t *tracker) result(mode string, o *options, produceTime time.Duration) *result {
	t.mu.Lock()
	defer t.mu.Unlock()
	lat := slices.Clone(t.latencies)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(float64(len(lat))*p+0.999999) - 1
		return float64(lat[max(0, min(i, len(lat)-1))]) / 1e6
	}
	r := &result{Mode: mode, Produced: t.produced.Load(), Readable: len(lat), Missing: len(t.sent), Errors: t.errors.Load(),
		ProduceRate: float64(t.produced.Load()) / produceTime.Seconds(), P50Ms: pct(0.50), P99Ms: pct(0.99), MaxMs: pct(1),
		Concurrency: o.concurrency, OfferedRate: o.rate, ProduceSecond: produceTime.Seconds()}
	if len(lat) > 0 {
		r.ReadableRate = float64(len(lat)) / t.last.Sub(t.first).Seconds()
	}
	if e, ok := t.firstErr.Load().(string); ok {
		r.FirstError = e
	}
	return r
}

func (r *result) print(asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
		return
	}
	if r.Mode == modeNoExport {
		fmt.Printf("%s: %d calls answered 200 in %.1f s (%.0f/s, c=%d), %d errors; call latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
			r.Mode, r.Produced, r.ProduceSecond, r.ProduceRate, r.Concurrency, r.Errors, r.P50Ms, r.P99Ms, r.MaxMs)
		return
	}
	fmt.Printf("%s: %d records produced in %.1f s (%.0f/s, c=%d, offered %d/s), %d readable (%.0f/s from the first produced to the last read), %d missing, %d errors\n",
		r.Mode, r.Produced, r.ProduceSecond, r.ProduceRate, r.Concurrency, r.OfferedRate, r.Readable, r.ReadableRate, r.Missing, r.Errors)
	fmt.Printf("latency produced -> readable: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.P50Ms, r.P99Ms, r.MaxMs)
	if r.Dest != "" {
		fmt.Printf("to the built-in %s: every record seen delivered by the sink\n", r.Dest)
	} else {
		fmt.Printf("stream at the end: %d events, %d distinct records\n", r.InStream, r.Distinct)
	}
	if r.FirstError != "" {
		fmt.Printf("first error: %s\n", r.FirstError)
	}
}

var idRE = regexp.MustCompile(`bench-(\d+)`)

// ---- api mode --------------------------------------------------------------

type client struct {
	o    *options
	http *http.Client
	// signed holds, per service and target, the headers of one request
	// signed with aws-sdk-go-v2's signer, reused for every later call
	// unless -sign-each. As in bench/loadgen: Cognate without --keys
	// parses the SigV4 header (region and service) but cannot verify it,
	// so one signature serves every body, and the generator's own HMAC
	// work, which shares the cores with the server, stays out of the
	// figures.
	mu     sync.Mutex
	signed map[string]http.Header
}

func (c *client) call(ctx context.Context, service, target string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.o.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	c.mu.Lock()
	h, ok := c.signed[service+" "+target]
	c.mu.Unlock()
	if ok && !c.o.signEach {
		req.Header = h
	} else {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, c.o.region, time.Now()); err != nil {
			return 0, nil, err
		}
		c.mu.Lock()
		if c.signed == nil {
			c.signed = map[string]http.Header{}
		}
		c.signed[service+" "+target] = req.Header.Clone()
		c.mu.Unlock()
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (c *client) must(ctx context.Context, service, target string, body any, out any) error {
	b, _ := json.Marshal(body)
	status, resp, err := c.call(ctx, service, target, b)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("%s: %d %s", target, status, resp)
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

func benchAPI(o *options) (*result, error) {
	ctx := context.Background()
	c := &client{o: o, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * o.concurrency, MaxIdleConns: 2 * o.concurrency}}}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	group := "/aws/vendedlogs/cognito/exportbench-" + run
	if err := c.must(ctx, "logs", "Logs_20140328.CreateLogGroup", map[string]any{"logGroupName": group}, nil); err != nil {
		return nil, err
	}
	var pool struct{ UserPool struct{ Id string } }
	if err := c.must(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.CreateUserPool", map[string]any{
		"PoolName": "exportbench-" + run,
		// A changed email is verified with a code (AdminUpdateUserAttributes
		// sends one).
		"AutoVerifiedAttributes": []string{"email"},
		"EmailConfiguration": map[string]any{"EmailSendingAccount": "DEVELOPER",
			"SourceArn": "arn:aws:ses:" + o.region + ":123456789012:identity/noreply@example.com"},
	}, &pool); err != nil {
		return nil, err
	}
	poolID := pool.UserPool.Id
	if o.noExport {
		return callsOnly(ctx, c, o, poolID)
	}
	if err := c.must(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.SetLogDeliveryConfiguration", map[string]any{
		"UserPoolId": poolID,
		"LogConfigurations": []any{map[string]any{"LogLevel": "ERROR", "EventSource": "userNotification",
			"CloudWatchLogsConfiguration": map[string]any{"LogGroupArn": "arn:aws:logs:" + o.region + ":123456789012:log-group:" + group}}},
	}, nil); err != nil {
		return nil, err
	}

	if o.op == "AdminUpdateUserAttributes" {
		// One user per worker, created without an invitation (no record).
		for w := range o.concurrency {
			if err := c.must(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.AdminCreateUser", map[string]any{
				"UserPoolId": poolID, "Username": fmt.Sprintf("worker-%d", w), "MessageAction": "SUPPRESS",
				"UserAttributes": []any{map[string]any{"Name": "email", "Value": fmt.Sprintf("worker-%d@example.com", w)}},
			}, nil); err != nil {
				return nil, err
			}
		}
	}

	t := newTracker()
	var next atomic.Int64
	stop := time.Now().Add(o.duration)
	var wg sync.WaitGroup
	for w := range o.concurrency {
		wg.Go(func() {
			for time.Now().Before(stop) {
				id := next.Add(1)
				var body []byte
				if o.op == "AdminUpdateUserAttributes" {
					body = fmt.Appendf(nil, `{"UserPoolId":%q,"Username":"worker-%d","UserAttributes":[{"Name":"email","Value":"bounce+bench-%d@simulator.amazonses.com"}]}`, poolID, w, id)
				} else {
					body = fmt.Appendf(nil, `{"UserPoolId":%q,"Username":"bench-%d","UserAttributes":[{"Name":"email","Value":"bounce+bench-%d@simulator.amazonses.com"}],"DesiredDeliveryMediums":["EMAIL"]}`, poolID, id, id)
				}
				at := time.Now()
				t.produced1(id, at) // before the call: the record can be read before the answer
				status, resp, err := c.call(ctx, "cognito-idp", "AWSCognitoIdentityProviderService."+o.op, body)
				if err == nil && status != 200 {
					err = fmt.Errorf("%s: %d %s", o.op, status, resp)
				}
				if err != nil {
					t.fail(err)
					t.forget(id)
				}
			}
		})
	}
	began := time.Now()
	type done struct {
		r   *result
		err error
	}
	readerDone := make(chan done, 1)
	producing := make(chan struct{})
	go func() {
		r, err := followAPI(ctx, c, o, group, poolID+"/userNotification", t, producing)
		readerDone <- done{r, err}
	}()
	wg.Wait()
	produceTime := time.Since(began)
	close(producing)
	d := <-readerDone
	if d.err != nil {
		return nil, d.err
	}
	d.r.ProduceSecond = produceTime.Seconds()
	d.r.ProduceRate = float64(d.r.Produced) / produceTime.Seconds()
	return d.r, nil
}

const modeNoExport = "api-no-export"

// callsOnly runs the same failing sends on a pool that exports nothing:
// the API path's own rate, without the export pipeline.
func callsOnly(ctx context.Context, c *client, o *options, poolID string) (*result, error) {
	for w := range o.concurrency {
		if err := c.must(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.AdminCreateUser", map[string]any{
			"UserPoolId": poolID, "Username": fmt.Sprintf("worker-%d", w), "MessageAction": "SUPPRESS",
			"UserAttributes": []any{map[string]any{"Name": "email", "Value": fmt.Sprintf("worker-%d@example.com", w)}},
		}, nil); err != nil {
			return nil, err
		}
	}
	var calls, errs atomic.Int64
	var lat []time.Duration
	var mu sync.Mutex
	stop := time.Now().Add(o.duration)
	began := time.Now()
	var wg sync.WaitGroup
	for w := range o.concurrency {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				body := fmt.Appendf(nil, `{"UserPoolId":%q,"Username":"worker-%d","UserAttributes":[{"Name":"email","Value":"bounce+bench-%d-%d@simulator.amazonses.com"}]}`, poolID, w, w, i)
				at := time.Now()
				status, _, err := c.call(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.AdminUpdateUserAttributes", body)
				if err != nil || status != 200 {
					errs.Add(1)
					continue
				}
				calls.Add(1)
				mu.Lock()
				lat = append(lat, time.Since(at))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	slices.Sort(lat)
	r := &result{Mode: modeNoExport, Produced: calls.Load(), Errors: errs.Load(), Concurrency: o.concurrency,
		ProduceSecond: elapsed.Seconds(), ProduceRate: float64(calls.Load()) / elapsed.Seconds()}
	if n := len(lat); n > 0 {
		r.P50Ms = float64(lat[(n-1)/2]) / 1e6
		r.P99Ms = float64(lat[(n*99+99)/100-1]) / 1e6
		r.MaxMs = float64(lat[n-1]) / 1e6
	}
	return r, nil
}

// getEvents reads one GetLogEvents page from the head (token "") or from
// a nextForwardToken.
func getEvents(ctx context.Context, c *client, group, stream, token string) ([]string, string, error) {
	req := map[string]any{"logGroupName": group, "logStreamName": stream, "startFromHead": true, "limit": 10000}
	if token != "" {
		req["nextToken"] = token
	}
	b, _ := json.Marshal(req)
	status, resp, err := c.call(ctx, "logs", "Logs_20140328.GetLogEvents", b)
	if err != nil || status != 200 {
		return nil, token, err // no stream yet: nothing to read
	}
	var out struct {
		Events []struct {
			Message string `json:"message"`
		} `json:"events"`
		NextForwardToken string `json:"nextForwardToken"`
	}
	if err := json.Unmarshal(resp, &out); err != nil {
		return nil, token, err
	}
	msgs := make([]string, len(out.Events))
	for i, e := range out.Events {
		msgs[i] = e.Message
	}
	return msgs, out.NextForwardToken, nil
}

// followAPI follows the stream with GetLogEvents' nextForwardToken, as
// `aws logs tail --follow` does, noting when each record is first seen,
// until producing has ended and every record was seen, or nothing new
// came for 2 s, or -drain ran out. Then it reads the whole stream once
// more: a record committed with an earlier timestamp than one already
// read sorts before the token and is found only there.
func followAPI(ctx context.Context, c *client, o *options, group, stream string, t *tracker, producing chan struct{}) (*result, error) {
	var (
		token            string
		deadline, lastAt time.Time
	)
	for {
		msgs, next, err := getEvents(ctx, c, group, stream, token)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		for _, m := range msgs {
			if g := idRE.FindStringSubmatch(m); g != nil {
				id, _ := strconv.ParseInt(g[1], 10, 64)
				t.seen(id, now)
			}
		}
		if len(msgs) > 0 {
			lastAt = now
		}
		token = next
		select {
		case <-producing:
			if deadline.IsZero() {
				deadline = now.Add(o.drain)
			}
			t.mu.Lock()
			left := len(t.sent)
			t.mu.Unlock()
			if left == 0 || now.After(deadline) || now.Sub(lastAt) > 2*time.Second {
				return finalRead(ctx, c, group, stream, t, o)
			}
		default:
		}
		if len(msgs) == 0 {
			time.Sleep(o.poll)
		}
	}
}

func finalRead(ctx context.Context, c *client, group, stream string, t *tracker, o *options) (*result, error) {
	r := t.result("api", o, 0)
	seen := map[string]bool{}
	token := ""
	for {
		msgs, next, err := getEvents(ctx, c, group, stream, token)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			r.InStream++
			if g := idRE.FindStringSubmatch(m); g != nil && !seen[g[1]] {
				seen[g[1]] = true
				r.Distinct++
			}
		}
		if len(msgs) == 0 || next == token {
			break
		}
		token = next
	}
	r.Followed = r.Readable
	r.Missing = int(r.Produced) - r.Distinct
	return r, nil
}

// ---- pipeline mode -----------------------------------------------------------

func benchPipeline(o *options) (*result, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "exportbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(sqlstore.Options{Dir: dir})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	sc := storage.Scope{AccountID: "123456789012", Region: "us-west-2"}
	const groupName, pool = "/aws/vendedlogs/cognito/exportbench", "us-west-2_BENCH0001"
	if err := store.CreateLogGroup(ctx, &storage.LogGroup{AccountID: sc.AccountID, Region: sc.Region, Name: groupName, CreationTime: time.Now().UnixMilli(), Class: "STANDARD"}); err != nil {
		return nil, err
	}
	t := newTracker()
	if o.source != "userNotification" && o.source != "userAuthEvents" {
		return nil, fmt.Errorf("-source %q: want userNotification or userAuthEvents", o.source)
	}
	destType, destARN := storage.DestinationCloudWatchLogs, cwlogs.GroupARN(sc.Region, sc.AccountID, groupName)
	sinks := map[string]logexport.Sink{storage.DestinationCloudWatchLogs: timedSink{inner: builtinsink.New(cwlogs.New(store)), t: t}}
	switch o.dest {
	case "cloudwatchlogs":
	case "s3":
		// The built-in S3 in the same temporary data directory, as
		// `cognate serve` keeps it (bbolt, fsync per object).
		buckets, err := s3.Open(dir)
		if err != nil {
			return nil, err
		}
		defer buckets.Close()
		if err := buckets.CreateBucket("exportbench"); err != nil {
			return nil, err
		}
		destType, destARN = storage.DestinationS3, "arn:aws:s3:::exportbench"
		sinks[storage.DestinationS3] = timedSink{inner: s3sink.New(buckets), t: t}
	case "firehose":
		// A stream of the built-in Firehose in the same data directory;
		// a record counts as delivered when the stream has stored it
		// (durable in its buffer; the flusher moves it to S3 later).
		buckets, err := s3.Open(dir)
		if err != nil {
			return nil, err
		}
		defer buckets.Close()
		if err := buckets.CreateBucket("exportbench"); err != nil {
			return nil, err
		}
		streams := firehose.New(store, buckets)
		cctx := api.WithCaller(ctx, api.Caller{AccountID: sc.AccountID, Region: sc.Region})
		if _, err := streams.CreateDeliveryStream(cctx, &firehoseapi.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("exportbench"),
			ExtendedS3DestinationConfiguration: &firehoseapi.ExtendedS3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::exportbench"),
				RoleARN: aws.String("arn:aws:iam::123456789012:role/firehose")}}); err != nil {
			return nil, err
		}
		streams.Start()
		defer streams.Stop()
		destType, destARN = storage.DestinationFirehose, "arn:aws:firehose:us-west-2:123456789012:deliverystream/exportbench"
		sinks[storage.DestinationFirehose] = timedSink{inner: firehosesink.New(streams), t: t}
	default:
		return nil, fmt.Errorf("-dest %q: want cloudwatchlogs, s3 or firehose", o.dest)
	}
	exp := logexport.New(logexport.Config{Outbox: store, Sinks: sinks})
	exp.Start()
	defer exp.Stop()

	var next atomic.Int64
	stop := time.Now().Add(o.duration)
	var wg sync.WaitGroup
	// Each producer paces itself to rate/c records per second.
	var interval time.Duration
	if o.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(o.concurrency) / float64(o.rate))
	}
	began := time.Now()
	for range o.concurrency {
		wg.Go(func() {
			due := time.Now()
			for time.Now().Before(stop) {
				if interval > 0 {
					due = due.Add(interval)
					if d := time.Until(due); d > 0 {
						time.Sleep(d)
					}
				}
				id := next.Add(1)
				now := time.Now()
				rec := storage.ExportRecord{
					AccountID: sc.AccountID, Region: sc.Region, PoolID: pool, EventSource: o.source,
					DestinationType: destType, DestinationARN: destARN, CreatedAt: now,
					Payload: logexport.UserNotification(now, pool, fmt.Sprintf("Email delivery failed: 550 5.1.1 user unknown (bounce+bench-%d@simulator.amazonses.com)", id)),
				}
				if o.source == "userAuthEvents" {
					// A sign-in's record as threat protection writes it
					// (about 700 bytes).
					rec.Payload = logexport.UserActivity(logexport.Activity{EventID: fmt.Sprintf("00000000-0000-4000-8000-%012d", id),
						EventType: "SignIn", UserSub: "5f1e6c3a-1b2c-4d5e-8f90-123456789abc", UserName: fmt.Sprintf("bench-%d", id),
						UserPoolID: pool, ClientID: "3n4b5urk1ft4fl3mg5e62d9ado", CreatedAt: now, EventResponse: "Pass", RiskDecision: "PASS",
						Challenges: []logexport.Challenge{{ChallengeName: "Password", ChallengeResponse: "Success"}},
						DeviceName: "Chrome 126, Windows 10", IPAddress: "192.0.2.1", RequestID: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"})
				}
				// Registered before the commit, as the exporter can deliver
				// the record before AppendDeliveries returns; the time is
				// moved to the commit's return afterwards, unless the record
				// was already read.
				t.produced1(id, now)
				if err := store.AppendDeliveries(ctx, storage.Deliveries{Exports: []storage.ExportRecord{rec}}); err != nil {
					t.fail(err)
					t.forget(id)
					continue
				}
				t.committed(id, time.Now())
				exp.Kick()
			}
		})
	}
	wg.Wait()
	produceTime := time.Since(began)
	for deadline := time.Now().Add(o.drain); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		t.mu.Lock()
		left := len(t.sent)
		t.mu.Unlock()
		if left == 0 {
			break
		}
	}
	r := t.result("pipeline", o, produceTime)
	if o.dest != "cloudwatchlogs" {
		r.Dest = o.dest // the tracker saw each record delivered
		return r, nil
	}
	key := storage.LogStreamKey{LogGroupKey: storage.LogGroupKey{Scope: sc, Name: groupName}, Stream: logexport.StreamName(pool, o.source)}
	events, distinct, err := countStream(ctx, store, key)
	if err != nil {
		return nil, err
	}
	r.InStream, r.Distinct = events, distinct
	return r, nil
}

// timedSink notes when each record became readable: when the built-in
// sink's Deliver returns, the events are committed in the log store, and
// GetLogEvents sees them.
type timedSink struct {
	inner logexport.Sink
	t     *tracker
}

func (s timedSink) Deliver(ctx context.Context, d logexport.Destination, events []logexport.Event) error {
	if err := s.inner.Deliver(ctx, d, events); err != nil {
		return err
	}
	now := time.Now()
	for _, e := range events {
		if m := idRE.FindStringSubmatch(e.Message); m != nil {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			s.t.seen(id, now)
		}
	}
	return nil
}

// countStream counts the stream's events in the store and the distinct
// records among them.
func countStream(ctx context.Context, store *sqlstore.Store, key storage.LogStreamKey) (events, distinct int, err error) {
	seen := map[string]bool{}
	err = store.ScanLogEvents(ctx, key.LogGroupKey, storage.GroupScan{Start: 0, End: 1 << 62, Streams: []string{key.Stream}}, func(e storage.LogEvent) bool {
		events++
		if m := idRE.FindStringSubmatch(e.Message); m != nil && !seen[m[1]] {
			seen[m[1]] = true
			distinct++
		}
		return true
	})
	return events, distinct, err
}
