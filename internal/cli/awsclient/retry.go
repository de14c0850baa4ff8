package awsclient

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Retries follow botocore's "standard" mode (botocore/retries/standard.py,
// the v2 default; "adaptive" adds a client-side rate limiter that this
// package does not have): at most max_attempts attempts (3), a retry when
// the failure is transient (a connection or HTTP client error, HTTP
// 500/502/503/504, RequestTimeout(Exception), PriorRequestNotComplete) or a
// throttle (the codes below), a delay of rand()*min(2**(attempt-1), 20)
// seconds, and a retry quota of 500 (5 a retry, 10 after a timeout, given
// back on success).

const defaultMaxAttempts = 3

var transientCodes = []string{"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}

var transientStatus = []int{500, 502, 503, 504}

var throttleCodes = []string{
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
	"SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
}

// retryableResponse is StandardRetryConditions without the attempt check:
// code is the parsed error code ("" for a 2xx), sendErr a failure to get a
// response.
func retryableResponse(status int, code string, sendErr *sendError) bool {
	if sendErr != nil {
		return true
	}
	if code != "" && (slices.Contains(transientCodes, code) || slices.Contains(throttleCodes, code)) {
		return true
	}
	return slices.Contains(transientStatus, status)
}

// backoff is ExponentialBackoff.delay_amount.
func backoff(random func() float64, attempt int) time.Duration {
	secs := random() * math.Min(math.Pow(2, float64(attempt-1)), 20)
	return time.Duration(secs * float64(time.Second))
}

// retryQuota is botocore.retries.quota.RetryQuota with RetryQuotaChecker's
// costs.
type retryQuota struct {
	mu        sync.Mutex
	available int
}

const (
	quotaInitial      = 500
	quotaRetryCost    = 5
	quotaTimeoutCost  = 10
	quotaNoRetryAward = 1
)

func newRetryQuota() *retryQuota { return &retryQuota{available: quotaInitial} }

func (q *retryQuota) acquire(n int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if n > q.available {
		return false
	}
	q.available -= n
	return true
}

func (q *retryQuota) release(n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.available = min(quotaInitial, q.available+n)
}
