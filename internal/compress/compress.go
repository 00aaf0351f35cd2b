// Package compress compresses stored bodies and texts with zstd.
package compress

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Encoders and decoders are safe for concurrent EncodeAll/DecodeAll.
var (
	encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
)

// Compress returns b compressed with zstd.
func Compress(b []byte) []byte { return encoder.EncodeAll(b, make([]byte, 0, len(b)/4+64)) }

// Decompress undoes Compress.
func Decompress(b []byte) ([]byte, error) {
	out, err := decoder.DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("corrupt compressed data: %w", err)
	}
	return out, nil
}
