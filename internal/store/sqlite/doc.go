// Package sqlite is the embedded default store driver: one SQLite file in the data directory,
// opened with the pure-Go modernc.org/sqlite engine, so the binary needs no cgo.
//
// The file runs in WAL mode with synchronous=FULL, so an Update that returned nil survives a
// killed process and a power cut. A single connection writes, each Update under BEGIN IMMEDIATE,
// which serializes writers without retries; a pool of read-only connections serves Views, each
// on its own WAL snapshot, so readers never wait for the writer nor the writer for readers.
//
// All tables of the store share one physical table keyed by (table, key) with keys stored as
// BLOBs: SQLite compares BLOBs with memcmp, which is exactly the byte order the store contract
// asks for, and prefix scans are index ranges [prefix, successor(prefix)), never LIKE.
//
// Bulk loads (a seeding tool) need no separate path: one Update can carry a million Puts, since
// the writer keeps a large page cache and the transaction is synced once, at commit. The WAL
// grows to the size of the transaction until the next checkpoint folds it into the main file.
//
// Only internal/server (and tools that seed or inspect a data directory) import this package;
// services see it through store.Store.
package sqlite
