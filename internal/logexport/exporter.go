package logexport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	awsarn "github.com/cognate/cognate/internal/arn"
	"github.com/cognate/cognate/internal/storage"
)

// Outbox is what the exporter needs of the store: the export records
// waiting in Seq order, and their removal once delivered
// (storage.OutboxStore has both).
type Outbox interface {
	PendingExports(ctx context.Context, after int64, limit int) ([]*storage.ExportRecord, error)
	AckExports(ctx context.Context, seqs []int64) error
}

// ErrNoSink means no sink delivers to the destination's type yet (S3 and
// Firehose are issue 5): the records wait, they are not dropped.
var ErrNoSink = errors.New("logexport: no sink for this destination type")

// Config configures an Exporter. Zero durations and sizes take the
// defaults named on each field.
type Config struct {
	Outbox Outbox
	// Sinks deliver by destination type (storage.Destination*). A type
	// with no sink keeps its records pending.
	Sinks  map[string]Sink
	Logger *slog.Logger
	// PollInterval is how often the outbox is read without a Kick
	// (1 s): records committed by another path, and retries, are picked up
	// within it.
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait before a destination whose
	// delivery failed is tried again (250 ms, 30 s). The wait doubles with
	// each failure in a row, with jitter.
	MinBackoff, MaxBackoff time.Duration
	// MaxQueued bounds the records held in memory per destination
	// (20,000). Beyond it a destination's records stay in the outbox only,
	// and are read again once its queue has drained, so a destination that
	// is down for long costs no more memory than this.
	MaxQueued int
	// ReadPage is how many records one outbox read returns (10,000).
	ReadPage int
	// DeliveryTimeout bounds one batch's delivery (30 s): an endpoint that
	// hangs fails the attempt, which is retried, instead of holding its
	// destination for ever.
	DeliveryTimeout time.Duration
}

// Exporter delivers the export outbox's records to their destinations:
// at least once, in order per destination, in batches, retrying each
// destination with backoff on its own so that one that fails never holds
// up the others. A destination is one log stream (the account, region,
// type and ARN of the configuration, and the pool and event source that
// name the stream, see StreamName).
//
// Records are acknowledged (removed from the outbox) only after their
// sink reported them delivered; a crash between the two delivers that
// batch again after restart, which is the only way a destination sees a
// record twice. A record is never dropped: a destination that is missing
// or has no sink keeps its records pending and is retried, with a warning
// in the log.
type Exporter struct {
	cfg  Config
	log  *slog.Logger
	kick chan struct{}
	wake chan struct{} // a worker finished: dispatch again

	mu     sync.Mutex
	dests  map[destKey]*dest
	cursor int64 // the highest Seq read from the outbox

	cancel context.CancelFunc
	loop   sync.WaitGroup // the main loop
	work   sync.WaitGroup // delivery workers
	once   sync.Once
}

type destKey struct {
	account, region, typ, arn, pool, source string
}

// dest is one destination's state; every field is guarded by
// Exporter.mu.
type dest struct {
	key     destKey
	target  Destination
	sink    Sink
	badARN  error                   // the ARN names no destination of its type
	queue   []*storage.ExportRecord // read, not yet acknowledged, in Seq order
	through int64                   // the highest Seq ever queued
	// overflow is set when records were left in the outbox because the
	// queue was full; they are read again once the queue drains.
	overflow bool
	running  bool // a worker is delivering
	failures int  // failed attempts in a row
	retryAt  time.Time
	warnedAt time.Time
}

// New returns an Exporter; Start runs it.
func New(cfg Config) *Exporter {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 250 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = 20000
	}
	if cfg.ReadPage <= 0 {
		cfg.ReadPage = 10000
	}
	if cfg.DeliveryTimeout <= 0 {
		cfg.DeliveryTimeout = 30 * time.Second
	}
	return &Exporter{
		cfg: cfg, log: cfg.Logger,
		kick:  make(chan struct{}, 1),
		wake:  make(chan struct{}, 1),
		dests: map[destKey]*dest{},
	}
}

// Start runs the exporter in the background until Stop.
func (e *Exporter) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.loop.Add(1)
	go func() {
		defer e.loop.Done()
		e.run(ctx)
	}()
}

// Stop ends the exporter: deliveries in flight are cancelled (their
// records stay pending) and Stop returns once every goroutine has ended.
func (e *Exporter) Stop() {
	e.once.Do(func() {
		if e.cancel != nil {
			e.cancel()
		}
		e.loop.Wait()
		e.work.Wait()
	})
}

