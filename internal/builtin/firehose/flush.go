package firehose

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/storage"
)

// Start starts the flusher; Stop stops it. A Service that is never started
// buffers records without delivering them (FlushDue delivers on demand).
func (s *Service) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		return
	}
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	go s.run(s.stop, s.done)
}

// Stop stops the flusher and waits for it; records stay buffered in the
// store for the next start.
func (s *Service) Stop() {
	s.mu.Lock()
	stop, done := s.stop, s.done
	s.stop, s.done = nil, nil
	s.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
}

func (s *Service) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop
		cancel()
	}()
	t := time.NewTicker(s.tick)
	defer t.Stop()
	for {
		if err := s.FlushDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("firehose: flush", "err", err)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// FlushDue delivers the records of every stream whose buffer is due: it
// holds SizeInMBs or more, or its oldest record is IntervalInSeconds old
// (or older than the maximum delay of WithMaxFlushDelay). A stream whose
// bucket is missing keeps its records and is reported in the log, at most
// once a minute.
func (s *Service) FlushDue(ctx context.Context) error {
	streams, err := s.store.BufferedFirehoseStreams(ctx)
	if err != nil {
		return fmt.Errorf("firehose: %w", err)
	}
	var errs []error
	for _, st := range streams {
		d, err := decodeDestination(st)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		size := int64(d.SizeInMBs) * mib
		age := s.now().Sub(st.OldestRecord)
		due := st.BufferedBytes >= size || age >= time.Duration(d.IntervalInSeconds)*time.Second ||
			(s.maxDelay > 0 && age >= s.maxDelay)
		if !due {
			continue
		}
		if err := s.flush(ctx, st, d, size); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// flush writes every buffered record of st in objects of at most size
// bytes of records (one record may be larger), then deletes them.
func (s *Service) flush(ctx context.Context, st *storage.FirehoseStream, d *destination, size int64) error {
	for {
		recs, err := s.store.FirehoseRecords(ctx, st.ID, size)
		if err != nil {
			return fmt.Errorf("firehose: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		body, key, contentType, err := object(st, d, recs)
		if err != nil {
			return err
		}
		err = s.buckets.PutObject(d.bucket(), key, contentType, body)
		if errors.Is(err, s3.ErrNoSuchBucket) {
			s.warnMissingBucket(st, d)
			return nil
		}
		if err != nil {
			return fmt.Errorf("firehose: deliver %s to %s: %w", st.Name, d.BucketARN, err)
		}
		// At least once: a crash before this writes the object again.
		if err := s.store.AckFirehoseRecords(ctx, st.ID, recs[len(recs)-1].Seq); err != nil {
			return fmt.Errorf("firehose: %w", err)
		}
		s.log.Debug("firehose: delivered", "stream", st.Name, "bucket", d.bucket(), "key", key, "records", len(recs))
	}
}

// object builds the S3 object of recs: the records concatenated as sent,
// with no delimiter [DOC], GZIP'd if so configured, under Firehose's
// default key [DOC "Amazon S3 object name format"]:
//
//	<Prefix>YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>[.gz]
//
// The time is the UTC arrival time of the first record (inferred: AWS
// says the prefix is the UTC time, not which one).
func object(st *storage.FirehoseStream, d *destination, recs []*storage.FirehoseRecord) (body []byte, key, contentType string, err error) {
	var buf bytes.Buffer
	for _, r := range recs {
		buf.Write(r.Data)
	}
	body, contentType = buf.Bytes(), "application/octet-stream"
	t := recs[0].ArrivedAt.UTC()
	key = fmt.Sprintf("%s%s/%s-%d-%s-%s", d.Prefix, t.Format("2006/01/02/15"), st.Name, st.Version, t.Format("2006-01-02-15-04-05"), newUUID())
	if d.Compression == "GZIP" {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(body) //nolint:errcheck // a bytes.Buffer does not fail
		if err := zw.Close(); err != nil {
			return nil, "", "", fmt.Errorf("firehose: compress: %w", err)
		}
		body, contentType, key = z.Bytes(), "application/x-gzip", key+".gz"
	}
	return body, key, contentType, nil
}

func (s *Service) warnMissingBucket(st *storage.FirehoseStream, d *destination) {
	s.mu.Lock()
	last, seen := s.warned[st.ID]
	now := s.now()
	if seen && now.Sub(last) < time.Minute {
		s.mu.Unlock()
		return
	}
	s.warned[st.ID] = now
	s.mu.Unlock()
	s.log.Warn("firehose: destination bucket does not exist; records stay buffered", "stream", st.Name,
		"account", st.AccountID, "region", st.Region, "bucket", d.bucket(), "records", st.BufferedRecords)
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read does not fail
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
