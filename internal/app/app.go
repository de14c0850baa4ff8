package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/cli"
	"github.com/cognate/cognate/internal/logexport/cwlsink"
	"github.com/cognate/cognate/internal/logexport/firehosesink"
	"github.com/cognate/cognate/internal/logexport/s3sink"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/risk"
	"github.com/cognate/cognate/internal/server"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/storage/sqlstore"
	"github.com/cognate/cognate/internal/userpool"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// Version is set at build time with -ldflags "-X …/internal/app.Version=v1.2.3".
var Version = "dev"

// Main runs the command line args (without the program name) and returns
// the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "outbox":
		return outbox(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "cognate %s (%s)\n", Version, goVersion())
		return 0
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	if f, ok := stdout.(*os.File); ok {
		if ef, ok := stderr.(*os.File); ok {
			// Everything else is the AWS CLI's command line:
			// `cognate [globals] cognito-idp <operation> …`.
			cli.Version = Version
			return cli.Main(args, os.Stdin, f, ef)
		}
	}
	fmt.Fprintf(stderr, "cognate: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: cognate <command> [options]

Commands:
  serve         run the Cognito user-pool service (cognate serve -h for options)
  version       print the version
  outbox        print the email and SMS messages a running server sent (cognate outbox -h)
  cognito-idp   the AWS CLI's cognito-idp commands: cognate cognito-idp <operation> [options]
                (cognate cognito-idp help lists the operations)
`)
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return "unknown Go"
}

// serveOptions are the settings of `cognate serve`; each has a flag and an
// environment variable, and the flag wins.
type serveOptions struct {
	addr, dataDir, accountID, region, logLevel, keysFile, keys string
	smtpURL, logsEndpoint, s3Endpoint, firehoseEndpoint        string
	passwordHashing                                            string
	highRiskRanges                                             string
	tokenIssuer                                                string
	inMemory                                                   bool
	maxBodyBytes                                               int64
	firehoseFlush                                              time.Duration
}

func parseServe(args []string, stderr io.Writer) (*serveOptions, error) {
	o := &serveOptions{}
	fs := flag.NewFlagSet("cognate serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", env("COGNATE_ADDR", "127.0.0.1:9229"), "listen address (COGNATE_ADDR)")
	fs.StringVar(&o.dataDir, "data-dir", env("COGNATE_DATA_DIR", "./.cognate"), "directory of the SQLite database (COGNATE_DATA_DIR)")
	fs.BoolVar(&o.inMemory, "in-memory", envBool("COGNATE_IN_MEMORY"), "keep everything in memory, nothing on disk (COGNATE_IN_MEMORY)")
	fs.StringVar(&o.accountID, "account-id", env("COGNATE_ACCOUNT_ID", "123456789012"), "AWS account of the resources (COGNATE_ACCOUNT_ID)")
	fs.StringVar(&o.region, "region", env("COGNATE_REGION", "us-east-1"), "region of unsigned requests; signed ones name theirs (COGNATE_REGION)")
	fs.StringVar(&o.logLevel, "log-level", env("COGNATE_LOG_LEVEL", "info"), "debug, info, warn or error (COGNATE_LOG_LEVEL)")
	fs.StringVar(&o.keysFile, "keys-file", env("COGNATE_KEYS_FILE", ""), "verify SigV4 signatures against the key pairs in this file (COGNATE_KEYS_FILE); unset, with no --keys: accept any key")
	fs.StringVar(&o.keys, "keys", env("COGNATE_KEYS", ""), "verify SigV4 signatures against these key pairs: AKID,SECRET[,ACCOUNT] separated by ';' (COGNATE_KEYS)")
	fs.Int64Var(&o.maxBodyBytes, "max-body-bytes", envInt("COGNATE_MAX_BODY_BYTES", 16<<20), "largest request body accepted (COGNATE_MAX_BODY_BYTES)")
	fs.StringVar(&o.smtpURL, "smtp-url", env("COGNATE_SMTP_URL", ""), "send email through this SMTP relay, smtp://[user:password@]host:port or smtps://… (COGNATE_SMTP_URL); unset: email is kept in the outbox only")
	fs.StringVar(&o.logsEndpoint, "logs-endpoint-url", env("COGNATE_LOGS_ENDPOINT_URL", ""), "export CloudWatch Logs records to this external endpoint instead of the built-in one, signed with the AWS SDK's default credentials (COGNATE_LOGS_ENDPOINT_URL)")
	fs.StringVar(&o.s3Endpoint, "s3-endpoint-url", env("COGNATE_S3_ENDPOINT_URL", ""), "export S3 log destinations' records to this external S3 endpoint instead of the built-in S3 (path-style), signed with the AWS SDK's default credentials for --region (COGNATE_S3_ENDPOINT_URL)")
	fs.StringVar(&o.firehoseEndpoint, "firehose-endpoint-url", env("COGNATE_FIREHOSE_ENDPOINT_URL", ""), "export Firehose log destinations' records to this external Firehose endpoint instead of the built-in Firehose, signed with the AWS SDK's default credentials (COGNATE_FIREHOSE_ENDPOINT_URL)")
	fs.StringVar(&o.tokenIssuer, "token-issuer", env("COGNATE_TOKEN_ISSUER", ""), "base URL of the tokens' issuer: iss is <base>/<poolId> (COGNATE_TOKEN_ISSUER); unset: http://<the address the request came to>")
	fs.StringVar(&o.passwordHashing, "password-hashing", env("COGNATE_PASSWORD_HASHING", userpool.DefaultHashPreset), "argon2id cost of new password hashes: "+strings.Join(userpool.HashPresetNames(), ", ")+"; light is for test suites that create many users (COGNATE_PASSWORD_HASHING)")
	fs.DurationVar(&o.firehoseFlush, "firehose-flush-interval", envDuration("COGNATE_FIREHOSE_FLUSH_INTERVAL"), "deliver a built-in Firehose stream's records to S3 at most this long (e.g. 1s) after they arrive, whatever its IntervalInSeconds (COGNATE_FIREHOSE_FLUSH_INTERVAL); 0: honour the stream's buffering hints")
	fs.StringVar(&o.highRiskRanges, "high-risk-ip-ranges", env("COGNATE_HIGH_RISK_IP_RANGES", strings.Join(userpool.DefaultHighRiskRanges, ",")), "comma-separated CIDR blocks whose sign-ins threat protection rates High risk (COGNATE_HIGH_RISK_IP_RANGES); \"\" for none")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if !validAccount(o.accountID) {
		return nil, fmt.Errorf("--account-id %q is not a 12-digit AWS account ID", o.accountID)
	}
	if _, err := messaging.New(messaging.Config{SMTPURL: o.smtpURL}); err != nil {
		return nil, err
	}
	if o.firehoseFlush < 0 {
		return nil, fmt.Errorf("--firehose-flush-interval %s is negative", o.firehoseFlush)
	}
	if _, err := highRiskRanges(o.highRiskRanges); err != nil {
		return nil, fmt.Errorf("--high-risk-ip-ranges: %w", err)
	}
	if _, err := userpool.HashPreset(o.passwordHashing); err != nil {
		return nil, fmt.Errorf("--password-hashing: %w", err)
	}
	for flag, v := range map[string]string{"--logs-endpoint-url": o.logsEndpoint, "--s3-endpoint-url": o.s3Endpoint, "--firehose-endpoint-url": o.firehoseEndpoint} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s %q is not an http:// or https:// URL", flag, v)
		}
	}
	return o, nil
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

// envDuration is the duration in the environment variable name (e.g.
// "1s"), 0 when unset or not a duration.
func envDuration(name string) time.Duration {
	d, _ := time.ParseDuration(os.Getenv(name))
	return d
}

func envInt(name string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

// loadKeys returns the strict-mode key pairs of --keys-file and --keys
// together, or nil (permissive mode) when neither is given.
func loadKeys(o *serveOptions) (map[string]sigv4.Key, error) {
	if o.keysFile == "" && o.keys == "" {
		return nil, nil
	}
	keys := map[string]sigv4.Key{}
	if o.keysFile != "" {
		fromFile, err := sigv4.LoadKeys(o.keysFile, o.accountID)
		if err != nil {
			return nil, err
		}
		maps.Copy(keys, fromFile)
	}
	if o.keys != "" {
		inline, err := sigv4.ParseKeys(o.keys, o.accountID)
		if err != nil {
			return nil, fmt.Errorf("--keys: %w", err)
		}
		maps.Copy(keys, inline)
	}
	return keys, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(strings.ToUpper(s)))
	return l, err
}

// serveGCPercent is the garbage collector's target for `cognate serve` when
// the GOGC environment variable does not set one. The live heap of a
// server is small (a few MiB of caches), so Go's default of 100 collects
// after every few MiB allocated, and under load the collector's fixed
// costs dominate: with the export benchmark's failing
// AdminUpdateUserAttributes calls at c=64 (bench/export.sh), the server
// spent 190-209 µs of CPU per exported record at 100 and 152-157 µs at
// 400, with a peak RSS of 74 MiB; idle RSS does not change. GOGC and
// GOMEMLIMIT still apply when set.
const serveGCPercent = 400

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}

func serve(args []string, stdout, stderr io.Writer) int {
	o, err := parseServe(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 2
	}
	level, err := parseLevel(o.logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: --log-level: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	tuneGC()
	keys, err := loadKeys(o)
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 1
	}
	store, err := sqlstore.Open(sqlstore.Options{Dir: o.dataDir, InMemory: o.inMemory})
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 1
	}
	defer store.Close()
	// The built-in S3 lives beside the database (its directory is locked
	// by the store).
	s3Dir := o.dataDir
	if o.inMemory {
		s3Dir = ""
	}
	buckets, err := s3.Open(s3Dir)
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 1
	}
	defer buckets.Close()

	var (
		external  *cwlsink.Sink
		logGroups userpool.LogGroupChecker // nil: the built-in CloudWatch Logs
	)
	if o.logsEndpoint != "" {
		if external, err = newExternalLogs(o.logsEndpoint, logger); err != nil {
			fmt.Fprintf(stderr, "cognate serve: %v\n", err)
			return 1
		}
		logGroups = external
	}
	// The built-in Firehose's flusher delivers buffered records (those of
	// an earlier run too) into buckets; it stops before they close.
	streams := firehose.New(store, buckets, firehose.WithLogger(logger), firehose.WithMaxFlushDelay(o.firehoseFlush))
	streams.Start()
	defer streams.Stop()
	var externalS3 *s3sink.External
	var bucketChecker userpool.BucketChecker // nil: the built-in S3
	if o.s3Endpoint != "" {
		if externalS3, err = newExternalS3(o.s3Endpoint, o.region, logger); err != nil {
			fmt.Fprintf(stderr, "cognate serve: %v\n", err)
			return 1
		}
		bucketChecker = externalS3
	}
	var externalFirehose *firehosesink.External
	var streamChecker userpool.StreamChecker // nil: the built-in Firehose
	if o.firehoseEndpoint != "" {
		if externalFirehose, err = newExternalFirehose(o.firehoseEndpoint, logger); err != nil {
			fmt.Fprintf(stderr, "cognate serve: %v\n", err)
			return 1
		}
		streamChecker = externalFirehose
	}
	exporter := newExporter(external, store, buckets, externalS3, streams, externalFirehose, logger)
	// Records left pending by an earlier run are delivered from the start.
	exporter.Start()
	defer exporter.Stop() // before the store closes

	mail, err := messaging.New(messaging.Config{SMTPURL: o.smtpURL})
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 2
	}
	hashing, _ := userpool.HashPreset(o.passwordHashing) // checked by parseServe
	highRisk, _ := highRiskRanges(o.highRiskRanges)      // checked by parseServe
	handler := server.New(server.Config{
		AccountID: o.accountID, Region: o.region, Keys: keys, MaxBodyBytes: o.maxBodyBytes, Logger: logger,
		Messaging: mail, LogGroups: logGroups, PasswordHashing: hashing, TokenIssuer: o.tokenIssuer, HighRiskRanges: highRisk, S3: buckets, Buckets: bucketChecker, Firehose: streams, Streams: streamChecker,
		OnDeliveries: func(d storage.Deliveries) {
			if len(d.Exports) > 0 {
				exporter.Kick()
			}
		},
	}, store)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	storeDesc := "in memory"
	if !o.inMemory {
		storeDesc = o.dataDir
	}
	mode := "permissive (any access key)"
	if keys != nil {
		mode = fmt.Sprintf("strict (%d keys)", len(keys))
	}
	logger.Info("cognate listening", "addr", ln.Addr().String(), "store", storeDesc, "account", o.accountID, "sigv4", mode, "version", Version)
	fmt.Fprintf(stdout, "cognate listening on http://%s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "cognate serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		logger.Error("shutdown", "err", err)
	}
	return 0
}

// highRiskRanges parses --high-risk-ip-ranges: comma-separated CIDR
// blocks, "" for none.
func highRiskRanges(s string) (risk.Ranges, error) {
	var list []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			list = append(list, part)
		}
	}
	return risk.ParseRanges(list)
}
