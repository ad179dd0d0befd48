package checksum

import (
	"encoding/binary"
	"hash"
	"sync"
)

// crc64NVMEPoly is the NVMe CRC-64 polynomial in reversed (LSB-first) form, the form in which
// hash/crc64 and this file process bits.
const crc64NVMEPoly = 0x9a6c9329ac4bc9b5

// crc64NVMETables are the slicing-by-8 lookup tables, built on first use and read-only afterwards.
// hash/crc64 keeps slicing tables only for its two built-in polynomials: for any other it rebuilds
// a 16 KiB table on every Update of 2 KiB or more and goes a byte at a time below that, which is
// what a streamed body's short reads get.
var crc64NVMETables = sync.OnceValue(func() *[8][256]uint64 {
	t := new([8][256]uint64)
	for i := range 256 {
		crc := uint64(i)
		for range 8 {
			if crc&1 == 1 {
				crc = crc>>1 ^ crc64NVMEPoly
			} else {
				crc >>= 1
			}
		}
		t[0][i] = crc
	}
	for i := range 256 {
		crc := t[0][i]
		for j := 1; j < 8; j++ {
			crc = t[0][crc&0xff] ^ crc>>8
			t[j][i] = crc
		}
	}
	return t
})

// crc64NVME is a hash.Hash64 computing CRC-64/NVME (init and final XOR all ones, reflected).
type crc64NVME struct {
	crc uint64 // running value, kept un-inverted between writes
	tab *[8][256]uint64
}

func newCRC64NVME() hash.Hash64 { return &crc64NVME{tab: crc64NVMETables()} }

// The hash.Hash64 methods.

func (d *crc64NVME) Size() int      { return 8 }
func (d *crc64NVME) BlockSize() int { return 1 }
func (d *crc64NVME) Reset()         { d.crc = 0 }
func (d *crc64NVME) Sum64() uint64  { return d.crc }

func (d *crc64NVME) Sum(in []byte) []byte {
	return binary.BigEndian.AppendUint64(in, d.crc)
}

func (d *crc64NVME) Write(p []byte) (int, error) {
	n := len(p)
	crc := ^d.crc
	t := d.tab
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][crc&0xff] ^ t[6][crc>>8&0xff] ^ t[5][crc>>16&0xff] ^ t[4][crc>>24&0xff] ^
			t[3][crc>>32&0xff] ^ t[2][crc>>40&0xff] ^ t[1][crc>>48&0xff] ^ t[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	d.crc = ^crc
	return n, nil
}
