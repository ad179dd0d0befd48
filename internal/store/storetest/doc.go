// Package storetest is the conformance suite for store drivers: every driver calls Run from its
// tests, and drivers that keep data on disk also call RunDurable.
//
// The suite pins down the contract written in package store (key order, prefix and pagination
// rules, transaction isolation, rollback, durability across reopen, behaviour after Close) so
// that services can rely on it whichever driver is configured. It is imported only by tests.
package storetest