// Kick makes the exporter read the outbox now rather than at its next
// poll. It never blocks; the server calls it after every write that stored
// export records, which keeps the latency from the API call to the
// readable record low.
func (e *Exporter) Kick() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (e *Exporter) run(ctx context.Context) {
	tick := time.NewTicker(e.cfg.PollInterval)
	defer tick.Stop()
	retry := time.NewTimer(time.Hour)
	defer retry.Stop()
	for {
		e.fill(ctx)
		next := e.dispatch(ctx)
		if !next.IsZero() {
			retry.Reset(max(time.Until(next), time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-e.kick:
		case <-e.wake:
		case <-tick.C:
		case <-retry.C:
		}
	}
}

// fill reads new records into their destinations' queues.
func (e *Exporter) fill(ctx context.Context) {
	for ctx.Err() == nil {
		e.mu.Lock()
		after := e.cursor
		e.mu.Unlock()
		page, err := e.cfg.Outbox.PendingExports(ctx, after, e.cfg.ReadPage)
		if err != nil {
			if ctx.Err() == nil {
				e.log.Error("log export: reading the outbox failed; trying again at the next poll", "err", err)
			}
			return
		}
		e.mu.Lock()
		if e.cursor != after {
			// A worker moved the cursor back meanwhile (a drained
			// overflow): read again from there. Queuing this page first
			// would make a destination's records arrive out of Seq order,
			// and the dedup by `through` relies on that order.
			e.mu.Unlock()
			continue
		}
		for _, r := range page {
			e.enqueue(r)
		}
		if len(page) > 0 {
			e.cursor = page[len(page)-1].Seq
		}
		e.mu.Unlock()
		if len(page) < e.cfg.ReadPage {
			return
		}
	}
}

// enqueue adds r to its destination's queue unless it is already queued
// or the queue is full. Called with e.mu held, for records in Seq order
// from the cursor on: so every record of a destination up to its `through`
// has been queued (and maybe delivered since), and a re-read from a lower
// cursor skips them.
func (e *Exporter) enqueue(r *storage.ExportRecord) {
	k := destKey{r.AccountID, r.Region, r.DestinationType, r.DestinationARN, r.PoolID, r.EventSource}
	d := e.dests[k]
	if d == nil {
		d = &dest{key: k, sink: e.cfg.Sinks[r.DestinationType]}
		d.target, d.badARN = destination(r)
		e.dests[k] = d
	}
	switch {
	case r.Seq <= d.through:
		return // queued before (a re-read after an overflow)
	case d.overflow:
		return
	case len(d.queue) >= e.cfg.MaxQueued:
		d.overflow = true
		return
	}
	d.queue = append(d.queue, r)
	d.through = r.Seq
}

// dispatch starts a worker for every destination that has records, none
// running and no pending backoff, drops idle destinations, and returns the
// earliest retry time of those still backing off (zero if none).
func (e *Exporter) dispatch(ctx context.Context) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	var next time.Time
	for k, d := range e.dests {
		switch {
		case d.running:
		case len(d.queue) == 0 && !d.overflow:
			delete(e.dests, k) // nothing of it is pending
		case len(d.queue) == 0:
			// Overflowed while its queue drained elsewhere: re-read.
			e.reread(d)
		case now.Before(d.retryAt):
			if next.IsZero() || d.retryAt.Before(next) {
				next = d.retryAt
			}
		default:
			if ctx.Err() != nil {
				return time.Time{}
			}
			d.running = true
			e.work.Add(1)
			go func() {
				defer e.work.Done()
				e.deliver(ctx, d)
			}()
		}
	}
	return next
}

// reread clears d's overflow and moves the cursor back so that the
// records it left in the outbox are read again. Called with e.mu held.
func (e *Exporter) reread(d *dest) {
	d.overflow = false
	e.cursor = min(e.cursor, d.through)
	notify(e.kick)
}

// deliver sends d's queue batch by batch until it is empty or a delivery
// fails.
func (e *Exporter) deliver(ctx context.Context, d *dest) {
	defer notify(e.wake)
	for {
		e.mu.Lock()
		n := cutBatch(d.queue)
		batch := d.queue[:n:n]
		if n == 0 || ctx.Err() != nil {
			d.running = false
			if n == 0 && d.overflow {
				e.reread(d)
			}
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()

		err := e.send(ctx, d, batch)
		rejected := errors.Is(err, ErrRejected)
		if rejected {
			// The destination stored the batch but refused some events
			// for good (older than it accepts): sending them again would
			// be refused again. Reported here, then acknowledged.
			e.log.Warn("log export: the destination refused some records of a batch; the others were delivered",
				"destination", d.target.ARN, "stream", d.target.LogStream,
				"first_seq", batch[0].Seq, "last_seq", batch[n-1].Seq, "err", err)
			err = nil
		}
		if err == nil {
			seqs := make([]int64, n)
			for i, r := range batch {
				seqs[i] = r.Seq
			}
			if err = e.cfg.Outbox.AckExports(ctx, seqs); err != nil {
				// Delivered but still in the outbox: it is delivered
				// again later (a documented duplicate).
				err = fmt.Errorf("acknowledge delivered records: %w", err)
			}
		}
		e.mu.Lock()
		if err != nil {
			e.failed(ctx, d, err)
			d.running = false
			e.mu.Unlock()
			return
		}
		d.queue = d.queue[n:]
		if len(d.queue) == 0 {
			d.queue = nil // let the backing array go
		}
		if d.failures > 0 {
			e.log.Info("log export: destination delivering again", "destination", d.target.ARN, "stream", d.target.LogStream, "after_failures", d.failures)
		}
		d.failures, d.retryAt, d.warnedAt = 0, time.Time{}, time.Time{}
		e.mu.Unlock()
	}
}

func (e *Exporter) send(ctx context.Context, d *dest, batch []*storage.ExportRecord) error {
	switch {
	case d.badARN != nil:
		return d.badARN
	case d.sink == nil:
		return fmt.Errorf("%w: %s", ErrNoSink, d.key.typ)
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.DeliveryTimeout)
	defer cancel()
	return d.sink.Deliver(ctx, d.target, events(batch))
}

// failed schedules d's next attempt with exponential backoff and jitter,
// and warns: at the first failure of a run, then at most once a minute.
// Called with e.mu held.
func (e *Exporter) failed(ctx context.Context, d *dest, err error) {
	if ctx.Err() != nil {
		return // stopping: the records stay pending for the next start
	}
	d.failures++
	wait := e.cfg.MinBackoff << min(d.failures-1, 20)
	if wait > e.cfg.MaxBackoff || wait <= 0 {
		wait = e.cfg.MaxBackoff
	}
	// Jitter in [wait/2, wait): destinations that failed together do not
	// retry in lock step.
	wait = wait/2 + rand.N(wait/2+1)
	now := time.Now()
	d.retryAt = now.Add(wait)
	if d.warnedAt.IsZero() || now.Sub(d.warnedAt) >= time.Minute {
		d.warnedAt = now
		msg := "log export: delivery failed; the records stay pending and are retried"
		switch {
		case errors.Is(err, ErrDestinationMissing):
			msg = "log export: the destination does not exist (deleted?); its records stay pending and are retried"
		case errors.Is(err, ErrNoSink):
			msg = "log export: export to this destination type is not supported yet; its records stay pending"
		}
		e.log.Warn(msg, "destination", d.key.arn, "type", d.key.typ, "pool", d.key.pool,
			"pending", len(d.queue), "more_in_outbox", d.overflow, "failures", d.failures, "retry_in", wait.Round(time.Millisecond), "err", err)
	}
}

// destination resolves where r goes. For CloudWatch Logs the log group ARN
// `arn:<partition>:logs:<region>:<account>:log-group:<name>` [DOC idp model
// CloudWatchLogsConfigurationType] gives the group's account, region and
// name; the stream is StreamName's.
func destination(r *storage.ExportRecord) (Destination, error) {
	d := Destination{AccountID: r.AccountID, Region: r.Region, Type: r.DestinationType, ARN: r.DestinationARN, PoolID: r.PoolID, EventSource: r.EventSource}
	if r.DestinationType == storage.DestinationS3 {
		// arn:<partition>:s3:::<bucket> [DOC S3ConfigurationType].
		a, ok := awsarn.Parse(r.DestinationARN)
		if !ok || a.Service != "s3" || a.Resource == "" || strings.Contains(a.Resource, "/") {
			return d, fmt.Errorf("logexport: %q is not a bucket ARN", r.DestinationARN)
		}
		d.Bucket = a.Resource
		return d, nil
	}
	if r.DestinationType == storage.DestinationFirehose {
		// arn:<partition>:firehose:<region>:<account>:deliverystream/<name>
		// [DOC FirehoseConfigurationType].
		a, ok := awsarn.Parse(r.DestinationARN)
		name, isStream := strings.CutPrefix(a.Resource, "deliverystream/")
		if !ok || a.Service != "firehose" || !isStream || name == "" || a.Region == "" || a.Account == "" {
			return d, fmt.Errorf("logexport: %q is not a delivery stream ARN", r.DestinationARN)
		}
		d.Region, d.AccountID, d.Stream = a.Region, a.Account, name
		return d, nil
	}
	if r.DestinationType != storage.DestinationCloudWatchLogs {
		return d, nil
	}
	a, ok := awsarn.Parse(r.DestinationARN)
	name, isGroup := strings.CutPrefix(a.Resource, "log-group:")
	if !ok || a.Service != "logs" || !isGroup {
		return d, fmt.Errorf("logexport: %q is not a log group ARN", r.DestinationARN)
	}
	d.Region, d.AccountID = a.Region, a.Account
	d.LogGroup = strings.TrimSuffix(name, ":*")
	d.LogStream = StreamName(r.PoolID, r.EventSource)
	return d, nil
}
