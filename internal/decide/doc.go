// Package decide owns the JSON Lines format of `rolegate policy decide`: it reads one
// request with its policies per line, decides it with internal/authz exactly as the server
// does, and writes one decision line per input line, in order. A line that cannot be read
// gives an error line and the run goes on.
//
// The format is specified in the shared reference decide-input.md. The package imports
// internal/authz and internal/policy; it does no I/O beyond the reader and writer it is
// given.
package decide
