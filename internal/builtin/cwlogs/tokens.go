package cwlogs

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
	"github.com/cognate/cognate/internal/storage"
)

// Listing tokens (DescribeLogGroups, DescribeLogStreams,
// DescribeResourcePolicies, FilterLogEvents) are opaque to clients [DOC]:
// base64url of a JSON array whose first element names the kind of token,
// so that a token of one operation (or a made-up one) is refused rather
// than misread.

func encodeToken(kind string, fields ...string) string {
	b, _ := json.Marshal(append([]string{kind}, fields...)) // strings always encode
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken returns the n fields of a token of kind, or
// InvalidParameterException.
func decodeToken(token, kind string, n int) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	var fields []string
	if err != nil || json.Unmarshal(raw, &fields) != nil || len(fields) != n+1 || fields[0] != kind {
		return nil, logsapi.InvalidParameter(textInvalidToken)
	}
	return fields[1:], nil
}

func parseInts(fields []string) ([]int64, error) {
	out := make([]int64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, logsapi.InvalidParameter(textInvalidToken)
		}
		out[i] = v
	}
	return out, nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// GetLogEvents tokens have AWS's visible form: `f/` or `b/` and 56 digits
// (`f/31961209122447488583055879464742346735121166569214640130`), newer ones
// with a `/s` suffix, which is accepted [OBS awscli get-log-events example,
// issue4-facts §1.8]. The digits here are the position (timestamp + 1 in 20
// digits, so that the position before every event, timestamp -1, is
// 20 zeros; the sequence number in 19) and the stream's ID modulo 10^17, so
// that a token of another stream is refused.

// beforeAll is the position before every event of a stream.
var beforeAll = storage.StreamPosition{Timestamp: -1}

func encodeStreamToken(dir byte, pos storage.StreamPosition, streamID int64) string {
	return fmt.Sprintf("%c/%020d%019d%017d", dir, uint64(pos.Timestamp)+1, pos.Seq, streamID%1e17)
}

// decodeStreamToken returns a GetLogEvents token's direction ('f' or 'b')
// and position.
func decodeStreamToken(token string, streamID int64) (byte, storage.StreamPosition, error) {
	invalid := logsapi.InvalidParameter(textInvalidToken)
	token = strings.TrimSuffix(token, "/s")
	if len(token) != 58 || (token[0] != 'f' && token[0] != 'b') || token[1] != '/' {
		return 0, storage.StreamPosition{}, invalid
	}
	d := token[2:]
	ts, err1 := strconv.ParseUint(d[:20], 10, 64)
	seq, err2 := strconv.ParseInt(d[20:39], 10, 64)
	id, err3 := strconv.ParseInt(d[39:], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || id != streamID%1e17 {
		return 0, storage.StreamPosition{}, invalid
	}
	return token[0], storage.StreamPosition{Timestamp: int64(ts - 1), Seq: seq}, nil
}

// sequenceToken is PutLogEvents' nextSequenceToken and DescribeLogStreams'
// uploadSequenceToken: 56 decimal digits, as AWS's [OBS
// aws/aws-for-fluent-bit#523]. It is no longer checked by anyone [DOC];
// whether AWS still sends it today is not confirmed (inferred).
func sequenceToken(streamID, lastSeq int64) string {
	return fmt.Sprintf("%020d%036d", streamID, lastSeq)
}

// eventID is a FilterLogEvents eventId: 56 digits (the form of live IDs,
// inferred), unique per event and stable, as `aws logs tail --follow`
// deduplicates on it [DOC tail.py].
func eventID(e *storage.LogEvent) string {
	return fmt.Sprintf("%020d%018d%018d", uint64(e.Timestamp), e.StreamID%1e18, e.Seq%1e18)
}
