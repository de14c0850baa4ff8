package server

import (
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/risk"
	"log/slog"
	"net/http"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/builtin/firehose"
	"github.com/cognate/cognate/internal/builtin/firehose/firehoseapi"
	"github.com/cognate/cognate/internal/messaging"
	"github.com/cognate/cognate/internal/model"
	"github.com/cognate/cognate/internal/storage"
	"github.com/cognate/cognate/internal/userpool"
	"github.com/cognate/cognate/internal/validate"
	"github.com/cognate/cognate/internal/wire/awsjson"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// Config is what the server needs beyond its store.
type Config struct {
	// AccountID is the account of every resource in permissive mode and of
	// unsigned requests.
	AccountID string
	// Region is the region of unsigned requests (no-auth operations).
	Region string
	// Keys switches on strict SigV4 verification when not nil.
	Keys map[string]sigv4.Key
	// MaxBodyBytes bounds request bodies (0: awsjson.DefaultMaxBodyBytes).
	MaxBodyBytes int64
	Logger       *slog.Logger
	// Now and NewPoolID replace the clock and the ID generator in tests.
	Now       func() time.Time
	NewPoolID func(region string) string
	// Messaging sends email and SMS (nil: a deliverer without an SMTP
	// relay, which keeps every message in the outbox).
	Messaging *messaging.Deliverer
	// OnDeliveries is called after a write stored outbox records; the log
	// exporter's Kick, so that records are delivered without waiting for
	// its poll.
	OnDeliveries func(storage.Deliveries)
	// DailyEmailQuota replaces AWS's 50 COGNITO_DEFAULT emails a day per
	// account and region (0: AWS's; negative: no quota).
	DailyEmailQuota int
	// PasswordHashing is the argon2id cost of the password hashes of new
	// passwords (zero: userpool.HashFast, the "standard" preset).
	PasswordHashing userpool.HashParams
	// LogGroups checks the CloudWatch Logs log groups of
	// SetLogDeliveryConfiguration where the records will go (nil: the
	// built-in CloudWatch Logs); `cognate serve --logs-endpoint-url` sets
	// the external endpoint's.
	LogGroups userpool.LogGroupChecker
	// TokenIssuer is the base URL of the tokens' issuer: iss is
	// <TokenIssuer>/<poolId> (empty: the URL the request came to,
	// http://<host:port>).
	TokenIssuer string
	// HighRiskRanges are the address ranges threat protection rates High
	// (nil: userpool.DefaultHighRiskRanges; empty: none).
	HighRiskRanges risk.Ranges
	// S3 is the built-in S3 served on the same port (nil: one in memory).
	S3 *s3.Service
	// Buckets checks the S3 buckets of SetLogDeliveryConfiguration where
	// the records will go (nil: the built-in S3); `cognate serve
	// --s3-endpoint-url` sets the external endpoint's.
	Buckets userpool.BucketChecker
	// Streams checks the Firehose streams of SetLogDeliveryConfiguration
	// (nil: the built-in Firehose); `cognate serve --firehose-endpoint-url`
	// sets the external endpoint's.
	Streams userpool.StreamChecker
	// Firehose is the built-in Firehose served on the same port, which
	// delivers into S3 (nil: one on store and S3, whose flusher is not
	// started; `cognate serve` passes the one it starts).
	Firehose *firehose.Service
}

// New returns the HTTP handler of the whole service: the user pools and
// the built-in CloudWatch Logs, both kept in store.
func New(cfg Config, store storage.Backend) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	opts := []userpool.Option{userpool.WithLogger(cfg.Logger)}
	logOpts := []cwlogs.Option{cwlogs.WithLogger(cfg.Logger)}
	if cfg.Now != nil {
		opts = append(opts, userpool.WithClock(cfg.Now))
		logOpts = append(logOpts, cwlogs.WithClock(cfg.Now))
	}
	if cfg.NewPoolID != nil {
		opts = append(opts, userpool.WithIDs(cfg.NewPoolID))
	}
	if cfg.Messaging != nil {
		opts = append(opts, userpool.WithMessaging(cfg.Messaging))
	}
	if cfg.OnDeliveries != nil {
		opts = append(opts, userpool.WithDeliveryHook(cfg.OnDeliveries))
	}
	if cfg.DailyEmailQuota != 0 {
		opts = append(opts, userpool.WithEmailQuota(cfg.DailyEmailQuota))
	}
	if cfg.PasswordHashing != (userpool.HashParams{}) {
		opts = append(opts, userpool.WithPasswordHashing(cfg.PasswordHashing))
	}
	if cfg.LogGroups != nil {
		opts = append(opts, userpool.WithLogGroupChecker(cfg.LogGroups))
	}
	if cfg.TokenIssuer != "" {
		opts = append(opts, userpool.WithIssuer(cfg.TokenIssuer))
	}
	if cfg.HighRiskRanges != nil {
		opts = append(opts, userpool.WithHighRiskRanges(cfg.HighRiskRanges))
	}
	if cfg.S3 == nil {
		cfg.S3, _ = s3.Open("") // in memory: cannot fail
	}
	if cfg.Buckets != nil {
		opts = append(opts, userpool.WithBucketChecker(cfg.Buckets))
	} else {
		opts = append(opts, userpool.WithBucketChecker(cfg.S3))
	}
	if cfg.Firehose == nil {
		fhOpts := []firehose.Option{firehose.WithLogger(cfg.Logger)}
		if cfg.Now != nil {
			fhOpts = append(fhOpts, firehose.WithClock(cfg.Now))
		}
		cfg.Firehose = firehose.New(store, cfg.S3, fhOpts...)
	}
	if cfg.Streams != nil {
		opts = append(opts, userpool.WithStreamChecker(cfg.Streams))
	} else {
		opts = append(opts, userpool.WithStreamChecker(cfg.Firehose))
	}
	pools := userpool.New(store, opts...)
	logs := cwlogs.New(store, logOpts...)
	verifier := &sigv4.Verifier{Keys: cfg.Keys, DefaultAccountID: cfg.AccountID, Now: cfg.Now}
	jsonAPI := awsjson.NewHandler(awsjson.Config{
		Auth:             verifier,
		DefaultRegion:    cfg.Region,
		DefaultAccountID: cfg.AccountID,
		MaxBodyBytes:     cfg.MaxBodyBytes,
		Logger:           cfg.Logger,
	}, withDomainNames(jsonService(model.CognitoIDP(), mount(pools).Endpoints())),
		// The built-in CloudWatch Logs and Firehose compile their models
		// on their first request: an idle server that only serves user
		// pools stays small.
		awsjson.Lazy(logsTargetPrefix, func() *awsjson.Service { return jsonService(model.Logs(), mountLogs(logs).Endpoints()) }),
		awsjson.Lazy(firehoseTargetPrefix, func() *awsjson.Service {
			return jsonService(model.Firehose(), mountFirehose(cfg.Firehose).Endpoints())
		}))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	mux.Handle("GET "+OutboxPath, outboxHandler(cfg, store))
	mux.Handle(JWKSPathPattern, jwksHandler(cfg, pools))
	mux.Handle(OpenIDPathPattern, openIDHandler(cfg, pools))
	mux.Handle("/", withBaseURL(jsonAPI))
	// S3 REST requests (signed for s3) go to the built-in S3, whatever
	// their path; in strict mode only when a configured key signed them.
	s3API := newS3Auth(verifier, cfg.MaxBodyBytes, cfg.AccountID, cfg.S3)
	// The OAuth 2.0 endpoints of user pool domains (oauth2.go).
	oauth := &oauthServer{cfg: cfg, pools: pools}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s3.IsRequest(r) {
			s3API.ServeHTTP(w, r)
			return
		}
		if oauth.serve(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// mount binds every operation Cognate implements to its handler. An
// operation of the model that is not listed here answers
// NotImplementedException (HTTP 400) naming it.
func mount(pools *userpool.Service) *api.Handlers {
	return &api.Handlers{
		CreateUserPool:                   pools.CreateUserPool,
		DescribeUserPool:                 pools.DescribeUserPool,
		UpdateUserPool:                   pools.UpdateUserPool,
		DeleteUserPool:                   pools.DeleteUserPool,
		ListUserPools:                    pools.ListUserPools,
		TagResource:                      pools.TagResource,
		UntagResource:                    pools.UntagResource,
		ListTagsForResource:              pools.ListTagsForResource,
		SetLogDeliveryConfiguration:      pools.SetLogDeliveryConfiguration,
		GetLogDeliveryConfiguration:      pools.GetLogDeliveryConfiguration,
		CreateUserPoolClient:             pools.CreateUserPoolClient,
		DescribeUserPoolClient:           pools.DescribeUserPoolClient,
		UpdateUserPoolClient:             pools.UpdateUserPoolClient,
		DeleteUserPoolClient:             pools.DeleteUserPoolClient,
		ListUserPoolClients:              pools.ListUserPoolClients,
		AdminCreateUser:                  pools.AdminCreateUser,
		AdminGetUser:                     pools.AdminGetUser,
		AdminDeleteUser:                  pools.AdminDeleteUser,
		AdminDisableUser:                 pools.AdminDisableUser,
		AdminEnableUser:                  pools.AdminEnableUser,
		AdminSetUserPassword:             pools.AdminSetUserPassword,
		AdminUpdateUserAttributes:        pools.AdminUpdateUserAttributes,
		AdminDeleteUserAttributes:        pools.AdminDeleteUserAttributes,
		UpdateUserAttributes:             pools.UpdateUserAttributes,
		DeleteUserAttributes:             pools.DeleteUserAttributes,
		AdminConfirmSignUp:               pools.AdminConfirmSignUp,
		AdminResetUserPassword:           pools.AdminResetUserPassword,
		ListUsers:                        pools.ListUsers,
		SignUp:                           pools.SignUp,
		ConfirmSignUp:                    pools.ConfirmSignUp,
		ResendConfirmationCode:           pools.ResendConfirmationCode,
		ForgotPassword:                   pools.ForgotPassword,
		ConfirmForgotPassword:            pools.ConfirmForgotPassword,
		InitiateAuth:                     pools.InitiateAuth,
		AdminInitiateAuth:                pools.AdminInitiateAuth,
		RespondToAuthChallenge:           pools.RespondToAuthChallenge,
		AdminRespondToAuthChallenge:      pools.AdminRespondToAuthChallenge,
		GetUser:                          pools.GetUser,
		GetUserAttributeVerificationCode: pools.GetUserAttributeVerificationCode,
		VerifyUserAttribute:              pools.VerifyUserAttribute,
		GlobalSignOut:                    pools.GlobalSignOut,
		AdminUserGlobalSignOut:           pools.AdminUserGlobalSignOut,
		RevokeToken:                      pools.RevokeToken,
		ChangePassword:                   pools.ChangePassword,
		DeleteUser:                       pools.DeleteUser,
		SetRiskConfiguration:             pools.SetRiskConfiguration,
		DescribeRiskConfiguration:        pools.DescribeRiskConfiguration,
		AdminListUserAuthEvents:          pools.AdminListUserAuthEvents,
		AdminUpdateAuthEventFeedback:     pools.AdminUpdateAuthEventFeedback,
		UpdateAuthEventFeedback:          pools.UpdateAuthEventFeedback,
		CreateGroup:                      pools.CreateGroup,
		GetGroup:                         pools.GetGroup,
		UpdateGroup:                      pools.UpdateGroup,
		DeleteGroup:                      pools.DeleteGroup,
		ListGroups:                       pools.ListGroups,
		AdminAddUserToGroup:              pools.AdminAddUserToGroup,
		AdminRemoveUserFromGroup:         pools.AdminRemoveUserFromGroup,
		AdminListGroupsForUser:           pools.AdminListGroupsForUser,
		ListUsersInGroup:                 pools.ListUsersInGroup,
		SetUserPoolMfaConfig:             pools.SetUserPoolMfaConfig,
		GetUserPoolMfaConfig:             pools.GetUserPoolMfaConfig,
		AssociateSoftwareToken:           pools.AssociateSoftwareToken,
		VerifySoftwareToken:              pools.VerifySoftwareToken,
		SetUserMFAPreference:             pools.SetUserMFAPreference,
		AdminSetUserMFAPreference:        pools.AdminSetUserMFAPreference,
		CreateUserPoolDomain:             pools.CreateUserPoolDomain,
		DescribeUserPoolDomain:           pools.DescribeUserPoolDomain,
		UpdateUserPoolDomain:             pools.UpdateUserPoolDomain,
		DeleteUserPoolDomain:             pools.DeleteUserPoolDomain,
		CreateResourceServer:             pools.CreateResourceServer,
		DescribeResourceServer:           pools.DescribeResourceServer,
		ListResourceServers:              pools.ListResourceServers,
		UpdateResourceServer:             pools.UpdateResourceServer,
		DeleteResourceServer:             pools.DeleteResourceServer,
		ConfirmDevice:                    pools.ConfirmDevice,
		GetDevice:                        pools.GetDevice,
		ListDevices:                      pools.ListDevices,
		ForgetDevice:                     pools.ForgetDevice,
		UpdateDeviceStatus:               pools.UpdateDeviceStatus,
		AdminGetDevice:                   pools.AdminGetDevice,
		AdminListDevices:                 pools.AdminListDevices,
		AdminForgetDevice:                pools.AdminForgetDevice,
		AdminUpdateDeviceStatus:          pools.AdminUpdateDeviceStatus,
	}
}

// The X-Amz-Target prefixes of the lazily built services (their models'
// metadata.targetPrefix; TestLazyServicePrefixes checks them).
const (
	logsTargetPrefix     = "Logs_20140328"
	firehoseTargetPrefix = "Firehose_20150804"
)

// jsonService describes an API of the model m for the JSON layer (its
// TargetPrefix and SigV4 service name, cognito-idp's or logs'): every
// operation of the model, bound to its endpoint.
func jsonService(m *model.Model, endpoints map[string]api.Endpoint) *awsjson.Service {
	ops := make(map[string]*awsjson.Operation, len(m.Operations))
	for _, op := range m.Operations {
		ops[op.Name] = &awsjson.Operation{Name: op.Name, InputShape: op.Input, NoAuth: op.NoAuth, Endpoint: endpoints[op.Name]}
	}
	v := validate.New(m)
	return &awsjson.Service{
		TargetPrefix: m.Metadata.TargetPrefix,
		SigningName:  m.Metadata.SigningName,
		Operations:   ops,
		Validate:     v.Request,
	}
}

// mountLogs binds every CloudWatch Logs operation Cognate implements to
// its handler; the others answer NotImplementedException naming them.
func mountLogs(logs *cwlogs.Service) *logsapi.Handlers {
	return &logsapi.Handlers{
		CreateLogGroup:                logs.CreateLogGroup,
		DeleteLogGroup:                logs.DeleteLogGroup,
		DescribeLogGroups:             logs.DescribeLogGroups,
		PutLogGroupDeletionProtection: logs.PutLogGroupDeletionProtection,
		CreateLogStream:               logs.CreateLogStream,
		DescribeLogStreams:            logs.DescribeLogStreams,
		PutLogEvents:                  logs.PutLogEvents,
		GetLogEvents:                  logs.GetLogEvents,
		FilterLogEvents:               logs.FilterLogEvents,
		PutRetentionPolicy:            logs.PutRetentionPolicy,
		DeleteRetentionPolicy:         logs.DeleteRetentionPolicy,
		PutResourcePolicy:             logs.PutResourcePolicy,
		DescribeResourcePolicies:      logs.DescribeResourcePolicies,
		DeleteResourcePolicy:          logs.DeleteResourcePolicy,
		TagResource:                   logs.TagResource,
		UntagResource:                 logs.UntagResource,
		ListTagsForResource:           logs.ListTagsForResource,
		TagLogGroup:                   logs.TagLogGroup,
		UntagLogGroup:                 logs.UntagLogGroup,
		ListTagsLogGroup:              logs.ListTagsLogGroup,
	}
}

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// Implemented lists the cognito-idp operations mount binds, in model
// order.
func Implemented() []string {
	return built(model.CognitoIDP(), mount(&userpool.Service{}).Endpoints())
}

// mountFirehose binds every Firehose operation Cognate implements to its
// handler; the others answer NotImplementedException naming them.
func mountFirehose(f *firehose.Service) *firehoseapi.Handlers {
	return &firehoseapi.Handlers{
		CreateDeliveryStream:      f.CreateDeliveryStream,
		DescribeDeliveryStream:    f.DescribeDeliveryStream,
		ListDeliveryStreams:       f.ListDeliveryStreams,
		DeleteDeliveryStream:      f.DeleteDeliveryStream,
		PutRecord:                 f.PutRecord,
		PutRecordBatch:            f.PutRecordBatch,
		TagDeliveryStream:         f.TagDeliveryStream,
		UntagDeliveryStream:       f.UntagDeliveryStream,
		ListTagsForDeliveryStream: f.ListTagsForDeliveryStream,
	}
}

// ImplementedFirehose lists the Firehose operations mountFirehose binds,
// in model order.
func ImplementedFirehose() []string {
	return built(model.Firehose(), mountFirehose(&firehose.Service{}).Endpoints())
}

// ImplementedLogs lists the CloudWatch Logs operations mountLogs binds, in
// model order.
func ImplementedLogs() []string {
	return built(model.Logs(), mountLogs(&cwlogs.Service{}).Endpoints())
}

func built(m *model.Model, endpoints map[string]api.Endpoint) []string {
	var names []string
	for _, op := range m.Operations {
		if endpoints[op.Name].Call != nil {
			names = append(names, op.Name)
		}
	}
	return names
}
