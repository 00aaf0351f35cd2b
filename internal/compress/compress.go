// Package compress compresses stored bodies and texts with zstd.
package compress

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// The encoder and decoder are safe for concurrent EncodeAll/DecodeAll. They
// are made on first use: commands that store nothing should not pay for
// their tables at start-up.
var (
	encoder = sync.OnceValue(func() *zstd.Encoder {
		e, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
		return e
	})
	decoder = sync.OnceValue(func() *zstd.Decoder {
		d, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
		return d
	})
)

// Compress returns b compressed with zstd.
func Compress(b []byte) []byte { return encoder().EncodeAll(b, make([]byte, 0, len(b)/4+64)) }

// Decompress undoes Compress.
func Decompress(b []byte) ([]byte, error) {
	out, err := decoder().DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("corrupt compressed data: %w", err)
	}
	return out, nil
}
