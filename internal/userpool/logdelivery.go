package userpool

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognate/cognate/internal/api"
	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/storage"
)

// Event sources and levels of a log delivery configuration.
const (
	sourceUserNotification = "userNotification"
	sourceUserAuthEvents   = "userAuthEvents"
	levelError             = "ERROR"
	levelInfo              = "INFO"
)

// SetLogDeliveryConfiguration replaces a pool's log delivery configuration
// (spec/log-delivery.md §2–§5). The checks run in AWS's order: the model's
// constraints (already done by the wire layer), then the request's own
// consistency ("Request validation Failed. …"), then the pool, then its
// tier, then the CloudWatch Logs destinations (logdestination.go), whose
// delivery resource policy is written before the configuration: a policy
// that outlives a failed or later cleared configuration is harmless, as on
// AWS, where it stays when the delivery is deleted. `[]` clears the
// configuration.
func (s *Service) SetLogDeliveryConfiguration(ctx context.Context, in *api.SetLogDeliveryConfigurationRequest) (*api.SetLogDeliveryConfigurationResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := checkSources(in.LogConfigurations); err != nil {
		return nil, err
	}
	configs := make([]storage.LogConfiguration, 0, len(in.LogConfigurations))
	for _, entry := range in.LogConfigurations {
		c, err := logConfiguration(entry, key.AccountID)
		if err != nil {
			return nil, err
		}
		configs = append(configs, c)
	}
	// The pool and its tier come before the destinations, so that a
	// missing pool is reported as such and a refused request writes no
	// resource policy. They are checked again inside the update.
	rec, err := s.store.GetUserPool(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	cfg, err := decodeConfig(rec)
	if err != nil {
		return nil, err
	}
	if err := checkTier(cfg, configs); err != nil {
		return nil, err
	}
	if err := s.checkCloudWatchDestinations(ctx, key.Scope, configs); err != nil {
		return nil, err
	}
	_, err = s.store.UpdateUserPool(ctx, key, func(rec *storage.UserPool) error {
		cfg, err := decodeConfig(rec)
		if err != nil {
			return err
		}
		// userAuthEvents export is a Plus feature [DOC]; the tier is
		// checked inside the update so that a concurrent tier change
		// cannot slip in between.
		if err := checkTier(cfg, configs); err != nil {
			return err
		}
		// The pool's LastModifiedDate stays: the log configuration is a
		// resource of its own (CloudFormation's LogDeliveryConfiguration).
		rec.LogConfigurations = configs
		return nil
	})
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.SetLogDeliveryConfigurationResponse{LogDeliveryConfiguration: logDeliveryOutput(key.ID, configs)}, nil
}

// GetLogDeliveryConfiguration returns a pool's log delivery configuration;
// a pool never configured has an empty list [EMU spec §4].
func (s *Service) GetLogDeliveryConfiguration(ctx context.Context, in *api.GetLogDeliveryConfigurationRequest) (*api.GetLogDeliveryConfigurationResponse, error) {
	key, err := poolKey(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetUserPool(ctx, key)
	if err != nil {
		return nil, storeError(key.ID, err)
	}
	return &api.GetLogDeliveryConfigurationResponse{LogDeliveryConfiguration: logDeliveryOutput(key.ID, rec.LogConfigurations)}, nil
}

// checkSources reports, in one message, the event sources without a
// destination and those given more than once, each named once in request
// order: AWS's text, its spelling "more then once" included [OBS/EMU spec §3].
func checkSources(entries []api.LogConfigurationType) error {
	var noDestination, repeated []string
	seen := map[string]int{}
	for _, e := range entries {
		source := deref(e.EventSource)
		if destinationCount(e) == 0 && !contains(noDestination, source) {
			noDestination = append(noDestination, source)
		}
		seen[source]++
		if seen[source] == 2 {
			repeated = append(repeated, source)
		}
	}
	if len(noDestination) == 0 && len(repeated) == 0 {
		return nil
	}
	msg := "Request validation Failed."
	if len(noDestination) > 0 {
		msg += " Following event sources in request have no destination: [" + strings.Join(noDestination, ", ") + "]."
	}
	if len(repeated) > 0 {
		msg += " Following event sources appear more then once in a request: [" + strings.Join(repeated, ", ") + "]."
	}
	return api.InvalidParameter("%s", msg)
}

// destinationCount counts the destinations an entry names; a destination
// structure without its ARN does not count (inferred).
func destinationCount(e api.LogConfigurationType) int {
	n := 0
	if e.CloudWatchLogsConfiguration != nil && e.CloudWatchLogsConfiguration.LogGroupArn != nil {
		n++
	}
	if e.S3Configuration != nil && e.S3Configuration.BucketArn != nil {
		n++
	}
	if e.FirehoseConfiguration != nil && e.FirehoseConfiguration.StreamArn != nil {
		n++
	}
	return n
}

// logConfiguration checks one entry against the rules of its event source
// and returns it as stored. AWS's texts for these refusals are not public
// (spec §11.1): the texts below are inferred, in AWS's style.
func logConfiguration(e api.LogConfigurationType, account string) (storage.LogConfiguration, error) {
	source, level := deref(e.EventSource), deref(e.LogLevel)
	// "The log level is exclusive to the log type" [DOC]: userNotification
	// is ERROR, userAuthEvents is INFO.
	want := map[string]string{sourceUserNotification: levelError, sourceUserAuthEvents: levelInfo}[source]
	if level != want {
		return storage.LogConfiguration{}, api.InvalidParameter("Log level %s is not supported for event source %s; use %s.", level, source, want)
	}
	if destinationCount(e) > 1 {
		// userAuthEvents "can't send user-activity logs to multiple
		// destinations" [DOC]; userNotification has only one kind.
		return storage.LogConfiguration{}, api.InvalidParameter("Event source %s must have exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.", source)
	}
	c := storage.LogConfiguration{EventSource: source, LogLevel: level}
	switch {
	case e.CloudWatchLogsConfiguration != nil && e.CloudWatchLogsConfiguration.LogGroupArn != nil:
		c.DestinationType, c.DestinationARN = storage.DestinationCloudWatchLogs, *e.CloudWatchLogsConfiguration.LogGroupArn
		if err := checkDestinationARN(c.DestinationARN, "logs", "log-group:", "a CloudWatch Logs log group", account); err != nil {
			return c, err
		}
	case e.S3Configuration != nil && e.S3Configuration.BucketArn != nil:
		c.DestinationType, c.DestinationARN = storage.DestinationS3, *e.S3Configuration.BucketArn
		if err := checkDestinationARN(c.DestinationARN, "s3", "", "an Amazon S3 bucket", ""); err != nil {
			return c, err
		}
	default:
		c.DestinationType, c.DestinationARN = storage.DestinationFirehose, *e.FirehoseConfiguration.StreamArn
		if err := checkDestinationARN(c.DestinationARN, "firehose", "deliverystream/", "an Amazon Data Firehose stream", account); err != nil {
			return c, err
		}
	}
	if source == sourceUserNotification && c.DestinationType != storage.DestinationCloudWatchLogs {
		// userNotification goes to CloudWatch Logs only [DOC]; AWS refuses
		// S3 for it [OBS hashicorp/terraform-provider-aws#47790].
		return c, api.InvalidParameter("Event source userNotification can only be delivered to a CloudWatch Logs log group.")
	}
	return c, nil
}

// checkDestinationARN checks that arn names the expected kind of resource
// and, where the ARN carries one, the pool's own account: "must be in the
// same Amazon Web Services account as your user pool" [DOC].
func checkDestinationARN(arn, service, resourcePrefix, what, account string) error {
	a, ok := awsarn.Parse(arn)
	if !ok || a.Service != service || !strings.HasPrefix(a.Resource, resourcePrefix) || a.Resource == resourcePrefix {
		return api.InvalidParameter("%s is not the ARN of %s.", arn, what)
	}
	if account != "" && a.Account != account {
		return api.InvalidParameter("The destination %s must be in the same account as the user pool (%s).", arn, account)
	}
	return nil
}

// logDeliveryOutput returns the configuration as AWS echoes it: entries in
// the order set, with only the members that were given [DOC CLI examples].
func logDeliveryOutput(poolID string, configs []storage.LogConfiguration) *api.LogDeliveryConfigurationType {
	out := &api.LogDeliveryConfigurationType{UserPoolId: new(poolID), LogConfigurations: make([]api.LogConfigurationType, 0, len(configs))}
	for _, c := range configs {
		e := api.LogConfigurationType{EventSource: new(c.EventSource), LogLevel: new(c.LogLevel)}
		switch c.DestinationType {
		case storage.DestinationCloudWatchLogs:
			e.CloudWatchLogsConfiguration = &api.CloudWatchLogsConfigurationType{LogGroupArn: new(c.DestinationARN)}
		case storage.DestinationS3:
			e.S3Configuration = &api.S3ConfigurationType{BucketArn: new(c.DestinationARN)}
		case storage.DestinationFirehose:
			e.FirehoseConfiguration = &api.FirehoseConfigurationType{StreamArn: new(c.DestinationARN)}
		default:
			panic(fmt.Sprintf("userpool: stored destination type %q", c.DestinationType))
		}
		out.LogConfigurations = append(out.LogConfigurations, e)
	}
	return out
}
